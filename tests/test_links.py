"""Links aggregated over papers, through `kg build` on records written here.

A link two papers state is one edge whose ``support`` is the number of papers
stating it, whose ``confidence`` is the highest any of them gave, and whose
evidence comes from the smallest paper id; a checkpoint is BASED_ON its family
with the evidence of the smallest paper naming it. Each is checked in
graph.jsonl, in Turtle and in FalkorDB, against what papers.jsonl (written
by the same build, paper by paper) says each paper stated. Names are invented.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import rdflib
from rdflib import URIRef

from kg import vocab as V
from kg.text import fold
from kg.writers.rdf import DEFAULT_BASE_IRI

ROOT = Path(__file__).resolve().parent.parent

# Corpus order is deliberately not paper-id order (ids are hashes of the titles):
# "first paper read" and "smallest paper id" differ for the links below.
RECORDS = [
    {"title": "GlimmerNet again", "abstract":
        "We extend the Transformer with GlimmerNet, which outperforms QuillFormer on tree parsing."},
    {"title": "Tree parsing at scale", "abstract": "We propose GlimmerNet, a Transformer-based model for tree parsing."},
    {"title": "GlimmerNet for forests", "abstract": "GlimmerNet builds on the Transformer architecture and parses forests."},
    {"title": "Faster forests", "abstract": "In our study GlimmerNet outperforms QuillFormer on forest parsing."},
    {"title": "Distilling Vexillo", "abstract": "We distill Vexillo-7B into a small student with a new method called DripDrop."},
    {"title": "Vexillo: an open language model", "abstract":
        "We release Vexillo, an open language model. The Vexillo-7B checkpoint is trained on BlorbCorpus."},
    {"title": "Pruning large models", "abstract": "We prune Vexillo-7B and Vexillo-13B with a new pruning method called SnipSnap."},
]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("links")
    src = tmp / "papers.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    out = tmp / "out"
    subprocess.run([sys.executable, "-m", "kg", "build", str(src), "-o", str(out), "-j", "2", "--no-graphml"],
                   cwd=ROOT, check=True, capture_output=True)
    return out


def expected_links(out: Path) -> dict[tuple[str, str, str], dict]:
    """What each paper states, per papers.jsonl, aggregated as the graph must."""
    stated: dict[tuple[str, str, str], list[tuple[str, float, dict]]] = defaultdict(list)
    for paper in _lines(out / "papers.jsonl"):
        node_of = {}
        for e in paper["entities"]:
            for s in (e["name"], *e["aliases"]):
                node_of.setdefault(fold(s), e["node"])
        seen = set()
        for link in paper["links"]:
            key = (node_of[fold(link["head"])], link["type"], node_of[fold(link["tail"])])
            if key[0] != key[2] and key not in seen:
                seen.add(key)
                stated[key].append((paper["id"], link["evidence"]["confidence"], link["evidence"]))
    out_ = {}
    for key, rows in stated.items():
        first = min(rows, key=lambda r: r[0])
        out_[key] = {"support": len(rows), "confidence": max(r[1] for r in rows),
                     "paper": f"paper/{first[0]}", "evidence": first[2]["text"], "rule": first[2]["rule"]}
    return out_


def graph_links(out: Path) -> dict[tuple[str, str, str], dict]:
    return {(d["source"], d["type"], d["target"]): d["props"] for d in _lines(out / "graph.jsonl")
            if d["kind"] == "edge" and not d["source"].startswith("paper/")}


def test_the_corpus_states_links_that_aggregation_can_get_wrong(built):
    # Without a link stated by several papers with different confidences, and a
    # first paper read that is not the smallest id, the tests below prove nothing.
    exp = expected_links(built)
    assert any(e["support"] >= 3 for e in exp.values()), exp
    by_key = defaultdict(set)
    for paper in _lines(built / "papers.jsonl"):
        for link in paper["links"]:
            by_key[(fold(link["head"]), link["type"], fold(link["tail"]))].add(link["evidence"]["confidence"])
    assert any(len(confs) > 1 for confs in by_key.values()), by_key
    corpus_first = _lines(built / "papers.jsonl")[0]["id"]
    assert any(e["paper"] != f"paper/{corpus_first}" and e["support"] > 1 for e in exp.values())


def test_links_in_graph_jsonl_have_support_confidence_and_first_evidence(built):
    exp = expected_links(built)
    got = graph_links(built)
    for key, e in exp.items():
        p = got[key]
        assert (p["support"], p["confidence"], p["paper"], p["evidence"], p["rule"]) == \
            (e["support"], e["confidence"], e["paper"], e["evidence"], e["rule"]), key
    assert {k for k, p in got.items() if p["rule"] != "checkpoint-family"} == set(exp)


def test_a_checkpoint_is_based_on_its_family_with_the_first_papers_evidence(built):
    items = _lines(built / "graph.jsonl")
    family = {(d["source"], d["target"]): d["props"] for d in items
              if d["kind"] == "edge" and d["props"].get("rule") == "checkpoint-family"}
    assert family, "the records name a checkpoint and its family"
    for (ckpt, fam), props in family.items():
        naming = sorted((d["source"], d["props"]) for d in items
                        if d["kind"] == "edge" and d["source"].startswith("paper/") and d["target"] == ckpt)
        first_paper, first_props = naming[0]
        assert props["support"] == len(naming)
        assert props["paper"] == first_paper
        assert props["evidence"] == first_props["evidence"]
        assert (props["start"], props["end"]) == (first_props["start"], first_props["end"])
    assert any(props["support"] >= 2 for props in family.values())


def test_summary_counts_every_edge_and_node_of_graph_jsonl(built):
    items = _lines(built / "graph.jsonl")
    summary = json.loads((built / "summary.json").read_text())
    assert summary["edges"] == dict(sorted(Counter(d["type"] for d in items if d["kind"] == "edge").items()))
    nodes = Counter(d["label"] for d in items if d["kind"] == "node")
    assert summary["papers"] == nodes.pop("Paper") == len(RECORDS)
    assert summary["entities"] == dict(sorted(nodes.items()))


def test_links_in_turtle_carry_the_same_support_and_confidence(built):
    g = rdflib.Graph().parse(built / "graph.ttl")
    base = DEFAULT_BASE_IRI
    pred = {t: URIRef(str(V.EDGE_PROPERTY[t])) for t in V.EDGE_PROPERTY}
    support, confidence = URIRef(str(V.KGO.support)), URIRef(str(V.KGO.confidence))
    for (h, t, tl), e in expected_links(built).items():
        stmts = [s for s in g.subjects(rdflib.RDF.subject, URIRef(base + h))
                 if (s, rdflib.RDF.predicate, pred[t]) in g and (s, rdflib.RDF.object, URIRef(base + tl)) in g]
        assert len(stmts) == 1, (h, t, tl)
        assert int(g.value(stmts[0], support)) == e["support"]
        assert float(g.value(stmts[0], confidence)) == pytest.approx(e["confidence"])


def test_links_in_falkordb_carry_the_same_support_and_confidence(built, falkordb_server):
    from kg.writers.falkordb import push_falkordb_outdir

    name = "links_support"
    push_falkordb_outdir(built, url=falkordb_server.url, graph_name=name, full=True)
    try:
        g = falkordb_server.client().select_graph(name)
        for (h, t, tl), e in expected_links(built).items():
            rows = g.query(f"MATCH (a {{id: $h}})-[r:{t}]->(b {{id: $t}}) RETURN r.support, r.confidence",
                           {"h": h, "t": tl}).result_set
            assert len(rows) == 1, (h, t, tl)
            assert rows[0][0] == e["support"]
            assert rows[0][1] == pytest.approx(e["confidence"])
    finally:
        falkordb_server.client().select_graph(name).delete()
