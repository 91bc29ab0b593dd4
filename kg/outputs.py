"""The writing phase of ``kg build``: every output from the extraction store.

papers.jsonl and graph.jsonl are rendered from stored extractions and the
resolver; N-Triples, N-Quads and Turtle are converted from graph.jsonl. All
five are :class:`~kg.writers.segments.PatchedFile` s: head (entities), one
segment a paper, tail (links). A build renders the segments of the papers in
``dirty`` (``None``: all) and copies every other one from the previous file,
so ``kg build --update`` costs what changed. JSON-LD, RDF/XML and GraphML are
converted whole from graph.jsonl.

graph.jsonl's layout database also keeps, per paper, what the tail and the
next incremental build need without re-reading extractions: the links the
paper states, its edges to Model nodes (checkpoint-family evidence), its
resolver handles (to find papers whose entities resolved differently) and its
edge counts.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .graph import GRAPH_JSONL, Edge, LinkTable, Node, entity_nodes, model_node_ids, paper_graph
from .resolve import Resolver
from .types import ROLES, PaperExtraction
from .writers.graph_jsonl import dumps
from .writers.papers_jsonl import paper_json
from .writers.atomic import current
from .writers.segments import PatchedFile, layout_path, read_layout

PAPERS_JSONL = "papers.jsonl"
#: Part of every layout's key: a new version of what the layouts hold makes the next build render afresh.
LAYOUT_VERSION = 2

_COUNTED = ROLES  # the edge types of paper segments, one count column each
# Narrow tables, so the tail's totals and aggregates are single SQL queries
# rather than a Python pass over every paper.
_SIDE_DDL = f"""
CREATE TABLE IF NOT EXISTS paper_side (seq INTEGER PRIMARY KEY, pid TEXT NOT NULL, handles TEXT NOT NULL,
                                       mentions INTEGER NOT NULL, {", ".join(f"n_{t} INTEGER" for t in _COUNTED)});
CREATE TABLE IF NOT EXISTS paper_links (seq INTEGER NOT NULL, pid TEXT NOT NULL, head TEXT NOT NULL,
                                        type TEXT NOT NULL, tail TEXT NOT NULL, confidence REAL, prov TEXT);
CREATE INDEX IF NOT EXISTS paper_links_seq ON paper_links (seq);
CREATE TABLE IF NOT EXISTS paper_models (seq INTEGER NOT NULL, pid TEXT NOT NULL, target TEXT NOT NULL, prov TEXT);
CREATE INDEX IF NOT EXISTS paper_models_seq ON paper_models (seq);
"""
_SIDE_TABLES = ("paper_side", "paper_links", "paper_models")
_HANDLE_SEP = "\x1f"
_MODEL_PROV = ("evidence", "field", "start", "end", "extractor")


@dataclass(frozen=True, slots=True)
class WritePlan:
    outdir: Path
    store_path: Path
    extractor_version: str
    #: what the layouts must have been written with to be reused
    key: str
    #: corpus positions (``seq``) of the papers whose segments must be rendered; None: all
    dirty: frozenset[int] | None


def _papers(plan: WritePlan, pf: PatchedFile) -> Iterator[tuple[int, PaperExtraction]]:
    """(seq, extraction) in corpus order of the papers to render; every other
    paper's previous segment is copied into ``pf`` on the way."""
    db = sqlite3.connect(f"file:{plan.store_path}?mode=ro", uri=True)
    try:
        if plan.dirty is None or pf.fresh:
            for seq, blob in db.execute("SELECT seq, extraction FROM papers ORDER BY seq"):
                yield seq, pickle.loads(blob)
            return
        fetch = db.cursor()
        dirty = plan.dirty
        for (seq,) in db.execute("SELECT seq FROM papers ORDER BY seq"):
            if seq not in dirty and pf.copy_if_old(seq):
                continue  # copied
            else:
                (blob,) = fetch.execute("SELECT extraction FROM papers WHERE seq=?", (seq,)).fetchone()
                yield seq, pickle.loads(blob)
    finally:
        db.close()


def write_papers(plan: WritePlan, resolver: Resolver) -> int:
    """papers.jsonl: each paper's extraction with the node every entity resolved to."""
    with PatchedFile(plan.outdir, PAPERS_JSONL, plan.key) as pf:
        pf.head(b"")
        for seq, ex in _papers(plan, pf):
            line = json.dumps(paper_json(ex, lambda e: resolver.lookup(e).node_id, plan.extractor_version),
                              ensure_ascii=False) + "\n"
            pf.write(seq, line.encode("utf-8"))
        pf.tail(b"")
        n = pf.copied + pf.written


@dataclass(slots=True)
class GraphCounts:
    papers: int
    nodes: dict[str, int]
    edges: dict[str, int]
    mentions: int
    #: output name -> file name (filled in by the build)
    outputs: dict[str, str] = field(default_factory=dict)


def write_graph(plan: WritePlan, resolver: Resolver) -> GraphCounts:
    """graph.jsonl: entity nodes, each paper with its edges, then the links."""
    models = model_node_ids(resolver)
    with PatchedFile(plan.outdir, GRAPH_JSONL, plan.key, side_tables=_SIDE_TABLES) as pf:
        pf.create_side_tables(_SIDE_DDL)
        db = pf.db
        nodes = Counter()
        head = []
        for node in entity_nodes(resolver):
            nodes[node.label] += 1
            head.append(dumps(node))
        pf.head("".join(head).encode("utf-8"))
        side_sql = f"INSERT INTO paper_side VALUES ({', '.join('?' * (4 + len(_COUNTED)))})"
        for seq, ex in _papers(plan, pf):
            pg = paper_graph(ex, resolver, plan.extractor_version)
            pf.write(seq, "".join(map(dumps, [pg.node, *pg.edges])).encode("utf-8"))
            pid = pg.paper_id
            counts = Counter(e.type for e in pg.edges)
            handles = _HANDLE_SEP.join(sorted({resolver.handle(e) for e in ex.entities}))
            db.execute(side_sql, (seq, pid, handles, pg.mentions, *(counts[t] for t in _COUNTED)))
            if pg.links:
                db.executemany("INSERT INTO paper_links VALUES (?, ?, ?, ?, ?, ?, ?)",
                               [(seq, pid, *key, prov["confidence"], json.dumps(prov)) for key, prov in pg.links])
            rows = [(seq, pid, e.target, json.dumps({k: e.props[k] for k in _MODEL_PROV}))
                    for e in pg.edges if e.target in models]
            if rows:
                db.executemany("INSERT INTO paper_models VALUES (?, ?, ?, ?)", rows)
        pf.end_papers()  # side rows of pruned papers go before the totals are taken
        papers, mentions, *role_counts = db.execute(
            f"SELECT count(*), coalesce(sum(mentions), 0), {', '.join(f'coalesce(sum(n_{t}), 0)' for t in _COUNTED)} "
            "FROM paper_side").fetchone()
        edges: Counter[str] = Counter({t: n for t, n in zip(_COUNTED, role_counts) if n})
        table = LinkTable()
        # SQLite takes a bare column of a min() aggregate from the row holding the minimum:
        # the provenance of the smallest paper id, as LinkTable.add_link keeps it.
        best = {(h, t, tl): (n, conf) for h, t, tl, n, conf in db.execute(
            "SELECT head, type, tail, count(*), max(confidence) FROM paper_links GROUP BY head, type, tail")}
        for h, t, tl, first, prov in db.execute(
                "SELECT head, type, tail, min(pid), prov FROM paper_links GROUP BY head, type, tail"):
            support, confidence = best[(h, t, tl)]
            table.links[(h, t, tl)] = [support, first, {**json.loads(prov), "confidence": confidence}]
        for target, first, prov in db.execute("SELECT target, min(pid), prov FROM paper_models GROUP BY target"):
            if target in models:
                table.first_edge[target] = (first, json.loads(prov))
        tail = []
        for edge in table.edges(resolver):
            edges[edge.type] += 1
            tail.append(dumps(edge))
        pf.tail("".join(tail).encode("utf-8"))
    nodes["Paper"] = papers
    return GraphCounts(papers, dict(sorted(nodes.items())), dict(sorted(edges.items())), mentions)


def _items(data: bytes) -> list[Node | Edge]:
    out: list[Node | Edge] = []
    for line in data.decode("utf-8").splitlines():
        d = json.loads(line)
        out.append(Node.from_dict(d) if d["kind"] == "node" else Edge.from_dict(d))
    return out


class _GraphSegments:
    """graph.jsonl, just written, as head, paper segments and tail: what the
    conversions read (only the segments they render)."""

    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        layout = read_layout(outdir, GRAPH_JSONL)
        if layout is None:
            raise RuntimeError(f"{outdir / GRAPH_JSONL}: written without a layout")
        self.meta, self._first = layout
        self.fd = os.open(current(outdir / GRAPH_JSONL), os.O_RDONLY)  # as just written (staged)
        self.head_len = int(self.meta["head_len"])
        self.tail_start = self.head_len

    def segments(self) -> Iterator:
        """The paper segments (each call reads the layout again)."""
        if self._first is not None:
            it, self._first = self._first, None
        else:
            it = read_layout(self.outdir, GRAPH_JSONL)[1]
        for seg in it:
            self.tail_start = seg.start + seg.length
            yield seg

    def items(self, seg) -> list[Node | Edge]:
        return _items(os.pread(self.fd, seg.length, seg.start))

    def head_items(self) -> list[Node | Edge]:
        return _items(os.pread(self.fd, self.head_len, 0))

    def tail_items(self) -> list[Node | Edge]:
        """After :meth:`segments` has been read to the end."""
        return _items(os.pread(self.fd, os.fstat(self.fd).st_size - self.tail_start, self.tail_start))

    def close(self) -> None:
        os.close(self.fd)


def _copied(plan: WritePlan, pf: PatchedFile, seq: int) -> bool:
    """Copy the paper's previous segment when it may be reused; True if so."""
    return plan.dirty is not None and seq not in plan.dirty and pf.copy_if_old(seq)


def write_rdf_segmented(plan: WritePlan, fmt: str, base_iri: str, has_edges: bool) -> str:
    """N-Triples, N-Quads or Turtle converted from graph.jsonl segment by
    segment; equal to :func:`kg.writers.rdf.write_rdf` on the whole file."""
    from .writers.rdf import FORMATS, BlockMaker, SegmentRenderer

    fname = FORMATS[fmt][0]
    renderer = SegmentRenderer(fmt, base_iri)
    maker = BlockMaker(base_iri, extractors=[plan.extractor_version])
    graph = _GraphSegments(plan.outdir)
    try:
        with PatchedFile(plan.outdir, fname, f"{plan.key}|{renderer.base}") as pf:
            pf.head(renderer.header() + renderer.render(maker.items(graph.head_items())))
            for seg in graph.segments():
                if not _copied(plan, pf, seg.seq):
                    pf.write(seg.seq, renderer.render(maker.items(graph.items(seg))))
                    maker.paper_graph.clear()  # a paper's edges are in its own segment: memory stays flat
            names = list(maker.extractors) if has_edges else []
            pf.tail(renderer.render([*maker.items(graph.tail_items()), *maker.extractor_blocks(names)]))
    finally:
        graph.close()
    return fname


GRAPHML = "graph.graphml"


def write_graphml_segmented(plan: WritePlan) -> str:
    """graph.graphml converted from graph.jsonl segment by segment; equal to
    :func:`kg.writers.graphml.write_graphml` on the whole file. GraphML
    declares every attribute key before the first element, so a first pass
    collects them: from each rendered paper's items, and from the layout for
    the papers that are copied (each segment keeps its paper's keys)."""
    from .writers.graphml import FOOTER, KeyTypes, element

    graph = _GraphSegments(plan.outdir)
    try:
        with PatchedFile(plan.outdir, GRAPHML, plan.key) as pf:
            keys = KeyTypes()
            head, paper_keys = graph.head_items(), {}
            for item in head:
                keys.add(item)
            old = None if pf.fresh else read_layout(plan.outdir, GRAPHML)
            old_segments = old[1] if old is not None else iter(())
            prev = next(old_segments, None)
            for seg in graph.segments():
                while prev is not None and prev.seq < seg.seq:
                    prev = next(old_segments, None)
                if plan.dirty is not None and seg.seq not in plan.dirty and prev is not None \
                        and prev.seq == seg.seq and prev.extra:
                    paper_keys.setdefault(prev.extra, None)  # distinct key sets only
                    continue
                part = KeyTypes()
                for item in graph.items(seg):
                    part.add(item)
                keys.merge(part)
            for text in paper_keys:
                keys.merge(KeyTypes.from_json(text))
            tail = graph.tail_items()
            for item in tail:
                keys.add(item)
            pf.head((keys.header() + "".join(map(element, head))).encode("utf-8"))
            for seg in graph.segments():
                if _copied(plan, pf, seg.seq):
                    continue
                items, part = graph.items(seg), KeyTypes()
                for item in items:
                    part.add(item)
                pf.write(seg.seq, "".join(map(element, items)).encode("utf-8"), part.to_json())
            pf.tail(("".join(map(element, tail)) + FOOTER).encode("utf-8"))
    finally:
        graph.close()
    return GRAPHML


def dirty_papers(outdir: Path, changed_handles: set[str], key: str) -> set[int] | None:
    """Papers (seq) one of whose entities has a handle in ``changed_handles``;
    None when graph.jsonl's layout, which knows the handles, cannot be trusted
    (edited file, other version): then every output is rendered whole."""
    layout = read_layout(outdir, GRAPH_JSONL)
    if layout is None:
        return None
    meta, segments = layout
    segments.close()  # type: ignore[attr-defined]
    if meta.get("key") != key:
        return None
    if not changed_handles:
        return set()
    db = sqlite3.connect(f"file:{layout_path(outdir, GRAPH_JSONL)}?mode=ro", uri=True)
    try:
        return {seq for seq, hs in db.execute("SELECT seq, handles FROM paper_side")
                if not changed_handles.isdisjoint(hs.split(_HANDLE_SEP))}
    finally:
        db.close()
