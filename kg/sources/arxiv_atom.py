"""Reader for the arXiv export API Atom feed (``http://export.arxiv.org/api/query``).

Parsed incrementally with ElementTree's pull parser (the engine behind
``iterparse``), fed one line at a time so each entry gets the line number of
its ``<entry>`` tag and finished entries are dropped to keep memory flat.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from ..types import SkippedRecord
from ._io import Line, is_garbled
from ._records import Item, clean, make_record, normalise_doi, parse_arxiv_id

NAME = "arxiv-atom"

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
_ENTRY = ATOM + "entry"
# Characters XML 1.0 forbids; one of them would make expat abandon the whole
# file, so they are replaced before feeding.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read(lines: Iterable[Line], source: str) -> Iterator[Item]:
    parser = ET.XMLPullParser(events=("start", "end"))
    root: ET.Element | None = None
    entry_line = 0
    open_entry = False
    lineno = 0
    for lineno, text in lines:
        if is_garbled(text):
            yield SkippedRecord(source, lineno, "unreadable line (binary or invalid text)")
            continue
        try:
            parser.feed(_XML_INVALID.sub("\ufffd", text) + "\n")
            events = list(parser.read_events())
        except ET.ParseError as exc:
            yield SkippedRecord(source, entry_line if open_entry else lineno,
                                f"XML parse error at line {lineno}: {exc}; rest of file not read")
            return
        for event, elem in events:
            if event == "start":
                if root is None:
                    root = elem
                if elem.tag == _ENTRY:
                    entry_line, open_entry = lineno, True
            elif elem.tag == _ENTRY:
                open_entry = False
                yield from_entry(elem, source, entry_line)
                # Drop the finished entry so a large feed is not kept whole in memory.
                if root is not None:
                    try:
                        root.remove(elem)
                    except ValueError:  # entry nested deeper than <feed>; leave it
                        pass
    try:
        parser.close()
    except ET.ParseError as exc:
        where = entry_line if open_entry else lineno
        yield SkippedRecord(source, where, f"truncated XML ({exc}); unfinished entry not read")


def _text(entry: ET.Element, tag: str) -> str:
    el = entry.find(tag)
    return clean(el.text) if el is not None and el.text else ""


def from_entry(entry: ET.Element, source: str, line: int) -> Item:
    raw_id = _text(entry, ATOM + "id")
    if "api/errors" in raw_id:
        # The API reports a bad query as a feed with one "Error" entry.
        return SkippedRecord(source, line, f"arXiv API error entry: {_text(entry, ATOM + 'summary')}")
    url = None
    for link in entry.findall(ATOM + "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            url = link.get("href")
            break
    categories = tuple(dict.fromkeys(
        c.get("term", "") for c in entry.findall(ATOM + "category") if c.get("term")))
    authors = tuple(n for n in (_text(a, ATOM + "name") for a in entry.findall(ATOM + "author")) if n)
    return make_record(
        title=_text(entry, ATOM + "title"),
        abstract=_text(entry, ATOM + "summary"),
        source=source,
        line=line,
        arxiv_id=parse_arxiv_id(raw_id),
        doi=normalise_doi(_text(entry, ARXIV + "doi")),
        url=url or raw_id or None,
        authors=authors,
        date=_text(entry, ATOM + "published") or None,
        categories=categories,
    )
