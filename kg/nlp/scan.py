"""Fast regex matching anchored on literal stems.

Python's ``re`` tries every alternative of a big alternation at every
position of the text; for cue lists ("outperforms", "built on", ...) it is
much cheaper to find where the literal stems begin a word (for every
scanner at once, one pass of a trie-shaped regex: :class:`_Stems`) and run
the full pattern only where a stem occurs.
"""

from __future__ import annotations

import re
import sys
from typing import Iterable, Iterator


class _Stems:
    r"""Where the stems of every scanner begin a word of one text, found for all scanners at once.

    Each scanner (:class:`_Owned`) registers its stem groups here; a text is one pass of one regex,
    at the start and after each ``\W`` (not a letter, digit or '_': ``\w`` is ``str.isalnum`` or
    '_'), a lookahead that captures the longest stem beginning there (a trie of all the stems
    whose every stem node is optional and greedy). Every stem that begins at a position is a prefix
    of the longest one, so the longest stem alone gives, through a table made once, the bit set of
    every scanner's groups there. The last text's bit sets are kept: the scanners run on one text in
    turn."""

    def __init__(self) -> None:
        self.stems: set[str] = set()
        self.owners: list[_Owned] = []
        self._re: re.Pattern | None = None
        self._re0: re.Pattern | None = None
        self._table: dict[str, tuple[tuple[int, int], ...]] = {}
        self._low: str | None = None
        self._bits: list[dict[int, int]] = []

    def add(self, owner: _Owned, stems: Iterable[str]) -> int:
        """Registers ``owner`` (its stems and bits in ``owner.groups``); returns its index."""
        self.stems |= {s for s in stems if s}
        self.owners.append(owner)
        self._re, self._low = None, None
        return len(self.owners) - 1

    def _compile(self) -> None:
        trie = _trie(self.stems, longest=True)
        # a word starts at 0 or right after a non-word character: re skips to each of those at C speed
        # (a pattern opening with a look-behind is tried at every position instead)
        self._re0 = re.compile(r"(?=(" + trie + "))")
        self._re = re.compile(r"\W(?=(" + trie + "))")
        per_owner: list[dict[str, int]] = []
        for owner in self.owners:
            bits: dict[str, int] = {}
            for k, stems in enumerate(owner.groups):
                for stem in stems:
                    if stem:
                        bits[stem] = bits.get(stem, 0) | 1 << k
            per_owner.append(bits)
        table: dict[str, tuple[tuple[int, int], ...]] = {}
        for longest in self.stems:
            prefixes = [longest[:n] for n in range(1, len(longest) + 1)]
            row = []
            for k, bits in enumerate(per_owner):
                b = 0
                for prefix in prefixes:
                    b |= bits.get(prefix, 0)
                if b:
                    row.append((k, b))
            table[longest] = tuple(row)
        self._table = table

    def bits(self, low: str) -> list[dict[int, int]]:
        """For each owner: position -> the bit set of its groups one of whose stems begins a word
        there (positions where none does are left out), in position order."""
        if low != self._low:
            if self._re is None:
                self._compile()
            out: list[dict[int, int]] = [{} for _ in self.owners]
            table = self._table
            m = self._re0.match(low)
            if m is not None:
                for k, b in table[m.group(1)]:
                    out[k][0] = b
            for m in self._re.finditer(low):  # (a match takes the one character before the word)
                i = m.start() + 1
                for k, b in table[m.group(1)]:
                    out[k][i] = b
            self._bits = out
            self._low = low
        return self._bits


def _trie(stems: Iterable[str], longest: bool = False) -> str:
    """A regex (no groups) matching the start of any string one of ``stems`` begins, shaped as a
    trie (a stem that another stem begins with is left out: it begins nowhere the other does not).
    With ``longest``, every stem is kept and the regex matches the longest stem that begins there
    (what follows a stem is an optional, greedy group)."""
    stems = {s for s in stems if s}
    if longest:
        chosen = sorted(stems)
    else:
        chosen = sorted(s for s in stems if not any(o != s and s.startswith(o) for o in stems))

    def alternation(suffixes: list[str]) -> str:
        by_first: dict[str, list[str]] = {}
        for suffix in suffixes:
            by_first.setdefault(suffix[0], []).append(suffix[1:])
        alts = []
        for c, rest in sorted(by_first.items()):
            more = [r for r in rest if r]
            if not more:
                alts.append(re.escape(c))
            elif "" not in rest:
                alts.append(re.escape(c) + alternation(more))
            elif longest:
                alts.append(re.escape(c) + "(?:" + alternation(more) + ")?")
            else:  # a stem ends here: nothing after it is needed
                alts.append(re.escape(c))
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return alternation(chosen) if chosen else "(?!)"


_STEMS = _Stems()


class _Owned:
    """Which of a scanner's stem groups (bits) begin at a position of ``low``."""

    def __init__(self, groups: list[list[str]]) -> None:
        self.groups = [sorted(set(stems)) for stems in groups]
        self.index = _STEMS.add(self, (s for stems in self.groups for s in stems))

    def bits(self, low: str) -> dict[int, int]:
        """position -> the bit set of the groups one of whose stems begins a word there (a dict
        shared with the other callers of this text: not to be changed)."""
        return _STEMS.bits(low)[self.index]


class StemScanner:
    """Yields matches of ``pattern`` that start at a word-initial occurrence of a stem.

    ``stems`` are lower-case literals that every match of ``pattern`` begins
    with (after case folding); the pattern is tried with ``match`` at each
    such position, so it must not need look-behind beyond a word boundary.
    """

    def __init__(self, stems: list[str], pattern: re.Pattern):
        self.stems = sorted({s.lower() for s in stems})
        self.pattern = pattern
        self._owned = _Owned([self.stems])

    def finditer(self, text: str, lower: str | None = None) -> list[re.Match]:
        low = lower if lower is not None else text.lower()
        out: list[re.Match] = []
        last_end = -1
        match = self.pattern.match
        for i in self._owned.bits(low):
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
        self._owned = _Owned([stems for _name, stems, _pattern in self.kinds])

    def finditer(self, text: str, lower: str | None = None) -> list[tuple[str, re.Match]]:
        low = lower if lower is not None else text.lower()
        out: list[tuple[str, re.Match]] = []
        last_end = -1
        for i, bits in self._owned.bits(low).items():
            if i < last_end:
                continue
            for k, (name, _stems, pattern) in enumerate(self.kinds):
                if bits >> k & 1:
                    m = pattern.match(text, i)
                    if m is not None and m.end() > m.start():
                        out.append((name, m))
                        last_end = m.end()
                        break
        return out


# -- patterns that skip the text they cannot match -------------------------------------------------
# Python's ``re`` has no pre-filter for a pattern that starts with a look-behind, a word boundary or
# a case-insensitive group: it runs the whole pattern at every position of the text, some 100-200 µs
# an abstract for the extractor's bigger patterns. :class:`FastPattern` reads two facts off the
# parsed pattern: literal strings one of which every match contains (when the text holds none, the
# pattern is not run at all) and literal strings one of which every match starts with (then the
# pattern is tried only where one of them occurs, ``str.find`` finding them at C speed). Both are
# derived from the pattern itself, so editing a pattern in patterns.toml needs no second edit; the
# matches are the same as the pattern's own, in the same order (tests/test_nlp_scan.py).

import re._constants as _c  # noqa: E402
import re._parser as _p  # noqa: E402

_CAP = 48  # at most this many alternative strings a fact (more would cost more than they save)
# the characters other than ASCII letters that a case-insensitive ASCII letter matches ('İ', 'ı',
# 'ſ', the Kelvin sign; tests/test_nlp_scan.py checks the list): a text holding one is matched by
# the pattern itself
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
_FOLDS_TO_ASCII = re.compile(f"[{FOLDS_TO_ASCII}]")
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)
# A fact is (strings, whether they are lower-cased and looked for in the lower-cased text), or None.


def _icase(flags: int) -> bool:
    return bool(flags & _c.SRE_FLAG_IGNORECASE)


def _fixed(op, av, flags: int):
    """The strings one item matches exactly (a literal, a small class of literals, a group or
    alternation of such), as (strings, case-insensitive); None otherwise."""
    if op is _c.LITERAL:
        ch = chr(av)
        if _icase(flags):
            if not ch.isascii():
                return None
            return frozenset({ch.lower()}), ch.lower() != ch.upper()
        return frozenset({ch}), False
    if op is _c.IN:
        chars: set[str] = set()
        icase = False
        for iop, iav in av:
            if iop is not _c.LITERAL:
                return None
            got = _fixed(iop, iav, flags)
            if got is None:
                return None
            chars |= got[0]
            icase |= got[1]
        return (frozenset(chars), icase) if 0 < len(chars) <= 8 else None
    if op is _c.SUBPATTERN:
        _group, add, delete, sub = av
        got = _seq_prefix(sub.data, (flags | add) & ~delete)
        return (got[0], got[1]) if got is not None and got[2] else None
    if op is _c.BRANCH:
        out: set[str] = set()
        icase = False
        for alt in av[1]:
            got = _seq_prefix(alt.data, flags)
            if got is None or not got[2]:
                return None
            out |= got[0]
            icase |= got[1]
        return (frozenset(out), icase) if len(out) <= _CAP else None
    return None


def _join(left: tuple[frozenset[str], bool], right: tuple[frozenset[str], bool]):
    icase = left[1] or right[1]
    a = {s.lower() for s in left[0]} if icase else left[0]
    b = {s.lower() for s in right[0]} if icase else right[0]
    out = frozenset(x + y for x in a for y in b)
    return (out, icase) if len(out) <= _CAP else None


def _seq_prefix(items, flags: int):
    """(strings, case-insensitive, complete): every match of the item sequence starts with one of
    the strings (complete: is one of them); None when nothing is known."""
    acc: tuple[frozenset[str], bool] = (frozenset({""}), False)
    for k, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            continue
        fixed = _fixed(op, av, flags)
        if fixed is not None:
            joined = _join(acc, fixed)
            if joined is None:
                break
            acc = joined
            continue
        start = _item_prefix(op, av, flags)
        if start is None and op in _REPEATS and av[0] == 0:
            # an optional item ("(?:NVIDIA\s+)?GPU"): a match starts with it or with what follows
            start = _union([_seq_prefix(av[2].data, flags), _seq_prefix(items[k + 1:], flags)])
        if start is not None:
            joined = _join(acc, start)
            if joined is not None:
                acc = joined
        break
    else:
        return (*acc, True) if "" not in acc[0] else None
    return (*acc, False) if "" not in acc[0] else None


def _item_prefix(op, av, flags: int):
    """Strings every match of one (not fixed) item starts with."""
    if op is _c.SUBPATTERN:
        _group, add, delete, sub = av
        got = _seq_prefix(sub.data, (flags | add) & ~delete)
    elif op is _c.BRANCH:
        return _union([_seq_prefix(alt.data, flags) for alt in av[1]])
    elif op in _REPEATS and av[0] >= 1:
        got = _seq_prefix(av[2].data, flags)
    else:
        return None
    return (got[0], got[1]) if got is not None else None


def _union(parts: list):
    """The fact of an alternation: its alternatives' strings together (None when one has none)."""
    if any(p is None for p in parts):
        return None
    icase = any(p[1] for p in parts)
    strings = frozenset(s.lower() if icase else s for p in parts for s in p[0])
    return (strings, icase) if len(strings) <= _CAP else None


def _better(a, b):
    """The rarer-looking of two facts: longer shortest string, then fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    ka = (min(map(len, a[0])), -len(a[0]))
    kb = (min(map(len, b[0])), -len(b[0]))
    return a if ka >= kb else b


def _needed(items, flags: int):
    """Strings one of which every match of the item sequence contains."""
    best = None
    run: tuple[frozenset[str], bool] | None = None
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        fixed = _fixed(op, av, flags)
        if fixed is not None:
            joined = fixed if run is None else _join(run, fixed)
            if joined is None:  # too many strings: the run so far is one fact, a new run starts
                best, joined = _better(best, run), fixed
            run = joined
            continue
        best = _better(best, run)
        run = None
        best = _better(best, _item_needed(op, av, flags))
    return _better(best, run)


def _item_needed(op, av, flags: int):
    if op is _c.SUBPATTERN:
        _group, add, delete, sub = av
        return _needed(sub.data, (flags | add) & ~delete)
    if op is _c.BRANCH:
        return _union([_needed(alt.data, flags) for alt in av[1]])
    if op in _REPEATS and av[0] >= 1:
        return _needed(av[2].data, flags)
    return None


def _after_no_word(pattern: re.Pattern) -> bool:
    r"""Whether the pattern opens with a look-behind that no word character may precede
    (``(?<![\w-])``): it then matches only where :class:`_Stems` looks. (Lower-casing keeps a
    character a word character or not: ``_lower`` gives up on the one that lower-cases to two.)"""
    parsed = _p.parse(pattern.pattern, pattern.flags)
    if not parsed.data or parsed.data[0][0] is not _c.ASSERT_NOT or parsed.data[0][1][0] != -1:
        return False
    inner = parsed.data[0][1][1].data
    return (len(inner) == 1 and inner[0][0] is _c.IN
            and any(op is _c.CATEGORY and av is _c.CATEGORY_WORD for op, av in inner[0][1])
            and not any(op is _c.NEGATE for op, _ in inner[0][1]))


def pattern_facts(pattern: re.Pattern):
    """(needed, starts) of a compiled str pattern: see :class:`FastPattern`. Either may be None."""
    if not isinstance(pattern.pattern, str) or pattern.flags & (_c.SRE_FLAG_LOCALE | re.ASCII):
        return None, None
    parsed = _p.parse(pattern.pattern, pattern.flags)
    flags = parsed.state.flags
    if parsed.getwidth()[0] == 0:  # an empty match is possible: nothing is needed
        return None, None
    got = _seq_prefix(parsed.data, flags)
    starts = (got[0], got[1]) if got is not None else None
    needed = _better(_needed(parsed.data, flags), starts)
    return needed, starts


class FastPattern:
    """A compiled pattern with the same ``finditer``/``search`` results, found faster (see above);
    every other attribute is the pattern's own.

    ``starts`` are used only when they are rarer than word starts (not single characters)."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.re = pattern
        self.match = pattern.match
        self.pattern = pattern.pattern
        self.groupindex = pattern.groupindex
        needed, starts = pattern_facts(pattern)
        self.needed = (tuple(sorted(needed[0])), needed[1]) if needed else None
        self.starts = (tuple(sorted(starts[0])), starts[1]) if starts and min(map(len, starts[0])) >= 2 else None
        # a pattern that cannot match right after a word character, with lower-cased starts: its
        # candidates come from the scanners' shared pass (_Stems) instead of a str.find per start
        self._owned = _Owned([list(self.starts[0])]) if self.starts and self.starts[1] and _after_no_word(pattern) \
            else None
        self._text: str | None = None
        self._ok = True
        self._alternatives: tuple | bool | None = None  # for occurs_in

    def __getattr__(self, name: str):
        return getattr(self.re, name)

    def _possible(self, text: str) -> bool:
        """False when ``text`` holds none of the needed strings (so the pattern cannot match)."""
        if text is self._text:
            return self._ok
        ok = True
        if self.needed is not None:
            strings, icase = self.needed
            if icase:
                low = _lower(text)
                ok = low is None or any(s in low for s in strings)
            else:
                ok = any(s in text for s in strings)
        self._text, self._ok = text, ok
        return ok

    def _starts(self, text: str, pos: int, endpos: int) -> list[int] | None:
        """Sorted positions in [pos, endpos) where a match may start; None: anywhere."""
        if self.starts is None:
            return None
        strings, icase = self.starts
        hay = _lower(text) if icase else text
        if hay is None:
            return None
        if self._owned is not None:
            return [i for i in self._owned.bits(hay) if pos <= i < endpos]
        at: set[int] = set()
        find = hay.find
        for s in strings:
            i = find(s, pos, endpos)
            while i >= 0:
                at.add(i)
                i = find(s, i + 1, endpos)
        return sorted(at)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match]:
        if not self._possible(text):
            return iter(())
        starts = self._starts(text, pos, endpos)
        if starts is None:
            return self.re.finditer(text, pos, endpos)
        return self._scan(text, starts, endpos)

    def _scan(self, text: str, starts: list[int], endpos: int) -> Iterator[re.Match]:
        match = self.re.match
        last_end = -1
        for i in starts:
            if i < last_end:
                continue
            m = match(text, i, endpos)
            if m is not None:  # never empty: the pattern's shortest match is not
                yield m
                last_end = m.end()

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        if not self._possible(text):
            return None
        starts = self._starts(text, pos, endpos)
        if starts is None:
            return self.re.search(text, pos, endpos)
        match = self.re.match
        for i in starts:
            m = match(text, i, endpos)
            if m is not None:
                return m
        return None

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list:
        if not self._possible(text):
            return []
        return self.re.findall(text, pos, endpos)

    def occurs_in(self, text: str) -> bool:
        """Whether the pattern matches somewhere in ``text`` (``search(text) is not None``): a
        top-level alternation ("[A-Z]\\d|Jetson|DGX") is searched one alternative at a time, each
        a FastPattern, so literal ones cost a ``str`` search and the others get re's own
        pre-filter for a pattern that starts with a character class."""
        if self._alternatives is None:
            self._alternatives = _split_alternatives(self.re)
        if self._alternatives is False:
            return self.search(text) is not None
        literals, others = self._alternatives
        return any(s in text for s in literals) or any(alt.search(text) is not None for alt in others)


def _split_alternatives(pattern: re.Pattern):
    """(plain strings, other alternatives) of a top-level alternation (:func:`top_alternatives`),
    False for any other pattern."""
    alternatives = top_alternatives(pattern)
    if not alternatives:
        return False
    literals: list[str] = []
    others: list = []
    for alt in alternatives:
        parsed = _p.parse(alt.pattern, alt.flags)
        if not _icase(parsed.state.flags) and all(op is _c.LITERAL for op, _ in parsed.data):
            literals.append("".join(chr(av) for _, av in parsed.data))
        else:
            alt = _occurrence_form(alt)
            fast = FastPattern(alt)
            others.append(fast if fast.needed or fast.starts else alt)
    return tuple(literals), others


# a leading "[class]{1,n}" (or "+"): some text holds "[class]{1,n}R" exactly when it holds "[class]R"
# (take the last character of the run), and re pre-filters a pattern that starts with a class
_LEADING_RUN = re.compile(r"(\[\^?\]?(?:\\.|[^\]\\])*\])(?:\{1,\d*\}|\+)(?![+?])(?=.)", re.S)


def _occurrence_form(alt: re.Pattern) -> re.Pattern:
    """A pattern that occurs in the same texts as ``alt`` and that re searches faster."""
    m = _LEADING_RUN.match(alt.pattern)
    return re.compile(m.group(1) + alt.pattern[m.end():], alt.flags) if m else alt


def top_alternatives(pattern: re.Pattern) -> list[re.Pattern]:
    """The alternatives of a pattern that is a top-level alternation without groups, each compiled
    on its own ([] for any other pattern). A verbose pattern (comments may hold "|") and one whose
    inline flags are not the same in every alternative are left whole."""
    src = pattern.pattern
    if not isinstance(src, str) or pattern.groups or pattern.flags & re.VERBOSE:
        return []
    pieces: list[str] = []
    depth = start = i = 0
    in_class = False
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 1 + (src[i + 1:i + 2] == "^")
            if src[i:i + 1] == "]":  # a "]" first in a class is a literal
                i += 1
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            pieces.append(src[start:i])
            start = i + 1
        i += 1
    pieces.append(src[start:])
    if len(pieces) < 2:
        return []
    try:
        compiled = [re.compile(piece, pattern.flags) for piece in pieces]
    except re.error:
        return []
    return compiled if all(c.flags == pattern.flags for c in compiled) else []


_last_lower: tuple[str, str | None] = ("", "")


def _lower(text: str) -> str | None:
    """``text.lower()``, position for position, or None when lower-casing would not be the
    pattern's own case-insensitive matching (a character folding to an ASCII letter, or one that
    lower-cases to two): the pattern is then run as it is. The last text's is kept."""
    global _last_lower
    if _last_lower[0] is text:
        return _last_lower[1]
    low: str | None = text.lower()
    if not text.isascii() and (len(low) != len(text) or _FOLDS_TO_ASCII.search(text)):
        low = None
    _last_lower = (text, low)
    return low
