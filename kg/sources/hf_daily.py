"""Reader for the Hugging Face daily-papers API JSON.

The API returns a JSON list of objects, each with a ``paper`` holding ``id``
(the arXiv id), ``title``, ``summary``, ``authors`` ([{"name": ...}]),
``publishedAt`` and ``upvotes``. Objects without the ``paper`` wrapper, a
single object, and JSON lines of such objects are accepted too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..types import SkippedRecord
from ._io import Line, is_garbled
from ._records import (Item, JsonNumber, as_int, checked, id_field, iter_json_lines, loads, make_record,
                       parse_arxiv_id, split_authors, text_field)

NAME = "hf-daily"

_DECODER = json.JSONDecoder(parse_float=JsonNumber)
#: The first key of a record object when none has been read yet (the API's wrapper).
_DEFAULT_KEY = "paper"


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
            yield item if isinstance(item, SkippedRecord) else checked(from_object, item[1], source, item[0])
        return
    # A JSON document (array or pretty-printed object): parse it whole.
    yield from _read_document(_chain(head, it), source)


def _chain(head: list[Line], rest: Iterator[Line]) -> Iterator[Line]:
    yield from head
    yield from rest


def _parses(text: str) -> bool:
    try:
        return isinstance(loads(text), dict)
    except ValueError:
        return False


class _Lines:
    """Line numbers of positions in the document, asked in increasing order."""

    def __init__(self, doc: str, first: int) -> None:
        self.doc, self.line, self.counted = doc, first, 0

    def at(self, pos: int) -> int:
        self.line += self.doc.count("\n", self.counted, pos)
        self.counted = pos
        return self.line


def _resync(doc: str, pos: int, key: str | None) -> int | None:
    """Where the next array element starts after a damaged one that began at
    ``pos``: the next ``, {"<key>":`` with the first key of the elements read
    so far. None when there is none (the damage runs to the end)."""
    pattern = re.compile(r",\s*(\{\s*" + re.escape(json.dumps(key or _DEFAULT_KEY)) + r"\s*:)")
    # an empty element ("[,{...") is damaged at its own comma: the next element follows that comma
    m = pattern.search(doc, pos if doc.startswith(",", pos) else pos + 1)
    return m.start(1) if m else None


def _read_document(lines: Iterable[Line], source: str) -> Iterator[Item]:
    """Walk the top-level values (array elements) one by one with raw_decode.

    A damaged element is skipped and reading resumes at the next element
    (found by the first key the elements share, ``{"paper": …``), so one
    syntax error costs one record; every element gets its real line number.
    """
    numbered = list(lines)
    offset = numbered[0][0] if numbered else 1  # first line number (1 unless a caller sliced)
    # Binary junk is left for the parser: it fails on it and reading resumes
    # at the next element (replacing a garbled line would lose a one-line file).
    doc = "\n".join(t for _, t in numbered)
    del numbered
    lines_ = _Lines(doc, offset)
    pos, key = _skip_ws(doc, 0), None
    in_array = doc.startswith("[", pos)
    if in_array:
        pos = _skip_ws(doc, pos + 1)
    while pos < len(doc):
        start_line = lines_.at(pos)
        if in_array and doc[pos] == "]":
            if _skip_ws(doc, pos + 1) >= len(doc):
                return
            reason = "invalid JSON: ']' before the end of the file"
        else:
            try:
                value, end = _DECODER.raw_decode(doc, pos)
            except json.JSONDecodeError as exc:
                reason = f"invalid JSON: {exc.msg} (line {offset + exc.lineno - 1})"
            except RecursionError:
                reason = "invalid JSON: nested too deeply"
            else:
                if isinstance(value, dict):
                    key = key or next(iter(value), None)
                    yield checked(from_object, value, source, start_line)
                else:
                    reason = f"not a JSON object but {type(value).__name__}"
                    nxt = _resync(doc, pos, key) if in_array else None
                    if nxt is not None and nxt < end:  # a stray bracket swallowed later records: go back
                        yield SkippedRecord(source, start_line, f"{reason}; reading resumed at line "
                                                                f"{start_line + doc.count(chr(10), pos, nxt)}")
                        pos = nxt
                        continue
                    yield SkippedRecord(source, start_line, reason)
                pos = _skip_ws(doc, end)
                if in_array and pos < len(doc) and doc[pos] == ",":
                    pos = _skip_ws(doc, pos + 1)
                continue
        nxt = _resync(doc, pos, key) if in_array else None
        if nxt is None:
            yield SkippedRecord(source, start_line, f"{reason}; rest of file not read")
            return
        yield SkippedRecord(source, start_line, f"{reason}; record skipped, reading resumed at line "
                                                f"{start_line + doc.count(chr(10), pos, nxt)}")
        pos = nxt
    if in_array:
        yield SkippedRecord(source, lines_.at(len(doc)), "truncated JSON: array not closed")


def _skip_ws(doc: str, pos: int) -> int:
    while pos < len(doc) and doc[pos] in " \t\r\n":
        pos += 1
    return pos


def from_object(obj: dict[str, Any], source: str, line: int) -> Item:
    paper = obj.get("paper") if isinstance(obj.get("paper"), dict) else obj
    arxiv_id = parse_arxiv_id(id_field(paper.get("id")))

    def pick(key: str) -> Any:
        # The wrapper repeats some fields (title, summary, publishedAt); prefer
        # the paper's own, but an explicit 0 upvotes must not fall through.
        v = paper.get(key)
        return v if v is not None else obj.get(key)

    def text(*keys: str) -> str | None:  # the paper's own field first, then the wrapper's
        return text_field(paper, *keys) or (text_field(obj, *keys) if paper is not obj else None)

    return make_record(
        title=text("title"),
        abstract=text("summary", "abstract"),
        source=source,
        line=line,
        arxiv_id=arxiv_id,
        url=f"https://huggingface.co/papers/{arxiv_id}" if arxiv_id else None,
        authors=split_authors(paper.get("authors")),
        date=pick("publishedAt") if isinstance(pick("publishedAt"), str) else None,
        upvotes=as_int(pick("upvotes")),
    )
