"""Reader for generic JSON lines: one paper object per line.

Keys: ``title``, ``abstract`` (or ``summary``), optional ``id``, ``arxiv_id``,
``doi``, ``url``, ``authors`` (list or string), ``date``, ``categories``,
``upvotes``, ``author_count``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ._io import Line
from ._records import (
    Item, as_int, first_str, id_field, read_json_lines, make_record, normalise_doi, parse_arxiv_id,
    split_authors, split_categories, text_field,
)

NAME = "jsonl"


def read(lines: Iterable[Line], source: str) -> Iterator[Item]:
    return read_json_lines(lines, source, from_object)


def from_object(obj: dict[str, Any], source: str, line: int) -> Item:
    url = first_str(obj, "url")
    ident = id_field(obj.get("id"))
    # ``id`` is only trusted as an arXiv id or DOI when it looks like one;
    # otherwise it is some local key and identity falls back to the title.
    arxiv_id = (
        parse_arxiv_id(id_field(obj.get("arxiv_id")))
        or parse_arxiv_id(ident)
        or parse_arxiv_id(url)
    )
    doi = normalise_doi(first_str(obj, "doi")) or normalise_doi(ident) or normalise_doi(url)
    return make_record(
        title=text_field(obj, "title"),
        abstract=text_field(obj, "abstract", "summary"),
        source=source,
        line=line,
        arxiv_id=arxiv_id,
        doi=doi,
        url=url,
        authors=split_authors(obj.get("authors")),
        author_count=as_int(obj.get("author_count")),
        date=first_str(obj, "date", "published"),
        upvotes=as_int(obj.get("upvotes")),
        categories=split_categories(obj.get("categories")),
    )
