"""The spaCy pipeline: ``spacy.blank("en")`` plus our own components.

Every component is a thin wrapper registered with ``@Language.factory``; the
work happens in plain functions and classes of the sibling modules. State
passes between components in ``doc._.kg``, a :class:`DocState`; each
component declares the fields it ``requires`` and ``assigns``, and
:func:`build_pipeline` checks that every requirement is assigned earlier.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .light_spacy import import_spacy

spacy = import_spacy()  # before any other import of spaCy: without its command line

from spacy.attrs import LANG, LOWER  # noqa: E402
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from .abbreviations import Abbreviation, find_abbreviations
from .assemble import Assembler, EntityDraft, LinkDraft
from .candidates import Cand, CoinageFinder, Typer, cand
from .hardware import HardwareFinder
from .phrases import VocabMatcher, load_tables
from .resources import load_patterns
from .rules import CUE_RULES, CueRules, build_head_re
from .scan import FastPattern
from .sentences import split_sentences
from .vocab import VocabIndex, shared_vocab

log = logging.getLogger(__name__)

if not Doc.has_extension("kg"):
    Doc.set_extension("kg", default=None)

Span = tuple[int, int]


@dataclass(slots=True)
class DocState:
    """What the components know about one document (``doc._.kg``).

    Offsets are into ``text`` = title + "\\n" + abstract (``Doc.text`` would
    rebuild it token by token).
    """

    text: str
    title_end: int  # length of the title
    sents: list[Span] = field(default_factory=list)  # sentence char spans
    cands: list[Cand] = field(default_factory=list)  # candidate spans of every rule
    abbrevs: list[Abbreviation] = field(default_factory=list)  # acronym definitions
    coined: list[tuple[int, int, str]] = field(default_factory=list)  # coined-name tokens
    masked: list[Span] = field(default_factory=list)  # URLs: no entity inside
    regions: list[tuple[int, int, str]] = field(default_factory=list)  # propose/naming clause spans
    entities: list[EntityDraft] = field(default_factory=list)
    links: list[LinkDraft] = field(default_factory=list)


def new_state(text: str) -> DocState:
    """Fresh per-doc state; ``text`` is the doc's text."""
    i = text.find("\n")
    return DocState(text, i if i >= 0 else len(text))


def _state(doc: Doc) -> DocState:
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
    requires: tuple[str, ...] = ()
    assigns = ("sents",)

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        te = st.title_end
        sents = [(0, te)] if te > 0 else []
        sents.extend(split_sentences(st.text, min(te + 1, len(st.text))))
        st.sents = sents
        return doc


class VocabComponent:
    """Vocabulary matching with PhraseMatcher; case-insensitive except forms with
    inner capitals (all-caps short forms, mixed case)."""

    requires: tuple[str, ...] = ()
    assigns = ("cands",)

    def __init__(self, nlp: Language, vocab_dir: str | None):
        self.index, _ = _shared(vocab_dir)
        # hardware entries are matched too: kg_hardware finds hardware, but
        # vocabulary products still name it
        self.entries = self.index.entries
        self.matcher = VocabMatcher(nlp.vocab, *load_tables(self.entries, nlp.tokenizer))
        pats = load_patterns()["vocab"]
        self.modifier_form = re.compile(pats["modifier_form"])
        self.modifier_next = re.compile(pats["modifier_next"])
        self.modifier_after = re.compile(pats["modifier_after"])

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        cands = st.cands
        entries = self.entries
        text = st.text
        for i, s, e in self.matcher(doc):
            entry = entries[i]
            cs = doc[s].idx
            last = doc[e - 1]
            ce = last.idx + len(last.text)
            if self.modifier_form.search(text, cs, ce) and self.modifier_next.match(text[ce : ce + 3]):
                continue
            if text.startswith("-", ce) and text[cs].islower() and self.modifier_after.match(text, ce):
                continue  # "a distillation-based objective": a common noun made a modifier names no entity used
            cands.append(cand("vocab", cs, ce, text[cs:ce], entry.type, name=entry.name, attrs=dict(entry.attrs)))
        return doc


class HardwareComponent:
    requires: tuple[str, ...] = ()
    assigns = ("cands",)

    def __init__(self):
        self.finder = HardwareFinder()

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        for h in self.finder.find(st.text):
            st.cands.append(cand("hardware", h.start, h.end, h.text, "Hardware", name=h.name, count=h.count, attrs=h.attrs))
        return doc


class AbbreviationComponent:
    requires: tuple[str, ...] = ()
    assigns = ("abbrevs",)

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        st.abbrevs = find_abbreviations(st.text)
        return doc


class CueComponent:
    """Coined tokens, propose/naming clauses, then every rule of :data:`kg.nlp.rules.CUE_RULES`."""

    requires = ("sents",)
    assigns = ("masked", "coined", "regions", "cands")

    def __init__(self, vocab_dir: str | None):
        _, typer = _shared(vocab_dir)
        self.coinage = CoinageFinder()
        self.rules = CueRules(typer)
        heads_re, name_re = build_head_re(typer.heads)
        # the head nouns are literals: the pattern is tried only where one of them occurs
        self.rules.head_re = (FastPattern(heads_re), name_re)

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        text = st.text
        st.masked = self.coinage.urls(text)
        st.coined = self.coinage.find(text, st.masked)
        st.regions = self.rules.propose_regions(text, st.sents)
        for _name, _key, rule in CUE_RULES:
            st.cands.extend(rule(self.rules, st))
        return doc


class AssembleComponent:
    requires = ("sents", "cands", "coined", "abbrevs", "regions", "masked")
    assigns = ("entities", "links")

    def __init__(self, vocab_dir: str | None):
        _, typer = _shared(vocab_dir)
        self.assembler = Assembler(typer)

    def __call__(self, doc: Doc) -> Doc:
        st = _state(doc)
        st.entities, st.links = self.assembler.assemble(
            st.text, st.title_end, st.sents, st.cands, st.coined, st.abbrevs, st.regions, st.masked
        )
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


#: Whitespace chunks the tokenizer remembers (spaCy's default, 10,000, is full after a few hundred
#: abstracts; then every later word is split again). A few MB at most.
TOKENIZER_CACHE = 200_000
#: The registry name of :func:`make_fast_tokenizer` (``[nlp.tokenizer]`` of :func:`build_pipeline`'s config).
FAST_TOKENIZER = "kg.fast_tokenizer.v1"


@spacy.registry.tokenizers(FAST_TOKENIZER)
def fast_tokenizer_factory():
    """The registered form of :func:`make_fast_tokenizer`, for ``spacy.blank``'s config."""
    return make_fast_tokenizer


def make_fast_tokenizer(nlp: Language) -> Tokenizer:
    r"""spaCy's tokenizer of ``nlp``'s language, made to use its cache on the abstract.

    The tokenizer memoises how each whitespace-separated chunk splits, but stops saving to that
    cache for the rest of a document once a special case has been used in it (spaCy #1250), and
    "\n", the one newline between title and abstract (:func:`kg.nlp._combine`), is a special
    case. So every abstract was split chunk by chunk from scratch: some 40% of the extractor's
    time. That special case only says "\n" is the token "\n", which the tokenizer's ordinary
    rules give anyway (a lone whitespace chunk is one token), so dropping it changes no token.

    Built in one call with every argument, and by ``spacy.blank`` itself (:data:`FAST_TOKENIZER`):
    each of the Tokenizer's setters (rules and the five regex methods) loads its 1,347 special
    cases again (some 0.08 s each), and replacing blank()'s own tokenizer afterwards would build
    and load one more.
    """
    d = nlp.Defaults
    keep_lexeme_attrs(nlp.vocab)  # before the special cases below make their lexemes
    # Other special cases ("e.g.", "vs.", "don't") still end the caching for the rest of their
    # document, whose chunks then go through the affix regexes again, some 10 µs a search:
    # the regexes' answers are remembered per string instead (they depend on nothing else).
    methods = {
        "prefix_search": spacy.util.compile_prefix_regex(d.prefixes).search if d.prefixes else None,
        "suffix_search": spacy.util.compile_suffix_regex(d.suffixes).search if d.suffixes else None,
        "infix_finditer": spacy.util.compile_infix_regex(d.infixes).finditer if d.infixes else None,
        "token_match": d.token_match,  # (English has none)
        "url_match": d.url_match,
    }
    remembered = {name: _Remembered(m, every=name == "infix_finditer") if m is not None else None
                  for name, m in methods.items()}
    rules = {k: v for k, v in d.tokenizer_exceptions.items() if k != "\n"}
    return Tokenizer(nlp.vocab, rules=rules, max_cache_size=TOKENIZER_CACHE, **remembered)


#: The lexeme attributes the components read (token text, offsets and these): spaCy computes every
#: attribute of its language's defaults (23 for English: shape, norm, stop word, like_num …, each a
#: Python call) for every new word, some 40% of tokenising a fresh paper. Only these are kept.
LEXEME_ATTRS = (LOWER, LANG)


def keep_lexeme_attrs(vocab) -> None:
    """Make ``vocab`` compute only :data:`LEXEME_ATTRS` for new words (the components read no
    other; ``tests/test_nlp_tokenizer.py`` checks that the extraction is the same with all of them)."""
    vocab.lex_attr_getters = {k: f for k, f in vocab.lex_attr_getters.items() if k in LEXEME_ATTRS}


class _Remembered:
    """A tokenizer's regex method (``pattern.search``, ``.match`` or, with ``every``, ``.finditer``)
    answering each string it has seen from memory (at most :data:`TOKENIZER_CACHE` strings).
    ``__self__`` is the pattern, as spaCy's serialisation expects of these methods."""

    def __init__(self, method, every: bool = False) -> None:
        self.method = method
        self.__self__ = method.__self__
        self.every = every
        self.seen: dict = {}

    def __call__(self, string: str):
        try:
            return self.seen[string]
        except KeyError:
            pass
        got = self.method(string)
        if self.every:
            got = list(got)
        if len(self.seen) < TOKENIZER_CACHE:
            self.seen[string] = got
        return got


def build_pipeline(vocab_dir: str | None = None) -> Language:
    """``spacy.blank("en")`` with the kg components in order."""
    # the tokenizer of the config, so that blank() does not build spaCy's own first
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": FAST_TOKENIZER}}})
    cfg = {"vocab_dir": str(vocab_dir) if vocab_dir is not None else None}
    assigned = {"text", "title_end"}
    for name, config in (("kg_sentences", None), ("kg_vocab", cfg), ("kg_hardware", None),
                         ("kg_abbreviations", None), ("kg_cues", cfg), ("kg_assemble", cfg)):
        comp = nlp.add_pipe(name, config=config) if config else nlp.add_pipe(name)
        missing = set(comp.requires) - assigned
        if missing:
            raise RuntimeError(f"pipeline component {name} requires {sorted(missing)}, which no earlier component assigns")
        assigned.update(comp.assigns)
    return nlp
