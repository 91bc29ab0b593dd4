"""`kg build`: read → extract → resolve → assemble → write, and a summary.

The library function :func:`build` does the work; the CLI only parses options
and prints. Progress is reported through an optional callback so the library
never writes to the terminal itself.
"""

from __future__ import annotations

import collections
import functools
import itertools
import json
import logging
import multiprocessing
import os
import pickle
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from .fulltext import extract_many as fulltext_extract_many, fulltext_paths, keep_fulltexts, record_weight
from .plan import LAYOUT_VERSION, WritePlan, changed_handles, dirty_seqs, news_bytes
from .curation import load_curation, write_resolution
from .progress import stage as progress_stage
from .resolve import Resolver
from .resources import data_path
from .store import ExtractionStore, content_hash, previous_inputs
from .types import DEFAULT_BASE_IRI, EXTRACTOR_VERSION, Packed, PaperExtraction, PaperRecord, SkippedRecord
from .lifetime import die_with_parent, worker_deaths_told
from .workpool import WorkerPool
from .lock import outdir_lock
from .writers.atomic import atomic_write, transaction

if TYPE_CHECKING:
    from .outputs import OpenOutputs
    from .sources import ReadReport

# The writers (kg.outputs, the RDF renderers, rdflib) and the readers (kg.sources) are imported where
# they are used: an update's extraction workers are forked before that, so they start loading the
# pipeline sooner (the workers need neither).

log = logging.getLogger(__name__)

SAMPLES_DIR = data_path("samples")

Progress = Callable[[int], None]


@dataclass(slots=True)
class BuildOptions:
    inputs: Sequence[str | Path] = ()
    outdir: str | Path = "kg-out"
    input_format: str | None = None
    base_iri: str = DEFAULT_BASE_IRI
    rdf_formats: Sequence[str] = ("turtle",)
    graphml: bool = True
    #: further formats of kg.writers.REGISTRY (e.g. "csv")
    formats: Sequence[str] = ()
    workers: int = 1
    update: bool = False
    prune: bool = False
    dask: str | None = None
    #: globs choosing the files read inside directory inputs (kg.sources.read_inputs)
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    #: the user's curation file (kg.curation): merges and splits the resolver applies
    aliases: str | Path | None = None


@dataclass(slots=True)
class BuildSummary:
    inputs: list[str]
    papers: int
    extracted: int
    pruned: int
    skipped: int
    skipped_records: list[dict]
    duplicates_merged: int
    formats: dict[str, str]
    entities: dict[str, int]
    edges: dict[str, int]
    mentions: int
    extractor: str
    base_iri: str
    seconds: float
    outputs: dict[str, str] = field(default_factory=dict)
    #: inputs that held no record at all (a warning; an error with --strict)
    empty_inputs: list[str] = field(default_factory=list)
    #: records kept with a title or abstract cut at the documented limit (first 200 listed)
    truncated: int = 0
    truncated_records: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def one_line(self) -> str:
        ents = sum(self.entities.values())
        edges = sum(self.edges.values())
        delta = "" if self.extracted == self.papers and not self.pruned else \
            f" ({self.extracted} extracted, {self.pruned} pruned)"
        return (f"{self.papers} papers{delta}, {self.duplicates_merged} duplicates merged, {self.skipped} skipped; "
                f"{ents} entities, {edges} edges in {self.seconds:.1f}s")


def vocabulary_pairs() -> list[tuple[str, str]]:
    """(surface form, canonical name) for every vocabulary entry: the
    resolver's anchors for canonical names."""
    from .nlp.vocab import shared_vocab

    return [(form, entry.name) for entry in shared_vocab() for form in entry.forms()]


def default_inputs(inputs: Sequence[str | Path]) -> list[str]:
    """No input means the bundled sample (the three seed listing pages)."""
    return [str(p) for p in inputs] if inputs else [str(SAMPLES_DIR)]


@functools.lru_cache(maxsize=1)
def _extractor():
    """The pipeline, loaded once a process (loading the vocabulary takes seconds)."""
    from .nlp import EXTRACTOR_VERSION, Extractor

    return Extractor(), EXTRACTOR_VERSION


# -- parallel extraction ---------------------------------------------------------
# Each worker process loads the pipeline once; chunks go out and come back in
# input order (a window of futures), so the output is identical for any number of workers.

CHUNK = 32  # small enough that a small update (a few hundred papers) keeps both workers equally busy
_worker_extractor = None


@functools.lru_cache(maxsize=1)
def _observer() -> Resolver:
    """A resolver used only for :meth:`Resolver.observe` (it needs the vocabulary)."""
    return Resolver(vocabulary_pairs())


def pack(ex: PaperExtraction) -> Packed:
    return Packed(ex.record.id, content_hash(ex.record), pickle.dumps(ex, protocol=pickle.HIGHEST_PROTOCOL),
                  _observer().observe(ex))


def _init_worker(parent: int | None = None, observer: bool = False, helpers: int = 0) -> None:
    global _worker_extractor
    if parent is not None:
        die_with_parent(parent)  # a killed build leaves no worker behind
    wall, cpu = time.perf_counter(), time.process_time()
    _worker_extractor, _ = _extractor()
    if observer:  # what packing needs: built now, before the first chunk waits for it
        _observer()
    log.debug("extraction worker %d: pipeline loaded in %.3fs (%.3fs CPU)", os.getpid(),
              time.perf_counter() - wall, time.process_time() - cpu)
    # forked now, the helpers share the loaded pipeline (and the observer) instead of loading their own
    _helpers.extend(_Helper() for _ in range(helpers))


def _extract_chunk(chunk: list[PaperRecord], packed: bool = False) -> list:
    if not _helpers or len(chunk) < 2:
        return _isolated(_worker_extractor, chunk, packed)
    # a share of the chunk to each helper, the first one extracted here meanwhile; in order
    parts = _shares(chunk, len(_helpers) + 1)
    sent = [(part, h if h.send(part, packed) else None) for h, part in zip(list(_helpers), parts[1:])]
    out = _isolated(_worker_extractor, parts[0], packed)
    for part, h in sent:
        got = h.receive() if h is not None else None
        # a helper that has gone: its share is extracted here
        out.extend(got if got is not None else _isolated(_worker_extractor, part, packed))
    return out


def _shares(chunk: list[PaperRecord], n: int) -> list[list[PaperRecord]]:
    """``chunk`` cut into at most ``n`` consecutive parts of about equal extraction work."""
    total = sum(record_weight(r) for r in chunk)
    parts: list[list[PaperRecord]] = [[]]
    done = 0
    for rec in chunk:
        if done >= total * len(parts) / n and len(parts) < n:
            parts.append([])
        parts[-1].append(rec)
        done += record_weight(rec)
    return parts


#: the helpers of this extraction worker (:class:`_Helper`)
_helpers: list[_Helper] = []


class _Helper:
    """A process an extraction worker forks once it has loaded the pipeline: it extracts the share of
    each chunk the worker sends it, with the worker's pipeline (copy-on-write), so a second core helps
    a small update without loading spaCy a second time (over a second of CPU). It dies with the
    worker (a daemon, and :func:`die_with_parent`). A helper that fails is dropped, and its share
    extracted by the worker, so the results are those of the worker alone either way."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self.conn, theirs = ctx.Pipe()
        self.proc = ctx.Process(target=_helper_main, args=(theirs, os.getpid()), daemon=True,
                                name="kg-extraction-helper")
        self.proc.start()
        theirs.close()
        log.debug("extraction worker %d forked helper %d", os.getpid(), self.proc.pid)

    def send(self, part: list[PaperRecord], packed: bool) -> bool:
        try:
            self.conn.send((part, packed))
            return True
        except (OSError, ValueError):
            self._drop()
            return False

    def receive(self) -> list | None:
        try:
            got = self.conn.recv()
        except (OSError, EOFError):
            self._drop()
            return None
        log.debug("extraction helper %d extracted %d papers", self.proc.pid, len(got))
        return got

    def _drop(self) -> None:
        log.warning("extraction helper %d failed; its papers are extracted by worker %d", self.proc.pid, os.getpid())
        if self in _helpers:
            _helpers.remove(self)
        self.conn.close()


def _helper_main(conn, parent: int) -> None:
    die_with_parent(parent)
    while True:
        try:
            part, packed = conn.recv()
        except EOFError:  # the worker has gone
            return
        conn.send(_isolated(_worker_extractor, part, packed))


def _isolated(extractor, chunk: list[PaperRecord], packed: bool) -> list:
    """The chunk's extractions (packed or not), in order. A record whose
    extraction fails becomes a SkippedRecord naming its file, line and the
    error: one record never fails the run. The chunk is extracted in one
    batch; only when that fails is it redone record by record."""
    try:
        out = list(fulltext_extract_many(extractor, chunk))
        return [pack(ex) for ex in out] if packed else out
    except Exception:  # noqa: BLE001 - any failure of one record is that record's
        pass
    items: list = []
    for rec in chunk:
        try:
            ex = next(fulltext_extract_many(extractor, [rec]))
            items.append(pack(ex) if packed else ex)
        except Exception as exc:  # noqa: BLE001
            log.debug("extraction of %s:%d failed", rec.source, rec.line, exc_info=True)
            items.append(SkippedRecord(rec.source, rec.line, f"extraction failed: {type(exc).__name__}: {exc}"))
    return items


def _chunks(records: Iterable[PaperRecord], size: int) -> Iterator[list[PaperRecord]]:
    # a full text weighs as many abstracts as its length: a chunk of 64 papers' full
    # texts would keep one worker busy while the others wait
    chunk: list[PaperRecord] = []
    weight = 0
    for rec in records:
        chunk.append(rec)
        weight += record_weight(rec)
        if weight >= size:
            yield chunk
            chunk = []
            weight = 0
    if chunk:
        yield chunk


def default_workers() -> int:
    return os.cpu_count() or 1


def _dask_extract(records: Iterable[PaperRecord], address: str, progress: Progress | None,
                  packed: bool, window: int = 8) -> Iterator:
    """Extract on a Dask distributed cluster: chunks go to the cluster's
    workers (each loads the same pipeline once, see :func:`_extract_chunk`)
    and come back in input order, so the output equals a local build's."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError("--dask needs the optional extra: pip install 'paperkg[dask]'") from exc
    n = 0
    with Client(address, set_as_default=False) as client:
        futures: collections.deque = collections.deque()
        chunks = _chunks(records, CHUNK)

        def drain_one():
            nonlocal n
            for ex in futures.popleft().result():
                n += 1
                yield ex
            if progress:
                progress(n)

        for chunk in chunks:
            futures.append(client.submit(_extract_chunk_anywhere, chunk, packed, pure=False))
            if len(futures) >= window:
                yield from drain_one()
        while futures:
            yield from drain_one()


def _extract_chunk_anywhere(chunk: list[PaperRecord], packed: bool = False) -> list:
    """A chunk's extraction in any process: the pipeline is loaded on first use."""
    if _worker_extractor is None:
        _init_worker()
    return _extract_chunk(chunk, packed)


def start_workers(workers: int, helpers: int = 0):
    """An extraction pool of ``workers`` processes that load the pipeline right away, each for itself:
    started before the inputs are read, the loading overlaps the first reading pass instead of
    following it. (:func:`extract_records` otherwise loads it once and forks.) With ``helpers``,
    each worker then forks that many :class:`_Helper` s sharing its pipeline (where fork exists)."""
    ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
    if ctx.get_start_method() != "fork":
        helpers = 0
    pool = WorkerPool(workers, ctx, initializer=_init_worker, initargs=(os.getpid(), True, helpers))
    pool.submit(os.getpid)  # with fork, the first task starts every worker: they load the pipeline now
    return pool


#: Inputs from this size on (some 3,000 abstracts) take long enough to read that the workers load
#: the pipeline meanwhile (:func:`start_workers`).
EARLY_START_BYTES = 4 << 20
#: An update reading less news than this (some 350 abstracts) loads the pipeline in one worker process:
#: a second one loading it (over a second of CPU) beside it and the writing process, which opens the
#: outputs meanwhile, on two cores, delays both more than it saves on so few papers. That worker then
#: forks the other workers as its helpers (:class:`_Helper`), which share its loaded pipeline.
SMALL_UPDATE_BYTES = 512 << 10


def input_bytes(inputs: Iterable[str | Path]) -> int:
    """The size of the input files (directories walked; a missing path counts nothing: it is
    reported by the readers)."""
    total = 0
    for given in inputs:
        p = Path(given)
        files = (f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p] if p.is_file() else []
        total += sum(f.stat().st_size for f in files)
    return total


def extract_records(records: Iterable[PaperRecord], progress: Progress | None = None,
                    workers: int = 1, dask: str | None = None, packed: bool = False, pool=None) -> Iterator:
    """Extract every record, in input order, with ``workers`` processes (``pool``: those of
    :func:`start_workers`), or on the Dask cluster whose scheduler is at ``dask``. Yields
    PaperExtractions, or :class:`Packed` ones with ``packed``."""
    records = iter(records)
    first = next(records, None)
    if first is None:  # nothing to extract (an update without news): don't load the pipeline
        return
    records = itertools.chain([first], records)
    if dask:
        yield from _dask_extract(records, dask, progress, packed)
        return
    n = 0
    if workers <= 1:
        extractor, _ = _extractor()
        for chunk in _chunks(records, CHUNK):
            for ex in _isolated(extractor, chunk, packed):
                n += 1
                if progress:
                    progress(n)
                yield ex
        return
    if pool is None:
        ctx = multiprocessing.get_context("spawn" if sys.platform == "darwin" else "fork")
        if ctx.get_start_method() == "fork":
            _extractor()  # load once here; forked workers share it copy-on-write
            if packed:
                _observer()
        pool = WorkerPool(workers, ctx, initializer=_init_worker, initargs=(os.getpid(),))
    with pool, worker_deaths_told():
        # Executor.map would drain the whole input up front; a bounded window of
        # chunks in flight keeps memory flat on huge inputs. Four a worker: the
        # reading, storing process shares the cores with them, and a worker it
        # has not fed for a moment still has a chunk queued.
        window: collections.deque = collections.deque()
        for chunk in _chunks(records, CHUNK):
            window.append(pool.submit(_extract_chunk, chunk, packed))
            if len(window) >= 4 * workers:
                for ex in window.popleft().result():
                    n += 1
                    yield ex
                if progress:
                    progress(n)
        while window:
            for ex in window.popleft().result():
                n += 1
                yield ex
            if progress:
                progress(n)


def skips_to_report(items: Iterable, report: ReadReport) -> Iterator:
    """The extractions, with records whose extraction failed (SkippedRecords
    from :func:`_isolated`) logged and counted in ``report`` instead."""
    for item in items:
        if isinstance(item, SkippedRecord):
            log.warning("%s:%d: skipped record: %s", item.source, item.line, item.reason)
            report.skipped.append(item)
        else:
            yield item


def extract(inputs: Sequence[str | Path], out: str | Path, input_format: str | None = None,
            progress: Progress | None = None, workers: int = 1, include: Sequence[str] = (),
            exclude: Sequence[str] = ()) -> tuple[int, ReadReport]:
    """`kg extract`: only the papers.jsonl-style output."""
    from .nlp import EXTRACTOR_VERSION
    from .sources import ReadReport, read_inputs

    report = ReadReport()
    records = read_inputs(default_inputs(inputs), input_format=input_format, report=report,
                          include=include, exclude=exclude)
    from .writers.papers_jsonl import write_papers_jsonl

    n = write_papers_jsonl(skips_to_report(extract_records(records, progress, workers), report), out,
                           extractor_version=EXTRACTOR_VERSION)
    return n, report


def build(opts: BuildOptions, progress: Progress | None = None) -> BuildSummary:
    """Read, extract, resolve and write every output; returns the summary.

    The build holds OUTDIR's lock (a second build or push fails at once,
    :class:`kg.lock.OutdirBusy`) and is one transaction: its outputs replace
    the previous ones together at the end, summary.json last
    (:func:`kg.writers.atomic.transaction`).
    """
    outdir = Path(opts.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    stale: list[Path] = []
    with outdir_lock(outdir, "kg build"):
        with transaction(outdir):
            summary = _build(opts, progress, stale)
            done = time.perf_counter()
        log.debug("outputs committed: %.3fs", time.perf_counter() - done)
        drop_stale(stale)  # once the outputs that pointed at them are replaced
    return summary


def drop_stale(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _build(opts: BuildOptions, progress: Progress | None = None, stale: list[Path] | None = None) -> BuildSummary:
    """The build itself (see :func:`build`).

    Extraction (in ``opts.workers`` processes) goes to the on-disk extraction
    store; with ``opts.update`` only papers that are new or whose content
    changed are extracted. The resolver sees every paper: as it is extracted
    in a full build; in an update the previous build's resolver takes the new
    papers (or, when papers changed or were pruned, a fresh one re-reads the
    store). The writers then render, per output, only the papers that are new,
    changed, or whose entities now resolve differently, and copy every other
    paper's bytes from the previous output (:mod:`kg.outputs`). Memory grows
    with distinct entities, not with papers.
    """
    t0 = time.perf_counter()
    # A full build of a large corpus extracts every paper: its workers start loading the pipeline now.
    # So does an update that will read an input file: loading overlaps reading and the store's look-ups.
    # (An update reading nothing extracts nothing, and a small build is better served by one load, forked.)
    news = news_bytes(default_inputs(opts.inputs), previous_inputs(opts.outdir)) if opts.update else 0
    early = opts.workers > 1 and not opts.dask and (
        news > 0 if opts.update else input_bytes(default_inputs(opts.inputs)) >= EARLY_START_BYTES)
    small = opts.update and news < SMALL_UPDATE_BYTES
    pool = (start_workers(1, helpers=opts.workers - 1) if small else start_workers(opts.workers)) if early else None
    try:
        return _build_with(opts, progress, t0, pool, stale if stale is not None else [])
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _build_with(opts: BuildOptions, progress: Progress | None, t0: float, pool, stale: list[Path]) -> BuildSummary:
    from .outputs import OpenOutputs, dirty_papers, write_outputs
    from .sources import InputManifest, ReadReport, read_inputs

    version = EXTRACTOR_VERSION
    inputs = default_inputs(opts.inputs)
    outdir = Path(opts.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    report = ReadReport()
    from .nlp.vocab import vocabulary_digest

    # What a stored extraction depends on: the extractor's code and its data.
    identity = f"{version}+vocab.{vocabulary_digest()[:16]}"
    store = ExtractionStore(outdir, identity, fresh=not opts.update)
    curation = load_curation(opts.aliases)  # a bad file is an error before anything is read
    state = store.take_state() if opts.update else None
    # the last build's resolver applied its curation to every paper it holds: a changed
    # curation file makes a fresh one re-read the store, as changed or pruned papers do
    recurate = state is not None and state.get("curation", "") != curation.digest
    # Without a saved state the last build did not finish: read every file again.
    manifest = InputManifest(store.inputs() if state else ())
    key = f"{LAYOUT_VERSION}|{store.generation}|{version}"
    records = read_inputs(inputs, input_format=opts.input_format, report=report, manifest=manifest,
                          include=opts.include, exclude=opts.exclude,
                          stored=store.stored_unchanged if opts.update else None)
    opened: OpenOutputs | None = None
    try:
        if opts.update and pool is not None:
            # its workers are loading the pipeline: meanwhile the outputs are opened (old layouts
            # read, the explorer's index copied), which does not wait for what extraction finds
            opened = OpenOutputs(outdir, key, output_formats(opts), opts.base_iri, version)
        if opts.update:
            records = (r for r in records if not store.is_current(r))
        records = keep_fulltexts(records, outdir)
        resolver = state["resolver"] if state and not recurate else Resolver(vocabulary_pairs(), curation)
        # The resolver must see exactly the stored papers: in an update without
        # a saved one, a fresh one reads the whole store after extraction.
        extracting = extract_records(records, progress, opts.workers, opts.dask, packed=True, pool=pool)
        extracted, observing = _store_extractions(store, skips_to_report(extracting, report), resolver,
                                                  observing=not opts.update or state is not None)
        log.info("%d papers extracted (%.1fs)", extracted, time.perf_counter() - t0)
        progress_stage("resolving", unit="")
        store.mark_seen(manifest.reused_ids())
        pruned = store.prune() if opts.prune else 0
        stale.extend(p for pid in store.pruned_ids for p in fulltext_paths(outdir, pid))  # their kept full texts
        if opts.update and (pruned or not observing or state is None or recurate):
            resolver = _resolver_from_store(store, curation)
        resolver.resolve()
        handles = resolver.handle_map()
        dirty: frozenset[int] | None = None
        # a changed curation may pin a paper's entity to another handle: every paper renders again
        if state is not None and not recurate:
            touched = dirty_papers(outdir, changed_handles(state["handles"], handles), key)
            dirty = dirty_seqs(store.new_seqs, store.changed_seqs, touched)
        plan = WritePlan(outdir, store.path, version, key, dirty)
        log.info("resolved; %s papers to render (%.1fs)", "all" if dirty is None else len(dirty),
                 time.perf_counter() - t0)
        counts = write_outputs(plan, resolver, output_formats(opts), opts.base_iri, opts.workers, opened)
        log.info("outputs written (%.1fs)", time.perf_counter() - t0)
        t1 = time.perf_counter()
        write_resolution(outdir, resolver)  # the audit: nodes, their surface forms, merges not made
        resolver.forget_resolution()  # not worth keeping on disk: recomputed after the next adds
        store.save_inputs(manifest.entries)
        store.save_state(resolver=resolver, handles=handles, curation=curation.digest)
        log.debug("resolution audit and state saved: %.3fs", time.perf_counter() - t1)
    except BaseException:
        if opened is not None:
            opened.abort()
        raise
    finally:
        store.close()

    summary = _summary(opts, inputs, report, counts, extracted, pruned, version, t0)
    write_summary(summary, outdir / "summary.json")
    return summary


def _store_extractions(store: ExtractionStore, items: Iterable, resolver: Resolver,
                       observing: bool) -> tuple[int, bool]:
    """Store each extraction, showing the resolver what it observes while that stays valid.
    Returns (papers stored, whether the resolver saw all of them)."""
    extracted = 0
    for item in store.put_all(items):
        extracted += 1
        if store.changed_seqs:  # its old entities are in the resolver: start over after extraction
            observing = False
        if observing:
            resolver.add_observation(item.observation)
    return extracted, observing


def _resolver_from_store(store: ExtractionStore, curation) -> Resolver:
    """A fresh resolver over every stored paper (after pruning, changes, or a new curation)."""
    resolver = Resolver(vocabulary_pairs(), curation)
    for ex in store.read():
        resolver.add(ex)
    return resolver


def _summary(opts: BuildOptions, inputs, report: ReadReport, counts, extracted: int, pruned: int,
             version: str, t0: float) -> BuildSummary:
    return BuildSummary(
        inputs=inputs,
        papers=counts.papers,
        extracted=extracted,
        pruned=pruned,
        skipped=len(report.skipped),
        skipped_records=report.to_dict()["skipped"],  # the first 200; `skipped` has the total
        truncated=len(report.truncated),
        truncated_records=report.to_dict()["truncated"],
        formats=dict(report.formats),
        duplicates_merged=report.duplicates,
        entities={k: v for k, v in counts.nodes.items() if k != "Paper"},
        edges=counts.edges,
        mentions=counts.mentions,
        extractor=version,
        base_iri=opts.base_iri,
        seconds=round(time.perf_counter() - t0, 3),
        outputs=counts.outputs,
        empty_inputs=list(report.empty_files),
    )


def output_formats(opts: BuildOptions) -> list[str]:
    """The formats (names of kg.writers.REGISTRY) a build writes besides papers.jsonl and graph.jsonl."""
    from .writers.rdf import normalize_format

    chosen = [normalize_format(f) for f in opts.rdf_formats]
    if opts.graphml:
        chosen.append("graphml")
    return list(dict.fromkeys([*chosen, *opts.formats]))


def write_summary(summary: BuildSummary, path: Path) -> None:
    # "seconds" varies run to run; it is the one field allowed to differ.
    with atomic_write(path) as fh:
        json.dump(summary.to_dict(), fh, indent=2, sort_keys=True, ensure_ascii=False)
        fh.write("\n")


def read_summary(outdir: str | Path) -> dict:
    path = Path(outdir)
    if path.is_dir():
        path = path / "summary.json"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no summary here; run `kg build -o {path.parent}` first")
    return json.loads(path.read_text(encoding="utf-8"))
