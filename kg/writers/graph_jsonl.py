"""``graph.jsonl``: every node, then every edge, one JSON object a line.

The lossless machine-readable form of the graph; :func:`kg.graph.load_graph`
reads it back, so `kg push`, `kg export`, `kg sparql` and `kg cypher` work
from a build's output directory without re-running extraction.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..graph import KnowledgeGraph
from .atomic import atomic_write


def write_graph_jsonl(graph: KnowledgeGraph, path: str | Path) -> int:
    n = 0
    with atomic_write(path) as fh:
        for node in graph.nodes():
            fh.write(json.dumps(node.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
        for edge in graph.edges():
            fh.write(json.dumps(edge.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n
