"""Every edge carries its evidence and confidence; entity-to-entity edges their support."""

from __future__ import annotations

import json

import networkx as nx

from graphs import load_graph
from kg.types import LINK_TYPES


def test_every_papers_jsonl_entity_and_link_has_evidence_and_confidence(sample_build):
    outdir, _ = sample_build
    n_links = 0
    for line in (outdir / "papers.jsonl").read_text(encoding="utf-8").splitlines():
        paper = json.loads(line)
        for e in paper["entities"]:
            assert 0 <= e["confidence"] <= 1
            ev = e["evidence"]
            assert ev["text"] and ev["field"] in ("title", "abstract") and ev["end"] > ev["start"] >= 0
            assert ev["rule"]
        for link in paper["links"]:
            assert link["evidence"]["text"] and 0 <= link["evidence"]["confidence"] <= 1
            n_links += 1
    assert n_links > 0


def test_every_graph_edge_carries_provenance_and_links_carry_support(sample_build):
    outdir, _ = sample_build
    g = load_graph(outdir)
    abstracts = {n.id: (n.name, n.props.get("abstract", "")) for n in g.nodes("Paper")}
    for edge in g.edges():
        p = edge.props
        assert p["evidence"] and 0 <= p["confidence"] <= 1 and p["extractor"] and p["rule"]
        if edge.type in LINK_TYPES:
            assert p["support"] >= 1 and p["paper"].startswith("paper/")
            title, abstract = abstracts[p["paper"]]
        else:
            title, abstract = abstracts[edge.source]
        # the offsets point at the evidence sentence in its field
        text = title if p["field"] == "title" else abstract
        assert text[p["start"]:p["end"]] == p["evidence"]


def test_graphml_edges_keep_evidence_confidence_and_support(sample_build):
    outdir, _ = sample_build
    g = nx.read_graphml(outdir / "graph.graphml", force_multigraph=True)
    edges = list(g.edges(data=True))
    assert edges
    for _, _, d in edges:
        assert d["evidence"] and 0 <= d["confidence"] <= 1
        if d["type"] in LINK_TYPES:
            assert d["support"] >= 1


def test_every_turtle_statement_carries_evidence_confidence_and_links_support(sample_build):
    import pyoxigraph as ox

    outdir, _ = sample_build
    store = ox.Store()
    store.bulk_load(path=str(outdir / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    prefix = "PREFIX kgo: <https://w3id.org/paperkg/ontology#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
    total = int(next(iter(store.query(prefix + "SELECT (COUNT(?s) AS ?n) { ?s a kgo:Statement }")))["n"].value)
    g = load_graph(outdir)
    assert total == g.number_of_edges()
    missing = list(store.query(prefix + """
        SELECT ?s { ?s a kgo:Statement .
          FILTER NOT EXISTS { ?s kgo:evidenceText ?e ; kgo:confidence ?c } }"""))
    assert missing == []
    unsupported = list(store.query(prefix + """
        SELECT ?s { ?s a kgo:Statement ; rdf:predicate ?p .
          FILTER (?p IN (kgo:basedOn, kgo:outperforms, kgo:trainedOn))
          FILTER NOT EXISTS { ?s kgo:support ?n } }"""))
    assert unsupported == []
