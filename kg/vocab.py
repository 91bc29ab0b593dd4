"""Every IRI the RDF code emits, in one place.

The ontology namespace is ``kgo:`` (:data:`KGO`, ``https://w3id.org/paperkg/ontology#``);
each other namespace lists only the terms the writers use. ``kg/ontology/kg.ttl``
declares every ``kgo:`` term listed here and mentions (aligns to) every
external one; ``tests/test_vocab.py`` fails when the two drift apart.

The JSON-LD context (``kg/ontology/context.jsonld``) is generated from
:data:`JSONLD_TERMS` by :func:`jsonld_context` (``python -m kg.vocab``), and a
test checks the file is current.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from .resources import data_path
from .types import DEFAULT_BASE_IRI, ENTITY_TYPE_TABLE, LINK_TABLE, ROLE_TABLE  # noqa: F401 (DEFAULT_BASE_IRI: kg.vocab's too)

ONTOLOGY_IRI = "https://w3id.org/paperkg/ontology"
ONTOLOGY_VERSION = "0.1.0"
ONTOLOGY_VERSION_IRI = f"{ONTOLOGY_IRI}/{ONTOLOGY_VERSION}"

#: The ontology directory shipped in the package (kg.ttl, shapes.ttl, context.jsonld).
ONTOLOGY_DIR = data_path("ontology")


class KGO(DefinedNamespace):
    """The paperkg ontology."""

    _NS = Namespace("https://w3id.org/paperkg/ontology#")
    _fail = True

    # classes
    Paper: URIRef
    Entity: URIRef
    Method: URIRef
    Model: URIRef
    Dataset: URIRef
    Hardware: URIRef
    Task: URIRef
    Statement: URIRef
    Extractor: URIRef
    # paper-to-entity roles
    proposes: URIRef
    uses: URIRef
    evaluatesOn: URIRef
    usesHardware: URIRef
    addresses: URIRef
    # entity-to-entity links
    basedOn: URIRef
    outperforms: URIRef
    trainedOn: URIRef
    isA: URIRef
    # paper metadata
    arxivId: URIRef
    doi: URIRef
    authorCount: URIRef
    upvotes: URIRef
    sourceFile: URIRef
    # entity attributes
    family: URIRef
    vendor: URIRef
    memory: URIRef
    hardwareClass: URIRef
    paperCount: URIRef
    attribute: URIRef
    # statement provenance
    evidenceText: URIRef
    field: URIRef
    startOffset: URIRef
    endOffset: URIRef
    confidence: URIRef
    support: URIRef
    count: URIRef
    purpose: URIRef
    rule: URIRef
    extractorVersion: URIRef
    # how a paper used its hardware (uses-hardware statements)
    formFactor: URIRef
    duration: URIRef
    deviceHours: URIRef


class RDF(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    _fail = True
    type: URIRef
    Statement: URIRef
    subject: URIRef
    predicate: URIRef
    object: URIRef


class RDFS(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
    _fail = True
    label: URIRef


class XSD(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/2001/XMLSchema#")
    _fail = True
    string: URIRef
    integer: URIRef
    decimal: URIRef
    date: URIRef
    gYearMonth: URIRef
    gYear: URIRef
    duration: URIRef


class DCTERMS(DefinedNamespace):
    _NS = Namespace("http://purl.org/dc/terms/")
    _fail = True
    title: URIRef
    abstract: URIRef
    date: URIRef
    identifier: URIRef
    subject: URIRef


class SKOS(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/2004/02/skos/core#")
    _fail = True
    prefLabel: URIRef
    altLabel: URIRef


class SCHEMA(DefinedNamespace):
    _NS = Namespace("https://schema.org/")
    _fail = True
    codeRepository: URIRef
    url: URIRef
    sameAs: URIRef


class PROV(DefinedNamespace):
    _NS = Namespace("http://www.w3.org/ns/prov#")
    _fail = True
    wasDerivedFrom: URIRef
    wasAttributedTo: URIRef


class MLS(DefinedNamespace):
    """W3C ML-Schema: used only for alignment in kg.ttl, never emitted."""

    _NS = Namespace("http://www.w3.org/ns/mls#")
    _fail = True
    Algorithm: URIRef
    Model: URIRef
    Dataset: URIRef
    Task: URIRef


#: Namespaces whose terms the code emits or the ontology aligns to.
NAMESPACES: tuple[type[DefinedNamespace], ...] = (KGO, RDF, RDFS, XSD, DCTERMS, SKOS, SCHEMA, PROV, MLS)

#: Prefixes for serialisations and SPARQL (the resource prefix ``kg`` is per build).
PREFIXES: dict[str, str] = {
    "kgo": str(KGO._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
    "dcterms": str(DCTERMS._NS),
    "skos": str(SKOS._NS),
    "schema": str(SCHEMA._NS),
    "prov": str(PROV._NS),
}

#: Edge type of the graph -> the property of its plain triple.
EDGE_PROPERTY: dict[str, URIRef] = {e.name: KGO[e.rdf_property] for e in (*ROLE_TABLE, *LINK_TABLE)}

#: Edge props written on a statement by a property of their own, with their datatype
#: (None: a plain string). The one place a new edge property gets its RDF term; the
#: provenance props (evidence, offsets, confidence …) are written by the writer itself.
STATEMENT_PROP: dict[str, tuple[URIRef, URIRef | None]] = {
    "memory": (KGO.memory, None),
    "form_factor": (KGO.formFactor, None),
    "duration": (KGO.duration, XSD.duration),
    "gpu_hours": (KGO.deviceHours, XSD.integer),
}

#: Node label -> class.
NODE_CLASS: dict[str, URIRef] = {"Paper": KGO.Paper, **{t.name: KGO[t.name] for t in ENTITY_TYPE_TABLE}}

#: Entity node props with a property of their own; other props become kgo:attribute "key=value".
ENTITY_PROP: dict[str, URIRef] = {
    "family": KGO.family,
    "vendor": KGO.vendor,
    "memory": KGO.memory,
    "class": KGO.hardwareClass,
    "papers": KGO.paperCount,
}


def terms(ns: type[DefinedNamespace]) -> list[URIRef]:
    """Every term a namespace class lists, in declaration order."""
    return [ns._NS[name] for name in ns.__annotations__ if not name.startswith("_")]


def all_terms() -> set[str]:
    return {str(t) for ns in NAMESPACES for t in terms(ns)}


# -- JSON-LD context -------------------------------------------------------

_ID = "@id"
#: term -> (IRI, coercion): "@id" for IRIs, an XSD datatype, or None for plain strings.
JSONLD_TERMS: dict[str, tuple[URIRef, str | None]] = {
    # classes (used as @type values), the entity types' from kg.types
    "Paper": (KGO.Paper, None), "Entity": (KGO.Entity, None),
    **{t.name: (KGO[t.name], None) for t in ENTITY_TYPE_TABLE},
    "Statement": (KGO.Statement, None), "Extractor": (KGO.Extractor, None),
    # roles and links, from kg.types
    **{e.rdf_property: (KGO[e.rdf_property], _ID) for e in (*ROLE_TABLE, *LINK_TABLE)},
    # labels and paper metadata
    "label": (RDFS.label, None), "prefLabel": (SKOS.prefLabel, None), "altLabel": (SKOS.altLabel, None),
    "title": (DCTERMS.title, None), "abstract": (DCTERMS.abstract, None),
    "date": (DCTERMS.date, str(XSD.date)), "identifier": (DCTERMS.identifier, None),
    "subject": (DCTERMS.subject, None), "arxivId": (KGO.arxivId, None), "doi": (KGO.doi, None),
    "authorCount": (KGO.authorCount, str(XSD.integer)), "upvotes": (KGO.upvotes, str(XSD.integer)),
    "sourceFile": (KGO.sourceFile, None), "codeRepository": (SCHEMA.codeRepository, _ID),
    "url": (SCHEMA.url, _ID), "sameAs": (SCHEMA.sameAs, _ID),
    # entity attributes
    "family": (KGO.family, None), "vendor": (KGO.vendor, None), "memory": (KGO.memory, None),
    "hardwareClass": (KGO.hardwareClass, None), "paperCount": (KGO.paperCount, str(XSD.integer)),
    "attribute": (KGO.attribute, None),
    # statements
    "statementSubject": (RDF.subject, _ID), "statementPredicate": (RDF.predicate, _ID),
    "statementObject": (RDF.object, _ID), "evidenceText": (KGO.evidenceText, None),
    "field": (KGO.field, None), "startOffset": (KGO.startOffset, str(XSD.integer)),
    "endOffset": (KGO.endOffset, str(XSD.integer)), "confidence": (KGO.confidence, str(XSD.decimal)),
    "support": (KGO.support, str(XSD.integer)), "count": (KGO.count, str(XSD.integer)),
    "purpose": (KGO.purpose, None), "rule": (KGO.rule, None),
    "formFactor": (KGO.formFactor, None), "duration": (KGO.duration, str(XSD.duration)),
    "deviceHours": (KGO.deviceHours, str(XSD.integer)),
    "extractorVersion": (KGO.extractorVersion, None),
    "wasDerivedFrom": (PROV.wasDerivedFrom, _ID), "wasAttributedTo": (PROV.wasAttributedTo, _ID),
}


def _compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def jsonld_context(base_iri: str | None = None) -> dict:
    """The JSON-LD context: prefixes, then one term per property and class.

    With ``base_iri`` it also defines the ``kg`` prefix for resources.
    """
    ctx: dict = dict(PREFIXES)
    if base_iri is not None:
        ctx["kg"] = base_iri
    for term, (iri, coerce) in JSONLD_TERMS.items():
        if coerce is None:
            ctx[term] = _compact(str(iri))
        else:
            ctx[term] = {"@id": _compact(str(iri)), "@type": coerce if coerce == _ID else _compact(coerce)}
    return ctx


def context_document() -> str:
    """The text of ``kg/ontology/context.jsonld``."""
    return json.dumps({"@context": jsonld_context()}, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m kg.vocab > kg/ontology/context.jsonld
    print(context_document(), end="")
