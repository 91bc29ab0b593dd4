"""The user's corrections to resolution, and the audit that helps write them.

``kg build --aliases FILE`` reads a curation file: UTF-8, tab-separated, one
correction a line, ``#`` starts a comment::

    # surface<TAB>node id        every entity written this way is that node
    Tesla P100	hardware/nvidia-p100
    Sparse Mixer	method/sparse-mixture
    # !surface<TAB>node id       this spelling is never that node: a node of its own
    !PC	method/probabilistic-circuit

Surfaces match as the resolver matches names (case, hyphens, spaces and a
final plural fold away). A merge into an id no node has names the surface's
node so. The file is applied by the resolver (:class:`kg.resolve.Resolver`)
and its digest is kept with the build's state, so ``kg build --update`` with
a changed file re-resolves, and re-renders, every paper it touches.

:func:`resolution_rows` is the audit (``OUTDIR/resolution.tsv``, ``kg stats
--resolution``): each node with its surface forms and paper counts, and the
candidate merges the resolver did not make.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .text import fold
from .types import ENTITY_TYPES

if TYPE_CHECKING:
    from .resolve import Resolver

RESOLUTION_TSV = "resolution.tsv"
_NODE_ID = re.compile(r"^(?P<type>[a-z]+)/[A-Za-z0-9+\-._~%]+$")
_TYPES = {t.lower(): t for t in ENTITY_TYPES}


class CurationError(ValueError):
    """A curation file that cannot be used: one line naming the file and line."""


@dataclass(frozen=True, slots=True)
class Curation:
    """Parsed curation: folded surface -> node id, to merge or keep apart."""

    merge: dict[str, str] = field(default_factory=dict)
    apart: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    def __bool__(self) -> bool:
        return bool(self.merge or self.apart)


NO_CURATION = Curation()


def node_type(node_id: str) -> str | None:
    """The entity type a node id names ("hardware/x" -> "Hardware"), or None."""
    m = _NODE_ID.match(node_id)
    return _TYPES.get(m.group("type")) if m else None


def parse_curation(text: str, source: str = "<aliases>") -> Curation:
    merge: dict[str, str] = {}
    apart: dict[str, str] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cols = [c.strip() for c in raw.split("\t")]
        if len(cols) != 2 or not cols[0] or not cols[1]:
            raise CurationError(f"{source}:{lineno}: expected 'surface<TAB>node id' or '!surface<TAB>node id'")
        surface, node_id = cols
        if node_type(node_id) is None:
            raise CurationError(f"{source}:{lineno}: {node_id!r} is not a node id like 'hardware/nvidia-a100' "
                                f"(types: {', '.join(sorted(_TYPES))})")
        table = apart if surface.startswith("!") else merge
        key = fold(surface.removeprefix("!").strip())
        if not key:
            raise CurationError(f"{source}:{lineno}: empty surface")
        if key in merge or key in apart:
            raise CurationError(f"{source}:{lineno}: {surface.removeprefix('!')!r} is curated twice")
        table[key] = node_id
    # the digest is over what the file means, so comments and line order do not re-resolve anything
    canon = "\n".join([*(f"={k}\t{v}" for k, v in sorted(merge.items())),
                       *(f"!{k}\t{v}" for k, v in sorted(apart.items()))])
    digest = hashlib.sha256(canon.encode("utf-8")).hexdigest() if canon else ""
    return Curation(merge, apart, digest)


def load_curation(path: str | Path | None) -> Curation:
    if path is None:
        return NO_CURATION
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CurationError(f"{p}: cannot read the curation file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CurationError(f"{p}: the curation file is not UTF-8") from None
    return parse_curation(text, str(p))


# -- the audit -----------------------------------------------------------------

_GENERIC_TAIL = re.compile(r"(?:model|network|net|method|algorithm|framework|dataset|benchmark|gpu|device|system)$")


def _loose(name: str) -> str:
    """A name folded further for finding merge candidates: generic last words go."""
    key = fold(name)
    shorter = _GENERIC_TAIL.sub("", key)
    return shorter if len(shorter) >= 3 else key


def _digits(s: str) -> list[str]:
    return re.findall(r"\d+", s)


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance exactly 1, not next to a digit ("A100"/"P100",
    "CIFAR-10"/"CIFAR-10-C" are model codes and variants, not misspellings)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    near = b[max(0, i - 1): i + 2]
    if any(ch.isdigit() for ch in near):
        return False
    return a[i:] == b[i + 1:] if len(a) < len(b) else a[i + 1:] == b[i + 1:]


def candidate_merges(resolver: "Resolver") -> list[tuple[str, str, str]]:
    """Pairs of nodes of one type the resolver kept apart that may be one thing:
    hardware of the same vendor and product, or names that fold alike once
    generic last words go, or differ by one letter (not by a number: editions,
    versions and sizes are apart on purpose). Sorted, deterministic."""
    apart = resolver.curation.apart
    # a node the user kept apart is no candidate again
    nodes = sorted((r for r in resolver.resolve().values() if not any(fold(a) in apart for a in r.aliases)),
                   key=lambda r: r.node_id)
    out: set[tuple[str, str, str]] = set()
    products: dict[tuple[str, str], list[str]] = {}
    for r in nodes:
        if r.type == "Hardware" and r.attrs.get("product"):
            products.setdefault((fold(r.attrs.get("vendor", "")), fold(r.attrs["product"])), []).append(r.node_id)
    for ids in products.values():
        out.update((a, b, "same vendor and product") for i, a in enumerate(ids) for b in ids[i + 1:])
    # (each node's folded name and numbers made once, not once a pair: an update writes this audit too)
    blocks: dict[tuple[str, str], list[tuple[str, str, list[str]]]] = {}
    for r in nodes:
        loose = _loose(r.name)
        blocks.setdefault((r.type, loose[:2]), []).append((r.node_id, loose, _digits(r.name)))
    for block in blocks.values():
        for i, (a, la, da) in enumerate(block):
            for b, lb, db in block[i + 1:]:
                if da != db:
                    continue
                if la == lb:
                    out.add((a, b, "same name without its generic last word"))
                elif len(la) >= 6 and _one_edit(la, lb):
                    out.add((a, b, "names one letter apart"))
    return sorted(out)


def _cell(s: str) -> str:
    return s.replace("\t", " ").replace("\n", " ")


def resolution_rows(resolver: "Resolver") -> Iterator[str]:
    """The audit as TSV lines: a header, one ``node`` row a node (id, type,
    papers, name, surface forms with the papers writing each), then one
    ``candidate`` row a merge not made (two ids and why they may be one)."""
    yield "kind\tnode\ttype\tpapers\tname\tsurface forms (papers)\n"
    surfaces = resolver.surface_counts()
    for r in sorted(resolver.resolve().values(), key=lambda r: r.node_id):
        forms = " | ".join(f"{_cell(s)} ({n})" for s, n in sorted(surfaces.get(r.node_id, {}).items()))
        yield f"node\t{r.node_id}\t{r.type}\t{r.papers}\t{_cell(r.name)}\t{forms}\n"
    for a, b, why in candidate_merges(resolver):
        yield f"candidate\t{a}\t{b}\t\t{why}\t\n"


def write_resolution(outdir: str | Path, resolver: "Resolver") -> Path:
    """``OUTDIR/resolution.tsv``, atomically."""
    from .writers.atomic import atomic_write

    path = Path(outdir) / RESOLUTION_TSV
    with atomic_write(path) as fh:
        for line in resolution_rows(resolver):
            fh.write(line)
    return path
