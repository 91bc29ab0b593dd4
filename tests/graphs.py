"""A small graph built by hand, for tests: kg itself writes only from a build's
``graph.jsonl``, so a test builds its graph here and saves it as one
(:meth:`GraphBuilder.save`), then runs the real exports and pushes on that folder."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from kg.graph import EDGE_TYPES, GRAPH_JSONL, NODE_LABELS, Edge, GraphFile, Node
from kg.writers.graph_jsonl import write_graph_jsonl


class GraphBuilder:
    """Nodes by id and at most one edge of each type between two nodes,
    read back sorted (nodes by id, edges by source, type, target)."""

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._edges: dict[tuple[str, str, str], Edge] = {}

    def add_node(self, node: Node) -> None:
        if node.label not in NODE_LABELS:
            raise ValueError(f"unknown node label {node.label!r}")
        self._nodes[node.id] = node

    def add_edge(self, edge: Edge) -> None:
        if edge.type not in EDGE_TYPES:
            raise ValueError(f"unknown edge type {edge.type!r}")
        for end in (edge.source, edge.target):
            if end not in self._nodes:
                raise KeyError(f"edge {edge.key} refers to missing node {end!r}")
        self._edges[edge.key] = edge

    def has_edge(self, source: str, target: str, type_: str) -> bool:
        return (source, type_, target) in self._edges

    def get_edge(self, source: str, target: str, type_: str) -> Edge | None:
        return self._edges.get((source, type_, target))

    def get_node(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def nodes(self, label: str | None = None) -> Iterator[Node]:
        return (self._nodes[k] for k in sorted(self._nodes) if label is None or self._nodes[k].label == label)

    def edges(self, type_: str | None = None) -> Iterator[Edge]:
        return (self._edges[k] for k in sorted(self._edges) if type_ is None or k[1] == type_)

    def __len__(self) -> int:
        return len(self._nodes)

    def number_of_edges(self) -> int:
        return len(self._edges)

    def counts(self) -> dict[str, dict[str, int]]:
        nodes: dict[str, int] = {}
        for n in self._nodes.values():
            nodes[n.label] = nodes.get(n.label, 0) + 1
        edges: dict[str, int] = {}
        for _, type_, _ in self._edges:
            edges[type_] = edges.get(type_, 0) + 1
        return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}

    def save(self, outdir: str | Path) -> Path:
        """The graph as ``OUTDIR/graph.jsonl`` (through the graph.jsonl renderer); returns OUTDIR."""
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        write_graph_jsonl(self, out / GRAPH_JSONL)
        return out


def load_graph(path: str | Path) -> GraphBuilder:
    """A build's graph.jsonl read back, for assertions."""
    g = GraphBuilder()
    f = GraphFile(path)
    for n in f.nodes():
        g.add_node(n)
    for e in f.edges():
        g.add_edge(e)
    return g
