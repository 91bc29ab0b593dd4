"""The SPARQL 1.1 Protocol endpoint, bounded: a fixed pool of query worker processes.

Every limit is a :class:`Limits` field and a ``kg serve`` option:

- ``workers`` processes (:mod:`kg.serve.worker`), each with the read-only store: at most that many
  queries evaluate at once, whatever the number of clients (no thread per request);
- ``max_queue`` requests may wait for a worker; one more is answered 503 with ``Retry-After``;
- ``timeout`` seconds per query, waiting included: a query still running then has its worker killed
  (that is what stops evaluation: pyoxigraph cannot interrupt a query) and replaced; the client
  gets 503;
- ``max_body`` bytes of request body (413 above it, before it is read);
- ``max_result`` bytes of serialised result (422 above it, cut off while the result is produced).

Read-only: updates are refused with 403; a malformed query is 400 with the parser's message.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

log = logging.getLogger(__name__)

TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Limits:
    workers: int = 2
    timeout: float = 30.0
    max_queue: int = 256
    max_body: int = 1 << 20
    max_result: int = 32 << 20


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def _text(status: int, message: str, *headers: tuple[str, str]) -> Answer:
    return Answer(status, TEXT, (message.rstrip("\n") + "\n").encode("utf-8"), headers)


_STOPPING = _text(503, "the server is stopping")


class QueryTimeout(Exception):
    pass


class Worker:
    """One worker process and our end of its socket."""

    def __init__(self, config: dict, ready_timeout: float = 60.0) -> None:
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        # the worker imports the same kg package as this process, wherever that is
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            self.process = subprocess.Popen([sys.executable, "-m", "kg.serve.worker", str(theirs.fileno()),
                                             str(os.getpid())],
                                            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL)
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send(config)
        if not self.conn.poll(ready_timeout):
            self.kill()
            raise RuntimeError(f"a SPARQL worker did not start within {ready_timeout:.0f}s")
        try:
            ready = self.conn.recv()
        except (EOFError, OSError):
            ready = None
        if ready != "ready":
            self.kill()
            raise RuntimeError(f"a SPARQL worker could not open the store {config['store']}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def ask(self, job: dict, timeout: float) -> tuple[int, str, bytes]:
        """Send one job, wait at most ``timeout`` seconds for the reply (blocking: run in a thread)."""
        self.conn.send(job)
        if not self.conn.poll(max(timeout, 0.0)):
            raise QueryTimeout()
        return self.conn.recv()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        try:
            self.conn.close()
        except OSError:
            pass


class QueryPool:
    """``limits.workers`` worker processes and a bounded queue of requests waiting for them."""

    def __init__(self, store: Path, prefixes: dict[str, str], limits: Limits) -> None:
        self.config = {"store": str(store), "prefixes": prefixes, "max_result": limits.max_result}
        self.limits = limits
        self._threads = ThreadPoolExecutor(max_workers=limits.workers + 2, thread_name_prefix="sparql")
        self._idle: asyncio.Queue[Worker] | None = None
        self._all: set[Worker] = set()
        self._waiting = 0
        self._closed = False

    def _spawn(self) -> Worker:
        w = Worker(self.config)
        if self._closed:  # started while the server stopped: do not leave it behind
            w.kill()
            raise RuntimeError("pool closed")
        self._all.add(w)
        return w

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(loop.run_in_executor(self._threads, self._spawn)
                                         for _ in range(self.limits.workers)))
        for w in workers:
            self._idle.put_nowait(w)

    @property
    def pids(self) -> list[int]:
        return sorted(w.pid for w in self._all)

    async def _replace(self, dead: Worker) -> None:
        self._all.discard(dead)
        if self._closed:
            return
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._threads, dead.kill)
            fresh = await loop.run_in_executor(self._threads, self._spawn)
        except RuntimeError as exc:  # a worker that cannot start, or the pool closed meanwhile
            if not self._closed:
                log.error("could not replace a SPARQL worker: %s", exc)
            return
        self._idle.put_nowait(fresh)

    async def run(self, job: dict) -> Answer:
        """Answer one query job within the limits."""
        assert self._idle is not None, "start() the pool first"
        timeout = self.limits.timeout
        if self._closed:
            return _STOPPING
        if self._waiting >= self.limits.max_queue:
            return _text(503, f"busy: {self._waiting} queries are waiting (kg serve --max-queue)",
                         ("Retry-After", "1"))
        t0 = time.monotonic()
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            return _text(503, f"busy: no query worker became free within {timeout:g}s", ("Retry-After", "1"))
        finally:
            self._waiting -= 1
        remaining = timeout - (time.monotonic() - t0)
        if remaining <= 0.05:  # its time went in the queue: do not start it only to kill it
            self._idle.put_nowait(worker)
            return _text(503, f"busy: no query worker became free within {timeout:g}s", ("Retry-After", "1"))
        loop = asyncio.get_running_loop()
        try:
            status, ctype, body = await loop.run_in_executor(self._threads, worker.ask, job, remaining)
        except QueryTimeout:
            log.warning("query stopped after %gs: its worker (pid %d) is replaced", timeout, worker.pid)
            asyncio.ensure_future(self._replace(worker))
            return _text(503, f"query timed out after {timeout:g}s (kg serve --timeout); it was stopped")
        except (EOFError, OSError, RuntimeError) as exc:
            if self._closed:  # the server is stopping: close() killed the worker mid-query
                return _STOPPING
            asyncio.ensure_future(self._replace(worker))
            return _text(500, f"the query worker failed ({type(exc).__name__}); it is being replaced")
        self._idle.put_nowait(worker)
        return Answer(status, ctype, body)

    def kill_now(self) -> None:
        """From a signal handler: SIGKILL every worker and take no lock (the handler may have interrupted
        this very thread inside the executor or a Popen call). :meth:`close` tidies up afterwards."""
        self._closed = True
        for w in list(self._all):
            try:
                os.kill(w.pid, 9)
            except OSError:
                pass

    def close(self) -> None:
        """Kill every worker (they hold no state worth saving)."""
        self._closed = True
        for w in list(self._all):
            w.kill()
        self._all.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)


# -- the protocol -------------------------------------------------------------------------

#: What a node's description is: its own triples and the provenance statements about it.
DESCRIBE_NODE = """CONSTRUCT { ?node ?p ?o . ?st ?sp ?so . }
WHERE { { ?node ?p ?o } UNION { ?st rdf:subject ?node ; ?sp ?so } UNION { ?st rdf:object ?node ; ?sp ?so } }"""


@dataclass(frozen=True, slots=True)
class ProtocolRequest:
    """A SPARQL protocol request, parsed: exactly one of query / update (or neither: the query page)."""

    query: str | None
    update: str | None


def parse_protocol(method: str, params: dict[str, str], content_type: str, body: bytes) -> ProtocolRequest:
    """GET ?query=, POST form (query= / update=), POST application/sparql-query|sparql-update."""
    from urllib.parse import parse_qs

    ctype = content_type.split(";")[0].strip().lower()
    query, update = params.get("query"), params.get("update")
    if method == "POST":
        if ctype == "application/sparql-query":
            query = body.decode("utf-8", "replace")
        elif ctype == "application/sparql-update":
            update = body.decode("utf-8", "replace")
        elif ctype == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            query = form.get("query", [query])[0]
            update = form.get("update", [update])[0]
    return ProtocolRequest(query, update)
