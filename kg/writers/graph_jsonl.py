"""``graph.jsonl``: the graph as one JSON object a line (nodes and edges).

The lossless machine-readable form of the graph; :func:`kg.graph.load_graph`
reads it into memory and :class:`kg.graph.GraphFile` streams it, so `kg push`,
`kg export`, `kg sparql` and the RDF and GraphML writers work from a build's
output directory without re-running extraction. Every edge comes after both
of its end nodes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from ..graph import Edge, KnowledgeGraph, Node
from .atomic import atomic_write


def dumps(item: Node | Edge) -> str:
    return json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True) + "\n"


def write_items(items: Iterable[Node | Edge], path: str | Path) -> dict[str, dict[str, int]]:
    """Stream nodes and edges to ``path``; returns counts by label and type."""
    nodes: dict[str, int] = {}
    edges: dict[str, int] = {}
    with atomic_write(path) as fh:
        for item in items:
            fh.write(dumps(item))
            if isinstance(item, Node):
                nodes[item.label] = nodes.get(item.label, 0) + 1
            else:
                edges[item.type] = edges.get(item.type, 0) + 1
    return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}


def write_graph_jsonl(graph: KnowledgeGraph, path: str | Path) -> int:
    counts = write_items([*graph.nodes(), *graph.edges()], path)
    return sum(counts["nodes"].values()) + sum(counts["edges"].values())
