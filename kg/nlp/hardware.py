"""Hardware mentions: products by vendor/generation, memory sizes and counts.

"96 NVIDIA V100-32GB GPUs", "eight A100s", "1024 TPU cores", "a single GPU",
"on embedded FPGAs". The regular expressions are assembled once from
``data/patterns.toml`` (section ``[hardware]``) and run over the raw text.

A product mention is named by the product's identity, not by the paper's
words: vendor + product + generation ("NVIDIA P100" for "8 Tesla P100 GPUs",
"a single P100 GPU" and "NVIDIA P100-16GB"), so every spelling of one product
is one node. The vocabulary (``kg/ontology/vocab/hardware.tsv``) names the
products it knows and gives their vendor and class; ``data/hardware.toml``
fills the vendor and class of the others from their family. What varies
between papers using one product — the count, memory size, form factor
(SXM, PCIe), how long the run took and its device-hours — is kept in
:attr:`HardwareMention.attrs` under :data:`EDGE_ATTRS` and ends up on the
paper's USES_HARDWARE edge, never in the node.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from typing import Iterable

from ..types import HARDWARE_EDGE_ATTRS as EDGE_ATTRS  # noqa: F401  (re-exported)
from .resources import _data, load_patterns
from .scan import FastPattern
from .textutil import fold

_MEM = re.compile(r"(\d{1,3})\s?GB")
_MEM_BEFORE = re.compile(r"(?<![\w.])(\d{1,3})\s?GB[\s-]+$")
_MEM_AFTER = re.compile(r"\s*(?:\(\s*|,\s*|\s+with\s+)(\d{1,3})\s?GB\b")
_SENT_END = re.compile(r"[.!?;](?=\s|$)|\n")


_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "twelve": 12}


@dataclass(slots=True)
class HardwareMention:
    start: int
    end: int
    text: str  # surface form without the count
    name: str  # the product's identity (vendor + product + generation), or the class
    count: int | None = None
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Product:
    """What a product spelling is: its canonical name, vendor and class node."""

    name: str
    vendor: str | None
    cls: str | None


@functools.lru_cache(maxsize=None)
def load_identity() -> dict:
    with _data("hardware.toml").open("rb") as fh:
        return tomllib.load(fh)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        return word[:-1]
    return word


class ProductTable:
    """Product spellings -> :class:`Product`, from the hardware vocabulary
    (every form of an entry, with and without its vendor) and, for products it
    does not list, the family rules of ``hardware.toml``."""

    def __init__(self, entries: Iterable = (), cfg: dict | None = None):
        cfg = cfg or load_identity()
        self.vendor_names: dict[str, str] = dict(cfg["vendor_names"])
        self.brand = re.compile(rf"^{cfg['brand_prefix']}")
        self.families = [(re.compile(p), v or None, c or None) for p, v, c in cfg["families"]]
        self.class_nodes: dict[str, str] = dict(cfg["class_nodes"])
        self.by_fold: dict[str, Product] = {}
        for e in entries:
            if e.type != "Hardware":
                continue
            vendor = e.attrs.get("vendor")
            product = Product(e.name, vendor, e.attrs.get("class"))
            for form in e.forms():
                self.by_fold.setdefault(fold(form), product)
                if vendor and form.lower().startswith(vendor.lower() + " "):
                    self.by_fold.setdefault(fold(form[len(vendor) + 1:]), product)

    def vendor(self, vendor: str | None) -> str | None:
        return self.vendor_names.get(vendor, vendor) if vendor else None

    def class_node(self, cls: str) -> str:
        return self.class_nodes.get(cls, cls)

    def identify(self, vendor: str | None, product: str) -> Product:
        """The product a (vendor, product words) pair names: the vocabulary's
        entry when it lists the product, else vendor + product with the vendor
        and class of its family."""
        vendor = self.vendor(vendor)
        product = re.sub(r"\s+", " ", self.brand.sub("", product)).strip()
        keys = ([f"{vendor} {product}"] if vendor else []) + [product]
        for key in keys:
            hit = self.by_fold.get(fold(key))
            if hit is not None and (vendor is None or hit.vendor in (None, vendor)):
                return hit
        fam_vendor, fam_cls = next(((v, c) for pat, v, c in self.families if pat.match(product)), (None, None))
        vendor = vendor or fam_vendor
        name = f"{vendor} {product}" if vendor and not product.lower().startswith(vendor.lower()) else product
        return Product(name, vendor, fam_cls)


@functools.lru_cache(maxsize=1)
def default_products() -> ProductTable:
    from .vocab import shared_vocab

    return ProductTable(shared_vocab())


def iso_duration(n: float, unit: str) -> str | None:
    """An xsd:duration for "3 days", "1.5 hours", "2 weeks": ISO 8601, whole units."""
    u = unit.lower().rstrip("s")
    if u in ("month",):
        return f"P{int(n)}M" if n == int(n) else f"P{round(n * 30)}D"
    hours = {"minute": 1 / 60, "min": 1 / 60, "hour": 1, "hr": 1, "h": 1, "day": 24, "week": 168}.get(u)
    if hours is None or n <= 0:
        return None
    total = n * hours
    if u in ("day", "week") and total % 24 == 0:
        return f"P{int(total // 24)}D"
    if total == int(total):
        return f"PT{int(total)}H"
    return f"PT{round(total * 60)}M"


def _number(text: str) -> float | None:
    t = text.lower().replace(",", "")
    if t in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[t])
    try:
        return float(t)
    except ValueError:
        return None


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in _SENT_END.finditer(text, 0, pos):
        start = m.end()
    m = _SENT_END.search(text, pos)
    return start, (m.start() if m else len(text))


class HardwareFinder:
    """Compiled hardware regexes; :meth:`find` returns mentions in text order."""

    def __init__(self, cfg: dict | None = None, products: ProductTable | None = None):
        cfg = cfg or load_patterns()["hardware"]
        self.products = products or default_products()
        ident = load_identity()
        self.numbers = {k.lower(): int(v) for k, v in cfg["number_words"].items()}
        num_alt = "|".join(
            sorted((re.escape(k).replace(r"\ ", r"\s+") for k in self.numbers), key=len, reverse=True)
        )
        count = rf"(?:(?P<count>\d{{1,3}}(?:,\d{{3}})+|\d{{1,6}}|{num_alt})(?:\s*[x×]\s*|\s+))"
        mod = r"(?:(?:GeForce|Quadro)\s+)?(?:(?:consumer(?:-grade)?|commodity|high-end|modern|commercial|off-the-shelf|standard|local)\s+)?"
        self.class_pats = [(re.compile(rf"(?:{p})$", re.I), name) for p, name in cfg["classes"]]
        cls_alt = "|".join(f"(?:{p})" for p, _ in cfg["classes"])
        vendors = cfg["vendors"]
        strong = cfg["products"]
        weak = cfg["weak_products"]
        ff = ident["form_factor"]
        self.strong = re.compile(rf"(?x:{strong})(?:s)?$")
        # the count and modifiers are looked up behind a match (a leading optional group
        # would make the regex engine try them at every position)
        self.count_back = re.compile(rf"(?<![\w-]){count}{mod}$")
        self.product_re = re.compile(
            rf"(?<![\w-])(?:(?P<vendor>{vendors})(?:'s)?\s+)?"
            rf"(?P<product>(?x:{strong})|{weak})(?P<ff>[\s-]{ff})?(?P<mem>(?:[\s-]?\d{{1,3}}\s?GB))?"
            rf"(?P<ff2>[\s-]{ff})?(?P<plural>s)?"
            rf"(?:\s+(?P<cls>(?i:{cls_alt})))?(?![\w])"
        )
        # tried only where a vendor or a class word begins (kg.nlp.scan.FastPattern)
        self.class_re = FastPattern(re.compile(
            rf"(?<![\w-])(?:(?P<vendor>{vendors})\s+)?(?P<cls>(?i:{cls_alt}))(?![\w-])",
        ))
        # cheap pre-check: most abstracts name no hardware at all
        self.class_trigger = tuple(w.lower() for w in cfg["class_trigger"])
        self.product_trigger = FastPattern(re.compile(cfg["product_trigger"]))
        self.blocker = re.compile(rf"[\s-]*(?:{cfg['count_blockers']})\b", re.I)
        self.duration = re.compile(ident["duration"])
        self.device_hours = re.compile(ident["device_hours"])

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

    def _product_mention(self, text: str, m: re.Match) -> HardwareMention | None:
        """One product match as a mention named by the product's identity."""
        product, vendor, cls = m.group("product"), m.group("vendor"), m.group("cls")
        if not self.strong.match(product) and not (vendor or cls):
            return None
        if not any(c.isdigit() for c in product) and not (vendor or cls) and product.isalpha():
            return None
        ident = self.products.identify(vendor, product)
        attrs: dict[str, str] = {"product": re.sub(r"\s+", " ", self.products.brand.sub("", product))}
        if ident.vendor:
            attrs["vendor"] = ident.vendor
        cls_name = ident.cls or (self.products.class_node(self._class_name(cls)) if cls else None)
        if cls_name:
            attrs["class"] = cls_name
        memory = self._memory(text, m)
        if memory:
            attrs["memory"] = memory
        form = m.group("ff") or m.group("ff2")
        if form:
            attrs["form_factor"] = form.strip(" -")
        start = m.start()
        count = self._count(text, start - len(self._mem_before(text, start) or ""), m.end())
        return HardwareMention(start, m.end(), text[start : m.end()], ident.name, count, attrs)

    @staticmethod
    def _mem_before(text: str, start: int) -> str | None:
        mb = _MEM_BEFORE.search(text, max(0, start - 12), start)
        return mb.group(0) if mb else None

    def _memory(self, text: str, m: re.Match) -> str | None:
        """The memory size written in ("V100-32GB"), before ("80GB A100") or
        right after ("A100 (80GB)", "A100 GPUs with 40 GB") the mention."""
        if m.group("mem"):
            mm = _MEM.search(m.group("mem"))
            if mm:
                return mm.group(1) + "GB"
        before = self._mem_before(text, m.start())
        if before:
            return _MEM.search(before).group(1) + "GB"
        after = _MEM_AFTER.match(text, m.end())
        return after.group(1) + "GB" if after else None

    def _class_mention(self, text: str, m: re.Match) -> HardwareMention:
        cname = self._class_name(m.group("cls"))
        vendor = self.products.vendor(m.group("vendor"))
        start = m.start("vendor") if vendor else m.start("cls")
        attrs = {"class": cname}
        name = cname
        if vendor:
            attrs["vendor"] = vendor
            name = f"{vendor} {cname}"
        return HardwareMention(start, m.end(), text[start : m.end()], name, self._count(text, start, m.end()), attrs)

    def find(self, text: str) -> list[HardwareMention]:
        out: list[HardwareMention] = []
        low = text.lower()
        has_class = any(w in low for w in self.class_trigger)
        has_product = self.product_trigger.occurs_in(text)
        if not (has_class or has_product):
            return out
        taken: list[tuple[int, int]] = []
        for m in self.product_re.finditer(text) if has_product else ():
            h = self._product_mention(text, m)
            if h is not None:
                out.append(h)
                taken.append((m.start(), m.end()))
        for m in self.class_re.finditer(text) if has_class else ():
            if not any(a < m.end() and m.start() < b for a, b in taken):
                out.append(self._class_mention(text, m))
        out.sort(key=lambda h: h.start)
        return self._usage(text, out)

    # -- how the hardware was used: duration and device-hours, per sentence ------------
    def _usage(self, text: str, mentions: list[HardwareMention]) -> list[HardwareMention]:
        if not mentions:
            return mentions
        drop: set[int] = set()
        for m in self.device_hours.finditer(text):
            hours = self._hours(m)
            target = self._budget_target(text, m, mentions, drop)
            if hours is not None and target is not None:
                target.attrs.setdefault("gpu_hours", str(hours))
        mentions = [h for i, h in enumerate(mentions) if i not in drop]
        for m in self.duration.finditer(text):
            n = _number(m.group("n"))
            iso = iso_duration(n, m.group("unit")) if n is not None else None
            if iso is None:
                continue
            s, e = _sentence_bounds(text, m.start())
            for h in mentions:
                if s <= h.start < e:
                    h.attrs.setdefault("duration", iso)
        return mentions

    @staticmethod
    def _hours(m: re.Match) -> int | None:
        n = _number(m.group("n"))
        if n is None:
            return None
        mult = (m.group("mult") or "").lower()
        n *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get(mult, 1)
        if m.group("unit").lower().startswith("day"):
            n *= 24
        return round(n)

    @staticmethod
    def _budget_target(text: str, m: re.Match, mentions: list[HardwareMention], drop: set[int]):
        """The mention a device-hours budget belongs to: a product named inside
        it ("2,048 A100 GPU hours"), else a product in the same sentence (the
        budget's own "GPU" is then no hardware of its own), else the class
        mention inside it, else the nearest mention in the sentence."""
        s, e = _sentence_bounds(text, m.start())
        inside = [i for i, h in enumerate(mentions) if h.start < m.end() and m.start() < h.end]
        products = [i for i, h in enumerate(mentions) if s <= h.start < e and "product" in mentions[i].attrs]
        for i in inside:
            if "product" in mentions[i].attrs:
                return mentions[i]
        if products:
            drop.update(i for i in inside if "product" not in mentions[i].attrs)
            return mentions[min(products, key=lambda i: abs(mentions[i].start - m.start()))]
        if inside:
            return mentions[inside[0]]
        near = [i for i, h in enumerate(mentions) if s <= h.start < e]
        return mentions[min(near, key=lambda i: abs(mentions[i].start - m.start()))] if near else None
