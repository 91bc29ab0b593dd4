"""``edges.csv``: every edge of the graph as one CSV row (``kg build --format csv``).

For spreadsheets and dataframes: ``source,type,target,confidence,support``,
one row per edge, papers' edges in corpus order, then the links. It is also
the worked example of adding a format (README, "Architecture").
"""

from __future__ import annotations

import csv
import io
from typing import Iterable, Sequence

from ..graph import Edge, Node, PaperGraph
from . import Renderer, Totals

COLUMNS = ("source", "type", "target", "confidence", "support")


def _rows(rows: Iterable[Sequence[object]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _edge_rows(edges: Iterable[Edge]) -> bytes:
    return _rows((e.source, e.type, e.target, e.props.get("confidence", ""), e.props.get("support", ""))
                 for e in edges)


class CsvEdges(Renderer):
    name = "csv"
    filename = "edges.csv"

    def head(self, nodes: Sequence[Node]) -> bytes:
        return _rows([COLUMNS])

    def paper(self, pg: PaperGraph) -> bytes:
        return _edge_rows(pg.edges)

    def tail(self, links: Sequence[Edge], totals: Totals) -> bytes:
        return _edge_rows(links)
