"""Pattern data files shipped with :mod:`kg.nlp` (``kg/nlp/data``), loaded once."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Iterator

from ..resources import data_file
from .textutil import fold


def _data(name: str) -> Path:
    return data_file("nlp", "data", name)


@functools.lru_cache(maxsize=None)
def load_patterns() -> dict:
    with _data("patterns.toml").open("rb") as fh:
        return tomllib.load(fh)


@functools.lru_cache(maxsize=None)
def load_links() -> dict:
    """Link cue data (``links.toml``): cue patterns and stems, windows, confidences."""
    with _data("links.toml").open("rb") as fh:
        return tomllib.load(fh)


def _pairs(name: str) -> Iterator[tuple[str, str]]:
    """The first two columns of each line of a tab-separated data file (blank and # lines skipped)."""
    for line in _data(name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split("\t")[:2]
            yield key, value.strip()


@functools.lru_cache(maxsize=None)
def load_heads() -> dict[str, str]:
    """Head word (folded) -> entity type."""
    return {fold(word): etype for word, etype in _pairs("heads.tsv")}


@functools.lru_cache(maxsize=1)
def load_lexicon() -> dict[str, str]:
    """Word -> "v" (a verb form), "r" (an adverb) or "n" (an action noun): ``lexicon.tsv``, the
    part-of-speech boundaries of lower-case noun phrases (:mod:`kg.nlp.lexicon`)."""
    return dict(_pairs("lexicon.tsv"))


@functools.lru_cache(maxsize=None)
def load_not_entities() -> frozenset[str]:
    """Folded phrases that are never entities on their own."""
    lines = _data("not_entities.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(fold(x) for x in lines if x.strip() and not x.startswith("#"))
