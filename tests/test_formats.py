"""The renderer registry: every format kg build writes goes through it; a new one is one module."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from kg.writers import REGISTRY, renderer_class

ROOT = Path(__file__).resolve().parent.parent

RECORDS = [
    {"title": "QuillNet for tree parsing", "abstract": "We propose QuillNet, which outperforms BrambleFormer on TwigBench."},
    {"title": "Brambles", "abstract": "In our study QuillNet outperforms BrambleFormer on forest parsing with 4 GPUs."},
]


def kg_build(*args):
    subprocess.run([sys.executable, "-m", "kg", "build", *map(str, args)], cwd=ROOT, check=True, capture_output=True)


def test_every_registered_format_names_a_renderer_with_its_own_file():
    files = [renderer_class(name).filename for name in REGISTRY]
    assert len(set(files)) == len(files)
    assert all(renderer_class(name).name == name for name in REGISTRY)


def test_the_csv_edge_list_has_one_row_per_edge_and_is_patched_like_the_rest(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps(RECORDS[0]) + "\n", encoding="utf-8")
    b.write_text(json.dumps(RECORDS[1]) + "\n", encoding="utf-8")
    kg_build(a, "-o", tmp_path / "inc", "--format", "csv", "-j", "1")
    kg_build(a, b, "-o", tmp_path / "inc", "--format", "csv", "-j", "1", "--update")
    kg_build(a, b, "-o", tmp_path / "full", "--format", "csv", "-j", "2")
    full = (tmp_path / "full" / "edges.csv").read_bytes()
    assert (tmp_path / "inc" / "edges.csv").read_bytes() == full
    rows = list(csv.DictReader(full.decode("utf-8").splitlines()))
    edges = [json.loads(line) for line in (tmp_path / "full" / "graph.jsonl").read_text().splitlines()]
    edges = [e for e in edges if e["kind"] == "edge"]
    assert [(r["source"], r["type"], r["target"]) for r in rows] == [(e["source"], e["type"], e["target"]) for e in edges]
    assert any(r["support"] == "2" for r in rows)
