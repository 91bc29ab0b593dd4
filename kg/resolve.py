"""Entity identity across papers: one node per real-world entity.

Each paper's extractor output names entities by the surface forms that paper
used. This module decides which of them are the same thing across the whole
corpus and gives each a node id, a canonical name and its aliases.

The rules, in order:

1. Folding (:func:`kg.text.fold`): case, hyphens, spaces and a trailing plural
   are ignored, so "Mixture-of-Experts", "mixture of experts" and "Mixtures of
   Experts" share one key.
2. Long forms join: every non-acronym surface form of one paper's entity is
   the same entity ("Low-Rank Adaptation" and "low rank adaptation").
3. Acronyms resolve through the long forms papers define for them. An acronym
   is never a join point on its own, because one acronym can have two
   meanings ("PC" = probabilistic circuit in one paper, personal computer in
   another): a paper that defines it attaches it to its own long form, and a
   paper that only writes the acronym gets the long form most papers define
   for it (ties broken by name), or a node of its own when none does.
4. Checkpoints stay apart from their families ("LLaMA-2-7B" and "LLaMA-2" fold
   differently and are two nodes; the relations stage links them).
5. The node's type is the one most papers gave it; its canonical name is the
   vocabulary's name when the extractor matched one, else the most frequent
   surface form (ties: the lexicographically smallest).

Everything is computed from counts and sorted keys, so the result does not
depend on the order papers arrive in or how many workers extracted them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from typing import Iterable

from .types import Observation, ResolvedEntity  # the resolver's records live with every stage's

from .curation import NO_CURATION, Curation, node_type
from .text import fold, slug
from .types import ENTITY_TYPES, HARDWARE_EDGE_ATTRS, Entity, PaperExtraction

#: What a folded vocabulary alias adds to its entry's folded name when it names an
#: edition or version of it, not the entry: a year ("AIME 2024"), a two-digit year
#: ("AIME24"), a version mark ("MoCo v2"). Such an alias is no anchor: editions stay apart.
_EDITION_KEY = re.compile(r"(?:19|20)\d{2}|\d{2}|v\d+")
#: The same on a written name, with its family: "AIME 2024" -> "AIME", "MoCo v2" -> "MoCo".
_EDITION_NAME = re.compile(r"^(?P<family>.*?[A-Za-z][A-Za-z.)]*)[\s\-]?(?:(?:19|20)\d{2}|'?\d{2}|v\d+(?:\.\d+)*)$")

_ACRONYM = re.compile(r"^(?=\S{2,10}$)(?:[A-Z0-9][A-Za-z0-9\-+&]*)$")


@functools.lru_cache(maxsize=1 << 16)
def is_acronym(surface: str) -> bool:
    """An acronym: one short token with at least two capitals, e.g. MoE, LoRA, ViT.

    Coined one-word names (QuokkaMamba) are longer than ten characters or have
    a lower-case run of four or more, and are treated as names, not acronyms.
    """
    if not _ACRONYM.match(surface):
        return False
    caps = sum(1 for ch in surface if ch.isupper())
    return caps >= 2 and not re.search(r"[a-z]{4,}", surface)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, x: str) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The smaller key wins so the root never depends on union order.
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


class Resolver:
    """Collects every paper's entities, then resolves them all at once."""

    def __init__(self, vocabulary: Iterable[tuple[str, str]] = (), curation: Curation = NO_CURATION) -> None:
        """``vocabulary``: (surface form, canonical name) pairs that anchor names;
        ``curation``: the user's merges and splits (:mod:`kg.curation`)."""
        self._vocab = {fold(surface): name for surface, name in vocabulary}
        self.curation = curation
        # cluster root -> the root it is merged into by the curation (made with the resolution)
        self._redirect: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        self._uf = _UnionFind()
        # acronym key -> Counter of long-form keys the corpus defines for it
        self._acr_defs: dict[str, Counter[str]] = defaultdict(Counter)
        self._key_types: dict[str, Counter[str]] = defaultdict(Counter)
        self._key_surfaces: dict[str, Counter[str]] = defaultdict(Counter)
        # papers naming each key: counted once a paper (memory grows with keys, not papers)
        self._key_papers: Counter[str] = Counter()
        self._key_attrs: dict[str, tuple[str, dict[str, str]]] = {}
        self._resolved: dict[str, ResolvedEntity] | None = None

    def _forms(self, entity: Entity) -> tuple[list[str], list[str]]:
        """Split an entity's surface forms into (names, acronyms). A vocabulary
        acronym is unambiguous by construction and counts as a name."""
        surfaces = [entity.name, *entity.aliases]
        longs = [s for s in surfaces if not is_acronym(s) or fold(s) in self._vocab]
        acrs = [s for s in surfaces if is_acronym(s) and fold(s) not in self._vocab]
        return longs, acrs

    # -- pass 1: observe ------------------------------------------------
    def observe(self, extraction: PaperExtraction) -> "Observation":
        """What :meth:`add_observation` needs of a paper, with every string
        already folded. It depends only on the vocabulary, so extraction
        workers compute it and the process that owns the resolver only counts."""
        ents = []
        for ent in extraction.entities:
            longs, acrs = self._forms(ent)
            surfaces = tuple((s, fold(s)) for s in dict.fromkeys(longs + acrs))
            long_keys = tuple(sorted({fold(s) for s in longs}))
            anchors = tuple(self._anchor(k) for k in long_keys)
            acr_keys = tuple(sorted({fold(s) for s in acrs}))
            # what varies with the paper's use of it (memory, form factor …) is no part of the node
            attrs = {k: v for k, v in ent.attrs.items() if k != "canonical" and k not in HARDWARE_EDGE_ATTRS}
            attr_key = (long_keys[0] if long_keys else "acr:" + fold(acrs[0])) if attrs else None
            ents.append((ent.type, surfaces, long_keys, anchors, acr_keys, attr_key, attrs or None))
        return Observation(extraction.record.id, tuple(ents))

    def _vocab_name(self, key: str) -> str | None:
        """The vocabulary name a folded form anchors to, unless the form is an
        edition or version of the entry ("AIME 2024" listed under AIME)."""
        name = self._vocab.get(key)
        if name is None or key in self.curation.apart:  # a kept-apart surface names its own node
            return None
        base = fold(name)
        if key != base and key.startswith(base) and _EDITION_KEY.fullmatch(key[len(base):]):
            return None
        return name

    def _anchor(self, key: str) -> str | None:
        name = self._vocab_name(key)
        return fold(name) if name is not None else None

    def _pinned(self, keys: Iterable[str]) -> str | None:
        """The kept-apart surface (curation ``!surface``) among an entity's keys:
        such an entity is that surface's own node and joins nothing."""
        apart = self.curation.apart
        return min((k for k in keys if k in apart), default=None) if apart else None

    def add(self, extraction: PaperExtraction) -> None:
        self.add_observation(self.observe(extraction))

    def add_observation(self, obs: "Observation") -> None:
        pid = obs.paper_id
        keys_here: set[str] = set()
        uf = self._uf
        for etype, surfaces, long_keys, anchors, acr_keys, attr_key, attrs in obs.entities:
            pin = self._pinned(k for _, k in surfaces)
            for s, k in surfaces:
                if pin is None or k == pin:
                    self._key_surfaces[k][s] += 1
            if pin is not None:
                uf.add(pin)
                self._key_types[pin][etype] += 1
                keys_here.add(pin)
                continue
            for k, anchor in zip(long_keys, anchors):
                uf.add(k)
                uf.union(long_keys[0], k)
                if anchor is not None:
                    # every spelling of one vocabulary entry is one entity
                    uf.add(anchor)
                    uf.union(k, anchor)
                self._key_types[k][etype] += 1
            if long_keys:
                # one key an entity: its long forms are one cluster, so the paper counts once
                keys_here.add(long_keys[0])
            for a in acr_keys:
                if long_keys:
                    self._acr_defs[a][long_keys[0]] += 1
                else:
                    self._acr_defs.setdefault(a, Counter())
                    self._key_types["acr:" + a][etype] += 1
                    keys_here.add("acr:" + a)
            if attr_key is not None:
                prev = self._key_attrs.get(attr_key)
                if prev is None or pid < prev[0]:
                    self._key_attrs[attr_key] = (pid, attrs)
        self._key_papers.update(keys_here)
        self._resolved = None

    # -- pass 2: resolve ------------------------------------------------
    def _acronym_root(self, acr_key: str) -> str:
        defs = self._acr_defs.get(acr_key)
        if defs:
            roots: Counter[str] = Counter()
            for long_key, n in defs.items():
                roots[self._uf.find(long_key)] += n
            # Most-defined meaning wins; ties go to the smallest key.
            return min(roots.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if acr_key in self._uf.parent:  # the acronym is itself a long form elsewhere
            return self._uf.find(acr_key)
        # A root of its own, kept out of the union-find: resolving must not
        # change the state, or a resolver that resolved before more papers
        # arrived (kg build --update) would differ from one that did not.
        return "acr:" + acr_key

    def handle(self, entity: Entity) -> str:
        """What a paper's entity is looked up by: its first long form's key,
        or its acronym's. Two entities with one handle always resolve alike,
        so an incremental build can tell which papers a corpus change
        touches by comparing :meth:`handle_map` before and after."""
        longs, acrs = self._forms(entity)
        pin = self._pinned(fold(s) for s in longs + acrs)
        if pin is not None:
            return "L" + pin
        return "L" + fold(longs[0]) if longs else "A" + fold(acrs[0])

    def _raw_root(self, handle: str) -> str:
        return self._uf.find(handle[1:]) if handle[0] == "L" else self._acronym_root(handle[1:])

    def _root_of_handle(self, handle: str) -> str:
        if self.curation.merge:
            self.resolve()  # the curated merges are made with the resolution
        root = self._raw_root(handle)
        return self._redirect.get(root, root)

    def key_for(self, entity: Entity) -> str:
        """The cluster root for one paper's entity."""
        return self._root_of_handle(self.handle(entity))

    def handle_map(self) -> dict[str, tuple[str, str]]:
        """Every handle the corpus has -> (node id, type) it resolves to."""
        resolved = self.resolve()
        out: dict[str, tuple[str, str]] = {}
        handles = ["L" + k for k in self._uf.parent if not k.startswith("acr:")]
        handles += ["A" + a for a in self._acr_defs]
        for h in sorted(handles):
            r = resolved.get(self._root_of_handle(h))
            if r is not None:
                out[h] = (r.node_id, r.type)
        return out

    def resolve(self) -> dict[str, ResolvedEntity]:
        """Cluster root -> resolved entity. Call after every ``add``."""
        if self._resolved is not None:
            return self._resolved
        members: dict[str, list[str]] = defaultdict(list)
        for k in list(self._uf.parent):
            members[self._uf.find(k)].append(k)
        for a in self._acr_defs:
            root = self._acronym_root(a)
            members[root].append("acr:" + a)
        forced: dict[str, str] = {}
        self._redirect = {}
        if self.curation.merge:
            forced = self._curated_merges(members)
        out = self._entities(members, forced)
        self._members = dict(members)
        self._resolved = out
        return out

    def _curated_merges(self, members: dict[str, list[str]]) -> dict[str, str]:
        """Apply the curation's merges to ``members`` (cluster root -> keys) and
        return the node ids they force (root -> id). A surface joins the node of
        its id, named as the resolution without curation names it; a surface
        merged into an id no node has makes that node. Computed afresh at every
        resolution, never stored in the union-find, so an update that adds papers
        later applies them exactly as a full build does."""
        plain = self._entities(members, {})
        root_of_id = {r.node_id: root for root, r in plain.items()}
        forced: dict[str, str] = {}
        for key, node_id in sorted(self.curation.merge.items()):
            if key in self._uf.parent:
                src = self._uf.find(key)
            elif key in self._acr_defs:
                src = self._acronym_root(key)
            else:
                continue  # no paper writes it
            src = self._redirect.get(src, src)
            dst = root_of_id.get(node_id)
            if dst is None or dst == src:
                forced[src] = node_id
                root_of_id[node_id] = src
                continue
            dst = self._redirect.get(dst, dst)
            members[dst].extend(members.pop(src, []))
            forced[dst] = node_id
            forced.pop(src, None)
            for r, target in list(self._redirect.items()):
                if target == src:
                    self._redirect[r] = dst
            self._redirect[src] = dst
        return forced

    def _entities(self, members: dict[str, list[str]], forced: dict[str, str]) -> dict[str, ResolvedEntity]:
        out: dict[str, ResolvedEntity] = {}
        used_ids: set[str] = set(forced.values())
        for root in sorted(members):
            keys = sorted(set(members[root]))
            types: Counter[str] = Counter()
            surfaces: Counter[str] = Counter()
            papers = 0
            for k in keys:
                types.update(self._key_types.get(k, {}))
                surfaces.update(self._key_surfaces.get(k.removeprefix("acr:"), {}))
                # Each paper's entity counts under one of its keys, so only a paper
                # naming one thing as two entities counts twice: an upper bound that
                # needs no per-paper memory.
                papers += self._key_papers.get(k, 0)
            if not types:
                continue
            etype = min(types.items(), key=lambda kv: (-kv[1], ENTITY_TYPES.index(kv[0])))[0]
            name = self._canonical(keys, surfaces)
            if root in forced:  # the curation names this node
                node_id = forced[root]
                etype = node_type(node_id) or etype
            else:
                node_id = f"{etype.lower()}/{slug(name)}"
                if node_id in used_ids:  # two distinct entities with one slug
                    node_id = f"{node_id}-{len(used_ids)}"
            used_ids.add(node_id)
            attrs = next((self._key_attrs[k][1] for k in keys if k in self._key_attrs), {})
            out[root] = ResolvedEntity(node_id, etype, name, tuple(sorted(surfaces)), papers, attrs)
        _add_hardware_classes(out, used_ids)
        return out

    def surface_counts(self) -> dict[str, dict[str, int]]:
        """Node id -> each surface form of it -> how many papers' entities wrote it (the audit)."""
        resolved = self.resolve()
        out: dict[str, dict[str, int]] = {}
        for root, keys in self._members.items():
            r = resolved.get(root)
            if r is None:
                continue
            counts = out.setdefault(r.node_id, {})
            for k in set(keys):
                for s, n in self._key_surfaces.get(k.removeprefix("acr:"), {}).items():
                    counts[s] = counts.get(s, 0) + n
        return out

    def _canonical(self, keys: list[str], surfaces: Counter[str]) -> str:
        for k in keys:
            name = self._vocab_name(k.removeprefix("acr:"))
            if name is not None:
                return name
        long_surfaces = {s: n for s, n in surfaces.items() if not is_acronym(s)} or surfaces
        return min(long_surfaces.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    def forget_resolution(self) -> None:
        """Drop the cached resolution (it is rebuilt on demand), e.g. before pickling."""
        self._resolved = None
        self._redirect = {}
        self._members = {}

    def lookup(self, entity: Entity) -> ResolvedEntity:
        return self.resolve()[self.key_for(entity)]

    def lookup_handle(self, handle: str) -> ResolvedEntity:
        """:meth:`lookup` by an entity's :meth:`handle` (the writers have it already)."""
        return self.resolve()[self._root_of_handle(handle)]

# -- hardware products and their classes ----------------------------------------

def _hardware_class(r: ResolvedEntity) -> str | None:
    """The class node name of a Hardware product ("GPU" for NVIDIA A100), or
    None for a class node itself (its class is its own name)."""
    cls = r.attrs.get("class")
    if r.type != "Hardware" or not cls:
        return None
    if fold(cls) == fold(r.name) or any(fold(cls) == fold(a) for a in r.aliases):
        return None
    return cls


def _add_hardware_classes(out: dict[str, ResolvedEntity], used_ids: set[str]) -> None:
    """Every class a product names is a node, even when no paper names the
    class itself: a class node no paper named counts 0 papers."""
    have = {fold(s) for r in out.values() if r.type == "Hardware" for s in (r.name, *r.aliases)}
    for cls in sorted({c for r in out.values() if (c := _hardware_class(r))}):
        if fold(cls) in have:
            continue
        node_id = f"hardware/{slug(cls)}"
        if node_id in used_ids:
            node_id = f"{node_id}-{len(used_ids)}"
        used_ids.add(node_id)
        have.add(fold(cls))
        out["class:" + fold(cls)] = ResolvedEntity(node_id, "Hardware", cls, (), 0, {"class": cls})


def hardware_classes(resolved: Iterable[ResolvedEntity]) -> dict[str, str]:
    """Hardware product node id -> its class node id (the IS_A links). The
    class node is the Hardware node whose name or a surface form is the
    product's ``class`` attribute; the resolver makes one when no paper named it."""
    resolved = list(resolved)
    by_name: dict[str, str] = {}
    for r in sorted(resolved, key=lambda r: (r.attrs.get("class") != r.name, r.node_id)):
        if r.type == "Hardware":
            for s in (r.name, *r.aliases):
                by_name.setdefault(fold(s), r.node_id)
    out: dict[str, str] = {}
    for r in resolved:
        cls = _hardware_class(r)
        target = by_name.get(fold(cls)) if cls else None
        if target and target != r.node_id:
            out[r.node_id] = target
    return out


def edge_attrs(entity: Entity) -> dict[str, str | int]:
    """A hardware entity's use of its hardware as edge properties: memory,
    form factor, duration (ISO 8601) as strings, device-hours as an integer."""
    out: dict[str, str | int] = {}
    for key in HARDWARE_EDGE_ATTRS:
        value = entity.attrs.get(key)
        if value:
            out[key] = int(value) if key == "gpu_hours" and value.isdigit() else value
    return out


def edition_families(resolved: Iterable[ResolvedEntity]) -> dict[str, str]:
    """Node id of an edition or version -> its family's node id, when the
    family is a node of the same type: "AIME 2024" BASED_ON "AIME", "MoCo v2"
    BASED_ON "MoCo"."""
    resolved = list(resolved)
    by_name: dict[tuple[str, str], str] = {}
    for r in sorted(resolved, key=lambda r: r.node_id):
        for s in (r.name, *r.aliases):
            by_name.setdefault((r.type, fold(s)), r.node_id)
    out: dict[str, str] = {}
    for r in resolved:
        m = _EDITION_NAME.match(r.name)
        target = by_name.get((r.type, fold(m.group("family")))) if m else None
        if target and target != r.node_id:
            out[r.node_id] = target
    return out
