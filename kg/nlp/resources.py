"""Pattern data files shipped with :mod:`kg.nlp` (``kg/nlp/data``), loaded once."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from .textutil import fold

DATA_DIR = Path(__file__).resolve().parent / "data"


@functools.lru_cache(maxsize=None)
def load_patterns() -> dict:
    with (DATA_DIR / "patterns.toml").open("rb") as fh:
        return tomllib.load(fh)


@functools.lru_cache(maxsize=None)
def load_heads() -> dict[str, str]:
    """Head word (folded) -> entity type."""
    out: dict[str, str] = {}
    for line in (DATA_DIR / "heads.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, etype = line.split("\t")[:2]
        out[fold(word)] = etype.strip()
    return out


@functools.lru_cache(maxsize=None)
def load_not_entities() -> frozenset[str]:
    """Folded phrases that are never entities on their own."""
    lines = (DATA_DIR / "not_entities.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(fold(x) for x in lines if x.strip() and not x.startswith("#"))
