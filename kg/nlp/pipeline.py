"""The spaCy pipeline: ``spacy.blank("en")`` plus our own components.

Every component is a thin wrapper registered with ``@Language.factory``; the
work happens in plain functions and classes of the sibling modules. State
passes between components in ``doc._.kg`` (a dict):

* ``title_end`` — length of the title (the text is ``title + "\\n" + abstract``)
* ``sents`` — sentence char spans (component ``kg_sentences``)
* ``cands`` — candidate spans (``kg_vocab``, ``kg_hardware``, ``kg_cues``)
* ``coined`` — coined-name tokens (``kg_cues``)
* ``abbrevs`` — acronym definitions (``kg_abbreviations``)
* ``regions`` — propose/naming clause spans (``kg_cues``)
* ``entities``/``links`` — drafts (``kg_assemble``)
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .abbreviations import find_abbreviations
from .assemble import Assembler
from .candidates import PRIO_HARDWARE, PRIO_VOCAB, Cand, CoinageFinder, Typer
from .hardware import HardwareFinder
from .phrases import VocabMatcher, load_tables
from .resources import load_patterns
from .rules import CueRules, build_head_re
from .sentences import split_sentences
from .vocab import VocabIndex, shared_vocab

log = logging.getLogger(__name__)

if not Doc.has_extension("kg"):
    Doc.set_extension("kg", default=None)


def new_state(text: str) -> dict:
    """Fresh per-doc state; ``text`` is the doc's text (``Doc.text`` rebuilds it token by token)."""
    i = text.find("\n")
    return {"text": text, "title_end": i if i >= 0 else len(text), "cands": [], "coined": [], "abbrevs": [], "regions": []}


def _state(doc: Doc) -> dict:
    st = doc._.kg
    if st is None:
        st = new_state(doc.text)
        doc._.kg = st
    return st


@lru_cache(maxsize=4)
def _shared(vocab_dir: str | None) -> tuple[VocabIndex, Typer]:
    index = VocabIndex(list(shared_vocab(vocab_dir)))
    return index, Typer(index)


# ---------------------------------------------------------------- components


class SentenceComponent:
    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        te = st["title_end"]
        sents = [(0, te)] if te > 0 else []
        sents.extend(split_sentences(st["text"], min(te + 1, len(st["text"]))))
        st["sents"] = sents
        return doc


class VocabComponent:
    """Vocabulary matching with PhraseMatcher; case-insensitive except forms with
    inner capitals (all-caps short forms, mixed case)."""

    def __init__(self, nlp: Language, vocab_dir: str | None):
        self.index, _ = _shared(vocab_dir)
        # hardware entries are matched too: kg_hardware finds hardware, but
        # vocabulary products still name it
        self.entries = self.index.entries
        self.matcher = VocabMatcher(nlp.vocab, *load_tables(self.entries, nlp.tokenizer))
        pats = load_patterns()["vocab"]
        self.modifier_form = re.compile(pats["modifier_form"])
        self.modifier_next = re.compile(pats["modifier_next"])

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        cands = st["cands"]
        entries = self.entries
        text = st["text"]
        for i, s, e in self.matcher(doc):
            entry = entries[i]
            cs = doc[s].idx
            last = doc[e - 1]
            ce = last.idx + len(last.text)
            if self.modifier_form.search(text, cs, ce) and self.modifier_next.match(text[ce : ce + 3]):
                continue
            cands.append(
                Cand(cs, ce, text[cs:ce], entry.type, "vocab", PRIO_VOCAB, 0.9, name=entry.name, attrs=dict(entry.attrs))
            )
        return doc


class HardwareComponent:
    def __init__(self):
        self.finder = HardwareFinder()

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        for h in self.finder.find(st["text"]):
            st["cands"].append(
                Cand(h.start, h.end, h.text, "Hardware", "hardware", PRIO_HARDWARE, 0.9, name=h.name, count=h.count, attrs=h.attrs)
            )
        return doc


class AbbreviationComponent:
    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        st["abbrevs"] = find_abbreviations(st["text"])
        return doc


class CueComponent:
    """Coined tokens, title colon, propose/naming clauses, "X dataset" head nouns."""

    def __init__(self, vocab_dir: str | None):
        _, typer = _shared(vocab_dir)
        self.coinage = CoinageFinder()
        self.rules = CueRules(typer)
        self.head_re = build_head_re(typer.heads)

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        text = st["text"]
        masked = self.coinage.urls(text)
        st["masked"] = masked
        st["coined"] = self.coinage.find(text, masked)
        regions = self.rules.propose_regions(text, st["sents"])
        st["regions"] = regions
        tc = self.rules.title_colon(text, st["title_end"])
        cands = st["cands"]
        if tc is not None:
            cands.append(tc)
            regions.append((tc.start, tc.end, "title"))
        cands.extend(self.rules.region_phrases(text, regions))
        cands.extend(self.rules.head_noun_names(text, self.head_re, st["title_end"]))
        cands.extend(self.rules.term_phrases(text, st["title_end"]))
        cands.extend(self.rules.based_on_names(text, st["sents"]))
        cands.extend(self.rules.task_phrases(text, st["title_end"]))
        cands.extend(self.rules.cited_names(text))
        cands.extend(self.rules.hyponyms(text))
        return doc


class AssembleComponent:
    def __init__(self, vocab_dir: str | None):
        _, typer = _shared(vocab_dir)
        self.assembler = Assembler(typer)

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        ents, links = self.assembler.assemble(
            st["text"], st["title_end"], st["sents"], st["cands"], st["coined"], st["abbrevs"], st["regions"],
            st.get("masked", ()),
        )
        st["entities"] = ents
        st["links"] = links
        return doc


@Language.factory("kg_sentences")
def make_sentences(nlp: Language, name: str):
    return SentenceComponent()


@Language.factory("kg_vocab", default_config={"vocab_dir": None})
def make_vocab(nlp: Language, name: str, vocab_dir: str | None):
    return VocabComponent(nlp, vocab_dir)


@Language.factory("kg_hardware")
def make_hardware(nlp: Language, name: str):
    return HardwareComponent()


@Language.factory("kg_abbreviations")
def make_abbreviations(nlp: Language, name: str):
    return AbbreviationComponent()


@Language.factory("kg_cues", default_config={"vocab_dir": None})
def make_cues(nlp: Language, name: str, vocab_dir: str | None):
    return CueComponent(vocab_dir)


@Language.factory("kg_assemble", default_config={"vocab_dir": None})
def make_assemble(nlp: Language, name: str, vocab_dir: str | None):
    return AssembleComponent(vocab_dir)


def build_pipeline(vocab_dir: str | None = None) -> Language:
    """``spacy.blank("en")`` with the kg components in order."""
    nlp = spacy.blank("en")
    cfg = {"vocab_dir": str(vocab_dir) if vocab_dir is not None else None}
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_vocab", config=cfg)
    nlp.add_pipe("kg_hardware")
    nlp.add_pipe("kg_abbreviations")
    nlp.add_pipe("kg_cues", config=cfg)
    nlp.add_pipe("kg_assemble", config=cfg)
    return nlp
