"""A SPARQL query worker: one process holding the read-only Oxigraph store, answering one query at a
time over a socket (``multiprocessing.connection`` framing) for :class:`kg.serve.sparql.QueryPool`.

Why a process: pyoxigraph cannot interrupt a running query, so the only timeout that really stops
evaluation is killing the process that runs it; the pool does that and starts a fresh worker.
The worker dies with its parent (``PR_SET_PDEATHSIG`` on Linux, and it exits when the socket
closes), ignores Ctrl-C (the parent stops it), and serialises the result itself into a buffer
capped at ``max_result`` bytes, so a huge result is cut off while it is being computed.

Run as ``python -m kg.serve.worker FD PARENT_PID``; the first message on FD is the configuration.
"""

from __future__ import annotations

import io
import os
import signal
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

from ..lifetime import die_with_parent

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
DEFAULT_RESULTS = "application/sparql-results+json"
DEFAULT_GRAPH = "text/turtle"


class ResultTooLarge(Exception):
    pass


class _Capped(io.RawIOBase):
    """A write-only buffer that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.buf = bytearray()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        if len(self.buf) + len(b) > self.limit:
            raise ResultTooLarge()
        self.buf += b
        return len(b)


def negotiate(accept: str, offered: dict, default: str) -> str | None:
    """The media type of ``offered`` the Accept header prefers (q-values honoured, ``*/*`` = default);
    None when it accepts none of them."""
    choices = []
    for i, part in enumerate((accept or "*/*").split(",")):
        bits = [b.strip() for b in part.split(";")]
        media, q = bits[0].lower(), 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, i, media))
    for _, _, media in sorted(choices):
        if media in offered:
            return media
        if media in ("*/*", "*") or (media.endswith("/*") and default.startswith(media[:-1])):
            return default
    return None


def answer(store: ox.Store, job: dict, cfg: dict) -> tuple[int, str, bytes]:
    """(HTTP status, content type, body) for one query."""
    subs = {ox.Variable(k): ox.NamedNode(v) for k, v in (job.get("iris") or {}).items()}
    try:
        result = store.query(job["query"], prefixes=cfg["prefixes"], use_default_graph_as_union=True,
                             substitutions=subs or None)
    except SyntaxError as exc:
        return 400, "text/plain; charset=utf-8", str(exc).encode("utf-8")
    out = _Capped(cfg["max_result"])
    try:
        if isinstance(result, ox.QueryTriples):
            media = negotiate(job.get("accept", ""), GRAPH_FORMATS, DEFAULT_GRAPH)
            if media is None:
                return 406, "text/plain; charset=utf-8", b"no acceptable RDF format; try text/turtle"
            fmt = GRAPH_FORMATS[media]
            ox.serialize(result, out, fmt, prefixes=cfg["prefixes"] if fmt == ox.RdfFormat.TURTLE else None)
        else:
            media = negotiate(job.get("accept", ""), RESULT_FORMATS, DEFAULT_RESULTS)
            if media is None:
                return 406, "text/plain; charset=utf-8", b"no acceptable results format; try application/sparql-results+json"
            result.serialize(out, RESULT_FORMATS[media])
    except ResultTooLarge:
        return 422, "text/plain; charset=utf-8", (
            f"the result is larger than the endpoint's cap of {cfg['max_result']:,} bytes "
            "(kg serve --max-result-mb); add a LIMIT").encode("utf-8")
    except OSError as exc:  # a query evaluation error surfaces from the lazy iterator
        return 500, "text/plain; charset=utf-8", str(exc).encode("utf-8")
    charset = "; charset=utf-8" if not media.startswith("application/ld") else ""
    return 200, media + charset, bytes(out.buf)


def main(fd: int, parent: int) -> None:
    die_with_parent(parent)  # PR_SET_PDEATHSIG, and a watchdog for the moment before it is armed
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(fd)
    cfg = conn.recv()
    store = ox.Store.read_only(cfg["store"])
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the pool closed the socket, or died
        try:
            reply = answer(store, job, cfg)
        except Exception as exc:  # never let one query take the worker down silently
            reply = (500, "text/plain; charset=utf-8", f"{type(exc).__name__}: {exc}".encode("utf-8"))
        conn.send(reply)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
    os._exit(0)
