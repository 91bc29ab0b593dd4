"""Running the app: the index and the store made current, the port bound, uvicorn, clean stops.

The listening socket is bound here, before uvicorn starts, so "port in use" is a plain error the
CLI prints as one line. uvicorn turns SIGTERM and SIGINT (Ctrl-C) into a graceful shutdown, whose
last step (the app's lifespan) kills every query worker; the workers also die with this process
if it is killed outright (see :mod:`kg.serve.worker`). Nothing is left running either way.
"""

from __future__ import annotations

import errno
import logging
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..rdf import find_rdf
from ..rdf.serve import prepare_store
from ..rdf.sparql import query_prefixes
from ..writers.rdf import DEFAULT_BASE_IRI, normalize_base_iri
from .search import ensure_index
from .sparql import Limits, QueryPool

log = logging.getLogger(__name__)


class PortInUse(RuntimeError):
    pass


@dataclass(frozen=True)
class ServeOptions:
    outdir: Path
    host: str = "127.0.0.1"
    port: int = 7878
    base_iri: str | None = None
    rebuild: bool = False
    limits: Limits = Limits()


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and without
    # it a response's body segment waits for the client's delayed ACK of the headers (40 ms each)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(f"port {port} on {host} is already in use; stop what holds it or pick "
                            f"another with --port") from None
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def make_explorer(opts: ServeOptions):
    """The app's state, with the index and the store brought up to date (built when stale)."""
    from .app import Explorer

    outdir = Path(opts.outdir)
    index = ensure_index(outdir)
    store = prepare_store(outdir, opts.rebuild)
    base = normalize_base_iri(opts.base_iri or DEFAULT_BASE_IRI)
    prefixes = query_prefixes(base)
    return Explorer(index=index, pool=QueryPool(store, prefixes, opts.limits), prefixes=prefixes, base_iri=base,
                    report=outdir / "report.html")  # served at /report once `kg report` has written it


def _server_class():
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, except that a stop signal first kills the query workers (so a query in
        flight ends now, not at the graceful-shutdown timeout) and is not re-raised after the
        shutdown: a stop that was asked for exits 0. ``on_exit`` runs inside the signal handler,
        so it must take no lock (see :meth:`QueryPool.kill_now`)."""

        on_exit: Callable[[], None] = staticmethod(lambda: None)

        def handle_exit(self, sig, frame) -> None:
            super().handle_exit(sig, frame)
            self._captured_signals.clear()
            self.on_exit()

    return Server


def serve(opts: ServeOptions, echo: Callable[[str], None] = print) -> int:
    """What ``kg serve`` does: serve until SIGTERM or Ctrl-C; returns the exit status."""
    import uvicorn

    from .app import create_app

    explorer = make_explorer(opts)
    sock = bind(opts.host, opts.port)
    app = create_app(explorer)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=5, limit_concurrency=None)
    server = _server_class()(config)
    server.on_exit = explorer.pool.kill_now
    url = url_of(sock)
    echo(f"paperkg explorer over {find_rdf(opts.outdir).parent}:\n"
         f"  explorer  {url}/\n  SPARQL    {url}/sparql  (read-only; {opts.limits.workers} workers, "
         f"timeout {opts.limits.timeout:g}s)\nCtrl-C stops it.")
    try:
        server.run(sockets=[sock])
    finally:
        explorer.pool.close()
        sock.close()
    return 0 if server.started else 1
