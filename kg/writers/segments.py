"""Outputs as head + one segment a paper + tail, patched in place by ``--update``.

Every per-paper output of ``kg build`` (papers.jsonl, graph.jsonl, N-Triples,
N-Quads, Turtle) is laid out as

    head    entity nodes (and the format's header): regenerated every build
    paper   one segment for each paper, in corpus order
    ...
    tail    entity-to-entity links (and the format's footer): regenerated

and a *layout* beside the build (``OUTDIR/.kg/layout/<file>.sqlite``) records
each paper segment's length. An incremental build renders only the segments
of papers that are new, changed, or whose entities resolved differently; every
other segment is copied byte for byte from the previous file (consecutive
segments in one read), so its cost grows with the change, not the corpus —
the same idea as an append-only log with an offset index.

The layout is trusted only when it belongs to the file on disk (its size and
mtime are recorded after each write) and to the same kind of rendering (a
``key``: extractor store generation, base IRI …); otherwise every segment is
rendered again. The file is replaced atomically before its layout commits; a
crash in between leaves a layout that no longer matches, which is safe.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .atomic import PATCH_SUFFIX, PatchHeader, atomic_path, current, mark_synced, staged_path, write_patch_header

log = logging.getLogger(__name__)

LAYOUT_DIR = Path(".kg") / "layout"
_COPY_CHUNK = 1 << 20


def layout_path(outdir: str | os.PathLike[str], fname: str) -> Path:
    return Path(outdir) / LAYOUT_DIR / f"{fname}.sqlite"


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=30000")
    return db


def _stat_key(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


@dataclass(slots=True)
class Segment:
    seq: int
    start: int
    length: int
    extra: str | None


def read_layout(outdir: str | os.PathLike[str], fname: str) -> tuple[dict[str, str], Iterator[Segment]] | None:
    """A committed layout: its meta and its segments with absolute offsets, in
    corpus order; None when there is none or it does not match the file."""
    path = layout_path(outdir, fname)
    target = current(Path(outdir) / fname)  # in a build's transaction: the file it wrote
    if not path.exists() or not target.exists():
        return None
    db = _connect(path)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    if meta.get("stat") != _stat_key(target):
        db.close()
        return None

    def segments() -> Iterator[Segment]:
        pos = int(meta["head_len"])
        try:
            for seq, length, extra in db.execute("SELECT seq, len, extra FROM seg ORDER BY seq"):
                yield Segment(seq, pos, length, extra)
                pos += length
        finally:
            db.close()

    return meta, segments()


class PatchedFile:
    """Writes ``OUTDIR/fname`` as head + segments + tail, reusing the previous
    file's segments where the caller says a paper is unchanged.

    Usage: ``head(bytes)``; then for each paper in corpus order either
    ``copy_if_old(seq)`` (or ``copy_run(seqs)`` for many) or ``write(seq,
    bytes, extra)``; then ``tail(bytes)`` and ``commit()``. Papers of the old
    file that are not named again are dropped (pruned). With ``head_last``
    the head may come any time before ``commit()`` (the body waits in a
    spool file beside the target).

    **Patching in place.** When the new head is as long as the old one and
    the file's first papers are copied unchanged (an update that adds papers
    at the end, or changes only late ones), the bytes of those papers are
    already where the new file wants them: instead of a whole new file, the
    build stages a *patch* (the head, and everything from the first change
    on), which the transaction applies to the file after its commit point
    (:func:`kg.writers.atomic.apply_patch`). Until then the old file is
    untouched, so a kill still leaves the old set or the new one. A file with
    other hard links (a ``cp -al`` snapshot) is never patched in place.
    """

    def __init__(self, outdir: str | os.PathLike[str], fname: str, key: str,
                 side_tables: tuple[str, ...] = (), head_last: bool = False, reuse: bool = True) -> None:
        """``side_tables``: tables in the layout database (created by the
        caller, with a ``seq`` column) whose rows belong to one paper; they
        are cleared with the paper's segment. ``reuse=False``: ignore the
        previous file (a format whose segments depend on one another)."""
        self.outdir = Path(outdir)
        self.side_tables = side_tables
        self.fname = fname
        self.target = self.outdir / fname
        self.key = key
        lpath = layout_path(outdir, fname)
        lpath.parent.mkdir(parents=True, exist_ok=True)
        self._old_fd: int | None = None
        # the previous file's segments, in corpus order: seq, absolute start, length; extras by seq
        self._old_seq: list[int] = []
        self._old_start: list[int] = []
        self._old_len: list[int] = []
        self._old_extra: dict[int, str] = {}
        self._old_pos: dict[int, int] = {}
        self._old_head_len = 0
        self._cursor = 0  # the next old segment not yet copied nor passed over
        old = read_layout(outdir, fname)
        if old is not None and old[0].get("key") == key and reuse:
            self._load_old(old[0], old[1])
            self._old_fd = os.open(self.target, os.O_RDONLY)
        elif old is not None:
            old[1].close()  # type: ignore[attr-defined]
        self._db = _connect(lpath)
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE IF NOT EXISTS seg (seq INTEGER PRIMARY KEY, len INTEGER NOT NULL, extra TEXT);")
        self._db.execute("BEGIN")
        self.fresh = self._old_fd is None
        if self.fresh:
            self._db.execute("DELETE FROM seg")
        self._staged = staged_path(self.target)
        # in place: only inside a build's transaction (it applies the patch), never through other hard links
        self._in_place_ok = (not self.fresh and not head_last and self._staged is not None and hasattr(os, "pwrite")
                             and os.fstat(self._old_fd).st_nlink == 1)  # type: ignore[arg-type]
        self._tmp_ctx = atomic_path(self.target)
        self._tmp = self._tmp_ctx.__enter__()
        self._head: bytes | None = None
        self._spool = self._tmp.with_suffix(".body") if head_last else None
        # Unbuffered, with our own buffer: runs of old segments are copied by
        # the kernel (copy_file_range) straight between the two descriptors.
        self._fh = open(self._spool or self._tmp, "w+b" if head_last else "wb", buffering=0)
        self._pending: list[bytes] = []
        self._pending_len = 0
        self._run: list[int] | None = None  # [old start, length] of segments still to copy
        #: patching in place: the old file's bytes from the head's end up to here stay (None: not in place)
        self._keep: int | None = None
        self._prefix = False  # in place, and the body so far is the old file's own bytes
        self.head_len = 0
        self.copied = 0
        self.written = 0
        #: some old paper's rows of the side tables were deleted (it was rendered again, or is gone)
        self.old_side_changed = False
        self._segs: list[tuple[int, int, str | None]] = []

    # -- the previous file ---------------------------------------------------------
    def _load_old(self, meta: dict[str, str], segments: Iterator[Segment]) -> None:
        segments.close()  # type: ignore[attr-defined]
        # one query into flat lists: a Python object a segment would cost more than the copy itself
        db = _connect(layout_path(self.outdir, self.fname))
        try:
            rows = db.execute("SELECT seq, len FROM seg ORDER BY seq").fetchall()
            self._old_extra = dict(db.execute("SELECT seq, extra FROM seg WHERE extra IS NOT NULL"))
        finally:
            db.close()
        self._old_head_len = int(meta["head_len"])
        self._old_seq = [r[0] for r in rows]
        self._old_len = [r[1] for r in rows]
        self._old_start = list(itertools.accumulate(self._old_len, initial=self._old_head_len))[:-1]
        self._old_pos = {seq: i for i, seq in enumerate(self._old_seq)}

    def _old(self, seq: int) -> int | None:
        """The position of ``seq``'s old segment (calls come in increasing seq
        order); old segments passed over belong to papers that are gone."""
        pos = self._old_pos.get(seq)
        end = pos if pos is not None else bisect.bisect_left(self._old_seq, seq, self._cursor)
        if end > self._cursor:
            self._drop_old(self._cursor, end)
        return pos

    def _drop_old(self, lo: int, hi: int) -> None:
        gone = [(s,) for s in self._old_seq[lo:hi]]
        self.old_side_changed |= bool(gone and self.side_tables)
        self._db.executemany("DELETE FROM seg WHERE seq=?", gone)
        for t in self.side_tables:
            self._db.executemany(f"DELETE FROM {t} WHERE seq=?", gone)
        self._cursor = hi
        self._end_prefix()

    def _end_prefix(self) -> None:
        """The body's first change: from here on, the new bytes go to the patch. Unless the old
        bytes kept are less than half the file: a patch would then write more than a new file
        (everything after the change, twice), so the kept bytes are copied after all."""
        if not self._prefix:
            return
        self._prefix = False
        assert self._keep is not None and self._run is None and self._old_fd is not None
        if self._keep - self.head_len < os.fstat(self._old_fd).st_size // 2:
            kept, self._keep = self._keep - self.head_len, None
            if kept:
                self._run = [self.head_len, kept]

    def _out(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_len += len(data)
        if self._pending_len >= _COPY_CHUNK:
            self._drain()

    def _drain(self) -> None:
        if not self._pending:
            return
        view = memoryview(b"".join(self._pending))
        self._pending, self._pending_len = [], 0
        while view:
            view = view[self._fh.write(view):]

    def _flush_run(self) -> None:
        if self._run is None:
            return
        start, length = self._run
        self._run = None
        assert self._old_fd is not None
        self._drain()
        out = self._fh.fileno()
        while length > 0:
            try:
                n = os.copy_file_range(self._old_fd, out, length, start)
            except (AttributeError, OSError):  # not Linux, or a filesystem that cannot: copy by hand
                chunk = os.pread(self._old_fd, min(length, _COPY_CHUNK), start)
                n = len(chunk)
                if n:
                    self._out(chunk)
                    self._drain()
            if n == 0:
                raise OSError(f"{self.target}: shorter than its layout says; rebuild without --update")
            start += n
            length -= n

    def old_seqs(self) -> frozenset[int]:
        """The papers whose previous segment may be copied (call before writing any)."""
        return frozenset(self._old_seq)

    @property
    def db(self) -> sqlite3.Connection:
        """The layout database, inside this file's transaction."""
        return self._db

    def create_side_tables(self, ddl: str) -> None:
        """Run ``ddl`` (CREATE … IF NOT EXISTS); when the file is written afresh
        the side tables are dropped first, so a layout from another version
        of the schema cannot linger."""
        if self.fresh:
            for t in self.side_tables:
                self._db.execute(f"DROP TABLE IF EXISTS {t}")
        # one statement at a time: executescript() would commit the open transaction
        for statement in filter(str.strip, ddl.split(";")):
            self._db.execute(statement)

    def clear_side(self, seq: int) -> None:
        self.old_side_changed |= bool(self.side_tables) and seq in self._old_pos
        for t in self.side_tables:
            self._db.execute(f"DELETE FROM {t} WHERE seq=?", (seq,))

    # -- writing ---------------------------------------------------------------------
    def head(self, data: bytes) -> None:
        if self._spool is not None:
            self._head = data
        else:
            self._out(data)
            if self._in_place_ok and len(data) == self._old_head_len and self._cursor == 0:
                self._keep, self._prefix = len(data), True
        self.head_len = len(data)

    def copy(self, seq: int) -> None:
        if not self.copy_if_old(seq):
            raise KeyError(f"{self.fname}: no previous segment for paper #{seq}")

    def copy_if_old(self, seq: int) -> Segment | None:
        """Copy the paper's previous segment if there is one (the common case
        of an update, so it is one call); returns it (its ``extra`` too)."""
        pos = self._old(seq)
        if pos is None:
            return None
        self._copy_span(pos, pos)
        return Segment(seq, self._old_start[pos], self._old_len[pos], self._old_extra.get(seq))

    def copy_run(self, seqs: Sequence[int]) -> list[str]:
        """Copy the previous segments of ``seqs`` (increasing, each one of :meth:`old_seqs`);
        returns their extras that are not None, in order."""
        if not seqs:
            return []
        first, last = self._old(seqs[0]), self._old_pos.get(seqs[-1])
        if first is not None and last is not None and last - first + 1 == len(seqs):
            # the old file's segments first..last, with none between them gone: one stretch of bytes
            self._copy_span(first, last)
            self.copied += len(seqs) - 1
            return [self._old_extra[s] for s in self._old_seq[first:last + 1] if s in self._old_extra] \
                if self._old_extra else []
        extras = []
        for seq in seqs:
            pos = self._old(seq)
            if pos is None:
                raise KeyError(f"{self.fname}: no previous segment for paper #{seq}")
            self._copy_span(pos, pos)
            if (x := self._old_extra.get(seq)) is not None:
                extras.append(x)
        return extras

    def _copy_span(self, first: int, last: int) -> None:
        """Copy the old segments at positions first..last (consecutive in the old file)."""
        start = self._old_start[first]
        length = self._old_start[last] + self._old_len[last] - start
        self._cursor = last + 1
        self.copied += 1
        if self._prefix and start == self._keep:  # in place, and still the old file's bytes: nothing to write
            self._keep += length
            return
        run = self._run
        if run is not None and run[0] + run[1] == start:
            run[1] += length
        else:
            self._flush_run()
            self._run = [start, length]

    def write(self, seq: int, data: bytes, extra: str | None = None) -> None:
        pos = self._old(seq)  # drops passed-over old segments
        if pos is not None:
            self._cursor = pos + 1
        self._end_prefix()
        self._flush_run()
        self._out(data)
        if not self.fresh:
            self.clear_side(seq)
        self._segs.append((seq, len(data), extra))  # inserted in batches: a statement a paper is slow
        if len(self._segs) >= 1000:
            self._insert_segs()
        self.written += 1

    def _insert_segs(self) -> None:
        self._db.executemany("INSERT OR REPLACE INTO seg VALUES (?, ?, ?)", self._segs)
        self._segs.clear()

    def end_papers(self) -> None:
        """No more papers: every old segment not reached belongs to a paper that is gone."""
        if self._cursor < len(self._old_seq):
            self._drop_old(self._cursor, len(self._old_seq))

    def tail(self, data: bytes) -> None:
        self.end_papers()
        self._end_prefix()
        self._flush_run()
        self._out(data)

    @property
    def size(self) -> int:
        """The new file's size (after :meth:`tail`)."""
        self._drain()
        written = self._fh.tell() + (len(self._head) if self._spool is not None and self._head else 0)
        if self._keep is not None:  # the patch holds the head, then everything from self._keep on
            return self._keep + written - self.head_len
        return written

    def commit(self) -> None:
        self._drain()
        if self._spool is not None:
            self._prepend_head()
        size = self.size
        if self._keep is not None:
            stat = self._stage_patch(size)
        else:
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._close_old()
            self._tmp_ctx.__exit__(None, None, None)
            mark_synced(current(self.target))
            stat = _stat_key(current(self.target))
        self._insert_segs()
        meta = {"key": self.key, "head_len": str(self.head_len), "stat": stat}
        self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        self._db.execute("COMMIT")
        self._db.close()
        log.debug("%s: %d segments rendered, %d copied%s", self.fname, self.written, self.copied,
                  f", patched in place from byte {self._keep}" if self._keep is not None else "")

    def _stage_patch(self, size: int) -> str:
        """The temporary file (head, then the bytes from ``_keep`` on) becomes the staged patch;
        returns the stat the patched file will have (its mtime is set by the patch)."""
        assert self._keep is not None and self._staged is not None and self._old_fd is not None
        # the kernel's clock, as the files written after this one will have (the explorer's index
        # must not look older than graph.jsonl); never the old file's stat
        mtime = max(os.fstat(self._fh.fileno()).st_mtime_ns, os.fstat(self._old_fd).st_mtime_ns + 1)
        self._fh.close()
        self._close_old()
        write_patch_header(self._tmp, PatchHeader(self.head_len, self._keep, size, mtime))  # (synced)
        patch = self._staged.with_name(self._staged.name + PATCH_SUFFIX)
        os.replace(self._tmp, patch)
        mark_synced(patch)
        with contextlib.suppress(RuntimeError):  # the temporary file is gone already: nothing to rename
            self._tmp_ctx.__exit__(RuntimeError, RuntimeError("staged as a patch"), None)
        return f"{size}:{mtime}"

    def _prepend_head(self) -> None:
        """head + the spooled body into the temporary file (a kernel copy)."""
        if self._head is None:
            raise RuntimeError(f"{self.fname}: no head written")
        body, size = self._fh, self._fh.tell()
        self._fh = open(self._tmp, "wb", buffering=0)
        self._out(self._head)
        self._drain()
        self._run = [0, size]
        self._old_fd, saved = body.fileno(), self._old_fd
        try:
            self._flush_run()
        finally:
            self._old_fd = saved
            body.close()
            os.unlink(self._spool)
            self._spool = None

    def abort(self) -> None:
        """Leave the previous file and layout as they were."""
        self._fh.close()
        if self._spool is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._spool)
        self._close_old()
        with contextlib.suppress(RuntimeError):  # atomic_path removes the temporary file
            self._tmp_ctx.__exit__(RuntimeError, RuntimeError("aborted"), None)
        self._db.execute("ROLLBACK")
        self._db.close()

    def _close_old(self) -> None:
        if self._old_fd is not None:
            os.close(self._old_fd)
            self._old_fd = None

    def __enter__(self) -> "PatchedFile":
        return self

    def __exit__(self, exc_type, exc, _tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
