"""The explorer and the SPARQL endpoint as one Starlette application.

Routes (one table, :data:`ROUTES` at the bottom):

- ``/`` home: counts by type, search answering as you type, the most connected entities per type;
- ``/search?q=&type=`` ranked search over names, aliases and titles (HTML, or JSON on
  ``Accept: application/json`` / ``format=json``);
- ``/sparql`` (and ``/query``) the SPARQL 1.1 Protocol; ``/update`` refuses (read-only);
- ``/<node id>`` every node at its IRI's path under the base IRI, by content negotiation: the page
  (``text/html``) or the node's description in Turtle, N-Triples or JSON-LD;
- ``/static/…`` the vendored scripts (cytoscape.js) and the style sheet.

Pages are Jinja2 templates with autoescaping on: every value is escaped where it is rendered.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..resources import data_dir
from . import nodes as N
from .search import LABELS, connect, search
from .sparql import DESCRIBE_NODE, Answer, Limits, QueryPool, parse_protocol
from .worker import negotiate

NODE_FORMATS = {"text/html": "html", "text/turtle": "turtle", "application/n-triples": "ntriples",
                "application/ld+json": "jsonld"}
_FORMAT_PARAM = {"html": "text/html", "ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
                 "ntriples": "application/n-triples", "jsonld": "application/ld+json", "json": "application/ld+json"}
SEARCH_LIMIT = 20


@dataclass
class Example:
    name: str
    title: str
    query: str


def load_examples() -> list[Example]:
    """The researcher questions shipped in kg/serve/queries (a copy of scripts/queries, kept identical by a test)."""
    out = []
    for path in sorted(data_dir("serve", "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        out.append(Example(path.stem, first.lstrip("# ").strip() or path.stem, text))
    return out


@dataclass
class Explorer:
    """What every request needs: the index, the query pool, the prefixes, the templates."""

    index: Path
    pool: QueryPool
    prefixes: dict[str, str]
    base_iri: str
    examples: list[Example] = field(default_factory=load_examples)
    report: Path | None = None
    _local: threading.local = field(default_factory=threading.local)

    def __post_init__(self) -> None:
        self.templates = Environment(loader=FileSystemLoader(str(data_dir("serve", "templates"))),
                                     autoescape=select_autoescape(default=True, default_for_string=True))
        self.templates.globals.update(node_path=N.node_path, labels=LABELS)

    def db(self):
        """This thread's read-only connection to the index."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.index)
        return conn

    def page(self, name: str, status: int = 200, **context) -> HTMLResponse:
        html = self.templates.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)


def _explorer(request: Request) -> Explorer:
    return request.app.state.explorer


def _answer(a: Answer) -> Response:
    return Response(a.body, status_code=a.status, media_type=None,
                    headers={"Content-Type": a.content_type, **dict(a.headers)})


async def home(request: Request) -> Response:
    ex = _explorer(request)
    view = await run_in_threadpool(lambda: N.home_view(ex.db()))
    return ex.page("home.html", view=view)


def _wants_json(request: Request) -> bool:
    if request.query_params.get("format") == "json":
        return True
    return negotiate(request.headers.get("accept", ""), {"text/html": 1, "application/json": 1},
                     "text/html") == "application/json"


async def search_route(request: Request) -> Response:
    ex = _explorer(request)
    q = request.query_params.get("q", "")[:200]
    label = request.query_params.get("type") or None
    try:
        limit = min(max(int(request.query_params.get("limit", SEARCH_LIMIT)), 1), 100)
    except ValueError:
        limit = SEARCH_LIMIT
    try:
        hits = await run_in_threadpool(search, ex.db(), q, label, limit)
    except ValueError as exc:
        return PlainTextResponse(str(exc), status_code=400)
    if _wants_json(request):
        return JSONResponse({"q": q, "type": label, "results": [
            dict(h.to_json(), href=N.node_path(h.id)) for h in hits]})
    return ex.page("search.html", q=q, type=label, hits=hits)


async def _read_body(request: Request, cap: int) -> bytes | None:
    """The request body, or None when it is longer than ``cap`` (not read further)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > cap:
                return None
        except ValueError:
            return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def sparql_route(request: Request) -> Response:
    ex = _explorer(request)
    body = b""
    if request.method == "POST":
        body = await _read_body(request, ex.pool.limits.max_body)
        if body is None:
            return PlainTextResponse(f"request body larger than {ex.pool.limits.max_body:,} bytes "
                                     "(kg serve --max-body-kb)\n", status_code=413)
    parsed = parse_protocol(request.method, dict(request.query_params), request.headers.get("content-type", ""), body)
    if parsed.update is not None:
        return PlainTextResponse("read-only: this endpoint does not accept SPARQL updates\n", status_code=403)
    if parsed.query is None:
        if request.method == "GET" and "text/html" in request.headers.get("accept", "text/html"):
            return ex.page("sparql.html", examples=ex.examples, prefixes=ex.prefixes, base_iri=ex.base_iri)
        return PlainTextResponse("missing the `query` parameter\n", status_code=400)
    return _answer(await ex.pool.run({"query": parsed.query, "accept": request.headers.get("accept", "")}))


async def update_route(request: Request) -> Response:
    return PlainTextResponse("read-only: this endpoint does not accept SPARQL updates\n", status_code=403)


def _node_media(request: Request) -> str | None:
    fmt = request.query_params.get("format")
    if fmt:
        return _FORMAT_PARAM.get(fmt)
    return negotiate(request.headers.get("accept", ""), NODE_FORMATS, "text/html")


async def node_route(request: Request) -> Response:
    ex = _explorer(request)
    node_id = request.path_params["node"]
    node = await run_in_threadpool(N.get_node, ex.db(), node_id)
    if node is None:
        return ex.page("error.html", status=404, title="Not found",
                       message=f"There is no node {node_id} in this graph.")
    media = _node_media(request)
    if media is None:
        return PlainTextResponse("not acceptable: offer text/html, text/turtle, application/n-triples or "
                                 "application/ld+json\n", status_code=406)
    if media != "text/html":
        answer = await ex.pool.run({"query": DESCRIBE_NODE, "accept": media,
                                    "iris": {"node": ex.base_iri + node_path_tail(node_id)}})
        resp = _answer(answer)
        resp.headers["Vary"] = "Accept"
        return resp
    if node.label == "Paper":
        view = await run_in_threadpool(N.paper_view, ex.db(), node)
        resp = ex.page("paper.html", view=view, iri=ex.base_iri + node_path_tail(node_id))
    else:
        view = await run_in_threadpool(N.entity_view, ex.db(), node)
        resp = ex.page("entity.html", view=view, iri=ex.base_iri + node_path_tail(node_id))
    resp.headers["Vary"] = "Accept"
    return resp


def node_path_tail(node_id: str) -> str:
    return N.node_path(node_id)[1:]


async def report_route(request: Request) -> Response:
    ex = _explorer(request)
    if ex.report is None or not ex.report.is_file():
        return ex.page("error.html", status=404, title="No report",
                       message="Run `kg report OUTDIR -o OUTDIR/report.html` to make one.")
    return HTMLResponse(ex.report.read_text(encoding="utf-8"))


async def favicon(request: Request) -> Response:
    return Response(status_code=204)


ROUTES = [
    Route("/", home),
    Route("/search", search_route),
    Route("/sparql", sparql_route, methods=["GET", "POST"]),
    Route("/query", sparql_route, methods=["GET", "POST"]),
    Route("/update", update_route, methods=["GET", "POST"]),
    Route("/report", report_route),
    Route("/favicon.ico", favicon),
    Mount("/static", app=StaticFiles(directory=str(data_dir("serve", "static"))), name="static"),
    Route("/{node:path}", node_route),
]


def create_app(explorer: Explorer) -> Starlette:
    @contextlib.asynccontextmanager
    async def lifespan(app):
        await explorer.pool.start()
        try:
            yield
        finally:
            explorer.pool.close()

    app = Starlette(routes=ROUTES, lifespan=lifespan)
    app.state.explorer = explorer
    return app

