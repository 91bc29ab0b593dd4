"""Acronym definitions, after Schwartz & Hearst (2003).

A. S. Schwartz and M. A. Hearst, "A simple algorithm for identifying
abbreviation definitions in biomedical text", Pacific Symposium on
Biocomputing 8:451-462, 2003.

Both directions are handled:

* ``long form (SF)`` — "Low-Rank Adaptation (LoRA)", the paper's main case;
* ``SF (long form)`` — "LoRA (Low-Rank Adaptation)", tried when the
  parenthesis holds more than two words, as the paper describes.

Everything works on plain strings and character offsets, so a spaCy
component only wraps :func:`find_abbreviations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import load_patterns

_PAREN = re.compile(r"\(([^()]{1,100})\)")
_WORD = re.compile(r"[^\s]+")
_QUOTES = "'\"`‘’“”"


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """One definition: short form and long form with char offsets into the text.

    ``text[long_start:long_end]`` is the long form as written, except for
    coordinated definitions ("Dense and Sparse Token Routing (DTR and
    STR)") where the first long form is only partly contiguous: its span
    then covers the distinct first word.
    """

    short: str
    short_start: int
    short_end: int
    long: str
    long_start: int
    long_end: int
    #: the long form explains only the short form's last part ("an activation space Foo KAN (F-KAN)"):
    #: the entity is named by its short form, the long form is its alias
    by_short: bool = False


def is_short_form_candidate(s: str) -> bool:
    """S&H conditions: 2-10 chars, at most two words, a letter first-ish, some capital."""
    if not 2 <= len(s) <= 10 or len(s.split()) > 2:
        return False
    if any(c in s for c in "\\{}^=$_"):
        return False
    if not s[0].isalnum():
        return False
    if not any(c.isalpha() for c in s):
        return False
    # our addition for ML text: an acronym has a capital letter ("LoRA", "MoE")
    return any(c.isupper() for c in s)


def best_long_form(short: str, long: str) -> str | None:
    """The S&H ``findBestLongForm``: match short-form characters right to left.

    Every alphanumeric character of ``short`` must occur in ``long`` in order,
    and the first one must begin a word. Returns the shortest suffix of
    ``long`` that satisfies this, or None.
    """
    s_idx = len(short) - 1
    l_idx = len(long) - 1
    while s_idx >= 0:
        ch = short[s_idx].lower()
        if not ch.isalnum():
            s_idx -= 1
            continue
        while l_idx >= 0 and (
            long[l_idx].lower() != ch or (s_idx == 0 and l_idx > 0 and long[l_idx - 1].isalnum())
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = max(long.rfind(" ", 0, l_idx + 1), long.rfind("(", 0, l_idx + 1)) + 1
    return long[start:]


def _digitless(short: str) -> str:
    """"E2GC" -> "EGC", "L2P" -> "LP": a digit inside an acronym often stands for a word ("to") or a
    square ("energy-efficient"), not a letter of the long form."""
    return short[0] + "".join(c for c in short[1:] if not c.isdigit())


#: words that open the noun phrase a truncated long form is cut from (the phrase starts after them)
_PHRASE_OPENERS = frozenset("a an the our this these its their we new novel simple propose proposes proposed "
                            "introduce introduces introduced present presents presented call called named "
                            "of for with by to in on and or using via is are".split())


def truncated_long_form(short: str, words: list[str]) -> str | None:
    """A short form whose last hyphen part is the last word before it ("... Foo KAN (F-KAN)") names
    the phrase that ends there, though its first part's letters are not all in it: the phrase from
    after its determiner or verb, two to five words."""
    prefix, sep, last = short.rpartition("-")
    if not sep or not prefix or len(last) < 2 or not words or words[-1] != last:
        return None
    phrase: list[str] = []
    for w in reversed(words):
        if w.lower() in _PHRASE_OPENERS or not w[:1].isalnum() or len(phrase) >= 5:
            break
        phrase.insert(0, w)
    return " ".join(phrase) if len(phrase) >= 2 else None


def _max_words(short: str) -> int:
    n = len(short)
    return min(n + 5, n * 2)


def _clean_short(inner: str) -> str:
    # "(MoE; Shazeer et al.)" / "(MoE, 2017)" -> "MoE"; "(FooQA, BarQA, BazQA)" is a list
    parts = [p.strip() for p in inner.split(",")]
    if len(parts) >= 2 and not re.search(r"\d{4}|et al", parts[1]):
        return ""
    for sep in (";", ","):
        if sep in inner:
            inner = inner.split(sep, 1)[0]
    return inner.strip()


def _validate(short: str, long: str) -> bool:
    if not long or len(long) <= len(short):
        return False
    if short.lower() in long.lower().split():
        return False
    words = long.split()
    if len(words) > _max_words(short):
        return False
    # a long form is one noun phrase: it crosses no comma or clause boundary ("X, sorts Y, unlike Z (SF)")
    if any(c in long for c in ".,;:!?\\{}^=<>()[]|$_"):
        return False
    return long[0].isalnum()


@lru_cache(maxsize=1)
def _skip() -> tuple[str, ...]:
    """Parenthesis contents that hold no short form (``[abbreviations] skip`` in patterns.toml)."""
    return tuple(load_patterns()["abbreviations"]["skip"])


def find_abbreviations(text: str) -> list[Abbreviation]:
    """All acronym definitions in ``text``, both directions, in text order."""
    out: list[Abbreviation] = []
    skip = _skip()
    for m in _PAREN.finditer(text):
        inner_raw = m.group(1)
        inner = _clean_short(inner_raw)
        low = inner.lower()
        if not inner or any(k in low for k in skip):
            continue
        i0 = m.start(1) + (inner_raw.find(inner) if inner else 0)
        # direction 1: long form (SF)
        if is_short_form_candidate(inner):
            ab = _long_form_before(text, m.start(), inner, i0)
            if ab is not None:
                out.append(ab)
                continue
        # coordinated: "Dense and Sparse Token Routing (DTR and STR)"
        coord = _coordinated_paren(text, m, inner_raw)
        if coord is not None:
            out.extend(coord)
            continue
        # direction 2: SF (long form)
        ab = _short_form_before(text, m.start(), inner, i0)
        if ab is not None:
            out.append(ab)
    return out


def _clause_words_before(text: str, paren: int, short: str) -> list[str]:
    """The last words before the parenthesis at ``paren``, within its sentence or clause: a long form never
    reaches back over a sentence end, so the candidate words stop at the nearest boundary."""
    window_start = max(0, paren - 200)
    before = text[window_start:paren]
    # (a sentence or clause ends after ". " / "; ", a line, such as the title, after "\n": the
    # long form may open the abstract, "Foo learning (FL) is ...")
    cut = max(before.rfind(". ") + 2 if ". " in before else 0, before.rfind("; ") + 2 if "; " in before else 0,
              before.rfind("\n") + 1)  # (no boundary: the window's start, not its second character)
    if cut > 0:
        before = before[cut:]
    words = [w.strip(_QUOTES) for w in before.rstrip().split()]
    return [w for w in words if w][-_max_words(short) :]


def _match_long_form(short: str, words: list[str]) -> tuple[str | None, bool]:
    """The long form that ``words`` end with for ``short``, and whether it was found from a truncated short form.
    Tried in turn: the letters as written; without their digits ("FN2" for "Foo Net"), since a version
    number has no word in the long form; the truncated-short-form match last."""
    cand = " ".join(words)
    lf = best_long_form(short, cand)
    if lf is None and any(c.isdigit() for c in short[1:]) and sum(c.isalpha() for c in short) >= 2:
        lf = best_long_form(_digitless(short), cand)
    if lf is None:
        lf = truncated_long_form(short, words)
        return lf, lf is not None
    return lf, False


def _locate_long_form(text: str, paren: int, lf: str) -> tuple[int, int] | None:
    """Where the long form ``lf`` ends right before the parenthesis at ``paren``: the matched words were
    joined by single spaces, while the text may break them over lines or several spaces."""
    end = paren
    while end > 0 and text[end - 1].isspace():
        end -= 1
    pat = r"\s+".join(re.escape(w) for w in lf.split())
    mm = None
    for mm in re.finditer(pat, text[max(0, end - len(lf) - 50) : end]):
        pass
    if mm is None:
        return None
    base = max(0, end - len(lf) - 50)
    return base + mm.start(), base + mm.end()


def _long_form_before(text: str, paren: int, inner: str, i0: int) -> Abbreviation | None:
    """Direction 1, "long form (SF)": the short form in the parenthesis, its long form in the words before it;
    None when no valid long form is found there, so that the other directions are tried."""
    words = _clause_words_before(text, paren, inner)
    lf, by_short = _match_long_form(inner, words)
    if not (lf and _validate(inner, lf)):
        return None
    span = _locate_long_form(text, paren, lf)
    if span is None:
        return None
    ls, le = span
    return Abbreviation(inner, i0, i0 + len(inner), text[ls:le], ls, le, by_short)


def _coordinated_paren(text: str, m: re.Match, inner_raw: str) -> list[Abbreviation] | None:
    """Two short forms joined by "and" define two long forms that share their tail ("Dense and Sparse Token
    Routing (DTR and STR)"). None when the parenthesis is not such a pair; a pair whose long forms are not found
    gives an empty list, and the parenthesis is not read the other way round either."""
    cm = re.fullmatch(r"(\S+)\s+and\s+(\S+)", inner_raw.strip())
    if not (cm and is_short_form_candidate(cm.group(1)) and is_short_form_candidate(cm.group(2))):
        return None
    return _coordinated(text, m.start(), cm.group(1), cm.group(2), m.start(1) + inner_raw.find(cm.group(1)), m.start(1) + inner_raw.rfind(cm.group(2)))


def _short_form_before(text: str, paren: int, inner: str, i0: int) -> Abbreviation | None:
    """Direction 2, "SF (long form)": the parenthesis holds the long form, so it must be more than two words
    (or two long ones: a pair of short words is more likely a second acronym), and the word before it the short
    form; the long form must be the whole parenthesis, not a part of it."""
    if not (len(inner.split()) > 2 or (len(inner.split()) == 2 and len(inner) > 10)):
        return None
    wm = re.search(r"([^\s(]+)\s*$", text[:paren])
    if wm is None:
        return None
    sf = wm.group(1).rstrip(",")
    if not is_short_form_candidate(sf):
        return None
    lf = best_long_form(sf, inner)
    if lf and lf == inner and _validate(sf, lf):
        return Abbreviation(sf, wm.start(1), wm.start(1) + len(sf), inner, i0, i0 + len(inner))
    return None


_COORD = re.compile(r"([\w][\w\-]*)\s+and\s+([\w][\w\-]*)((?:\s+[\w][\w\-]*){1,4})\s*$")


def _coordinated(text: str, paren: int, s1: str, s2: str, s1_start: int, s2_start: int) -> list[Abbreviation]:
    m = _COORD.search(text, max(0, paren - 150), paren)
    if m is None:
        return []
    w1, w2, rest = m.group(1), m.group(2), m.group(3)
    rest_words = rest.split()
    for k in range(len(rest_words), 0, -1):  # shortest shared tail that explains both acronyms
        tail = " ".join(rest_words[-k:])
        l1, l2 = f"{w1} {tail}", f"{w2} {tail}"
        if best_long_form(s1, l1) == l1 and best_long_form(s2, l2) == l2:
            if k != len(rest_words):
                continue  # the shared words must follow the coordinated pair directly
            return [
                Abbreviation(s1, s1_start, s1_start + len(s1), l1, m.start(1), m.end(1)),
                Abbreviation(s2, s2_start, s2_start + len(s2), l2, m.start(2), m.end(3)),
            ]
    return []
