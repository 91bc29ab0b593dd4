#!/usr/bin/env python
"""Extraction speed vs spaCy's blank English tokenizer on the same texts.

Reads the bundled samples (kg/samples/*.txt; a title line followed by an
abstract line), repeats them to N records and prints JSON: papers/s for
``nlp.tokenizer`` alone and for ``Extractor.extract_many``, their ratio, and
peak RSS. The two sides alternate chunk by chunk so both see the same
machine load; both warm up on one chunk first.

    python scripts/bench_extract.py [--n 20000]
"""

from __future__ import annotations

import argparse
import glob
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from kg.types import PaperRecord  # noqa: E402


def read_samples() -> list[PaperRecord]:
    try:  # the readers' module, when this branch has it
        from kg.sources import read_inputs  # type: ignore

        recs = [r for r in read_inputs([str(p) for p in sorted((ROOT / "kg" / "samples").glob("*.txt"))]) if isinstance(r, PaperRecord)]
        if recs:
            return recs
    except Exception:  # noqa: BLE001 - fall back to the simple split below
        pass
    recs = []
    for path in sorted(glob.glob(str(ROOT / "kg" / "samples" / "*.txt"))):
        lines = [ln.strip() for ln in open(path, encoding="utf-8") if ln.strip()]
        for i in range(1, len(lines)):
            if len(lines[i]) > 300 and len(lines[i - 1]) < 300:
                recs.append(PaperRecord(id=f"{Path(path).stem}:{i}", title=lines[i - 1], abstract=lines[i]))
    return recs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--chunk", type=int, default=1000, help="records per alternation between the two sides")
    args = ap.parse_args()
    base = read_samples()
    recs = (base * (args.n // max(1, len(base)) + 1))[: args.n]
    texts = [r.title + "\n" + r.abstract for r in recs]

    nlp = spacy.blank("en")
    from kg.nlp import Extractor

    t0 = time.perf_counter()
    ex = Extractor()
    load_s = time.perf_counter() - t0

    # warm both up on one chunk, then alternate chunks so that both sides see
    # the same machine load (shared machines fluctuate a lot)
    chunk = args.chunk
    for _ in nlp.tokenizer.pipe(texts[:chunk]):
        pass
    for _ in ex.extract_many(recs[:chunk]):
        pass
    tok_s = ext_s = 0.0
    n_ent = 0
    for i in range(0, len(recs), chunk):
        t0 = time.perf_counter()
        for _ in nlp.tokenizer.pipe(texts[i : i + chunk], batch_size=args.batch_size):
            pass
        tok_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        for x in ex.extract_many(recs[i : i + chunk], batch_size=args.batch_size):
            n_ent += len(x.entities)
        ext_s += time.perf_counter() - t0

    tok_ps = len(recs) / tok_s
    ext_ps = len(recs) / ext_s
    print(
        json.dumps(
            {
                "records": len(recs),
                "unique_records": len(base),
                "tokenizer_papers_per_s": round(tok_ps, 1),
                "extractor_papers_per_s": round(ext_ps, 1),
                "ratio": round(ext_ps / tok_ps, 3),
                "extractor_load_s": round(load_s, 2),
                "entities": n_ent,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
