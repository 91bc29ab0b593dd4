"""Merge candidate spans into entities with one role each, then find links.

Plain functions over offsets; :class:`Assembler` holds compiled patterns.
Offsets are into the combined text ``title + "\\n" + abstract``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .textutil import fold, has_word, word_spans
from kg.types import DEFAULT_ROLE

from .abbreviations import Abbreviation
from .candidates import VARIANT, Cand, Typer, cand
from .resources import load_patterns
from .links import LinkDraft, Linker
from .words import languages, metric_acronyms, non_term_words, verb_gerunds


@dataclass(slots=True)
class EntityDraft:
    key: str
    name: str
    type: str
    role: str
    cands: list[Cand] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    confidence: float = 0.5
    count: int | None = None
    attrs: dict = field(default_factory=dict)
    evidence: tuple[int, int] = (0, 0)
    rule: str = ""


_DATASET_CTX = re.compile(
    r"\b(?:datasets?|benchmarks?|corpus|corpora|suites?|test\s*beds?|leaderboards?|tasks\s+(?:including|such\s+as|like))\b", re.I
)
_LIST_INTRO = re.compile(
    r"(?:\b(?:on|across|over|including|includes|include|such\s+as|like|namely|e\.g\.,?|i\.e\.,?|and|or|as\s+well\s+as|both|from|using|of|datasets?|benchmarks?|corpora|tasks)\s+(?:the\s+)?|[:,(]\s*)$"
)
_DATASET_VERSION = re.compile(r"[\s-]?(?:(?:19|20)\d{2}|v\d+(?:\.\d+)*|\d{2}(?=\b))(?![\w%.-]\w)")
def _WORDCH(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"


_FUNCTION_WORDS = frozenset(
    "a an the and or of for in on to with by from as at that which who is are was were be can will "
    "has have had not into via than then also while where when".split()
)
_EXPAND_RULES = frozenset({"hearst", "title_colon", "cue_propose", "cue_naming", "cue_variant", "cited_name", "head_noun", "cue_based_on", "abbreviation", "task_title"})
_PUNCT = "`'\"‘’“”,;:()[]"
_RESULT_ON = re.compile(
    r"\b(?:evaluat\w*|experiments?|results?|accuracy|scores?|performance|tested|benchmarked|state[\s-]of[\s-]the[\s-]art|SOTA|\d+(?:\.\d+)?\s?%)"
    r"\s+(?:[\w\-]+\s+){0,3}?(?:on|across)\s+(?:the\s+)?$"
)
# the gap between two coordinated names: ", ", " and ", ", and ", " or ", or one more name between
_SIBLING_GAP = re.compile(r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)(?:[\w\-.]+(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+))?")
_SIZE_AFTER = re.compile(r"(?:[\s-]\d+(?:\.\d+)?[BMKT]|-(?:Base|Large|Small|Tiny|Mini|XL|XXL|Instruct|Chat|v\d+(?:\.\d+)?))+(?![\w-]|\.\w)")
# a one- or two-letter size after the paper's own name ("FooFormer-S", "FooFormer-XL"; a known name's
# letters are the vocabulary's to tell)
_SIZE_LETTER_AFTER = re.compile(r"-(?:[SMLBHGT]|XS|XL)(?![\w-]|\.\w)")
_PARAM_COUNT = re.compile(r"[\s-]\d+(?:\.\d+)?[BMT](?![\w.])")  # "-7B", " 1.5B": a checkpoint's parameter count
_SIZE_LETTER_END = re.compile(r"-(?:[SMLBHGT]|XS|XL)$")
_PREFIX_BEFORE = re.compile(r"(?<![\w-])[A-Z][a-z]+-$")
# a lower-case noun right after a name, in the same noun phrase ("LoRA scaling rule", not "LoRA for ...")
_MODIFIES_NOUN = re.compile(r"\s+((?!(?:and|or|for|to|of|in|on|with|by|via|that|which|is|are|as|from|at|into|than|while|where|when|whose|can|could|we|it|its|their)\b)[a-z][a-z\-]*[a-z])\b(?!-)")
_ENUM_MARKER = re.compile(r"[A-Z]\d{1,2}")
_APPOSED_NAME = re.compile(r"s?,\s+(?:(?:called|named|dubbed|termed)\s+)?(?:[A-Z]|[a-z]+[A-Z])")
# "we introduce LoRA into ...", "we introduce dropout and weight decay into ...": a known technique brought
# to a new use (coordinated members too, each a known name of at most three words)
_BROUGHT_INTO = re.compile(r"(?:(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)[\w\-]+(?:\s[\w\-]+){0,2}?){0,3}\s+(?:into|to)\s")
_PREV_TITLE_WORD = re.compile(r"(?:^|(?<=[\s:]))([A-Z][a-z]+(?:-[A-Za-z]+)*)\s$")  # a capitalised word right before
_METHOD_PLURALS = frozenset(("techniques", "methods", "approaches"))
_TASK_BOUND_FREE = frozenset(("vocab", "abbreviation"))  # names written as known or defined keep their words
_NEXT_NOUN = re.compile(r"\s+([a-z][\w\-]*)\b")
_ABILITY_NOUNS = frozenset("ability abilities capability capabilities skill skills competence proficiency".split())
_MODEL_EVIDENCE = ("apposition", "report", "variant", "head")  # typed_by marks that keep a paper's own Model a Model
_DATA_LIST_INTRO = re.compile(r"\b(?:on|across|including|such\s+as|like|namely|datasets?|benchmarks?|corpora|suites?)\s+(?:the\s+)?$|[:(]\s*$")
_SIBLING_NAME = r"([A-Z][\w\-]*(?:\s[A-Z][\w\-]*){0,2})"
_SIBLING_BEFORE = re.compile(rf"(?<![\w-]){_SIBLING_NAME}(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")
_SIBLING_AFTER = re.compile(rf"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+){_SIBLING_NAME}(?![\w-])")
_SENT_START = frozenset("We Our The This These In To A An It Its They Their Here However Both Such For With On From".split())
_MODIFIER_BEFORE = re.compile(r"(?<![\w-])([A-Za-z][a-z]+)\s+$")
_HEAD_AFTER = re.compile(r"(?:\s+|-based\s+)([A-Za-z][\w\-]*)(?:\s+([A-Za-z]+))?")
_PROCESS_NOUN = re.compile(r"(?:ing|tion|sion|ment)s?$")
_HEAD_PAREN = re.compile(r"(?<![\w-])([a-z][\w\-]*?)(?:s|es)?\s*\(\s*$")
_PAREN_GAP = re.compile(r"[^.;()]{0,80}?\(\s*")
_NAMING_LATER = re.compile(r"[^,.;:()]*?\b(?:called|named|dubbed|termed|coined)\s")
_COMPARE_CTX = re.compile(
    r"\b(?:outperform\w*|surpass\w*|compared?\s+(?:to|with)|than|over|beat\w*|versus|vs\.?|baselines?|such\s+as|including|like)\b", re.I
)

_MM = ("Method", "Model")
_NAME_WORDS = re.compile(r"[\s-]+")
# what may stand before a title's leading technique name: nothing, or an indefinite article ("A Foo
# Iteration for ..."; "The" leads a topic: "The Foo Effect in ...")
_TITLE_LEAD_ARTICLE = re.compile(r"(?:An?\s+)?")
_LIST_TAIL_WORDS = frozenset("others beyond more variants baselines etc".split())  # "A, B and Others"
_OWN_EVIDENCE = ("coinage_head", "coinage_suffix", "coinage_component")
_UNTYPED = ("Method", None)  # a definition nothing types: a Method unless its short form's uses say otherwise


@dataclass(slots=True)
class Work:
    """One document's assembly state, passed through the :data:`ASSEMBLY_RULES`."""

    text: str
    title_end: int
    sents: list[tuple[int, int]]
    cands: list[Cand]
    coined: list[tuple[int, int, str]]
    abbrevs: list[Abbreviation]
    regions: list[tuple[int, int, str]]
    masked: list[tuple[int, int]] | tuple
    sent_starts: list[int] = field(default_factory=list)
    abbr_type: dict[str, str] = field(default_factory=dict)  # folded short form -> type of its definition
    abbr_long: dict[str, str] = field(default_factory=dict)  # folded short form -> long form ("" = not an entity)
    kept: list[Cand] = field(default_factory=list)  # candidates left after overlap resolution
    entities: list[EntityDraft] = field(default_factory=list)
    links: list[LinkDraft] = field(default_factory=list)

    def sent_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        return self.sents[i] if i >= 0 else (0, len(self.text))


class Assembler:
    def __init__(self, typer: Typer):
        pats = load_patterns()
        self.typer = typer
        self.windows = pats["windows"]
        self.linker = Linker(typer)
        self.own_sentence = re.compile(pats["roles"]["own_sentence"])
        self.study_of = re.compile(pats["roles"]["study_of"])
        self.study_title = re.compile(pats["roles"]["study_title"])
        self.used_before = re.compile(pats["roles"]["used_before"])
        self.title_lead_next = re.compile(pats["roles"]["title_lead_next"])
        self.our_paren = re.compile(pats["roles"]["our_paren"])
        self.new_apposition = re.compile(pats["roles"]["new_apposition"])
        self.cited_after = re.compile(pats["roles"]["cited_after"])
        self.prior_work = re.compile(pats["roles"]["prior_work"])
        self.named_later = re.compile(pats["roles"]["named_later"])
        self.task_apposition = re.compile(pats["roles"]["task_apposition"])
        self.modifier_suffix = re.compile(pats["roles"]["modifier_suffix"])
        self.np_drop = frozenset(w.lower() for w in pats["roles"]["np_drop"])
        self.part_nouns = frozenset(pats["terms"]["part_nouns"])
        self.term_stop = frozenset(w.lower() for w in pats["terms"]["stop"]) | non_term_words() | verb_gerunds()

    # ------------------------------------------------------------ typing of coined tokens
    def type_coined(self, text: str, s: int, e: int, tok: str, sent: tuple[int, int]) -> tuple[str, str] | None:
        """(type, weight key) of a coined token from its own shape and its context."""
        t = self.typer
        pt = self._paren_head_type(text, s, e)
        if pt:
            return pt, "coinage_head"  # "a toy benchmark (FooNet)": the head noun names what FooNet is
        st = t.suffix_type(tok)
        if st:
            return st, "coinage_suffix"
        ct = t.component_type(tok)
        if ct:
            return ct[0], "coinage_component"
        w = self.windows
        after = text[e : min(len(text), e + w["coinage_head_after"])]
        # "X dataset", "X pre-trained model", "FooConv-based model": the head noun right after
        hm = _HEAD_AFTER.match(after)
        if hm:
            h = self._class_head(hm.group(1))
            if h is None and hm.group(2) and hm.group(1).islower():
                h = self._class_head(hm.group(2))
            if h is not None:
                return h, "coinage_head"
        am = re.match(r",\s+(?:a|an|the)\s+((?:[\w\-]+\s+){0,6}?[\w\-]+?)(?=[\s,.;]|$)",
                      after + text[e + w["coinage_head_after"] : e + w["coinage_apposition"]])
        if am:
            for word in am.group(1).split()[::-1]:
                h = t.heads.get(fold(word))
                if h in ("Dataset", "Model", "Method"):
                    return h, "coinage_head"
        if self._modifier_coinage(text, s, e):
            return None  # "FOO-complete problems", "Foo-assisted proofs": the list or result is about the head noun
        before = text[max(sent[0], s - w["coinage_list_before"]) : s]
        sent_text = text[sent[0] : sent[1]]
        if _DATASET_CTX.search(sent_text) and _LIST_INTRO.search(before):
            return "Dataset", "coinage_list"
        if re.search(r"\b(?:on|across)\s+(?:the\s+)?$", before) and tok.isupper():
            return "Dataset", "coinage_on"
        if _RESULT_ON.search(before):
            return "Dataset", "coinage_list"  # "3% higher accuracy on X", "evaluated on X"
        return None

    def _class_head(self, word: str) -> str | None:
        """Type of a class noun after a name ("X dataset", "X model", "X loss"); a process noun says
        what is done to the name, not what it is ("X training", "X distillation")."""
        h = self.typer.heads.get(fold(word))
        if h not in ("Dataset", "Model", "Method") or h == "Method" and _PROCESS_NOUN.search(word):
            return None
        return h

    def _paren_head_type(self, text: str, s: int, e: int) -> str | None:
        """Type of the head noun right before a parenthesised name: "a geometric benchmark (FooNet)"."""
        if not text.startswith(")", e):
            return None
        pm = _HEAD_PAREN.search(text, max(0, s - 40), s)
        if pm is None:
            return None
        h = self.typer.heads.get(fold(pm.group(1)))
        return h if h in ("Dataset", "Model", "Method") else None

    # ------------------------------------------------------------ main
    def assemble(
        self,
        text: str,
        title_end: int,
        sents: list[tuple[int, int]],
        cands: list[Cand],
        coined: list[tuple[int, int, str]],
        abbrevs: list[Abbreviation],
        regions: list[tuple[int, int, str]],
        masked: list[tuple[int, int]] | tuple = (),
    ) -> tuple[list[EntityDraft], list[LinkDraft]]:
        """Run every :data:`ASSEMBLY_RULES` rule in order over one document's candidates."""
        w = Work(text, title_end, sents, cands, coined, abbrevs, regions, masked, sent_starts=[a for a, _ in sents])
        for _name, _key, rule in ASSEMBLY_RULES:
            rule(self, w)
        return w.entities, w.links

    # ------------------------------------------------------------ candidates from acronyms and coined tokens
    def abbreviation_cands(self, w: Work) -> None:
        """Acronym definitions: long and short form are one entity, typed by the long form."""
        for ab in w.abbrevs:
            self._definition(w, ab)

    def _definition(self, w: Work, ab: Abbreviation) -> None:
        t = self.typer
        short = fold(ab.short)
        generic = ab.short in t.not_names and t.index.lookup(ab.long) is None  # "... (PDEs)", "... (GPUs)": a class
        if fold(ab.long) in t.not_entities or short in t.not_entities or t.is_metric(ab.long) or generic:
            w.abbr_long[short] = ""
            return
        typed = self._definition_type(w.text, ab)
        if typed is _UNTYPED:
            typed = self._short_form_context_type(w, ab) or typed
        if typed is None or typed[0] == "Hardware":
            w.abbr_long[short] = ""
            return
        etype, name = typed
        if name is None and ab.by_short:
            name = ab.short  # "an activation space Foo KAN (F-KAN)": the short form names it
        w.abbr_type[short] = etype
        w.abbr_long[short] = ab.long
        surface = w.text[ab.long_start : ab.long_end]
        w.cands.append(cand("abbreviation", ab.long_start, ab.long_end, surface, etype, name=name,
                            label=None if surface == ab.long else ab.long))
        w.cands.append(cand("abbreviation", ab.short_start, ab.short_end, ab.short, etype, name=name))

    def _definition_type(self, text: str, ab: Abbreviation) -> tuple[str, str | None] | None:
        """(type, vocabulary name) of a definition; None when it is no entity."""
        t = self.typer
        # the long form decides; the short form's entry only when it agrees ("ASR" is ambiguous)
        e = t.index.lookup(ab.long)
        if e is None:
            e = t.index.lookup(ab.short)
            ht = t.head_type(ab.long)
            if e is not None and ht is not None and ht != e.type:
                e = None
        if e is not None:
            return e.type, e.name
        ht = t.head_type(ab.long)
        nxt = re.match(r"\s*\)?\s+([a-z]+)", text[ab.short_end : ab.short_end + 30])
        ph = self._head_after_paren(text, ab)
        if ph is not None:
            return ph, None  # "the Foo Bar Learning (FBL) dataset": the noun after says what it is
        if (
            ht is None and " " not in ab.long and nxt and nxt.group(1) not in _FUNCTION_WORDS
            and fold(nxt.group(1)) not in t.generic_heads
        ):
            return None  # "Key-Value (KV) caches": the long form modifies the next noun
        st = ht or t.suffix_type(ab.long) or t.suffix_type(ab.short)
        return (st, None) if st else _UNTYPED

    def _head_after_paren(self, text: str, ab: Abbreviation) -> str | None:
        """Type of a dataset or model class noun right after a definition's parenthesis, when the long
        form has no such noun of its own: "the Foo Bar Learning (FBL) dataset" -> "Dataset"."""
        if not text.startswith(")", ab.short_end) or self.typer.head_type(ab.long) in ("Dataset", "Model"):
            return None
        nm = re.match(r"\)\s+([a-z]+)\b", text[ab.short_end : ab.short_end + 30])
        h = self._class_head(nm.group(1)) if nm is not None else None
        return h if h in ("Dataset", "Model") else None

    def _short_form_context_type(self, w: Work, ab: Abbreviation) -> tuple[str, None] | None:
        """A definition its long form does not type takes the type the short form's own uses give it
        ("... (FPC) ... the sub-networks of the FPC model"): the first later mention that
        :meth:`type_coined` types decides; None when none does."""
        short = ab.short[:-1] if ab.short.endswith("s") and ab.short[:-1].isupper() else ab.short  # "PCs": "PC"
        for s, e, tok in w.coined:
            if s > ab.short_end and tok in (short, short + "s"):
                typed = self.type_coined(w.text, s, e, tok, w.sent_of(s))
                # the name's own evidence only (a head noun after it, its suffix, a known part), not the
                # list or result context it stands in
                if typed is not None and typed[1] in _OWN_EVIDENCE and typed[0] in ("Method", "Model", "Dataset"):
                    return typed[0], None
        return None

    def coined_cands(self, w: Work) -> None:
        """Coined tokens no other rule typed: by shape and context, else only when repeated or in the title."""
        for s, e, tok in w.coined:
            c = self._coined_cand(w, s, e, tok)
            if c is not None:
                w.cands.append(c)

    def _coined_cand(self, w: Work, s: int, e: int, tok: str) -> Cand | None:
        """The candidate for coined token ``tok`` at [s, e): a defined acronym or known name as listed, else
        the type its shape and context give it, proposed when the title or a naming clause introduces it."""
        t = self.typer
        text = w.text
        if _ENUM_MARKER.fullmatch(tok) and _enumeration_marker_at(text, s, e):
            return None  # "... solutions: (S1) Foo. (S2) Bar.": a list marker, not a name
        ft = fold(tok)
        if ft in w.abbr_long:
            if not w.abbr_long[ft]:
                return None
            return cand("abbreviation_mention", s, e, tok, w.abbr_type[ft], rule="abbreviation")
        ve = t.index.lookup(tok)
        if ve is not None:
            # usually the PhraseMatcher has it already; same span dedups below
            return cand("vocab", s, e, tok, ve.type, name=ve.name, attrs=dict(ve.attrs))
        in_title = s < w.title_end
        named_paren = self._after_naming_clause(w, s, e)
        typed = self.type_coined(text, s, e, tok, w.sent_of(s)) or self._sibling_type(w, s, e)
        if typed is None:
            typed = self._untyped_coinage(w, s, e, tok, named_paren, in_title)
            if typed is None:
                return None
        c = cand(typed[1], s, e, tok, typed[0], rule="coinage_default" if typed[1] == "coinage_default" else "coinage")
        if in_title and self._title_coinage_proposed(w, s, e, typed[0]):
            c.proposed = True
        if named_paren and typed[0] != "Task":
            c.proposed = True
        return c

    @staticmethod
    def _after_naming_clause(w: Work, s: int, e: int) -> bool:
        """"... called multi-grid foo operator (MG-FO)": the acronym stands in the parenthesis right after a
        naming, proposal or training clause, which introduces it as the paper's own."""
        return any(kind in ("propose", "naming", "train") and _PAREN_GAP.fullmatch(w.text, b, s) for _a, b, kind in w.regions) \
            and w.text.startswith(")", e)

    def _untyped_coinage(self, w: Work, s: int, e: int, tok: str, named_paren: bool, in_title: bool) -> tuple[str, str] | None:
        """A coinage that neither its context nor a sibling types: a Method only where there is evidence that
        the paper names something with it (None: none, the token may be anything)."""
        if tok.isupper() or (tok[:-1].isupper() and tok[-1] == "s"):
            # bare unknown acronym: only where the paper names or proposes it, or compares it with a
            # known technique or model ("QRNs are faster than BERT"); a comparison alone says nothing
            # of what it is (instruments, surveys and constants are compared too)
            if not (named_paren or any(a <= s and e <= b for a, b, _ in w.regions) or self._compared_with_known(w, s, e)):
                return None
            return ("Method", "coinage_acronym")
        # an unknown mixed-case name with no typing evidence: keep it when the
        # title names it or the abstract repeats it
        if not in_title and w.text.count(tok) < 2 and not _spells_initials_in(tok, w.text):
            return None
        return ("Method", "coinage_default")

    def _title_coinage_proposed(self, w: Work, s: int, e: int, etype: str) -> bool:
        """A coinage in the title is the paper's proposal unless it is a task, a possessive ("Foo's ..."), a
        modifier ("Foo-Assisted"), or the title studies existing things ("An Analysis of Foo", "Rethinking Foo")."""
        text = w.text
        return etype != "Task" and not text.startswith(("'s", "’s"), e) and not self.study_of.search(text, 0, s) \
            and not self.study_title.search(text, 0, w.title_end) \
            and not self._modifier_coinage(text, s, e)

    @staticmethod
    def _compared_with_known(w: Work, s: int, e: int) -> bool:
        """The sentence of [s, e) compares (a comparison word) and names a known technique or model."""
        a, b = w.sent_of(s)
        return _COMPARE_CTX.search(w.text, a, b) is not None and any(
            c.rule == "vocab" and c.type in _MM and a <= c.start and c.end <= b and not (c.start < e and s < c.end) for c in w.cands
        )

    def _modifier_coinage(self, text: str, s: int, e: int) -> bool:
        """The coined token at [s, e) ends in, or is followed by, a suffix that makes it a modifier
        ("Foo-Assisted", "Foo-Like Training")."""
        dash = text.rfind("-", s, e)
        sm = self.modifier_suffix.match(text, dash) if dash > s else None
        return self.modifier_suffix.match(text, e) is not None or sm is not None and sm.end() == e

    def _sibling_type(self, w: Work, s: int, e: int) -> tuple[str, str] | None:
        """"FooQA, BarQA and ImageNet-1K", "both Foo1 and Foo2 backbones": a coinage coordinated with a
        known name, or with a coinage its own context types, takes that type."""
        text = w.text

        def coordinated(a: int, b: int) -> bool:
            gap = text[e:a] if a >= e else text[b:s] if b <= s else None
            return gap is not None and len(gap) < 60 and _SIBLING_GAP.fullmatch(gap) is not None

        for c in w.cands:
            if c.rule == "vocab" and c.type in ("Dataset", "Model", "Method") and abs(c.start - s) < 80 and coordinated(c.start, c.end):
                return c.type, "coinage_list"
        for a, b, tok in w.coined:
            if (a, b) != (s, e) and abs(a - s) < 80 and coordinated(a, b):
                typed = self.type_coined(text, a, b, tok, w.sent_of(a))
                if typed is not None and typed[0] in ("Dataset", "Model"):
                    return typed[0], "coinage_list"
        return None

    # ------------------------------------------------------------ filters before overlap resolution
    def defined_acronyms_win(self, w: Work) -> None:
        """A defined acronym means what its definition says, whatever the vocabulary thinks."""
        if not w.abbr_long:
            return
        kept_c = []
        for c in w.cands:
            fc = fold(c.text)
            if c.rule != "abbreviation" and fc in w.abbr_long:
                if not w.abbr_long[fc]:
                    continue
                if c.type != w.abbr_type.get(fc, c.type):
                    c.type = w.abbr_type[fc]
                    c.name = None
            kept_c.append(c)
        w.cands = kept_c

    def drop_generic(self, w: Work) -> None:
        """Generic words (not_entities.txt) are no entities; metric, unit and precision acronyms
        (words.toml) are no Method or Model; nor is anything inside a URL."""
        not_ent = self.typer.not_entities
        metrics = metric_acronyms()
        w.cands = [
            c for c in w.cands
            if c.type == "Hardware" or fold(c.text) not in not_ent and not (c.type in _MM and c.text in metrics)
        ]
        if w.masked:
            w.cands = [c for c in w.cands if not any(a < c.end and c.start < b for a, b in w.masked)]

    def title_terms_as_written(self, w: Work) -> None:
        """Title Case hides where a term begins: when the abstract never writes a title term in full
        but writes its last words in lower case ("Quixel Pebble Sorting" / "pebble sorting"), the
        term is those words."""
        abstract = w.text[w.title_end + 1 :]
        low = abstract.lower()
        for c in w.cands:
            if c.start >= w.title_end or c.type != "Task" or c.rule not in ("term", "task_title"):
                continue
            words = c.text.split(" ")
            if len(words) < 3 or c.text.lower() in low:
                continue
            for k in range(1, len(words) - 1):
                tail = " ".join(words[k:])
                if has_word(low, tail.lower()) and tail.lower() in abstract:
                    c.start = c.end - len(tail)
                    c.text = tail
                    break

    def drop_task_modifiers(self, w: Work) -> None:
        """A task name that modifies an ability noun names a skill, not a task the paper addresses
        ("the instruction following ability"); before a system noun it stays ("question answering
        models" are evaluated on the task; the term rule alone skips "a parsing system")."""
        keep = []
        for c in w.cands:
            if c.type == "Task":
                nm = _NEXT_NOUN.match(w.text, c.end)
                if nm is not None and nm.group(1).lower() in _ABILITY_NOUNS:
                    continue
            keep.append(c)
        w.cands = keep

    def title_task_modifier(self, w: Work) -> None:
        """A known task in the title takes the one capitalised modifier before it when the abstract writes
        the longer phrase too, and not as the modifier of a system noun ("Gravel Pebble Sorting" with
        "gravel pebble sorting" in the abstract is that task; "... gravel pebble sorting methods" is not)."""
        stop = non_term_words()
        abstract = w.text[w.title_end + 1 :].lower()
        grown: dict[str, str] = {}  # folded known task -> the modifier it took in the title
        for c in w.cands:
            if c.type != "Task" or c.rule != "vocab" or c.end > w.title_end:
                continue
            m = _PREV_TITLE_WORD.search(w.text, max(0, c.start - 30), c.start)
            if m is None:
                continue
            pw = m.group(1)
            lw = pw.lower()
            if lw in stop or lw in _FUNCTION_WORDS or lw.endswith(("ly", "ing")) or self.typer.index.lookup(pw) is not None:
                continue
            longer = w.text[m.start(1) : c.end]
            if self._written_as_task(abstract, longer.lower()):
                c.start, c.text, c.name = m.start(1), longer, None
                grown[fold(c.text[len(pw):])] = lw
        if grown:
            # the abstract's mentions of the known task inside the longer phrase are that phrase too
            for c in w.cands:
                mod = grown.get(fold(c.text)) if c.type == "Task" and c.start > w.title_end else None
                if mod is not None and w.text[max(0, c.start - len(mod) - 1) : c.start].lower() == mod + " ":
                    c.start, c.name = c.start - len(mod) - 1, None
                    c.text = w.text[c.start : c.end]

    def _written_as_task(self, abstract: str, phrase: str) -> bool:
        """``phrase`` stands in ``abstract`` as a whole term, once at least not before a system noun."""
        i = abstract.find(phrase)
        while i >= 0:
            e = i + len(phrase)
            if (i == 0 or not _WORDCH(abstract[i - 1])) and (e == len(abstract) or not _WORDCH(abstract[e])):
                nm = _NEXT_NOUN.match(abstract, e)
                if nm is None or fold(nm.group(1)).rstrip("s") not in self.typer.generic_heads and nm.group(1) not in _METHOD_PLURALS:
                    return True
            i = abstract.find(phrase, e)
        return False

    def task_word_bounds(self, w: Work) -> None:
        """Evaluative, degree and number words and academic verbs judge or count a task, they never begin
        or end its name ("fundamental pebble perception", "two gravel tasks"): a rule's task (not a
        vocabulary name) loses such leading words and is dropped when its last word is one."""
        stop = non_term_words()
        keep = []
        for c in w.cands:
            if c.type == "Task" and c.rule not in _TASK_BOUND_FREE:
                words = c.text.split(" ")
                if words[-1].lower() in stop:
                    continue
                k = 0
                while k < len(words) - 1 and words[k].lower() in stop:
                    k += 1
                if k:
                    tail = " ".join(words[k:])
                    c.start = c.end - len(tail)
                    c.text = tail
                    if len(words) - k == 1 and self.typer.heads.get(fold(tail)) != "Task":
                        continue
            keep.append(c)
        w.cands = keep

    def dataset_versions(self, w: Work) -> None:
        """Dataset names carry a year or version: "WMT 2014", "SQuAD v2.0"."""
        for c in w.cands:
            if c.type == "Dataset":
                ym = _DATASET_VERSION.match(w.text, c.end)
                if ym:
                    c.end = ym.end()
                    c.text = w.text[c.start : c.end]
                    c.name = None if c.name and fold(c.name) != fold(c.text) else c.name

    def hardware_finder_wins(self, w: Work) -> None:
        """The hardware finder names hardware: vocabulary hardware spans it overlaps give way."""
        hw = [c for c in w.cands if c.rule == "hardware"]
        if hw:
            w.cands = [
                c for c in w.cands
                if not (c.type == "Hardware" and c.rule != "hardware" and any(h.start < c.end and c.start < h.end for h in hw))
            ]

    def coordinated_definitions(self, w: Work) -> None:
        """A cue phrase spanning two acronym definitions is a coordination, not one name."""
        ab_spans = [(c.start, c.end) for c in w.cands if c.rule == "abbreviation"]
        if ab_spans:
            w.cands = [
                c for c in w.cands
                if not (c.rule.startswith("cue_") and sum(1 for a, b in ab_spans if c.start <= a and b <= c.end) >= 2)
            ]

    def extend_known_names(self, w: Work) -> None:
        """The longest specific name wins: a known Model/Method name followed by a size or variant
        ("FooLM 70B", "FooLM-Instruct") or led by a hyphen-joined capitalised prefix ("Scaled-FooLM")
        is a name of its own (the resolver ties a checkpoint to its family)."""
        text = w.text
        have = {(c.start, c.end) for c in w.cands}
        for c in list(w.cands):
            if c.rule != "vocab" or c.type not in _MM:
                continue
            start, end = c.start, c.end
            etype = c.type
            sm = _SIZE_AFTER.match(text, end)
            if sm:
                end = sm.end()
            hm = _NEXT_NOUN.match(text, end)
            if hm is not None and c.type == "Model":
                # "FooNet loss", "FooNet kernel": a technique named after a model
                h = self._class_head(hm.group(1))
                # (a part noun after it, "FooNet layer", "FooNet blocks", is a part of the model: FooNet is used)
                if h == "Method" and fold(hm.group(1)) not in self.typer.generic_heads and hm.group(1).lower() not in self.part_nouns:
                    end, etype = hm.end(), "Method"
            pm = _PREFIX_BEFORE.search(text, max(0, start - 30), start)
            if pm and c.type == "Model":
                start = pm.start()
            if (start, end) == (c.start, c.end) or (start, end) in have:
                continue
            have.add((start, end))
            ve = self.typer.index.lookup(text[start:end], etype)  # "Mistral 7B" may be an entry itself
            w.cands.append(cand("vocab_variant", start, end, text[start:end], etype, name=ve.name if ve else None,
                                attrs=dict(ve.attrs) if ve else {}))

    def repeated_compounds(self, w: Work) -> None:
        """A known technique led by a noun the paper writes with it every time is a more specific
        technique: "lattice pruning" written twice names more than "pruning" (the vocabulary's)."""
        text = w.text
        low = text.lower()
        stop = self.term_stop
        have = {(c.start, c.end) for c in w.cands}
        for c in list(w.cands):
            if c.rule != "vocab" or c.type != "Method" or " " in c.text:
                continue
            pm = _MODIFIER_BEFORE.search(text, max(0, c.start - 30), c.start)
            if pm is None or pm.group(1).lower() in stop or fold(pm.group(1)) in self.typer.heads:
                continue
            compound = low[pm.start(1) : c.end]
            if low.count(compound) < 2 or (pm.start(1), c.end) in have:
                continue
            have.add((pm.start(1), c.end))
            w.cands.append(cand("vocab_variant", pm.start(1), c.end, text[pm.start(1) : c.end], "Method"))

    def dataset_siblings(self, w: Work) -> None:
        """Capitalised names coordinated with a known dataset are datasets: "on Quillset, Marrow and
        ImageNet" (coined ones are typed by the coinage rules already)."""
        text = w.text
        taken = [(c.start, c.end) for c in w.cands]
        new: list[Cand] = []
        for c in [c for c in w.cands if c.rule == "vocab" and c.type == "Dataset"]:
            before = self._siblings_before(text, c.start)
            first = before[-1][0] if before else c.start
            if not _DATA_LIST_INTRO.search(text, max(0, first - 40), first):
                continue  # the list must be introduced as data: "on ...", "datasets such as ..."
            for a, b in (*before, *self._siblings_after(text, c.end)):
                name = text[a:b]
                if any(x < b and a < y for x, y in taken) or not self._plain_name(name):
                    continue
                taken.append((a, b))
                new.append(cand("coinage_list", a, b, name, "Dataset", rule="coinage"))
        w.cands.extend(new)

    def name_siblings(self, w: Work) -> None:
        """A capitalised word listed with two or more known techniques or models of one type, and with
        nothing of another type, is one of them: "we compare Adam, Shampoo and Quillprop" (running text
        only: a title capitalises every word)."""
        text = w.text
        taken = [(c.start, c.end) for c in w.cands]
        known = {(c.start, c.end): c.type for c in w.cands if c.rule == "vocab"}
        new: list[Cand] = []
        done: set[tuple[int, int]] = set()
        for c in [c for c in w.cands if c.rule == "vocab" and c.type in _MM and c.start > w.title_end]:
            if (c.start, c.end) in done:
                continue
            members = [*self._siblings_before(text, c.start)[::-1], (c.start, c.end), *self._siblings_after(text, c.end)]
            done.update(members)
            types = [known.get(m) for m in members]
            if types.count(c.type) < 2 or any(t is not None and t != c.type for t in types):
                continue
            for (a, b), t in zip(members, types):
                if t is not None or not self._sibling_name(w, a, b, taken):
                    continue
                taken.append((a, b))
                new.append(cand("coinage_list", a, b, text[a:b], c.type, rule="coinage"))
        w.cands.extend(new)

    def _sibling_name(self, w: Work, a: int, b: int, taken: list[tuple[int, int]]) -> bool:
        """An untyped list member at [a, b) can be a name: one word that no candidate covers, no stop
        or list-tail word ("etc"), and not a sentence's opening capital."""
        name = w.text[a:b]
        return not (" " in name or any(x < b and a < y for x, y in taken) or not self._plain_name(name)
                    or name.lower() in self.term_stop or name.lower() in _LIST_TAIL_WORDS or _sentence_start(w, a))

    def _plain_name(self, name: str) -> bool:
        t = self.typer
        first = name.split()[0]
        # (a single letter is a variable or a list label, "ImageNet-A, R, S": no name)
        return len(name) > 1 and not (first in _SENT_START or first in t.not_names or first in languages() or fold(name) in t.not_entities)

    @staticmethod
    def _siblings_before(text: str, start: int) -> list[tuple[int, int]]:
        out = []
        while (m := _SIBLING_BEFORE.search(text, max(0, start - 60), start)) is not None:
            out.append(m.span(1))
            start = m.start(1)
        return out

    @staticmethod
    def _siblings_after(text: str, end: int) -> list[tuple[int, int]]:
        out = []
        while (m := _SIBLING_AFTER.match(text, end)) is not None:
            out.append(m.span(1))
            end = m.end(1)
        return out

    def more_mentions(self, w: Work) -> None:
        """Every occurrence of a name found by a cue rule is a mention ("Sparse Mixer" later without citation)."""
        w.cands.extend(self._more_mentions(w.text, w.cands))

    def extend_proposed_names(self, w: Work) -> None:
        """A size or variant written after the paper's own name ("FooNet-Coder-33B-Instruct" beside a
        proposed "FooNet-Coder") is a checkpoint of it: a proposed Model spanning name and suffix, so
        that no shorter coinage inside it ("Coder-33B-Instruct") or known word ("FooNet") takes the span.
        A coined token with the name as a hyphen-joined part ("a sparse version (S-FooGP)") is a proposed
        version of it, of its type."""
        have = {(c.start, c.end) for c in w.cands}
        self._sized_variants(w, have)
        self._hyphen_part_variants(w, have)

    @staticmethod
    def _sized_variants(w: Work, have: set[tuple[int, int]]) -> None:
        """"FooNet-Coder-33B-Instruct" beside a proposed "FooNet-Coder": the name with its size or variant
        suffix is a proposed Model (spans in ``have`` are taken already)."""
        text = w.text
        forms = {c.text for c in w.cands if c.proposed and c.name is None and c.type in _MM and len(c.text) >= 3}
        for f in sorted(forms):
            for s, e in word_spans(text, f, right=False):
                sm = _SIZE_AFTER.match(text, e) or _SIZE_LETTER_AFTER.match(text, e)
                if sm is None or (s, sm.end()) in have:
                    continue
                have.add((s, sm.end()))
                w.cands.append(cand("cue_variant", s, sm.end(), text[s : sm.end()], "Model", proposed=True))

    def _hyphen_part_variants(self, w: Work, have: set[tuple[int, int]]) -> None:
        """"a sparse version (S-FooGP)" of a proposed "FooGP": a coined token with the name as a hyphen
        part is a proposed version of it, of its type (spans in ``have`` are taken already)."""
        own = {c.text: c.type for c in w.cands if c.proposed and c.name is None and c.type in ("Method", "Model", "Dataset")
               and len(c.text) >= 3 and " " not in c.text}
        for s, e, tok in w.coined:
            parts = tok.split("-")
            # (a lower-case part is what the name modifies: "FooGP-priors" is FooGP)
            others = [p for p in parts if p not in own]
            hit = next((own[p] for p in parts if p in own), None) if others and not any(p.islower() for p in others) else None
            if hit is not None and (s, e) not in have and not self.typer.index.lookup(tok):
                have.add((s, e))
                w.cands.append(cand("cue_variant", s, e, tok, hit, proposed=True))

    def _specific_length(self, c: Cand) -> int:
        """A candidate's length less a trailing generic head noun ("Transformer Architecture" counts as
        "Transformer"): a class noun added to a known name makes it no more specific than a longer name."""
        words = c.text.rsplit(None, 1)
        if len(words) == 2 and c.name is not None and fold(words[1]) in self.typer.generic_heads:
            return len(words[0])
        return c.end - c.start

    def resolve_overlaps(self, w: Work) -> None:
        """Overlapping candidates: the longest wins, then the higher priority, then the earlier."""
        cands = w.cands
        cands.sort(key=lambda c: (-self._specific_length(c), -(c.end - c.start), -c.prio, c.start))
        occ = bytearray(len(w.text) + 1)
        kept: list[Cand] = []
        lost_cues: list[Cand] = []
        for c in cands:
            if 1 in occ[c.start : c.end]:
                if c.proposed:
                    lost_cues.append(c)
                continue
            occ[c.start : c.end] = b"\x01" * (c.end - c.start)
            kept.append(c)
        kept.sort(key=lambda c: c.start)
        w.kept = kept
        for c in lost_cues:
            _keep_proposal_cue(c, kept)

    # ------------------------------------------------------------ proposal marks
    def propose_in_region(self, w: Work) -> None:
        """A name inside a propose/naming clause is the paper's own, unless it is a known name modified there."""
        for c in w.kept:
            if c.proposed or c.type in ("Task", "Hardware"):
                continue
            for a, b, kind in w.regions:
                if a <= c.start and c.end <= b and (kind != "our" or self._our_own(w, c, a)) and self._proposed_in(w.text, c, a, kind):
                    c.proposed = True
                    break

    def _our_own(self, w: Work, c: Cand, a: int) -> bool:
        """"our X": a coined or cue-named X, or a new (non-vocabulary) term or defined name written right
        after "our" ("our pebble decompositions", "our proposed FPD"), is the paper's own; a known name
        after "our" is what the paper uses ("our LoRA baseline")."""
        if c.rule in ("coinage", "coinage_default", "cue_naming", "cue_propose"):
            return True
        if c.start != a or c.name is not None or c.rule not in ("term", "head_noun", "abbreviation"):
            return False
        long_form = w.abbr_long.get(fold(c.text)) if c.rule == "abbreviation" else None
        return not long_form or self.typer.index.lookup(long_form) is None

    def _proposed_in(self, text: str, c: Cand, a: int, kind: str) -> bool:
        if kind == "train" and c.name is not None:
            return False  # "we train BERT": a known model trained is used
        if c.name is None and self.typer.known_variant(c.text):
            return False  # "T5-Large" in "we train T5-Base and T5-Large": a size of a known model
        if re.match(r"[\s-]*(?:based|style|like|driven|guided|inspired|powered)\b", text[c.end : c.end + 12]):
            return False
        if self.study_of.search(text, a, c.start):
            return False
        if c.name:
            # a known entity modified in the object ("a quantization-aware X",
            # "memory-efficient LoRA") is used, not proposed
            if text[c.end : c.end + 1] == "-":
                return False
            if _BROUGHT_INTO.match(text, c.end):
                return False  # "we introduce LoRA into diffusion models": a known technique brought to a new use
            nm = _MODIFIES_NOUN.match(text, c.end)
            if nm is not None and not self._class_noun(nm.group(1)):
                return False  # "a weight-decay scaling rule": the known name modifies the object
            if nm is not None and _APPOSED_NAME.match(text, nm.end()):
                return False  # "a new RL algorithm, FooQ,": the apposed name is the contribution
            seg = text[a : c.start]
            cut = max(seg.rfind(","), seg.rfind(" and "), seg.rfind(" or "))
            if cut >= 0:
                seg = seg[cut + 1 :].removeprefix("and ").removeprefix("or ")
            pre = [x for x in (y.strip(_PUNCT) for y in seg.split()) if x and x.lower() not in self.np_drop]
            if pre:
                return False
            if _NAMING_LATER.match(text, c.end, c.end + 80):
                return False  # "a new <known> formulation called X": X is the contribution
        return True

    def _class_noun(self, word: str) -> bool:
        """"model", "framework", "benchmark": a generic or Model/Dataset head noun after a name says
        what the name is ("the FooNet model"); another noun is what the name modifies ("a FooNet
        scaling rule")."""
        f = fold(word)
        return f in self.typer.generic_heads or self.typer.heads.get(f) in ("Model", "Dataset")

    def propose_own_acronym(self, w: Work) -> None:
        """Acronym definitions of new (non-vocabulary) names in the paper's own voice, upper or lower
        case ("we introduce quail grid sorting (QGS)"); and in a paper that proposes something, the
        Title Case names it defines anywhere ("The approach uses a Gravel Deviation Module (GDM)"): the
        parts of its contribution. Not right after a usage word ("using the Foo Spatial Pattern
        (FSP)"): a name the paper uses."""
        proposes = any(c.proposed for c in w.kept)
        for c in w.kept:
            if c.proposed or c.rule != "abbreviation" or c.name or c.type not in ("Method", "Model", "Dataset"):
                continue
            long_form = c.label or c.text
            if len(long_form.split()) < 2:
                continue
            st = w.sent_of(c.start)
            if self.used_before.search(w.text, max(st[0], c.start - 40), c.start) or self.study_of.search(w.text, st[0], c.start):
                continue  # (and not a studied thing: "a measure of the foo gap (FG)")
            if self.own_sentence.search(w.text, st[0], st[1]) or proposes and c.type != "Dataset" and _title_case(long_form):
                c.proposed = True

    def propose_our_paren(self, w: Work) -> None:
        """"our method (KESTREL)"."""
        before = self.windows["our_paren_before"]
        for c in w.kept:
            if not c.proposed and c.type in ("Method", "Model", "Dataset") and self.our_paren.search(w.text, max(0, c.start - before), c.start):
                c.proposed = True

    def propose_new_apposition(self, w: Work) -> None:
        """"FooNorms, a set of new layers", "FooNet, a novel ...": a name apposed to a new thing is the
        paper's own (roles.new_apposition)."""
        for c in w.kept:
            if not c.proposed and c.type in ("Method", "Model", "Dataset") and self.new_apposition.match(w.text, c.end):
                # a known name apposed to "a new ..." is the paper's own only in its own voice ("With the
                # advent of FooLM, a new wave of ..." speaks of another work)
                if c.name is not None and not self.own_sentence.search(w.text, *w.sent_of(c.start)):
                    continue
                c.proposed = True

    def propose_title_lead(self, w: Work) -> None:
        """A title that opens with a new technique name: "Implicit Reweighting of ..."; or with a new
        architecture's Title Case name ("Gated Pebble Transformers for ...", a whole title "Recurrent
        Pebble Transformer")."""
        for c in w.kept:
            if c.proposed or c.name or not _TITLE_LEAD_ARTICLE.fullmatch(w.text, 0, c.start) or len(c.text.split()) < 2:
                continue
            if c.type == "Method" and self.title_lead_next.match(w.text, c.end):
                c.proposed = True
            elif c.type == "Model" and _title_case(c.text) and self._model_head(c.text) and (
                    self.title_lead_next.match(w.text, c.end) or not w.text[c.end : w.title_end].strip()):
                c.proposed = True

    def unpropose_prior_work(self, w: Work) -> None:
        """A sentence reporting another work's contribution ("Recently, a paradigm was presented,
        called X"; "a recent variant of Y called X") proposes nothing, unless the paper speaks of its own
        in it too (the title proposes by its own rules)."""
        for c in w.kept:
            if not c.proposed or c.start < w.title_end:
                continue
            st = w.sent_of(c.start)
            if self.prior_work.search(w.text[st[0]:st[1]]) and not self.own_sentence.search(w.text, st[0], st[1]):
                c.proposed = False

    def unpropose_cited(self, w: Work) -> None:
        """A name the paper cites ("the FooSDP approach (Doe et al., 2019)", "FooNet [12]") is
        another work's: no mention of it is proposed (roles.cited_after)."""
        cited = {fold(c.text) for c in w.kept if self.cited_after.match(w.text, c.end)}
        if not cited:
            return
        for c in w.kept:
            if c.proposed and fold(c.text) in cited:
                c.proposed = False

    def unpropose_studied(self, w: Work) -> None:
        """"we present an analysis of X", "we establish a link between X and Y": a name the clause's
        cue phrase took as its object is a studied thing (roles.study_of), as for every other name."""
        for c in w.kept:
            if c.proposed and c.rule.startswith("cue_") and any(
                a <= c.start and c.end <= b and self.study_of.search(w.text, a, c.start) for a, b, _kind in w.regions
            ):
                c.proposed = False

    def unpropose_described(self, w: Work) -> None:
        """"we propose a Foo training framework called X": the description before the naming cue is
        no contribution of its own when the name after the cue is proposed."""
        starts = {c.start for c in w.kept if c.proposed}
        for c in w.kept:
            if not c.proposed:
                continue
            nm = self.named_later.match(w.text, c.end, w.sent_of(c.start)[1])
            if nm is not None and nm.end() in starts and nm.end() != c.start:
                c.proposed = False

    def apposed_tasks(self, w: Work) -> None:
        """"We introduce FooSearch (FS), a novel task where ...": a new name apposed to a task or problem
        noun (roles.task_apposition) is the problem the paper poses: every mention of it (and of its
        short form) is a Task, none proposed."""
        names: set[str] = set()
        for c in w.kept:
            if c.name is not None or c.type not in ("Method", "Model"):
                continue
            tm = self.task_apposition.match(w.text, c.end)
            if tm is not None and not any(fold(x) in self.typer.heads for x in tm.group("mods").split()):
                names.add(fold(c.text))
        if not names:
            return
        names |= {s for s, lf in w.abbr_long.items() if lf and fold(lf) in names}
        names |= {fold(w.abbr_long[s]) for s in names if w.abbr_long.get(s)}
        for c in w.kept:
            if fold(c.text) in names and c.name is None:
                c.type, c.proposed = "Task", False

    # ------------------------------------------------------------ entities
    def group_entities(self, w: Work) -> None:
        """Mentions of one name (or of a defined acronym and its long form) become one entity."""
        groups: dict[str, EntityDraft] = {}
        for c in w.kept:
            key, name = self._group_key(w, c)
            g = groups.get(key)
            if g is None:
                g = EntityDraft(key, name, c.type, "", rule=c.rule)
                groups[key] = g
                w.entities.append(g)
            g.cands.append(c)

    def _group_key(self, w: Work, c: Cand) -> tuple[str, str]:
        """(group key, entity name if the group is new) of a kept candidate."""
        fc = fold(c.text)
        if fc in w.abbr_long and w.abbr_long[fc]:
            # any mention of a defined acronym joins its long form's entity
            lf = w.abbr_long[fc]
            lc = next((k for k in w.kept if k.rule in ("abbreviation", "vocab") and fold(k.text) == fold(lf)), None)
            key = fold(lc.name) if lc is not None and lc.name else fold(c.name) if c.name else fold(lf)
        elif c.label:
            key = fold(c.label)
        else:
            key = fold(c.name) if c.name else fc
        name = c.label or c.name or (w.abbr_long.get(fc) or c.text if c.rule == "abbreviation" else c.text)
        return key, name

    def settle_entities(self, w: Work) -> None:
        """Each entity's type, name, aliases, count, attributes, role and evidence from its mentions."""
        for g in w.entities:
            best = self._gather(g)
            canon = next((c.name for c in g.cands if c.name), None)
            if canon:
                self._canonical_name(g, canon)
            if g.type == "Hardware":
                g.name = best.name or best.text
            elif not canon:
                g.name = self._singular_name(g.name)
            self._role(w, g, canon)

    @staticmethod
    def _gather(g: EntityDraft) -> Cand:
        # the type: the highest-priority candidate decides
        best = max(g.cands, key=lambda c: (c.prio, c.conf))
        g.type = best.type
        g.rule = best.rule
        g.confidence = max(c.conf for c in g.cands)
        seen = set()
        for c in g.cands:
            if c.text not in seen:
                seen.add(c.text)
                g.aliases.append(c.text)
            if c.count is not None and (g.count is None or c.count > g.count):
                g.count = c.count
            if c.attrs:
                for k, v in c.attrs.items():
                    g.attrs.setdefault(k, v)
        return best

    def _canonical_name(self, g: EntityDraft, canon: str) -> None:
        # the vocabulary name when the paper writes it, else the paper's own form;
        # the vocabulary name stays available as attrs["canonical"]
        g.attrs["canonical"] = canon
        if fold(canon) in {fold(c.text) for c in g.cands}:
            g.name = canon
        elif g.rule != "abbreviation" or not any(c.rule == "abbreviation" for c in g.cands):
            g.name = g.cands[0].text
            # "transformer architecture" for vocabulary "Transformer": drop the generic head
            for c in g.cands:
                words = c.text.split()
                if len(words) > 1 and fold(words[-1]) in self.typer.generic_heads and fold(" ".join(words[:-1])) == fold(canon):
                    g.name = " ".join(words[:-1])
                    break

    def _role(self, w: Work, g: EntityDraft, canon: str | None) -> None:
        prop = [c for c in g.cands if c.proposed]
        if prop and g.type in ("Method", "Model", "Dataset"):
            g.role = "PROPOSES"
            if g.type == "Model" and not canon and not any(c.attrs.get("typed_by") in _MODEL_EVIDENCE for c in g.cands) \
                    and self.typer.suffix_type(g.name) != "Model" and not self._model_head(g.name):
                # a paper's own named system is typed as the technique it introduces, unless its
                # shape says it is an architecture ("FooFormer", "BarNet")
                g.type = "Method"
            g.evidence = w.sent_of(prop[0].start)
            g.rule = prop[0].rule
            g.confidence = max(g.confidence, prop[0].conf)
        else:
            g.role = DEFAULT_ROLE[g.type]
            g.evidence = w.sent_of(g.cands[0].start)

    def _model_head(self, name: str) -> bool:
        """"Pebble-Gated State Space Model", "Foo Network", "a pebble sorting network (PSN)": a Model
        head noun ends the name, so it names an architecture (Model evidence, as a suffix like -Former is)."""
        words = name.split()
        return len(words) >= 2 and self.typer.head_type(words[-1]) == "Model"

    def merge_entities(self, w: Work) -> None:
        """One contribution named twice is one entity; so is one (name, type)."""
        w.entities = _merge_initials(_variants_take_family_type(_propose_variants(_merge_same_name(_merge_proposed(w.entities, w.text)))))

    def links_rule(self, w: Work) -> None:
        """Links between the settled entities (:mod:`kg.nlp.links`)."""
        w.links = self.linker.find_links(w.text, w.sents, w.entities, w.title_end)

    def _singular_name(self, name: str) -> str:
        """"spiking neural networks" -> "... network": a plural head noun named as singular."""
        words = name.split(" ")
        last = words[-1]
        # ("synthesis", "corpus", "analysis" are singular already)
        if len(words) > 1 and last.islower() and last.endswith("s") and not last.endswith(("ss", "is", "us")):
            sing = last[:-3] + "y" if last.endswith("ies") else last[:-1]
            if fold(sing) in self.typer.heads or fold(sing) in self.typer.generic_heads:
                words[-1] = sing
                return " ".join(words)
        return name

    def _more_mentions(self, text: str, cands: list[Cand]) -> list[Cand]:
        forms: dict[str, Cand] = {}
        for c in cands:
            if c.rule in _EXPAND_RULES and not c.label and len(c.text) >= 4 and (" " in c.text or not c.text.islower()):
                forms.setdefault(c.text, c)
        if not forms:
            return []
        have = {(c.start, c.end) for c in cands}
        out = []
        n = len(text)
        for f, src in forms.items():
            i = text.find(f)
            while i >= 0:
                j = i + len(f)
                if (i, j) not in have and (i == 0 or not _WORDCH(text[i - 1])) and (j >= n or not _WORDCH(text[j])):
                    out.append(Cand(i, j, f, src.type, src.rule, src.prio, src.conf, name=src.name, attrs=src.attrs, label=src.label))
                i = text.find(f, i + 1)
        return out

    # ------------------------------------------------------------ links

#: Assembly rules in order: (name, patterns.toml key, function over the :class:`Work`).
ASSEMBLY_RULES = [
    ("abbreviation", "abbreviations", Assembler.abbreviation_cands),
    ("coinage", "coinage", Assembler.coined_cands),
    ("defined_acronyms_win", "", Assembler.defined_acronyms_win),
    ("drop_generic", "not_entities.txt", Assembler.drop_generic),
    ("title_terms_as_written", "", Assembler.title_terms_as_written),
    ("task_modifiers", "", Assembler.drop_task_modifiers),
    ("task_word_bounds", "words.toml", Assembler.task_word_bounds),
    ("title_task_modifier", "", Assembler.title_task_modifier),
    ("dataset_versions", "", Assembler.dataset_versions),
    ("hardware_finder_wins", "", Assembler.hardware_finder_wins),
    ("coordinated_definitions", "", Assembler.coordinated_definitions),
    ("extend_known_names", "", Assembler.extend_known_names),
    ("repeated_compounds", "", Assembler.repeated_compounds),
    ("dataset_siblings", "", Assembler.dataset_siblings),
    ("name_siblings", "", Assembler.name_siblings),
    ("more_mentions", "", Assembler.more_mentions),
    ("extend_proposed_names", "", Assembler.extend_proposed_names),
    ("resolve_overlaps", "candidates", Assembler.resolve_overlaps),
    ("propose_in_region", "roles", Assembler.propose_in_region),
    ("propose_own_acronym", "roles.own_sentence", Assembler.propose_own_acronym),
    ("propose_our_paren", "roles.our_paren", Assembler.propose_our_paren),
    ("propose_title_lead", "roles.title_lead_next", Assembler.propose_title_lead),
    ("propose_new_apposition", "roles.new_apposition", Assembler.propose_new_apposition),
    ("unpropose_prior_work", "roles.prior_work", Assembler.unpropose_prior_work),
    ("unpropose_described", "roles.named_later", Assembler.unpropose_described),
    ("unpropose_studied", "roles.study_of", Assembler.unpropose_studied),
    ("unpropose_cited", "roles.cited_after", Assembler.unpropose_cited),
    ("apposed_tasks", "roles.task_apposition", Assembler.apposed_tasks),
    ("group_entities", "", Assembler.group_entities),
    ("settle_entities", "heads.tsv", Assembler.settle_entities),
    ("merge_entities", "", Assembler.merge_entities),
    ("links", "links", Assembler.links_rule),
]


_MINOR_WORDS = frozenset(("of", "for", "and", "the", "a", "an", "in", "on", "with", "to", "by", "via"))


def _title_case(name: str) -> bool:
    """Every word of ``name`` but the minor ones opens with a capital or a digit ("Gravel Sorting Units")."""
    words = [x for x in re.split(r"[\s-]+", name) if x and x.lower() not in _MINOR_WORDS]
    return bool(words) and all(x[:1].isupper() or x[:1].isdigit() for x in words)


def _sentence_start(w: Work, pos: int) -> bool:
    """``pos`` opens its sentence (a capital there says nothing)."""
    a, _ = w.sent_of(pos)
    return not w.text[a:pos].strip()


def _merge_proposed(entities: list[EntityDraft], text: str) -> list[EntityDraft]:
    """Merge two proposed names of one paper when one abbreviates or extends the other.

    "Routed-MoE" / "Routed Mixture-of-Experts" (Schwartz-Hearst match of the
    whole name), "Chain of Sketches" / "Chain of Sketches Prompting"
    (one extra trailing word) and "pebble sifting (PebSift)" (a coined name in
    parentheses right after the other, whatever its letters) are one contribution.
    """
    from .abbreviations import best_long_form

    prop = [g for g in entities if g.role == "PROPOSES"]
    if len(prop) < 2:
        return entities
    drop: set[int] = set()
    for i, a in enumerate(prop):
        if id(a) in drop:
            continue
        for b in prop[i + 1 :]:
            if id(b) in drop or (a.type == "Dataset") != (b.type == "Dataset"):
                # a dataset and a model or technique are two contributions ("FooCoder" trained on "FooCodeSet")
                continue
            short, long = (a, b) if len(a.name) <= len(b.name) else (b, a)
            if long.name.startswith(short.name) and VARIANT.fullmatch(long.name[len(short.name) :]):
                continue  # "Foo-2B" and "Foo-2B-Chat": two checkpoints of one family stay two entities
            if short.name in long.name.split("-"):
                continue  # "FooGP" and its sparse version "S-FooGP": two contributions
            # a short form abbreviates a name of more words ("FooCoder" is no short form of "FooCodeSet")
            same = best_long_form(short.name, long.name) == long.name and len(short.name) < len(long.name) \
                and len(_NAME_WORDS.split(long.name)) > len(_NAME_WORDS.split(short.name))
            if not same:
                fs, fl = short.name.lower().split(), long.name.lower().split()
                same = len(fl) == len(fs) + 1 and fl[: len(fs)] == fs and len(fs) >= 2
            same = same or _parenthesised_after(text, a, b) or _parenthesised_after(text, b, a)
            if same:
                _absorb(a, b)
                a.confidence = max(a.confidence, b.confidence)
                drop.add(id(b))
    return [g for g in entities if id(g) not in drop]


_PAREN_OPEN = re.compile(r"\s*\(\s*")


def _parenthesised_after(text: str, a: EntityDraft, b: EntityDraft) -> bool:
    """A one-word mention of ``b`` fills the parenthesis right after a longer mention of ``a``:
    "pebble sifting (PebSift)", "Extended Grain Sorting (XGS)" (a short form the acronym finder's
    letter test missed)."""
    for cb in b.cands:
        if " " in cb.text or not text.startswith(")", cb.end):
            continue
        for ca in a.cands:
            if ca.end < cb.start and " " in ca.text and _PAREN_OPEN.fullmatch(text, ca.end, cb.start):
                return True
    return False


def _merge_same_name(entities: list[EntityDraft]) -> list[EntityDraft]:
    """Guarantee one entity per (fold(name), type): fold later duplicates into the first."""
    seen: dict[tuple[str, str], EntityDraft] = {}
    out: list[EntityDraft] = []
    for g in entities:
        k = (fold(g.name), g.type)
        first = seen.get(k)
        if first is None:
            seen[k] = g
            out.append(g)
            continue
        _absorb(first, g)
        if g.role == "PROPOSES" and first.role != "PROPOSES":
            first.role, first.evidence, first.rule = g.role, g.evidence, g.rule
        if g.count is not None and (first.count is None or g.count > first.count):
            first.count = g.count
        first.confidence = max(first.confidence, g.confidence)
    return out




def _keep_proposal_cue(lost: Cand, kept: list[Cand]) -> None:
    """A proposal cue on a candidate that lost its span survives on the winner that covers it
    ("we propose FooNet-L" read as cue phrase and as a longer coinage): the winner is the paper's own
    unless it is a known (vocabulary) name."""
    for k in kept:
        if k.start <= lost.start and lost.end <= k.end and k.name is None and k.type in ("Method", "Model", "Dataset"):
            k.proposed = True
            return


def _propose_variants(entities: list[EntityDraft]) -> list[EntityDraft]:
    """"FooNet-7B-Instruct" of a paper proposing FooNet is proposed too (a size or variant of the
    paper's own model; it stays its own entity, so a resolver can tie checkpoint to family)."""
    # (a known name proposed by mistake must not carry its known sizes along; one the paper is titled
    # after, "FooLM: ..." or "FooLM Technical Report", is the paper's own and carries them)
    own = [g.name for g in entities if g.role == "PROPOSES" and g.type in ("Method", "Model")
           and ("canonical" not in g.attrs or any(c.proposed and c.start == 0 for c in g.cands))]
    if not own:
        return entities
    # "Foo-2B" proposed: "Foo-2B-Chat" is a variant of it, and so of the family "Foo"
    prop = {fold(n) for n in own} | {fold(n[: vm.start()]) for n in own if (vm := VARIANT.search(n)) is not None and vm.start() > 0}
    for g in entities:
        if g.role == "PROPOSES" or g.type not in ("Method", "Model"):
            continue
        vm = VARIANT.search(g.name) or _SIZE_LETTER_END.search(g.name)
        if vm is not None and fold(g.name[: vm.start()]) in prop:
            g.role = "PROPOSES"
            g.rule = "proposed_variant"
    return entities


def _variants_take_family_type(entities: list[EntityDraft]) -> list[EntityDraft]:
    """"FooNet-S", "FooNet-7B" beside the paper's own "FooNet" are one family of one type: a parameter
    count ("FooNet-7B") says the family is a Model; else a size or variant takes the family name's type
    (the Model-or-Method decision is made on the family name, where the evidence is)."""
    fam = {fold(g.name): g for g in entities if g.role == "PROPOSES" and g.type in _MM}
    if not fam:
        return entities
    members: dict[str, list[EntityDraft]] = {}
    for g in entities:
        if g.role != "PROPOSES" or g.type not in _MM:
            continue
        vm = VARIANT.search(g.name) or _SIZE_LETTER_END.search(g.name)
        if vm is None or vm.start() == 0 or g.name.lower() == g.name[: vm.start()].lower():
            continue
        base = fold(g.name[: vm.start()])
        if base in fam and fam[base] is not g:
            members.setdefault(base, []).append(g)
    for base, gs in members.items():
        t = "Model" if any(_PARAM_COUNT.search(g.name) for g in gs) else fam[base].type
        for g in [fam[base], *gs]:
            g.type = t
    return entities


def _absorb(into: EntityDraft, other: EntityDraft) -> None:
    """One entity draft takes another's mentions and (new) surface forms, in order."""
    into.cands.extend(other.cands)
    for al in other.aliases:
        if al not in into.aliases:
            into.aliases.append(al)


def _enumeration_marker_at(text: str, s: int, e: int) -> bool:
    """``text[s:e]`` is in parentheses that open a sentence or follow a colon, comma or semicolon
    and are followed by a word: "...: (S1) Foo gating. (S2) Bar pooling."."""
    if not (text[s - 1 : s] == "(" and text[e : e + 1] == ")"):
        return False
    before = text[max(0, s - 3) : s - 1].rstrip()
    return (not before or before[-1] in ".:;,\n") and re.match(r"\)\s+[A-Za-z]", text[e : e + 4]) is not None


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w[0].isalpha()).upper()


def _mixed_acronym(tok: str) -> bool:
    """"GoP", "CoT", "MoE": a short token of capitals with single lower-case letters between them
    (the "of" of "Graph-of-Pebbles"), at least two capitals."""
    return 3 <= len(tok) <= 6 and tok.isalpha() and sum(ch.isupper() for ch in tok) >= 2 \
        and tok[0].isupper() and re.search(r"[a-z]{2}", tok) is None


def _spells_initials_in(tok: str, text: str) -> bool:
    """An undefined mixed-case acronym whose letters start the words of a hyphen- or space-joined
    name the paper writes ("GoP" beside "Graph-of-Pebbles") names that entity."""
    if not _mixed_acronym(tok):
        return False
    pattern = r"[\s-]+".join(rf"{re.escape(ch)}[\w']*" for ch in tok)
    return re.search(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE) is not None


def _merge_initials(entities: list[EntityDraft]) -> list[EntityDraft]:
    """An acronym the paper never defines but whose letters are the initials of another of its
    names ("TNNs" beside "Toeplitz Neural Network") is that entity."""
    long_by_initials: dict[str, EntityDraft] = {}
    for g in entities:
        if len(re.split(r"[\s-]+", g.name)) >= 2 and g.type in ("Method", "Model", "Dataset"):
            long_by_initials.setdefault(_initials(g.name), g)
    if not long_by_initials:
        return entities
    out: list[EntityDraft] = []
    for g in entities:
        short = g.name[:-1] if g.name.endswith("s") else g.name
        acronym = short.isupper() and len(short) >= 2 or _mixed_acronym(short)
        target = long_by_initials.get(short.upper()) if acronym and "canonical" not in g.attrs else None
        if target is None or target is g or target.type != g.type and g.rule not in ("coinage_default", "coinage"):
            out.append(g)
            continue
        _absorb(target, g)
    return out
