"""Candidate entity spans from every rule family, as plain functions.

Each finder takes the text (title + "\\n" + abstract) and returns
:class:`Cand` objects with character offsets; :mod:`kg.nlp.assemble` merges
them into entities. The spaCy components in :mod:`kg.nlp.pipeline` are thin
wrappers around these functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .scan import FastPattern
from .textutil import fold

from .resources import load_heads, load_links, load_not_entities, load_patterns
from .vocab import VocabIndex



@dataclass(slots=True)
class Cand:
    start: int
    end: int
    text: str
    type: str
    rule: str
    prio: int
    conf: float
    name: str | None = None  # vocabulary canonical name
    count: int | None = None
    attrs: dict = field(default_factory=dict)
    proposed: bool = False
    label: str | None = None  # entity name when the mention is part of it ("Positive" of "Positive Sample ...")


_WEIGHTS: dict[str, tuple[int, float]] = {}


def weight(key: str) -> tuple[int, float]:
    """(priority, confidence) of candidate rule ``key`` (``[candidates]`` in patterns.toml)."""
    w = _WEIGHTS.get(key)
    if w is None:
        d = load_patterns()["candidates"][key]
        w = _WEIGHTS[key] = (d["prio"], d["conf"])
    return w


def cand(key: str, start: int, end: int, text: str, etype: str, rule: str | None = None, **kw) -> Cand:
    """A candidate weighted as rule ``key`` says; ``rule`` (default ``key``) is the name it carries."""
    prio, conf = weight(key)
    return Cand(start, end, text, etype, rule or key, prio, conf, **kw)


# ---------------------------------------------------------------- typing helpers

_WORD_RE = re.compile(r"[A-Za-z][\w\-]*")


class Typer:
    """Types names from head nouns, suffix morphology and known components."""

    def __init__(self, index: VocabIndex):
        pats = load_patterns()
        self.index = index
        self.heads = load_heads()
        self.not_entities = load_not_entities()
        self.suffix_types = [(re.compile(p), t) for p, t in pats["coinage"]["suffix_types"]]
        self.not_names = frozenset(pats["coinage"]["not_names"])
        self.generic_classes = frozenset(fold(w) for w in load_links()["generic_classes"])
        self.generic_heads = frozenset(
            fold(w)
            for w in (
                "method", "approach", "framework", "technique", "algorithm", "model", "architecture",
                "system", "network", "strategy", "scheme", "module", "mechanism", "pipeline",
                "procedure", "paradigm", "dataset", "benchmark", "corpus", "suite", "library", "toolkit",
                "tool", "engine", "solution", "family", "variant", "version", "collection", "data set",
            )
        )

    def _head(self, phrase: str) -> str | None:
        words = phrase.replace("-", " ").split()
        if not words:
            return None
        if len(words) >= 2:
            t = self.heads.get(fold(words[-2] + words[-1]))
            if t:
                return t
        return self.heads.get(fold(words[-1]))

    def head_type(self, phrase: str) -> str | None:
        """Entity type from the phrase's head word (None for metrics and unknown heads)."""
        t = self._head(phrase)
        return None if t == "-" else t

    def is_metric(self, phrase: str) -> bool:
        return self._head(phrase) == "-"

    def suffix_type(self, name: str) -> str | None:
        for pat, t in self.suffix_types:
            if pat.search(name):
                return t
        return None

    def apposition_type(self, text: str, end: int) -> str | None:
        """"X, a Transformer-based model that ..." -> the head noun's type."""
        am = _APPOSITION.match(text, end)
        if am:
            words = am.group(1).split()
            group = None  # "a suite of X": X's noun says what it is, else the group noun does
            for i, w in enumerate(words):
                lw = w.lower().strip(",")
                if lw in _GROUP_NOUNS and i + 1 < len(words) and words[i + 1] == "of":
                    group = self.heads.get(fold(lw))
                    continue
                if lw in _APPOS_STOP:
                    if lw == "of" and i > 0 and words[i - 1].lower() in _GROUP_NOUNS:
                        continue
                    break
                h = self.heads.get(fold(lw))
                if h in ("Dataset", "Model", "Method"):
                    return h
            if group in ("Dataset", "Model", "Method"):
                return group
        return None

    def known_variant(self, name: str) -> bool:
        """A known name with a size or variant suffix ("Foo-7B", "Foo-Large"): not a new name."""
        vm = VARIANT.search(name)
        return vm is not None and vm.start() > 0 and self.index.lookup(name[: vm.start()]) is not None

    def component_type(self, name: str) -> tuple[str, str] | None:
        """Type from the last known component: "Kite-LLaVA" -> LLaVA, "GNNLoRA" -> LoRA."""
        for comp in components(name)[1:]:
            e = self.index.lookup(comp)
            if e is not None and e.type in ("Model", "Method", "Dataset"):
                return e.type, e.name
        return self.model_prefix(name)

    def model_prefix(self, name: str) -> tuple[str, str] | None:
        """A known model before a hyphen and an acronym-like or numbered part is a variant of that
        model when no later part is known: "Kestrel-ND", "Kestrel-XR2" (the part says which); a
        capitalised word after it names something else ("Kestrel-Probe" is a probe)."""
        prefix, _, rest = name.partition("-")
        if not rest or not (rest[0].isupper() or rest[0].isdigit()) or rest[1:].islower():
            return None
        e = self.index.lookup(prefix)
        return ("Model", e.name) if e is not None and e.type == "Model" else None


#: a size or variant suffix of a model name: "-7B", " 1.5B", "-Large", "-Instruct", "-v2" (chained)
_VARIANT_PART = r"(?:\d+(?:\.\d+)?[BMKT]|Base|Large|Small|Tiny|Mini|XL|XXL|Instruct|Chat|Pro|Lite|Plus|v\d+(?:\.\d+)?)"
VARIANT = re.compile(rf"[\s-]{_VARIANT_PART}(?:-{_VARIANT_PART})*$")
_APPOSITION = re.compile(r",\s+(?:a|an|the)\s+((?:[\w\-]+,?\s+){0,7}[\w\-]+)")
_GROUP_NOUNS = frozenset("family families suite series collection set line range pair trio variety".split())
_APPOS_STOP = frozenset("that which who for to of in on with by from trained built based designed using via and or".split())
_DIM_PREFIX = re.compile(r"(?<![\w.-])[1-4][Dd]-$")
_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[-_]")


def components(name: str) -> list[str]:
    """Name followed by its suffixes at hyphen/CamelCase boundaries, longest first.

    "Kite-LLaVA" -> ["Kite-LLaVA", "LLaVA"]; "GNNLoRA" -> ["GNNLoRA", "LoRA"] (an
    upper-case run followed by a capitalised word also splits).
    """
    out = [name]
    idx = []
    for i in range(1, len(name)):
        a, b = name[i - 1], name[i]
        if a in "-_":
            idx.append(i)
        elif b.isupper() and (a.islower() or a.isdigit()):
            idx.append(i)
        elif b.isupper() and a.isupper() and i + 1 < len(name) and name[i + 1].islower():
            idx.append(i)
    for i in idx:
        tail = name[i:].lstrip("-_")
        if len(tail) >= 2 and tail not in out:
            out.append(tail)
    return out


# ---------------------------------------------------------------- coined tokens


class CoinageFinder:
    """Mixed-case / alphanumeric coinages: QuokkaMamba, GNNLoRA, T5-XXL, ResNet-50."""

    def __init__(self):
        pats = load_patterns()
        self.token = re.compile(pats["coinage"]["token"])
        self.not_names = frozenset(pats["coinage"]["not_names"])
        self.strip_suffix = re.compile(pats["coinage"]["strip_suffix"])
        self.url = FastPattern(re.compile(pats["coinage"]["url"]))

    def urls(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.url.finditer(text)]

    def find(self, text: str, masked: list[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
        out = []
        for m in self.token.finditer(text):
            s = m.group(0).rstrip(".")
            while True:
                sm = self.strip_suffix.search(s)
                if sm is None:
                    break
                s = s[: sm.start()]
            if s in self.not_names or len(s) < 2:
                continue
            if masked and any(a <= m.start() < b for a, b in masked):
                continue
            # numbers with units / citations like "2023a" are not names
            if s[0].isdigit():
                continue
            start = m.start()
            dm = _DIM_PREFIX.search(text, max(0, start - 4), start)
            if dm is not None:
                start, s = dm.start(), dm.group(0) + s  # "1D-CNN-LSTM", "3D-UNet": the dimension is part of the name
            out.append((start, start + len(s), s))
        return out
