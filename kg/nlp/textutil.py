"""A memoised :func:`kg.text.fold`: the extractor folds the same few thousand strings over and over."""

from __future__ import annotations

import functools

from kg.text import fold as _fold

fold = functools.lru_cache(maxsize=1 << 16)(_fold)


def _joins(ch: str) -> bool:
    """Whether ``ch`` continues a word for :func:`word_spans`: what ``[\\w-]`` matches."""
    return ch.isalnum() or ch == "_" or ch == "-"


def _word_char(ch: str) -> bool:
    """What ``\\w`` matches: a hyphen ends a word here, as at ``\\b``."""
    return ch.isalnum() or ch == "_"


def word_spans(text: str, word: str, start: int = 0, right: bool = True, hyphen: bool = True):
    """(start, end) of each occurrence of ``word`` in ``text[start:]`` that no word character or hyphen
    precedes (nor, with ``right``, follows): ``re.finditer(rf"(?<![\\w-]){re.escape(word)}(?![\\w-])")``
    without a pattern compiled per name and text, which the extractor's rules would otherwise do for
    every paper (re's cache holds 512 patterns; the names of a corpus are many more). With
    ``hyphen=False`` a hyphen bounds a word, as ``\\b`` does around a name of word characters."""
    joins = _joins if hyphen else _word_char
    n = len(word)
    if not n:
        return
    i = text.find(word, start)
    while i >= 0:
        e = i + n
        if (i == 0 or not joins(text[i - 1])) and (not right or e == len(text) or not joins(text[e])):
            yield i, e
            i = text.find(word, e)
        else:
            i = text.find(word, i + 1)


def has_word(text: str, word: str, hyphen: bool = True) -> bool:
    """Whether ``word`` occurs in ``text`` as a whole word (see :func:`word_spans`)."""
    return next(word_spans(text, word, hyphen=hyphen), None) is not None
