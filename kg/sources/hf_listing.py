"""Reader for copies of Hugging Face "papers" listing pages saved as text.

Two layouts occur (see kg/samples):

(a) header lines, then one title line and one abstract line per paper; the
    "Subscribe" button text is glued to the first title ("SubscribeSome Title ...").
(b) blank-line separated blocks: header (new / Get trending ... / Subscribe /
    Daily Papers / byAK and the research community / "Nov 10"), then per
    paper a title, an abstract and an optional footer "  • 5 authors", "·",
    "Oct 12, 2021" or "Sep 30 3" (a date without year, then upvotes).

Pairing never relies on position parity: each line is classified on its own
as title-like or abstract-like, and an abstract binds only to the title-like
line directly before it. A missing or truncated abstract therefore costs
exactly the damaged record, never the pairing of the records after it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Iterator

from ..types import PaperRecord, SkippedRecord
from ._io import Line, is_garbled
from ._records import Item, clean, iso_date, make_record

NAME = "hf-listing"

log = logging.getLogger(__name__)

#: Page chrome, matched on the whole stripped line, case-insensitively.
_BOILERPLATE = re.compile(
    r"^(?:new|subscribe|daily papers|trending papers|papers|upvote|"
    r"get trending papers in your email inbox(?: once a day)?!?|"
    r"by\s*ak and the research community)$",
    re.IGNORECASE,
)
_SUBSCRIBE = "Subscribe"
_AUTHORS = re.compile(r"^[•·*\-]?\s*(\d+)\s+authors?$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^[·•]$")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# "Oct 12, 2021", "Sep 30", "Sep 30 3" (no year, 3 upvotes), "Oct 12, 2021 7".
_DATE = re.compile(rf"^(?P<date>{_MONTH} \d{{1,2}}(?:, \d{{4}})?)(?:\s+(?P<upvotes>\d+))?$")
_NUMBER = re.compile(r"^\d+$")
# A sentence end inside the line: "...model. Existing", "...(MoE). We".
_SENTENCE_BREAK = re.compile(r"(\S+?)[.!?]\s+[A-Z(\"']")
# Words whose trailing period does not end a sentence ("Search vs. Learning").
_ABBREVIATIONS = frozenset({"vs", "e.g", "i.e", "al", "fig", "eq", "cf", "dr", "mr", "ms", "no", "st", "approx"})
_CLOSERS = "\"')]’”"

#: Titles on HF pages stay well under this; abstracts well over (samples:
#: titles <= 155 chars, abstracts >= 490).
_ABSTRACT_MIN_CHARS = 250
_ABSTRACT_MIN_WORDS = 40


def looks_like_abstract(text: str) -> bool:
    """Prose (an abstract) rather than a title: long, or sentences ending in a full stop.

    Titles are short, and do not end with a period; an abstract may end with a
    URL or a bare phrase, so length carries most of the weight and final
    punctuation only decides for short lines.
    """
    words = len(text.split())
    if len(text) >= _ABSTRACT_MIN_CHARS or words >= _ABSTRACT_MIN_WORDS:
        return True
    breaks = _sentence_breaks(text)
    end = text.rstrip(_CLOSERS)[-1:]
    if end in (".", "…"):
        return words >= 12 or breaks >= 1
    # Titles may hold a question or two clauses ("... Elementary Addition?
    # Probing Rule Learning ..."), so without a final full stop it takes
    # several sentences *and* a length no title on the sample pages reaches.
    if end in ("?", "!"):
        return words >= 25 or (breaks >= 2 and words >= 20)
    return breaks >= 2 and words >= 25


def _sentence_breaks(text: str) -> int:
    """Sentence ends inside ``text``, not counting abbreviations and initials."""
    count = 0
    for m in _SENTENCE_BREAK.finditer(text):
        word = m[1].strip("(\"'").lower()
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        count += 1
    return count


class _Listing:
    """Pairing state for one file; ``feed`` yields finished records and skips."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.started = False                     # seen the first paper title
        self.title: tuple[int, str] | None = None  # title waiting for its abstract
        self.record: PaperRecord | None = None     # paired, still collecting footer

    def skip(self, line: int, reason: str) -> SkippedRecord:
        return SkippedRecord(self.source, line, reason)

    def flush(self) -> Iterator[Item]:
        if self.record is not None:
            yield self.record
            self.record = None

    def orphan_title(self, at_eof: bool = False) -> Iterator[Item]:
        if self.title is not None:
            where = "file ends" if at_eof else "next line is another title"
            yield self.skip(self.title[0], f"title without abstract (abstract missing or truncated; {where})")
            self.title = None

    def feed(self, lineno: int, raw: str) -> Iterator[Item]:
        text = clean(raw)
        if not text:
            return
        if is_garbled(text):
            yield self.skip(lineno, "unreadable line (binary or invalid text)")
            return
        if _BOILERPLATE.match(text):
            return
        if self.footer(text):
            return
        if not self.started and text.startswith(_SUBSCRIBE):
            # Layout (a): the button label is glued to the first title.
            text = text[len(_SUBSCRIBE):].lstrip()
        if looks_like_abstract(text):
            yield from self.abstract(lineno, text)
        else:
            yield from self.orphan_title()
            yield from self.flush()
            self.title, self.started = (lineno, text), True

    def abstract(self, lineno: int, text: str) -> Iterator[Item]:
        if self.title is None:
            yield self.skip(lineno, "abstract without a title (title missing or truncated)")
            return
        (tline, title), self.title = self.title, None
        yield from self.flush()
        rec = make_record(title=title, abstract=text, source=self.source, line=tline)
        if isinstance(rec, SkippedRecord):
            yield rec
        else:
            self.record = rec

    def footer(self, text: str) -> bool:
        """Consume a footer line into the current record; True when it was one."""
        if _SEPARATOR.match(text):
            return True
        if m := _AUTHORS.match(text):
            self.update(author_count=int(m[1]))
            return True
        if m := _DATE.match(text):
            # Before the first title this is the page's own date ("Nov 10").
            if self.started:
                date = m["date"]
                upvotes = int(m["upvotes"]) if m["upvotes"] else None
                self.update(date=date, date_iso=iso_date(date), upvotes=upvotes)
            return True
        if self.record is not None and _NUMBER.match(text):
            self.update(upvotes=int(text))
            return True
        return False

    def update(self, **fields: object) -> None:
        if self.record is None:
            log.debug("%s: footer line with no record before it ignored", self.source)
            return
        fields = {k: v for k, v in fields.items() if v is not None}
        self.record = dataclasses.replace(self.record, **fields)  # type: ignore[arg-type]

    def finish(self) -> Iterator[Item]:
        yield from self.orphan_title(at_eof=True)
        yield from self.flush()


def read(lines: Iterable[Line], source: str) -> Iterator[Item]:
    state = _Listing(source)
    for lineno, text in lines:
        yield from state.feed(lineno, text)
    yield from state.finish()


def sniff(head: list[str]) -> bool:
    """Whether the first lines look like a saved listing page."""
    content = [c for c in map(clean, head) if c and not _is_chrome(c)]
    if any(t.lower().startswith(("get trending papers", "daily papers", "subscribe")) for t in content[:10]):
        return True
    # No page chrome (e.g. a hand-trimmed copy): require title/abstract pairs.
    pairs = sum(
        1 for a, b in zip(content, content[1:])
        if not looks_like_abstract(a) and looks_like_abstract(b)
    )
    # Title+abstract pairs must cover at least half the content lines.
    return pairs >= 1 and 2 * pairs * 2 >= len(content)


def _is_chrome(text: str) -> bool:
    return bool(_BOILERPLATE.match(text) or _SEPARATOR.match(text) or _AUTHORS.match(text)
                or _DATE.match(text) or _NUMBER.match(text))
