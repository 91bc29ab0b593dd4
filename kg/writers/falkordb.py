"""Write the graph into FalkorDB, query it, and benchmark the writer.

Uses the write statements of :mod:`kg.writers.cypher_model` unchanged; only
the schema statements (FalkorDB range indexes and unique constraints) differ
from the Neo4j path. A push from a build's output folder sends only the
difference from the last push to the same server and graph
(:mod:`kg.writers.push_state`), the local engine behind ``kg cypher`` included.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..lock import outdir_lock
from ..errors import ReadOnly, Unreachable
from ..falkordb_server import DATA_SUBDIR, GRAPH_NAME, LocalFalkorDB
from ..falkordb_server import falkordb_client as _raw_client
from ..graph import GRAPH_JSONL, KnowledgeGraph
from .atomic import atomic_write
from .cypher_model import (DEFAULT_BATCH_SIZE, ROWS_HEAD, BatchCounts, PushSummary, WriteBatch, batches,
                           check_label, check_rel_type, rel_groups, run_batches, schema_statements, write_batches)
from .push_state import PushDelta, has_state, redact_uri, target_identity

PUSH_MARKER = "pushed.json"


@contextlib.contextmanager
def falkordb_client(url: str | None, outdir: str | os.PathLike[str] | None):
    """:func:`kg.falkordb_server.falkordb_client`, with a server that does not
    answer, and a write sent as a read-only query, worded as one line naming
    the server (its URL without credentials)."""
    import redis

    try:
        with _raw_client(url, outdir) as db:
            yield db
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
        where = redact_uri(url) if url else f"the local FalkorDB of {outdir}"
        raise Unreachable(f"cannot reach FalkorDB at {where} ({exc}); check the URL and that a FalkorDB "
                          "server listens there") from exc
    except redis.exceptions.ResponseError as exc:
        if "read-only" in str(exc).lower() or "ro_query" in str(exc).lower():
            raise ReadOnly("read-only: kg cypher runs queries read-only and this one writes "
                           "(CREATE, MERGE, SET, DELETE…); change the graph by rebuilding and pushing it") from exc
        raise


def _ignorable_schema_error(exc: Exception) -> bool:
    msg = str(exc).lower()
    return "already" in msg or "exists" in msg


def ensure_schema(db: Any, graph_name: str = GRAPH_NAME) -> None:
    """Range indexes on ``id``/``name`` and unique ``id`` constraints (idempotent)."""
    g = db.select_graph(graph_name)
    for st in schema_statements("falkordb", graph_name):
        try:
            if st.cypher:
                g.query(st.cypher)
            else:
                db.connection.execute_command(*st.command)
        except Exception as exc:  # the falkordb client raises redis.ResponseError
            if not _ignorable_schema_error(exc):
                raise


def _push_batches(db: Any, graph_name: str, batches_: Iterable[WriteBatch], summary: PushSummary) -> PushSummary:
    t0 = time.perf_counter()
    ensure_schema(db, graph_name)
    g = db.select_graph(graph_name)

    def run(wb: WriteBatch) -> BatchCounts:
        res = g.query(wb.statement, {"rows": wb.rows})
        changed = int(res.result_set[0][0] or 0) if res.result_set else 0
        return BatchCounts(int(res.nodes_created), int(res.relationships_created), int(res.nodes_deleted),
                           int(res.relationships_deleted), int(res.properties_set), changed)

    run_batches(batches_, run, summary)
    summary.seconds = time.perf_counter() - t0
    return summary


def push_falkordb_db(graph: KnowledgeGraph, db: Any, graph_name: str = GRAPH_NAME,
                     batch_size: int = DEFAULT_BATCH_SIZE, target: str = "falkordb") -> PushSummary:
    """Push all of ``graph`` through an open ``falkordb.FalkorDB`` client (no state kept)."""
    return _push_batches(db, graph_name, write_batches(graph, batch_size), PushSummary(target=target))


def push_falkordb_delta(outdir: str | os.PathLike[str], db: Any, identity: str, graph_name: str = GRAPH_NAME,
                        batch_size: int = DEFAULT_BATCH_SIZE, full: bool = False,
                        target: str = "falkordb") -> tuple[PushSummary, str]:
    """Push a build (``OUTDIR/graph.jsonl``) through an open client: only the
    difference from the last push recorded for ``identity``. Returns the
    summary and the sha256 of the graph.jsonl pushed."""
    # A graph key that is gone (wiped, or a fresh local engine) holds none of
    # what the state says was pushed: send everything.
    full = full or not graph_exists(db, graph_name)
    with PushDelta(outdir, identity, full) as delta:
        summary = _push_batches(db, graph_name, delta.batches(batch_size),
                                PushSummary(target=target, mode=delta.mode))
    return summary, delta.sha256


def graph_exists(db: Any, graph_name: str = GRAPH_NAME) -> bool:
    return graph_name in db.list_graphs()


def push_falkordb(graph: KnowledgeGraph, url: str | None = None, outdir: str | os.PathLike[str] | None = None,
                  graph_name: str = GRAPH_NAME, batch_size: int = DEFAULT_BATCH_SIZE) -> PushSummary:
    """Push all of ``graph`` to the FalkorDB at ``url``, or — with no URL — to a
    local server on ``OUTDIR/.falkordb`` started for the push and stopped after
    it. Keeps no state: deletions need :func:`push_falkordb_outdir`."""
    with falkordb_client(url, outdir) as db:
        return push_falkordb_db(graph, db, graph_name, batch_size,
                                target=redact_uri(url) if url else f"local FalkorDB ({Path(outdir) / DATA_SUBDIR})")


def push_falkordb_outdir(outdir: str | os.PathLike[str], url: str | None = None, graph_name: str = GRAPH_NAME,
                         batch_size: int = DEFAULT_BATCH_SIZE, full: bool = False) -> PushSummary:
    """Push a build to the FalkorDB at ``url``, or — with no URL — to its local
    engine (``OUTDIR/.falkordb``): only what changed since the last push to
    that server and graph, deletions included; everything when there was none
    or ``full``. The state is kept in ``OUTDIR/.kg/pushed``."""
    out = Path(outdir)
    with outdir_lock(out, "kg push falkordb"), falkordb_client(url, out) as db:
        if not url:
            return _push_local(out, db, graph_name, batch_size, full)
        summary, _ = push_falkordb_delta(out, db, target_identity("falkordb", url, graph_name), graph_name,
                                         batch_size, full, target=redact_uri(url))
    return summary


def _push_local(out: Path, db: Any, graph_name: str, batch_size: int = DEFAULT_BATCH_SIZE,
                full: bool = False) -> PushSummary:
    """Bring the build's own engine (``OUTDIR/.falkordb``) up to date with graph.jsonl."""
    identity = target_identity("falkordb", None, graph_name)   # it lives beside the state: no URI
    # Nobody else writes to this engine, so emptying it is safe: without a
    # state (say, loaded before delta pushes existed) a complete push would
    # leave whatever left the graph since; with ``full`` it is the exact reset.
    if (full or not has_state(out, identity)) and graph_exists(db, graph_name):
        db.select_graph(graph_name).delete()
    summary, sha256 = push_falkordb_delta(out, db, identity, graph_name, batch_size, full,
                                          target=f"local FalkorDB ({out / DATA_SUBDIR})")
    _write_marker(out, graph_name, sha256)
    return summary


def _graph_digest(outdir: Path) -> str:
    h = hashlib.sha256()
    with open(outdir / GRAPH_JSONL, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_marker(outdir: Path, graph_name: str, sha256: str) -> None:
    """Record which graph.jsonl (by the digest of the bytes pushed) the local engine holds."""
    with atomic_write(outdir / DATA_SUBDIR / PUSH_MARKER) as fh:
        json.dump({"graph": graph_name, "graph_jsonl_sha256": sha256}, fh)


def _local_is_current(outdir: Path, graph_name: str) -> bool:
    try:
        marker = json.loads((outdir / DATA_SUBDIR / PUSH_MARKER).read_text())
    except (OSError, ValueError):
        return False
    return marker.get("graph") == graph_name and marker.get("graph_jsonl_sha256") == _graph_digest(outdir)


# -- querying ---------------------------------------------------------------------------------

def _cell(v: Any) -> Any:
    """Plain Python values for FalkorDB result cells (nodes/edges become maps)."""
    from falkordb import Edge as FEdge, Node as FNode, Path as FPath

    if isinstance(v, FNode):
        return {"labels": list(v.labels or []), **dict(v.properties)}
    if isinstance(v, FEdge):
        return {"type": v.relation, **dict(v.properties)}
    if isinstance(v, FPath):
        return {"nodes": [_cell(n) for n in v.nodes()], "edges": [_cell(e) for e in v.edges()]}
    if isinstance(v, list):
        return [_cell(x) for x in v]
    if isinstance(v, dict):
        return {k: _cell(x) for k, x in v.items()}
    return v


def run_query(db: Any, query: str, params: dict[str, Any] | None = None, graph_name: str = GRAPH_NAME,
              read_only: bool = True) -> tuple[list[str], list[list[Any]]]:
    g = db.select_graph(graph_name)
    res = g.ro_query(query, params) if read_only else g.query(query, params)
    header = [h[1] if isinstance(h, (list, tuple)) else str(h) for h in (res.header or [])]
    return header, [[_cell(v) for v in row] for row in res.result_set]


def query_local(outdir: str | os.PathLike[str], query: str, params: dict[str, Any] | None = None,
                url: str | None = None, graph_name: str = GRAPH_NAME,
                read_only: bool = True) -> tuple[list[str], list[list[Any]]]:
    """Run ``query`` on a build's local FalkorDB (``OUTDIR/.falkordb``), or on ``url``.

    The local engine is brought up to date with ``OUTDIR/graph.jsonl`` first
    when it has never been pushed or the build changed since the last local
    push — by a delta push, as ``kg push falkordb OUTDIR`` does.
    """
    if url:
        with falkordb_client(url, None) as db:
            return run_query(db, query, params, graph_name, read_only)
    out = Path(outdir)
    with falkordb_client(None, out) as db:
        if (out / GRAPH_JSONL).exists() and not (_local_is_current(out, graph_name) and graph_exists(db, graph_name)):
            _push_local(out, db, graph_name)
        elif not graph_exists(db, graph_name):
            raise FileNotFoundError(f"{out}: no graph here; run `kg build -o {out}` first")
        return run_query(db, query, params, graph_name, read_only)


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def format_table(header: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> str:
    """A plain-text table; newlines inside values are shown as ``\\n``."""
    def clip(s: str) -> str:
        s = s.replace("\r", "\\r").replace("\n", "\\n")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    cells = [[clip(_fmt(v)) for v in row] for row in rows]
    heads = [clip(h) for h in header]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(heads)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line, "| " + " | ".join(h.ljust(w) for h, w in zip(heads, widths)) + " |", line]
    out += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in cells]
    out.append(line)
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


# -- benchmark ------------------------------------------------------------------------------------

def synthetic_graph(papers: int = 2000, entities_per_type: int = 400, edges_per_paper: int = 8,
                    seed: int = 7) -> KnowledgeGraph:
    """A deterministic graph shaped like a build's, for benchmarks."""
    import random

    from ..graph import Edge, Node
    from ..types import DEFAULT_ROLE, ENTITY_TYPES

    rnd = random.Random(seed)
    kg = KnowledgeGraph()
    ents = []
    for t in ENTITY_TYPES:
        for i in range(entities_per_type):
            n = Node(f"{t.lower()}/e{i}", t, f"{t} {i}", (f"{t} {i}", f"{t[:2]}{i}"))
            kg.add_node(n)
            ents.append(n)
    for p in range(papers):
        pid = f"paper/p{p}"
        kg.add_node(Node(pid, "Paper", f"Paper {p}", props={"arxiv_id": f"2401.{p:05d}", "date": "2024-01-01"}))
        for e in rnd.sample(ents, edges_per_paper):
            if not kg.has_edge(pid, e.id, DEFAULT_ROLE[e.label]):
                kg.add_edge(Edge(pid, e.id, DEFAULT_ROLE[e.label], {
                    "evidence": f"Paper {p} uses {e.name}.", "field": "abstract", "start": 0, "end": 20,
                    "confidence": 0.8, "extractor": "bench", "rule": "bench", "support": 1}))
    return kg


def _plain_rel_statement(source_label: str, rel_type: str, target_label: str) -> str:
    return (f"{ROWS_HEAD} MATCH (a:{check_label(source_label)} {{id: row.source}}) "
            f"MATCH (b:{check_label(target_label)} {{id: row.target}}) "
            f"MERGE (a)-[r:{check_rel_type(rel_type)}]->(b) SET r = row.props")


def bench_falkordb(graph: KnowledgeGraph | None = None, url: str | None = None,
                   batch_size: int = DEFAULT_BATCH_SIZE, repeats: int = 5) -> dict[str, Any]:
    """Relationships per second written to FalkorDB through :func:`push_falkordb_db`
    versus a plain ``UNWIND … MERGE`` of the same rows through the client alone.

    Each run writes into a fresh graph whose nodes (and schema) are already
    loaded, so both sides time relationship writes only; the best of
    ``repeats`` runs counts. Returns ``{"relationships", "writer_rels_per_s",
    "plain_rels_per_s", "ratio", ...}``.
    """
    from .cypher_model import write_batches as _wb

    graph = graph if graph is not None else synthetic_graph()
    rel_count = graph.number_of_edges()
    node_only = KnowledgeGraph()
    for n in graph.nodes():
        node_only.add_node(n)
    groups = rel_groups(graph)

    def fresh(db: Any, name: str) -> Any:
        if graph_exists(db, name):
            db.select_graph(name).delete()
        push_falkordb_db(node_only, db, name, batch_size)
        return db.select_graph(name)

    def run_writer(db: Any, name: str) -> float:
        g = fresh(db, name)
        rel_batches = [wb for wb in _wb(graph, batch_size) if wb.kind == "rel"]
        t0 = time.perf_counter()
        for wb in rel_batches:  # exactly what push_falkordb_db does per batch
            res = g.query(wb.statement, {"rows": wb.rows})
            _ = (res.relationships_created, res.result_set[0][0] if res.result_set else 0)
        return time.perf_counter() - t0

    def run_plain(db: Any, name: str) -> float:
        g = fresh(db, name)
        work = [(_plain_rel_statement(rg.source_label, rg.type, rg.target_label), rows)
                for rg in groups for rows in batches(rg.rows, batch_size)]
        t0 = time.perf_counter()
        for stmt, rows in work:
            g.query(stmt, {"rows": rows})
        return time.perf_counter() - t0

    def measure(db: Any) -> dict[str, Any]:
        w, p = [], []
        for i in range(repeats):  # interleaved, so drift hits both sides alike
            w.append(run_writer(db, f"bench_writer_{i}"))
            p.append(run_plain(db, f"bench_plain_{i}"))
        for i in range(repeats):
            for name in (f"bench_writer_{i}", f"bench_plain_{i}"):
                db.select_graph(name).delete()
        writer_rate, plain_rate = rel_count / min(w), rel_count / min(p)
        return {"relationships": rel_count, "nodes": len(graph), "batch_size": batch_size,
                "writer_seconds": min(w), "plain_seconds": min(p),
                "writer_rels_per_s": round(writer_rate, 1), "plain_rels_per_s": round(plain_rate, 1),
                "ratio": round(writer_rate / plain_rate, 3)}

    if url:
        with falkordb_client(url, None) as db:
            return measure(db)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        with LocalFalkorDB(Path(tmp) / DATA_SUBDIR) as srv:
            db = srv.client()
            return measure(db)
