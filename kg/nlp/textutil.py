"""A memoised :func:`kg.text.fold`: the extractor folds the same few thousand strings over and over."""

from __future__ import annotations

import functools

from kg.text import fold as _fold

fold = functools.lru_cache(maxsize=1 << 16)(_fold)
