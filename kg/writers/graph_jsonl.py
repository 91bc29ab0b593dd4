"""``graph.jsonl``: the graph as one JSON object a line (nodes and edges).

The lossless machine-readable form of the graph; :class:`kg.graph.GraphFile`
streams it and :mod:`kg.writers.push_state` indexes it, so `kg push`,
`kg export` and `kg sparql` work from a build's output directory without
re-running extraction. Every edge comes after both of its end nodes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from ..graph import GRAPH_JSONL, Edge, Node, PaperGraph
from . import Renderer, Totals, write_graph


#: json.dumps(..., ensure_ascii=False, sort_keys=True) without building an encoder a call (a build makes
#: a dozen lines a paper)
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def dumps(item: Node | Edge) -> str:
    return _encode(item.to_dict()) + "\n"


class GraphJsonl(Renderer):
    name = "graph"
    filename = GRAPH_JSONL

    def head(self, nodes: Sequence[Node]) -> bytes:
        return "".join(map(dumps, nodes)).encode("utf-8")

    def paper(self, pg: PaperGraph) -> bytes:
        return "".join(map(dumps, [pg.node, *pg.edges])).encode("utf-8")

    def tail(self, links: Sequence[Edge], totals: Totals) -> bytes:
        return "".join(map(dumps, links)).encode("utf-8")


def write_graph_jsonl(graph: Any, path: str | Path) -> None:
    """A whole graph (anything with ``nodes()`` and ``edges()``) as graph.jsonl."""
    write_graph(graph, path, "graph")
