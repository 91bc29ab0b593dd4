"""Merging copies of one paper: the first copy wins, later copies fill its gaps.

The same paper often arrives more than once (a listing page and an arXiv feed,
two days of a daily listing, a PDF and its JSONL record). The first copy in
input order is the paper; what it lacks among the metadata fields below, a
later copy supplies, in input order, so the result depends only on the order
of the inputs. Title, abstract, identity and provenance (source, line) are
never taken from a later copy: they decide which paper this is and where it
was read, and changing them would change the paper's id.
"""

from __future__ import annotations

import dataclasses

from ..types import PaperRecord

#: Fields a later copy may fill when the first copy lacks them, in a fixed
#: order. A pair (field, companion) moves together: the count of authors
#: belongs to the author list it was taken from, the ISO date to the date.
FILLABLE: tuple[tuple[str, ...], ...] = (
    ("authors", "author_count"),
    ("date", "date_iso"),
    ("doi",),
    ("url",),
    ("upvotes",),
    ("categories",),
    # a PDF or text full text of a paper a record named first (kg/sources/pdf.py, fulltext.py)
    ("fulltext",),
)


def _lacks(rec: PaperRecord, name: str) -> bool:
    value = getattr(rec, name)
    return value is None or value == () or value == ""


def lacking_mask(rec: PaperRecord) -> int:
    """A bit per :data:`FILLABLE` group the record lacks (kept by --update to
    know, without reading an unchanged file again, whether a new copy fills it)."""
    return sum(1 << i for i, group in enumerate(FILLABLE) if _lacks(rec, group[0]))


def filling_mask(rec: PaperRecord) -> int:
    """A bit per :data:`FILLABLE` group the record has (what it could fill)."""
    return sum(1 << i for i, group in enumerate(FILLABLE) if not _lacks(rec, group[0]))


def merge_duplicate(first: PaperRecord, later: PaperRecord) -> PaperRecord:
    """``first`` with each metadata field it lacks taken from ``later``.

    Fill several copies by folding in input order:
    ``functools.reduce(merge_duplicate, later_copies, first)``.
    """
    changes: dict[str, object] = {}
    for group in FILLABLE:
        if _lacks(first, group[0]) and not _lacks(later, group[0]):
            for name in group:
                changes[name] = getattr(later, name)
    if "authors" in changes and changes.get("author_count") is None:
        changes["author_count"] = len(changes["authors"])  # type: ignore[arg-type]
    return dataclasses.replace(first, **changes) if changes else first
