"""Hardware mentions: products by vendor/generation, memory sizes and counts.

"96 NVIDIA V100-32GB GPUs", "eight A100s", "1024 TPU cores", "a single GPU",
"on embedded FPGAs". The regular expressions are assembled once from
``data/patterns.toml`` (section ``[hardware]``) and run over the raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .resources import load_patterns

_MEM = re.compile(r"(\d{1,3})\s?GB")


@dataclass(slots=True)
class HardwareMention:
    start: int
    end: int
    text: str  # surface form without the count
    name: str  # canonical-ish name: vendor + product + memory + class, singular
    count: int | None = None
    attrs: dict[str, str] = field(default_factory=dict)


def _surface_name(surface: str) -> str:
    """The paper's own words, last word singular: "NVIDIA V100-32GB GPUs" -> "... GPU"."""
    words = re.sub(r"\s+", " ", surface).split(" ")
    last = words[-1]
    if re.fullmatch(r".*\d[sS]", last):
        words[-1] = last[:-1]
    elif not re.search(r"\d", last):
        words[-1] = _singular(last)
    return " ".join(words)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return word[:-1]
    return word


class HardwareFinder:
    """Compiled hardware regexes; :meth:`find` returns mentions in text order."""

    def __init__(self, cfg: dict | None = None):
        cfg = cfg or load_patterns()["hardware"]
        self.numbers = {k.lower(): int(v) for k, v in cfg["number_words"].items()}
        num_alt = "|".join(
            sorted((re.escape(k).replace(r"\ ", r"\s+") for k in self.numbers), key=len, reverse=True)
        )
        count = rf"(?:(?P<count>\d{{1,3}}(?:,\d{{3}})+|\d{{1,6}}|{num_alt})(?:\s*[x×]\s*|\s+))"
        mod = r"(?:(?:consumer(?:-grade)?|commodity|high-end|modern|commercial|off-the-shelf|standard|local)\s+)?"
        self.class_pats = [(re.compile(rf"(?:{p})$", re.I), name) for p, name in cfg["classes"]]
        cls_alt = "|".join(f"(?:{p})" for p, _ in cfg["classes"])
        vendors = cfg["vendors"]
        strong = cfg["products"]
        weak = cfg["weak_products"]
        self.strong = re.compile(rf"(?x:{strong})(?:s)?$")
        # the count and modifiers are looked up behind a match (a leading optional group
        # would make the regex engine try them at every position)
        self.count_back = re.compile(rf"(?<![\w-]){count}{mod}$")
        self.product_re = re.compile(
            rf"(?<![\w-])(?:(?P<vendor>{vendors})(?:'s)?\s+)?"
            rf"(?P<product>(?x:{strong})|{weak})(?P<mem>(?:[\s-]?\d{{1,3}}\s?GB))?(?P<plural>s)?"
            rf"(?:\s+(?P<cls>(?i:{cls_alt})))?(?![\w])"
        )
        self.class_re = re.compile(
            rf"(?<![\w-])(?:(?P<vendor>{vendors})\s+)?(?P<cls>(?i:{cls_alt}))(?![\w-])",
        )
        # cheap pre-check: most abstracts name no hardware at all
        self.class_trigger = tuple(w.lower() for w in cfg["class_trigger"])
        self.product_trigger = re.compile(cfg["product_trigger"])
        self.blocker = re.compile(rf"[\s-]*(?:{cfg['count_blockers']})\b", re.I)

    def _class_name(self, cls: str) -> str:
        for pat, name in self.class_pats:
            if pat.match(cls):
                if name == "_device":
                    words = cls.lower().split()
                    words[-1] = _singular(words[-1])
                    return " ".join(words)
                return name
        return cls

    def _count(self, text: str, start: int, end: int) -> int | None:
        """The count written before ``text[start:end]`` ("8 x", "eight", "a single"), if any."""
        m = self.count_back.search(text, max(0, start - 48), start)
        if m is None:
            return None
        if self.blocker.match(text, end):
            return None  # "1000 GPU hours" is a quantity of compute, not of devices
        c = re.sub(r"\s+", " ", m.group("count").lower())
        if c in self.numbers:
            return self.numbers[c]
        try:
            return int(c.replace(",", ""))
        except ValueError:  # pragma: no cover - regex guarantees digits
            return None

    def find(self, text: str) -> list[HardwareMention]:
        out: list[HardwareMention] = []
        low = text.lower()
        has_class = any(w in low for w in self.class_trigger)
        has_product = self.product_trigger.search(text) is not None
        if not (has_class or has_product):
            return out
        taken: list[tuple[int, int]] = []
        for m in self.product_re.finditer(text) if has_product else ():
            product = m.group("product")
            vendor = m.group("vendor")
            cls = m.group("cls")
            if not self.strong.match(product) and not (vendor or cls):
                continue
            if not any(c.isdigit() for c in product) and not (vendor or cls) and product.isalpha():
                continue
            body_start = m.start()
            surface = text[body_start : m.end()]
            attrs: dict[str, str] = {"product": re.sub(r"\s+", " ", product)}
            if vendor:
                attrs["vendor"] = vendor
            mem = m.group("mem")
            if mem:
                mm = _MEM.search(mem)
                if mm:
                    attrs["memory"] = mm.group(1) + "GB"
            name_parts = []
            if vendor:
                name_parts.append(vendor)
            name_parts.append(attrs["product"] + (re.sub(r"\s+", " ", mem) if mem else ""))
            if cls:
                cname = self._class_name(cls)
                attrs["class"] = cname
                name_parts.append(cname)
            attrs["canonical"] = re.sub(r"\s+", " ", " ".join(name_parts))
            out.append(HardwareMention(body_start, m.end(), surface, _surface_name(surface), self._count(text, body_start, m.end()), attrs))
            taken.append((m.start(), m.end()))
        for m in self.class_re.finditer(text) if has_class else ():
            s, e = m.start(), m.end()
            if any(a < e and s < b for a, b in taken):
                continue
            cls = m.group("cls")
            cname = self._class_name(cls)
            vendor = m.group("vendor")
            start = m.start("vendor") if vendor else m.start("cls")
            attrs = {"class": cname}
            name = cname
            if vendor:
                attrs["vendor"] = vendor
                name = f"{vendor} {cname}"
            out.append(HardwareMention(start, e, text[start:e], name, self._count(text, start, e), attrs))
        out.sort(key=lambda h: h.start)
        return out
