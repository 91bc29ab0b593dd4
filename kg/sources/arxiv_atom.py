"""Reader for the arXiv export API Atom feed (``http://export.arxiv.org/api/query``).

Parsed incrementally with ElementTree's pull parser (the engine behind
``iterparse``), fed one line at a time so each entry gets the line number of
its ``<entry>`` tag and finished entries are dropped to keep memory flat.
"""

from __future__ import annotations

import collections
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
#: Lines of one entry kept for resuming after an error in it (beyond: later entries may be lost).
_ENTRY_LINES_KEPT = 5_000
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read(lines: Iterable[Line], source: str) -> Iterator[Item]:
    """Entries in order. After a syntax error the damaged entry is skipped and
    reading resumes at the next ``<entry``: a fresh parser is given the
    feed's opening (everything up to the root element, so namespaces hold)
    and goes on from there. An error before the root element ends the file."""
    feed = _Feed(source)
    for lineno, text in lines:
        if is_garbled(text):
            yield SkippedRecord(source, lineno, "unreadable line (binary or invalid text)")
            continue
        yield from feed.feed(lineno, _XML_INVALID.sub("\ufffd", text) + "\n")
        if feed.done:
            return
    yield from feed.close()


class _Feed:
    """The pull parser of one feed, restarted after each syntax error."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parser = ET.XMLPullParser(events=("start", "end"))
        self.prologue: list[str] = []  # text fed until the root element started
        self.root: ET.Element | None = None
        self.entry_line = 0
        self.open_entry = False
        self.lineno = 0
        self.lost: tuple[int, str] | None = None  # (line, reason) of a damaged entry, until the next <entry
        self.done = False
        # The lines of the open entry: after an error inside it (an unclosed
        # quote can run on into the next entries) reading resumes at the
        # first <entry among them, not after the line where expat gave up.
        self.entry_lines: list[Line] = []
        self.pending: collections.deque[Line] = collections.deque()
        self.restarted = 0  # the line reading last resumed at

    def feed(self, lineno: int, data: str) -> Iterator[Item]:
        self.pending.append((lineno, data))
        while self.pending and not self.done:
            yield from self._line(*self.pending.popleft())

    def _line(self, lineno: int, data: str) -> Iterator[Item]:
        self.lineno = lineno
        if self.lost is not None:
            # the line where expat gave up may hold the next entry's start (never twice)
            resumable = lineno > self.lost[0] or (lineno == self.lost[0] and lineno != self.restarted)
            at = data.find("<entry") if resumable else -1
            if at < 0:
                return
            where, reason = self.lost
            yield SkippedRecord(self.source, where, f"{reason}; entry skipped, reading resumed at line {lineno}")
            self._restart()
            self.restarted = lineno
            data = data[at:]
        try:
            self.parser.feed(data)
            events = list(self.parser.read_events())
        except ET.ParseError as exc:
            reason = f"XML parse error at line {lineno}: {exc}"
            if self.root is None:
                yield SkippedRecord(self.source, lineno, f"{reason}; rest of file not read")
                self.done = True
            else:
                where = self.entry_line if self.open_entry else lineno
                self.lost = (where, reason)
                replay = [ln for ln in (*self.entry_lines, (lineno, data)) if ln[0] >= where]
                if self.open_entry:
                    replay = [ln for ln in replay if ln[0] > where]
                self.pending.extendleft(reversed(replay))
                self.open_entry, self.entry_lines = False, []
            return
        if self.root is None:
            self.prologue.append(data)
        if self.open_entry and len(self.entry_lines) < _ENTRY_LINES_KEPT:
            self.entry_lines.append((lineno, data))
        yield from self._events(events, (lineno, data))

    def _restart(self) -> None:
        self.lost = None
        self.parser = ET.XMLPullParser(events=("start", "end"))
        self.parser.feed("".join(self.prologue))
        self.root = None
        for event, elem in self.parser.read_events():
            if event == "start" and self.root is None:
                self.root = elem
            elif event == "end" and elem.tag == _ENTRY and self.root is not None:
                self.root.remove(elem)  # an entry on the root's own line was read already

    def _events(self, events: list, current: Line) -> Iterator[Item]:
        for event, elem in events:
            if event == "start":
                if self.root is None:
                    self.root = elem
                if elem.tag == _ENTRY:
                    self.entry_line, self.open_entry = self.lineno, True
                    self.entry_lines = [current]
            elif elem.tag == _ENTRY:
                self.open_entry, self.entry_lines = False, []
                yield from_entry(elem, self.source, self.entry_line)
                # Drop the finished entry so a large feed is not kept whole in memory.
                if self.root is not None:
                    try:
                        self.root.remove(elem)
                    except ValueError:  # entry nested deeper than <feed>; leave it
                        pass

    def close(self) -> Iterator[Item]:
        if self.lost is not None:
            where, reason = self.lost
            yield SkippedRecord(self.source, where, f"{reason}; no entry after it, rest of file not read")
            return
        try:
            self.parser.close()
        except ET.ParseError as exc:
            where = self.entry_line if self.open_entry else self.lineno
            yield SkippedRecord(self.source, where, f"truncated XML ({exc}); unfinished entry not read")


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
