"""Reader for the arXiv OAI metadata snapshot (Kaggle ``arxiv-metadata-oai-snapshot.json``).

JSON lines with ``id``, ``title``, ``abstract``, ``authors`` (one string),
``authors_parsed`` (optional ``[[last, first, suffix], ...]``), ``categories``
(space-separated), ``update_date`` and ``doi``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ._io import Line
from ._records import (
    Item, clean, first_str, id_field, read_json_lines, make_record, normalise_doi, parse_arxiv_id,
    split_authors, split_categories, text_field,
)

NAME = "arxiv-oai"


def read(lines: Iterable[Line], source: str) -> Iterator[Item]:
    return read_json_lines(lines, source, from_object)


def _authors(obj: dict[str, Any]) -> tuple[str, ...]:
    # authors_parsed is cleaner than splitting the free-text string, which
    # holds LaTeX, affiliations in parentheses and "and" separators.
    parsed = obj.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for parts in parsed:
            if isinstance(parts, list) and parts:
                last, rest = parts[0], [p for p in parts[1:] if p]
                names.append(clean(" ".join([*rest[:1], last, *rest[1:]])))
        if names:
            return tuple(n for n in names if n)
    return split_authors(obj.get("authors"))


def from_object(obj: dict[str, Any], source: str, line: int) -> Item:
    # Some exports of the snapshot store new-style ids as numbers (704.0001 for
    # 0704.0001): id_field converts them from the number's literal text.
    arxiv_id = parse_arxiv_id(id_field(obj.get("id")))
    return make_record(
        title=text_field(obj, "title"),
        abstract=text_field(obj, "abstract"),
        source=source,
        line=line,
        arxiv_id=arxiv_id,
        doi=normalise_doi(first_str(obj, "doi")),
        url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else None,
        authors=_authors(obj),
        date=first_str(obj, "update_date"),
        categories=split_categories(obj.get("categories")),
    )
