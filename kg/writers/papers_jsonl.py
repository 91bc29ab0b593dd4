"""``papers.jsonl``: one line a paper, in the gold format of shared/eval/GUIDE.md.

Each entity line carries ``name``, ``type``, ``role``, ``aliases``, ``mentions``
(field and character offsets), ``confidence`` and its provenance; in a build it
also names the graph ``node`` the entity resolved to. ``links`` carry their
evidence too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..graph import Edge, Node, PaperGraph
from ..types import PaperExtraction
from . import Renderer, Totals
from .atomic import atomic_write

PAPERS_JSONL = "papers.jsonl"


def _evidence(text: str, fld: str, start: int, end: int, rule: str, confidence: float) -> dict[str, Any]:
    return {"text": text, "field": fld, "start": start, "end": end, "rule": rule,
            "confidence": round(float(confidence), 4)}


def paper_json(ex: PaperExtraction, nodes: Sequence[str] | None = None,
               extractor_version: str = "") -> dict[str, Any]:
    """``nodes``: the node each entity resolved to, in entity order (a build's)."""
    rec = ex.record
    out: dict[str, Any] = {"id": rec.id, "title": rec.title}
    for key in ("arxiv_id", "doi", "url", "date"):
        if getattr(rec, key):
            out[key] = getattr(rec, key)
    entities = []
    for i, e in enumerate(ex.entities):
        d: dict[str, Any] = {
            "name": e.name, "type": e.type, "role": e.role, "aliases": list(e.aliases),
            "mentions": [{"text": m.text, "field": m.field, "start": m.start, "end": m.end} for m in e.mentions],
            "confidence": round(float(e.confidence), 4),
        }
        if e.count is not None:
            d["count"] = e.count
        if e.purpose:
            d["purpose"] = e.purpose
        if e.attrs:
            d["attrs"] = dict(sorted(e.attrs.items()))
        d["evidence"] = _evidence(e.evidence, e.evidence_field, e.evidence_start, e.evidence_end, e.rule, e.confidence)
        if nodes is not None:
            d["node"] = nodes[i]
        entities.append(d)
    out["entities"] = entities
    out["links"] = [
        {"head": l.head, "type": l.type, "tail": l.tail,
         "evidence": _evidence(l.evidence, l.field, l.start, l.end, l.rule, l.confidence)}
        for l in ex.links
    ]
    cited = getattr(ex, "cited", ())  # extractions stored before full texts have none
    if cited:  # named only by a full text's related work or references: cited, not used (kg/fulltext.py)
        out["cited"] = [
            {"name": e.name, "type": e.type, "confidence": round(float(e.confidence), 4),
             "mentions": [{"text": m.text, "field": m.field, "start": m.start, "end": m.end} for m in e.mentions]}
            for e in cited]
    if extractor_version:
        out["extractor"] = extractor_version
    return out


_encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False), built once


def paper_line(ex: PaperExtraction, nodes: Sequence[str] | None = None, extractor_version: str = "") -> bytes:
    return (_encode(paper_json(ex, nodes, extractor_version)) + "\n").encode("utf-8")


class PapersJsonl(Renderer):
    name = "papers"
    filename = PAPERS_JSONL
    needs_extraction = True

    def head(self, nodes: Sequence[Node]) -> bytes:
        return b""

    def paper(self, pg: PaperGraph) -> bytes:
        assert pg.extraction is not None
        return paper_line(pg.extraction, pg.entity_nodes, self.ctx.extractor_version)

    def tail(self, links: Sequence[Edge], totals: Totals) -> bytes:
        return b""


def write_papers_jsonl(extractions: Iterable[PaperExtraction], path: str | Path, extractor_version: str = "") -> int:
    """`kg extract`: extractions without a graph (no resolved nodes)."""
    n = 0
    with atomic_write(path, "wb") as fh:
        for ex in extractions:
            fh.write(paper_line(ex, None, extractor_version))
            n += 1
    return n
