"""``papers.jsonl``: one line a paper, in the gold format of shared/eval/GUIDE.md.

Each entity line carries ``name``, ``type``, ``role``, ``aliases``, ``mentions``
(field and character offsets), ``confidence`` and its provenance; in a build it
also names the graph ``node`` the entity resolved to. ``links`` carry their
evidence too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

from ..types import Entity, PaperExtraction
from .atomic import atomic_write


def _evidence(text: str, fld: str, start: int, end: int, rule: str, confidence: float) -> dict[str, Any]:
    return {"text": text, "field": fld, "start": start, "end": end, "rule": rule,
            "confidence": round(float(confidence), 4)}


def paper_json(ex: PaperExtraction, node_of: Callable[[Entity], str] | None = None,
               extractor_version: str = "") -> dict[str, Any]:
    rec = ex.record
    out: dict[str, Any] = {"id": rec.id, "title": rec.title}
    for key in ("arxiv_id", "doi", "url", "date"):
        if getattr(rec, key):
            out[key] = getattr(rec, key)
    entities = []
    for e in ex.entities:
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
        if node_of is not None:
            d["node"] = node_of(e)
        entities.append(d)
    out["entities"] = entities
    out["links"] = [
        {"head": l.head, "type": l.type, "tail": l.tail,
         "evidence": _evidence(l.evidence, l.field, l.start, l.end, l.rule, l.confidence)}
        for l in ex.links
    ]
    if extractor_version:
        out["extractor"] = extractor_version
    return out


def write_papers_jsonl(extractions: Iterable[PaperExtraction], path: str | Path,
                       node_of: Callable[[Entity], str] | None = None, extractor_version: str = "") -> int:
    n = 0
    with atomic_write(path) as fh:
        for ex in extractions:
            fh.write(json.dumps(paper_json(ex, node_of, extractor_version), ensure_ascii=False) + "\n")
            n += 1
    return n
