"""Atomic file writing: a temporary file beside the target, then a rename;
and a build as one transaction over all its outputs.

An interrupted run therefore leaves either the previous file or the new one,
never a truncated output (os.replace is atomic on POSIX and Windows).

**Transactions.** Inside ``with transaction(OUTDIR):`` every file written
into OUTDIR through :func:`atomic_path` / :func:`atomic_write` lands in the
staging directory ``OUTDIR/.kg/txn/`` instead (readers inside the build ask
:func:`current` for the new version). At the end of the block the list of
staged files is written to ``OUTDIR/.kg/txn/COMMIT`` (the commit point) and
the files are renamed onto their final names in one step, ``summary.json``
last. A process killed before the commit point leaves the old set untouched
(its staged files are removed by the next build); killed during the renames,
the next build or push into OUTDIR (:func:`recover`, run under the OUTDIR
lock) finishes them, so the directory holds the old set or the new set,
never a mix. Forked writers inherit the open transaction.

**Patches.** A big output whose first bytes an update leaves as they are is
staged as a *patch* (``<name>.kgpatch``: the new head, the new bytes from
some offset on, and a trailer saying where they go) instead of a whole new
file (:class:`kg.writers.segments.PatchedFile`). After the commit point the
roll-forward applies it to the file in place (:func:`apply_patch`); applying
it again gives the same bytes, so a kill among the final steps is finished
by the next build or push like the renames are.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator

log = logging.getLogger(__name__)

TXN_DIR = Path(".kg") / "txn"
COMMIT = "COMMIT"
#: Written last: a summary.json beside outputs means they are the set it describes.
LAST = ("summary.json",)
# temporaries beside a target: ".<target>.<random characters or a PID>.tmp"
_STALE_TMP = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$")

#: OUTDIR (resolved) of the transaction open in this process, if any; forks inherit it.
_ACTIVE: Path | None = None
#: Staged files this process synced before renaming them into the staging directory: the commit
#: does not sync them a second time (a forked writer's marks stay in the fork, so its files are).
_SYNCED: set[Path] = set()


def staged_path(path: str | os.PathLike[str]) -> Path | None:
    """Where ``path`` is written inside the open transaction, or None when it
    is not an output of it (no transaction, or a file outside OUTDIR's top level)."""
    if _ACTIVE is None:
        return None
    path = Path(path)
    if path.parent.resolve() != _ACTIVE:
        return None
    return _ACTIVE / TXN_DIR / path.name


def current(path: str | os.PathLike[str]) -> Path:
    """``path`` as the open transaction sees it: its staged version when it
    was written in this transaction, else the file itself."""
    staged = staged_path(path)
    return staged if staged is not None and staged.exists() else Path(path)


def mark_synced(path: str | os.PathLike[str]) -> None:
    """Say that the staged file ``path`` is durable already (synced before its rename)."""
    if _ACTIVE is not None:
        _SYNCED.add(Path(path))


def fsync_path(path: Path) -> None:
    """Sync a file or directory by its path (an error is ignored: a sync is best effort here)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def transaction(outdir: str | os.PathLike[str], last: Iterable[str] = LAST) -> Iterator[Path]:
    """Stage every output written into ``outdir`` in the block; commit them
    together when it succeeds, drop them when it fails. Not nested."""
    global _ACTIVE
    out = Path(outdir).resolve()
    if _ACTIVE is not None:
        raise RuntimeError(f"a transaction on {_ACTIVE} is already open")
    recover(out)
    txn = out / TXN_DIR
    txn.mkdir(parents=True, exist_ok=True)
    _ACTIVE = out
    _SYNCED.clear()
    try:
        yield txn
    except BaseException:
        _ACTIVE = None
        shutil.rmtree(txn, ignore_errors=True)
        raise
    _ACTIVE = None
    synced = set(_SYNCED)
    _SYNCED.clear()
    _commit(out, tuple(last), synced)


def _commit(out: Path, last: tuple[str, ...], synced: set[Path]) -> None:
    txn = out / TXN_DIR
    names = sorted(p.name for p in txn.iterdir() if p.is_file() and p.name != COMMIT and not p.name.startswith("."))
    names = [n for n in names if n not in last] + [n for n in last if n in names]
    for name in names:  # outputs written by libraries were not synced: make them durable first
        if txn / name in synced:
            continue
        with open(txn / name, "rb") as fh:
            os.fsync(fh.fileno())
    fsync_path(txn)
    tmp = txn / f".{COMMIT}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write("".join(n + "\n" for n in names))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, txn / COMMIT)  # the commit point
    fsync_path(txn)
    _roll_forward(out)


def _roll_forward(out: Path) -> None:
    txn = out / TXN_DIR
    names = (txn / COMMIT).read_text(encoding="utf-8").split()
    for name in names:
        src = txn / name
        if not src.exists():  # done before a kill
            continue
        if name.endswith(PATCH_SUFFIX):
            apply_patch(src, out / name[: -len(PATCH_SUFFIX)])
            src.unlink()
        else:
            os.replace(src, out / name)
    fsync_path(out)
    (txn / COMMIT).unlink()
    shutil.rmtree(txn, ignore_errors=True)


def recover(outdir: str | os.PathLike[str]) -> None:
    """After a process died in a build: finish a committed transaction's
    renames, or drop an uncommitted one's staged files; remove temporaries
    left beside the outputs. Call it holding the OUTDIR lock."""
    out = Path(outdir)
    txn = out / TXN_DIR
    if (txn / COMMIT).exists():
        log.warning("%s: finishing the outputs of an interrupted build", out)
        _roll_forward(out)
    elif txn.exists():
        log.info("%s: removing the unfinished outputs of an interrupted build", out)
        shutil.rmtree(txn, ignore_errors=True)
    for d in (out, out / TXN_DIR.parent):
        with contextlib.suppress(OSError):
            for entry in os.scandir(d):
                if _STALE_TMP.match(entry.name) and entry.is_file(follow_symlinks=False):
                    log.info("%s: removing a stale temporary file", entry.path)
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files 0600; outputs are meant to be shared like any other file.
_MODE = 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """For libraries that insist on writing to a path themselves: yields a
    temporary path and renames it onto ``path`` when the block succeeds."""
    path = Path(path)
    dest = staged_path(path) or path  # inside a build's transaction: staged, renamed at its commit
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _MODE)
        os.replace(tmp, dest)
        _SYNCED.discard(dest)  # a new file under that name: synced at the commit unless marked again
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """An open file whose contents replace ``path`` only when the block succeeds."""
    binary = "b" in mode
    with atomic_path(path) as tmp:
        with open(tmp, mode, encoding=None if binary else encoding, newline=None if binary else "\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
    mark_synced(staged_path(path) or path)


# -- patches: an output changed in place, after the commit point ------------------------------

PATCH_SUFFIX = ".kgpatch"
_PATCH_MAGIC = b"KGPATCH1"


@dataclass(frozen=True, slots=True)
class PatchHeader:
    """Where a patch's bytes go: its first ``head_len`` bytes at offset 0, the rest at ``at``; the
    file is then ``size`` bytes long and gets the modification time ``mtime_ns`` (which the
    layout recorded, so it trusts the patched file and only it)."""

    head_len: int
    at: int
    size: int
    mtime_ns: int


def write_patch_header(path: Path, header: PatchHeader) -> None:
    """Append the trailer describing the patch ``path`` holds, and make the patch durable."""
    meta = json.dumps(asdict(header)).encode()
    with open(path, "ab") as fh:
        fh.write(meta + len(meta).to_bytes(8, "big") + _PATCH_MAGIC)
        fh.flush()
        os.fsync(fh.fileno())


def _read_patch(fd: int) -> tuple[PatchHeader, int]:
    """A patch's header and where its trailer starts."""
    end = os.fstat(fd).st_size
    tail = os.pread(fd, 16, end - 16)
    if len(tail) != 16 or tail[8:] != _PATCH_MAGIC:
        raise OSError("not a patch")
    n = int.from_bytes(tail[:8], "big")
    meta = os.pread(fd, n, end - 16 - n)
    return PatchHeader(**json.loads(meta)), end - 16 - n


def apply_patch(patch: Path, target: Path) -> None:
    """Write the patch into ``target`` in place (its bytes between the head and the patch's offset
    stay), cut it to its new size, sync it, and set its modification time. Idempotent."""
    pfd = os.open(patch, os.O_RDONLY)
    try:
        header, body_end = _read_patch(pfd)
        tfd = os.open(target, os.O_WRONLY)
        try:
            if os.fstat(tfd).st_size < header.at:
                raise OSError(f"{target}: shorter than the patch staged for it expects")
            _copy(pfd, tfd, 0, 0, header.head_len)
            _copy(pfd, tfd, header.head_len, header.at, body_end - header.head_len)
            os.ftruncate(tfd, header.size)
            os.utime(tfd, ns=(os.fstat(tfd).st_atime_ns, header.mtime_ns))
            os.fsync(tfd)
        finally:
            os.close(tfd)
    finally:
        os.close(pfd)


def _copy(src: int, dst: int, src_at: int, dst_at: int, length: int) -> None:
    while length > 0:
        chunk = os.pread(src, min(length, 1 << 20), src_at)
        if not chunk:
            raise OSError("a patch shorter than its trailer says")
        written = os.pwrite(dst, chunk, dst_at)
        src_at, dst_at, length = src_at + written, dst_at + written, length - written
