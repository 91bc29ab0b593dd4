"""Output formats: one :class:`Renderer` per format, listed once in :data:`REGISTRY`.

Every file ``kg build`` writes from the graph is laid out as

    head    the entity nodes (and the format's header)
    paper   one segment for each paper, in corpus order
    ...
    tail    the entity-to-entity links (and the format's footer)

and a renderer turns each part into bytes, from in-memory records only:
:meth:`Renderer.head` gets the entity :class:`~kg.graph.Node` s, :meth:`Renderer.paper`
one :class:`~kg.graph.PaperGraph` (the paper's node, its edges, its extraction),
:meth:`Renderer.tail` the link :class:`~kg.graph.Edge` s. Node and edge ``props`` are
open dicts: a renderer writes every property it is given (a property added
upstream reaches every format without touching one).

:mod:`kg.outputs` is the one loop over the registry: it renders the papers that
changed, copies every other paper's bytes from the previous file
(:mod:`kg.writers.segments`), so a full build is an update with every paper
dirty. :func:`write_graph` writes a whole graph (a build's ``graph.jsonl`` read
back by :class:`~kg.graph.GraphFile`) through the same renderers.

The Cypher targets are not renderers but clients of ``graph.jsonl`` too: the
pushes (:mod:`kg.writers.neo4j`, :mod:`kg.writers.falkordb`), ``kg export
cypher`` and ``kg export neo4j-import`` all read it through
:mod:`kg.writers.push_state`, as rows of the one statement model
(:mod:`kg.writers.cypher_model`).

Adding a format is one module with a Renderer subclass plus one line in
:data:`REGISTRY` (see the README's architecture section).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Sequence

if TYPE_CHECKING:
    from ..graph import Edge, Node, PaperGraph


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What a rendering may depend on besides the graph itself."""

    base_iri: str
    #: the extractor named in every edge of a build ("" for a graph of unknown origin)
    extractor_version: str = ""


@dataclass(frozen=True, slots=True)
class Totals:
    """What the tail may need to know about the whole graph."""

    papers: int
    edges: int


class Renderer:
    """One output format. Subclasses set :attr:`name` and :attr:`filename` and
    implement :meth:`head`, :meth:`paper` and :meth:`tail`.

    A paper's bytes must depend only on that paper's :class:`PaperGraph` and the
    :class:`RenderContext` (that is what lets an update copy them), unless the
    renderer sets ``patched = False``: then it is written whole every build,
    in one process, and may keep state between calls (JSON-LD's separators).
    """

    #: the format's name: a key of :data:`REGISTRY`
    name: ClassVar[str]
    filename: ClassVar[str]
    #: False: the paper segments depend on one another; no copying, no parallel rendering
    patched: ClassVar[bool] = True
    #: True: :meth:`head` is called after :meth:`tail` (it declares what the papers hold, as GraphML's keys)
    head_last: ClassVar[bool] = False
    #: needs the paper's extraction (``PaperGraph.extraction``), so cannot be written from graph.jsonl
    needs_extraction: ClassVar[bool] = False

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx

    def key(self) -> str:
        """What else the bytes depend on: part of the layout's key (a change renders afresh)."""
        return ""

    def head(self, nodes: Sequence["Node"]) -> bytes:
        raise NotImplementedError

    def paper(self, pg: "PaperGraph") -> bytes:
        raise NotImplementedError

    def tail(self, links: Sequence["Edge"], totals: Totals) -> bytes:
        raise NotImplementedError

    # -- for formats whose head or tail sums up the papers ------------------------------
    def summary(self, pg: "PaperGraph") -> str | None:
        """A short text kept with the paper's segment (and given back to :meth:`absorb`
        when the segment is copied instead of rendered)."""
        return None

    def absorb(self, summary: str | None) -> None:
        """Take in one paper's :meth:`summary`, rendered or copied, before the tail."""


#: format name -> "module:Class". Modules are imported on first use (pyoxigraph only when RDF is asked for).
REGISTRY: dict[str, str] = {
    "papers": "kg.writers.papers_jsonl:PapersJsonl",
    "graph": "kg.writers.graph_jsonl:GraphJsonl",
    "turtle": "kg.writers.rdf:Turtle",
    "ntriples": "kg.writers.rdf:NTriples",
    "nquads": "kg.writers.rdf:NQuads",
    "jsonld": "kg.writers.rdf:JsonLd",
    "rdfxml": "kg.writers.rdf:RdfXml",
    "graphml": "kg.writers.graphml:GraphMl",
    "csv": "kg.writers.csv_edges:CsvEdges",
}


#: Written by every build (graph.jsonl's layout holds the build's index).
ALWAYS: tuple[str, ...] = ("papers", "graph")


def renderer_class(name: str) -> type[Renderer]:
    try:
        module, cls = REGISTRY[name].split(":")
    except KeyError:
        raise ValueError(f"unknown output format {name!r}; choose from {', '.join(REGISTRY)}") from None
    return getattr(importlib.import_module(module), cls)


def renderers(names: Iterable[str], ctx: RenderContext) -> list[Renderer]:
    return [renderer_class(n)(ctx) for n in dict.fromkeys(names)]


def write_graph(graph: Any, path: str | Path, fmt: str, base_iri: str | None = None) -> Renderer:
    """Write a whole graph (anything with ``nodes()`` and ``edges()``, as
    :class:`~kg.graph.GraphFile` over a build's graph.jsonl) in format ``fmt``
    to ``path``, atomically, through the format's renderer; returns the
    renderer (for what it counted)."""
    from ..graph import split_graph
    from .atomic import atomic_write
    from .rdf import DEFAULT_BASE_IRI

    r = renderer_class(fmt)(RenderContext(base_iri or DEFAULT_BASE_IRI))
    if r.needs_extraction:
        raise ValueError(f"{fmt}: needs the extractions, written by `kg build` only")
    nodes, papers, links = split_graph(graph)
    totals = Totals(len(papers), len(links) + sum(len(pg.edges) for pg in papers))
    with atomic_write(path, "wb") as fh:
        if r.head_last:
            body = []
            for pg in papers:
                body.append(r.paper(pg))
                r.absorb(r.summary(pg))
            body.append(r.tail(links, totals))
            fh.write(r.head(nodes))
            fh.writelines(body)
        else:
            fh.write(r.head(nodes))
            for pg in papers:
                fh.write(r.paper(pg))
                r.absorb(r.summary(pg))
            fh.write(r.tail(links, totals))
    return r
