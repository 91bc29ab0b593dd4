"""Reader for the Hugging Face daily-papers API JSON.

The API returns a JSON list of objects, each with a ``paper`` holding ``id``
(the arXiv id), ``title``, ``summary``, ``authors`` ([{"name": ...}]),
``publishedAt`` and ``upvotes``. Objects without the ``paper`` wrapper, a
single object, and JSON lines of such objects are accepted too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..types import SkippedRecord
from ._io import Line, is_garbled
from ._records import Item, as_int, first_str, iter_json_lines, make_record, parse_arxiv_id, split_authors

NAME = "hf-daily"

_DECODER = json.JSONDecoder()


def read(lines: Iterable[Line], source: str) -> Iterator[Item]:
    it = iter(lines)
    head: list[Line] = []
    for lineno, text in it:
        head.append((lineno, text))
        if text.strip():
            break
    if not head or not head[-1][1].strip():
        return
    first = head[-1][1].strip()
    if first.startswith("{") and _parses(first):
        # JSON lines: a bad line costs only that line.
        for item in iter_json_lines(_chain(head, it), source):
            yield item if isinstance(item, SkippedRecord) else from_object(item[1], source, item[0])
        return
    # A JSON document (array or pretty-printed object): parse it whole.
    yield from _read_document(_chain(head, it), source)


def _chain(head: list[Line], rest: Iterator[Line]) -> Iterator[Line]:
    yield from head
    yield from rest


def _parses(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except json.JSONDecodeError:
        return False


def _read_document(lines: Iterable[Line], source: str) -> Iterator[Item]:
    """Walk the top-level values (array elements) one by one with raw_decode.

    Elements decoded before a syntax error are kept, so a damaged tail loses
    only the rest of the file, and every element gets its real line number.
    """
    numbered = list(lines)
    offset = numbered[0][0] if numbered else 1  # first line number (1 unless a caller sliced)
    doc = "\n".join("\ufffd" if is_garbled(t) else t for _, t in numbered)
    pos, line, counted = _skip_ws(doc, 0), offset, 0

    def line_at(p: int) -> int:
        nonlocal line, counted
        line += doc.count("\n", counted, p)
        counted = p
        return line

    in_array = doc.startswith("[", pos)
    if in_array:
        pos = _skip_ws(doc, pos + 1)
    while pos < len(doc):
        if in_array and doc[pos] == "]":
            return
        start_line = line_at(pos)
        try:
            value, pos = _DECODER.raw_decode(doc, pos)
        except json.JSONDecodeError as exc:
            yield SkippedRecord(source, offset + exc.lineno - 1,
                                f"invalid JSON: {exc.msg}; rest of file not read")
            return
        if isinstance(value, dict):
            yield from_object(value, source, start_line)
        else:
            yield SkippedRecord(source, start_line, f"not a JSON object but {type(value).__name__}")
        pos = _skip_ws(doc, pos)
        if in_array and pos < len(doc) and doc[pos] == ",":
            pos = _skip_ws(doc, pos + 1)
    if in_array:
        yield SkippedRecord(source, line_at(len(doc)), "truncated JSON: array not closed")


def _skip_ws(doc: str, pos: int) -> int:
    while pos < len(doc) and doc[pos] in " \t\r\n":
        pos += 1
    return pos


def from_object(obj: dict[str, Any], source: str, line: int) -> Item:
    paper = obj.get("paper") if isinstance(obj.get("paper"), dict) else obj
    arxiv_id = parse_arxiv_id(first_str(paper, "id"))

    def pick(key: str) -> Any:
        # The wrapper repeats some fields (title, summary, publishedAt); prefer
        # the paper's own, but an explicit 0 upvotes must not fall through.
        v = paper.get(key)
        return v if v is not None else obj.get(key)

    return make_record(
        title=pick("title"),
        abstract=pick("summary") if pick("summary") is not None else pick("abstract"),
        source=source,
        line=line,
        arxiv_id=arxiv_id,
        url=f"https://huggingface.co/papers/{arxiv_id}" if arxiv_id else None,
        authors=split_authors(paper.get("authors")),
        date=pick("publishedAt") if isinstance(pick("publishedAt"), str) else None,
        upvotes=as_int(pick("upvotes")),
    )
