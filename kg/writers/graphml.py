"""``graph.graphml`` for Gephi, yEd, Cytoscape and igraph.

Written as a stream (two passes over the graph: one to declare the attribute
keys GraphML wants up front, one to write), so a graph of any size converts
with bounded memory. GraphML attributes are scalars: list-valued properties
(aliases, authors) are joined with " | ". The output reads back with
``networkx.read_graphml``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from .atomic import atomic_write

LIST_SEP = " | "
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(str(v) for v in value)
    return "" if value is None else value


def _node_attrs(node) -> dict[str, Any]:
    return {"label": node.label, "name": node.name, "aliases": _scalar(node.aliases),
            **{k: _scalar(v) for k, v in node.props.items()}}


def _edge_attrs(edge) -> dict[str, Any]:
    return {"type": edge.type, **{k: _scalar(v) for k, v in edge.props.items()}}


def _declare(keys: dict[str, str], attrs: dict[str, Any]) -> None:
    for k, v in attrs.items():
        t = _TYPES.get(type(v), "string")
        if keys.setdefault(k, t) != t:
            # Mixed ints and floats widen to double; anything else to string.
            keys[k] = "double" if {keys[k], t} == {"long", "double"} else "string"


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    # XML 1.0 cannot carry most control characters, even escaped.
    return escape(_CONTROL.sub("", str(v)))


def write_graphml(graph, path: str | Path) -> int:
    """Write ``graph`` (a KnowledgeGraph or a streaming GraphFile)."""
    node_keys: dict[str, str] = {}
    edge_keys: dict[str, str] = {}
    for node in graph.nodes():
        _declare(node_keys, _node_attrs(node))
    for edge in graph.edges():
        _declare(edge_keys, _edge_attrs(edge))
    n = 0
    with atomic_write(path) as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                 'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                 'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for scope, keys in (("node", node_keys), ("edge", edge_keys)):
            for k, t in keys.items():
                fh.write(f'  <key id={quoteattr(scope[0] + "_" + k)} for="{scope}" '
                         f'attr.name={quoteattr(k)} attr.type="{t}"/>\n')
        fh.write('  <graph edgedefault="directed">\n')
        for node in graph.nodes():
            fh.write(f"    <node id={quoteattr(node.id)}>\n")
            for k, v in _node_attrs(node).items():
                fh.write(f'      <data key={quoteattr("n_" + k)}>{_value(v)}</data>\n')
            fh.write("    </node>\n")
            n += 1
        for edge in graph.edges():
            fh.write(f"    <edge source={quoteattr(edge.source)} target={quoteattr(edge.target)}>\n")
            for k, v in _edge_attrs(edge).items():
                fh.write(f'      <data key={quoteattr("e_" + k)}>{_value(v)}</data>\n')
            fh.write("    </edge>\n")
            n += 1
        fh.write("  </graph>\n</graphml>\n")
    return n
