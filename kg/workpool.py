"""A process pool that notices a dead worker at once, whatever the worker was doing.

``concurrent.futures.ProcessPoolExecutor`` gives all its workers one result pipe. A worker killed
from outside (the OOM killer, ``kill -9``) while it writes a large result (a chunk of rendered
papers, a chunk of packed extractions: more than the pipe holds) leaves half a message in that pipe;
the executor's manager thread then waits for the rest forever, because the surviving workers keep
the pipe's write end open (and one of them waits on the lock the dead one held). A build hung so
instead of stopping with "a worker process died" (seen in CI; CPython's ``multiprocessing.Pool``
has the same fault, bpo-22393).

Here each worker has a pipe of its own for its results, whose write end only that worker holds:
when it dies the parent reads end-of-file, after half a message or none, and every pending future
fails with :class:`BrokenProcessPool` (which :func:`kg.lifetime.worker_deaths_told` turns into one
line). Tasks go out through one feeder thread per worker, so the caller never blocks writing a
task to a worker that is itself blocked writing a result. The interface is the part of
``concurrent.futures.Executor`` the build uses: ``submit``, ``shutdown`` and the ``with`` block.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import traceback
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait

log = logging.getLogger(__name__)

_STOP = None  # the message that ends a worker's loop


class _RemoteTraceback(Exception):
    """The traceback of a task that failed in a worker, attached as its exception's cause."""

    def __str__(self) -> str:
        return self.args[0]


def _worker_main(tasks, results, initializer, initargs, inherited) -> None:
    for conn in inherited:  # other workers' pipe ends, copied by fork: they must not keep those open
        conn.close()
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            msg = tasks.recv()
        except EOFError:  # the parent has gone
            return
        if msg is _STOP:
            return
        tid, fn, args = msg
        try:
            reply = (tid, True, fn(*args))
        except BaseException as exc:  # noqa: BLE001 - any failure of a task is the caller's to see
            reply = (tid, False, (exc, traceback.format_exc()))
        try:
            results.send(reply)
        except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled (nothing was written)
            results.send((tid, False, (RuntimeError(f"a task's result could not be sent: {exc!r}"),
                                       traceback.format_exc())))


class _Worker:
    """One worker process, its task queue (drained by a feeder thread) and its result pipe."""

    def __init__(self, ctx, index: int, initializer, initargs: tuple, inherited: list) -> None:
        task_r, self.task_w = ctx.Pipe(duplex=False)
        self.results, result_w = ctx.Pipe(duplex=False)
        # with fork the child holds copies of every parent-side end: it closes them first
        theirs = [*inherited, self.task_w, self.results] if ctx.get_start_method() == "fork" else []
        self.proc = ctx.Process(target=_worker_main, name=f"kg-worker-{index}",
                                args=(task_r, result_w, initializer, initargs, theirs))
        self.proc.start()
        task_r.close()
        result_w.close()  # now only the worker holds it: its death is end-of-file here
        self.index = index
        self.queue: queue.SimpleQueue = queue.SimpleQueue()
        self.load = 0  # tasks sent and not answered
        self.feeder: threading.Thread | None = None

    def feed(self, unsendable) -> None:
        while True:
            item = self.queue.get()
            try:
                self.task_w.send(item)
            except (OSError, ValueError):  # the worker has gone: the reader sees its end
                return
            except Exception as exc:  # noqa: BLE001 - pickling failed before anything was written
                unsendable(item[0], exc)
            if item is _STOP:
                return


class WorkerPool:
    """``workers`` processes from the multiprocessing context ``ctx``, started at the first
    :meth:`submit` (so that, with fork, they inherit what the caller set up before it), each running
    ``initializer(*initargs)`` first."""

    def __init__(self, workers: int, ctx, initializer=None, initargs: tuple = ()) -> None:
        self._n, self._ctx, self._initializer, self._initargs = workers, ctx, initializer, initargs
        self._workers: list[_Worker] = []
        self._pending: dict[int, tuple[Future, _Worker]] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._closing = False
        self._broken: str | None = None
        self._reader: threading.Thread | None = None

    # -- the caller's side
    def submit(self, fn, *args) -> Future:
        with self._lock:
            if self._broken:
                raise BrokenProcessPool(self._broken)
            if self._closing:
                raise RuntimeError("cannot submit to a pool that is shut down")
            if not self._workers:
                self._start()
            w = min(self._workers, key=lambda w: (w.load, w.index))
            tid = next(self._ids)
            fut: Future = Future()
            self._pending[tid] = (fut, w)
            w.load += 1
            w.queue.put((tid, fn, args))
        return fut

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """Stop the workers once they have done what was submitted; with ``cancel_futures``
        (or a broken pool), kill them now and fail what is pending. ``wait``: until they are gone."""
        with self._lock:
            self._closing = True
            kill = cancel_futures or self._broken is not None
            if kill:
                self._fail_pending(None)
            for w in self._workers:
                w.queue.put(_STOP)
        if kill:
            self._kill()
        if wait or kill:
            for w in self._workers:
                w.proc.join()
            if self._reader is not None:
                self._reader.join(10)  # it ends at every worker's end of file: bounded, in case
                if self._reader.is_alive():
                    log.warning("a worker pool's reader thread did not end")
            for w in self._workers:
                w.task_w.close()
                w.results.close()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # on an error (a dead worker, the consumer's own failure, an abandoned generator) the
        # remaining work is of no use: the workers are killed rather than waited for
        self.shutdown(wait=True, cancel_futures=exc_type is not None)

    # -- inside
    def _start(self) -> None:
        inherited: list = []
        for i in range(self._n):
            w = _Worker(self._ctx, i, self._initializer, self._initargs, inherited)
            inherited += [w.task_w, w.results]
            self._workers.append(w)
        # threads only after every fork: a child forked while a thread holds a lock inherits it held
        for w in self._workers:
            w.feeder = threading.Thread(target=w.feed, args=(self._unsendable,), daemon=True,
                                        name=f"kg-pool-feeder-{w.index}")
            w.feeder.start()
        self._reader = threading.Thread(target=self._read, daemon=True, name="kg-pool-reader")
        self._reader.start()

    def _read(self) -> None:
        live = {w.results: w for w in self._workers}
        while live:
            for conn in wait(list(live)):
                w = live[conn]
                try:
                    tid, ok, value = conn.recv()
                except (EOFError, OSError):  # the worker exited, or died (perhaps mid-message)
                    del live[conn]
                    self._ended(w)
                    continue
                self._answer(tid, ok, value)

    def _answer(self, tid: int, ok: bool, value) -> None:
        with self._lock:
            fut, w = self._pending.pop(tid, (None, None))
            if w is not None:
                w.load -= 1
        if fut is None or fut.done():
            return
        if ok:
            fut.set_result(value)
        else:
            exc, tb = value
            exc.__cause__ = _RemoteTraceback(tb)
            fut.set_exception(exc)

    def _ended(self, w: _Worker) -> None:
        w.proc.join(5)
        with self._lock:
            if self._closing and not w.load:
                return  # it stopped as told
            if self._broken is None:
                self._broken = (f"worker process {w.proc.pid} ended with exit code {w.proc.exitcode} "
                                "while the pool was in use")
                log.debug("%s", self._broken)
            self._fail_pending(BrokenProcessPool(self._broken))
        self._kill()

    def _fail_pending(self, exc: BaseException | None) -> None:
        """Called with the lock held: every pending future fails with ``exc`` (cancelled if None)."""
        for fut, w in self._pending.values():
            w.load -= 1
            if not fut.done():
                if exc is None:
                    fut.cancel()
                else:
                    fut.set_exception(exc)
        self._pending.clear()

    def _kill(self) -> None:
        for w in self._workers:
            if w.proc.exitcode is None:
                w.proc.kill()

    def _unsendable(self, tid: int, exc: BaseException) -> None:
        with self._lock:
            fut, w = self._pending.pop(tid, (None, None))
            if w is not None:
                w.load -= 1
        if fut is not None and not fut.done():
            fut.set_exception(exc)
