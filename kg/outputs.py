"""The writing phase of ``kg build``: one loop over the renderers of the registry.

Every output is a :class:`~kg.writers.segments.PatchedFile` (head, one segment
a paper, tail) rendered by its :class:`~kg.writers.Renderer`. Each paper the
plan marks dirty (all, in a full build) is read from the extraction store
once, made into one :class:`~kg.graph.PaperGraph`, and rendered by every
renderer; every other paper's segment is copied from the previous file. With
several workers the papers are rendered in forked processes, in chunks, and
written in corpus order by this one, so the bytes do not depend on the
number of workers.

graph.jsonl's layout database also keeps the build's *index*: per paper, what
the tail and the next incremental build need without re-reading extractions:
the links the paper states, its edges to Model nodes (checkpoint-family
evidence), its resolver handles (to find papers whose entities resolved
differently) and its edge counts. The tail's links are aggregated from it in
SQL and handed to every renderer.
"""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import multiprocessing
import os
import pickle
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from . import progress
from .lifetime import die_with_parent, worker_deaths_told
from .workpool import WorkerPool
from .graph import GRAPH_JSONL, PaperGraph, entity_nodes, link_edges, model_node_ids, paper_graph
from .plan import LAYOUT_VERSION, WritePlan  # noqa: F401 (LAYOUT_VERSION: kg.outputs' too)
from .resolve import Resolver
from .serve.search import IndexWriter, PaperRows, paper_rows, patchable
from .types import ROLES
from .writers import ALWAYS, Renderer, RenderContext, Totals, renderers
from .writers.segments import PatchedFile, layout_path, read_layout

log = logging.getLogger(__name__)


_COUNTED = ROLES  # the edge types of paper segments, one count column each
# Narrow tables, so the tail's totals and aggregates are single SQL queries
# rather than a Python pass over every paper.
_INDEX_DDL = f"""
CREATE TABLE IF NOT EXISTS paper_side (seq INTEGER PRIMARY KEY, pid TEXT NOT NULL, handles TEXT NOT NULL,
                                       mentions INTEGER NOT NULL, {", ".join(f"n_{t} INTEGER" for t in _COUNTED)});
CREATE TABLE IF NOT EXISTS paper_links (seq INTEGER NOT NULL, pid TEXT NOT NULL, head TEXT NOT NULL,
                                        type TEXT NOT NULL, tail TEXT NOT NULL, confidence REAL, prov TEXT);
CREATE INDEX IF NOT EXISTS paper_links_seq ON paper_links (seq);
CREATE TABLE IF NOT EXISTS paper_models (seq INTEGER NOT NULL, pid TEXT NOT NULL, target TEXT NOT NULL, prov TEXT);
CREATE INDEX IF NOT EXISTS paper_models_seq ON paper_models (seq);
"""
_INDEX_TABLES = ("paper_side", "paper_links", "paper_models")
_HANDLE_SEP = "\x1f"
_MODEL_PROV = ("evidence", "field", "start", "end", "extractor")
_SIDE_SQL = f"INSERT INTO paper_side VALUES ({', '.join('?' * (4 + len(_COUNTED)))})"
CHUNK = 32  # papers a render task: small enough to keep both workers busy on an update
#: Fewer papers to render than this are rendered in the writing process: forking render workers from
#: it (a process holding the resolver) cost more than rendering them (under 1 ms a paper).
LOCAL_RENDER = 1000


@dataclass(slots=True)
class GraphCounts:
    papers: int
    nodes: dict[str, int]
    edges: dict[str, int]
    mentions: int
    #: output name -> file name (filled in by the build)
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class IndexRows:
    """One paper's rows of the index."""

    side: tuple
    links: list[tuple]
    models: list[tuple]
    #: its rows of the explorer's index (OUTDIR/explorer.sqlite)
    explorer: PaperRows


def _index_rows(seq: int, pg: PaperGraph, models: set[str]) -> IndexRows:
    pid = pg.paper_id
    counts = Counter(e.type for e in pg.edges)
    handles = _HANDLE_SEP.join(sorted(set(pg.handles)))
    return IndexRows(
        (seq, pid, handles, pg.mentions, *(counts[t] for t in _COUNTED)),
        [(seq, pid, *key, prov["confidence"], json.dumps(prov)) for key, prov in pg.links],
        [(seq, pid, e.target, json.dumps({k: e.props[k] for k in _MODEL_PROV}))
         for e in pg.edges if e.target in models],
        paper_rows(pg))


class _Laps:
    """Debug lines (-vv) with the time since the previous one: where an update's writing spends its time."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def __call__(self, what: str) -> None:
        now = time.perf_counter()
        log.debug("%s: %.3fs", what, now - self.last)
        self.last = now


# -- rendering one paper (here or in a forked worker) ------------------------------------

@dataclass(slots=True)
class _Phase:
    """What rendering a paper needs; handed to forked workers without pickling."""

    resolver: Resolver
    renderers: list[Renderer]
    version: str
    models: set[str]
    index: int  # position of graph.jsonl's renderer, whose file holds the index


_PHASE: _Phase | None = None

#: (seq, {renderer position: (bytes, summary)}, the index rows when graph.jsonl was rendered)
Rendered = tuple[int, dict[int, tuple[bytes, str | None]], IndexRows | None]


def _render(seq: int, blob: bytes | None, todo: Sequence[int]) -> Rendered:
    ph = _PHASE
    assert ph is not None
    if not todo or blob is None:
        return seq, {}, None
    pg = paper_graph(pickle.loads(blob), ph.resolver, ph.version)
    out = {}
    for i in todo:
        r = ph.renderers[i]
        out[i] = (r.paper(pg), r.summary(pg))
    return seq, out, _index_rows(seq, pg, ph.models) if ph.index in out else None


def _render_chunk(tasks: list[tuple[int, bytes | None, tuple[int, ...]]]) -> list[Rendered]:
    return [_render(*t) for t in tasks]


def _rendered(tasks: Iterator[tuple[int, bytes | None, tuple[int, ...]]], workers: int) -> Iterator[Rendered]:
    """Render the tasks in order: here, or in ``workers`` forked processes."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for t in tasks:
            yield _render(*t)
        return
    ctx = multiprocessing.get_context("fork")
    with WorkerPool(workers, ctx, initializer=die_with_parent,
                    initargs=(os.getpid(),)) as pool, worker_deaths_told():  # no orphan renderers
        window: collections.deque = collections.deque()
        chunk: list = []
        for t in tasks:
            chunk.append(t)
            if len(chunk) == CHUNK:
                window.append(pool.submit(_render_chunk, chunk))
                chunk = []
                if len(window) >= 4 * workers:
                    yield from window.popleft().result()
        if chunk:
            window.append(pool.submit(_render_chunk, chunk))
        while window:
            yield from window.popleft().result()


# -- the loop ----------------------------------------------------------------------------

class _Store:
    """The extraction store, read-only: each paper's blob, fetched only when needed."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.fetch = self.db.cursor()

    def seqs(self, with_blobs: bool) -> Iterator[tuple[int, bytes | None]]:
        # a for loop, not ``yield from``: a consumer that stops early (a dead worker) leaves this
        # generator to the garbage collector, after the store is closed, and ``yield from`` would
        # then close the cursor on a closed database ("Exception ignored in ..." on stderr)
        if with_blobs:
            for row in self.db.execute("SELECT seq, extraction FROM papers ORDER BY seq"):
                yield row
        else:
            for (seq,) in self.db.execute("SELECT seq FROM papers ORDER BY seq"):
                yield seq, None

    def all_seqs(self) -> list[int]:
        return [seq for (seq,) in self.db.execute("SELECT seq FROM papers ORDER BY seq")]

    def blob(self, seq: int) -> bytes:
        return self.fetch.execute("SELECT extraction FROM papers WHERE seq=?", (seq,)).fetchone()[0]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM papers").fetchone()[0]

    def close(self) -> None:
        self.db.close()


#: (head, type, tail) -> (papers stating it, their highest confidence); -> (smallest paper id, its
#: provenance as stored); Model node -> (smallest paper id with an edge to it, that edge's provenance)
LinkAggregates = tuple[dict[tuple, tuple[int, float | None]], dict[tuple, tuple[str, str]], dict[str, tuple[str, str]]]


def _link_aggregates(db: sqlite3.Connection, seqs: Sequence[int] | None = None) -> LinkAggregates:
    """The index's link and model-edge rows aggregated per link and per target: of every paper, or of
    the papers ``seqs``. (SQLite takes a bare column of a min() aggregate from the row holding the
    minimum: the provenance of the smallest paper id.)"""
    where, args = ("WHERE seq IN (SELECT value FROM json_each(?))", (json.dumps(list(seqs)),)) \
        if seqs is not None else ("", ())
    best = {(h, t, tl): (n, conf) for h, t, tl, n, conf in db.execute(
        f"SELECT head, type, tail, count(*), max(confidence) FROM paper_links {where} GROUP BY head, type, tail", args)}
    first = {(h, t, tl): (pid, prov) for h, t, tl, pid, prov in db.execute(
        f"SELECT head, type, tail, min(pid), prov FROM paper_links {where} GROUP BY head, type, tail", args)}
    models = {target: (pid, prov) for target, pid, prov in db.execute(
        f"SELECT target, min(pid), prov FROM paper_models {where} GROUP BY target", args)}
    return best, first, models


def _merge_aggregates(old: LinkAggregates, new: LinkAggregates) -> LinkAggregates | None:
    """What :func:`_link_aggregates` gives over the papers of ``old`` and ``new`` together (papers
    apart: no paper in both); None when a smallest paper id is in both, which cannot be told apart."""
    best = dict(old[0])
    for key, (n, conf) in new[0].items():
        if key in best:
            m, c = best[key]
            best[key] = (m + n, conf if c is None else c if conf is None else max(c, conf))  # (SQL's max skips NULL)
        else:
            best[key] = (n, conf)
    firsts = []
    for mine, theirs in ((old[1], new[1]), (old[2], new[2])):
        first = dict(mine)
        for key, (pid, prov) in theirs.items():
            had = first.get(key)
            if had is not None and had[0] == pid:
                return None
            if had is None or pid < had[0]:  # (str order is SQLite's BINARY order of UTF-8 text)
                first[key] = (pid, prov)
        firsts.append(first)
    return best, firsts[0], firsts[1]


#: Papers an update may have rendered for its totals to take the previous papers' aggregates
#: (:class:`_OldLinks`) plus theirs; more, and every row is aggregated again.
MERGE_TOTALS = 5000


class _OldLinks:
    """The link aggregates of the previous build's papers (graph.jsonl's index as it was committed),
    computed in a thread while an update's worker loads the pipeline (SQLite works without the GIL):
    when the update only adds papers, its totals are these plus the new papers' (:func:`_totals`),
    instead of a pass over every paper's rows on the critical path."""

    def __init__(self, path: Path) -> None:
        self._result: LinkAggregates | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), name="kg-old-links", daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                self._result = _link_aggregates(db)
            finally:
                db.close()
        except sqlite3.Error as exc:  # then the totals aggregate every row, as without it
            log.debug("previous link totals not read from %s: %s", path, exc)

    def result(self) -> LinkAggregates | None:
        self._thread.join()
        return self._result


class OpenOutputs:
    """Every output of a build opened for writing: the renderers, the :class:`PatchedFile` s (the old
    layouts read, the temporary files made) and the explorer's index (copied, when it is patched).
    None of it depends on what extraction finds, so an update opens them while its workers load the
    pipeline; :func:`write_outputs` then writes and commits them, or :meth:`abort` (safe to call
    twice) leaves the previous files and layouts as they were."""

    def __init__(self, outdir: Path, key: str, formats: Sequence[str], base_iri: str, extractor_version: str) -> None:
        self.rs = renderers([*ALWAYS, *formats], RenderContext(base_iri, extractor_version))
        self.index = next(i for i, r in enumerate(self.rs) if r.filename == GRAPH_JSONL)
        self.stack = contextlib.ExitStack()
        self.explorer: IndexWriter | None = None
        self.old_links: _OldLinks | None = None
        try:
            self.files = [self.stack.enter_context(PatchedFile(
                outdir, r.filename, f"{key}|{r.key()}", head_last=r.head_last, reuse=r.patched,
                side_tables=_INDEX_TABLES if i == self.index else ())) for i, r in enumerate(self.rs)]
            self.files[self.index].create_side_tables(_INDEX_DDL)
            if not self.files[self.index].fresh:  # (a fresh one starts with empty side tables)
                self.old_links = _OldLinks(layout_path(outdir, GRAPH_JSONL))
            # The explorer's index is patched like the files when it describes the previous graph.jsonl;
            # else graph.jsonl's papers are all rendered again, for the index rows they come with.
            self.patch = not self.files[self.index].fresh and patchable(outdir)
            self.explorer = IndexWriter.create(outdir, self.patch)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        if self.explorer is not None:
            self.explorer.abort()
        self.stack.__exit__(RuntimeError, RuntimeError("aborted"), None)


def write_outputs(plan: WritePlan, resolver: Resolver, formats: Sequence[str], base_iri: str,
                  workers: int = 1, opened: OpenOutputs | None = None) -> GraphCounts:
    """Write papers.jsonl, graph.jsonl and every format in ``formats`` (names
    of :data:`kg.writers.REGISTRY`) into ``plan.outdir`` (into ``opened``, when
    they were opened already, with ``plan.key``)."""
    global _PHASE
    lap = _Laps()
    out = opened or OpenOutputs(plan.outdir, plan.key, formats, base_iri, plan.extractor_version)
    rs, files, index, explorer = out.rs, out.files, out.index, out.explorer
    assert explorer is not None
    try:
        with out.stack:
            nodes = list(entity_nodes(resolver))
            db = files[index].db
            for r, pf in zip(rs, files):
                if not r.head_last:
                    pf.head(r.head(nodes))
            models = model_node_ids(resolver)
            _PHASE = _Phase(resolver, rs, plan.extractor_version, models, index)
            try:
                sink_seqs = _write_papers(plan, rs, files, db, workers, explorer,
                                          render_all=() if out.patch else (index,))
            finally:
                _PHASE = None
            lap("papers written")
            counts, links = _totals(db, resolver, nodes, files[index], models, out.old_links, sink_seqs)
            lap("totals")
            totals = Totals(counts.papers, sum(counts.edges.values()))
            for r, pf in zip(rs, files):
                pf.tail(r.tail(links, totals))
                if r.head_last:
                    pf.head(r.head(nodes))
            lap("heads and tails")
            graph_size = files[index].size  # (a file patched in place is changed only after the commit point)
        lap("files committed")
        # written after graph.jsonl, so it is not older than the file it describes
        progress.stage("writing the search index", unit="")
        explorer.finish([n.to_dict() for n in nodes], [e.to_dict() for e in links], graph_size)
        lap("explorer index")
    except BaseException:
        explorer.abort()
        raise
    counts.outputs = {r.name: r.filename for r in rs}
    return counts


def _write_papers(plan: WritePlan, rs: list[Renderer], files: list[PatchedFile], db: sqlite3.Connection,
                  workers: int, explorer: IndexWriter, render_all: Sequence[int] = ()) -> list[int]:
    """Every paper segment of every file, rendered or copied, in corpus order (those of the files
    ``render_all`` all rendered), and the explorer index's rows of every paper rendered for graph.jsonl.
    Returns the papers whose index rows were inserted."""
    store = _Store(plan.store_path)
    progress.stage(f"writing {', '.join(pf.fname for pf in files)}", store.count())
    olds = [frozenset() if i in render_all else pf.old_seqs() for i, pf in enumerate(files)]
    everything = plan.dirty is None or not any(olds)
    local = tuple(i for i, r in enumerate(rs) if not r.patched)  # stateful: rendered here, in order
    remote = tuple(i for i, r in enumerate(rs) if r.patched)
    sink = _Sink(rs, files, db, explorer)
    try:
        if everything or local:
            _render_each(store, plan, olds, local, remote, workers, sink)
        else:
            _patch(store, plan, olds, remote, workers, sink)
        sink.flush()
        explorer.drop_all_but(sink.seen)  # pruned papers
    finally:
        store.close()
    return sink.indexed


class _Sink:
    """Where rendered and copied papers go, in corpus order: the files, the renderers' summaries, the
    index rows (inserted in batches; a paper's old rows go when its segment is written, before these)
    and the explorer's index."""

    def __init__(self, rs: list[Renderer], files: list[PatchedFile], db: sqlite3.Connection,
                 explorer: IndexWriter) -> None:
        self.rs, self.files, self.db, self.explorer = rs, files, db, explorer
        self.seen: set[int] = set()
        #: the papers whose index rows were inserted, in order
        self.indexed: list[int] = []
        self.side: list[tuple] = []
        self.links: list[tuple] = []
        self.models: list[tuple] = []

    def copied(self, i: int, extras: Sequence[str | None]) -> None:
        for extra in extras:
            self.rs[i].absorb(extra)

    def rendered(self, seq: int, out: dict[int, tuple[bytes, str | None]], rows: IndexRows | None) -> None:
        for i in sorted(out):
            data, summary = out[i]
            self.files[i].write(seq, data, summary)
            self.rs[i].absorb(summary)
        if rows is not None:
            self.indexed.append(seq)
            self.side.append(rows.side)
            self.links.extend(rows.links)
            self.models.extend(rows.models)
            if len(self.side) >= 1000:
                self.flush()
            self.explorer.put(seq, rows.explorer)

    def flush(self) -> None:
        for sql, rows in ((_SIDE_SQL, self.side), ("INSERT INTO paper_links VALUES (?, ?, ?, ?, ?, ?, ?)", self.links),
                          ("INSERT INTO paper_models VALUES (?, ?, ?, ?)", self.models)):
            self.db.executemany(sql, rows)
            rows.clear()


def _render_each(store: _Store, plan: WritePlan, olds: list[frozenset[int]], local: tuple[int, ...],
                 remote: tuple[int, ...], workers: int, sink: _Sink) -> None:
    """Paper by paper: a full build, or an update with a format rendered whole (``local``)."""
    everything = plan.dirty is None or not any(olds)
    # what the consumer below needs of each paper sent out: its blob (for ``local``) and the files copying it
    pending: dict[int, tuple[bytes | None, tuple[int, ...]]] = {}

    def tasks() -> Iterator[tuple[int, bytes | None, tuple[int, ...]]]:
        for seq, blob in store.seqs(with_blobs=everything):
            copy = () if plan.must_render(seq) else tuple(i for i in remote if seq in olds[i])
            todo = tuple(i for i in remote if i not in copy)
            if (todo or local) and blob is None:
                blob = store.blob(seq)
            pending[seq] = (blob if local else None, copy)
            yield seq, blob if todo else None, todo

    for seq, out, rows in _rendered(tasks(), workers):
        blob, copy = pending.pop(seq)
        sink.seen.add(seq)
        progress.advance()
        if local:
            out.update(_render(seq, blob, local)[1])
        for i in copy:
            seg = sink.files[i].copy_if_old(seq)
            assert seg is not None, (sink.files[i].fname, seq)
            sink.copied(i, (seg.extra,))
        sink.rendered(seq, out, rows)


def _patch(store: _Store, plan: WritePlan, olds: list[frozenset[int]], remote: tuple[int, ...], workers: int,
           sink: _Sink) -> None:
    """An update: only the papers to render go through the renderers (and the workers); every run of
    papers between them is copied in one call a file, without a Python object a paper."""
    unchanged = frozenset.intersection(*(olds[i] for i in remote))
    steps: list[list[int] | tuple[int, tuple[int, ...]]] = []  # runs to copy, and papers to render
    run: list[int] = []
    for seq in store.all_seqs():
        if seq in unchanged and not plan.must_render(seq):
            run.append(seq)
            continue
        if run:
            steps.append(run)
            run = []
        steps.append((seq, tuple(i for i in remote if plan.must_render(seq) or seq not in olds[i])))
    if run:
        steps.append(run)
    tasks = ((step[0], store.blob(step[0]), step[1]) for step in steps if isinstance(step, tuple))
    few = len(steps) - sum(isinstance(step, list) for step in steps) < LOCAL_RENDER
    rendered = _rendered(tasks, 1 if few else workers)
    for step in steps:
        if isinstance(step, list):
            for i in remote:
                sink.copied(i, sink.files[i].copy_run(step))
            sink.seen.update(step)
            progress.advance(len(step))
            continue
        seq, todo = step
        got, out, rows = next(rendered)
        assert got == seq, (got, seq)
        for i in remote:
            if i not in todo:
                seg = sink.files[i].copy_if_old(seq)
                assert seg is not None, (sink.files[i].fname, seq)
                sink.copied(i, (seg.extra,))
        sink.seen.add(seq)
        progress.advance()
        sink.rendered(seq, out, rows)


def _totals(db: sqlite3.Connection, resolver: Resolver, nodes: list, graph_file: PatchedFile, models: set[str],
            old_links: _OldLinks | None = None, indexed: Sequence[int] = ()):
    """Counts and the tail's links, from the index (every paper, rendered or copied); ``models``:
    :func:`~kg.graph.model_node_ids` (a pass over every resolved entity, done once). With
    ``old_links`` (the previous papers' aggregates) and no previous paper's rows changed, the
    links are those plus the aggregates of the papers ``indexed`` this build."""
    graph_file.end_papers()  # index rows of pruned papers go before the totals are taken
    papers, mentions, *role_counts = db.execute(
        f"SELECT count(*), coalesce(sum(mentions), 0), {', '.join(f'coalesce(sum(n_{t}), 0)' for t in _COUNTED)} "
        "FROM paper_side").fetchone()
    edges: Counter[str] = Counter({t: n for t, n in zip(_COUNTED, role_counts) if n})
    aggregates = None
    if old_links is not None and not graph_file.old_side_changed and len(indexed) <= MERGE_TOTALS:
        old = old_links.result()
        if old is not None:
            aggregates = _merge_aggregates(old, _link_aggregates(db, indexed))
    log.debug("link totals: %s", "the previous papers' and %d new ones'" % len(indexed) if aggregates
              else "every paper's rows")
    best, firsts, model_firsts = aggregates or _link_aggregates(db)
    rows = {key: (best[key][0], first, {**json.loads(prov), "confidence": best[key][1]})
            for key, (first, prov) in firsts.items()}
    first_model_edge = {target: (first, json.loads(prov)) for target, (first, prov) in model_firsts.items()
                        if target in models}
    links = link_edges(rows, first_model_edge, resolver)
    edges.update(e.type for e in links)
    node_counts = Counter(n.label for n in nodes)
    node_counts["Paper"] = papers
    return GraphCounts(papers, dict(sorted(node_counts.items())), dict(sorted(edges.items())), mentions), links


def dirty_papers(outdir: Path, changed_handles: set[str], key: str) -> set[int] | None:
    """Papers (seq) one of whose entities has a handle in ``changed_handles``;
    None when graph.jsonl's layout, which keeps the index, cannot be trusted
    (edited file, other version): then every output is rendered whole."""
    layout = read_layout(outdir, GRAPH_JSONL)
    if layout is None:
        return None
    meta, segments = layout
    segments.close()  # type: ignore[attr-defined]
    if meta.get("key") != f"{key}|":
        return None
    if not changed_handles:
        return set()
    db = sqlite3.connect(f"file:{layout_path(outdir, GRAPH_JSONL)}?mode=ro", uri=True)
    try:
        return {seq for seq, hs in db.execute("SELECT seq, handles FROM paper_side")
                if not changed_handles.isdisjoint(hs.split(_HANDLE_SEP))}
    finally:
        db.close()
