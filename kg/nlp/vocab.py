"""Vocabulary loading: the ``kg/ontology/vocab/*.tsv`` files (see their README).

Each line is ``name<TAB>aliases<TAB>attrs``; aliases are ``|``-separated and
attrs are ``key=value`` pairs separated by ``;``. Case, hyphen/space variants
and plurals are not listed in the files: :func:`surface_variants` generates
them once at load time so matching stays a table lookup.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..resources import MissingDataFile, data_dir
from ..types import ENTITY_TYPE_TABLE
from .textutil import fold
from .words import english_names, english_words

log = logging.getLogger(__name__)

#: file name -> entity type (declared with each type in kg.types.ENTITY_TYPE_TABLE)
VOCAB_FILES: dict[str, str] = {t.vocab_file: t.name for t in ENTITY_TYPE_TABLE}


@dataclass(slots=True)
class VocabEntry:
    """One vocabulary line: canonical name, type, aliases and typed extras."""

    name: str
    type: str
    aliases: tuple[str, ...] = ()
    attrs: dict[str, str] = field(default_factory=dict)

    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def default_vocab_dir() -> Path:
    """The vocabulary shipped in the package: ``kg/ontology/vocab``."""
    return data_dir("ontology", "vocab")


def parse_attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            if k.strip():
                out[k.strip()] = v.strip()
    return out


def load_vocab(directory: str | Path | None = None) -> list[VocabEntry]:
    """Read every vocabulary file of ``directory`` (default: the shipped one).

    Every file of :data:`VOCAB_FILES` must be there and hold at least one
    entry: a missing or empty file is :class:`MissingDataFile` naming it, since
    extracting with part of the vocabulary silently gives a different graph."""
    d = Path(directory) if directory is not None else default_vocab_dir()
    entries: list[VocabEntry] = []
    for fname, etype in VOCAB_FILES.items():
        path = d / fname
        if not path.is_file():
            raise MissingDataFile(f"{path}: vocabulary file missing; reinstall paperkg")
        before = len(entries)
        with path.open(encoding="utf-8") as fh:
            for lineno, raw in enumerate(fh, 1):
                line = raw.rstrip("\r\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cols = line.split("\t")
                name = cols[0].strip()
                if not name:
                    log.warning("%s:%d: empty name", path, lineno)
                    continue
                aliases = tuple(a.strip() for a in cols[1].split("|") if a.strip()) if len(cols) > 1 else ()
                attrs = parse_attrs(cols[2]) if len(cols) > 2 else {}
                entries.append(VocabEntry(name, etype, aliases, attrs))
        if len(entries) == before:
            raise MissingDataFile(f"{path}: vocabulary file has no entries; reinstall paperkg")
    log.info("loaded %d vocabulary entries from %s", len(entries), d)
    return entries


@functools.lru_cache(maxsize=8)
def _shared_vocab(directory: Path) -> tuple[VocabEntry, ...]:
    return tuple(load_vocab(directory))


def shared_vocab(directory: str | Path | None = None) -> tuple[VocabEntry, ...]:
    """:func:`load_vocab`, parsed once a process per directory and shared by
    every caller (the pipeline, the build's resolver): do not mutate the entries."""
    d = Path(directory) if directory is not None else default_vocab_dir()
    return _shared_vocab(d.resolve())


def vocabulary_digest(directory: str | Path | None = None) -> str:
    """SHA-256 (hex) over the vocabulary files of ``directory`` and the pattern
    data of :mod:`kg.nlp` (``kg/nlp/data``): it changes whenever what the
    extractor knows changes, so stored extractions can be invalidated.
    Reads ~150 kB; needs no spaCy."""
    d = Path(directory) if directory is not None else default_vocab_dir()
    patterns = data_dir("nlp", "data")
    h = hashlib.sha256()
    for label, path in [*((f"vocab/{f}", d / f) for f in VOCAB_FILES),
                        *((f"data/{p.name}", p) for p in sorted(patterns.iterdir()) if p.is_file())]:
        try:
            content = path.read_bytes()
        except FileNotFoundError:  # a missing vocabulary file is allowed, and differs from an empty one
            h.update(f"{label}\0missing\0".encode())
            continue
        h.update(f"{label}\0{len(content)}\0".encode())
        h.update(content)
    return h.hexdigest()


_HYPHEN = re.compile(r"\s*[-‐‑‒–]\s*")
_SPACE = re.compile(r"\s+")


_WORD_SPLIT = re.compile(r"[\s\-‐‑‒–/]+")


def is_case_sensitive(form: str, etype: str | None = None) -> bool:
    """Forms with a capital letter after the first character only match as written.

    All-caps acronyms (GLUE, MATH, PPO) and mixed-case names (ComplEx, LLaMA)
    are often ordinary words when lower-cased ("math", "complex"); plain or
    capitalised forms ("Transformer", "Self-attention") match in any case. So
    do Title Case forms of techniques and tasks (``etype`` Method or Task:
    "Sharpness-Aware Minimization" is also written "sharpness aware
    minimization"), whose words are common nouns; the Title Case of a model
    or dataset name is part of the name ("Switch Transformer").
    """
    if form in english_names():  # "Whisper", "Spider": lower-cased, an English word
        return True
    if etype in _COMMON_NOUN_TYPES:
        return any(any(c.isupper() for c in w[1:]) for w in _WORD_SPLIT.split(form))
    return any(c.isupper() for c in form[1:])


_COMMON_NOUN_TYPES = ("Method", "Task")


def matches_lower_case(form: str) -> bool:
    """A case-sensitive form that still matches in any case: one with a digit ("GPT-4o" is
    written "gpt-4o" too, and no English word looks like it), unless a capitalised word without a
    digit beside it carries the case ("3D Shapes" lower-cased is the phrase "3d shapes")."""
    if not (any(c.isdigit() for c in form) and sum(c.isalpha() for c in form) >= 2):
        return False
    return not any(w[:1].isupper() and not any(c.isdigit() for c in w) for w in form.split(" ")[1:])


_CAPS_RUN = re.compile(r"^[A-Z]{2,}(?=[a-z])")


def capitalised_spelling(form: str) -> str | None:
    """"LLaMA" -> "Llama", "LLaVA-Med" -> "Llava-Med": a form whose first word opens with a run
    of capitals followed by lower case is also written capitalised only. None for other forms
    (all-caps acronyms such as "MATH" would become English words)."""
    words = form.split(" ")
    parts = words[0].split("-")
    if not _CAPS_RUN.match(parts[0]):
        return None
    parts[0] = parts[0][0] + parts[0][1:].lower()
    if len(parts) == 1 and len(words) == 1 and parts[0].lower() in english_words():
        return None  # "BEATs" written "Beats" is the English word
    return " ".join(["-".join(parts), *words[1:]])


def _join_hyphenated(word: str) -> str:
    """"pre-training" -> "pretraining": two alphabetic parts of three letters or more (not "MultiPL-E")."""
    parts = word.split("-")
    return "".join(parts) if len(parts) == 2 and all(len(p) >= 3 and p.isalpha() for p in parts) else word


def surface_variants(form: str) -> set[str]:
    """Hyphen/space/joined spellings and singular/plural forms of one surface form."""
    base = _SPACE.sub(" ", form.strip())
    out = {base}
    if _HYPHEN.search(base):
        out.add(_HYPHEN.sub(" ", base))
        hyphened = _HYPHEN.sub("-", base)
        out.add(hyphened)
        out.add(_join_hyphenated(hyphened))  # "pre-training" -> "pretraining", not "MultiPL-E" -> "MultiPLE"
    words = base.split(" ")
    if 1 < len(words) <= 4:
        out.add("-".join(words))
        # a hyphenated word inside a longer form is also written joined ("continual pre-training" ->
        # "continual pretraining"), as a whole form is (above)
        for i, w in enumerate(words):
            j = _join_hyphenated(w)
            if j != w:
                out.add(" ".join([*words[:i], j, *words[i + 1 :]]))
    spaced = _HYPHEN.sub(" ", base).split(" ")
    if 3 <= len(spaced) <= 4:
        # partial hyphenation: "long range arena" is also written "long-range arena"
        for i in range(len(spaced) - 1):
            out.add(" ".join(spaced[:i]) + (" " if i else "") + "-".join(spaced[i : i + 2]) + (" " if i + 2 < len(spaced) else "") + " ".join(spaced[i + 2 :]))
    more = set()
    for v in out:
        if not v or not v[-1].isalpha():
            continue
        if v.endswith("s") and not v.endswith("ss") and len(v) > 3:
            more.add(v[:-1])
        elif v.endswith(("x", "ch", "sh")) or v.endswith("ss"):
            more.add(v + "es")
        elif v.endswith("y") and len(v) > 3 and v[-2] not in "aeiou" and v[-2].islower():
            more.add(v[:-1] + "ies")
            more.add(v + "s")
        else:
            more.add(v + "s")
    out |= more
    return {v for v in out if v}


class VocabIndex:
    """Vocabulary entries indexed by folded surface form."""

    def __init__(self, entries: list[VocabEntry]):
        self.entries = entries
        self.by_fold: dict[str, list[VocabEntry]] = {}
        for e in entries:
            for f in e.forms():
                lst = self.by_fold.setdefault(fold(f), [])
                if e not in lst:
                    lst.append(e)

    def lookup(self, name: str, etype: str | None = None) -> VocabEntry | None:
        lst = self.by_fold.get(fold(name))
        if not lst:
            return None
        if etype is None:
            return lst[0]
        for e in lst:
            if e.type == etype:
                return e
        return None

    def __len__(self) -> int:
        return len(self.entries)
