"""kg.nlp.textutil's whole-word search stands in for regexes the rules would compile per name and paper:
it must find exactly what those patterns find."""

import random
import re

import pytest

from kg.nlp.textutil import has_word, word_spans

ALPHABET = "ab-_ .é1A,"


def _cases(n: int, seed: int):
    rnd = random.Random(seed)
    for _ in range(n):
        text = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 14)))
        word = "".join(rnd.choice("abAé1-") for _ in range(rnd.randint(1, 3)))
        yield text, word


@pytest.mark.parametrize(
    "hyphen, pattern",
    [(True, r"(?<![\w-]){}(?![\w-])"), (False, r"(?<!\w){}(?!\w)")],
    ids=["hyphen-joins-words", "hyphen-bounds-words"],
)
def test_word_spans_find_what_the_lookaround_pattern_finds(hyphen, pattern):
    for text, word in _cases(20000, seed=7):
        expected = [m.span() for m in re.finditer(pattern.format(re.escape(word)), text)]
        assert list(word_spans(text, word, hyphen=hyphen)) == expected, (text, word)
        assert has_word(text, word, hyphen=hyphen) is bool(expected)


def test_hyphen_bounds_a_name_only_when_asked():
    assert has_word("the FN-based model", "FN", hyphen=False)
    assert not has_word("the FN-based model", "FN")
    assert not has_word("the FNs model", "FN", hyphen=False)
