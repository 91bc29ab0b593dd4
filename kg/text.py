"""Small text helpers shared by every stage: folding, slugs, stable hashes."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

# A dot between two digits is a decimal point ("1.3B" is not "13B"); any other dot folds away.
_SEP = re.compile(r"[\s\-‐‑‒–—_/·]+|(?<!\d)\.+|\.+(?!\d)")
_SLUG_DROP = re.compile(r"[^a-z0-9+]+")
_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"


@functools.lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Fold a name the way shared/eval/GUIDE.md matches names.

    Case, hyphens and spaces are folded and a trailing plural "s" is dropped,
    so "Mixture-of-Experts", "mixture of experts" and "Mixture of Experts"
    share one key. Only a lower-case final "s" is a plural: "GPUs" folds like
    "GPU", but "NAS", "DeiT-S" and "VITS" keep their capital S.

    Cached: the resolver and the renderers fold the same few thousand names
    for every paper.
    """
    raw = unicodedata.normalize("NFKC", name).strip()
    s = _SEP.sub("", raw.casefold())
    if len(s) >= 3 and raw.endswith("s") and not s.endswith("ss"):
        s = s[:-1]
    return s


def fold_title(title: str) -> str:
    """Fold a title for duplicate detection: letters and digits only."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", title).casefold())


def slug(name: str) -> str:
    """A readable, IRI-safe slug: lower-case ASCII letters, digits, '+' and '-'."""
    s = unicodedata.normalize("NFKD", name)
    s = s.encode("ascii", "ignore").decode("ascii").lower()
    s = _SLUG_DROP.sub("-", s).strip("-")
    return s or "x"


def stable_hash(text: str, length: int = 12) -> str:
    """A short hex digest that is the same on every machine and run."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()[:length]
