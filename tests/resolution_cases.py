"""Must-merge / must-split resolution cases, checked through a real `kg build`.

A case is a list of invented sentences, one paper each, naming one entity of
a given type. ``merge`` cases say every paper's entity is one node; ``split``
cases say each paper's entity is a node of its own. Both are checked in
graph.jsonl (the paper's edges) and in the Turtle file (the paper's plain
triples), so a writer that loses resolution fails too.

Shared by tests/test_resolution_cases.py (cases developed against) and
tests/test_resolution_heldout.py (cases written first and never tuned on).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KGO = "https://w3id.org/paperkg/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Case:
    kind: str  # "merge" or "split"
    type: str  # node label of the entity the sentences name
    sentences: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.type}:" + " / ".join(s[:40] for s in self.sentences)


def merge(type_: str, *sentences: str) -> Case:
    return Case("merge", type_, sentences)


def split(type_: str, *sentences: str) -> Case:
    return Case("split", type_, sentences)


def paper_id(ci: int, si: int) -> str:
    return f"2501.{ci:03d}{si:02d}"


def write_corpus(path: Path, cases: list[Case]) -> Path:
    lines = []
    for ci, case in enumerate(cases):
        for si, sentence in enumerate(case.sentences):
            lines.append(json.dumps({"id": paper_id(ci, si), "title": f"Study number {ci} {si}",
                                     "abstract": sentence}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_build(tmp: Path, cases: list[Case], *extra: str) -> Path:
    corpus = write_corpus(tmp / "cases.jsonl", cases)
    out = tmp / "out"
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "-o", str(out), "-j", "1", *extra],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out


@dataclass
class Built:
    """Per paper: the entity nodes of each label it points at, in both outputs."""

    jsonl: dict[str, dict[str, set[str]]]
    turtle: dict[str, dict[str, set[str]]]


def load_built(out: Path) -> Built:
    labels: dict[str, str] = {}
    jsonl: dict[str, dict[str, set[str]]] = {}
    edges = []
    for line in (out / "graph.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d["kind"] == "node":
            labels[d["id"]] = d["label"]
        else:
            edges.append(d)
    for d in edges:
        if d["source"].startswith("paper/"):
            pid = d["source"].removeprefix("paper/")
            jsonl.setdefault(pid, {}).setdefault(labels[d["target"]], set()).add(d["target"])
    return Built(jsonl, _turtle_targets(out / "graph.ttl"))


def _turtle_targets(path: Path) -> dict[str, dict[str, set[str]]]:
    import rdflib

    g = rdflib.Graph()
    g.parse(path, format="turtle")
    roles = {KGO + p for p in ("proposes", "uses", "evaluatesOn", "usesHardware", "addresses")}
    types: dict[str, str] = {}
    for s, o in g.subject_objects(rdflib.URIRef(RDF_TYPE)):
        if str(o).startswith(KGO) and str(o)[len(KGO):] in ("Method", "Model", "Dataset", "Hardware", "Task"):
            types[str(s)] = str(o)[len(KGO):]
    out: dict[str, dict[str, set[str]]] = {}
    for s, p, o in g:
        if str(p) in roles and "/paper/" in str(s):
            pid = str(s).rsplit("/paper/", 1)[1]
            label = types.get(str(o))
            if label:
                out.setdefault(pid, {}).setdefault(label, set()).add(str(o).rsplit("/resource/", 1)[-1])
    return out


def check(case: Case, ci: int, targets: dict[str, dict[str, set[str]]], where: str) -> None:
    per_paper = [targets.get(paper_id(ci, si), {}).get(case.type, set()) for si in range(len(case.sentences))]
    for s, t in zip(case.sentences, per_paper):
        assert t, f"{where}: no {case.type} node for {s!r}"
    if case.kind == "merge":
        common = set.intersection(*per_paper)
        assert common, f"{where}: {case.label} resolved apart: {per_paper}"
    else:
        for i in range(len(per_paper)):
            for j in range(i + 1, len(per_paper)):
                both = per_paper[i] & per_paper[j]
                assert not both, (f"{where}: {case.sentences[i]!r} and {case.sentences[j]!r} "
                                  f"share {sorted(both)}")
