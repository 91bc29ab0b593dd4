"""No record can fail a build: a huge abstract, JSON nested 1,000 deep, a lone
surrogate escape, a wrong field type or an extraction error in a worker
costs that record only (kept truncated, or skipped with file, line and
reason), never the run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _good(i: int) -> dict:
    return {"title": f"Sparse quartz routing, part {i}",
            "abstract": f"We propose QuartzNet{i}, a routing network trained on CIFAR-10 with Adam."}


def _hostile_file(path: Path) -> None:
    lines = [json.dumps(_good(0)),
             json.dumps({"title": "A very long paper", "abstract": "quartz " * 160_000}),  # 1.1 M chars
             "[" * 1000 + "]" * 1000,
             '{"title": "Escaped \\ud800 title", "abstract": "Some text."}',
             json.dumps({"title": ["a", "list"], "abstract": "Some text."}),
             json.dumps(_good(1))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_hostile_records_cost_only_themselves_in_kg_build(tmp_path):
    src = tmp_path / "in.jsonl"
    _hostile_file(src)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "-o", str(out), "-j", "1"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["papers"] == 3
    where = {(Path(s["source"]).name, s["line"]) for s in summary["skipped_records"]}
    assert where == {("in.jsonl", 3), ("in.jsonl", 4), ("in.jsonl", 5)}
    reasons = " | ".join(s["reason"] for s in summary["skipped_records"])
    assert "nested too deeply" in reasons and "surrogate" in reasons and "'title' is a list" in reasons
    assert summary["truncated"] == 1 and summary["truncated_records"][0]["line"] == 2
    # every output is valid UTF-8
    for name in ("papers.jsonl", "graph.jsonl", "graph.ttl", "graph.graphml"):
        (out / name).read_bytes().decode("utf-8")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_extraction_error_skips_that_record_not_the_run(tmp_path, monkeypatch, workers):
    """Fault injection: the extractor raises on one record (forked workers inherit the patch)."""
    from kg.build import BuildOptions, build
    from kg.nlp import Extractor

    real = Extractor._convert

    def failing(rec, text, st):
        if "part 2" in rec.title:
            raise ValueError("injected extractor failure")
        return real(rec, text, st)

    monkeypatch.setattr(Extractor, "_convert", staticmethod(failing))
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(_good(i)) for i in range(5)) + "\n", encoding="utf-8")
    summary = build(BuildOptions(inputs=[src], outdir=tmp_path / "out", workers=workers))
    assert summary.papers == 4
    assert [(Path(s["source"]).name, s["line"]) for s in summary.skipped_records] == [("in.jsonl", 3)]
    assert "injected extractor failure" in summary.skipped_records[0]["reason"]
