"""Locks on an output directory, so two commands never write one OUTDIR at once.

``outdir_lock(OUTDIR, "kg build")`` holds ``OUTDIR/.kg/lock`` with
``fcntl.flock`` for as long as the block runs: a second build or push into
the same directory fails at once with :class:`OutdirBusy`, whose one-line
message names the holder's PID and command (written into the lock file).
The lock belongs to the open file, so it goes away with the process however
it ends (a SIGKILL included): a stale lock file never blocks anyone.

Forked children (extraction workers, side-by-side writers) close their copy of
the descriptor right after the fork, so a child that outlives its parent for a
moment cannot keep the directory locked; the lock is nested (re-entrant)
within one process, so a build that pushes afterwards does not lock itself out.

``wait=True`` blocks instead of failing (``kg cypher`` waiting for a local
push to stop the FalkorDB engine), up to ``timeout`` seconds.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import time
from pathlib import Path
from typing import Iterator

from .errors import KgError

log = logging.getLogger(__name__)

LOCK_DIR = ".kg"
OUTDIR_LOCK = "lock"


class OutdirBusy(KgError, RuntimeError):
    """Another process holds the lock; the message is one line for the user."""


#: lock file path -> [descriptor, nesting depth] of the locks this process holds
_HELD: dict[str, list[int]] = {}


def _forget_after_fork() -> None:
    # The child shares the parent's open file description: closing its copy
    # leaves the parent's lock in place (flock is released only when every
    # copy is closed or LOCK_UN is called, which the child never does).
    for fd, _depth in _HELD.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_after_fork)


def holder(path: str | os.PathLike[str]) -> str:
    """What the lock file says about its holder ("PID 123 (kg build)"), or ""."""
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""
    pid, _, what = text.partition(" ")
    return f"PID {pid} ({what})" if pid.isdigit() and what else (f"PID {pid}" if pid.isdigit() else "")


@contextlib.contextmanager
def file_lock(path: str | os.PathLike[str], what: str, busy: str, wait: bool = False,
              timeout: float = 600.0) -> Iterator[None]:
    """Hold an exclusive flock on ``path`` (created if need be). ``busy`` is the
    message of :class:`OutdirBusy`, formatted with ``holder``."""
    path = Path(path)
    key = str(path.resolve())
    if key in _HELD:  # nested in this process
        _HELD[key][1] += 1
        try:
            yield
        finally:
            _HELD[key][1] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        _acquire(fd, path, busy, wait, timeout)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {what}\n".encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    _HELD[key] = [fd, 1]
    try:
        yield
    finally:
        _HELD.pop(key, None)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # releases the lock


def _acquire(fd: int, path: Path, busy: str, wait: bool, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
        who = holder(path) or "another kg process"
        if not wait or time.monotonic() > deadline:
            raise OutdirBusy(busy.format(holder=who))
        if not told:
            log.warning("waiting for %s to release %s", who, path)
            told = True
        time.sleep(0.1)


def outdir_lock(outdir: str | os.PathLike[str], what: str) -> contextlib.AbstractContextManager[None]:
    """Exclusive use of OUTDIR for a build or a push: fails at once when taken.
    Also finishes or discards a build transaction a killed process left behind."""
    out = Path(outdir)
    busy = (f"{out}: in use by {{holder}}, which is building or pushing it; "
            f"wait for it to finish, or stop it, then run {what} again")
    return _locked_and_recovered(out, what, busy)


@contextlib.contextmanager
def _locked_and_recovered(out: Path, what: str, busy: str) -> Iterator[None]:
    with file_lock(out / LOCK_DIR / OUTDIR_LOCK, what, busy):
        from .writers.atomic import recover

        recover(out)
        yield
