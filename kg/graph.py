"""The graph model: papers and entities as nodes, typed edges.

Node ids are stable strings: ``paper/<paper id>`` and ``<type>/<slug>``
(for example ``model/llama-2-7b``). A build hands the renderers
(:mod:`kg.writers`) entity :class:`Node` s, one :class:`PaperGraph` a paper
and the link :class:`Edge` s, in a fixed order, so outputs are byte-for-byte
deterministic. A whole graph exists only as a build's ``graph.jsonl``:
:class:`GraphFile` streams it, :func:`split_graph` turns it back into the
renderers' parts, and the pushes and Cypher exports read it through
:mod:`kg.writers.push_state`. There is no in-memory graph to write from.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .resolve import Resolver, edge_attrs, edition_families, hardware_classes
from .text import fold
from .types import ENTITY_TYPES, LINK_TYPES, ROLE_TABLE, ROLES, ResolvedEntity

if TYPE_CHECKING:
    from .types import PaperExtraction, PaperRecord

NODE_LABELS: tuple[str, ...] = ("Paper",) + ENTITY_TYPES
EDGE_TYPES: tuple[str, ...] = ROLES + LINK_TYPES

#: Which entity types each role may point at (shared/eval/GUIDE.md).
ROLE_TARGETS: dict[str, tuple[str, ...]] = {r.name: r.targets for r in ROLE_TABLE}


def paper_node_id(paper_id: str) -> str:
    # Old-style arXiv ids and DOIs contain "/"; keep node ids one path segment.
    return "paper/" + re.sub(r"[^A-Za-z0-9._:+-]", "_", paper_id)


@dataclass(frozen=True, slots=True)
class Node:
    """A node as writers see it. ``props`` holds label-specific properties
    (paper metadata, hardware vendor/memory …); values are str, int, float or
    tuples of str."""

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    props: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "node", "id": self.id, "label": self.label, "name": self.name,
                "aliases": list(self.aliases), "props": self.props}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Node":
        props = {k: tuple(v) if isinstance(v, list) else v for k, v in (d.get("props") or {}).items()}
        return cls(d["id"], d["label"], d["name"], tuple(d.get("aliases") or ()), props)


@dataclass(frozen=True, slots=True)
class Edge:
    """A typed edge. ``props`` carries provenance: evidence, field, start,
    end, confidence, extractor, rule, support, and count/purpose for hardware."""

    source: str
    target: str
    type: str
    props: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.type, self.target)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "edge", "source": self.source, "target": self.target, "type": self.type,
                "props": self.props}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Edge":
        return cls(d["source"], d["target"], d["type"], dict(d.get("props") or {}))


GRAPH_JSONL = "graph.jsonl"


# -- assembling the graph from extractions -------------------------------------

_ROLE_RANK = {"PROPOSES": 0, "EVALUATES_ON": 1, "USES_HARDWARE": 1, "ADDRESSES": 1, "USES": 2}


def _paper_node(rec: "PaperRecord") -> Node:
    props: dict[str, Any] = {"abstract": rec.abstract, "source": Path(rec.source).name if rec.source else ""}
    for key in ("arxiv_id", "doi", "url", "author_count", "date", "upvotes"):
        value = getattr(rec, key)
        if value not in (None, ""):
            props[key] = value
    if rec.authors:
        props["authors"] = tuple(rec.authors)
        props.setdefault("author_count", len(rec.authors))
    if rec.categories:
        props["categories"] = tuple(rec.categories)
    return Node(paper_node_id(rec.id), "Paper", rec.title, (), props)


def _provenance(evidence: str, fld: str, start: int, end: int, confidence: float,
                rule: str, extractor: str) -> dict[str, Any]:
    return {"evidence": evidence, "field": fld, "start": start, "end": end,
            "confidence": round(float(confidence), 4), "rule": rule, "extractor": extractor}


@dataclass(slots=True)
class PaperGraph:
    """One paper's share of the graph: its node, its edges (one per entity
    node, sorted by target), the entity-to-entity links it states and the
    edges to Model nodes (candidate evidence for checkpoint-family links).

    It depends on the paper's extraction and on how its entities resolved,
    nothing else, which is what lets an incremental build keep it unchanged.
    """

    paper_id: str
    node: Node
    edges: list[Edge]
    #: ((head, type, tail), provenance) in the order the paper states them
    links: list[tuple[tuple[str, str, str], dict[str, Any]]] = field(default_factory=list)
    mentions: int = 0
    #: the extraction it was made from (None when read back from graph.jsonl)
    extraction: "PaperExtraction | None" = None
    #: the node each of the extraction's entities resolved to, in entity order
    entity_nodes: tuple[str, ...] = ()
    #: each entity's resolver handle (what an update compares), in entity order
    handles: tuple[str, ...] = ()


def entity_nodes(resolver: "Resolver") -> Iterator[Node]:
    """Every resolved entity as a node, sorted by id."""
    for r in sorted(resolver.resolve().values(), key=lambda r: r.node_id):
        props = {"papers": r.papers, **{k: v for k, v in sorted(r.attrs.items())}}
        yield Node(r.node_id, r.type, r.name, r.aliases, props)


def paper_graph(ex: "PaperExtraction", resolver: "Resolver", extractor_version: str) -> PaperGraph:
    """The paper node, its edges and the links it states, resolved."""
    from .types import DEFAULT_ROLE

    paper = _paper_node(ex.record)
    by_name: dict[str, ResolvedEntity] = {}
    best: dict[str, tuple[tuple, Edge]] = {}
    mentions = 0
    node_ids: list[str] = []
    handles: list[str] = []
    for ent in ex.entities:
        mentions += len(ent.mentions)
        handle = resolver.handle(ent)
        r = resolver.lookup_handle(handle)
        node_ids.append(r.node_id)
        handles.append(handle)
        by_name[fold(ent.name)] = r
        for alias in ent.aliases:
            by_name.setdefault(fold(alias), r)
        role = ent.role if ent.role == "PROPOSES" else DEFAULT_ROLE[r.type]
        props = _provenance(ent.evidence, ent.evidence_field, ent.evidence_start, ent.evidence_end,
                            ent.confidence, ent.rule, extractor_version)
        if ent.count is not None:
            props["count"] = ent.count
        if ent.purpose:
            props["purpose"] = ent.purpose
        props.update(edge_attrs(ent))
        edge = Edge(paper.id, r.node_id, role, props)
        # Two surface entities of one paper may resolve to one node: keep the
        # strongest role, then the most confident evidence.
        rank = (_ROLE_RANK.get(role, 3), -props["confidence"])
        if r.node_id not in best or rank < best[r.node_id][0]:
            best[r.node_id] = (rank, edge)
    edges = [best[node_id][1] for node_id in sorted(best)]
    links: list[tuple[tuple[str, str, str], dict[str, Any]]] = []
    stated: set[tuple[str, str, str]] = set()
    for link in ex.links:
        head, tail = by_name.get(fold(link.head)), by_name.get(fold(link.tail))
        if head is None or tail is None or head.node_id == tail.node_id:
            continue
        key = (head.node_id, link.type, tail.node_id)
        if key in stated:
            continue
        stated.add(key)
        links.append((key, _provenance(link.evidence, link.field, link.start, link.end, link.confidence,
                                       link.rule, extractor_version)))
    return PaperGraph(ex.record.id, paper, edges, links, mentions, ex, tuple(node_ids), tuple(handles))


#: (head, type, tail) -> (support, smallest paper id stating it, that paper's provenance with the highest confidence)
LinkRows = dict[tuple[str, str, str], tuple[int, str, dict[str, Any]]]


def link_edges(links: LinkRows, first_model_edge: dict[str, tuple[str, dict[str, Any]]],
               resolver: "Resolver") -> list[Edge]:
    """The tail of every output: links aggregated over papers, sorted by (head,
    type, tail), with checkpoint-family links added: a checkpoint is BASED_ON
    its family ("LLaMA-2-7B" -> "LLaMA-2") wherever both are in the graph,
    with the evidence of the smallest paper id naming the checkpoint
    (``first_model_edge``: model node -> (paper id, edge provenance)); every
    paper naming the checkpoint supports it."""
    resolved = resolver.resolve().values()
    family_of = checkpoint_families(resolved)
    papers_of = {r.node_id: r.papers for r in resolved}
    rows = dict(links)
    derived = [((ckpt, "BASED_ON", family), "checkpoint-family", 0.9) for ckpt, family in family_of.items()]
    # a hardware product IS_A its class, with the evidence of the first sentence naming the product
    derived += [((product, "IS_A", cls), "hardware-class", 1.0) for product, cls in hardware_classes(resolved).items()]
    # an edition or version ("AIME 2025", "MoCo v2") is BASED_ON its family when that is a node
    derived += [((ed, "BASED_ON", family), "edition-family", 0.9)
                for ed, family in edition_families(resolved).items() if ed not in family_of]
    for key, rule, confidence in derived:
        first = first_model_edge.get(key[0])
        if first is not None and key not in rows:
            prov = {k: first[1][k] for k in ("evidence", "field", "start", "end", "extractor")}
            rows[key] = (papers_of[key[0]], first[0], {**prov, "rule": rule, "confidence": confidence})
    return [Edge(head, tail, type_, {**prov, "paper": paper_node_id(first_pid), "support": support})
            for (head, type_, tail), (support, first_pid, prov) in sorted(rows.items())]


def model_node_ids(resolver: "Resolver") -> set[str]:
    """Nodes whose first paper edge is the evidence of a derived link: Model
    nodes (checkpoint families), hardware products (IS_A their class) and
    editions (BASED_ON their family)."""
    resolved = resolver.resolve().values()
    return ({r.node_id for r in resolved if r.type == "Model"} | set(hardware_classes(resolved))
            | set(edition_families(resolved)))


def split_graph(graph: Any) -> tuple[list[Node], list[PaperGraph], list[Edge]]:
    """A whole graph (``nodes()`` and ``edges()``, as a :class:`GraphFile`)
    as the renderers take it: entity nodes sorted by id, each paper (in the
    graph's order) with its edges, and the other edges (links) sorted."""
    entities: list[Node] = []
    papers: dict[str, PaperGraph] = {}
    for node in graph.nodes():
        if node.label == "Paper":
            papers[node.id] = PaperGraph(node.id.split("/", 1)[1], node, [])
        else:
            entities.append(node)
    links: list[Edge] = []
    for edge in graph.edges():
        pg = papers.get(edge.source)
        if pg is not None:
            pg.edges.append(edge)
        else:
            links.append(edge)
    for pg in papers.values():
        pg.edges.sort(key=lambda e: e.target)
    entities.sort(key=lambda n: n.id)
    links.sort(key=lambda e: e.key)
    return entities, list(papers.values()), links


# A size or variant suffix on a model name: "-7B", " 70B", "-8x7B", "-Base", " XL", "-Instruct".
_VARIANT_SUFFIX = re.compile(
    r"[-\s_]?(?:\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)?[BMKT]|base|large|small|tiny|mini|medium|xl|xxl|"
    r"instruct|chat|it)$", re.IGNORECASE)


def model_family_name(name: str) -> str | None:
    """The family a checkpoint name belongs to, by stripping variant suffixes:
    "Llama-3.1-70B-Instruct" -> "Llama-3.1", "Code Llama 34B" -> "Code Llama"."""
    stem = name
    while True:
        shorter = _VARIANT_SUFFIX.sub("", stem)
        if shorter == stem or not shorter:
            break
        stem = shorter
    return stem if stem != name and len(stem) >= 2 else None


def checkpoint_families(resolved: "Iterable[ResolvedEntity]") -> dict[str, str]:
    """Model node id -> the node id of its family, when the family is a node
    too. The vocabulary's ``family`` attribute wins; else the name's stem."""
    models = [r for r in resolved if r.type == "Model"]
    by_name: dict[str, str] = {}
    for r in models:
        for s in (r.name, *r.aliases):
            by_name.setdefault(fold(s), r.node_id)
    out: dict[str, str] = {}
    for r in models:
        for family in (r.attrs.get("family"), model_family_name(r.name)):
            target = by_name.get(fold(family)) if family else None
            if target and target != r.node_id:
                out[r.node_id] = target
                break
    return out


class GraphFile:
    """A read-only view of ``graph.jsonl`` that streams instead of loading
    (``nodes``, ``edges``, ``counts``), so a reader holds no more of a graph
    than it needs. Items come in file order; a build writes each edge after
    both of its end nodes. ``path`` is the file or the build's output directory.
    """

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        self.path = path / GRAPH_JSONL if path.is_dir() else path
        if not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no graph here; run `kg build -o {self.path.parent}` first")

    def _items(self) -> Iterator[dict[str, Any]]:
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)

    def items(self) -> Iterator[Node | Edge]:
        """Nodes and edges in file order."""
        for d in self._items():
            yield Node.from_dict(d) if d["kind"] == "node" else Edge.from_dict(d)

    def nodes(self, label: str | None = None) -> Iterator[Node]:
        for d in self._items():
            if d["kind"] == "node" and (label is None or d["label"] == label):
                yield Node.from_dict(d)

    def edges(self, type_: str | None = None) -> Iterator[Edge]:
        for d in self._items():
            if d["kind"] == "edge" and (type_ is None or d["type"] == type_):
                yield Edge.from_dict(d)

    def counts(self) -> dict[str, dict[str, int]]:
        nodes: dict[str, int] = {}
        edges: dict[str, int] = {}
        for d in self._items():
            bucket, key = (nodes, d["label"]) if d["kind"] == "node" else (edges, d["type"])
            bucket[key] = bucket.get(key, 0) + 1
        return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}
