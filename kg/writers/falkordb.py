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
from ..graph import GRAPH_JSONL
from .atomic import atomic_write
from .cypher_model import (DEFAULT_BATCH_SIZE, ROWS_HEAD, BatchCounts, PushSummary, WriteBatch, check_label,
                           check_rel_type, grouped_batches, node_merge_statement, rel_merge_statement,
                           run_batches, schema_statements)
from .push_state import PushDelta, has_state, redact_uri, target_identity, whole_graph

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


def push_falkordb_db(outdir: str | os.PathLike[str], db: Any, graph_name: str = GRAPH_NAME,
                     batch_size: int = DEFAULT_BATCH_SIZE, target: str = "falkordb") -> PushSummary:
    """Push all of ``OUTDIR/graph.jsonl`` through an open ``falkordb.FalkorDB`` client (no state kept)."""
    with whole_graph(outdir) as graph:
        return _push_batches(db, graph_name, graph.batches(batch_size), PushSummary(target=target))


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


def push_falkordb(outdir: str | os.PathLike[str], url: str | None = None, graph_name: str = GRAPH_NAME,
                  batch_size: int = DEFAULT_BATCH_SIZE) -> PushSummary:
    """Push all of ``OUTDIR/graph.jsonl`` to the FalkorDB at ``url``, or — with no
    URL — to a local server on ``OUTDIR/.falkordb`` started for the push and
    stopped after it. Keeps no state and deletes nothing: a build's delta,
    deletions included, is :func:`push_falkordb_outdir`."""
    with falkordb_client(url, outdir) as db:
        return push_falkordb_db(outdir, db, graph_name, batch_size,
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

def write_synthetic_graph(outdir: str | os.PathLike[str], papers: int = 2000, entities_per_type: int = 400,
                          edges_per_paper: int = 8, seed: int = 7) -> Path:
    """A deterministic ``OUTDIR/graph.jsonl`` shaped like a build's, for benchmarks; returns OUTDIR."""
    import random

    from ..graph import Edge, Node
    from ..types import DEFAULT_ROLE, ENTITY_TYPES
    from .graph_jsonl import dumps

    rnd = random.Random(seed)
    ents = [Node(f"{t.lower()}/e{i}", t, f"{t} {i}", (f"{t} {i}", f"{t[:2]}{i}"))
            for t in ENTITY_TYPES for i in range(entities_per_type)]
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with atomic_write(out / GRAPH_JSONL) as fh:
        fh.writelines(dumps(n) for n in sorted(ents, key=lambda n: n.id))
        for p in range(papers):
            pid = f"paper/p{p}"
            fh.write(dumps(Node(pid, "Paper", f"Paper {p}", props={"arxiv_id": f"2401.{p:05d}",
                                                                  "date": "2024-01-01"})))
            fh.writelines(dumps(Edge(pid, e.id, DEFAULT_ROLE[e.label], {
                "evidence": f"Paper {p} uses {e.name}.", "field": "abstract", "start": 0, "end": 20,
                "confidence": 0.8, "extractor": "bench", "rule": "bench", "support": 1}))
                for e in rnd.sample(ents, edges_per_paper))   # distinct entities: one edge each
    return out


def _plain_rel_statement(source_label: str, rel_type: str, target_label: str) -> str:
    return (f"{ROWS_HEAD} MATCH (a:{check_label(source_label)} {{id: row.source}}) "
            f"MATCH (b:{check_label(target_label)} {{id: row.target}}) "
            f"MERGE (a)-[r:{check_rel_type(rel_type)}]->(b) SET r = row.props")


def bench_falkordb(outdir: str | os.PathLike[str] | None = None, url: str | None = None,
                   batch_size: int = DEFAULT_BATCH_SIZE, repeats: int = 5) -> dict[str, Any]:
    """Relationships per second written to FalkorDB by the push's own batches
    versus a plain ``UNWIND … MERGE`` of the same rows through the client alone.

    The graph is ``OUTDIR/graph.jsonl`` (default: :func:`write_synthetic_graph`).
    Each run writes into a fresh graph whose nodes (and schema) are already
    loaded, so both sides time relationship writes only; the best of
    ``repeats`` runs counts. Returns ``{"relationships", "writer_rels_per_s",
    "plain_rels_per_s", "ratio", ...}``.
    """
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        src = Path(outdir) if outdir is not None else write_synthetic_graph(Path(tmp) / "graph")
        with whole_graph(src) as graph:
            node_count, rel_count = graph.counts()
            node_batches = list(grouped_batches("node", graph.node_rows(), node_merge_statement, batch_size))
            rel_rows = list(graph.edge_rows())
    # exactly the batches a push sends, and the same rows under the plain statement
    writer_batches = list(grouped_batches("rel", rel_rows, rel_merge_statement, batch_size))
    plain_batches = list(grouped_batches("rel", rel_rows, _plain_rel_statement, batch_size))

    def fresh(db: Any, name: str) -> Any:
        if graph_exists(db, name):
            db.select_graph(name).delete()
        _push_batches(db, name, node_batches, PushSummary())
        return db.select_graph(name)

    def run_writer(db: Any, name: str) -> float:
        g = fresh(db, name)
        t0 = time.perf_counter()
        for wb in writer_batches:  # exactly what _push_batches does per batch
            res = g.query(wb.statement, {"rows": wb.rows})
            _ = (res.relationships_created, res.result_set[0][0] if res.result_set else 0)
        return time.perf_counter() - t0

    def run_plain(db: Any, name: str) -> float:
        g = fresh(db, name)
        t0 = time.perf_counter()
        for wb in plain_batches:
            g.query(wb.statement, {"rows": wb.rows})
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
        return {"relationships": rel_count, "nodes": node_count, "batch_size": batch_size,
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
