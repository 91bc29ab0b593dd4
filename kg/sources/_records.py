"""Helpers every reader uses to turn loose fields into a :class:`PaperRecord`.

Identity rules live here so all formats agree: arXiv id (no version) when
known, else ``doi:<lower-cased DOI>``, else ``"t" + stable_hash(fold_title)``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import replace
from collections.abc import Iterable, Iterator
from typing import Any, Callable

from ..text import fold_title, stable_hash
from ..types import PaperRecord, SkippedRecord
from ._io import Line, is_garbled

Item = PaperRecord | SkippedRecord

_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?")
# Old-style ids: archive[.SUBJ]/YYMMNNN, e.g. hep-th/9901001, math.AG/0101001.
_ARXIV_OLD = re.compile(r"([a-z][a-z\-]*(?:\.[A-Za-z\-]{2,})?/\d{7})(?:v\d+)?")
_ARXIV_PREFIX = re.compile(
    r"^(?:arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|https?://huggingface\.co/papers/)",
    re.IGNORECASE,
)
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MDY = re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$")
_DMY = re.compile(r"^(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})$")
# A lone surrogate (a JSON escape such as "\ud800" with no partner) is not
# text: it cannot be written as UTF-8 by any output.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class JsonNumber(str):
    """A JSON number with a fraction, kept as its literal text (``parse_float``):
    an arXiv id written as a number (``2401.04080``) keeps its trailing zeros,
    and a field that must be text can tell a number from a string."""


class BadField(ValueError):
    """A field of the wrong JSON type: the record is skipped with this message."""


def loads(text: str) -> Any:
    """``json.loads`` as every reader parses records (numbers with a fraction as
    :class:`JsonNumber`). Raises ValueError for nesting too deep to parse."""
    try:
        return json.loads(text, parse_float=JsonNumber)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, JsonNumber)):
        return "a number"
    return {list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def text_field(obj: dict[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` that is present and not null, as text. Title and
    abstract must be JSON strings: any other type raises :class:`BadField`
    naming the field, so ``["a", "list"]`` never becomes a title."""
    for k in keys:
        v = obj.get(k)
        if v is None:
            continue
        if isinstance(v, str) and not isinstance(v, JsonNumber):
            if v.strip():
                return v
            continue
        raise BadField(f"field {k!r} is {_kind(v)}, not a string")
    return None


def id_field(value: Any) -> str | None:
    """An id field as text: a string as is; a JSON number (an arXiv id that
    lost its quotes, ``2401.04080`` or ``704.0001``) converted from its
    literal text, the year-month part padded back to four digits."""
    if isinstance(value, JsonNumber):
        head, _, tail = value.partition(".")
        return f"{head.zfill(4)}.{tail}" if head.isdigit() and tail.isdigit() else None
    return value if isinstance(value, str) else None


def clean(text: Any) -> str:
    """Collapse all whitespace runs (newlines in Atom/OAI titles) to single spaces."""
    if text is None:
        return ""
    # str.split() splits on exactly what a \s+ run matches, and is several times faster than re.sub
    return " ".join(str(text).split())


def parse_arxiv_id(value: Any) -> str | None:
    """The versionless arXiv id in an id, ``arXiv:`` string or arXiv/HF URL, else None."""
    if not isinstance(value, str):
        return None
    s = _ARXIV_PREFIX.sub("", value.strip())
    s = s.removesuffix(".pdf").strip("/")
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        m = pattern.fullmatch(s)
        if m:
            return m.group(1)
    return None


def normalise_doi(value: Any) -> str | None:
    """A bare, lower-cased DOI ("10.x/y") from a DOI, ``doi:`` string or doi.org URL."""
    if not isinstance(value, str):
        return None
    # The OAI snapshot sometimes lists several DOIs separated by spaces: keep the first.
    parts = value.strip().split()
    if not parts:
        return None
    s = _DOI_PREFIX.sub("", parts[0])
    return s.lower() if s.startswith("10.") and "/" in s else None


def iso_date(value: str | None) -> str | None:
    """``value`` as ISO yyyy-mm-dd when it names a full date with a year, else None."""
    if not value:
        return None
    s = value.strip()
    year = month = day = None
    if m := _ISO.match(s):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _MDY.match(s):
        year, month, day = int(m[3]), _MONTHS.get(m[1][:3].lower()), int(m[2])
    elif m := _DMY.match(s):
        year, month, day = int(m[3]), _MONTHS.get(m[2][:3].lower()), int(m[1])
    if year is None or month is None or day is None:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def title_key(title: str) -> str:
    """Hash of the folded title; what dedup remembers instead of the title itself."""
    return stable_hash(fold_title(title) or title, 16)


def identity(arxiv_id: str | None, doi: str | None, title: str) -> str:
    if arxiv_id:
        return arxiv_id
    if doi:
        return "doi:" + doi
    return "t" + stable_hash(fold_title(title) or title)


def split_authors(value: Any) -> tuple[str, ...]:
    """Authors from a list (of names or {"name": ...}) or an "A, B and C" string."""
    if isinstance(value, str):
        parts = re.split(r",|;|\band\b", clean(value))
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, (list, tuple)):
        names = []
        for a in value:
            name = a.get("name") if isinstance(a, dict) else a
            if isinstance(name, str) and clean(name):
                names.append(clean(name))
        return tuple(names)
    return ()


def split_categories(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, (list, tuple)):
        return tuple(str(c) for c in value if c)
    return ()


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def first_str(obj: dict[str, Any], *keys: str) -> str | None:
    """The first of ``keys`` holding a non-empty string (other types are ignored)."""
    for k in keys:
        v = obj.get(k)
        if isinstance(v, str) and v.strip():
            return v
    return None


def make_record(
    *,
    title: Any,
    abstract: Any,
    source: str,
    line: int,
    arxiv_id: str | None = None,
    doi: str | None = None,
    url: str | None = None,
    authors: tuple[str, ...] = (),
    author_count: int | None = None,
    date: str | None = None,
    upvotes: int | None = None,
    categories: tuple[str, ...] = (),
) -> Item:
    """A PaperRecord, or a SkippedRecord saying why the fields cannot make one."""
    t, a = clean(title), clean(abstract)
    if not t:
        return SkippedRecord(source, line, "missing title")
    if not a:
        return SkippedRecord(source, line, "missing abstract")
    if is_garbled(t) or is_garbled(a):
        return SkippedRecord(source, line, "unreadable title or abstract (binary or invalid text)")
    bad = _surrogate_field(title=t, abstract=a, arxiv_id=arxiv_id, doi=doi, url=url, date=date,
                           authors=authors, categories=categories)
    if bad:
        return SkippedRecord(source, line, f"invalid text in {bad}: a lone surrogate escape (such as \\ud800)")
    if author_count is None and authors:
        author_count = len(authors)
    date = clean(date) or None
    return PaperRecord(
        id=identity(arxiv_id, doi, t),
        title=t,
        abstract=a,
        arxiv_id=arxiv_id,
        doi=doi,
        url=url,
        authors=authors,
        author_count=author_count,
        date=date,
        upvotes=upvotes,
        categories=categories,
        source=source,
        line=line,
        date_iso=iso_date(date),
    )


def _surrogate_field(**fields: Any) -> str | None:
    """The name of the first field holding a lone surrogate, else None."""
    for name, value in fields.items():
        values = value if isinstance(value, tuple) else (value,)
        # an ASCII string (a flag CPython keeps: no scan) holds no surrogate
        if any(isinstance(v, str) and not v.isascii() and _SURROGATE.search(v) for v in values):
            return name
    return None


#: Longest title and abstract kept, in characters: longer ones are cut there
#: and the record is reported as truncated. Far above any real paper's, and
#: far below spaCy's ``max_length`` (1,000,000), which would fail the record.
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 200_000


def limit_text(rec: PaperRecord) -> tuple[PaperRecord, str | None]:
    """``rec`` with title and abstract cut to the limits above, and what was
    cut (None when nothing was)."""
    cuts = [f"{name} cut at {limit:,} characters (was {len(text):,})"
            for name, text, limit in (("title", rec.title, MAX_TITLE_CHARS),
                                      ("abstract", rec.abstract, MAX_ABSTRACT_CHARS)) if len(text) > limit]
    if not cuts:
        return rec, None
    title, abstract = rec.title[:MAX_TITLE_CHARS].rstrip(), rec.abstract[:MAX_ABSTRACT_CHARS].rstrip()
    return replace(rec, title=title, abstract=abstract, id=rec.id if rec.arxiv_id or rec.doi else
                   identity(None, None, title)), "; ".join(cuts)


def iter_json_lines(lines: Iterable[Line], source: str) -> Iterator[tuple[int, dict[str, Any]] | SkippedRecord]:
    """One JSON object per line; bad lines come back as SkippedRecords with their number."""
    for lineno, text in lines:
        if not text.strip():
            continue
        if is_garbled(text):
            yield SkippedRecord(source, lineno, "unreadable line (binary or invalid text)")
            continue
        try:
            obj = loads(text)
        except json.JSONDecodeError as exc:
            yield SkippedRecord(source, lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except ValueError as exc:  # nesting too deep
            yield SkippedRecord(source, lineno, f"invalid JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            yield SkippedRecord(source, lineno, f"not a JSON object but {type(obj).__name__}")
            continue
        yield lineno, obj


def read_json_lines(lines: Iterable[Line], source: str,
                    from_object: Callable[[dict[str, Any], str, int], Item]) -> Iterator[Item]:
    """A JSON-lines reader: each good object through ``from_object``, bad lines skipped."""
    for item in iter_json_lines(lines, source):
        yield item if isinstance(item, SkippedRecord) else checked(from_object, item[1], source, item[0])


def checked(from_object: Callable[[dict[str, Any], str, int], Item], obj: dict[str, Any], source: str,
            line: int) -> Item:
    """``from_object(obj, source, line)``, a field of the wrong type becoming a skip."""
    try:
        return from_object(obj, source, line)
    except BadField as exc:
        return SkippedRecord(source, line, str(exc))
