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
by content, logs and counts skips, and merges duplicate papers
(:mod:`kg.sources.merge`).
"""

from __future__ import annotations

import fnmatch
import functools
import json
import logging
import pickle
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from .. import progress
from ..types import PaperRecord, SkippedRecord
from . import arxiv_atom, arxiv_oai, fulltext, hf_daily, hf_listing, jsonl, pdf
from ._io import Line, is_garbled, iter_lines
from ._records import Item, limit_text, loads, title_key
from .merge import filling_mask, lacking_mask, merge_duplicate

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

FileReader = Callable[[Path, str], Iterator[Item]]

#: Readers of one document a file, which need the file itself (PDF) rather than its lines.
_FILE_READERS: dict[str, FileReader] = {
    pdf.NAME: pdf.read_file,
    fulltext.NAME: fulltext.read_file,
}

#: Names accepted by ``read_inputs(input_format=...)`` (and the CLI option).
FORMATS: tuple[str, ...] = tuple(_READERS) + tuple(_FILE_READERS)

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
    #: files inside directory inputs skipped as of no known format
    unknown_files: list[str] = field(default_factory=list)
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
            "unknown_files": list(self.unknown_files),
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
    #: per id, the metadata its record lacks (:func:`kg.sources.merge.lacking_mask`); None in old manifests
    lacks: list[int] | None = None


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
        self._limit = len(self.previous)

    def reuse(self, index: int, path: Path, fmt: str | None) -> FileEntry | None:
        if self._prefix and index < self._limit:
            old = self.previous[index]
            if old.path == str(path) and old.fmt == fmt and old.stat == _stat(path):
                self.entries.append(old)
                self.reused.append(old)
                return old
        self._prefix = False
        return None

    def peek(self, index: int, path: Path, fmt: str | None) -> FileEntry | None:
        """The previous entry :meth:`reuse` would take for this file, without taking it."""
        if index < len(self.previous) and index < self._limit:
            old = self.previous[index]
            if old.path == str(path) and old.fmt == fmt and old.stat == _stat(path):
                return old
        return None

    def stop_reuse_at(self, index: int) -> None:
        """Read the file at ``index`` and every later one again."""
        self._limit = min(self._limit, index)

    def reused_ids(self) -> Iterator[str]:
        """Ids of papers in the files not read again (still inputs, for --prune)."""
        for entry in self.reused:
            yield from entry.ids


def read_inputs(
    paths: Iterable[str | Path],
    input_format: str | None = None,
    report: ReadReport | None = None,
    manifest: InputManifest | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    stored: Callable[[PaperRecord], bool] | None = None,
) -> Iterator[PaperRecord]:
    """Deduplicated PaperRecords from files and directories, in input order.

    Files are found and their formats decided before the first record is
    returned, so a missing path (FileNotFoundError) or a file named on its
    own of no known format (UnknownFormatError) fails fast instead of after
    half a run. Inside a directory, a file of no known format is skipped with
    a warning naming it (``report.unknown_files``), and only files matching an
    ``include`` glob (if any) and no ``exclude`` glob are read; a directory
    with no file of a known format is an UnknownFormatError. Damaged records
    never raise: they are logged and added to ``report.skipped``. ``stored`` (an update's): whether a
    record is stored already, unchanged; those are not counted in the extracting stage's total.
    """
    if input_format is not None and input_format not in FORMATS:
        raise UnknownFormatError(
            f"unknown input format {input_format!r}; expected one of: {', '.join(FORMATS)}")
    report = report if report is not None else ReadReport()
    plan: list[tuple[Path, str | None]] = []
    for path, fmt in _sniffed(_expand(paths, include, exclude), input_format, report):
        plan.append((path, fmt))
        report.files.append(str(path))
        if fmt is not None:
            report.formats[str(path)] = fmt
    return _read_plan(plan, report, manifest, stored)


def _selected(rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """A file inside a directory input, by its path relative to the directory
    (or its name): in some ``include`` glob when any is given, in no ``exclude`` glob."""
    def hit(globs: Sequence[str]) -> bool:
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel.rsplit("/", 1)[-1], g) for g in globs)

    return (not include or hit(include)) and not hit(exclude)


def _expand(paths: Iterable[str | Path], include: Sequence[str] = (), exclude: Sequence[str] = ()
            ) -> Iterator[tuple[Path, Path | None]]:
    """(file, the directory input it was found in, or None) in input order; a
    directory contributes its non-hidden files that ``include``/``exclude`` select, sorted."""
    seen: set[Path] = set()
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = [
                f for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and not fulltext.is_sidecar(f) and _selected(f.relative_to(p).as_posix(), include, exclude)
            ]
            files = sorted(found, key=lambda f: f.relative_to(p).as_posix())
            parent: Path | None = p
        elif p.exists():
            files, parent = [p], None
        else:
            raise FileNotFoundError(f"input not found: {p}")
        for f in files:
            key = f.resolve()
            if key not in seen:  # the same file named twice is read once
                seen.add(key)
                yield f, parent


def _sniffed(files: Iterable[tuple[Path, Path | None]], input_format: str | None, report: ReadReport
             ) -> Iterator[tuple[Path, str | None]]:
    """Each file with its format. A file found in a directory whose format is
    unknown is skipped with a warning naming it; a directory left with no
    file at all is an error naming it and what was skipped."""
    usable: dict[Path, int] = {}
    skipped: dict[Path, list[str]] = {}
    for path, parent in files:
        if parent is not None:
            usable.setdefault(parent, 0)
        try:
            fmt = input_format or sniff_format(path)
        except UnknownFormatError as exc:
            if parent is None:
                raise
            log.warning("%s: skipped: %s", path, str(exc).removeprefix(f"{path}: "))
            report.unknown_files.append(str(path))
            skipped.setdefault(parent, []).append(path.relative_to(parent).as_posix())
            continue
        if parent is not None:
            usable[parent] += 1
        yield path, fmt
    for parent, n in usable.items():
        if n == 0:
            names = skipped.get(parent, [])
            listed = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
            raise UnknownFormatError(
                f"{parent}: no file of a known input format" + (f" (skipped {len(names)}: {listed})" if names
                                                                else " (no file selected)")
                + f"; expected one of: {', '.join(FORMATS)}; choose files with --include GLOB or force --input-format")


def sniff_format(path: str | Path) -> str | None:
    """The format of ``path`` judged from its first lines; None for an empty file.

    Raises UnknownFormatError naming the file when nothing matches.
    """
    path = Path(path)
    if _is_pdf(path):
        return pdf.NAME
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
    if fulltext.sniff(head):
        return fulltext.NAME
    if hf_listing.sniff(head):
        return hf_listing.NAME
    raise UnknownFormatError(
        f"{path}: unknown input format (expected one of: {', '.join(FORMATS)}); "
        "pass the format explicitly if it is one of these")


def _is_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return pdf.is_pdf(fh.read(pdf.MAGIC_WINDOW))
    except OSError:
        return False


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


class _Dedup:
    """Which earlier paper a record repeats (same id or the same folded
    title): papers are numbered in input order. Only short hashes and
    numbers are kept, so memory grows with papers, not with their text."""

    def __init__(self) -> None:
        self.by_id: dict[str, int] = {}
        self.by_title: dict[str, int] = {}
        self.count = 0

    def number(self, rec_id: str, key: str) -> tuple[int, bool]:
        """(the paper's number, whether this is its first copy)."""
        n = self.by_id.get(rec_id)
        if n is None:
            n = self.by_title.get(key)
        first = n is None
        if n is None:
            n = self.count
            self.count += 1
        self.by_id.setdefault(rec_id, n)
        self.by_title.setdefault(key, n)
        return n, first

    def replay(self, entry: FileEntry) -> None:
        """Number the papers of a file not read again, as reading it would."""
        for rec_id, key in zip(entry.ids, entry.titles):
            self.number(rec_id, key)


def _input_size(path: Path) -> int:
    """Bytes of text in ``path``: a gzip file's trailer holds its uncompressed size (mod 2**32)."""
    size = path.stat().st_size
    if size >= 18 and path.suffix == ".gz":
        with open(path, "rb") as fh:
            fh.seek(-4, 2)
            return max(size, int.from_bytes(fh.read(4), "little"))
    return size


def _records(path: Path, fmt: str, source: str, spool: "_Spool") -> Iterator[PaperRecord]:
    """The file's records as the second pass will see them (the same id and title), every item
    read kept in ``spool`` for it."""
    for item in spool.keep(_read_file(path, fmt, source, count_bytes=True)):
        if not isinstance(item, SkippedRecord):
            yield limit_text(item)[0]


class _Spool:
    """Every item the first pass read from each file, in order, for the second pass: a record is
    parsed once (a PDF's text taken out once), and read back pickled, some five times faster.
    The items go to an anonymous temporary file (gone when closed, or when the process dies), so
    memory does not grow with the input; it takes about the input's uncompressed size on disk.
    Where that file cannot be written (a full disk), the second pass reads the files again."""

    def __init__(self) -> None:
        self.files: dict[int, tuple[int, int]] = {}  # plan index -> (offset, items)
        self._index = -1
        try:
            self.fh: IO[bytes] | None = tempfile.TemporaryFile(prefix="kg-read-")
        except OSError as exc:
            log.debug("no spool for the second reading pass (%s): the files are read again", exc)
            self.fh = None

    def start(self, index: int) -> None:
        if self.fh is not None:
            self.files[index] = (self.fh.tell(), 0)
            self._index = index

    def keep(self, items: Iterable[Item]) -> Iterator[Item]:
        index, n = self._index, 0
        for item in items:
            if self.fh is not None:
                try:
                    pickle.dump(item, self.fh, pickle.HIGHEST_PROTOCOL)
                    n += 1
                except OSError as exc:
                    log.debug("spool for the second reading pass lost (%s): the files are read again", exc)
                    self.close()
            yield item
        if self.fh is not None:
            self.files[index] = (self.files[index][0], n)

    def items(self, index: int) -> Iterator[Item] | None:
        """The items of the file at ``index`` as the first pass read them; None when they were not kept."""
        if self.fh is None or index not in self.files:
            return None
        offset, n = self.files[index]
        return self._replay(self.fh, offset, n)

    @staticmethod
    def _replay(fh: IO[bytes], offset: int, n: int) -> Iterator[Item]:
        # (the second pass reads one file's items to the end before the next file's)
        fh.seek(offset)
        for _ in range(n):
            yield pickle.load(fh)

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None
        self.files.clear()


def _later_copies(plan: list[tuple[Path, str | None]], manifest: InputManifest | None,
                  stored: Callable[[PaperRecord], bool] | None = None
                  ) -> tuple[dict[int, list[PaperRecord]], int, _Spool]:
    """First pass: the later copies of every paper that has some, by the
    paper's number, and how many papers of the files read are to be extracted (all, or those not
    ``stored`` unchanged, counting any with later copies), and the items read, for the second pass. A
    copy that would fill a paper of a file not read again
    (under --update) makes that file and those after it read again, so an
    update merges exactly as a full build does."""
    while True:
        progress.stage("reading", sum(_input_size(p) for p, fmt in plan if fmt is not None), "B")
        fresh = 0  # papers of the files read (not reused): what extraction will see
        unchanged: set[int] = set()  # papers among them stored already as they are
        dedup = _Dedup()
        later: dict[int, list[PaperRecord]] = {}
        reused_lacks: dict[int, tuple[int, int]] = {}  # paper number -> (file index, fields it lacks)
        reread_from: int | None = None
        prefix = manifest is not None  # only a leading run of unchanged files is reused
        spool = _Spool()
        for index, (path, fmt) in enumerate(plan):
            old = manifest.peek(index, path, fmt) if prefix else None  # type: ignore[union-attr]
            prefix = old is not None
            if old is not None:
                lacks = getattr(old, "lacks", None)  # manifests of older builds have none: assume all
                masks = lacks if lacks is not None else [-1] * len(old.ids)
                for rec_id, key, mask in zip(old.ids, old.titles, masks):
                    n, first = dedup.number(rec_id, key)
                    if first:
                        reused_lacks[n] = (index, mask)
                continue
            if fmt is None:
                continue
            spool.start(index)
            for rec in _records(path, fmt, str(path), spool):
                n, first = dedup.number(rec.id, title_key(rec.title))
                if first:
                    fresh += 1
                    if stored is not None and stored(rec):
                        unchanged.add(n)
                    continue
                later.setdefault(n, []).append(rec)
                if n in reused_lacks and reused_lacks[n][1] & filling_mask(rec):
                    at = reused_lacks[n][0]
                    reread_from = at if reread_from is None else min(reread_from, at)
        if reread_from is None:
            return later, fresh - len(unchanged - later.keys()), spool
        spool.close()
        log.info("a new copy fills metadata of a paper read before: reading inputs again from %s",
                 plan[reread_from][0])
        manifest.stop_reuse_at(reread_from)  # type: ignore[union-attr]


def _read_plan(plan: list[tuple[Path, str | None]], report: ReadReport,
               manifest: InputManifest | None = None,
               stored: Callable[[PaperRecord], bool] | None = None) -> Iterator[PaperRecord]:
    # Two passes: the first finds each paper's later copies, the second hands
    # the first copy downstream filled from them (merge_duplicate), so no
    # record is held back and the result depends only on input order. The
    # second reads back what the first parsed (_Spool), not the files.
    later, fresh, spool = _later_copies(plan, manifest, stored)
    try:
        yield from _second_pass(plan, report, manifest, stored, later, fresh, spool)
    finally:
        spool.close()


def _second_pass(plan: list[tuple[Path, str | None]], report: ReadReport, manifest: InputManifest | None,
                 stored: Callable[[PaperRecord], bool] | None, later: dict[int, list[PaperRecord]], fresh: int,
                 spool: _Spool) -> Iterator[PaperRecord]:
    # An update extracts only the new and changed papers among them: no total unless ``stored`` tells them.
    known = manifest is None or not manifest.previous or stored is not None
    progress.stage("extracting", fresh if known else None)
    dedup = _Dedup()
    for index, (path, fmt) in enumerate(plan):
        source = str(path)
        if manifest is not None:
            old = manifest.reuse(index, path, fmt)
            if old is not None:
                log.info("%s: unchanged since the last build, not read again", source)
                dedup.replay(old)
                report.read += old.read
                report.duplicates += old.duplicates
                report.skipped.extend(SkippedRecord(**d) for d in old.skipped)
                report.truncated.extend(SkippedRecord(**d) for d in getattr(old, "truncated", ()))
                if fmt is None:
                    report.empty_files.append(source)
                continue
            entry = FileEntry(source, _stat(path), fmt, lacks=[])
            manifest.entries.append(entry)
        else:
            entry = None
        if fmt is None:
            log.warning("%s: empty input, no records", source)
            report.empty_files.append(source)
            continue
        log.info("%s: reading as %s", source, fmt)
        items = 0
        kept = spool.items(index)
        for item in kept if kept is not None else _read_file(path, fmt, source):
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
            n, first = dedup.number(item.id, key)
            if entry is not None:
                entry.ids.append(item.id)
                entry.titles.append(key)
                entry.lacks.append(lacking_mask(item))  # type: ignore[union-attr]
            if not first:
                log.info("%s:%d: duplicate of an earlier record (%s), merged", source, item.line, item.id)
                report.duplicates += 1
                if entry is not None:
                    entry.duplicates += 1
                continue
            report.read += 1
            if entry is not None:
                entry.read += 1
            yield functools.reduce(merge_duplicate, later.pop(n, ()), item)
        if items == 0:
            # Reached with input_format given (no sniffing) or a file of only blank lines.
            log.warning("%s: no records found", source)
            report.empty_files.append(source)


def _read_file(path: Path, fmt: str, source: str, count_bytes: bool = False) -> Iterator[Item]:
    """Run one reader, turning a mid-file read failure into a skip entry
    (and with ``count_bytes``, reporting the bytes read as progress)."""
    last_line = 0

    def counted(lines: Iterator[Line]) -> Iterator[Line]:
        nonlocal last_line
        pending = 0
        for lineno, text in lines:
            last_line = lineno
            if count_bytes:
                pending += len(text) + 1
                if pending > 1 << 16:  # a call per 64 kB, not per line
                    progress.advance(pending)
                    pending = 0
            yield lineno, text
        if pending:
            progress.advance(pending)

    try:
        if fmt in _FILE_READERS:
            yield from _FILE_READERS[fmt](path, source)
            return
        yield from _READERS[fmt](counted(iter_lines(path)), source)
    except _READ_ERRORS as exc:
        yield SkippedRecord(source, last_line + 1, f"file could not be read further ({exc})")
