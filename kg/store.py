"""The build's on-disk extraction store: ``OUTDIR/.kg/extractions.sqlite``.

One row a paper: its id, its position in the corpus, a hash of its content
and its pickled :class:`~kg.types.PaperExtraction`. The store is

- the spool between the build's two passes (memory does not grow with the
  number of papers), and
- the manifest that makes ``kg build --update`` incremental: a paper whose id
  and content hash are already stored is not extracted again; a changed paper
  is re-extracted and its row replaced, so no stale edge survives; ``--prune``
  drops papers no longer in the inputs. It also keeps which input files the
  last build read (so unchanged ones are not read again) and, in
  ``state.pickle`` beside it, the last complete build's resolver.

Rows are read back in ``seq`` order, which is the order a full build over the
same inputs would have read them in (when new inputs come after old ones).
"""

from __future__ import annotations

import contextlib
import functools
import json
import pickle
import secrets
import sqlite3
from dataclasses import astuple, fields
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .text import stable_hash
from .types import Packed, PaperExtraction, PaperRecord

if TYPE_CHECKING:
    from .sources import FileEntry

STORE_DIR = ".kg"
STORE_FILE = "extractions.sqlite"
STATE_FILE = "state.pickle"


#: papers looked up one by one before every stored hash is loaded at once (:meth:`ExtractionStore.stored_unchanged`)
_LOOKUPS = 2000

_HASHED_FIELDS = tuple(f.name for f in fields(PaperRecord) if f.name not in ("line", "source", "fulltext"))


@functools.lru_cache(maxsize=256)
def _file_name(source: str) -> str:
    return Path(source).name  # (a paper's input file: few distinct ones, parsed once each)


#: json.dumps(..., ensure_ascii=False) without building an encoder a paper
_encode = json.JSONEncoder(ensure_ascii=False).encode


def content_hash(rec: PaperRecord) -> str:
    """What the graph shows of a paper; the line number is not part of it.
    (Fields read directly: dataclasses.asdict deep-copies and is slow.)"""
    values = [getattr(rec, name) for name in _HASHED_FIELDS]
    values.append(_file_name(rec.source) if rec.source else "")
    if rec.fulltext is not None:  # a full text's words and sections (records without one hash as before)
        values.append([rec.fulltext.text, [astuple(s) for s in rec.fulltext.sections]])
    return stable_hash(_encode(values), 32)


def previous_inputs(outdir: str | Path) -> list[tuple[str, tuple[int, int, int]]]:
    """(path, stat) of the input files the last build into ``outdir`` read; read-only, without
    opening the store for writing ([] when there is none)."""
    path = Path(outdir) / STORE_DIR / STORE_FILE
    if not path.is_file():
        return []
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            # plain columns: unpickling the entries would import the readers (kg.sources) before an
            # update forks its extraction worker, and read every paper id the inputs held
            with contextlib.suppress(sqlite3.OperationalError):  # (a store written before the table)
                return [(p, (size, mtime, ino)) for p, size, mtime, ino in
                        db.execute("SELECT path, size, mtime_ns, ino FROM input_stats ORDER BY pos")]
            entries = [pickle.loads(blob) for (blob,) in db.execute("SELECT entry FROM inputs ORDER BY pos")]
        finally:
            db.close()
    except (sqlite3.Error, pickle.UnpicklingError, AttributeError, ImportError):
        return []
    return [(e.path, tuple(e.stat)) for e in entries]


class ExtractionStore:
    def __init__(self, outdir: str | Path, extractor_version: str, fresh: bool) -> None:
        self.path = Path(outdir) / STORE_DIR / STORE_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            self.path.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE IF NOT EXISTS papers (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, "
            "hash TEXT NOT NULL, extraction BLOB NOT NULL);"
            "CREATE INDEX IF NOT EXISTS papers_seq ON papers (seq);"
            "CREATE TABLE IF NOT EXISTS inputs (pos INTEGER PRIMARY KEY, entry BLOB NOT NULL);"
            # each input's path and stat again, for previous_inputs
            "CREATE TABLE IF NOT EXISTS input_stats (pos INTEGER PRIMARY KEY, path TEXT NOT NULL, "
            "size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ino INTEGER NOT NULL);"
        )
        row = self.db.execute("SELECT value FROM meta WHERE key='extractor'").fetchone()
        generation = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        if (row and row[0] != extractor_version) or generation is None:
            # A new extractor would find other things: nothing stored is reusable.
            # A new generation tells every layout built on the old rows to start over.
            self.db.execute("DELETE FROM papers")
            self.db.execute("DELETE FROM inputs")
            self.db.execute("DELETE FROM input_stats")
            generation = (secrets.token_hex(8),)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", generation)
        self.generation: str = generation[0]
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('extractor', ?)", (extractor_version,))
        self.db.commit()
        self._seen: set[str] = set()
        self._known: dict[str, str] | None = None
        self._asked = 0
        #: corpus positions of papers stored this run: new ones, and re-extracted ones
        self.new_seqs: set[int] = set()
        self.changed_seqs: set[int] = set()
        #: ids of the papers :meth:`prune` dropped
        self.pruned_ids: list[str] = []

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM papers").fetchone()[0]

    def hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, hash FROM papers"))

    def mark_seen(self, ids: Iterable[str]) -> None:
        """Papers still in the inputs though not read this run (unchanged files)."""
        self._seen.update(ids)

    def inputs(self) -> "list[FileEntry]":
        """The input files the last build read (kg.sources.InputManifest)."""
        return [pickle.loads(blob) for (blob,) in self.db.execute("SELECT entry FROM inputs ORDER BY pos")]

    def save_inputs(self, entries: "Iterable[FileEntry]") -> None:
        entries = list(entries)
        self.db.execute("DELETE FROM inputs")
        self.db.execute("DELETE FROM input_stats")
        self.db.executemany("INSERT INTO inputs VALUES (?, ?)",
                            [(i, pickle.dumps(e, protocol=pickle.HIGHEST_PROTOCOL)) for i, e in enumerate(entries)])
        self.db.executemany("INSERT INTO input_stats VALUES (?, ?, ?, ?, ?)",
                            [(i, e.path, *e.stat) for i, e in enumerate(entries)])
        self.db.commit()

    def is_current(self, rec: PaperRecord) -> bool:
        """True when ``rec`` is stored with the same content; marks it seen."""
        self._seen.add(rec.id)
        return self.stored_unchanged(rec)

    def stored_unchanged(self, rec: PaperRecord) -> bool:
        """True when ``rec`` is stored with the same content."""
        if self._known is None:
            # an update reading one day's file asks about a few papers: one look-up each, until
            # so many come that loading every hash at once is cheaper
            self._asked += 1
            if self._asked <= _LOOKUPS:
                row = self.db.execute("SELECT hash FROM papers WHERE id=?", (rec.id,)).fetchone()
                return row is not None and row[0] == content_hash(rec)
            self._known = self.hashes()
        stored = self._known.get(rec.id)
        return stored is not None and stored == content_hash(rec)  # a new paper is not hashed

    def put_all(self, items: "Iterable[Packed]") -> "Iterator[Packed]":
        """Store every extraction as it passes through (new ids go to the end).
        Items are :class:`kg.types.Packed`: pickled and hashed where they
        were extracted."""
        next_seq = self.db.execute("SELECT coalesce(max(seq), -1) + 1 FROM papers").fetchone()[0]
        batch = 0
        for item in items:
            self._seen.add(item.id)
            row = self.db.execute("UPDATE papers SET hash=?, extraction=? WHERE id=? RETURNING seq",
                                  (item.hash, item.blob, item.id)).fetchone()
            if row is None:
                self.db.execute("INSERT INTO papers VALUES (?, ?, ?, ?)", (item.id, next_seq, item.hash, item.blob))
                self.new_seqs.add(next_seq)
                next_seq += 1
            else:
                self.changed_seqs.add(row[0])
            batch += 1
            if batch >= 2000:
                self.db.commit()
                batch = 0
            yield item
        self.db.commit()

    def prune(self) -> int:
        """Drop every paper the inputs of this run did not name."""
        gone = [pid for (pid,) in self.db.execute("SELECT id FROM papers") if pid not in self._seen]
        self.db.executemany("DELETE FROM papers WHERE id=?", [(p,) for p in gone])
        self.db.commit()
        self.pruned_ids = gone
        return len(gone)

    def read(self) -> Iterator[PaperExtraction]:
        cur = self.db.cursor()
        for (blob,) in cur.execute("SELECT extraction FROM papers ORDER BY seq"):
            yield pickle.loads(blob)

    def close(self) -> None:
        self.db.close()

    # -- what an incremental build carries over --------------------------------------
    def take_state(self) -> "dict | None":
        """The state the last complete build saved for this store (the
        resolver, its handle map), removed from disk: a build that dies
        before :meth:`save_state` leaves none, and the next one starts over."""
        path = self.path.parent / STATE_FILE
        try:
            with open(path, "rb") as fh:
                state = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        finally:
            path.unlink(missing_ok=True)
        return state if isinstance(state, dict) and state.get("generation") == self.generation else None

    def save_state(self, **state) -> None:
        from .writers.atomic import atomic_write

        with atomic_write(self.path.parent / STATE_FILE, "wb") as fh:
            pickle.dump({"generation": self.generation, **state}, fh, protocol=pickle.HIGHEST_PROTOCOL)
