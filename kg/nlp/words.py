"""Closed word lists of academic English (``data/words.toml``), with verb inflections generated."""

from __future__ import annotations

import functools
import tomllib

from ..resources import data_file


@functools.lru_cache(maxsize=1)
def load_words() -> dict[str, list[str]]:
    with data_file("nlp", "data", "words.toml").open("rb") as fh:
        return tomllib.load(fh)


def inflections(verb: str) -> set[str]:
    """A regular verb's forms: "study" -> study, studies, studied, studying."""
    out = {verb}
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        out |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2:-1] not in "aeiou":
        out |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith(("s", "sh", "ch", "x", "z")):
        out |= {verb + "es", verb + "ed", verb + "ing"}
    else:
        out |= {verb + "s", verb + "ed", verb + "ing"}
    return out


@functools.lru_cache(maxsize=1)
def non_term_words() -> frozenset[str]:
    """Words that cannot begin or sit inside a lower-case term: evaluative, degree and number words, and
    the inflected forms of academic verbs ("enhances", "improved"), and their base forms unless the
    base is also a noun (``noun_verbs``: "design", "control"); -ing forms are :func:`verb_gerunds`."""
    w = load_words()
    verbs = frozenset(f for v in w["academic_verbs"] for f in inflections(v) if f != v and not f.endswith("ing"))
    bases = frozenset(w["academic_verbs"]) - frozenset(w["noun_verbs"])
    return verbs | bases | frozenset(x.lower() for x in (*w["evaluative"], *w["numbers"]))


@functools.lru_cache(maxsize=1)
def verb_forms() -> frozenset[str]:
    """Every form of the academic verbs that is a verb wherever it stands: the inflections, and the base
    forms that are no nouns (not ``noun_verbs``), and the -ing forms that are no nouns."""
    w = load_words()
    forms = frozenset(f for v in w["academic_verbs"] for f in inflections(v) if f != v and not f.endswith("ing"))
    return forms | (frozenset(w["academic_verbs"]) - frozenset(w["noun_verbs"])) | verb_gerunds()


@functools.lru_cache(maxsize=1)
def verb_gerunds() -> frozenset[str]:
    """The -ing forms of academic verbs that are verbs, not nouns: "enhancing", "enabling" (not
    "training", ``gerund_nouns`` in words.toml)."""
    w = load_words()
    nouns = frozenset(w["gerund_nouns"])
    return frozenset(f for v in w["academic_verbs"] for f in inflections(v) if f.endswith("ing") and f not in nouns)


@functools.lru_cache(maxsize=1)
def number_words() -> frozenset[str]:
    """Number and quantity words ("two", "dozens", "multiple")."""
    return frozenset(w.lower() for w in load_words()["numbers"])


@functools.lru_cache(maxsize=1)
def term_participles() -> frozenset[str]:
    """-ed words that are part of technical terms ("supervised pebble tuning", "masked gravel modeling")."""
    return frozenset(load_words()["term_participles"])


@functools.lru_cache(maxsize=1)
def metric_acronyms() -> frozenset[str]:
    return frozenset(load_words()["metric_acronyms"])


@functools.lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """Language and nationality words (capitalised modifiers, not names)."""
    return frozenset(load_words()["languages"])


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words no capitalised-only spelling of a mixed-case name may become."""
    return frozenset(load_words()["english_words"])


@functools.lru_cache(maxsize=1)
def english_names() -> frozenset[str]:
    """Vocabulary names that are English words when lower-cased: matched only as written."""
    return frozenset(load_words()["english_names"])
