"""``graph.graphml`` for Gephi, yEd, Cytoscape and igraph.

GraphML declares every attribute key, with its type, before the first
element, so its head is rendered last (``head_last``): each paper's keys are
its :meth:`GraphMl.summary`, kept in the layout beside its segment, so an
update need not read unchanged papers to declare them. Every node and edge
property becomes a key. GraphML attributes are scalars: list-valued
properties (aliases, authors) are joined with " | ". The output reads back
with ``networkx.read_graphml``.
"""

from __future__ import annotations

import json
import re
from typing import Any, Sequence
from xml.sax.saxutils import escape, quoteattr

from ..graph import Edge, Node, PaperGraph
from . import Renderer, Totals

LIST_SEP = " | "
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _scalar(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return LIST_SEP.join(str(v) for v in value)
    return "" if value is None else value


def _node_attrs(node) -> dict[str, Any]:
    return {"label": node.label, "name": node.name, "aliases": _scalar(node.aliases),
            **{k: _scalar(v) for k, v in sorted(node.props.items())}}


def _edge_attrs(edge) -> dict[str, Any]:
    return {"type": edge.type, **{k: _scalar(v) for k, v in sorted(edge.props.items())}}


def _declare(keys: dict[str, str], attrs: dict[str, Any], typed: bool = False) -> None:
    """Record each attribute's GraphML type (``typed``: the values are type names)."""
    for k, v in attrs.items():
        t = v if typed else _TYPES.get(type(v), "string")
        if keys.setdefault(k, t) != t:
            # Mixed ints and floats widen to double; anything else to string.
            keys[k] = "double" if {keys[k], t} == {"long", "double"} else "string"


# What escape() or quoteattr() would change; most values have none of it.
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTR_SPECIAL = re.compile("[&<>\"'\n\r\t]")


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    s = str(v)
    if not _SPECIAL.search(s):
        return s
    # XML 1.0 cannot carry most control characters, even escaped.
    return escape(_CONTROL.sub("", s))


def _attr(s: str) -> str:
    return quoteattr(s) if _ATTR_SPECIAL.search(s) else f'"{s}"'


_DATA: dict[str, str] = {}  # "n_name" -> '      <data key="n_name">': few keys, many elements


def _data(key: str) -> str:
    d = _DATA.get(key)
    if d is None:
        d = _DATA[key] = f"      <data key={quoteattr(key)}>"
    return d


_HEADER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
           'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
FOOTER = "  </graph>\n</graphml>\n"


class KeyTypes:
    """The attribute keys GraphML must declare up front, with their types.
    The widening (ints and floats to double, anything else mixed to string)
    depends only on the set of types seen, so keys can be collected in any
    order, or merged from parts (:meth:`merge`), with the same result."""

    def __init__(self) -> None:
        self.node: dict[str, str] = {}
        self.edge: dict[str, str] = {}

    def add(self, item) -> None:
        if hasattr(item, "label"):
            _declare(self.node, _node_attrs(item))
        else:
            _declare(self.edge, _edge_attrs(item))

    def merge(self, other: "KeyTypes") -> None:
        for mine, theirs in ((self.node, other.node), (self.edge, other.edge)):
            for k, t in theirs.items():
                _declare(mine, {k: t}, typed=True)

    def to_json(self) -> str:
        return json.dumps([self.node, self.edge], sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "KeyTypes":
        kt = cls()
        kt.node, kt.edge = json.loads(text)
        return kt

    def header(self) -> str:
        lines = [_HEADER]
        for scope, keys in (("node", self.node), ("edge", self.edge)):
            for k in sorted(keys):
                lines.append(f'  <key id={quoteattr(scope[0] + "_" + k)} for="{scope}" '
                             f'attr.name={quoteattr(k)} attr.type="{keys[k]}"/>\n')
        lines.append('  <graph edgedefault="directed">\n')
        return "".join(lines)


def element(item, attrs: dict[str, Any] | None = None) -> str:
    """One node or edge element (``attrs``: its attributes, when already made)."""
    if hasattr(item, "label"):
        parts = [f"    <node id={_attr(item.id)}>\n"]
        parts += [f"{_data('n_' + k)}{_value(v)}</data>\n" for k, v in (attrs or _node_attrs(item)).items()]
        parts.append("    </node>\n")
    else:
        parts = [f"    <edge source={_attr(item.source)} target={_attr(item.target)}>\n"]
        parts += [f"{_data('e_' + k)}{_value(v)}</data>\n" for k, v in (attrs or _edge_attrs(item)).items()]
        parts.append("    </edge>\n")
    return "".join(parts)


class GraphMl(Renderer):
    name = "graphml"
    filename = "graph.graphml"
    head_last = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.keys = KeyTypes()
        self._absorbed: set[str] = set()
        self._last: tuple[PaperGraph, str] | None = None

    def paper(self, pg: PaperGraph) -> bytes:
        part = KeyTypes()
        node_attrs = _node_attrs(pg.node)
        _declare(part.node, node_attrs)
        out = [element(pg.node, node_attrs)]
        for e in pg.edges:
            attrs = _edge_attrs(e)
            _declare(part.edge, attrs)
            out.append(element(e, attrs))
        self._last = (pg, part.to_json())  # the summary, asked for next
        return "".join(out).encode("utf-8")

    def summary(self, pg: PaperGraph) -> str:
        if self._last is None or self._last[0] is not pg:
            self.paper(pg)
        assert self._last is not None
        return self._last[1]

    def absorb(self, summary: str | None) -> None:
        if summary is not None and summary not in self._absorbed:  # most papers share a few key sets
            self._absorbed.add(summary)
            self.keys.merge(KeyTypes.from_json(summary))

    def tail(self, links: Sequence[Edge], totals: Totals) -> bytes:
        for edge in links:
            self.keys.add(edge)
        return ("".join(map(element, links)) + FOOTER).encode("utf-8")

    def head(self, nodes: Sequence[Node]) -> bytes:
        """After :meth:`tail`: the keys of everything, then the entity nodes."""
        for node in nodes:
            self.keys.add(node)
        return (self.keys.header() + "".join(map(element, nodes))).encode("utf-8")
