"""Fast regex matching anchored on literal stems.

Python's ``re`` tries every alternative of a big alternation at every
position of the text; for cue lists ("outperforms", "built on", ...) it is
much cheaper to find the literal stems with ``str.find`` (C speed) and run
the full pattern only where a stem occurs.
"""

from __future__ import annotations

import re


class StemScanner:
    """Yields matches of ``pattern`` that start at a word-initial occurrence of a stem.

    ``stems`` are lower-case literals that every match of ``pattern`` begins
    with (after case folding); the pattern is tried with ``match`` at each
    such position, so it must not need look-behind beyond a word boundary.
    """

    def __init__(self, stems: list[str], pattern: re.Pattern):
        self.stems = sorted({s.lower() for s in stems})
        self.pattern = pattern

    def finditer(self, text: str, lower: str | None = None) -> list[re.Match]:
        low = lower if lower is not None else text.lower()
        starts: set[int] = set()
        for stem in self.stems:
            i = low.find(stem)
            while i >= 0:
                if i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_"):
                    starts.add(i)
                i = low.find(stem, i + 1)
        out: list[re.Match] = []
        last_end = -1
        match = self.pattern.match
        for i in sorted(starts):
            if i < last_end:
                continue
            m = match(text, i)
            if m is not None and m.end() > m.start():
                out.append(m)
                last_end = m.end()
        return out


class KindScanner:
    """Non-overlapping matches of several named patterns ("kinds"), each tried only where one of its
    own stems begins a word; where several kinds' stems occur at one position, the kinds are tried
    in the order given and the first match wins (as one alternation of all kinds would)."""

    def __init__(self, kinds: list[tuple[str, list[str], re.Pattern]]):
        self.kinds = [(name, sorted({s.lower() for s in stems}), pattern) for name, stems, pattern in kinds]

    def finditer(self, text: str, lower: str | None = None) -> list[tuple[str, re.Match]]:
        low = lower if lower is not None else text.lower()
        at: dict[int, int] = {}  # position -> bit set of the kinds whose stems begin there
        for k, (_name, stems, _pattern) in enumerate(self.kinds):
            bit = 1 << k
            for stem in stems:
                i = low.find(stem)
                while i >= 0:
                    if i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_"):
                        at[i] = at.get(i, 0) | bit
                    i = low.find(stem, i + 1)
        out: list[tuple[str, re.Match]] = []
        last_end = -1
        for i in sorted(at):
            if i < last_end:
                continue
            bits = at[i]
            for k, (name, _stems, pattern) in enumerate(self.kinds):
                if bits >> k & 1:
                    m = pattern.match(text, i)
                    if m is not None and m.end() > m.start():
                        out.append((name, m))
                        last_end = m.end()
                        break
        return out
