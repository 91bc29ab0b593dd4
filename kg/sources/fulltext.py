"""Reader for paper full texts in plain text or Markdown, and the record every
full text becomes (PDFs too).

A full text is one paper a file. Its title and abstract come from the
document (:mod:`kg.sources.sections`) unless metadata accompanies it: a
sidecar file beside it with the same stem and ``.json`` (``paper.pdf`` +
``paper.json``, one JSON object with the JSON-lines record fields: ``title``,
``abstract``, ``arxiv_id``, ``doi``, ``authors``, ``date`` …), whose fields win.
An arXiv id or DOI printed in the document identifies it too, so the same
paper read from a JSON-lines record merges with it (by id, or by folded title).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..types import SkippedRecord
from ._io import Line, iter_lines
from ._records import Item
from .sections import TextLine, build_fulltext, document_abstract, first_of

NAME = "fulltext"

log = logging.getLogger(__name__)

#: Suffixes of full texts in Markdown (anything else is read as plain text).
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
#: Suffixes a directory's full texts may carry; a sidecar is only looked for beside these.
FULLTEXT_SUFFIXES = frozenset({".pdf", ".txt", ".text"}) | MARKDOWN_SUFFIXES
SIDECAR_SUFFIX = ".json"

_SNIFF_HEADING = re.compile(
    r"^(?:#{1,6}\s*)?(?:\d{1,2}\.?\s+|[IVX]{1,4}\.\s+)?(?:abstract|introduction)\s*[:.]?\s*$", re.I)
_INLINE_ABSTRACT = re.compile(r"^(?:#{1,6}\s*)?abstract\s*[:.—–-]\s*\S", re.I)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")
_ARXIV_IN_TEXT = re.compile(r"\barXiv:\s*(\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_DOI_IN_TEXT = re.compile(r"\b(?:doi(?:\.org)?[:/]\s*)(10\.\d{4,9}/[^\s\"<>]+)", re.I)


def sniff(head: list[str]) -> bool:
    """A text or Markdown file is a full text when its first lines hold an
    Abstract or Introduction heading (or an "Abstract: …" paragraph); other
    prose files need ``--input-format fulltext``."""
    return any(_SNIFF_HEADING.match(t.strip()) or _INLINE_ABSTRACT.match(t.strip()) for t in head)


def sidecar_path(path: Path) -> Path:
    return path.with_suffix(SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    """``paper.json`` beside ``paper.pdf`` (or .txt/.md) is that file's metadata, not an input."""
    if path.suffix.lower() != SIDECAR_SUFFIX:
        return False
    return any(path.with_suffix(s).is_file() or path.with_suffix(s.upper()).is_file() for s in FULLTEXT_SUFFIXES)


def read_file(path: Path, source: str) -> Iterator[Item]:
    """One FullText record for the text or Markdown file at ``path``."""
    markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    lines = text_lines(iter_lines(path), markdown)
    if not lines:
        yield SkippedRecord(source, 0, "empty full text")
        return
    found = identifiers([ln.text for ln in lines[:80]])
    yield record_from_lines(lines, source, "markdown" if markdown else "text", sidecar_of=path, found_ids=found)


def text_lines(lines: Iterable[Line], markdown: bool) -> list[TextLine]:
    """Non-blank lines; a blank line before one marks a paragraph break."""
    out: list[TextLine] = []
    gap = True
    fenced = False
    for _, text in lines:
        s = text.strip()
        if markdown and s.startswith("```"):
            fenced = not fenced  # code blocks are not prose
            gap = True
            continue
        if not s or fenced:
            gap = True
            continue
        level = 0
        if markdown:
            m = re.match(r"^(#{1,6})\s+(.+?)\s*#*$", s)
            if m:
                level, s = len(m.group(1)), m.group(2)
            s = _MD_EMPHASIS.sub("", _MD_LINK.sub(r"\1", s)).lstrip(">").strip()
            if not s:
                continue
        out.append(TextLine(s, gap_before=gap or level > 0, md_level=level))
        gap = level > 0  # the line after a heading starts a paragraph
    return out


def identifiers(texts: list[str]) -> dict[str, str]:
    """The first arXiv id ("arXiv:2401.01234v2") and DOI the texts name."""
    found: dict[str, str] = {}
    for t in texts:
        if "arxiv_id" not in found and (m := _ARXIV_IN_TEXT.search(t)):
            found["arxiv_id"] = m.group(1)
        if "doi" not in found and (m := _DOI_IN_TEXT.search(t)):
            found["doi"] = m.group(1).rstrip(".,;)").lower()
    return found


def read_sidecar(path: Path) -> dict[str, Any] | None:
    """The sidecar's object, or None when there is none or it is not one JSON object."""
    side = sidecar_path(path)
    if not side.is_file():
        return None
    try:
        obj = json.loads(side.read_text(encoding="utf-8-sig", errors="replace"))
    except (OSError, json.JSONDecodeError) as exc:
        log.warning("%s: sidecar metadata ignored (%s)", side, exc)
        return None
    if not isinstance(obj, dict):
        log.warning("%s: sidecar metadata ignored (not a JSON object)", side)
        return None
    return obj


def record_from_lines(lines: list[TextLine], source: str, origin: str, pages: int = 0,
                      sidecar_of: Path | None = None, found_ids: dict[str, str] | None = None) -> Item:
    """A PaperRecord carrying the FullText of ``lines``; metadata from the sidecar
    of ``sidecar_of`` when there is one, else from the document itself."""
    from .jsonl import from_object

    ft = build_fulltext(lines, origin, pages)
    fields: dict[str, Any] = {"title": first_of(ft, "title").replace("\n", " "), "abstract": document_abstract(ft)}
    fields.update(found_ids or {})
    side = read_sidecar(sidecar_of) if sidecar_of is not None else None
    if side:
        fields.update({k: v for k, v in side.items() if v not in (None, "", [])})
    item = from_object(fields, source, 1)
    if isinstance(item, SkippedRecord):
        what = "sidecar" if side else "document"
        return SkippedRecord(source, 0, f"{item.reason} (none found in the {what})")
    return dataclasses.replace(item, fulltext=ft)

