"""The build's process pool (kg.workpool): a worker that dies while writing its result fails the
pending work at once (ProcessPoolExecutor waited forever for the rest of the message), results
come back per task, a task's error reaches the caller, and big tasks and results do not deadlock."""

from __future__ import annotations

import gc
import multiprocessing
import os
import struct
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection

import pytest

from kg.workpool import WorkerPool

FORK = multiprocessing.get_context("fork")


def _die_mid_result() -> None:
    """Write the start of a message (a header announcing a megabyte, then ten bytes) on this
    worker's result pipe, the only writable connection a worker holds, and die: what a worker
    killed while sending a large result leaves behind."""
    (conn,) = [c for c in gc.get_objects() if isinstance(c, Connection) and not c.closed and c.writable]
    os.write(conn.fileno(), struct.pack("!i", 1 << 20) + b"0123456789")
    os._exit(9)


def _echo(x):
    return x


def _size(blob: bytes) -> bytes:
    return b"r" * len(blob)


def _fail(msg: str):
    raise ValueError(msg)


def _children() -> list[int]:
    return [p.pid for p in multiprocessing.active_children()]


def test_a_worker_dying_mid_result_breaks_the_pool_instead_of_hanging():
    pool = WorkerPool(2, FORK)
    try:
        slow = [pool.submit(_echo, i) for i in range(4)]
        doomed = pool.submit(_die_mid_result)
        with pytest.raises(BrokenProcessPool):
            doomed.result(timeout=60)
        with pytest.raises(BrokenProcessPool):
            pool.submit(_echo, 1)
        assert all(f.done() for f in slow)
    finally:
        pool.shutdown(cancel_futures=True)
    assert not _children()  # the other worker was killed and reaped


def test_results_come_back_per_task_and_a_task_error_reaches_the_caller():
    with WorkerPool(2, FORK) as pool:
        futures = [pool.submit(_echo, i) for i in range(20)]
        failing = pool.submit(_fail, "no such paper")
        assert [f.result(timeout=60) for f in futures] == list(range(20))
        with pytest.raises(ValueError, match="no such paper") as err:
            failing.result(timeout=60)
        assert "_fail" in str(err.value.__cause__)  # the worker's traceback comes along
    assert not _children()


def test_tasks_and_results_larger_than_a_pipe_do_not_deadlock():
    # every worker gets several tasks of 3 MB at once and answers each with 3 MB: the caller must
    # never block sending while a worker blocks sending back
    blob = b"t" * (3 << 20)
    with WorkerPool(2, FORK) as pool:
        futures = [pool.submit(_size, blob) for _ in range(8)]
        assert all(f.result(timeout=120) == b"r" * len(blob) for f in futures)
    assert not _children()
