#!/usr/bin/env python3
"""Benchmarks for paperkg: prints one JSON object of figures and ratios.

Every ratio compares against a baseline measured in the same process on the
same data, so figures from noisy machines stay comparable:

- extraction: papers/s of the extractor vs spaCy's blank English tokenizer alone;
- build: end-to-end papers/s (read -> extract -> resolve -> write) with 1 and N
  workers, vs the tokenizer alone, and peak RSS;
- rdf: triples/s of our RDF writer vs rdflib's Turtle serializer on one graph;
- falkordb: relationships/s through our writer vs a plain UNWIND ... MERGE.

- scale: time and peak RSS of builds at --scale sizes (linear growth);
- incremental: --update with 1% new papers vs a full build.
- host_steal_share: the share of CPU time the hypervisor gave other guests during the run (Linux);
  figures of a run with a high share are low by about that much, so quote it with them.
- search: the explorer's search latency (p50/p99) over OUTDIR/explorer.sqlite of a --records build
  (or of --search-outdir), for queries typed letter by letter, and the time to build that index.

Usage: python scripts/bench.py [--records N] [--workers 1,2] [--only SECTIONS] [--scale 10000,100000]
"""

from __future__ import annotations

import argparse
import compileall
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import SAMPLES_DIR, BuildOptions, build  # noqa: E402
from kg.sources import ReadReport, read_inputs  # noqa: E402
from kg.types import PaperRecord  # noqa: E402


def peak_rss_mb() -> float:
    # ru_maxrss is KiB on Linux; includes finished children with RUSAGE_CHILDREN.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(own / 1024, 1)


def host_cpu_ticks() -> list[int] | None:
    """The machine's CPU tick counters (Linux /proc/stat: user nice system idle iowait irq softirq
    steal ...), or None where there is no /proc."""
    try:
        return [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None


def steal_share(before: list[int] | None, after: list[int] | None) -> float | None:
    """Share of the machine's CPU time the hypervisor gave to other guests between two readings.
    A virtual machine whose host is busy loses CPU without any process here showing it (load
    average and ps look quiet), and every figure of a run with a high share is low by about it."""
    if before is None or after is None or len(before) < 8:
        return None
    d = [b - a for a, b in zip(before, after)]
    return round(d[7] / sum(d), 3) if sum(d) else None


def sample_records() -> list[PaperRecord]:
    return list(read_inputs([SAMPLES_DIR], report=ReadReport()))


_VARIANTS = (
    lambda s: s,
    lambda s: s.replace("-", " "),
    lambda s: s.replace("Mixture of Experts", "Mixture-of-Experts").replace("Transformers", "Transformer models"),
    lambda s: s.replace("large language models", "Large Language Models"),
)


def repeated(records: list[PaperRecord], n: int) -> list[PaperRecord]:
    """The sample repeated to ``n`` records, each copy a distinct paper with a
    light textual variation, so duplicate merging and resolution do real work."""
    out = []
    k = 0
    while len(out) < n:
        vary = _VARIANTS[k % len(_VARIANTS)]
        for rec in records:
            if len(out) == n:
                break
            out.append(PaperRecord(id=f"{rec.id}.{k}", title=f"{rec.title} (part {k})",
                                   abstract=vary(rec.abstract), source=rec.source, line=rec.line))
        k += 1
    return out


def write_jsonl(records: list[PaperRecord], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({"id": r.id, "title": r.title, "abstract": r.abstract}) + "\n")


def _texts(records: list[PaperRecord]) -> list[str]:
    return [r.title + "\n" + r.abstract for r in records]


def tokenizer_rate(records: list[PaperRecord], cpu: bool = False) -> float | tuple[float, float]:
    """Papers/s of spaCy's blank English tokenizer alone: the baseline (with ``cpu``, also papers per
    CPU-second of this process)."""
    import spacy

    nlp = spacy.blank("en")
    texts = _texts(records)
    for _ in nlp.tokenizer.pipe(texts[:500]):  # warm-up
        pass
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in nlp.tokenizer.pipe(texts, batch_size=256):
        pass
    wall, cpu_s = time.perf_counter() - t0, time.process_time() - c0
    return (len(records) / wall, len(records) / cpu_s) if cpu else len(records) / wall


def bench_extraction(records: list[PaperRecord], chunk: int = 1000) -> dict:
    """Extractor vs tokenizer on the same texts, alternating chunk by chunk so
    both sides see the same machine load (shared machines swing a lot)."""
    import spacy

    from kg.nlp import Extractor

    nlp = spacy.blank("en")
    t0 = time.perf_counter()
    ex = Extractor()
    load_s = time.perf_counter() - t0
    texts = _texts(records)
    for _ in nlp.tokenizer.pipe(texts[:chunk]):  # warm both up
        pass
    for _ in ex.extract_many(records[:chunk]):
        pass
    tok_s = ext_s = 0.0
    for i in range(0, len(records), chunk):
        t0 = time.perf_counter()
        for _ in nlp.tokenizer.pipe(texts[i:i + chunk], batch_size=256):
            pass
        tok_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        for _ in ex.extract_many(records[i:i + chunk]):
            pass
        ext_s += time.perf_counter() - t0
    base, rate = len(records) / tok_s, len(records) / ext_s
    return {"records": len(records), "tokenizer_papers_per_s": round(base, 1),
            "extractor_papers_per_s": round(rate, 1), "ratio": round(rate / base, 3),
            "extractor_load_s": round(load_s, 2)}


def _child_build(src: Path | list[Path], outdir: Path, workers: int, update: bool = False) -> dict:
    """Run one build in a fresh process, so its peak RSS is its own."""
    srcs = ",".join(str(p) for p in (src if isinstance(src, list) else [src]))
    cmd = [sys.executable, __file__, "--child-build", srcs, str(outdir), str(workers)]
    if update:
        cmd.append("--update")
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


class _Phases(logging.Handler):
    """Wall and CPU seconds of a build's phases, from kg.build's log lines: until the extraction
    pool is done ("extract"), then resolving and writing ("write"); CPU of this process (the
    parent: reading, storing, feeding the resolver; rendering's orchestration and file writes)
    and of its reaped children (the extraction workers, then the rendering ones). On a loaded
    machine the CPU split still shows where a build's time goes."""

    MARKS = (("extract", " papers extracted ("), ("write", "outputs written ("))

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.last = self._now()
        self.phases: dict[str, dict[str, float]] = {}

    @staticmethod
    def _now() -> tuple[float, float, float]:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.perf_counter(), own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        for name, text in self.MARKS:
            if text in msg:
                now = self._now()
                self.phases[name] = {"wall_s": round(now[0] - self.last[0], 2),
                                     "parent_cpu_s": round(now[1] - self.last[1], 2),
                                     "children_cpu_s": round(now[2] - self.last[2], 2)}
                self.last = now


def child_build_main(src: str, outdir: str, workers: int, update: bool) -> None:
    phases = _Phases()
    build_log = logging.getLogger("kg.build")
    build_log.addHandler(phases)
    build_log.setLevel(logging.INFO)
    for handler in logging.getLogger().handlers:  # the figures, not the info lines, on stderr
        handler.setLevel(max(handler.level, logging.WARNING))
    t0 = time.perf_counter()
    summary = build(BuildOptions(inputs=src.split(","), outdir=outdir, workers=workers, update=update,
                                 rdf_formats=("turtle", "ntriples"), graphml=False))
    secs = time.perf_counter() - t0
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    rss = max(own.ru_maxrss, kids.ru_maxrss)
    cpu = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime  # this process and its workers
    print(json.dumps({"papers": summary.papers, "extracted": summary.extracted, "seconds": round(secs, 2),
                      "cpu_seconds": round(cpu, 2), "peak_rss_mb": round(rss / 1024, 1),
                      "phases": phases.phases}))


def bench_build(records: list[PaperRecord], workers: list[int]) -> dict:
    """End to end: read -> extract -> resolve -> write JSONL, N-Triples and
    Turtle, each build in its own process. The tokenizer baseline is measured
    right before and after each build and averaged, so both see the same
    machine.

    ``cpu_ratio_to_tokenizer`` is the same comparison in CPU time (every process of the build against
    the tokenizer's process), times the number of workers: what ``ratio_to_tokenizer`` would be with a
    free core for each worker and no serial part. An upper bound, but one that moves little with other
    load on the machine, where the wall-clock figure of several workers is meaningless."""
    out: dict = {"records": len(records)}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        write_jsonl(records, src)
        for w in workers:
            before, cpu_before = tokenizer_rate(records, cpu=True)
            ticks, load = host_cpu_ticks(), os.getloadavg()[0]
            run = _child_build(src, Path(tmp) / f"out{w}", w)
            # the build's own share of stolen time, and the machine's load around it (other processes
            # on the two cores slow a build of two workers more than the one-core tokenizer)
            run["host_steal_share"] = steal_share(ticks, host_cpu_ticks())
            run["load_average_before_after"] = [round(load, 2), round(os.getloadavg()[0], 2)]
            after, cpu_after = tokenizer_rate(records, cpu=True)
            base, cpu_base = (before + after) / 2, (cpu_before + cpu_after) / 2
            rate = run["papers"] / run["seconds"]
            cpu_rate = w * run["papers"] / run["cpu_seconds"]
            out[f"workers_{w}"] = {**run, "papers_per_s": round(rate, 1),
                                   "tokenizer_papers_per_s": round(base, 1),
                                   "ratio_to_tokenizer": round(rate / base, 3),
                                   "cpu_ms_per_paper": round(1000 * run["cpu_seconds"] / run["papers"], 2),
                                   "cpu_ratio_to_tokenizer": round(cpu_rate / cpu_base, 3)}
        if len(workers) > 1:
            out["speedup"] = round(out[f"workers_{workers[-1]}"]["papers_per_s"]
                                   / out[f"workers_{workers[0]}"]["papers_per_s"], 2)
    return out


def bench_scale(sample: list[PaperRecord], sizes: list[int], workers: int) -> dict:
    """Time and peak RSS at several corpus sizes: cost should grow linearly."""
    out: dict = {"workers": workers}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            src = Path(tmp) / f"in{n}.jsonl"
            write_jsonl(repeated(sample, n), src)
            out[str(n)] = _child_build(src, Path(tmp) / f"out{n}", workers)
            src.unlink()
    if len(sizes) > 1:
        lo, hi = str(sizes[0]), str(sizes[-1])
        out["time_ratio"] = round(out[hi]["seconds"] / out[lo]["seconds"], 2)
        out["size_ratio"] = round(sizes[-1] / sizes[0], 2)
    return out


def with_new_entities(records: list[PaperRecord]) -> list[PaperRecord]:
    """The same papers, each also proposing a method named nowhere else (an invented coinage), as a
    day of new papers does: their entity nodes make every file's head grow."""
    return [PaperRecord(id=f"{r.id}.n", title=f"Quorvex-{i}: {r.title}",
                        abstract=f"We propose Quorvex-{i}, a new method. {r.abstract}", source=r.source, line=r.line)
            for i, r in enumerate(records)]


def bench_incremental(records: list[PaperRecord], workers: int) -> dict:
    """A full build, then --update with 1% new papers: time ratio, and the updated output must equal a
    full build over all inputs. Twice: the bench corpus's new papers repeat its entities (every file
    is patched in place), then the same papers each naming a new entity (every file is rewritten)."""
    import shutil

    k = max(1, len(records) // 100)
    old, news = records[:-k], {"": records[-k:], "new_entities_": with_new_entities(records[-k:])}
    out: dict = {"records": len(records), "new": k}
    with tempfile.TemporaryDirectory() as tmp:
        a = Path(tmp) / "a.jsonl"
        write_jsonl(old, a)
        _child_build([a], Path(tmp) / "base", workers)
        for label, new in news.items():
            b, inc = Path(tmp) / "b.jsonl", Path(tmp) / "inc"
            write_jsonl(new, b)
            full = _child_build([a, b], Path(tmp) / "full", workers)
            shutil.rmtree(inc, ignore_errors=True)
            shutil.copytree(Path(tmp) / "base", inc, symlinks=True)  # (copy2 keeps the mtimes the layouts check)
            # The copy's dirty pages on disk first: else the update's syncs of the files it patches
            # write back the whole copy (0.3 s and more), which an update of outputs written by an
            # earlier build (long since on disk) never does.
            os.sync()
            update = _child_build([a, b], inc, workers, update=True)
            same = all((Path(tmp) / "full" / f).read_bytes() == (inc / f).read_bytes()
                       for f in ("papers.jsonl", "graph.jsonl", "graph.nt", "graph.ttl"))
            same_index = _index_rows(Path(tmp) / "full") == _index_rows(inc)
            out.update({f"{label}full_seconds": full["seconds"], f"{label}update_seconds": update["seconds"],
                        f"{label}update_cpu_seconds": update["cpu_seconds"],
                        f"{label}update_extracted": update["extracted"],
                        f"{label}ratio": round(update["seconds"] / full["seconds"], 3),
                        f"{label}same_output_as_full_build": same,
                        f"{label}same_search_index_as_full_build": same_index})
            shutil.rmtree(Path(tmp) / "full")
    return out


def _index_rows(outdir: Path) -> list:
    """What a query can see in OUTDIR/explorer.sqlite (a patched index has another page layout)."""
    import sqlite3

    conn = sqlite3.connect(outdir / "explorer.sqlite")
    try:
        return [conn.execute(q).fetchall() for q in (
            "SELECT * FROM nodes ORDER BY id", "SELECT * FROM edges ORDER BY source, type, target, props",
            "SELECT rowid, * FROM terms ORDER BY rowid", "SELECT rowid, text, label, node, kind FROM fts ORDER BY rowid",
            "SELECT * FROM meta ORDER BY key")]
    finally:
        conn.close()


# -- full texts -------------------------------------------------------------------------------

def _pdf_corpus(tmp: Path, docs: int, filler: int) -> list[Path]:
    """``docs`` distinct multi-page paper PDFs (tests/pdfgen.py), two columns written row by row."""
    import dataclasses

    sys.path.insert(0, str(ROOT / "tests"))
    from pdfgen import sample_spec, write_paper_pdf

    paths = []
    for i in range(docs):
        spec = sample_spec(filler=filler)
        spec = dataclasses.replace(spec, title=f"{spec.title} (part {i})")
        paths.append(write_paper_pdf(tmp / f"paper{i:03d}.pdf", spec))
    return paths


def _pdfium_raw(paths: list[Path]) -> tuple[int, int]:
    """PDFium's own text extraction, page by page: (pages, characters)."""
    import pypdfium2 as pdfium

    pages = chars = 0
    for path in paths:
        doc = pdfium.PdfDocument(str(path))
        for page in doc:
            tp = page.get_textpage()
            chars += len(tp.get_text_range())
            tp.close()
            page.close()
            pages += 1
        doc.close()
    return pages, chars


def _timed(fn, *args):
    t0 = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - t0


def bench_fulltext(docs: int, filler: int, workers: list[int]) -> dict:
    """Pages/s of `kg build` over generated paper PDFs next to pypdfium2's raw
    text extraction of the same files, in this process; peak RSS; workers scaling."""
    out: dict = {"pdfs": docs}
    with tempfile.TemporaryDirectory() as tmp:
        paths = _pdf_corpus(Path(tmp), docs, filler)
        (pages, _), raw_s = _timed(_pdfium_raw, paths)
        (pages, _), raw_s2 = _timed(_pdfium_raw, paths)  # warm, like the build's second look
        raw_rate = pages / min(raw_s, raw_s2)
        out.update({"pages": pages, "raw_pdfium_pages_per_s": round(raw_rate, 1)})
        from kg.sources.pdf import read_file

        recs, read_s = _timed(lambda: [next(read_file(p, str(p))) for p in paths])
        out["reader_pages_per_s"] = round(pages / read_s, 1)
        # the ceiling any spaCy pipeline has: its tokenizer alone over the kept text
        import spacy

        tok = spacy.blank("en").tokenizer
        _, tok_s = _timed(lambda: [tok(r.fulltext.text) for r in recs])
        out["spacy_tokenizer_pages_per_s"] = round(pages / tok_s, 1)
        _extractor_loaded()
        for w in workers:
            opts = BuildOptions(inputs=[str(p) for p in paths], outdir=str(Path(tmp) / f"out{w}"), workers=w)
            summary, secs = _timed(build, opts)
            rate = pages / secs
            out[f"workers_{w}"] = {"papers": summary.papers, "seconds": round(secs, 2),
                                   "pages_per_s": round(rate, 1), "ratio_to_raw": round(rate / raw_rate, 3)}
        if len(workers) > 1:
            out["speedup"] = round(out[f"workers_{workers[-1]}"]["pages_per_s"]
                                   / out[f"workers_{workers[0]}"]["pages_per_s"], 2)
        out["peak_rss_mb"] = max(peak_rss_mb(),
                                 round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1))
    return out


def _extractor_loaded() -> None:
    """Load the pipeline before timing builds (a build's first second is loading it)."""
    from kg.build import _extractor

    _extractor()


def _pdf_library_texts() -> dict:
    """The three libraries' plain text of one generated paper: pages/s, and whether
    sentences that run across lines of one column come out whole."""
    import pypdf
    import pypdfium2 as pdfium
    from pdfminer.high_level import extract_text

    def fium(path: Path) -> str:
        doc = pdfium.PdfDocument(str(path))
        text = "\n".join(page.get_textpage().get_text_range() for page in doc)
        doc.close()
        return text

    def ours(path: Path) -> str:
        from kg.sources.pdf import read_file

        return next(read_file(path, str(path))).fulltext.text

    libs = {"pypdfium2": fium, "pypdf": lambda p: "\n".join(pg.extract_text() for pg in pypdf.PdfReader(p).pages),
            "pdfminer.six": lambda p: extract_text(str(p)), "pypdfium2 + kg layout": ours}
    probes = ("Sparse mixtures of experts were scaled up by GShard",
              "We train all models on 64 NVIDIA A100 80GB GPUs for 3 days",
              "which improves the regularization of rarely chosen experts")
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = _pdf_corpus(Path(tmp), 4, 60)
        pages, _ = _pdfium_raw(paths)
        for name, fn in libs.items():
            texts, secs = _timed(lambda: [fn(p) for p in paths])
            flat = " ".join(" ".join(texts).split())
            out[name] = {"pages_per_s": round(pages / secs, 1),
                         "sentences_whole": sum(p in flat for p in probes), "of": len(probes),
                         "ligature_left": "\ufb01" in flat}
    return out


def bench_search(records: list[PaperRecord], workers: int, outdir: str | None = None, rounds: int = 3) -> dict:
    """Search latency on a built corpus (built here from ``records``, or the build in ``outdir``):
    p50/p99 of the explorer's search over OUTDIR/explorer.sqlite for queries typed letter by letter,
    as the home page sends them while you type (entity names and title words), and the time to build
    the index from graph.jsonl."""
    import random
    import statistics

    from kg.serve.search import build_index, connect, search

    with tempfile.TemporaryDirectory() as tmp:
        out: dict = {}
        if outdir is None:
            src = Path(tmp) / "in.jsonl"
            write_jsonl(records, src)
            outdir = str(Path(tmp) / "out")
            out["build"] = _child_build(src, Path(outdir), workers)
        t0 = time.perf_counter()
        index = build_index(outdir)
        out["index_seconds"] = round(time.perf_counter() - t0, 2)
        out["index_mb"] = round(index.stat().st_size / 2**20, 1)
        conn = connect(index)
        out["papers"] = conn.execute("SELECT count(*) FROM nodes WHERE label = 'Paper'").fetchone()[0]
        out["entities"] = conn.execute("SELECT count(*) FROM nodes WHERE label != 'Paper'").fetchone()[0]
        rnd = random.Random(7)
        names = [r[0] for r in conn.execute("SELECT name FROM nodes WHERE label != 'Paper' ORDER BY papers DESC "
                                            "LIMIT 30")]
        names += rnd.sample([r[0] for r in conn.execute("SELECT name FROM nodes WHERE label != 'Paper'")], 30)
        titles = [r[0] for r in conn.execute("SELECT name FROM nodes WHERE label = 'Paper' LIMIT 2000")]
        words = [w for t in rnd.sample(titles, min(40, len(titles))) for w in t.split()[:2] if len(w) > 3]
        typed = [text[:k] for text in names + words for k in range(1, min(len(text), 12) + 1)]
        times = []
        for _ in range(rounds):
            for q in typed:
                t = time.perf_counter()
                search(conn, q, None, 12)
                times.append(time.perf_counter() - t)
        times.sort()
        out["queries"] = len(times)
        out["search_p50_ms"] = round(times[len(times) // 2] * 1000, 2)
        out["search_p99_ms"] = round(times[int(len(times) * 0.99)] * 1000, 2)
        out["search_max_ms"] = round(times[-1] * 1000, 2)
        out["search_mean_ms"] = round(statistics.mean(times) * 1000, 2)
        conn.close()
    return out


def compile_package() -> bool:
    """Byte-compile the checkout's ``kg`` as pip does when it installs the wheel: the product runs
    from .pyc files, while a checkout run with PYTHONDONTWRITEBYTECODE=1 (this CI image sets it)
    would recompile every module in every process, 0.3 s in a build and 0.14 s in each worker,
    which an ``--update`` of 200 papers would pay as a quarter of its time."""
    return bool(compileall.compile_dir(ROOT / "kg", quiet=1, workers=1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=20000, help="records for extraction/build (default 20000)")
    ap.add_argument("--workers", default="1,2", help="worker counts for the build benchmark (default 1,2)")
    ap.add_argument("--only", default="extraction,build,incremental,rdf,falkordb",
                    help="comma-separated sections: extraction, build, scale, incremental, rdf, falkordb, "
                         "fulltext, pdflibs")
    ap.add_argument("--pdfs", type=int, default=12, help="generated PDFs for the fulltext section (default 12)")
    ap.add_argument("--scale", default="10000,100000", help="corpus sizes for the scale section")
    ap.add_argument("--search-outdir", default=None, help="search section: time the index of this build "
                    "instead of building --records papers first")
    ap.add_argument("--child-build", nargs=3, metavar=("SRC", "OUT", "WORKERS"), help=argparse.SUPPRESS)
    ap.add_argument("--update", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_build:
        src, out, w = args.child_build
        child_build_main(src, out, int(w), args.update)
        return
    logging.basicConfig(level=logging.ERROR)
    sections = set(args.only.split(","))
    result: dict = {"python": sys.version.split()[0], "bytecode_compiled": compile_package()}
    ticks = host_cpu_ticks()
    workers = [int(w) for w in args.workers.split(",")]
    if "pdflibs" in sections:
        result["pdflibs"] = _pdf_library_texts()
    if "fulltext" in sections:
        result["fulltext"] = bench_fulltext(args.pdfs, 120, workers)
    if not sections - {"fulltext", "pdflibs"}:
        result["host_steal_share"] = steal_share(ticks, host_cpu_ticks())
        print(json.dumps(result, indent=2))
        return
    sample = sample_records()
    records = repeated(sample, args.records)
    if "extraction" in sections:
        result["extraction"] = bench_extraction(records)
    if "build" in sections:
        result["build"] = bench_build(records, workers)
    if "scale" in sections:
        result["scale"] = bench_scale(sample, [int(n) for n in args.scale.split(",")], workers[-1])
    if "incremental" in sections:
        result["incremental"] = bench_incremental(records, workers[-1])
    if "search" in sections:
        result["search"] = bench_search(records, workers[-1], args.search_outdir)
    if "rdf" in sections or "falkordb" in sections:
        from kg.graph import GraphFile

        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "in.jsonl"
            write_jsonl(records, src)
            build(BuildOptions(inputs=[src], outdir=Path(tmp) / "g", workers=2, rdf_formats=(), graphml=False))
            if "rdf" in sections:
                try:
                    from kg.writers.rdf import bench_rdf
                    result["rdf"] = bench_rdf(GraphFile(Path(tmp) / "g"))
                except ImportError as exc:
                    result["rdf"] = {"skipped": str(exc)}
            if "falkordb" in sections:
                try:
                    from kg.writers.falkordb import bench_falkordb
                    result["falkordb"] = bench_falkordb(Path(tmp) / "g")
                except ImportError as exc:
                    result["falkordb"] = {"skipped": str(exc)}
    result["peak_rss_mb"] = peak_rss_mb()
    result["host_steal_share"] = steal_share(ticks, host_cpu_ticks())
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
