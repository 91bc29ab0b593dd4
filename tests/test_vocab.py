"""kg/vocab.py and ontology/kg.ttl must not drift apart."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg import vocab as V
from kg.writers.rdf import iter_triples

KG_TTL = V.ONTOLOGY_DIR / "kg.ttl"
DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}


def _ontology() -> Graph:
    return Graph().parse(KG_TTL, format="turtle")


def test_every_kgo_term_is_declared_and_every_declared_term_is_in_vocab():
    g = _ontology()
    kgo = str(V.KGO._NS)
    declared = {str(s) for s, _, t in g.triples((None, RDF.type, None))
                if t in DECLARATIONS and str(s).startswith(kgo)}
    in_vocab = {str(t) for t in V.terms(V.KGO)}
    assert in_vocab - declared == set(), "in kg/vocab.py but not declared in ontology/kg.ttl"
    assert declared - in_vocab == set(), "declared in ontology/kg.ttl but missing from kg/vocab.py"
    # and nothing else in the kgo namespace is mentioned anywhere in kg.ttl
    mentioned = {str(x) for t in g for x in t if isinstance(x, URIRef) and str(x).startswith(kgo)}
    assert mentioned <= in_vocab


def test_every_kgo_term_has_label_and_comment():
    g = _ontology()
    for t in V.terms(V.KGO):
        assert g.value(t, RDFS.label) is not None, f"{t} has no rdfs:label"
        assert g.value(t, RDFS.comment) is not None, f"{t} has no rdfs:comment"


def test_ontology_has_version_iri():
    g = _ontology()
    onto = URIRef(V.ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in g
    assert g.value(onto, OWL.versionIRI) == URIRef(V.ONTOLOGY_VERSION_IRI)


def test_every_external_vocab_term_is_mentioned_in_the_ontology():
    g = _ontology()
    mentioned = {str(x) for t in g for x in t if isinstance(x, URIRef)}
    for ns in V.NAMESPACES:
        if ns is V.KGO:
            continue
        for t in V.terms(ns):
            assert str(t) in mentioned, f"{t} is in kg/vocab.py but ontology/kg.ttl never mentions it"


def test_writer_emits_only_vocab_terms(small_graph):
    known = V.all_terms()
    used: set[str] = set()
    for t in iter_triples(small_graph):
        used.add(t.predicate.value)
        if t.predicate.value == str(V.RDF.type) or t.predicate.value == str(V.RDF.predicate):
            used.add(t.object.value)
        if hasattr(t.object, "datatype"):
            used.add(t.object.datatype.value)
    assert used - known == set(), "the writer emits IRIs that kg/vocab.py does not own"


def test_jsonld_context_file_is_current():
    assert (V.ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8") == V.context_document()


def test_context_terms_cover_every_emitted_property():
    props = {str(iri) for iri, _ in V.JSONLD_TERMS.values()}
    for ns in (V.KGO, V.DCTERMS, V.SKOS, V.SCHEMA, V.PROV):
        for t in V.terms(ns):
            if t in (V.KGO.Entity,):
                continue
            assert str(t) in props, f"no JSON-LD term for {t}"
