"""Input readers: turn paper listings and metadata dumps into PaperRecords.

Public API::

    from kg.sources import read_inputs, ReadReport, FORMATS, UnknownFormatError

    report = ReadReport()
    for rec in read_inputs(["data/"], input_format=None, report=report):
        ...
    report.to_dict()  # for summary.json

One module per format (``hf_listing``, ``jsonl``, ``arxiv_atom``,
``arxiv_oai``, ``hf_daily``); each exposes ``read(lines, source)`` yielding
PaperRecords and SkippedRecords. This module finds the files, picks a reader
by content, logs and counts skips, and removes duplicate papers.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..types import PaperRecord, SkippedRecord
from . import arxiv_atom, arxiv_oai, hf_daily, hf_listing, jsonl
from ._io import Line, is_garbled, iter_lines
from ._records import Item, limit_text, loads, title_key

__all__ = ["FORMATS", "FileEntry", "InputManifest", "ReadReport", "UnknownFormatError", "read_inputs",
           "sniff_format"]

log = logging.getLogger(__name__)

Reader = Callable[[Iterable[Line], str], Iterator[Item]]

_READERS: dict[str, Reader] = {
    hf_listing.NAME: hf_listing.read,
    jsonl.NAME: jsonl.read,
    arxiv_atom.NAME: arxiv_atom.read,
    arxiv_oai.NAME: arxiv_oai.read,
    hf_daily.NAME: hf_daily.read,
}

#: Names accepted by ``read_inputs(input_format=...)`` (and the CLI option).
FORMATS: tuple[str, ...] = tuple(_READERS)

#: Errors a damaged file (e.g. a truncated .gz) raises while being read.
_READ_ERRORS = (OSError, EOFError, zlib.error)

_SNIFF_LINES = 40
_SNIFF_CHARS = 1 << 20
_ATOM_NS = "http://www.w3.org/2005/Atom"
#: Keys only the arXiv OAI snapshot has.
_OAI_KEYS = frozenset({"update_date", "authors_parsed", "versions", "submitter", "journal-ref"})
#: Maximum skipped entries spelled out in ``ReadReport.to_dict`` (all are counted).
_SKIPPED_IN_SUMMARY = 200


class UnknownFormatError(ValueError):
    """An input file matches no known format, or an unknown format name was given."""


@dataclass
class ReadReport:
    """What ``read_inputs`` did; filled in as records are consumed."""

    read: int = 0
    duplicates: int = 0
    skipped: list[SkippedRecord] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    empty_files: list[str] = field(default_factory=list)
    #: records kept with their title or abstract cut at the limits of kg.sources._records
    truncated: list[SkippedRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "duplicates": self.duplicates,
            "skipped_count": len(self.skipped),
            "skipped": [asdict(s) for s in self.skipped[:_SKIPPED_IN_SUMMARY]],
            "skipped_truncated": len(self.skipped) > _SKIPPED_IN_SUMMARY,
            "files": list(self.files),
            "formats": dict(self.formats),
            "empty_files": list(self.empty_files),
            "truncated_count": len(self.truncated),
            "truncated": [asdict(s) for s in self.truncated[:_SKIPPED_IN_SUMMARY]],
        }


@dataclass
class FileEntry:
    """What reading one input file did, kept so a later ``kg build --update``
    can skip the file when it has not changed (see :class:`InputManifest`)."""

    path: str
    stat: tuple[int, int, int]  # size, mtime_ns, inode
    fmt: str | None
    #: every paper id and title key the file contributed, duplicates included
    ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    read: int = 0
    duplicates: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)
    truncated: list[dict[str, Any]] = field(default_factory=list)


def _stat(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns, st.st_ino)


class InputManifest:
    """The input files of the previous build, and of this one as it reads.

    A file is skipped when it and every file before it are the ones the
    previous build read, unchanged (same path, format, size, mtime and inode,
    as make and rsync judge files): then what it contributed — its papers,
    duplicates and skipped lines — is exactly what the previous build stored.
    The common case, a daily file appended to the inputs, reads one file.
    """

    def __init__(self, previous: Iterable[FileEntry] = ()) -> None:
        self.previous = list(previous)
        self.entries: list[FileEntry] = []
        self.reused: list[FileEntry] = []
        self._prefix = True

    def reuse(self, index: int, path: Path, fmt: str | None) -> FileEntry | None:
        if self._prefix and index < len(self.previous):
            old = self.previous[index]
            if old.path == str(path) and old.fmt == fmt and old.stat == _stat(path):
                self.entries.append(old)
                self.reused.append(old)
                return old
        self._prefix = False
        return None

    def reused_ids(self) -> Iterator[str]:
        """Ids of papers in the files not read again (still inputs, for --prune)."""
        for entry in self.reused:
            yield from entry.ids


def read_inputs(
    paths: Iterable[str | Path],
    input_format: str | None = None,
    report: ReadReport | None = None,
    manifest: InputManifest | None = None,
) -> Iterator[PaperRecord]:
    """Deduplicated PaperRecords from files and directories, in input order.

    Files are found and their formats decided before the first record is
    returned, so a missing path (FileNotFoundError) or a file of no known
    format (UnknownFormatError) fails fast instead of after half a run.
    Damaged records never raise: they are logged and added to
    ``report.skipped``.
    """
    if input_format is not None and input_format not in _READERS:
        raise UnknownFormatError(
            f"unknown input format {input_format!r}; expected one of: {', '.join(FORMATS)}")
    report = report if report is not None else ReadReport()
    plan: list[tuple[Path, str | None]] = []
    for path in _expand(paths):
        fmt = input_format or sniff_format(path)
        plan.append((path, fmt))
        report.files.append(str(path))
        if fmt is not None:
            report.formats[str(path)] = fmt
    return _read_plan(plan, report, manifest)


def _expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files in input order; a directory contributes its non-hidden files, sorted."""
    seen: set[Path] = set()
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = [
                f for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            ]
            files = sorted(found, key=lambda f: f.relative_to(p).as_posix())
        elif p.exists():
            files = [p]
        else:
            raise FileNotFoundError(f"input not found: {p}")
        for f in files:
            key = f.resolve()
            if key not in seen:  # the same file named twice is read once
                seen.add(key)
                yield f


def sniff_format(path: str | Path) -> str | None:
    """The format of ``path`` judged from its first lines; None for an empty file.

    Raises UnknownFormatError naming the file when nothing matches.
    """
    path = Path(path)
    head = _head(path)
    content = [t.strip() for t in head if t.strip()]
    if not content:
        return None
    if sum(map(is_garbled, content)) * 2 > len(content):
        raise UnknownFormatError(f"{path}: binary or non-UTF-8 content, not a known input format")
    first = content[0]
    if first.startswith("<"):
        text = "\n".join(head)
        if "<feed" in text and _ATOM_NS in text:
            return arxiv_atom.NAME
        raise UnknownFormatError(f"{path}: XML but not an arXiv Atom feed")
    if first.startswith("["):
        return hf_daily.NAME
    if first.startswith("{"):
        fmt = _sniff_json(content)
        if fmt:
            return fmt
        raise UnknownFormatError(f"{path}: JSON without paper records (no title/abstract keys)")
    if hf_listing.sniff(head):
        return hf_listing.NAME
    raise UnknownFormatError(
        f"{path}: unknown input format (expected one of: {', '.join(FORMATS)}); "
        "pass the format explicitly if it is one of these")


def _head(path: Path) -> list[str]:
    head: list[str] = []
    size = 0
    try:
        for _, text in iter_lines(path):
            head.append(text)
            size += len(text)
            if len(head) >= _SNIFF_LINES or size >= _SNIFF_CHARS:
                break
    except _READ_ERRORS as exc:
        if not head:
            raise UnknownFormatError(f"{path}: cannot be read ({exc})") from exc
    return head


def _sniff_json(content: list[str]) -> str | None:
    """Classify JSON lines by the keys of the first object that parses."""
    for text in content[:_SNIFF_LINES]:
        try:
            obj = loads(text)
        except ValueError:  # not JSON, or nested too deeply
            continue
        if not isinstance(obj, dict):
            continue
        if isinstance(obj.get("paper"), dict) or "publishedAt" in obj:
            return hf_daily.NAME
        if _OAI_KEYS & obj.keys():
            return arxiv_oai.NAME
        if {"title", "abstract", "summary"} & obj.keys():
            return jsonl.NAME
    # No single line parses: perhaps one pretty-printed daily-papers object.
    text = "\n".join(content)
    if '"publishedAt"' in text or '"paper"' in text:
        return hf_daily.NAME
    return None


def _read_plan(plan: list[tuple[Path, str | None]], report: ReadReport,
               manifest: InputManifest | None = None) -> Iterator[PaperRecord]:
    # Dedup remembers only short hashes, so memory grows with the number of
    # papers, not with their text. A later duplicate is dropped: the first
    # copy has already been handed downstream, so it cannot be filled in.
    seen_ids: set[str] = set()
    seen_titles: set[str] = set()
    for index, (path, fmt) in enumerate(plan):
        source = str(path)
        if manifest is not None:
            old = manifest.reuse(index, path, fmt)
            if old is not None:
                log.info("%s: unchanged since the last build, not read again", source)
                seen_ids.update(old.ids)
                seen_titles.update(old.titles)
                report.read += old.read
                report.duplicates += old.duplicates
                report.skipped.extend(SkippedRecord(**d) for d in old.skipped)
                report.truncated.extend(SkippedRecord(**d) for d in getattr(old, "truncated", ()))
                if fmt is None:
                    report.empty_files.append(source)
                continue
            entry = FileEntry(source, _stat(path), fmt)
            manifest.entries.append(entry)
        else:
            entry = None
        if fmt is None:
            log.warning("%s: empty input, no records", source)
            report.empty_files.append(source)
            continue
        log.info("%s: reading as %s", source, fmt)
        items = 0
        for item in _read_file(path, fmt, source):
            items += 1
            if isinstance(item, SkippedRecord):
                log.warning("%s:%d: skipped record: %s", item.source, item.line, item.reason)
                report.skipped.append(item)
                if entry is not None:
                    entry.skipped.append(asdict(item))
                continue
            item, cut = limit_text(item)
            if cut:
                note = SkippedRecord(source, item.line, cut)
                log.warning("%s:%d: record truncated: %s", source, item.line, cut)
                report.truncated.append(note)
                if entry is not None:
                    entry.truncated.append(asdict(note))
            key = title_key(item.title)
            duplicate = item.id in seen_ids or key in seen_titles
            seen_ids.add(item.id)
            seen_titles.add(key)
            if entry is not None:
                entry.ids.append(item.id)
                entry.titles.append(key)
            if duplicate:
                log.info("%s:%d: duplicate of an earlier record (%s), merged", source, item.line, item.id)
                report.duplicates += 1
                if entry is not None:
                    entry.duplicates += 1
                continue
            report.read += 1
            if entry is not None:
                entry.read += 1
            yield item
        if items == 0:
            # Reached with input_format given (no sniffing) or a file of only blank lines.
            log.warning("%s: no records found", source)


def _read_file(path: Path, fmt: str, source: str) -> Iterator[Item]:
    """Run one reader, turning a mid-file read failure into a skip entry."""
    last_line = 0

    def counted(lines: Iterator[Line]) -> Iterator[Line]:
        nonlocal last_line
        for lineno, text in lines:
            last_line = lineno
            yield lineno, text

    try:
        yield from _READERS[fmt](counted(iter_lines(path)), source)
    except _READ_ERRORS as exc:
        yield SkippedRecord(source, last_line + 1, f"file could not be read further ({exc})")
