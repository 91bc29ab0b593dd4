"""Entity-to-entity links: BASED_ON, OUTPERFORMS, TRAINED_ON between one paper's entities.

:class:`Linker` runs the :data:`LINK_RULES` in order over a :class:`LinkContext` (the paper's
mentions by position, its main contribution, the links found so far); the cue rule dispatches each
cue of ``kg/nlp/data/links.toml`` to its :data:`LINK_CUES` function. The first statement of a
(head, type, tail) wins. Offsets are into ``title + "\\n" + abstract``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.types import DEFAULT_ROLE

from .candidates import Cand, Typer, components
from .resources import load_links, load_patterns
from .scan import KindScanner
from .textutil import fold, has_word, word_spans
from .words import english_words, languages, non_term_words

if TYPE_CHECKING:
    from .assemble import EntityDraft

_MM = ("Method", "Model")
_COMPARISON = frozenset({"outperform", "outperformed", "superiority", "compared"})
_COORD_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|[-–/]\s*)(?:(?<=\s)(?:the|a|an)\s+)?")
_TUNE_VERB = re.compile(r"(?i)fine-?tun|finetun|instruction[-\s]tun")
_PARTICIPLE = re.compile(r"(?i)[\w\-]+ed\b")
_PREV_WORD = re.compile(r"(?<![\w\-])([A-Za-z][\w\-]*)\s+$")
_JOIN = re.compile(r"\s*[-–/]\s*")
_NEXT_HEAD = re.compile(r"[\s-]+([A-Za-z]+)\b")
_NEXT_WORD = re.compile(r"\s+([a-z][a-z\-]*)\b")
# "strong LLMs like X": what follows a class word is an example, not the compared class
_PROCESS_NOUN = re.compile(r"(?:ing|tion|sion|ment|ization|isation)$")
_GERUND_OBJECT = re.compile(r"[A-Z][a-z]+ing\s+")
_OF_NEXT = re.compile(r"\s+of\s")
_SHORT_FORM_AFTER = re.compile(r"[\"'”]?\s*\(\s*[\w\-]*[A-Z][\w\-]*\s*\)")
_TITLE_WORD = re.compile(r"[A-Z][a-z]{3,}")
_LOWER_WORDS = re.compile(r"(?:[a-z][\w\-]*\s+){0,2}")
_GENERIC_REF = re.compile(r"\s*,?\s*(?:like|such\s+as|including|e\.g\.)\b")


@dataclass(slots=True)
class LinkDraft:
    head: EntityDraft
    type: str
    tail: EntityDraft
    sent: tuple[int, int]
    rule: str
    confidence: float


class Linker:
    """Compiled link cues of ``links.toml`` and the link rules that use them."""

    def __init__(self, typer: Typer):
        lk = load_links()
        self.typer = typer
        self.windows = lk["windows"]
        self.link_conf = lk["confidence"]
        cues = lk["cues"]
        stems = lk["stems"]
        self.link_scan = KindScanner([(kind, stems[kind], re.compile(rf"(?i:\b{cues[kind]}\b)")) for kind in LINK_CUES])
        self.gain = re.compile(lk["gain"])
        self.contrast_clause = re.compile(lk["contrast_clause"])
        self.clause_break = re.compile(lk["clause_break"])
        self.loss = re.compile(lk["loss"])
        self.based_modifier = re.compile(lk["based_modifier"])
        self.based_modifier_after = re.compile(lk["based_modifier_after"])
        self.based_modifier_before = re.compile(lk["based_modifier_before"])
        self.modified_name = re.compile(lk["modified_name"])
        self.dataset_source = re.compile(lk["dataset_source"])
        self.result_of = re.compile(lk["result_of"])
        self.result_verb = re.compile(lk["result_verb"])
        self.trained_from = re.compile(lk["trained_from"])
        self.style_of = re.compile(lk["style_of"])
        self.data_pronoun = re.compile(lk["data_pronoun"])
        self.named_winner_after = re.compile(lk["named_winner_after"])
        self.loser_clause = re.compile(lk["loser_clause"])
        self.procedure_after = re.compile(lk["procedure_after"])
        self.not_base_suffix = re.compile(lk["not_base_suffix"])
        self.rival_before = re.compile(lk["rival_before"])
        self.base_of = re.compile(lk["base_of"])
        self.base_of_next = re.compile(lk["base_of_next"])
        self.dataset_source_end = re.compile(lk["dataset_source_end"])
        self.apposition = re.compile(lk["apposition"])
        self.apposition_end = re.compile(lk["apposition_end"])
        self.measure_after = re.compile(lk["measure_after"])
        self.named_after = re.compile(lk["named_after"])
        self.title_apposition = re.compile(lk["title_apposition"])
        self.title_apposition_end = re.compile(lk["title_apposition_end"])
        self.title_parts = re.compile(lk["title_parts"])
        self.title_parts_end = re.compile(lk["title_parts_end"])
        self.clause_cut = re.compile(lk["tail_end"])
        self.parity_before = re.compile(lk["parity_before"])
        self.citation_paren = re.compile(lk["citation_paren"])
        self.bare_higher = re.compile(lk["bare_higher"])
        self.cost_before = re.compile(lk["cost_before"])
        self.nominal_cue = re.compile(lk["nominal_cue"])
        self.not_derived_before = re.compile(lk["not_derived_before"])
        self.class_after = re.compile(lk["class_after"])
        self.called_gap = re.compile(lk["called_gap"])
        self.compared_modifier = re.compile(lk["compared_modifier"])
        self.examples_paren = re.compile(lk["examples_paren"])
        self.head_anaphor = re.compile(lk["head_anaphor"])
        self.pronoun_subject = re.compile(lk["pronoun_subject"])
        self.base_subject_gap = re.compile(lk["base_subject_gap"])
        self.superiority_over = re.compile(lk["superiority_over"])
        self.participle_cue = re.compile(lk["participle_cue"])
        self.subject_between = re.compile(lk["subject_between"])
        self.participle_clause = re.compile(lk["participle_clause"])
        self.fronted_open = re.compile(lk["fronted_open"])
        self.result_clause = re.compile(lk["result_clause"])
        self.own_prefix = re.compile(lk["own_prefix"])
        self.fronted_subject = re.compile(lk["fronted_subject"])
        self.named_end = re.compile(lk["named_end"])
        self.named_end_after = re.compile(lk["named_end_after"])
        self.named_end_heads = frozenset(fold(w) for w in lk["named_end_heads"])
        self.not_end_words = frozenset(lk["not_end_words"]) | languages() | english_words()
        self.plural_modified = re.compile(lk["plural_modified"])
        self.compared_subject_gap = re.compile(lk["compared_subject_gap"])
        self.clause_open = re.compile(lk["clause_open"])
        self.served_before = re.compile(lk["served_before"])
        self.served_after = re.compile(lk["served_after"])
        self.class_np_after = re.compile(lk["class_np_after"])
        self.class_np_before = re.compile(lk["class_np_before"])
        self.class_np_heads = lk["class_np_heads"]
        pats = load_patterns()
        # determiners, evaluative and degree words may stand before a compared name ("the standard foo")
        self.premodifiers = frozenset(pats["terms"]["stop"]) | frozenset(lk["after_name"]) | frozenset(lk["premodifiers"])
        self.adjective = re.compile(pats["tasks"]["adjective_suffix"])
        self.own = re.compile(pats["roles"]["own"], re.I)
        self.after_name = frozenset(lk["after_name"]) | typer.generic_heads | frozenset(typer.heads)
        self.np_empty = frozenset(pats["terms"]["stop"]) | non_term_words() | frozenset(lk["class_np_empty"])
        self.function_words = frozenset(pats["terms"]["stop"]) - frozenset(lk["class_np_modifiers"])
        self.stop_words = frozenset(pats["terms"]["stop"])

    def find_links(
        self, text: str, sents: list[tuple[int, int]], entities: list[EntityDraft], title_end: int = 0
    ) -> list[LinkDraft]:
        """Every :data:`LINK_RULES` rule in order; the first statement of a (head, type, tail) wins."""
        lc = LinkContext.of(text, sents, entities, title_end)
        for _name, _key, rule in LINK_RULES:
            rule(self, lc)
        return list(lc.links.values())

    def cue_links(self, lc: LinkContext) -> None:
        """Cue words between two mentions of a sentence: one :data:`LINK_CUES` function per cue kind."""
        for kind, m in self.link_scan.finditer(lc.text):
            si = bisect.bisect_right(lc.sent_starts, m.start()) - 1
            if si < 0 or self._inside_name(lc, m):
                continue
            LINK_CUES[kind](self, lc, m, lc.sents[si], kind)

    @staticmethod
    def _inside_name(lc: LinkContext, m: re.Match) -> bool:
        """A cue word that is part of a name ("hybrid FooNets", "Fine-Tuned Foo") is no cue; a
        procedure's name the cue spans whole is ("continued pre-training of Foo")."""
        pos = m.start()
        return any((a < pos < b or a == pos and b > pos) and not (g.type == "Method" and a == pos and b <= m.end())
                   for a, b, g in lc.in_range(max(0, pos - 80), pos + 1))

    def _head_before(self, lc: LinkContext, s: int, cue: int, before: list) -> EntityDraft | None:
        """The proposed entity before the cue, else the paper's main one when the paper speaks of itself."""
        prop_before = [x for x in before if x[2].role == "PROPOSES"]
        if prop_before:
            return prop_before[-1][2]
        if lc.main is not None and self._speaks_of_own(lc, s, cue):
            return lc.main
        return None

    def _speaks_of_own(self, lc: LinkContext, s: int, cue: int) -> bool:
        """The clause before a cue speaks of the paper's own contribution: an own word other than a bare
        "our" ("we", "it", "the proposed"), or "our" with a contribution noun ("our method"); "our
        results extend Y", "our fused kernel beats Y" name no contribution of the paper's."""
        if self.head_anaphor.search(lc.text, s, cue):
            return True
        return any(not m.group(0).lower().startswith("our") for m in self.own.finditer(lc.text, s, cue))

    def outperform_link(self, lc: LinkContext, m: re.Match, sent: tuple[int, int], kind: str) -> None:
        """"X outperforms Y and Z": X OUTPERFORMS each of Y, Z up to the end of the clause."""
        s, _e = sent
        if self.bare_higher.match(m.group(0)) and self.cost_before.search(lc.text, max(s, m.start() - 50), m.start()):
            return  # "the error is 3% higher than Y"
        heads = self._participle_subject(lc, s, m.start()) or self._clause_subjects(lc, s, m.start())
        head = heads[-1] if heads else self._subject(lc, self._contrast_start(lc, s, m.start()), m.start())
        if head is not None:
            for tail in self._compared(lc, m.end(), sent, head):
                for h in heads or (head,):
                    lc.add(h, "OUTPERFORMS", tail, sent, "outperform_cue", self.link_conf["outperform_cue"])

    def outperformed_link(self, lc: LinkContext, m: re.Match, sent: tuple[int, int], kind: str) -> None:
        """"A lags behind B", "A is less accurate than B": B OUTPERFORMS A."""
        s, _e = sent
        loser = self._subject(lc, s, m.start())
        if loser is None:
            return
        winners = self._compared(lc, m.end(), sent, loser, own_ok=True) or self._unstated_winner(lc, s, m.start(), loser)
        if winners:
            lc.add(winners[0], "OUTPERFORMS", loser, sent, "outperformed_cue", self.link_conf["outperformed_cue"])

    def _unstated_winner(self, lc: LinkContext, s: int, cue: int, loser: EntityDraft) -> list[EntityDraft]:
        """"X sings long songs well, which is where Y falls short": with no winner after the cue,
        the proposed entity that the sentence reports on before the loser's own clause."""
        if self.named_winner_after.match(lc.text, cue) is None:
            return []
        first = next((x for x in lc.in_range(s, cue) if x[2] is loser), None)
        if first is None or not self.loser_clause.search(lc.text, max(s, first[0] - 40), first[0]):
            return []
        props = [x[2] for x in lc.in_range(s, first[0]) if x[2].role == "PROPOSES" and x[2].type in _MM]
        return props[:1]

    def superiority_link(self, lc: LinkContext, m: re.Match, sent: tuple[int, int], kind: str) -> None:
        """"the superiority of X over Y and Z": X OUTPERFORMS Y, Z."""
        over = self.superiority_over.search(lc.text, m.end(), min(sent[1], m.end() + 80))
        if over is None:
            return
        inside = [x[2] for x in lc.in_range(m.end(), over.start()) if x[2].type in _MM]
        if not inside:
            return
        for tail in self._compared(lc, over.end() - 1, sent, inside[0]):
            lc.add(inside[0], "OUTPERFORMS", tail, sent, "superiority_cue", self.link_conf["superiority_cue"])

    def compared_link(self, lc: LinkContext, m: re.Match, sent: tuple[int, int], kind: str) -> None:
        """"X gains 3 points compared with Y": a comparison in a sentence that reports a gain."""
        s, e = sent
        if not self.gain.search(lc.text, s, e) or self.loss.search(lc.text, s, e) \
                or self.parity_before.search(lc.text, max(s, m.start() - 60), m.start()):
            return
        head = self._subject(lc, self._contrast_start(lc, s, m.start()), m.start())
        if head is not None:
            for tail in self._compared(lc, m.end(), sent, head):
                lc.add(head, "OUTPERFORMS", tail, sent, "compared_cue", self.link_conf["compared_cue"])
            return
        # "Compared with Y, X achieves ...": the first name after the cue is the baseline (the names up
        # to the comma of a phrase that opens the sentence)
        fronted = self.fronted_open.fullmatch(lc.text, s, m.start()) is not None
        comma = lc.text.find(",", m.end(), e) if fronted else -1
        tails = self._compared(lc, m.end(), (s, comma) if comma > 0 else sent, None)
        if not tails:
            return
        head = self._fronted_compared_subject(lc, comma, sent, tails)
        if head is None:
            after = [x[2] for x in lc.in_range(m.end(), e) if x[2].type in _MM and x[2].role == "PROPOSES"]
            head = after[0] if after else lc.main if lc.main is not None and self.own.search(lc.text, m.end(), e) else None
        for tail in tails if comma > 0 else tails[:1]:
            if head is not None and head is not tail:
                lc.add(head, "OUTPERFORMS", tail, sent, "compared_cue", self.link_conf["compared_cue"])

    def _contrast_start(self, lc: LinkContext, s: int, cue: int) -> int:
        """Where the cue's own clause starts after a contrast ("A gains 3%, whereas B gains 1% compared
        with Y": B's clause), else the sentence start."""
        ends = [c.end() for c in self.contrast_clause.finditer(lc.text, s, cue)]
        return ends[-1] if ends else s

    def _fronted_compared_subject(self, lc: LinkContext, comma: int, sent: tuple[int, int],
                                  tails: list[EntityDraft]) -> EntityDraft | None:
        """"Compared with Y, Foo reduces ...": a comparison phrase that opens its sentence (its comma
        at ``comma``) speaks of the main clause's subject right after the comma, a used name as well
        as the paper's own."""
        sm = self.fronted_subject.match(lc.text, comma) if comma > 0 else None
        first = lc.in_range(sm.end(), sm.end() + 1) if sm is not None else []
        if first and self._comparable(first[0][2]) and first[0][2] not in tails and not self._generic(first[0][2]):
            return first[0][2]
        return None

    def _subject(self, lc: LinkContext, s: int, cue: int) -> EntityDraft | None:
        """Who a comparison is about: the proposed entity before the cue, else the paper's own when it
        speaks of itself, else the nearest name before the cue."""
        # never a metric ("X achieves 2x MFU compared to Y")
        before = [x for x in lc.in_range(s, cue) if self._comparable(x[2])]
        subjects = self._clause_subjects(lc, s, cue, before)
        if subjects:
            return subjects[-1]
        opener = self._clause_opener(lc, s, cue, before)
        if opener is not None:
            return opener
        head = self._head_before(lc, s, cue, before)
        if head is None and before and self._may_be_subject(lc, before[-1], cue):
            head = before[-1][2]
        if head is None and self.pronoun_subject.match(lc.text, s, cue):
            head = self._previous_subject(lc, s)
        if head is None:
            nm = self.class_np_before.search(lc.text, max(s, cue - 120), cue)
            head = self._class_entity(lc, nm) if nm is not None else None
        return head

    def _clause_opener(self, lc: LinkContext, s: int, cue: int, before: list) -> EntityDraft | None:
        """"We find that Foo improves by 3% relative to Y": a used name that opens the cue's own
        clause is the comparison's subject, not the paper's own entity the sentence also speaks of
        (no clause word, comma or own word between the name and the cue)."""
        if not before or before[-1][2].role == "PROPOSES":
            return None
        x = before[-1]
        if not self.clause_open.search(lc.text[s:x[0]]) or self.clause_break.search(lc.text, x[1], cue) \
                or self.own.search(lc.text, x[1], cue) or not self._may_be_subject(lc, x, cue):
            return None
        return x[2]

    def _participle_subject(self, lc: LinkContext, s: int, cue: int) -> list[EntityDraft]:
        """"A works well on B and C, outperforming Y": the participle's subject is its main clause's
        first name (A), not the name nearest the comma (C)."""
        if not self.participle_cue.search(lc.text, max(s, cue - 40), cue):
            return []
        opens = [o.end() for o in self.participle_clause.finditer(lc.text, s, cue)]
        start = opens[-1] if opens else s
        first = [x[2] for x in lc.in_range(start, cue) if self._comparable(x[2])]
        return first[:1]

    def _may_be_subject(self, lc: LinkContext, x: tuple[int, int, EntityDraft], cue: int) -> bool:
        """The nearest name before a comparison is its subject unless it only modifies a class of
        systems ("... outperforms current Foo methods ..., and ... compared to Y") or another clause
        with its own subject stands between ("For Foo, we find that ... than Y")."""
        return not self.class_after.match(lc.text, x[1]) and not self.subject_between.search(lc.text, x[1], cue)

    def _clause_subjects(self, lc: LinkContext, s: int, cue: int, before: list | None = None) -> list[EntityDraft]:
        """The names that are the comparison's own subject, before the paper's proposed entity: they
        open their clause and only adverbs, a copula or an amount stand before the cue ("we show that
        A and B consistently outperform Y", "..., and Foo is 3x faster than Y")."""
        if before is None:
            before = [x for x in lc.in_range(s, cue) if self._comparable(x[2])]
        if not before or not self.compared_subject_gap.fullmatch(lc.text, before[-1][1], cue):
            return []
        i = len(before) - 1
        while i > 0 and _COORD_GAP.fullmatch(lc.text, before[i - 1][1], before[i][0]):
            i -= 1
        # (on the sentence's own text: "^" of a search from a position matches only at the string's start)
        if not self.clause_open.search(lc.text[s:before[i][0]]):
            return []
        out: list[EntityDraft] = []
        for x in before[i:]:
            if x[2] not in out:
                out.append(x[2])
        return out

    def _previous_subject(self, lc: LinkContext, s: int) -> EntityDraft | None:
        """"FooNets are fast. They outperform Y": the first Method/Model of the sentence before ``s``."""
        i = bisect.bisect_right(lc.sent_starts, s) - 2
        if i < 0:
            return None
        ps, pe = lc.sents[i]
        prev = [x for x in lc.in_range(ps, pe) if x[2].type in _MM]
        return prev[0][2] if prev else None

    def _compared(self, lc: LinkContext, start: int, sent: tuple[int, int], head: EntityDraft | None,
                  own_ok: bool = False) -> list[EntityDraft]:
        """The systems a comparison names after ``start``, up to the end of its clause; not class words
        ("LLMs like X"), metrics, the head itself or (unless ``own_ok``) the paper's own entities."""
        cut = self.clause_cut.search(lc.text, start + 1, sent[1])
        while cut and (cit := self.citation_paren.match(lc.text, cut.start())) is not None:
            cut = self.clause_cut.search(lc.text, cit.end(), sent[1])  # "Y (Doe et al., 2021) and Z"
        stop = cut.start() if cut else sent[1]
        if cut and self.examples_paren.match(lc.text, stop):
            close = lc.text.find(")", stop, sent[1])
            stop = close if close > 0 else sent[1]
        out: list[EntityDraft] = []
        for x in lc.in_range(start, stop):
            if self._is_compared(lc, x, head, own_ok) and x[2] not in out:
                out.append(x[2])
        if not out and head is not None:
            g = self._unnamed_compared(lc, start, (sent[0], stop), head)
            if g is not None:
                out.append(g)
        return out

    def _is_compared(self, lc: LinkContext, x: tuple[int, int, EntityDraft], head: EntityDraft | None, own_ok: bool) -> bool:
        g = x[2]
        if _GENERIC_REF.match(lc.text, x[1]):
            return False  # "strong LLMs like X": the class, not the compared system
        if self.compared_modifier.match(lc.text, x[1]) or self._phrase_head(lc.text, x[0], x[1]) \
                or self.class_after.match(lc.text, x[1]):
            return False  # "Foo quantization methods", "direct model quantization", "Foo systems": part of another phrase
        return g is not head and (own_ok or g.role != "PROPOSES") and self._comparable(g)

    def _comparable(self, g: EntityDraft) -> bool:
        """A Method/Model that can be one side of a comparison: not a metric ("X achieves 2x MFU
        compared to Y") and not a generic class ("LLMs match or exceed Y", "gains over the base LLM");
        a named family is ("more parameter-efficient than MLPs")."""
        return g.type in _MM and not self.typer.is_metric(g.name) and not self._generic_class(g)

    def _unnamed_compared(self, lc: LinkContext, start: int, clause: tuple[int, int], head: EntityDraft) -> EntityDraft | None:
        """"faster than Bar" with Bar no entity yet; "beats older recurrent pebble models": the
        named class is the compared system (never two class phrases compared with each other)."""
        g = self._named_end(lc, start, clause)
        if g is None and "class_np" not in head.rule:
            nm = self.class_np_after.match(lc.text, start, clause[1])
            g = self._class_entity(lc, nm) if nm is not None else None
        if g is None:
            g = self._procedure_end(lc, start, clause)
        return g if g is not head else None

    def _procedure_end(self, lc: LinkContext, start: int, clause: tuple[int, int]) -> EntityDraft | None:
        """"outperforms vanilla lattice tuning": a lower-case procedure phrase right after a
        comparison cue, which no entity rule found, is the compared Method (its evaluative words off)."""
        pm = self.procedure_after.match(lc.text, start, clause[1])
        if pm is None or any(a < pm.end(1) and pm.start(1) < b for a, b, _g in lc.in_range(max(0, pm.start(1) - 80), pm.end(1))):
            return None
        words = pm.group(1).split()
        if len(words) < 2 and "-" not in words[0] or any(w in self.function_words or w in self.np_empty for w in words[:-1]):
            return None  # ("faster than standard training": a bare procedure word names no method)
        name = pm.group(1)
        return lc.named(name) or lc.new_entity(name, "Method", "link_end", self.link_conf["link_end"], spans=[(pm.start(1), pm.end(1))])

    def _class_entity(self, lc: LinkContext, nm: re.Match) -> EntityDraft | None:
        """The entity a class noun phrase names ("convolutional networks", "SSM quantization methods"),
        the one already made for its family if any ("linear sequence modeling techniques" and "linear
        sequence models")."""
        named = self._class_name(lc, nm)
        if named is None:
            return None
        name, etype, span = named
        stem = re.sub(r"(?:model(?:l?ing)?)$", "model", name)
        g = lc.named(name) or lc.named(stem) or lc.named(stem + "ing")
        if g is None:
            return lc.new_entity(name, etype, "class_np", self.link_conf["class_np"], spans=[span])
        if g.rule == "class_np" and fold(name) != fold(g.name):
            g.aliases.append(lc.text[span[0]:span[1]])
            g.cands.append(Cand(span[0], span[1], g.aliases[-1], g.type, "class_np", 2, g.confidence))
        return g if g.type in _MM and not self._generic(g) else None

    def _class_name(self, lc: LinkContext, nm: re.Match) -> tuple[str, str, tuple[int, int]] | None:
        """(name, type, span) of a class noun phrase: its modifiers (group 1) need a content word (not a
        determiner, evaluative or degree word) and no function word; names inside it only modify the
        class word (the caller found no compared name), but it may not be part of a longer name; a
        method-like class word after a process noun is dropped ("... quantization methods" names "...
        quantization")."""
        mods, head = nm.group(1).split(), nm.group(2)
        if any(w.lower() in self.function_words or any(ch.isdigit() for ch in w) for w in mods) \
                or all(w.lower() in self.np_empty or w in self.typer.not_names for w in mods):
            return None  # ("MLP methods", "LLM approaches": a class acronym names no kind of its own)
        if any(a < nm.end(2) and nm.start(1) < b and (a < nm.start(1) or b >= nm.end(2))
               for a, b, _g in lc.in_range(max(0, nm.start(1) - 80), nm.end(2))):
            return None  # part of a longer name, or a name itself: the name rules decide
        word = head.lower()
        word = word[:-2] if word.endswith(("ches", "shes")) else word[:-1] if word.endswith("s") else word
        etype, drop = self.class_np_heads[word]
        if drop and _PROCESS_NOUN.search(mods[-1]):
            name, span = nm.group(1).strip(), (nm.start(1), nm.start(1) + len(nm.group(1).rstrip()))
        else:
            name, span = " ".join(mods + [word]), (nm.start(1), nm.end(2))
        return None if fold(name) in self.typer.generic_classes else (name, etype, span)

    def based_on_link(self, lc: LinkContext, m: re.Match, sent: tuple[int, int], kind: str) -> None:
        """"X is built on Y": the proposed X BASED_ON the first Y after the cue (and a Z coordinated with it)."""
        s, e = sent
        if self.nominal_cue.match(m.group(0)) and self.not_derived_before.search(lc.text, max(s, m.start() - 40), m.start()):
            return  # "the context-window extension of Y": no system derived from Y
        # a cue opening its sentence ("Built on Y, X adds ..."): the bases end at the phrase's comma
        fronted = self.fronted_open.fullmatch(lc.text, s, m.start()) is not None
        comma = lc.text.find(",", m.end(), e) if fronted else -1
        tails = self._based_on_tails(lc, m, sent, kind, comma if comma > 0 else e)
        own = self._own_object(lc, m, sent)
        if not tails and own is None:
            return
        head = self._based_on_head(lc, m, sent, kind, tails, comma if fronted else None)
        if head is None:
            return
        rule = "based_on_cue" if kind == "based_on" else "based_on_verb"
        for tail in tails:
            if tail.role != "PROPOSES" or self._known(tail):
                lc.add(head, "BASED_ON", tail, sent, rule, self.link_conf[rule])
        if own is not None:
            lc.add(head, "BASED_ON", own, sent, rule, self.link_conf[rule])

    def _based_on_tails(self, lc: LinkContext, m: re.Match, sent: tuple[int, int], kind: str,
                        be: int) -> list[EntityDraft]:
        """The bases a BASED_ON cue names before ``be``: the first Method/Model after it and those
        coordinated with it, after "the strengths / design of" for a verb cue; else the capitalised
        name right after the cue that no entity rule found."""
        start = m.end()
        if kind == "based_on_verb":
            om = self.base_of.match(lc.text, start, be)  # "combines the strengths of Y", "adopts the design of Y"
            start = om.end() if om is not None else start
        tails = self._bases(lc, start, min(be, start + self.windows["based_on_tail"]), be)
        if not tails:
            named = self._named_end(lc, m.end(), sent)
            tails = [named] if named is not None else []
        return tails

    def _based_on_head(self, lc: LinkContext, m: re.Match, sent: tuple[int, int], kind: str,
                       tails: list[EntityDraft], fronted_comma: int | None) -> EntityDraft | None:
        """What a BASED_ON cue speaks of: the name its phrase is given ("a variant of Y called X"), the
        name right before it, the subject after a fronted phrase's comma (``fronted_comma`` is None when
        the cue does not open its sentence), else the subject before the cue; None for a plural common
        noun before it ("three sand grids inspired by Y")."""
        s, e = sent
        before = [x for x in lc.in_range(s, m.start()) if x[2].type in _MM + ("Dataset",) and x[2] not in tails]
        named = self._called(lc, m.end(), e, tails)
        if named is not None:
            return named  # "a recent variant of Y called X"
        if before and before[-1][2].type in _MM and self.base_subject_gap.fullmatch(lc.text, before[-1][1], m.start()):
            # "Foo, an architecture based on Y", "our final model Foo is a version of Y": the name the
            # cue is about, before the paper's own entity
            return before[-1][2]
        if kind == "based_on" and self._plural_modified(lc.text, max(s, m.start() - 40), m.start()):
            return None  # "three sand grids inspired by Y": the cue is about those spaces
        if fronted_comma is not None:
            return self._fronted_subject(lc, fronted_comma, sent, tails)  # "Built on Y, X adds ..."
        return self._head_before(lc, s, m.start(), before)

    def _fronted_subject(self, lc: LinkContext, comma: int, sent: tuple[int, int],
                         tails: list[EntityDraft]) -> EntityDraft | None:
        """"Built on top of Y, X adds ...", "Inspired by Y, we design ...": a cue that opens its sentence
        speaks of the main clause's subject after the phrase's comma: the name right there, else the
        paper's own main entity when the paper speaks of itself there."""
        if comma < 0:
            return None
        sm = self.fronted_subject.match(lc.text, comma)
        if sm is None:
            return None
        first = lc.in_range(sm.end(), sm.end() + 1)
        if first and first[0][2].type in _MM and first[0][2] not in tails and not self._generic(first[0][2]):
            return first[0][2]
        if lc.main is not None and self.own.match(lc.text, sm.end()) and lc.main not in tails:
            return lc.main
        return None

    def _called(self, lc: LinkContext, start: int, e: int, tails: list[EntityDraft]) -> EntityDraft | None:
        """The name a BASED_ON cue's phrase is given right after its bases: X of "a variant of Y called X"."""
        last = -1
        for a, b, g in lc.in_range(start, min(e, start + 100)):
            if g in tails:
                last = b
                continue
            if last >= 0 and g.type in _MM and self.called_gap.fullmatch(lc.text, last, a):
                return g
            return None
        return None

    def _bases(self, lc: LinkContext, start: int, first_by: int, e: int) -> list[EntityDraft]:
        """The first Method/Model starting in [start, first_by), and those coordinated right after it
        ("A and B", "A, B", "A-B")."""
        after = [x for x in lc.in_range(start, e) if x[2].type in _MM and not self.typer.is_metric(x[2].name)]
        if not after or after[0][0] >= first_by:
            return []
        # "integrates a Foo-style Bar backbone": a name that only gives the style of the next one is no base
        while len(after) > 1 and self.style_of.fullmatch(lc.text, after[0][1], after[1][0]):
            after = after[1:]
        out = [after[0]]
        for x in after[1:]:
            if not _COORD_GAP.fullmatch(lc.text, out[-1][1], x[0]) and not self.base_of_next.fullmatch(lc.text, out[-1][1], x[0]):
                break
            out.append(x)
        # "a variant of the Foo objective": a name modifying another noun is no base (a coordinated
        # list shares its last member's noun: "Foo and Bar layers")
        if self._modifies_noun(lc.text, out[-1][1]) or self.class_after.match(lc.text, out[-1][1]):
            return []
        bases: list[EntityDraft] = []
        for x in out:
            for g in self._parts(lc, x[2]) or (x[2],):
                if g not in bases and not self._generic(g):
                    bases.append(g)
        return bases

    def _named_end(self, lc: LinkContext, start: int, sent: tuple[int, int]) -> EntityDraft | None:
        """"built upon the foundation of the Bar language", "an integration of X into Bar, a tool",
        "faster than Bar": a capitalised name right after a cue that no rule made an entity is the
        link's end; it becomes a used entity with every whole-word mention of it once linked."""
        nm = self.named_end.match(lc.text, start, sent[1])
        if nm is None or nm.start(1) >= sent[1]:
            return None
        name = nm.group(1)
        if name.lower() in self.not_end_words or name in self.typer.not_names or fold(name) in self.typer.not_entities:
            return None
        after = self.named_end_after.match(lc.text, nm.end(1))
        if after is None or after.group(1) and fold(after.group(1)) not in self.named_end_heads:
            return None  # "based on Boolean formulas": a capitalised modifier of another noun
        if lc.named(name) is not None:
            return None  # an entity already: _bases has judged it
        if any(a <= nm.start(1) < b for a, b, _g in lc.in_range(max(0, nm.start(1) - 80), nm.end(1))):
            return None  # part of a longer name
        etype = self.typer.suffix_type(name) or ("Model" if after.group(1) and self.typer.heads.get(fold(after.group(1))) == "Model" else "Method")
        return lc.new_entity(name, etype, "link_end", self.link_conf["link_end"])

    def _own_object(self, lc: LinkContext, m: re.Match, sent: tuple[int, int]) -> EntityDraft | None:
        """"X, an integration of our method into Y", "X extends our model": the paper's own main
        contribution is a base of X too."""
        if lc.main is None:
            return None
        am = self.head_anaphor.match(lc.text, m.end() + 1 if lc.text[m.end():m.end() + 1].isspace() else m.end())
        if am is None:
            inner = lc.text[m.start():m.end()]
            am = self.head_anaphor.search(inner)
            if am is None or not am.group(0).lower().startswith("our"):
                return None
        elif not am.group(0).lower().startswith("our"):
            return None
        return lc.main

    def _parts(self, lc: LinkContext, g: EntityDraft) -> list[EntityDraft] | None:
        """"a hybrid Foo-Bar model": a name joining two of the paper's other names, or of known
        (vocabulary) Method/Model names, is all of them."""
        parts = _JOIN.split(g.name)
        if len(parts) < 2:
            return None
        found = [lc.named(p) or self._known_part(lc, g, p) for p in parts]
        if any(f is None or f is g or f.type not in _MM for f in found):
            return None
        return found

    def _known_part(self, lc: LinkContext, g: EntityDraft, part: str) -> EntityDraft | None:
        """A vocabulary Method/Model joined into ``g``'s name ("Foo" of "Foo-Bar") as a link end of its
        own: the paper's entity of its vocabulary name, else a new one at its own mentions ("Foo
        layers"); none when the paper writes it only inside ``g``."""
        ve = self.typer.index.lookup(part)
        if ve is None or ve.type not in _MM or fold(ve.name) in self.typer.generic_classes:
            return None
        have = lc.named(ve.name)
        if have is not None:
            return have
        if not has_word(lc.text, part):
            return None
        return lc.new_entity(part, ve.type, "link_end", self.link_conf["link_end"])

    def _modifies_noun(self, text: str, end: int) -> bool:
        """The name ending at ``end`` is followed by a lower-case word that is no function word, class
        or type head: it modifies that noun."""
        m = _NEXT_WORD.match(text, end)
        if m is None or m.group(1).endswith("ly"):
            return False
        w = m.group(1).lower()
        # the word lists are plain lower case, the head lists folded ("methods" -> "method")
        return not {w, w.removesuffix("s"), fold(w)} & self.after_name

    def _phrase_head(self, text: str, start: int, end: int) -> bool:
        """A common-noun name ("quantization") right after a noun that is no determiner, evaluative
        word or adjective heads an unnamed phrase ("direct model quantization"): not that name."""
        if not text[start:end].islower():
            return False
        m = _PREV_WORD.search(text, max(0, start - 30), start)
        if m is None:
            return False
        w = m.group(1)
        return w.lower() not in self.premodifiers and not self.adjective.search(w) and not any(ch.isdigit() for ch in w)

    def _known(self, g: EntityDraft) -> bool:
        """A vocabulary name or a size/variant of one: never the paper's own, whatever its role says."""
        return "canonical" in g.attrs or self.typer.known_variant(g.name)

    def trained_on_link(self, lc: LinkContext, m: re.Match, sent: tuple[int, int], kind: str) -> None:
        """"M is trained on D1 and D2": M TRAINED_ON each dataset after the cue; "M, trained on D with
        Y": M BASED_ON the known model Y it was trained from."""
        s, e = sent
        self._tuned_object_link(lc, m, sent)
        # the data ends with the cue's clause: "trained on N samples with Y, achieves 90% on D" reports a result on D
        cut = self.clause_cut.search(lc.text, m.end() + 1, e)
        stop = min(cut.start() if cut else e, m.end() + self.windows["trained_on_tail"])
        after = [x for x in lc.in_range(m.end(), stop) if x[2].type == "Dataset"]
        if not after and self.data_pronoun.match(lc.text, m.end()):
            # "we build D and train M on it": the dataset the sentence named before the cue
            after = [x for x in lc.in_range(s, m.start()) if x[2].type == "Dataset" and x[2].role == "PROPOSES"][-1:]
        base = self._trained_from(lc, m, sent)
        if not after and base is None:
            return
        head = self._trained_head(lc, m, sent)
        if head is None:
            return
        for x in after:
            lc.add(head, "TRAINED_ON", x[2], sent, "trained_on_cue", self.link_conf["trained_on_cue"])
        if base is not None and base is not head:
            lc.add(head, "BASED_ON", base, sent, "trained_from", self.link_conf["trained_from"])

    def _trained_head(self, lc: LinkContext, m: re.Match, sent: tuple[int, int]) -> EntityDraft | None:
        """The model a training cue speaks of: the one between the verb and "on", else the Model (or
        the paper's own coinage) before the cue, else the paper's own main entity."""
        s, _e = sent
        head = self._trained_object(lc, m)
        if head is None and _PARTICIPLE.match(m.group(0)) and self._plural_modified(lc.text, max(s, m.start() - 40), m.start()):
            return None  # "X outperforms baselines trained on D": the data of those baselines
        if head is None:
            # a Model, or the paper's own coinage whatever its type ("FooDet is trained on D": a coined
            # detector typed Method is still the thing trained)
            before = [x for x in lc.in_range(s, m.start())
                      if x[2].type == "Model" or x[2].type in _MM and x[2].role == "PROPOSES" and not self._known(x[2])]
            head = before[-1][2] if before else (lc.main if lc.main is not None and (lc.main.type == "Model" or self._speaks_of_own(lc, s, m.start())) else None)
        return head

    def _trained_from(self, lc: LinkContext, m: re.Match, sent: tuple[int, int]) -> EntityDraft | None:
        """"trained on D using Y", "fine-tuned using Y as the base": the known Model right after
        the cue's "with", "using" or "from" (in the cue's clause) that names no other noun ("trained
        with Y annotations" is data made by Y)."""
        wm = self.trained_from.search(lc.text, max(m.start(), m.end() - 6), min(sent[1], m.end() + self.windows["trained_on_tail"]))
        if wm is None or self.clause_cut.search(lc.text[m.end():wm.start()]) and wm.start() > m.end():
            return None
        first = lc.in_range(wm.end(), wm.end() + 1)
        if not first:
            return None
        g = first[0][2]
        if g.type != "Model" or not self._known(g) or self._generic(g) or self._modifies_noun(lc.text, first[0][1]) \
                or lc.text.startswith("-", first[0][1]):
            return None
        return g

    def _trained_object(self, lc: LinkContext, m: re.Match) -> EntityDraft | None:
        """"We train a Foo-7B on D", "we pre-train FooNet from scratch on D": the model named between
        the verb and "on" is what was trained (not the sentence's subject or the paper's own). A model
        fine-tuned is the base of the paper's own (``_tuned_object_link``), which is the trained one,
        unless the vocabulary does not know it ("we fine-tune FooLM on D": a coinage is what was tuned)."""
        # ("trained with Foo annotations on D": a name modifying another noun is not what was trained)
        inside = [x[2] for x in lc.in_range(m.start() + 1, m.end()) if x[2].type == "Model" and not self._generic(x[2])
                  and not (self._modifies_noun(lc.text, x[1]) and _NEXT_WORD.match(lc.text, x[1]).group(1) != "on")]
        if _TUNE_VERB.match(m.group(0)):
            inside = [g for g in inside if not self._known(g)]
        return inside[0] if inside else None

    def _tuned_object_link(self, lc: LinkContext, m: re.Match, sent: tuple[int, int]) -> None:
        """"We fine-tune Y on D", "X continues pre-training Y on D": the paper's own model (or the
        proposed subject) BASED_ON the known model Y between the verb and "on"."""
        s, _e = sent
        if not _TUNE_VERB.match(m.group(0)):
            return  # "we train Y on D" from scratch uses Y's architecture, it is not built on a trained Y
        obj = [x[2] for x in lc.in_range(m.start(), m.end())
               if x[2].type == "Model" and self._known(x[2]) and not self._generic(x[2])]
        if not obj:
            return
        before = [x for x in lc.in_range(s, m.start()) if x[2].type in _MM]
        head = self._result_head(lc, m.end(), sent) or self._head_before(lc, s, m.start(), before)
        if head is not None and head is not obj[0]:
            lc.add(head, "BASED_ON", obj[0], sent, "tuned_object", self.link_conf["tuned_object"])

    def _result_head(self, lc: LinkContext, start: int, sent: tuple[int, int]) -> EntityDraft | None:
        """"We fine-tune Y on D to obtain X", "..., yielding X": the name the clause says results."""
        rm = self.result_clause.search(lc.text, start, sent[1])
        if rm is None:
            return None
        first = lc.in_range(rm.end(), min(sent[1], rm.end() + 40))[:1]
        if not first or not _LOWER_WORDS.fullmatch(lc.text, rm.end(), first[0][0]):
            return None
        nw = _NEXT_WORD.match(lc.text, first[0][1])
        if nw is not None and nw.group(1) not in self.stop_words:
            return None  # "to obtain better Foo scores": a name modifying another noun is no result
        g = first[0][2]
        return g if g.type in _MM and not self._generic(g) else None

    def based_modifier_links(self, lc: LinkContext) -> None:
        """"we propose X, a Transformer-based model": X BASED_ON Transformer."""
        for m in self.based_modifier.finditer(lc.text):
            si = bisect.bisect_right(lc.sent_starts, m.start()) - 1
            if si < 0:
                continue
            s, e = lc.sents[si]
            tails = [x for x in lc.in_range(s, m.start() + 1) if x[1] == m.start() and x[2].type in _MM]
            if not tails or self._served(lc.text, tails[0][0], tails[0][1]):
                continue  # ("an inference engine for Foo-based models" serves them)
            compared = any(kind in _COMPARISON for kind, _m in self.link_scan.finditer(lc.text[s:tails[0][0]]))
            head = self._described(lc, tails[0][0], m.end(), (s, e), compared)
            if head is not None and head is not tails[0][2]:
                lc.add(head, "BASED_ON", tails[0][2], (s, e), "based_modifier", self.link_conf["based_modifier"])

    def _described(self, lc: LinkContext, a: int, b: int, sent: tuple[int, int], compared: bool) -> EntityDraft | None:
        """The proposed Method/Model that the phrase at [a, b) ("a Foo-based library") describes: the
        nearest one before it of which it is an apposition or predicate ("X, a ...", "X is
        implemented as a ..."), else the one right after it that it names ("a ... model, X",
        "a ... framework called X"), else the sentence's first; only the first kind when a comparison
        cue stands before the phrase ("X outperforms Foo-based methods", "Compared with Foo-based
        models, X ...": a comparison's other side builds nothing of the paper's)."""
        props = [x for x in lc.in_range(*sent) if x[2].role == "PROPOSES" and x[2].type in _MM]
        before = [x for x in props if x[0] < a]
        if before and self.based_modifier_after.fullmatch(lc.text, before[-1][1], a):
            return before[-1][2]
        if compared:
            return None
        gap = self.based_modifier_before.match(lc.text, b, sent[1])
        after = lc.in_range(gap.end(), gap.end() + 1) if gap is not None else []
        if after and after[0][2].role == "PROPOSES" and after[0][2].type in _MM:
            return after[0][2]
        return props[0][2] if props else None

    def result_of_links(self, lc: LinkContext) -> None:
        """"Plugging Foo into Bar gives X": X BASED_ON Foo and Bar (X a name the vocabulary does not know)."""
        for vm in self.result_verb.finditer(lc.text):
            first = [x for x in lc.in_range(vm.end(), vm.end() + 40) if _LOWER_WORDS.fullmatch(lc.text, vm.end(), x[0])][:1]
            if not first:
                continue
            g = first[0][2]
            if g.type not in _MM or self._known(g) or self._generic(g):
                continue
            sent = lc.sent_at(vm.start())
            rm = self.result_of.search(lc.text[sent[0]:first[0][0]])
            if rm is None:
                continue
            a, b = sent[0] + rm.start(1), sent[0] + rm.end(1)
            for x in lc.in_range(a, b):
                t = x[2]
                if t.type in _MM and t is not g and x[1] <= b and not self._generic(t):
                    lc.add(g, "BASED_ON", t, sent, "result_of", self.link_conf["result_of"])

    def dataset_source_links(self, lc: LinkContext) -> None:
        """"D2, a corpus collected from D1", "D2 is a subset of D1": the proposed Dataset D2 BASED_ON D1."""
        for s, e in lc.sents:
            props = [x for x in lc.in_range(s, e) if x[2].type == "Dataset" and x[2].role == "PROPOSES"]
            if not props:
                continue
            for m in self.dataset_source.finditer(lc.text, props[0][1], e):
                before = [x for x in props if x[1] <= m.start()]
                cut = self.dataset_source_end.search(lc.text, m.end(), e)
                stop = min(cut.start() if cut else e, m.end() + self.windows["dataset_source"])
                tails = [x[2] for x in lc.in_range(m.end(), stop) if x[2].type == "Dataset" and x[2] is not before[-1][2]]
                if tails:
                    lc.add(before[-1][2], "BASED_ON", tails[0], (s, e), "dataset_source", self.link_conf["dataset_source"])
                    break

    def modified_name_links(self, lc: LinkContext) -> None:
        """"a Foo-based efficient BarNet block": the paper's own BarNet BASED_ON Foo (the name the
        modifier is attached to; a used name after it, "a Foo-style Bar model", is left alone)."""
        for m in self.modified_name.finditer(lc.text):
            tails = [x[2] for x in lc.in_range(max(0, m.start() - 80), m.start() + 1)
                     if x[1] == m.start() and x[2].type in _MM and not self._generic(x[2])]
            if not tails:
                continue
            after = lc.in_range(m.start(), m.end() + 40)
            heads = [x for x in after[:1] if x[2].type in _MM and x[2].role == "PROPOSES"
                     and _LOWER_WORDS.fullmatch(lc.text, m.end(), x[0])]
            if heads and heads[0][2] is not tails[0] and not self._known(heads[0][2]):
                sent = lc.sent_at(m.start())
                lc.add(heads[0][2], "BASED_ON", tails[0], sent, "modified_name", self.link_conf["modified_name"])

    def apposition_links(self, lc: LinkContext) -> None:
        """"X, a FooNet-style detector", "X, the first linear attention kernel": X BASED_ON the known name."""
        for s0, e0, g in lc.mentions:
            if g.role != "PROPOSES" or g.type not in _MM:
                continue
            am = self.apposition.match(lc.text, e0)
            if am is None:
                continue
            sent = lc.sent_at(s0)
            cut = self.apposition_end.search(lc.text, am.end(), sent[1])
            stop = cut.start() if cut else sent[1]
            found = [x for x in lc.in_range(am.end(), stop) if x[2].type in _MM and x[2] is not g and x[2].role != "PROPOSES"]
            for i, x in enumerate(found):
                t = x[2]
                if i + 1 < len(found) and _OF_NEXT.match(lc.text, x[1]):
                    continue  # "X, an efficient fine-tuning of Foo models": the base is what "of" names
                parts = self._parts(lc, t)
                if parts or "canonical" in t.attrs and not self._generic(t):
                    if not self._modifies_noun(lc.text, x[1]) and not self._served(lc.text, x[0], x[1]) \
                            and not self.measure_after.match(lc.text, x[1]) and not self._only_compared(lc.text, am.end(), x[0], x[1]):
                        for base in parts or (t,):
                            lc.add(g, "BASED_ON", base, sent, "apposition", self.link_conf["apposition"])
                    break

    def _only_compared(self, text: str, start: int, a: int, b: int) -> bool:
        """The name at [a, b) of a description from ``start`` is a yardstick, not a base: a size or
        level it matches ("a Foo-sized model", "a Foo-level singer", "a Foo-free design") or a
        system it rivals ("a competitor of Foo", "a drop-in replacement for Foo")."""
        return bool(self.not_base_suffix.match(text, b) or self.rival_before.search(text, max(start, a - 60), a))

    def title_apposition_links(self, lc: LinkContext) -> None:
        """"FooNet: A Robust Bar Quantization Framework": the title's own name BASED_ON the first known
        name of its subtitle."""
        title = lc.sents[0] if lc.sents else (0, 0)
        for s0, e0, g in lc.in_range(title[0], title[1]):
            if g.role != "PROPOSES" or g.type not in _MM:
                continue
            am = self.title_apposition.match(lc.text, e0)
            if am is None:
                continue
            cut = self.title_apposition_end.search(lc.text, am.end(), title[1])
            stop = cut.start() if cut else title[1]
            for x in lc.in_range(am.end(), stop):
                t = x[2]
                if t.type in _MM and t is not g and t.role != "PROPOSES" and "canonical" in t.attrs and not self._generic(t):
                    # "a Foo Quantization Framework", "a Bar Transformer": the known name is the kind of
                    # thing the title's name is; "Efficient Foo Quantization for Y" names what it does
                    if self._only_compared(lc.text, am.end(), x[0], x[1]):
                        pass
                    elif t.type == "Model" or self._before_head(lc.text, x[1]) or _GERUND_OBJECT.fullmatch(lc.text, am.end(), x[0]):
                        lc.add(g, "BASED_ON", t, title, "title_apposition", self.link_conf["title_apposition"])
                    break
            self._title_parts(lc, g, am.end(), title)
            break

    def _title_parts(self, lc: LinkContext, g: EntityDraft, start: int, title: tuple[int, int]) -> None:
        """"FooNet: A Bar Model with Baz, Qux and Memory": FooNet BASED_ON the known names of the list."""
        wm = self.title_parts.search(lc.text, start, title[1])
        if wm is None:
            return
        cut = self.title_parts_end.search(lc.text, wm.end(), title[1])
        for x in lc.in_range(wm.end(), cut.start() if cut else title[1]):
            t = x[2]
            if t.type in _MM and t is not g and t.role != "PROPOSES" and "canonical" in t.attrs and not self._generic(t):
                lc.add(g, "BASED_ON", t, title, "title_parts", self.link_conf["title_apposition"])

    def _before_head(self, text: str, end: int) -> bool:
        """The name ending at ``end`` is followed by a class or type head noun ("... framework")."""
        m = _NEXT_HEAD.match(text, end)
        return m is not None and (fold(m.group(1)) in self.typer.generic_heads or fold(m.group(1)) in self.typer.heads)

    def named_after_links(self, lc: LinkContext) -> None:
        """"a new constraint solver formulation called X": X BASED_ON the known name before the naming cue."""
        for s0, _e0, g in lc.mentions:
            if g.role != "PROPOSES" or g.type not in _MM:
                continue
            sent = lc.sent_at(s0)
            nm = self.named_after.search(lc.text, max(sent[0], s0 - 80), s0)
            if nm is None:
                continue
            for x in lc.in_range(nm.start(1), nm.end(1)):
                t = x[2]
                if t.type in _MM and t is not g and t.role != "PROPOSES" and not self._generic(t):
                    lc.add(g, "BASED_ON", t, sent, "named_after", self.link_conf["named_after"])
                    break

    def _generic(self, g: EntityDraft) -> bool:
        """A class word ("LLMs", "neural network") is no base to name."""
        return all(c.text in self.typer.not_names for c in g.cands) or self._generic_class(g)

    def _generic_class(self, g: EntityDraft) -> bool:
        """A generic model class by its name or by the vocabulary name it stands for ("LLMs" for
        "large language model")."""
        return bool({fold(g.name), fold(g.attrs.get("canonical", ""))} & self.typer.generic_classes)

    def coined_component_links(self, lc: LinkContext) -> None:
        """Coined names containing a known name: "FooLoRA" BASED_ON LoRA."""
        by_key = {g.key: g for g in lc.entities}
        for g in lc.entities:
            if g.role != "PROPOSES" or g.type not in _MM or g.rule == "proposed_variant":
                continue  # ("Foo-7B" of a paper proposing Foo: one contribution, not built on another)
            if g.name.islower():
                # "a banded sparse attention (BSA)" BASED_ON sparse attention: a descriptive
                # name the paper gives its own short form ("adaptive knowledge distillation" alone is none)
                other = self._modified_known(g, by_key) if self._has_short_form(lc, g) else None
            else:
                other = self._known_inner(g, by_key) or self._own_prefixed(g, by_key) or self._known_tail(lc, g)
            if other is not None and not self._serves(lc, g, other):
                lc.add(g, "BASED_ON", other, g.evidence, "coined_component", self.link_conf["coined_component"])

    @staticmethod
    def _has_short_form(lc: LinkContext, g: EntityDraft) -> bool:
        """The paper names ``g`` by a short form too: a capitalised alias, or a parenthesis with one
        right after a mention ('"foo bar" (FB)')."""
        return any(not a.islower() for a in g.aliases) \
            or any(_SHORT_FORM_AFTER.match(lc.text, c.end) for c in g.cands)

    def _modified_known(self, g: EntityDraft, by_key: dict[str, EntityDraft]) -> EntityDraft | None:
        """A lower-case proposed name whose last words are a Method/Model the paper names apart
        ("we propose a banded sparse attention" beside "sparse attention"): built on it;
        not a lone method noun ("a statistical song quantization" is a kind of quantization, no
        system built on a named one)."""
        words = g.name.split()
        for i in range(1, len(words)):
            other = by_key.get(fold(" ".join(words[i:])))
            if other is None:
                ve = self.typer.index.lookup(" ".join(words[i:]))
                other = by_key.get(fold(ve.name)) if ve is not None else None
            if other is not None and other is not g and other.type in _MM and other.role != "PROPOSES" \
                    and not self._generic(other) and not (i == len(words) - 1 and other.type == "Method"):
                return other
        return None

    def _known_tail(self, lc: LinkContext, g: EntityDraft) -> EntityDraft | None:
        """"Massively Parallel Foo Programming" BASED_ON "foo programming": a multi-word proposed name
        whose last words are a known Method (the paper writes it only inside the name)."""
        words = g.name.split()
        for i in range(1, len(words) - 1):
            tail = " ".join(words[i:])
            ve = self.typer.index.lookup(tail)
            if ve is not None and ve.type == "Method" and fold(ve.name) not in self.typer.generic_classes:
                c = next((c for c in g.cands if lc.text[c.start:c.end] == g.name), None)
                if c is None:
                    return None
                a = c.end - len(tail)
                return lc.named(ve.name) or lc.new_entity(ve.name, ve.type, "link_end", self.link_conf["link_end"], spans=[(a, c.end)])
        return None

    def _own_prefixed(self, g: EntityDraft, by_key: dict[str, EntityDraft]) -> EntityDraft | None:
        """"S-Foo", "Fast-Foo" of a paper proposing Foo too: a prefixed version of the paper's other
        contribution is built on it (a size or variant suffix, "Foo-7B", is the same contribution)."""
        pm = self.own_prefix.match(g.name)
        if pm is None:
            return None
        other = by_key.get(fold(g.name[pm.end():]))
        return other if other is not None and other is not g and other.role == "PROPOSES" and other.type in _MM else None

    def _serves(self, lc: LinkContext, g: EntityDraft, other: EntityDraft) -> bool:
        """A sentence naming ``g`` names ``other`` as what it serves."""
        for sent in {lc.sent_at(c.start) for c in g.cands}:
            if any(o is other and self._served(lc.text, a, b) for a, b, o in lc.in_range(*sent)):
                return True
        return False

    def _plural_modified(self, text: str, a: int, cue: int) -> bool:
        """A plural common noun that is no class or type head ends right before the cue: "search
        spaces inspired by Y" ("we design models based on Y" speaks of the paper's own models)."""
        pm = self.plural_modified.search(text, a, cue)
        return pm is not None and fold(pm.group(1)) not in self.typer.heads and fold(pm.group(1)) not in self.typer.generic_heads

    def _served(self, text: str, start: int, end: int) -> bool:
        """The name at [start, end) is what a system serves, not its base: "an inference engine for
        Foo models", "a Foo training system" ("FooServe" runs Foo; it is not built on it)."""
        return bool(self.served_before.search(text, max(0, start - 60), start) or self.served_after.match(text, end))

    def _known_inner(self, g: EntityDraft, by_key: dict[str, EntityDraft]) -> EntityDraft | None:
        """The paper's known (vocabulary) Method/Model whose name is inside g's, longest first."""
        for comp in self._inner_names(g):
            other = by_key.get(fold(comp))
            if other is None:
                ve = self.typer.index.lookup(comp)
                other = by_key.get(fold(ve.name)) if ve is not None else None
            if other is not None and other is not g and other.type in _MM and ("canonical" in other.attrs or self._used_name(other)) \
                    and not self._generic_class(other) and not self._descriptive_tail(g, comp, other):
                return other
        return None


    @staticmethod
    def _descriptive_tail(g: EntityDraft, comp: str, other: EntityDraft) -> bool:
        """"Wobble-free Quantization": a multi-word name whose last word is a lone common-noun
        Method in title case describes a kind of that method; it is no coinage built on a named one
        ("Sparse Transformer" ends in a Model, "Extended Song LoRA" in a name)."""
        return other.type == "Method" and _TITLE_WORD.fullmatch(comp) is not None \
            and any(form.endswith(" " + comp) for form in (g.name, *g.aliases))

    @staticmethod
    def _used_name(g: EntityDraft) -> bool:
        """A name the vocabulary does not know but the paper uses as another's ("extending the Foo
        framework" beside the coinage "Foo-Bar"): a capitalised or coined name of a used entity."""
        return g.role != "PROPOSES" and any(ch.isupper() for ch in g.name)

    @staticmethod
    def _inner_names(g: EntityDraft) -> list[str]:
        """Known names a coinage may contain, longest first: its components ("FooLoRA" -> "LoRA") and
        the word tails of its name and every alias ("Multi-Grid Foo Neural Operator" -> "Foo Neural
        Operator", "Neural Operator")."""
        out = components(g.name)[1:]
        for form in (g.name, *g.aliases):
            words = form.split()
            out += [" ".join(words[i:]) for i in range(1, len(words))]
            # an acronym that extends a known one by leading letters: "MS-TFNO" -> "FNO"
            for part in form.split("-"):
                if len(part) >= 4 and part.isupper() and part.isalpha():
                    out += [part[i:] for i in range(1, len(part) - 2)]
        # (a known name joined before the coinage's own word, "Foo-Probe", is what the coinage works
        # on, not its base: the head of a hyphen compound is its last part)
        return out


@dataclass(slots=True)
class LinkContext:
    """What the link rules of one document share: mentions by position, the main contribution, the links so far."""

    text: str
    sents: list[tuple[int, int]]
    sent_starts: list[int]
    entities: list[EntityDraft]
    mentions: list[tuple[int, int, EntityDraft]]
    starts: list[int]
    main: EntityDraft | None
    links: dict[tuple[str, str, str], LinkDraft] = field(default_factory=dict)
    by_form: dict[str, EntityDraft] = field(default_factory=dict)  # folded name or alias -> entity
    same: dict[int, EntityDraft] = field(default_factory=dict)  # id of a long form -> its short form's entity
    pending: dict[int, EntityDraft] = field(default_factory=dict)  # link ends made here, entities once linked

    def named(self, form: str) -> EntityDraft | None:
        """The paper's entity of this name or alias."""
        if not self.by_form:
            for g in self.entities:
                for f in (g.name, *g.aliases):
                    self.by_form.setdefault(fold(f), g)
        return self.by_form.get(fold(form))

    @classmethod
    def of(cls, text: str, sents: list[tuple[int, int]], entities: list[EntityDraft], title_end: int) -> "LinkContext":
        mentions = sorted(((c.start, c.end, g) for g in entities for c in g.cands), key=lambda x: x[0])
        mentions = _unlisted_mentions(text, entities, mentions)
        proposed = [g for g in entities if g.role == "PROPOSES" and g.type in _MM]
        # the main contribution: named in the title, else mentioned most, else first
        main = (
            max(proposed, key=lambda g: (any(c.start < title_end for c in g.cands), len(g.cands), -proposed.index(g)))
            if proposed
            else None
        )
        lc = cls(text, sents, [a for a, _ in sents], entities, mentions, [m[0] for m in mentions], main)
        lc.same = _short_forms(text, mentions)
        if main is not None and id(main) in lc.same:
            lc.main = lc.same[id(main)]
        return lc

    def new_entity(self, name: str, etype: str, rule: str, conf: float,
                   spans: list[tuple[int, int]] | None = None) -> EntityDraft:
        """A link end no entity rule found: a used entity mentioned at ``spans`` (default: each
        whole-word occurrence of ``name``)."""
        from .assemble import EntityDraft

        if spans is None:
            spans = list(word_spans(self.text, name))
        cands = [Cand(a, b, self.text[a:b], etype, rule, 2, conf) for a, b in spans]
        aliases = list(dict.fromkeys(c.text for c in cands))
        g = EntityDraft(fold(name), name, etype, DEFAULT_ROLE[etype], cands, aliases, conf,
                        evidence=self.sent_at(spans[0][0]), rule=rule)
        self.pending[id(g)] = g
        return g

    def _register(self, g: EntityDraft) -> EntityDraft:
        """A link end made by :meth:`new_entity` becomes one of the paper's entities when it is linked
        (the one already registered under its name, if any)."""
        if self.pending.pop(id(g), None) is None:
            return g
        have = self.named(g.name)  # (builds by_form before this entity joins it)
        if have is not None:
            return have
        self.entities.append(g)
        for c in g.cands:
            i = bisect.bisect_left(self.starts, c.start)
            self.starts.insert(i, c.start)
            self.mentions.insert(i, (c.start, c.end, g))
        for f in g.aliases:
            self.by_form.setdefault(fold(f), g)
        self.by_form.setdefault(fold(g.name), g)
        return g

    def sent_at(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        return self.sents[i] if i >= 0 else (0, len(self.text))

    def in_range(self, a: int, b: int) -> list[tuple[int, int, EntityDraft]]:
        """Mentions starting in [a, b)."""
        i = bisect.bisect_left(self.starts, a)
        j = bisect.bisect_left(self.starts, b)
        return self.mentions[i:j]

    def add(self, h: EntityDraft, typ: str, tl: EntityDraft, sent: tuple[int, int], rule: str, conf: float) -> None:
        h, tl = self.same.get(id(h), h), self.same.get(id(tl), tl)
        if h is tl or h.key == tl.key or h.rule.startswith("lexicon_") or tl.rule.startswith("lexicon_"):
            return  # a lower-case phrase of the lexicon chunker (kg/nlp/lexicon.py) is a technique used, no link end
        h, tl = self._register(h), self._register(tl)
        k = (h.key, typ, tl.key)
        if k not in self.links:
            self.links[k] = LinkDraft(h, typ, tl, sent, rule, conf)


def _unlisted_mentions(text: str, entities: list[EntityDraft],
                       mentions: list[tuple[int, int, EntityDraft]]) -> list[tuple[int, int, EntityDraft]]:
    """The mentions, with every whole-word occurrence of a coined or capitalised name form of an
    entity that no candidate covers ("QFX is implemented as ..." where the entity rules kept QFX's
    other mentions only): a link cue next to it names that entity."""
    covered = bytearray(len(text) + 1)
    for a, b, _g in mentions:
        covered[a:b] = b"\1" * (b - a)
    extra: list[tuple[int, int, EntityDraft]] = []
    # longest forms first, then in entity order: the outcome does not depend on set or hash order
    forms = sorted(((f, i, g) for i, g in enumerate(entities) for f in dict.fromkeys((g.name, *g.aliases))
                    if len(f) >= 2 and any(ch.isupper() for ch in f)), key=lambda x: (-len(x[0]), x[1]))
    for form, _i, g in forms:
        a = text.find(form)
        while a >= 0:
            b = a + len(form)
            if covered.find(b"\1", a, b) < 0 and not _word_char(text, a - 1) and not _word_char(text, b):
                extra.append((a, b, g))
                covered[a:b] = b"\1" * (b - a)
            a = text.find(form, b)
    return sorted(mentions + extra, key=lambda x: x[0]) if extra else mentions


def _word_char(text: str, i: int) -> bool:
    """The character at ``i`` continues a word (letters, digits, "_", "-"); none before or after the text."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "_-")


# "Foo Bar Learning with Baz (FBL-B)": what may stand between a long form and its parenthesised short form
_SHORT_FORM_GAP = re.compile(r"(?:\s+(?:with|for|of|via|in|on|using)\s+(?:[\w\-]+\s+){0,2}?[\w\-]+)?\s*\(\s*")


def _short_forms(text: str, mentions: list[tuple[int, int, EntityDraft]]) -> dict[int, EntityDraft]:
    """Two proposed entities where one is written in parentheses right after the other ("we propose
    Foo Bar Learning (FBL)") name one contribution that the entity rules left as two: links of the
    long form belong to the short form's entity."""
    prop = [(a, b, g) for a, b, g in mentions if g.role == "PROPOSES" and g.type in _MM]
    by_start = {a: (b, g) for a, b, g in prop}
    out: dict[int, EntityDraft] = {}
    for _a, b, g in prop:
        gm = _SHORT_FORM_GAP.match(text, b)
        if gm is None or gm.end() not in by_start:
            continue
        e2, short = by_start[gm.end()]
        if short is not g and text.startswith(")", e2) and len(short.name) < len(g.name) and id(short) not in out:
            out.setdefault(id(g), short)
    return out


#: Link functions by cue kind: each kind is a pattern of links.toml's [cues] with its stems in
#: [stems]; where several kinds' stems meet, they are tried in this order.
LINK_CUES = {
    "outperform": Linker.outperform_link,
    "outperformed": Linker.outperformed_link,
    "superiority": Linker.superiority_link,
    "compared": Linker.compared_link,
    "based_on": Linker.based_on_link,
    "based_on_verb": Linker.based_on_link,
    "trained_on": Linker.trained_on_link,
}

#: Link rules in order: (name, links.toml key, function).
LINK_RULES = [
    ("cue", "cues (one pattern per LINK_CUES kind)", Linker.cue_links),
    ("based_modifier", "based_modifier", Linker.based_modifier_links),
    ("modified_name", "modified_name", Linker.modified_name_links),
    ("dataset_source", "dataset_source", Linker.dataset_source_links),
    ("result_of", "result_of", Linker.result_of_links),
    ("apposition", "apposition", Linker.apposition_links),
    ("title_apposition", "title_apposition", Linker.title_apposition_links),
    ("named_after", "named_after", Linker.named_after_links),
    ("coined_component", "patterns.toml coinage.token", Linker.coined_component_links),
]
