"""Child processes die with their parent.

A build's extraction workers and forked writers, and the local FalkorDB
server, must not outlive the ``kg`` process that started them: a SIGKILLed
``kg build --update`` once left two writers replacing outputs for 90 s. On
Linux the kernel does it (``prctl(PR_SET_PDEATHSIG)``, set in the child); a
watchdog thread polling the parent's PID covers other systems and the
moment between the fork and the prctl call.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
import time

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_WATCH_INTERVAL = 0.5


def _set_pdeathsig(sig: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL, watchdog: bool = True) -> None:
    """Call in a freshly forked child: it gets ``sig`` when its parent dies.
    ``parent`` is the parent's PID as the parent saw it before forking (so a
    parent that died already is noticed); with ``watchdog`` a daemon thread
    also exits the child when the parent goes (systems without prctl)."""
    parent = os.getppid() if parent is None else parent
    armed = _set_pdeathsig(sig)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if watchdog or not armed:
        threading.Thread(target=_watch, args=(parent,), name="parent-watchdog", daemon=True).start()


def _watch(parent: int) -> None:
    while True:
        time.sleep(_WATCH_INTERVAL)
        if os.getppid() != parent:
            os._exit(1)


def terminate_with_parent() -> None:
    """``preexec_fn`` for a server started with subprocess: SIGTERM (a clean
    shutdown) when the ``kg`` process that started it dies."""
    _set_pdeathsig(signal.SIGTERM)



@contextlib.contextmanager
def worker_deaths_told():
    """Around the code that submits to a :class:`kg.workpool.WorkerPool` and takes its results: a
    dead worker (the OOM killer, ``kill -9``), which breaks the pool at the next submit or result, is
    told as one line. (``multiprocessing.Pool`` and then ``ProcessPoolExecutor`` were replaced for
    this: the first never reports a dead worker's task, the second waits forever for the rest of a
    result its worker died writing; see :mod:`kg.workpool`.)"""
    from concurrent.futures.process import BrokenProcessPool

    from .errors import WorkerLost

    try:
        yield
    except BrokenProcessPool:
        raise WorkerLost("a worker process died mid-build, perhaps killed for lack of memory; the build "
                         "stopped and its outputs are as they were: run it again, with fewer workers (-j) "
                         "if memory is short") from None
