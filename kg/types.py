"""Typed records passed between the pipeline stages.

Every stage consumes and produces these small dataclasses rather than loose
dicts, so a reader, the extractor and the writers agree on one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter

@dataclass(frozen=True, slots=True)
class EntityType:
    """One entity type, declared once: its node label (and ``kgo:`` class), the
    role a paper's edge to it takes unless the paper proposes it, and its
    vocabulary file in ``kg/ontology/vocab/``."""

    name: str
    default_role: str
    vocab_file: str


@dataclass(frozen=True, slots=True)
class EdgeType:
    """One edge type, declared once: its name, the ``kgo:`` property of its plain
    triple (and JSON-LD term), and for a paper-to-entity role the entity types
    it may point at (shared/eval/GUIDE.md)."""

    name: str
    rdf_property: str
    targets: tuple[str, ...] = ()


#: The entity types of the scheme in shared/eval/GUIDE.md. Labels, classes, the
#: default roles, the JSON-LD terms and the vocabulary loader's files derive from it.
ENTITY_TYPE_TABLE: tuple[EntityType, ...] = (
    EntityType("Method", "USES", "methods.tsv"),
    EntityType("Model", "USES", "models.tsv"),
    EntityType("Dataset", "EVALUATES_ON", "datasets.tsv"),
    EntityType("Hardware", "USES_HARDWARE", "hardware.tsv"),
    EntityType("Task", "ADDRESSES", "tasks.tsv"),
)
ENTITY_TYPES: tuple[str, ...] = tuple(t.name for t in ENTITY_TYPE_TABLE)

#: Paper-to-entity roles.
ROLE_TABLE: tuple[EdgeType, ...] = (
    EdgeType("PROPOSES", "proposes", ENTITY_TYPES),
    EdgeType("USES", "uses", ("Method", "Model", "Dataset", "Task")),
    EdgeType("EVALUATES_ON", "evaluatesOn", ("Dataset",)),
    EdgeType("USES_HARDWARE", "usesHardware", ("Hardware",)),
    EdgeType("ADDRESSES", "addresses", ("Task",)),
)
ROLES: tuple[str, ...] = tuple(r.name for r in ROLE_TABLE)
DEFAULT_ROLE: dict[str, str] = {t.name: t.default_role for t in ENTITY_TYPE_TABLE}

#: The extractor's version: stored extractions and edge provenance carry it.
#: (Here rather than in kg.nlp so the build can read it without loading spaCy.)
EXTRACTOR_VERSION = "0.1.0"
#: Where resources are minted unless ``--base-iri`` says otherwise (here, not in kg.vocab, so that a
#: build can name it without importing rdflib).
DEFAULT_BASE_IRI = "https://w3id.org/paperkg/resource/"

#: Entity-to-entity link types.
#: IS_A (a hardware product -> its class node, "NVIDIA A100" IS_A "GPU") is added by the resolver, never extracted.
LINK_TABLE: tuple[EdgeType, ...] = (
    EdgeType("BASED_ON", "basedOn"),
    EdgeType("OUTPERFORMS", "outperforms"),
    EdgeType("TRAINED_ON", "trainedOn"),
    EdgeType("IS_A", "isA"),
)
LINK_TYPES: tuple[str, ...] = tuple(link.name for link in LINK_TABLE)

#: Hardware entity attributes that describe one paper's use of the hardware, not the
#: product: they go on the USES_HARDWARE edge (with ``count``), never into the node.
HARDWARE_EDGE_ATTRS: tuple[str, ...] = ("memory", "form_factor", "duration", "gpu_hours")


@dataclass(frozen=True, slots=True)
class PaperRecord:
    """One paper as a reader found it, before any extraction."""

    id: str
    title: str
    abstract: str
    arxiv_id: str | None = None
    doi: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    date: str | None = None
    upvotes: int | None = None
    categories: tuple[str, ...] = ()
    source: str = ""
    line: int = 0
    #: ``date`` as ISO yyyy-mm-dd when the written date has a year, else None.
    #: Appended last so positional construction of the fields above still works.
    date_iso: str | None = None
    #: The paper's full text, for records read from a PDF or a text full text.
    fulltext: "FullText | None" = None

    def text(self, fld: str) -> str:
        return self.title if fld == "title" else self.abstract


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record a reader could not use: where it was and why."""

    source: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity name in a paper field, by character offsets."""

    text: str
    field: str
    start: int
    end: int


@dataclass(slots=True)
class Entity:
    """An entity a paper names, with its role for that paper.

    ``evidence`` is the sentence that supports the role, ``rule`` the component
    or pattern that produced it; ``attrs`` carries typed extras such as the
    vendor, product and memory of a hardware entity.
    """

    name: str
    type: str
    role: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    confidence: float = 0.5
    count: int | None = None
    purpose: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    evidence: str = ""
    evidence_field: str = ""
    evidence_start: int = 0
    evidence_end: int = 0
    rule: str = ""


@dataclass(slots=True)
class Link:
    """An entity-to-entity statement (BASED_ON, OUTPERFORMS, TRAINED_ON)."""

    head: str
    type: str
    tail: str
    head_type: str = ""
    tail_type: str = ""
    evidence: str = ""
    field: str = ""
    start: int = 0
    end: int = 0
    rule: str = ""
    confidence: float = 0.5


@dataclass(slots=True)
class PaperExtraction:
    """The extractor's output for one paper."""

    record: PaperRecord
    entities: list[Entity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    #: what only a full text's related work or references name (role ""): cited, not used
    cited: list[Entity] = field(default_factory=list)


#: Kinds of full-text sections (kg/sources/sections.py recognises them from headings).
SECTION_KINDS: tuple[str, ...] = (
    "title", "abstract", "introduction", "related_work", "method", "experiments", "results",
    "conclusion", "references", "appendix", "other",
)


@dataclass(frozen=True, slots=True)
class Section:
    """One section of a full text: its kind, its heading as written, and the
    character span of its body in :attr:`FullText.text`."""

    kind: str
    heading: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class FullText:
    """A paper's text as the build keeps it: reading order, ligatures expanded,
    line-end hyphens joined, running headers and page numbers removed. Mention
    offsets of full-text sections point into ``text``."""

    text: str
    sections: tuple[Section, ...] = ()
    pages: int = 0
    #: the reader that produced it: "pdf", "text" or "markdown"
    origin: str = ""

    def section_text(self, section: Section) -> str:
        return self.text[section.start : section.end]


@dataclass(slots=True)
class ResolvedEntity:
    """One node of the graph: what the resolver made of every paper's entities."""

    node_id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    papers: int
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Observation:
    """One paper as the resolver counts it (see :meth:`kg.resolve.Resolver.observe`):
    per entity (type, ((surface, key) …), long-form keys, their vocabulary
    anchor keys or None, acronym keys, attribute key or None, attributes)."""

    paper_id: str
    entities: tuple[tuple, ...]


@dataclass(slots=True)
class Packed:
    """A paper's extraction as the store and the resolver take it, made where
    it was extracted: the pickled extraction, its content hash and the
    resolver's observation. With several workers this keeps pickling, hashing
    and folding off the one process that stores and resolves everything."""

    id: str
    hash: str
    blob: bytes
    observation: Observation


def _fast_pickling(cls: type) -> type:
    """A frozen slots dataclass pickles through ``dataclasses``' own ``__getstate__`` (the list of its
    field values) and ``__setstate__``, which call ``dataclasses.fields`` for every object: a paper's
    extraction holds a dozen such objects (its record, the mentions), pickled by the worker that
    extracts it and unpickled by every process that renders it. The same two, with the field names
    looked up once: the same state, so the same pickled bytes. (A class that is not frozen pickles
    through ``object``'s, in C, already.)"""
    if "__getstate__" not in cls.__dict__:
        return cls
    names = tuple(f.name for f in fields(cls))
    setters = tuple(getattr(cls, name).__set__ for name in names)  # the slots' own: frozen or not
    get = attrgetter(*names)

    if len(names) == 1:
        def __getstate__(self) -> list:
            return [get(self)]
    else:
        def __getstate__(self) -> list:
            return list(get(self))

    def __setstate__(self, state: list) -> None:
        for put, value in zip(setters, state):
            put(self, value)

    cls.__getstate__ = __getstate__  # type: ignore[attr-defined]
    cls.__setstate__ = __setstate__  # type: ignore[attr-defined]
    return cls


for _cls in (EntityType, EdgeType, PaperRecord, SkippedRecord, Mention, Entity, Link, PaperExtraction, Section,
             FullText, ResolvedEntity, Observation, Packed):
    _fast_pickling(_cls)
