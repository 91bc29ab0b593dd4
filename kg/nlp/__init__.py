"""Entity and relation extraction for paper titles and abstracts.

    from kg.nlp import Extractor, EXTRACTOR_VERSION
    ex = Extractor()
    ex.extract(record) -> PaperExtraction
    ex.extract_many(records, batch_size=256) -> Iterator[PaperExtraction]

The pipeline is ``spacy.blank("en")`` plus the components in
:mod:`kg.nlp.pipeline` (``kg_sentences``, ``kg_vocab``, ``kg_hardware``,
``kg_abbreviations``, ``kg_cues``, ``kg_assemble``); vocabulary and pattern
data are files (``ontology/vocab/*.tsv``, ``kg/nlp/data/*``).

Output policy:

* ``Entity.name`` is the vocabulary's canonical name when the paper writes
  it (in any fold-equivalent spelling), otherwise the paper's own wording
  (long form for a defined acronym). The vocabulary name is always kept in
  ``attrs["canonical"]`` so later stages can merge across papers. Scoring
  (shared/eval/GUIDE.md) matches the name against the paper's surface forms,
  so a canonical name the paper never writes ("Proximal Policy Optimization"
  for a paper that only says "PPO") would not match.
* Hardware is named by its surface form minus the count ("NVIDIA V100-32GB
  GPU"); ``attrs`` holds vendor/product/memory/class and the composed name.
* Each entity has exactly one role: PROPOSES for the paper's own contribution
  (title colon, propose/naming clauses, "our method (X)", own-voice acronym
  definitions), else the default role of its type.
* Entities are sorted by first mention (title before abstract), then name;
  links by (head, type, tail).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kg.types import EXTRACTOR_VERSION, Entity, Link, Mention, PaperExtraction, PaperRecord

if TYPE_CHECKING:
    from .assemble import EntityDraft
    from .pipeline import DocState

__all__ = ["Extractor", "EXTRACTOR_VERSION", "to_json", "build_pipeline"]

log = logging.getLogger(__name__)

_NL = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def __getattr__(name: str):
    # spaCy (~1 s to import) comes with the pipeline, not with this package:
    # EXTRACTOR_VERSION and kg.nlp.vocab stay cheap for the build's main process
    if name == "build_pipeline":
        from .pipeline import build_pipeline

        return build_pipeline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _combine(record: PaperRecord) -> str:
    # newline-free fields (same lengths, so offsets stay valid) joined by one "\n"
    return (record.title or "").translate(_NL) + "\n" + (record.abstract or "").translate(_NL)


class Extractor:
    """Loads the pipeline and vocabulary once; extracts entities, roles and links."""

    def __init__(self, vocab_dir: str | Path | None = None):
        from .pipeline import build_pipeline

        self.nlp = build_pipeline(vocab_dir)
        self.version = EXTRACTOR_VERSION

    def extract(self, record: PaperRecord) -> PaperExtraction:
        return next(self.extract_many([record]))

    def extract_many(self, records: Iterable[PaperRecord], batch_size: int = 256) -> Iterator[PaperExtraction]:
        from .pipeline import new_state

        recs: list[PaperRecord] = []
        make_doc = self.nlp.make_doc

        def docs():
            # tokenise here so the components get the text without rebuilding it from tokens
            for r in records:
                recs.append(r)
                text = _combine(r)
                doc = make_doc(text)
                doc._.kg = new_state(text)
                yield doc

        for i, doc in enumerate(self.nlp.pipe(docs(), batch_size=batch_size)):
            rec = recs[i]
            recs[i] = None  # type: ignore[call-overload]  # free memory as we go
            st = doc._.kg
            yield self._convert(rec, st.text, st)

    # ------------------------------------------------------------ conversion
    @staticmethod
    def _convert(rec: PaperRecord, text: str, st: DocState) -> PaperExtraction:
        te = st.title_end
        off = te + 1

        def loc(a: int, b: int) -> tuple[str, int, int]:
            if a < te:
                return "title", a, min(b, te)
            return "abstract", a - off, b - off

        entities: list[Entity] = []
        names: dict[int, str] = {}
        for g in st.entities:
            g: EntityDraft
            mentions = []
            for c in sorted(g.cands, key=lambda c: c.start):
                f, a, b = loc(c.start, c.end)
                mentions.append(Mention(c.text, f, a, b))
            ef, ea, eb = loc(*g.evidence)
            ent = Entity(
                name=g.name,
                type=g.type,
                role=g.role,
                aliases=list(g.aliases),
                mentions=mentions,
                confidence=round(min(1.0, max(0.0, g.confidence)), 3),
                count=g.count if g.type == "Hardware" else None,
                attrs={k: str(v) for k, v in g.attrs.items()},
                evidence=text[g.evidence[0] : g.evidence[1]],
                evidence_field=ef,
                evidence_start=ea,
                evidence_end=eb,
                rule=g.rule,
            )
            entities.append(ent)
            names[id(g)] = g.name
        order = {"title": 0, "abstract": 1}
        entities.sort(key=lambda e: (order[e.mentions[0].field], e.mentions[0].start, e.name) if e.mentions else (2, 0, e.name))
        links = []
        for l in st.links:
            f, a, b = loc(*l.sent)
            links.append(
                Link(
                    head=l.head.name,
                    type=l.type,
                    tail=l.tail.name,
                    head_type=l.head.type,
                    tail_type=l.tail.type,
                    evidence=text[l.sent[0] : l.sent[1]],
                    field=f,
                    start=a,
                    end=b,
                    rule=l.rule,
                    confidence=l.confidence,
                )
            )
        links.sort(key=lambda l: (l.head, l.type, l.tail))
        return PaperExtraction(rec, entities, links)


def to_json(extraction: PaperExtraction) -> dict:
    """One papers.jsonl line, in the one shape the writer uses
    (:func:`kg.writers.papers_jsonl.paper_json`)."""
    from kg.writers.papers_jsonl import paper_json

    return paper_json(extraction, extractor_version=EXTRACTOR_VERSION)
