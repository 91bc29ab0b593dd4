"""RDF output (first version: Turtle through rdflib).

Resources are minted under a base IRI (default :data:`DEFAULT_BASE_IRI`,
overridable with ``--base-iri``): ``<base>paper/<id>``, ``<base>model/<slug>`` …
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from ..graph import KnowledgeGraph
from .atomic import atomic_path

DEFAULT_BASE_IRI = "https://w3id.org/paperkg/resource/"
KGO = Namespace("https://w3id.org/paperkg/ontology#")

_PROP = {
    "PROPOSES": KGO.proposes, "USES": KGO.uses, "EVALUATES_ON": KGO.evaluatesOn,
    "USES_HARDWARE": KGO.usesHardware, "ADDRESSES": KGO.addresses,
    "BASED_ON": KGO.basedOn, "OUTPERFORMS": KGO.outperforms, "TRAINED_ON": KGO.trainedOn,
}


def to_rdflib(graph: KnowledgeGraph, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    g = Graph()
    g.bind("kgo", KGO)
    g.bind("kg", Namespace(base_iri))
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    for node in graph.nodes():
        s = URIRef(base_iri + node.id)
        g.add((s, RDF.type, KGO[node.label]))
        g.add((s, RDFS.label, Literal(node.name)))
        if node.label == "Paper":
            g.add((s, DCTERMS.title, Literal(node.name)))
        else:
            g.add((s, SKOS.prefLabel, Literal(node.name)))
            for alias in node.aliases:
                if alias != node.name:
                    g.add((s, SKOS.altLabel, Literal(alias)))
    for edge in graph.edges():
        g.add((URIRef(base_iri + edge.source), _PROP[edge.type], URIRef(base_iri + edge.target)))
        if "support" in edge.props:
            pass  # statement-level provenance arrives with the ontology work
    return g


def write_rdf(graph: KnowledgeGraph, path: str | Path, fmt: str = "turtle",
              base_iri: str = DEFAULT_BASE_IRI) -> int:
    g = to_rdflib(graph, base_iri)
    with atomic_path(path) as tmp:
        g.serialize(destination=str(tmp), format=fmt)
    return len(g)
