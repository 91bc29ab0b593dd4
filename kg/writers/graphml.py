"""``graph.graphml`` through networkx, for Gephi, yEd, Cytoscape and igraph.

GraphML attributes are scalars, so list-valued properties (aliases, authors)
are written joined with " | ". Every edge keeps its provenance attributes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from ..graph import KnowledgeGraph
from .atomic import atomic_path

LIST_SEP = " | "


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(str(v) for v in value)
    if value is None:
        return ""
    return value


def to_networkx_flat(graph: KnowledgeGraph) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node in graph.nodes():
        attrs = {"label": node.label, "name": node.name, "aliases": _scalar(node.aliases)}
        attrs.update({k: _scalar(v) for k, v in sorted(node.props.items())})
        g.add_node(node.id, **attrs)
    for edge in graph.edges():
        attrs = {"type": edge.type, **{k: _scalar(v) for k, v in sorted(edge.props.items())}}
        g.add_edge(edge.source, edge.target, key=edge.type, **attrs)
    return g


def write_graphml(graph: KnowledgeGraph, path: str | Path) -> int:
    g = to_networkx_flat(graph)
    with atomic_path(path) as tmp:
        nx.write_graphml(g, tmp, encoding="utf-8", prettyprint=True, named_key_ids=True)
    return g.number_of_nodes() + g.number_of_edges()
