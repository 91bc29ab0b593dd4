"""What the writing phase of a build must redo, as data.

A full build renders every paper of every output; an ``--update`` renders
only the papers that are new, changed, or whose entities resolve differently
than last time, and copies every other paper's bytes (:mod:`kg.outputs`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

#: Part of every layout's key: a new version of what the layouts hold makes the next build render afresh.
LAYOUT_VERSION = 3


@dataclass(frozen=True, slots=True)
class WritePlan:
    outdir: Path
    store_path: Path
    extractor_version: str
    #: what the layouts must have been written with to be reused
    key: str
    #: corpus positions (``seq``) of the papers whose segments must be rendered; None: all
    dirty: frozenset[int] | None = None

    def must_render(self, seq: int) -> bool:
        return self.dirty is None or seq in self.dirty


def changed_handles(old: dict[str, tuple[str, str]], new: dict[str, tuple[str, str]]) -> set[str]:
    """Resolver handles (:meth:`kg.resolve.Resolver.handle_map`) that resolve
    differently now: papers with an entity of one of them must be rendered again."""
    return {h for h in old.keys() | new.keys() if old.get(h) != new.get(h)}


def dirty_seqs(new: set[int], changed: set[int], touched: set[int] | None) -> frozenset[int] | None:
    """The papers to render: new and re-extracted ones, and those touched by a
    resolution change (``touched``: None when that cannot be told; then all)."""
    if touched is None:
        return None
    return frozenset(new | changed | touched)


def news_bytes(inputs: Iterable[str | os.PathLike[str]], previous: Iterable[tuple[str, tuple[int, int, int]]]) -> int:
    """The size of the input files an update will read: those that are not among the ``previous``
    build's (path, (size, mtime_ns, inode)), unchanged. Some news means it most likely extracts
    papers, and its workers should start loading the pipeline at once; how much tells how many are
    worth starting. A guess, cheap and on the safe side: a file it cannot match counts as news."""
    known = {(str(Path(path).resolve()), stat) for path, stat in previous}
    total = 0
    for given in inputs:
        p = Path(given)
        for f in (f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p] if p.is_file() else []:
            st = f.stat()
            if (str(f.resolve()), (st.st_size, st.st_mtime_ns, st.st_ino)) not in known:
                total += max(st.st_size, 1)
    return total
