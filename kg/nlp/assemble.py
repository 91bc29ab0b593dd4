"""Merge candidate spans into entities with one role each, then find links.

Plain functions over offsets; :class:`Assembler` holds compiled patterns.
Offsets are into the combined text ``title + "\\n" + abstract``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .textutil import fold
from kg.types import DEFAULT_ROLE

from .abbreviations import Abbreviation
from .candidates import PRIO_ABBREV, PRIO_COINED, PRIO_VOCAB, Cand, Typer
from .resources import load_patterns
from .scan import StemScanner


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


@dataclass(slots=True)
class LinkDraft:
    head: EntityDraft
    type: str
    tail: EntityDraft
    sent: tuple[int, int]
    rule: str
    confidence: float


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
_GENERIC_REF = re.compile(r"\s*,?\s*(?:like|such\s+as|including|e\.g\.)\b")
_COMPARE_CTX = re.compile(
    r"\b(?:outperform\w*|surpass\w*|compared?\s+(?:to|with)|than|over|beat\w*|versus|vs\.?|baselines?|such\s+as|including|like)\b", re.I
)


class Assembler:
    def __init__(self, typer: Typer):
        pats = load_patterns()
        lk = pats["links"]
        self.typer = typer
        self.outperform = re.compile(rf"\b{lk['outperform']}\b", re.I)
        self.based_on = re.compile(rf"\b{lk['based_on']}\b", re.I)
        self.trained_on = re.compile(rf"\b{lk['trained_on']}\b", re.I)
        self.based_modifier = re.compile(lk["based_modifier"])
        self._link_stems = pats["stems"]["links"]
        self.link_cue = re.compile(
            rf"(?i:\b(?P<outperform>{lk['outperform']})\b|\b(?P<based_on>{lk['based_on']})\b|\b(?P<trained_on>{lk['trained_on']})\b)"
        )
        self.link_scan = StemScanner(self._link_stems, self.link_cue)
        self.own = re.compile(pats["roles"]["own"], re.I)
        self.own_sentence = re.compile(pats["roles"]["own_sentence"])
        self.study_of = re.compile(pats["roles"]["study_of"])
        self.title_lead_next = re.compile(pats["roles"]["title_lead_next"])
        self.our_paren = re.compile(pats["roles"]["our_paren"])
        self.np_drop = frozenset(w.lower() for w in pats["roles"]["np_drop"])
        self.clause_cut = re.compile(r"[;]|,\s+(?:while|whereas|but|and\s+(?:we|it|achieves?|show))\b|\s(?:while|whereas|but|in\s+terms\s+of|on|across|under|at|by|with|for|in)\s")

    # ------------------------------------------------------------ typing of coined tokens
    def type_coined(self, text: str, s: int, e: int, tok: str, sent: tuple[int, int]) -> tuple[str, float] | None:
        t = self.typer
        st = t.suffix_type(tok)
        if st:
            return st, 0.7
        ct = t.component_type(tok)
        if ct:
            return ct[0], 0.65
        after = text[e : min(len(text), e + 40)]
        hm = re.match(r"\s+(?:[a-z\-]+\s+)?([A-Za-z]+)", after)
        if hm:
            h = t.heads.get(fold(hm.group(1)))
            if h in ("Dataset", "Model", "Method"):
                return h, 0.7
        am = re.match(r",\s+(?:a|an|the)\s+((?:[\w\-]+\s+){0,6}?[\w\-]+?)(?=[\s,.;]|$)", after + text[e + 40 : e + 120])
        if am:
            for w in am.group(1).split()[::-1]:
                h = t.heads.get(fold(w))
                if h in ("Dataset", "Model", "Method"):
                    return h, 0.7
        before = text[max(sent[0], s - 40) : s]
        sent_text = text[sent[0] : sent[1]]
        if _DATASET_CTX.search(sent_text) and _LIST_INTRO.search(before):
            return "Dataset", 0.6
        if re.search(r"\b(?:on|across)\s+(?:the\s+)?$", before) and tok.isupper():
            return "Dataset", 0.5
        return None

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
        t = self.typer
        not_ent = t.not_entities
        sent_starts = [a for a, _ in sents]

        def sent_of(pos: int) -> tuple[int, int]:
            i = bisect.bisect_right(sent_starts, pos) - 1
            return sents[i] if i >= 0 else (0, len(text))

        # abbreviation long forms and short forms
        abbr_type: dict[str, str] = {}
        abbr_long: dict[str, str] = {}
        for ab in abbrevs:
            if fold(ab.long) in not_ent or fold(ab.short) in not_ent:
                abbr_long[fold(ab.short)] = ""
                continue
            if t.is_metric(ab.long):
                abbr_long[fold(ab.short)] = ""
                continue
            # the long form decides; the short form's entry only when it agrees ("ASR" is ambiguous)
            e = t.index.lookup(ab.long)
            if e is None:
                e = t.index.lookup(ab.short)
                ht = t.head_type(ab.long)
                if e is not None and ht is not None and ht != e.type:
                    e = None
            if e is not None:
                etype, name = e.type, e.name
            else:
                ht = t.head_type(ab.long)
                nxt = re.match(r"\s*\)?\s+([a-z]+)", text[ab.short_end : ab.short_end + 30])
                if (
                    ht is None and " " not in ab.long and nxt and nxt.group(1) not in _FUNCTION_WORDS
                    and fold(nxt.group(1)) not in t.generic_heads
                ):
                    # "Key-Value (KV) caches": the long form modifies the next noun
                    abbr_long[fold(ab.short)] = ""
                    continue
                etype = ht or t.suffix_type(ab.short) or "Method"
                name = None
            if etype == "Hardware":
                abbr_long[fold(ab.short)] = ""
                continue
            abbr_type[fold(ab.short)] = etype
            abbr_long[fold(ab.short)] = ab.long
            surface = text[ab.long_start : ab.long_end]
            cands.append(
                Cand(ab.long_start, ab.long_end, surface, etype, "abbreviation", PRIO_ABBREV, 0.8, name=name,
                     label=None if surface == ab.long else ab.long)
            )
            cands.append(Cand(ab.short_start, ab.short_end, ab.short, etype, "abbreviation", PRIO_ABBREV, 0.8, name=name))

        # coined tokens not matched otherwise
        for s, e, tok in coined:
            ft = fold(tok)
            if ft in abbr_long:
                if not abbr_long[ft]:
                    continue
                cands.append(Cand(s, e, tok, abbr_type[ft], "abbreviation", PRIO_ABBREV - 1, 0.75))
                continue
            ve = t.index.lookup(tok)
            if ve is not None:
                # usually the PhraseMatcher has it already; same span dedups below
                cands.append(Cand(s, e, tok, ve.type, "vocab", PRIO_VOCAB, 0.9, name=ve.name, attrs=dict(ve.attrs)))
                continue
            in_title = s < title_end
            typed = self.type_coined(text, s, e, tok, sent_of(s))
            if typed is None:
                if tok.isupper() or (tok[:-1].isupper() and tok[-1] == "s"):
                    # bare unknown acronym: only in comparison or proposal contexts
                    st = sent_of(s)
                    if _COMPARE_CTX.search(text, st[0], st[1]) or any(a <= s and e <= b for a, b, _ in regions):
                        typed = ("Method", 0.4)
                    else:
                        continue
                else:
                    # an unknown mixed-case name with no typing evidence: keep it when the
                    # title names it or the abstract repeats it
                    if not in_title and text.count(tok) < 2:
                        continue
                    typed = ("Method", 0.45)
            c = Cand(s, e, tok, typed[0], "coinage" if typed[1] != 0.45 else "coinage_default", PRIO_COINED, typed[1])
            if in_title and typed[0] != "Task" and not text.startswith(("'s", "’s"), e) and not self.study_of.search(text, 0, s):
                c.proposed = True
            cands.append(c)

        # a defined acronym means what its definition says, whatever the vocabulary thinks
        if abbr_long:
            kept_c = []
            for c in cands:
                fc = fold(c.text)
                if c.rule != "abbreviation" and fc in abbr_long:
                    if not abbr_long[fc]:
                        continue
                    if c.type != abbr_type.get(fc, c.type):
                        c.type = abbr_type[fc]
                        c.name = None
                kept_c.append(c)
            cands = kept_c
        # drop generic words and anything inside URLs
        cands = [c for c in cands if c.type == "Hardware" or fold(c.text) not in not_ent]
        if masked:
            cands = [c for c in cands if not any(a < c.end and c.start < b for a, b in masked)]
        # dataset names carry a year or version: "WMT 2014", "SQuAD v2.0"
        for c in cands:
            if c.type == "Dataset":
                ym = _DATASET_VERSION.match(text, c.end)
                if ym:
                    c.end = ym.end()
                    c.text = text[c.start : c.end]
                    c.name = None if c.name and fold(c.name) != fold(c.text) else c.name
        # the hardware finder names hardware: vocabulary hardware spans it overlaps give way
        hw = [c for c in cands if c.rule == "hardware"]
        if hw:
            cands = [
                c for c in cands
                if not (c.type == "Hardware" and c.rule != "hardware" and any(h.start < c.end and c.start < h.end for h in hw))
            ]
        # a cue phrase spanning two acronym definitions is a coordination, not one name
        ab_spans = [(c.start, c.end) for c in cands if c.rule == "abbreviation"]
        if ab_spans:
            cands = [
                c for c in cands
                if not (c.rule.startswith("cue_") and sum(1 for a, b in ab_spans if c.start <= a and b <= c.end) >= 2)
            ]
        # every occurrence of a name found by a cue rule is a mention ("Sparse Mixer" later without citation)
        cands.extend(self._more_mentions(text, cands))
        # resolve overlaps: longest first, then priority
        cands.sort(key=lambda c: (-(c.end - c.start), -c.prio, c.start))
        occ = bytearray(len(text) + 1)
        kept: list[Cand] = []
        for c in cands:
            if 1 in occ[c.start : c.end]:
                continue
            occ[c.start : c.end] = b"\x01" * (c.end - c.start)
            kept.append(c)
        kept.sort(key=lambda c: c.start)

        # proposal marks from cue regions
        for c in kept:
            if c.proposed or c.type in ("Task", "Hardware"):
                continue
            for a, b, kind in regions:
                if a <= c.start and c.end <= b:
                    if kind == "our" and c.rule not in ("coinage", "coinage_default", "cue_naming", "cue_propose"):
                        continue
                    if re.match(r"[\s-]*(?:based|style|like|driven|guided|inspired|powered)\b", text[c.end : c.end + 12]):
                        continue
                    if self.study_of.search(text, a, c.start):
                        continue
                    if c.name:
                        # a known entity modified in the object ("a quantization-aware X",
                        # "memory-efficient LoRA") is used, not proposed
                        if text[c.end : c.end + 1] == "-":
                            continue
                        seg = text[a : c.start]
                        cut = max(seg.rfind(","), seg.rfind(" and "), seg.rfind(" or "))
                        if cut >= 0:
                            seg = seg[cut + 1 :].removeprefix("and ").removeprefix("or ")
                        pre = [w for w in (x.strip(_PUNCT) for x in seg.split()) if w and w.lower() not in self.np_drop]
                        if pre:
                            continue
                    c.proposed = True
                    break
        # acronym definitions of new (non-vocabulary) names in the paper's own voice
        for c in kept:
            if c.proposed or c.rule != "abbreviation" or c.name or c.type not in ("Method", "Model", "Dataset"):
                continue
            if len((c.label or c.text).split()) < 2 or not c.text[:1].isupper():
                continue
            st = sent_of(c.start)
            if self.own_sentence.search(text, st[0], st[1]):
                c.proposed = True
        # "our method (KESTREL)"
        for c in kept:
            if not c.proposed and c.type in ("Method", "Model", "Dataset") and self.our_paren.search(text, max(0, c.start - 60), c.start):
                c.proposed = True
        # a title that opens with a new technique name: "Implicit Reweighting of ..."
        for c in kept:
            if c.start != 0 or c.proposed or c.name or c.type != "Method":
                continue
            if self.title_lead_next.match(text, c.end) and len(c.text.split()) >= 2:
                c.proposed = True

        # group into entities
        groups: dict[str, EntityDraft] = {}
        order: list[EntityDraft] = []
        for c in kept:
            fc = fold(c.text)
            if fc in abbr_long and abbr_long[fc]:
                # any mention of a defined acronym joins its long form's entity
                lf = abbr_long[fc]
                lc = next((k for k in kept if k.rule in ("abbreviation", "vocab") and fold(k.text) == fold(lf)), None)
                key = fold(lc.name) if lc is not None and lc.name else fold(c.name) if c.name else fold(lf)
            elif c.label:
                key = fold(c.label)
            else:
                key = fold(c.name) if c.name else fc
            g = groups.get(key)
            if g is None:
                name = c.label or c.name or (abbr_long.get(fc) or c.text if c.rule == "abbreviation" else c.text)
                g = EntityDraft(key, name, c.type, "", rule=c.rule)
                groups[key] = g
                order.append(g)
            g.cands.append(c)

        entities: list[EntityDraft] = []
        for g in order:
            # type: the highest-priority candidate decides
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
            canon = next((c.name for c in g.cands if c.name), None)
            if canon:
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
            if g.type == "Hardware":
                g.name = best.name or best.text
            elif not canon:
                g.name = self._singular_name(g.name)
            prop = [c for c in g.cands if c.proposed]
            if prop and g.type in ("Method", "Model", "Dataset"):
                g.role = "PROPOSES"
                if g.type == "Model" and not canon and not any(c.attrs.get("typed_by") == "apposition" for c in g.cands):
                    # a paper's own named system is typed as the technique it introduces
                    g.type = "Method"
                g.evidence = sent_of(prop[0].start)
                g.rule = prop[0].rule
                g.confidence = max(g.confidence, prop[0].conf)
            else:
                g.role = DEFAULT_ROLE[g.type]
                g.evidence = sent_of(g.cands[0].start)
            entities.append(g)

        entities = _merge_proposed(entities)
        entities = _merge_same_name(entities)
        links = self.find_links(text, sents, entities, title_end)
        return entities, links

    def _singular_name(self, name: str) -> str:
        """"spiking neural networks" -> "... network": a plural head noun named as singular."""
        words = name.split(" ")
        last = words[-1]
        if len(words) > 1 and last.islower() and last.endswith("s") and not last.endswith("ss"):
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
    def find_links(
        self, text: str, sents: list[tuple[int, int]], entities: list[EntityDraft], title_end: int = 0
    ) -> list[LinkDraft]:
        mentions: list[tuple[int, int, EntityDraft]] = sorted(
            ((c.start, c.end, g) for g in entities for c in g.cands), key=lambda x: x[0]
        )
        starts = [m[0] for m in mentions]
        proposed = [g for g in entities if g.role == "PROPOSES" and g.type in ("Method", "Model")]
        # the main contribution: named in the title, else mentioned most, else first
        main = (
            max(proposed, key=lambda g: (any(c.start < title_end for c in g.cands), len(g.cands), -proposed.index(g)))
            if proposed
            else None
        )
        links: dict[tuple[str, str, str], LinkDraft] = {}
        mm = ("Method", "Model")

        def add(h: EntityDraft, typ: str, tl: EntityDraft, sent, rule: str, conf: float):
            if h is tl or h.key == tl.key:
                return
            k = (h.key, typ, tl.key)
            if k not in links:
                links[k] = LinkDraft(h, typ, tl, sent, rule, conf)

        def in_range(a: int, b: int):
            i = bisect.bisect_left(starts, a)
            j = bisect.bisect_left(starts, b)
            return mentions[i:j]

        sent_starts = [a for a, _ in sents]
        for m in self.link_scan.finditer(text):
            si = bisect.bisect_right(sent_starts, m.start()) - 1
            if si < 0:
                continue
            s, e = sents[si]
            kind = m.lastgroup
            if kind == "outperform":
                before = [x for x in in_range(s, m.start()) if x[2].type in mm]
                head = None
                prop_before = [x for x in before if x[2].role == "PROPOSES"]
                if prop_before:
                    head = prop_before[-1][2]
                elif main is not None and self.own.search(text, s, m.start()):
                    # "our method / it outperforms ..."
                    head = main
                elif before:
                    head = before[-1][2]
                if head is None:
                    continue
                cut = self.clause_cut.search(text, m.end() + 1, e)
                stop = cut.start() if cut else e
                for x in in_range(m.end(), stop):
                    if _GENERIC_REF.match(text, x[1]) or all(c.text in self.typer.not_names for c in x[2].cands):
                        continue  # "strong LLMs like X": the class, not the compared system
                    if x[2].type in mm and x[2] is not head and x[2].role != "PROPOSES":
                        add(head, "OUTPERFORMS", x[2], (s, e), "outperform_cue", 0.7)
            elif kind == "based_on":
                after = [x for x in in_range(m.end(), min(e, m.end() + 30)) if x[2].type in mm]
                if not after:
                    continue
                tail = after[0][2]
                before = [x for x in in_range(s, m.start()) if x[2].type in mm + ("Dataset",) and x[2] is not tail]
                head = None
                prop_before = [x for x in before if x[2].role == "PROPOSES"]
                if prop_before:
                    head = prop_before[-1][2]
                elif main is not None and (self.own.search(text, s, m.start())):
                    head = main
                if head is not None and tail.role != "PROPOSES":
                    add(head, "BASED_ON", tail, (s, e), "based_on_cue", 0.7)
            elif kind == "trained_on":
                after = [x for x in in_range(m.end(), min(e, m.end() + 80)) if x[2].type == "Dataset"]
                if not after:
                    continue
                before = [x for x in in_range(s, m.start()) if x[2].type == "Model"]
                head = before[-1][2] if before else (main if main is not None and main.type == "Model" else None)
                if head is None:
                    continue
                for x in after:
                    add(head, "TRAINED_ON", x[2], (s, e), "trained_on_cue", 0.6)
        # "we propose X, a Transformer-based model": X BASED_ON Transformer
        for m in self.based_modifier.finditer(text):
            si = bisect.bisect_right(sent_starts, m.start()) - 1
            if si < 0:
                continue
            s, e = sents[si]
            tails = [x for x in in_range(s, m.start() + 1) if x[1] == m.start() and x[2].type in mm]
            props = [x for x in in_range(s, e) if x[2].role == "PROPOSES" and x[2].type in mm]
            if tails and props and props[0][2] is not tails[0][2]:
                add(props[0][2], "BASED_ON", tails[0][2], (s, e), "based_modifier", 0.6)
        # coined names containing a known name: "FooLoRA" BASED_ON LoRA
        by_key = {g.key: g for g in entities}
        for g in entities:
            if g.role != "PROPOSES" or g.type not in mm or not ("-" in g.name or " " in g.name):
                continue
            comps = _components_of(g.name)[1:]
            words = g.name.split()
            comps += [" ".join(words[i:]) for i in range(1, len(words))]
            for comp in comps:
                other = by_key.get(fold(comp))
                if other is None:
                    ve = self.typer.index.lookup(comp)
                    other = by_key.get(fold(ve.name)) if ve is not None else None
                if other is not None and other is not g and other.type in mm and "canonical" in other.attrs:
                    add(g, "BASED_ON", other, g.evidence, "coined_component", 0.6)
                    break
        return list(links.values())


def _components_of(name: str) -> list[str]:
    from .candidates import components

    return components(name)


def _merge_proposed(entities: list[EntityDraft]) -> list[EntityDraft]:
    """Merge two proposed names of one paper when one abbreviates or extends the other.

    "Routed-MoE" / "Routed Mixture-of-Experts" (Schwartz-Hearst match of the
    whole name) and "Chain of Sketches" / "Chain of Sketches Prompting"
    (one extra trailing word) are one contribution.
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
            if id(b) in drop or a.type == "Dataset" and b.type != "Dataset":
                continue
            short, long = (a, b) if len(a.name) <= len(b.name) else (b, a)
            same = best_long_form(short.name, long.name) == long.name and len(short.name) < len(long.name)
            if not same:
                fs, fl = short.name.lower().split(), long.name.lower().split()
                same = len(fl) == len(fs) + 1 and fl[: len(fs)] == fs and len(fs) >= 2
            if same:
                a.cands.extend(b.cands)
                for al in b.aliases:
                    if al not in a.aliases:
                        a.aliases.append(al)
                a.confidence = max(a.confidence, b.confidence)
                drop.add(id(b))
    return [g for g in entities if id(g) not in drop]


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
        first.cands.extend(g.cands)
        for al in g.aliases:
            if al not in first.aliases:
                first.aliases.append(al)
        if g.role == "PROPOSES" and first.role != "PROPOSES":
            first.role, first.evidence, first.rule = g.role, g.evidence, g.rule
        if g.count is not None and (first.count is None or g.count > first.count):
            first.count = g.count
        first.confidence = max(first.confidence, g.confidence)
    return out
