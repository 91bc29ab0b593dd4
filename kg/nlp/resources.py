"""Pattern data files shipped with :mod:`kg.nlp` (``kg/nlp/data``), loaded once."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

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


@functools.lru_cache(maxsize=None)
def load_heads() -> dict[str, str]:
    """Head word (folded) -> entity type."""
    out: dict[str, str] = {}
    for line in _data("heads.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, etype = line.split("\t")[:2]
        out[fold(word)] = etype.strip()
    return out


@functools.lru_cache(maxsize=None)
def load_not_entities() -> frozenset[str]:
    """Folded phrases that are never entities on their own."""
    lines = _data("not_entities.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(fold(x) for x in lines if x.strip() and not x.startswith("#"))
