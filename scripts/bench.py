#!/usr/bin/env python3
"""Benchmarks for paperkg: prints one JSON object of figures and ratios.

Every ratio compares against a baseline measured in the same process on the
same data, so figures from noisy machines stay comparable:

- extraction: papers/s of the extractor vs spaCy's blank English tokenizer alone;
- build: end-to-end papers/s (read -> extract -> resolve -> write) with 1 and N
  workers, vs the tokenizer alone, and peak RSS;
- rdf: triples/s of our RDF writer vs rdflib's Turtle serializer on one graph;
- falkordb: relationships/s through our writer vs a plain UNWIND ... MERGE.

Usage: python scripts/bench.py [--records N] [--only extraction,build,rdf,falkordb]
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
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


def tokenizer_rate(records: list[PaperRecord]) -> float:
    import spacy

    nlp = spacy.blank("en")
    t0 = time.perf_counter()
    for r in records:
        nlp.tokenizer(r.title)
        nlp.tokenizer(r.abstract)
    return len(records) / (time.perf_counter() - t0)


def bench_extraction(records: list[PaperRecord]) -> dict:
    from kg.nlp import Extractor

    ex = Extractor()
    base = tokenizer_rate(records)
    t0 = time.perf_counter()
    for _ in ex.extract_many(records):
        pass
    rate = len(records) / (time.perf_counter() - t0)
    return {"records": len(records), "tokenizer_papers_per_s": round(base, 1),
            "extractor_papers_per_s": round(rate, 1), "ratio": round(rate / base, 3)}


def bench_build(records: list[PaperRecord], workers: list[int]) -> dict:
    base = tokenizer_rate(records)
    out: dict = {"records": len(records), "tokenizer_papers_per_s": round(base, 1)}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        write_jsonl(records, src)
        for w in workers:
            t0 = time.perf_counter()
            summary = build(BuildOptions(inputs=[src], outdir=Path(tmp) / f"out{w}", workers=w,
                                            rdf_formats=("turtle", "ntriples")))
            secs = time.perf_counter() - t0
            rate = summary.papers / secs
            out[f"workers_{w}"] = {"seconds": round(secs, 2), "papers_per_s": round(rate, 1),
                                   "ratio_to_tokenizer": round(rate / base, 3)}
        if len(workers) > 1:
            out["speedup"] = round(out[f"workers_{workers[-1]}"]["papers_per_s"]
                                   / out[f"workers_{workers[0]}"]["papers_per_s"], 2)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=20000, help="records for extraction/build (default 20000)")
    ap.add_argument("--workers", default="1,2", help="worker counts for the build benchmark (default 1,2)")
    ap.add_argument("--only", default="extraction,build,rdf,falkordb", help="comma-separated sections")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    sections = set(args.only.split(","))
    sample = sample_records()
    records = repeated(sample, args.records)
    result: dict = {"python": sys.version.split()[0]}
    if "extraction" in sections:
        result["extraction"] = bench_extraction(records)
    if "build" in sections:
        result["build"] = bench_build(records, [int(w) for w in args.workers.split(",")])
    if "rdf" in sections or "falkordb" in sections:
        from kg.graph import load_graph

        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "in.jsonl"
            write_jsonl(records, src)
            build(BuildOptions(inputs=[src], outdir=Path(tmp) / "g", workers=2, rdf_formats=(), graphml=False))
            graph = load_graph(Path(tmp) / "g")
        if "rdf" in sections:
            try:
                from kg.writers.rdf import bench_rdf
                result["rdf"] = bench_rdf(graph)
            except ImportError as exc:
                result["rdf"] = {"skipped": str(exc)}
        if "falkordb" in sections:
            try:
                from kg.writers.falkordb import bench_falkordb
                result["falkordb"] = bench_falkordb(graph)
            except ImportError as exc:
                result["falkordb"] = {"skipped": str(exc)}
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
