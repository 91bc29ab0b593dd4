"""Lines of a full text → one clean text with its sections (a :class:`FullText`).

Both full-text readers (PDF and plain text/Markdown) hand over lines in
reading order; this module

- normalises characters: ligatures (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ, ﬅ, ﬆ) by a table rather than
  full NFKC, which would also rewrite superscripts, fractions and the like;
  soft hyphens, non-breaking spaces and hyphen look-alikes;
- joins lines into paragraphs, undoing hyphenation at line ends: "regulari-" +
  "zation" is one word, but a compound that the document also writes with
  its hyphen ("fine-tuning"), or whose first part is a word that forms
  compounds ("self-", "non-", "cross-"), keeps it;
- recognises headings (Markdown ``#``, numbered "4.1 Implementation Details",
  or a known section name alone on its line; in PDFs numbered headings must
  also be set larger than the body text) and gives each section a kind from
  :data:`kg.types.SECTION_KINDS`; a subsection takes its parent's kind unless
  its own name says otherwise, and what follows the references is appendix;
- finds the title (the largest type on the first page, or the first line)
  and the abstract (its section, or an "Abstract—…" paragraph).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..types import FullText, Section

_LIGATURES = str.maketrans({
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "ft",
    "\ufb06": "st", "\u00ad": "", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2010": "-", "\u2011": "-",
    "\ufffe": "-", "\x02": "-", "\t": " ", "\r": " ", "\n": " ",
})
_SPACES = re.compile(r" {2,}")

#: First parts of compounds that keep their hyphen when split across lines.
HYPHEN_PREFIXES = frozenset(
    "self non cross multi semi well state fine large small high low long short zero few one two three "
    "end real task data model text image domain pre post co".split()
)

#: Heading names → section kind, first match wins (so "experimental results" is results? no:
#: experiments are checked first, "results" alone is results).
_KIND_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), k) for p, k in (
    (r"^abstract\b", "abstract"),
    (r"^(?:references|bibliography|works cited|literature cited|citations)$", "references"),
    (r"^(?:appendix|appendices|supplementary|supplemental)\b", "appendix"),
    (r"\b(?:related work|prior work|previous work|background|literature review)\b", "related_work"),
    (r"^(?:introduction|motivation)\b", "introduction"),
    (r"\b(?:experimental (?:results|evaluation)|main results|results)\b", "results"),
    (r"\b(?:experiments?|experimental|setup|set-up|settings?|implementation|training details|datasets?|"
     r"data sets?|benchmarks?|evaluation|hyper-?parameters?|baselines?|training)\b", "experiments"),
    (r"\b(?:ablations?|analysis|analyses|discussion|comparisons?|findings|performance)\b", "results"),
    (r"\b(?:conclusions?|concluding|limitations?|future work|summary|broader impacts?)\b", "conclusion"),
    (r"\b(?:methods?|methodology|approach|models?|architectures?|framework|preliminar\w*|formulation|"
     r"algorithms?|design|problem (?:setting|statement|definition)|overview|our)\b", "method"),
    (r"^(?:acknowledge?ments?|author contributions|ethics statement|reproducibility)\b", "other"),
))

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3}|[A-H](?:\.\d{1,2}){0,3}|[IVX]{1,5})\.?\s+(?P<name>\S.*)$")
_INLINE_ABSTRACT = re.compile(r"^abstract\s*(?:[.:—–-]+|\s)\s*(?=\S)", re.I)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_HYPHEN_END = re.compile(r"([A-Za-z]+)-$")
_LOWER_START = re.compile(r"[a-z]+")
_MAX_HEADING_CHARS = 90
_MAX_HEADING_WORDS = 12


@dataclass(slots=True)
class TextLine:
    """One line of a full text in reading order, as a reader found it."""

    text: str
    #: a paragraph break (blank line, vertical gap, new column) precedes it
    gap_before: bool = False
    page: int = 0
    #: font size where the reader knows it (PDF), else 0
    size: float = 0.0
    #: Markdown heading level, 0 when the line is not a Markdown heading
    md_level: int = 0


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_LIGATURES)).strip()


def heading_kind(name: str) -> str | None:
    """The section kind a heading name means, or None for a name of no known kind."""
    n = re.sub(r"\s+", " ", name.strip().rstrip(":.").lower())
    for pattern, kind in _KIND_PATTERNS:
        if pattern.search(n):
            return kind
    return None


@dataclass(slots=True)
class _Heading:
    name: str  # as written, numbering included
    kind: str | None  # from the name; None when the name says nothing
    depth: int  # 1 for "4", 2 for "4.1"; Markdown level
    lettered: bool  # "A Proofs": appendix numbering


def parse_heading(line: TextLine, body_size: float, alone: bool) -> _Heading | None:
    """The heading ``line`` is, or None when it is body text.

    ``alone``: the line is a paragraph of its own (text full texts put headings
    between blank lines; PDF lines never are, their headings are set larger)."""
    text = line.text
    if line.md_level:
        num = _NUMBERED.match(text)
        name = num.group("name") if num else text
        return _Heading(text, heading_kind(name), line.md_level, False)
    if len(text) > _MAX_HEADING_CHARS or len(text.split()) > _MAX_HEADING_WORDS or text[-1] in ".,;":
        return None
    bigger = body_size > 0 and line.size >= body_size + 0.5
    num = _NUMBERED.match(text)
    if num:
        name = num.group("name")
        if not (name[:1].isupper() and (bigger or (alone and body_size == 0))):
            return None
        digits = num.group("num")
        lettered = digits[:1].isalpha() and not re.fullmatch(r"[IVX]+", digits)
        return _Heading(text, heading_kind(name), digits.count(".") + 1, lettered)
    if not text[:1].isupper() or len(text.split()) > 5:
        return None
    if body_size > 0 and line.size < body_size - 0.5:
        return None  # a caption or footnote in small type
    kind = heading_kind(text)
    return None if kind is None else _Heading(text, kind, 1, False)


# -- joining lines -----------------------------------------------------------------------------

class _Vocabulary:
    """Words and hyphenated compounds the document writes, to decide line-end hyphens."""

    def __init__(self, lines: list[str]):
        words: Counter[str] = Counter()
        for t in lines:
            words.update(_WORD.findall(t.lower()))
        self.words = words

    def keep_hyphen(self, left: str, right: str) -> bool:
        l, r = left.lower(), right.lower()
        if self.words.get(f"{l}-{r}", 0) > self.words.get(l + r, 0):
            return True
        if self.words.get(l + r, 0):
            return False
        return l in HYPHEN_PREFIXES


def join_lines(lines: list[str], vocab: _Vocabulary) -> str:
    """One paragraph from its lines, line-end hyphenation undone."""
    parts: list[str] = []
    for line in lines:
        if not parts:
            parts.append(line)
            continue
        prev = parts[-1]
        m = _HYPHEN_END.search(prev[-64:])  # the tail only: paragraphs get long
        n = _LOWER_START.match(line)
        if m and n and m.group(1)[-1].islower():
            keep = vocab.keep_hyphen(m.group(1), n.group(0))
            parts[-1] = prev[:-1] + ("-" if keep else "")
            parts.append(line)
        elif prev.endswith("-") and prev[-2:-1].isalnum() and line[:1].isalnum():
            parts.append(line)  # "GPT-" + "4": a name split at its own hyphen
        else:
            parts.append(" " + line)
    return "".join(parts)


# -- sections ----------------------------------------------------------------------------------

@dataclass(slots=True)
class _Part:
    kind: str
    heading: str
    paragraphs: list[list[str]]


def _body_size(lines: list[TextLine]) -> float:
    sizes: Counter[float] = Counter()
    for ln in lines:
        if ln.size > 0:
            sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _front_title(front: list[TextLine], body_size: float) -> tuple[list[str], list[TextLine]]:
    """(title lines, the rest of the front matter)."""
    if not front:
        return [], []
    if front[0].md_level:
        return [front[0].text], front[1:]
    first_page = [ln for ln in front if ln.page <= 1]
    biggest = max((ln.size for ln in first_page), default=0.0)
    if biggest > body_size + 0.5:
        start = next(i for i, ln in enumerate(front) if ln.size == biggest)
        end = start
        while end < len(front) and front[end].size == biggest:
            end += 1
        return [ln.text for ln in front[start:end]], front[:start] + front[end:]
    # no type sizes: the first paragraph, when short enough to be a title
    end = 1
    while end < len(front) and not front[end].gap_before and end < 3:
        end += 1
    return [ln.text for ln in front[:end]], front[end:]


def _split_parts(lines: list[TextLine], body_size: float) -> tuple[list[TextLine], list[_Part]]:
    """(front matter lines, sections after the first heading)."""
    front: list[TextLine] = []
    parts: list[_Part] = []
    parents: dict[int, str] = {}
    after_refs = False
    for i, ln in enumerate(lines):
        alone = ln.gap_before and (i + 1 == len(lines) or lines[i + 1].gap_before)
        h = parse_heading(ln, body_size, alone)
        if h is not None and not parts and h.kind not in ("abstract", "introduction"):
            h = None  # the front matter (title, authors) ends at the abstract or introduction
        inline = None
        if h is None and not parts and _INLINE_ABSTRACT.match(ln.text):
            inline = _INLINE_ABSTRACT.sub("", ln.text)
            h = _Heading("Abstract", "abstract", 1, False)
        if h is None:
            if not parts:
                front.append(ln)
            else:
                if ln.gap_before or not parts[-1].paragraphs:
                    parts[-1].paragraphs.append([])
                parts[-1].paragraphs[-1].append(ln.text)
            continue
        kind = h.kind
        if kind is None:
            kind = parents.get(h.depth - 1, "other") if h.depth > 1 else "other"
            if after_refs or h.lettered:
                kind = "appendix"
        elif after_refs and kind not in ("references", "appendix"):
            kind = "appendix" if h.depth == 1 else kind
        if kind == "references":
            after_refs = True
        parents = {d: k for d, k in parents.items() if d < h.depth}
        parents[h.depth] = kind
        parts.append(_Part(kind, h.name, [[inline]] if inline else []))
    return front, parts


def build_fulltext(lines: list[TextLine], origin: str, pages: int = 0) -> FullText:
    """The kept text and its sections, from lines in reading order."""
    for ln in lines:
        ln.text = normalise(ln.text)
    lines = [ln for ln in lines if ln.text]
    vocab = _Vocabulary([ln.text for ln in lines])
    body_size = _body_size(lines)
    front, parts = _split_parts(lines, body_size)
    title, rest = _front_title(front, body_size)
    head: list[_Part] = []
    if title:
        head.append(_Part("title", "", [title]))
    if rest:
        paras: list[list[str]] = []
        for ln in rest:
            if ln.gap_before or not paras:
                paras.append([])
            paras[-1].append(ln.text)
        head.append(_Part("other", "", paras))
    chunks: list[str] = []
    sections: list[Section] = []
    pos = 0
    for part in head + parts:
        if chunks:
            chunks.append("\n\n")
            pos += 2
        if part.heading:
            chunks.append(part.heading + "\n")
            pos += len(part.heading) + 1
        body = "\n".join(join_lines(p, vocab) for p in part.paragraphs if p)
        chunks.append(body)
        sections.append(Section(part.kind, part.heading, pos, pos + len(body)))
        pos += len(body)
    return FullText("".join(chunks), tuple(sections), pages, origin)


def first_of(ft: FullText, kind: str) -> str:
    """The text of the first non-empty section of ``kind``, or ""."""
    for s in ft.sections:
        if s.kind == kind and s.end > s.start:
            return ft.section_text(s)
    return ""


def document_abstract(ft: FullText, limit: int = 2000) -> str:
    """The abstract section, else the first paragraph of the first body section."""
    text = first_of(ft, "abstract")
    if text:
        return text
    for s in ft.sections:
        if s.kind not in ("title", "other", "references") and s.end > s.start:
            return ft.section_text(s).split("\n", 1)[0][:limit]
    return ""
