"""Byte-level input handling shared by every reader.

Readers never open files themselves: they consume ``(line_number, text)``
pairs from :func:`iter_lines`, which hides gzip, the UTF-8 BOM, CRLF line
ends and invalid UTF-8, so each reader only deals with its own format.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = b"\xef\xbb\xbf"

#: Share of replacement/control characters above which a line is treated as
#: binary garbage rather than text with a few bad bytes.
GARBLED_RATIO = 0.25

Line = tuple[int, str]


def is_gzip(path: Path) -> bool:
    """True when the file starts with the gzip magic bytes, whatever its suffix."""
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def open_binary(path: Path) -> BinaryIO:
    """Open ``path`` for binary reading, transparently decompressing gzip."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


def iter_lines(path: Path) -> Iterator[Line]:
    """Yield ``(1-based line number, text)`` with line ends and a leading BOM removed.

    Lines are split on b"\\n" only (not str.splitlines), so stray \\x0b, \\x1c or
    U+2028 characters inside a record cannot shift the line numbers we report.
    Each line is decoded on its own with errors="replace": one bad byte costs
    at most one record, never the rest of the file.
    """
    with open_binary(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            if lineno == 1 and raw.startswith(UTF8_BOM):
                raw = raw[len(UTF8_BOM):]
            text = raw.decode("utf-8", errors="replace")
            yield lineno, text.rstrip("\r\n")


# Characters that do not occur in real text: C0/C1 controls (tab, LF, CR
# excepted), the replacement character left by undecodable bytes, lone
# surrogates and private-use code points. A compiled class keeps the check at
# C speed: it runs on every line of every input.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff\ue000-\uf8ff]")


def is_garbled(text: str) -> bool:
    """True for a line that is binary junk: NULs, or mostly replacement/control chars."""
    if not _BAD_CHARS.search(text):
        return False
    s = text.strip()
    if not s:
        return False
    if "\x00" in s:
        return True
    return len(_BAD_CHARS.findall(s)) / len(s) > GARBLED_RATIO
