"""Reader for paper PDFs: the text layer, in reading order, as a FullText record.

Text comes from PDFium (``pypdfium2``): the fastest of the three maintained
libraries we measured (README, "Full texts") and the one whose text
rectangles give each line's box, which is all the layout work needs.

Per page, PDFium's text rectangles (one per run of text on a line) are the
lines. Reading order is decided from their boxes, not from the content stream
(some producers write both columns row by row): rows are taken top to bottom;
a run of rows in which nothing crosses the page's middle is a two-column
block, read left column first, then right. Running headers and footers are
rows in the top or bottom band of the page that repeat on other pages (digits
ignored); page numbers are such rows of a bare number, "Page n" or "n / m".
Vertical text in a margin (the arXiv stamp) is not body text, but the arXiv
id or DOI it names identifies the paper. Ligatures, hyphenation at line ends
and section headings are handled by :mod:`kg.sources.sections`.

A PDF that cannot be opened (damaged, or encrypted with a password), or has no
text layer (a scan), is skipped with the reason; nothing here raises.
"""

from __future__ import annotations

import ctypes
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..types import SkippedRecord
from ._records import Item
from .fulltext import identifiers, record_from_lines
from .sections import TextLine

NAME = "pdf"

log = logging.getLogger(__name__)

MAGIC = b"%PDF-"
#: PDF readers accept the header anywhere in the first KiB.
MAGIC_WINDOW = 1024
#: Fewer visible characters than this a page, on average: no text layer.
MIN_CHARS_PER_PAGE = 40
#: Share of the page height, at the top and at the bottom, where running
#: headers, footers and page numbers live.
BAND = 0.09
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|[ivxlc]{1,6}", re.I)
_DIGITS = re.compile(r"\d+")


def is_pdf(head: bytes) -> bool:
    return MAGIC in head[:MAGIC_WINDOW]


@dataclass(slots=True)
class _Box:
    x0: float
    y0: float  # bottom (PDF user space: y grows upwards)
    x1: float
    y1: float  # top
    text: str
    size: float

    @property
    def mid(self) -> float:
        return (self.y0 + self.y1) / 2


class PdfError(Exception):
    """The PDF cannot be read (the message is the reason shown to the user)."""


def read_file(path: Path, source: str) -> Iterator[Item]:
    """One FullText record for the PDF at ``path``, or a SkippedRecord saying why not."""
    try:
        pages, ident = extract_pages(path)
    except PdfError as exc:
        yield SkippedRecord(source, 0, str(exc))
        return
    chars = sum(len(b.text) for page in pages for b in page)
    if chars < MIN_CHARS_PER_PAGE * max(1, len(pages)) / 4:
        yield SkippedRecord(source, 0, f"no text layer ({len(pages)} pages, {chars} characters): "
                                       "a scanned PDF needs OCR first")
        return
    lines = reading_order(pages)
    yield record_from_lines(lines, source, "pdf", pages=len(pages), sidecar_of=path, found_ids=ident)


def extract_pages(path: Path) -> tuple[list[list[_Box]], dict[str, str]]:
    """Every page's text boxes (margins' vertical text set aside) and any
    arXiv id or DOI the first page names. Raises :class:`PdfError`."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PdfError(_open_error(str(exc))) from None
    except OSError as exc:
        raise PdfError(f"cannot be read ({exc.strerror or exc})") from None
    pages: list[list[_Box]] = []
    ident: dict[str, str] = {}
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                boxes, margin_text = _page_boxes(page, raw)
            finally:
                page.close()
            pages.append(boxes)
            if index == 0:
                ident = identifiers(margin_text + [b.text for b in boxes[:60]])
    except pdfium.PdfiumError as exc:
        raise PdfError(f"damaged PDF ({exc})") from None
    finally:
        doc.close()
    return pages, ident


def _open_error(message: str) -> str:
    if "password" in message.lower():
        return "encrypted PDF (a password is needed to open it)"
    return f"damaged or not a PDF ({message.split('(')[-1].rstrip(')') if '(' in message else message})"


def _page_boxes(page, raw) -> tuple[list[_Box], list[str]]:
    """The page's text lines as boxes. PDFium's text (one call a page) is split
    at its line breaks; each line's rectangles say where it sits, and a line
    with several (two columns' lines side by side in content order, or a
    hyphenated word PDFium joined across lines) is cut where each rectangle's
    first character is. Per-rectangle text calls would be ten times slower."""
    tp = page.get_textpage()
    try:
        text = tp.get_text_range()
        boxes: list[_Box] = []
        margin: list[str] = []
        l, b, r, t = (ctypes.c_double() for _ in range(4))
        pos = 0
        for line in text.split("\r\n"):
            start, pos = pos, pos + len(line) + 2
            if not line.strip():
                continue
            rects = []
            for i in range(raw.FPDFText_CountRects(tp, start, len(line))):
                raw.FPDFText_GetRect(tp, i, l, t, r, b)
                rects.append((l.value, b.value, r.value, t.value))
            for (x0, y0, x1, y1), a, z in _segments(tp, raw, rects, start, len(line)):
                seg = text[a:z].lstrip()
                a += z - a - len(seg)  # the size of the first character shown, not of a space
                seg = seg.rstrip()
                if not seg:
                    continue
                if (y1 - y0) > 3 * (x1 - x0) and len(seg) > 3:
                    margin.append(seg)  # vertical text: a margin stamp, not a line
                    continue
                boxes.append(_Box(x0, y0, x1, y1, seg, round(raw.FPDFText_GetFontSize(tp, a), 1)))
        return boxes, margin
    finally:
        tp.close()


def _segments(tp, raw, rects: list[tuple[float, float, float, float]], start: int, length: int
              ) -> list[tuple[tuple[float, float, float, float], int, int]]:
    """Each rectangle with the character range it covers, in text order.

    PDFium lists a line's rectangles in text order, each covering a run of its
    characters: the end of each run is found by bisection over the characters'
    boxes (a point query per rectangle would scan the whole page)."""
    if len(rects) <= 1:
        return [(rects[0], start, start + length)] if rects else []
    out = []
    lo, end = start, start + length
    for k, rect in enumerate(rects):
        if k == len(rects) - 1:
            out.append((rect, lo, end))
            break
        cut = _run_end(tp, raw, rect, lo, end)
        out.append((rect, lo, cut))
        lo = cut
    return out


_L, _R, _B, _T = (ctypes.c_double() for _ in range(4))


def _inside(tp, raw, rect: tuple[float, float, float, float], index: int) -> bool | None:
    """Whether character ``index``'s centre lies in ``rect``; None for a character
    without a box (a space PDFium generated)."""
    if not raw.FPDFText_GetCharBox(tp, index, _L, _R, _B, _T) or _R.value <= _L.value:
        return None
    x, y = (_L.value + _R.value) / 2, (_B.value + _T.value) / 2
    return rect[0] - 1 <= x <= rect[2] + 1 and rect[1] - 1 <= y <= rect[3] + 1


def _run_end(tp, raw, rect: tuple[float, float, float, float], lo: int, hi: int) -> int:
    """The first index in ``[lo, hi)`` whose character is past ``rect``'s run."""
    a, b = lo, hi  # invariant: chars before a are in the run, chars from b on are not
    while a < b:
        mid = (a + b) // 2
        probe = mid
        inside = _inside(tp, raw, rect, probe)
        while inside is None and probe + 1 < b:
            probe += 1
            inside = _inside(tp, raw, rect, probe)
        if inside is None or not inside:
            b = mid
        else:
            a = probe + 1
    return a


# -- layout ------------------------------------------------------------------------------------

def reading_order(pages: list[list[_Box]]) -> list[TextLine]:
    """Every page's lines in reading order, running headers and page numbers removed."""
    heights = [max((b.y1 for b in page), default=0.0) for page in pages]
    repeated = _repeated_band_texts(pages, heights)
    out: list[TextLine] = []
    for number, page in enumerate(pages, 1):
        if not page:
            continue
        top = max(b.y1 for b in page)
        bottom = min(b.y0 for b in page)
        span = max(top - bottom, 1.0)
        width = max(b.x1 for b in page) + min(b.x0 for b in page)  # margins assumed symmetric
        kept = [b for b in page if not _is_furniture(b, top, bottom, span, repeated)]
        out.extend(_order_page(kept, width / 2, number))
    return out


def _band_key(text: str) -> str:
    return _DIGITS.sub("#", text.lower()).strip()


def _in_band(b: _Box, top: float, bottom: float, span: float) -> bool:
    return b.y0 >= top - BAND * span or b.y1 <= bottom + BAND * span


def _repeated_band_texts(pages: list[list[_Box]], heights: list[float]) -> set[str]:
    """Texts of the header/footer bands that occur on at least two pages (and
    on a third of them): running headers and footers."""
    seen: Counter[str] = Counter()
    for page in pages:
        if not page:
            continue
        top, bottom = max(b.y1 for b in page), min(b.y0 for b in page)
        span = max(top - bottom, 1.0)
        seen.update({_band_key(b.text) for b in page if _in_band(b, top, bottom, span)})
    need = max(2, len(pages) // 3)
    return {k for k, n in seen.items() if n >= need}


def _is_furniture(b: _Box, top: float, bottom: float, span: float, repeated: set[str]) -> bool:
    if not _in_band(b, top, bottom, span):
        return False
    return _PAGE_NUMBER.fullmatch(b.text.strip()) is not None or _band_key(b.text) in repeated


def _rows(boxes: list[_Box]) -> list[list[_Box]]:
    """Boxes grouped into visual rows (overlapping vertical middles), top to bottom."""
    rows: list[list[_Box]] = []
    for b in sorted(boxes, key=lambda b: (-b.mid, b.x0)):
        if rows:
            last = rows[-1][0]
            if abs(last.mid - b.mid) <= 0.4 * max(last.y1 - last.y0, b.y1 - b.y0):
                rows[-1].append(b)
                continue
        rows.append([b])
    for row in rows:
        row.sort(key=lambda b: b.x0)
    return rows


def _order_page(boxes: list[_Box], middle: float, page: int) -> list[TextLine]:
    """Rows top to bottom; a run of rows with nothing crossing the middle is read
    as two columns (left, then right), a run of rows crossing it line by line."""
    out: list[TextLine] = []
    block: list[list[_Box]] = []
    full: list[_Box] = []

    last: list[_Box | None] = [None]  # the box above the next block, for its first gap

    def flush_full() -> None:
        out.extend(_lines(full, page, last[0]))
        if full:
            last[0] = full[-1]
        full.clear()

    def flush_columns() -> None:
        left = [b for row in block for b in row if b.x1 <= middle + 2]
        right = [b for row in block for b in row if b.x1 > middle + 2]
        out.extend(_lines(left, page, last[0]))
        out.extend(_lines(right, page))
        if block:
            last[0] = block[-1][-1]
        block.clear()

    for row in _rows(boxes):
        if any(b.x0 < middle - 2 and b.x1 > middle + 2 for b in row):
            flush_columns()
            full.append(_merge(row))
        else:
            flush_full()
            block.append(row)
    flush_full()
    flush_columns()
    return out


def _merge(row: list[_Box]) -> _Box:
    text = " ".join(b.text for b in row)
    return _Box(row[0].x0, min(b.y0 for b in row), max(b.x1 for b in row), max(b.y1 for b in row), text,
                max(b.size for b in row))


def _lines(column: list[_Box], page: int, prev: _Box | None = None) -> list[TextLine]:
    """A column's boxes as lines, each marking whether a paragraph gap (a blank
    line's height) precedes it. A column or page starts without one: its first
    line mostly continues the paragraph the previous column ended with."""
    out: list[TextLine] = []
    for b in column:
        gap = False
        if prev is not None and b.y1 <= prev.y1:
            gap = (prev.y0 - b.y1) > 0.9 * max(prev.y1 - prev.y0, 1.0)
        out.append(TextLine(b.text, gap_before=gap, page=page, size=b.size))
        prev = b
    return out
