"""The build's on-disk extraction store: ``OUTDIR/.kg/extractions.sqlite``.

One row a paper: its id, its position in the corpus, a hash of its content
and its pickled :class:`~kg.types.PaperExtraction`. The store is

- the spool between the build's two passes (memory does not grow with the
  number of papers), and
- the manifest that makes ``kg build --update`` incremental: a paper whose id
  and content hash are already stored is not extracted again; a changed paper
  is re-extracted and its row replaced, so no stale edge survives; ``--prune``
  drops papers no longer in the inputs.

Rows are read back in ``seq`` order, which is the order a full build over the
same inputs would have read them in.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Iterator

from .text import stable_hash
from .types import PaperExtraction, PaperRecord

STORE_DIR = ".kg"
STORE_FILE = "extractions.sqlite"


def content_hash(rec: PaperRecord) -> str:
    """What the graph shows of a paper; the line number is not part of it."""
    d = asdict(rec)
    d.pop("line", None)
    d["source"] = Path(rec.source).name if rec.source else ""
    return stable_hash(json.dumps(d, sort_keys=True, ensure_ascii=False), 32)


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
        )
        row = self.db.execute("SELECT value FROM meta WHERE key='extractor'").fetchone()
        if row and row[0] != extractor_version:
            # A new extractor would find other things: nothing stored is reusable.
            self.db.execute("DELETE FROM papers")
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('extractor', ?)", (extractor_version,))
        self.db.commit()
        self._seen: set[str] = set()

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM papers").fetchone()[0]

    def hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, hash FROM papers"))

    def is_current(self, rec: PaperRecord, known: dict[str, str]) -> bool:
        """True when ``rec`` is stored with the same content; marks it seen."""
        self._seen.add(rec.id)
        return known.get(rec.id) == content_hash(rec)

    def put_all(self, extractions: Iterable[PaperExtraction]) -> Iterator[PaperExtraction]:
        """Store every extraction as it passes through (new ids go to the end)."""
        next_seq = self.db.execute("SELECT coalesce(max(seq), -1) + 1 FROM papers").fetchone()[0]
        batch = 0
        for ex in extractions:
            rec = ex.record
            self._seen.add(rec.id)
            blob = pickle.dumps(ex, protocol=pickle.HIGHEST_PROTOCOL)
            cur = self.db.execute("UPDATE papers SET hash=?, extraction=? WHERE id=?",
                                  (content_hash(rec), blob, rec.id))
            if cur.rowcount == 0:
                self.db.execute("INSERT INTO papers VALUES (?, ?, ?, ?)", (rec.id, next_seq, content_hash(rec), blob))
                next_seq += 1
            batch += 1
            if batch >= 2000:
                self.db.commit()
                batch = 0
            yield ex
        self.db.commit()

    def prune(self) -> int:
        """Drop every paper the inputs of this run did not name."""
        gone = [pid for (pid,) in self.db.execute("SELECT id FROM papers") if pid not in self._seen]
        self.db.executemany("DELETE FROM papers WHERE id=?", [(p,) for p in gone])
        self.db.commit()
        return len(gone)

    def read(self) -> Iterator[PaperExtraction]:
        cur = self.db.cursor()
        for (blob,) in cur.execute("SELECT extraction FROM papers ORDER BY seq"):
            yield pickle.loads(blob)

    def close(self) -> None:
        self.db.close()


def read_store(path: str | Path) -> Iterator[PaperExtraction]:
    """Every stored extraction in corpus order, on a connection of its own
    (safe in a forked writer process)."""
    db = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        for (blob,) in db.execute("SELECT extraction FROM papers ORDER BY seq"):
            yield pickle.loads(blob)
    finally:
        db.close()
