"""Extraction over full texts: the abstract extractor run section by section,
and the section-aware choice of each entity's role, evidence and confidence.

The extractor (:mod:`kg.nlp`) knows titles and abstracts. A paper with a
:class:`~kg.types.FullText` is extracted as

1. its title and abstract, as any record (fields ``title``/``abstract``);
2. every other section, cut into pieces of at most :data:`PIECE_CHARS`
   characters at paragraph or sentence ends (spaCy's ``max_length`` is never
   approached, and memory stays flat), each run through the same extractor
   as an abstract without a title.

Mentions found in a piece carry the section kind as their ``field`` and
offsets into ``FullText.text`` (the text the build keeps, in
``OUTDIR/fulltext/<id>.txt``: :func:`keep_fulltexts`), so ``fulltext.text[m.start:m.end] == m.text``.

Roles, merged per entity over all sections:

- what the related-work and references sections name is what the paper
  *cites*: it gets no role and does not become a paper edge (it is kept in
  :attr:`PaperExtraction.cited`, with lower confidence), unless a sentence
  there says the paper itself uses it ("we build on X", "following X, we"),
  which makes it USES (or the type's role) at lower confidence; a "we
  propose" there never counts;
- PROPOSES comes from the title, abstract, introduction, method or
  conclusion, as the extractor decides it there;
- otherwise the type's role (USES, EVALUATES_ON, USES_HARDWARE, ADDRESSES),
  with the evidence taken from the section that weighs most for it: the
  experimental setup and results for USES, EVALUATES_ON and USES_HARDWARE,
  then the method, the abstract, the introduction.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .text import fold
from .types import DEFAULT_ROLE, Entity, FullText, Link, Mention, PaperExtraction, PaperRecord

#: Largest piece of a section handed to the extractor at once (characters).
PIECE_CHARS = 20_000
#: Sections the title/abstract pass already covers, or that hold no prose.
SKIPPED_KINDS = frozenset({"title", "abstract"})
#: Sections whose names are other people's work.
CITING_KINDS = frozenset({"related_work", "references"})
#: Sections whose PROPOSES the paper's own voice can state.
PROPOSING_KINDS = frozenset({"title", "abstract", "introduction", "method", "conclusion"})
#: How much a section's evidence counts for a non-PROPOSES role (higher wins).
SECTION_WEIGHT: dict[str, float] = {
    "experiments": 3.0, "results": 2.8, "method": 2.2, "abstract": 2.0, "title": 2.0, "appendix": 1.6,
    "introduction": 1.5, "conclusion": 1.2, "other": 1.0, "related_work": 0.5, "references": 0.3,
}
#: Confidence added to experimental-section evidence for the roles they attest best.
EXPERIMENT_BONUS = 0.05
EXPERIMENT_KINDS = frozenset({"experiments", "results"})
#: Factors on the confidence of what citing sections name.
CITED_USE_FACTOR = 0.7
CITED_FACTOR = 0.5
#: A sentence in which the paper says it uses what it cites.
USE_CUE = re.compile(
    r"\b(?:we|our)\b[^.;]{0,60}?\b(?:use[sd]?|using|adopt\w*|build(?:s|ing)?\s+(?:on|upon)|built\s+(?:on|upon)|"
    r"follow\w*|employ\w*|extend\w*|apply|applied|rely\s+on|leverag\w*|fine-?tun\w*|initiali[sz]\w*|"
    r"compare\w*|benchmark\w*|evaluat\w*|train\w*)\b"
    r"|\bfollowing\b[^.;]{0,80}?,\s*we\b",
    re.I,
)
_PIECE_END = re.compile(r"\n|(?<=[.!?])\s")


class _Extracts(Protocol):
    def extract_many(self, records: Iterable[PaperRecord], batch_size: int = ...) -> Iterator[PaperExtraction]: ...


@dataclass(frozen=True, slots=True)
class Piece:
    """A part of one section handed to the extractor: its kind and where it starts."""

    kind: str
    start: int
    text: str


def pieces(ft: FullText, limit: int = PIECE_CHARS) -> list[Piece]:
    """Every section but title and abstract (and the untitled front matter),
    in pieces of at most ``limit`` characters cut at paragraph or sentence ends."""
    out: list[Piece] = []
    for s in ft.sections:
        if s.kind in SKIPPED_KINDS or (s.kind == "other" and not s.heading) or s.end <= s.start:
            continue
        a = s.start
        while a < s.end:
            b = min(s.end, a + limit)
            if b < s.end:
                cut = None
                for m in _PIECE_END.finditer(ft.text, a + limit // 2, b):
                    cut = m.end()
                b = cut or b
            out.append(Piece(s.kind, a, ft.text[a:b]))
            a = b
    return out


#: Characters of a typical title + abstract: the unit of :func:`record_weight`.
ABSTRACT_CHARS = 1200


def record_weight(rec: PaperRecord) -> int:
    """Extraction work of a record, in abstracts (1 for a record without a full text)."""
    return 1 if rec.fulltext is None else 1 + len(rec.fulltext.text) // ABSTRACT_CHARS


def extract_many(extractor: _Extracts, records: Iterable[PaperRecord], batch_size: int = 256) -> Iterator[PaperExtraction]:
    """``extractor.extract_many`` over records, full texts section by section, in input order."""
    plain: list[PaperRecord] = []
    for rec in records:
        if rec.fulltext is None:
            plain.append(rec)
            if len(plain) >= batch_size:
                yield from extractor.extract_many(plain, batch_size)
                plain = []
            continue
        if plain:
            yield from extractor.extract_many(plain, batch_size)
            plain = []
        yield extract_fulltext(extractor, rec)
    if plain:
        yield from extractor.extract_many(plain, batch_size)


def extract_fulltext(extractor: _Extracts, rec: PaperRecord) -> PaperExtraction:
    """One paper's extraction over its title, abstract and every section."""
    ft = rec.fulltext
    assert ft is not None
    base = next(extractor.extract_many([rec]))
    parts = pieces(ft)
    probes = [PaperRecord(id=f"{rec.id}#{i}", title="", abstract=p.text, source=rec.source) for i, p in enumerate(parts)]
    found = list(extractor.extract_many(probes)) if probes else []
    merger = _Merger()
    for ent in base.entities:
        merger.add(ent, ent.mentions[0].field if ent.mentions else "abstract")
    links = list(base.links)
    for piece, ex in zip(parts, found):
        for ent in ex.entities:
            merger.add(_shift_entity(ent, piece), piece.kind)
        links.extend(_shift_link(link, piece) for link in ex.links)
    entities, cited = merger.result()
    return PaperExtraction(rec, entities, _unique_links(links), cited=cited)


def _shift_entity(ent: Entity, piece: Piece) -> Entity:
    """``ent`` found in ``piece``: field = section kind, offsets into the full text."""
    mentions = [Mention(m.text, piece.kind, m.start + piece.start, m.end + piece.start) for m in ent.mentions]
    return dataclasses.replace(ent, mentions=mentions, evidence_field=piece.kind,
                               evidence_start=ent.evidence_start + piece.start,
                               evidence_end=ent.evidence_end + piece.start)


def _shift_link(link: Link, piece: Piece) -> Link:
    factor = CITED_USE_FACTOR if piece.kind in CITING_KINDS else 1.0
    return dataclasses.replace(link, field=piece.kind, start=link.start + piece.start,
                               end=link.end + piece.start, confidence=round(link.confidence * factor, 3))


def _unique_links(links: list[Link]) -> list[Link]:
    seen: dict[tuple[str, str, str], Link] = {}
    for link in links:
        seen.setdefault((fold(link.head), link.type, fold(link.tail)), link)
    return sorted(seen.values(), key=lambda l: (l.head, l.type, l.tail))


@dataclass(slots=True)
class _Occurrence:
    ent: Entity
    kind: str
    role: str | None  # None: cited only


class _Merger:
    """Occurrences of one entity in several sections → one entity, or a cited one."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, str], list[_Occurrence]] = {}

    def add(self, ent: Entity, kind: str) -> None:
        self.groups.setdefault((fold(ent.name), ent.type), []).append(_Occurrence(ent, kind, _role_in(ent, kind)))

    def result(self) -> tuple[list[Entity], list[Entity]]:
        entities: list[Entity] = []
        cited: list[Entity] = []
        for occs in self.groups.values():
            merged = _merge(occs)
            (cited if merged.role == "" else entities).append(merged)
        for group in (entities, cited):
            group.sort(key=_order)
        return entities, cited


def _role_in(ent: Entity, kind: str) -> str | None:
    """The role one section's occurrence supports; None when it only cites."""
    default = DEFAULT_ROLE.get(ent.type, ent.role)
    if kind in CITING_KINDS:
        return default if USE_CUE.search(ent.evidence) else None
    if ent.role == "PROPOSES" and kind in PROPOSING_KINDS:
        return "PROPOSES"
    return default


def _score(o: _Occurrence) -> tuple[float, float]:
    conf = o.ent.confidence
    if o.kind in EXPERIMENT_KINDS:
        conf += EXPERIMENT_BONUS
    elif o.kind in CITING_KINDS:
        conf *= CITED_USE_FACTOR if o.role else CITED_FACTOR
    return SECTION_WEIGHT.get(o.kind, 1.0), min(1.0, conf)


def _merge(occs: list[_Occurrence]) -> Entity:
    proposing = [o for o in occs if o.role == "PROPOSES"]
    roled = [o for o in occs if o.role]
    if proposing:
        best, role = max(proposing, key=lambda o: o.ent.confidence), "PROPOSES"
    elif roled:
        best = max(roled, key=_score)
        role = best.role or ""
    else:
        best, role = max(occs, key=_score), ""
    pool = roled or occs
    confidence = round(max(_score(o)[1] for o in pool), 3)
    mentions = sorted({(m.field, m.start, m.end, m.text): m for o in occs for m in o.ent.mentions}.values(),
                      key=_mention_order)
    aliases = list(dict.fromkeys(a for o in occs for a in o.ent.aliases))
    attrs = {}
    for o in reversed(occs):
        attrs.update(o.ent.attrs)
    attrs.update(best.ent.attrs)
    count = best.ent.count
    if count is None:
        count = next((o.ent.count for o in sorted(pool, key=_score, reverse=True) if o.ent.count is not None), None)
    name = occs[0].ent.name
    return dataclasses.replace(best.ent, name=name, role=role, aliases=aliases, mentions=mentions,
                               confidence=confidence, attrs=attrs, count=count)


def _mention_order(m: Mention) -> tuple[int, int]:
    # title and abstract offsets are into those fields; they come first
    return ({"title": 0, "abstract": 1}.get(m.field, 2), m.start)


def _order(ent: Entity) -> tuple[int, int, str]:
    first = ent.mentions[0] if ent.mentions else None
    return (*(_mention_order(first) if first else (3, 0)), ent.name)


# -- keeping the text ------------------------------------------------------------------------
# papers.jsonl and graph.jsonl stay one short line a paper: a full text is
# written once, beside them, and mentions point into it by offset.

FULLTEXT_DIR = "fulltext"


def fulltext_paths(outdir: str | Path, paper_id: str) -> tuple[Path, Path]:
    """``OUTDIR/fulltext/<id>.txt`` (the kept text) and ``<id>.json`` (its sections)."""
    safe = re.sub(r"[^A-Za-z0-9._:+-]", "_", paper_id)  # the paper node id's spelling
    base = Path(outdir) / FULLTEXT_DIR
    return base / f"{safe}.txt", base / f"{safe}.json"


def keep_fulltexts(records: Iterable[PaperRecord], outdir: str | Path) -> Iterator[PaperRecord]:
    """Pass ``records`` through, writing each full text (and its section index)
    under ``OUTDIR/fulltext/`` as it goes by."""
    for rec in records:
        if rec.fulltext is not None:
            write_fulltext(rec, outdir)
        yield rec


def write_fulltext(rec: PaperRecord, outdir: str | Path) -> None:
    from .writers.atomic import atomic_write

    ft = rec.fulltext
    assert ft is not None
    text_path, index_path = fulltext_paths(outdir, rec.id)
    text_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(text_path) as fh:
        fh.write(ft.text)
    index = {"id": rec.id, "source": Path(rec.source).name, "origin": ft.origin, "pages": ft.pages,
             "chars": len(ft.text),
             "sections": [{"kind": s.kind, "heading": s.heading, "start": s.start, "end": s.end} for s in ft.sections]}
    with atomic_write(index_path) as fh:
        json.dump(index, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
