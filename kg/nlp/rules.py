"""Cue rules over raw text: title colon, propose/naming clauses, head nouns.

Plain functions over the title+abstract text and sentence spans; the regular
expressions, windows, priorities and confidences come from
``data/patterns.toml``. :data:`CUE_RULES` lists the candidate rules the
``kg_cues`` component runs, in order; :data:`REGION_RULES` the rules run
inside each propose/naming clause.
"""

from __future__ import annotations

import bisect
import re

from .textutil import fold, has_word, word_spans

from .candidates import Cand, Typer, cand
from .resources import load_links, load_patterns
from .scan import FastPattern, StemScanner
from .lexicon import LexiconPhrases, load_lexicon
from .words import languages, load_words, non_term_words, number_words, term_participles, verb_forms, verb_gerunds

_CAP_WORD = r"(?:[A-Z][\w\-\.+]*[\w+](?:@\w+)?|[A-Z]|[a-z]+[A-Z][\w\-\.+]*|\d+[A-Za-z][\w\-]*)"
_CAP_PHRASE = re.compile(
    rf"(?<![\w-]){_CAP_WORD}(?:(?:\s+|-)(?:{_CAP_WORD}|of|for|and|with|in|on|to|the)(?=[\s\-,.;:)(]|$))*"
)
#: the coinage pattern of patterns.toml (the one the coined-token finder uses), matched on whole words
_COINED_WORD = re.compile(load_patterns()["coinage"]["token"])
_ALONE_AFTER = re.compile(r"(?:\s*[,.;:)]|\s+([a-z]+)\b)")
_BE_WORDS = frozenset("is are was were can could may will would also consistently".split())
_TITLE_NP_LAST = re.compile(r"\s+([A-Z][a-z]+)(?=\s*$|\s*:|\s+(?:of|for|in|on|with|via|and|under|from|by|through|at|to)\s)")
_CAP_COMPOUND = re.compile(r"[A-Z][a-z]*-[A-Z][\w-]*")
_QUOTED_NAME = re.compile(r"\s*[`'\"\u2018\u201c]{1,2}([a-z][\w\-]*(?:\s[a-z][\w\-]*){0,4})[`'\"\u2019\u201d]{1,2}")
_LOWER_NAME = re.compile(r"\s*([a-z\u03b1-\u03c9][a-z0-9\u03b1-\u03c9]*(?:-[A-Za-z0-9]+)*)(?=[\s,.;:()]|$)")
_LOWER_CAP = re.compile(r"[a-z\u03b1-\u03c9][a-z0-9\u03b1-\u03c9]*(?:-[a-z0-9]+)*-[A-Z][\w]*(?:-[A-Za-z0-9]+)*")
_NAME_AFTER = re.compile(r"((?:[A-Z][a-z]+[A-Za-z0-9]*|[A-Za-z]*[a-z][A-Z][\w\-]*|[A-Z]{2,}[\w\-]*)(?:[ \t-][A-Z][\w\-]*){0,2})(?=[\s,.;:)]|$)")
_MODEL_NOUN = re.compile(r",\s+(?:a|an|the)\s+(?:[\w\-]+\s+){0,6}?(?:model|network|LLM|language\s+model|transformer|encoder|decoder|classifier|detector|backbone)s?\b")
# enumeration markers: "(1)", "(ii)", "(S2)", "(b)"; an item is the words after one, up to a stop
_ENUM_MARKER = re.compile(r"\s*\(\s*(\d{1,2}|[ivx]{1,4}|[a-z]|[A-Z]\d{1,2})\s*\)\s*")
_ENUM_MARKER_ANY = re.compile(r"(?:^|(?<=[\s,;:.]))\(\s*(\d{1,2}|[ivx]{1,4}|[a-z]|[A-Z]\d{1,2})\s*\)\s*")
_ENUM_ITEM = re.compile(r"((?:[\w\-]+\s+){0,5}?[\w\-]+)\s*(?:[.:;,(]|$)")


def _marker_style(m: str) -> str:
    """"1" and "2" are one style, "i" and "ii" another, "S1" and "S2" a third: the items of one list."""
    if m.isdigit():
        return "digit"
    if set(m) <= set("ivx"):
        return "roman"
    return "letter" if len(m) == 1 else "tagged:" + m[0]


# a naming cue later in the sentence: "a new ... approach with less memory, called X"
# a one-word lower-case title head of letters and digits, as stylised names are written ("foospace")
_LOWER_COINAGE = re.compile(r"[a-z][a-z0-9]{3,}(?:[-+][a-z0-9]+)?")
_NAMED_LATER = re.compile(r"[^.;:()]{0,160}?\b(?:called|named|dubbed|termed|coined|referred\s+to\s+as)\s")
_NONSPACE = re.compile(r"\S+")
_COORD_COINAGE = re.compile(r",?\s+(?:and|or)\s+([\w][\w\-.]*[\w])|,\s+([\w][\w\-.]*[\w])(?=,|\s+(?:and|or)\s)")
_REPORT_TAIL = re.compile(r"\s+(?:Technical\s+Report|Tech\s+Report|Report|System\s+Card|Model\s+Card)$")
_REPORT_SUB = re.compile(r"\s*(?:An?\s+|The\s+)?(?:Technical\s+Report|Tech\s+Report|System\s+Card|Model\s+Card)\s*$")
_THE_BEFORE = re.compile(r"(?<![\w-])(?:the|The)$")
_NAME_HEAD_TYPES = ("Model", "Dataset")  # a capitalised head noun of these types is part of the name
_TITLE_PHRASE_BREAKS = frozenset("of for and with to in on beyond under over via from by through across without within between against into at".split())
_PROCESS_NOUN_END = re.compile(r"(?i:[st]ion|ment)s?$")  # "Mutation", "Decomposition", "Refinement"
_X_TO_Y = re.compile(r"[A-Z][a-z]+-to-[A-Z][a-z]+")  # "English-to-German translation": capitalised, yet a term
_NEXT_WORD = re.compile(r"\s+([a-z][\w\-]*s?)\b")
_TITLE_NP_GOES_ON = re.compile(r"\s+(?!(?:of|for|in|on|with|via|and|or|to|from|by|using|under|through|at)\b)[A-Za-z]")
_MEANS_BEFORE = re.compile(r"(?i:\b(?:via|by|through|using|with)\s+(?:[\w\-]+\s+){0,3})$")
_COORD_BEFORE = re.compile(r"(?<![\w\-])([A-Za-z][\w\-]*)\s+(?:and|or|&)\s+([A-Za-z][\w\-]*)\s+$")
_THE_AND_SPACE_BEFORE = re.compile(r"(?i:\bthe)\s+$")
_TASK_CLASS_NOUNS = frozenset("task tasks problem problems".split())
_NEXT_TITLE_WORD = re.compile(r"\s+([A-Za-z][\w\-]*s?)\b")  # in a title, the next noun is capitalised too
_WORD = re.compile(r"[\w][\w\-\.+@']*[\w+]|[\w]")
_SENT_START_WORDS = frozenset(
    "We Our The This These In To A An It Its They Their Here However Moreover Furthermore Finally "
    "Specifically Unlike While Although Existing Recent Experiments Extensive Results For With By As "
    "On From Using Based Despite Compared Through Given When Since Both Such".split()
)


class CueRules:
    def __init__(self, typer: Typer):
        pats = load_patterns()
        r = pats["roles"]
        tm = pats["terms"]
        self.term_type: dict[str, str] = {}
        for key, etype in (("task_heads", "Task"), ("method_heads", "Method"), ("model_heads", "Model")):
            for h in tm[key]:
                self.term_type[h.lower()] = etype
        self.title_term_type = {h.lower(): "Task" for h in tm["title_task_heads"]} | {h.lower(): "Method" for h in tm["title_method_heads"]}
        heads = "|".join(sorted((re.escape(h) for h in self.term_type), key=len, reverse=True))
        theads = "|".join(sorted((re.escape(h) for h in self.title_term_type), key=len, reverse=True))
        self.broad_fields = frozenset(fold(f) for f in tm["broad_fields"])
        self.title_final_heads = frozenset(h.lower() for h in tm["title_final_task_heads"])
        self.title_head_re = re.compile(rf"(?<![\w\-])(?:{theads})(?![\w\-])", re.I)
        self.term_head_re = re.compile(rf"(?<![\w\-])(?:{heads})(?![\w\-])", re.I)
        self.term_head_scan = StemScanner(list(self.term_type), self.term_head_re)
        self.term_mods_re = re.compile(r"(?<![\w\-}'’])(?:[A-Za-z0-9][A-Za-z0-9\-]*[ \t]+){1,3}$")
        # where a lower-case term starts: stop words, academic verbs, evaluative/degree/number words
        self.term_stop = frozenset(w.lower() for w in tm["stop"])
        self.gerund_verbs = verb_gerunds()
        self.term_start_stop = self.term_stop | non_term_words() | self.gerund_verbs
        self.term_participles = term_participles()
        self.stop_compounds = frozenset(tm["stop_compounds"])
        self.compound_firsts = frozenset(c.split()[0] for c in self.stop_compounds)
        self.term_adverbs = frozenset(load_words()["term_adverbs"])
        self.noun_verbs = frozenset(load_words()["noun_verbs"])
        self.verbs = verb_forms()
        self.verb_subjects = frozenset(tm["verb_subjects"])
        self.idiom_attention_before = re.compile(tm["idiom_attention_before"])
        self.activation_network = re.compile(tm["activation_network"])
        self.numbers = number_words()
        self.degree_prefixes = frozenset(tm["degree_prefixes"])
        self.relation_participles = frozenset(tm["relation_participles"])
        tk = pats["tasks"]
        self.title_for = re.compile(tk["title_for"])
        self.title_of = re.compile(tk["title_of"])
        self.title_on_the = re.compile(tk["title_on_the"])
        self.counted_data = FastPattern(re.compile(tk["counted_data"]))
        self.task_of = FastPattern(re.compile(tk["task_of"]))
        self.title_gerund = re.compile(tk["title_gerund"])
        self.title_problem = re.compile(tk["title_problem"])
        self.title_speedup = re.compile(tk["title_speedup"])
        self.not_problem_words = frozenset(tk["not_problem_words"])
        self.model_process = FastPattern(re.compile(tk["model_process"]))
        self.model_process_kind = re.compile(tk["model_process_kind"])
        self.not_task_last = frozenset(tk["not_task_last"])
        self.task_last = re.compile(tk["task_last"])
        self.solver_nouns = frozenset(tk["solver_nouns"])
        self.part_nouns = frozenset(tm["part_nouns"])
        self._process_parts = self.part_nouns | frozenset(tk["model_process_parts"])
        self.adjective = re.compile(tk["adjective_suffix"])
        self.cited = FastPattern(re.compile(pats["citations"]["cited"]))
        mn = pats["means"]
        self.means_title = re.compile(mn["title"])
        self.means_process = re.compile(mn["process_noun"])
        self.own_sentence = re.compile(pats["roles"]["own_sentence"])
        rs = pats["results"]
        self.result_on = FastPattern(re.compile(rs["on"]))
        self.result_before = re.compile(rs["result_before"])
        self.result_item = re.compile(rs["item"])
        self.not_data = frozenset(rs["not_data"])
        hs = pats["hearst"]
        self.hearst_cue = StemScanner(hs["cue_stems"], re.compile(hs["cue"]))
        self.hearst_class_before = re.compile(hs["class_before"])
        self.hearst_count_class = re.compile(hs["count_class_before"])
        self.hearst_items = re.compile(hs["items"])
        self.hearst_item = re.compile(hs["item"])
        self.hearst_task_item = re.compile(hs["task_item"])
        self.hearst_extra = {fold(k): v for k, v in hs["extra_classes"].items()}
        self.task_classes = frozenset(hs["task_classes"])
        self.strip_suffix = re.compile(pats["coinage"]["strip_suffix"])
        self.based_on_cue = re.compile(rf"\b{load_links()['cues']['based_on']}\s+(?:the\s+|an?\s+)?", re.I)
        self.based_on_scan = StemScanner(pats["stems"]["based_on"], self.based_on_cue)
        self.typer = typer
        self.lexicon = LexiconPhrases()
        # verb and adverb forms (WordNet): no term goes on through them
        self.lexicon_bounds = frozenset(w for w, pos in load_lexicon().items() if pos in ("v", "r"))
        self.clause_end = re.compile(r["clause_end"])
        self.propose = re.compile(rf"(?:{r['propose_subject']}{r['propose_verbs']}|{r['propose_gerund']})\b")
        # a proposal cue and the space after it: the place a lower-case title head must follow
        self.propose_then = re.compile(rf"{self.propose.pattern}\s+")
        self.train = re.compile(rf"{r['propose_subject']}{r['train_verbs']}\b")
        self.naming = re.compile(rf"\b{r['naming']}\s+", re.I)
        self.our = re.compile(r["our"])
        self.region_re = re.compile(
            rf"(?P<propose>{self.propose.pattern})|(?P<train>{self.train.pattern})|(?P<naming>(?i:{self.naming.pattern}))|(?P<our>{self.our.pattern})"
        )
        self.region_scan = StemScanner(pats["stems"]["regions"], self.region_re)
        self.np_drop = frozenset(w.lower() for w in r["np_drop"])
        self.new_apposition = re.compile(r["new_apposition"])
        self.new_subject = re.compile(r["new_subject"])
        self.enum_before = re.compile(r["enumeration_before"])
        self.list_intro = re.compile(r["enumeration_intro"])
        self.enum_end = re.compile(r["enumeration_end"])
        self.enum_classes = dict(r["enumeration_classes"])
        self.np_weak_heads = frozenset(r["np_weak_heads"])
        self.np_quantity = re.compile(r["np_quantity"])
        self.heads = typer.heads
        self.generic = typer.generic_heads
        self.windows = pats["windows"]
        self.head_re: tuple[re.Pattern, re.Pattern] | None = None  # set by the pipeline (build_head_re)

    # ------------------------------------------------------------ regions
    def clause(self, text: str, start: int, end: int) -> int:
        m = self.clause_end.search(text, start + 1, end)
        return m.start() if m else end

    def propose_regions(self, text: str, sents: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """(start, end, kind) spans whose names the paper introduces as its own."""
        out: list[tuple[int, int, str]] = []
        ends = [e for _, e in sents]
        for m in self.region_scan.finditer(text):
            i = bisect.bisect_left(ends, m.end())
            e = ends[i] if i < len(ends) else len(text)
            kind = m.lastgroup
            stop = self.clause(text, m.end(), e)
            if kind == "naming":
                stop = min(stop, m.end() + self.windows["naming_region"])
            elif kind == "our":
                stop = min(stop, m.end() + self.windows["our_region"])
            out.append((m.end(), stop, kind))
            if kind == "propose":
                lm = self._list_intro(text, stop, e)
                if lm is not None:
                    out.extend(self._enumeration(text, m.end(), stop, e, lm))
        return out

    def _list_intro(self, text: str, stop: int, sent_end: int) -> int | None:
        """Where an announced list starts after a propose clause that ends at ``stop``: after its colon,
        or after "namely / such as / including", a purpose clause may stand between ("two new
        techniques to cut memory, namely A and B"); None when no list follows."""
        if text.startswith(":", stop):
            return stop + 1
        lm = self.list_intro.match(text, stop, sent_end)
        return lm.end() if lm is not None else None

    def _enumeration(self, text: str, start: int, colon: int, sent_end: int, ls: int) -> list[tuple[int, int, str]]:
        """"we propose two operations: A and B": the list (from ``ls``, after the colon or "namely")
        that follows the propose clause ending at ``colon`` as an ``items`` region (kind
        ``items:<type>``, the type its class noun gives the items); "…: (1) A. … (2) B." gives one
        region per numbered item, the words after its marker up to the first stop."""
        em = self.enum_before.search(text, start, colon)
        if em is None:
            return []
        cls = em.group("cls")
        etype = self.enum_classes.get(cls) or self.enum_classes.get(cls + "e") or self.enum_classes.get(cls + "s")
        if etype is None:
            return []
        kind = f"items:{etype}"
        marker = _ENUM_MARKER.match(text, ls)
        if marker is None:
            if ";" in text[ls:sent_end]:
                return self._semicolon_items(text, ls, sent_end, kind)
            end = self.enum_end.search(text, ls, sent_end)
            return [(ls, end.start() if end else sent_end, kind)]
        out = []
        style = _marker_style(marker.group(1))
        for mk in _ENUM_MARKER_ANY.finditer(text, ls, min(len(text), ls + 1500)):
            if _marker_style(mk.group(1)) != style:
                continue
            im = _ENUM_ITEM.match(text, mk.end())
            if im is not None:
                out.append((im.start(1), im.end(1), kind))
            if len(out) >= 6:
                break
        return out

    def _semicolon_items(self, text: str, start: int, sent_end: int, kind: str) -> list[tuple[int, int, str]]:
        """"…: A (X) to …; B that …; and C …": one region per semicolon-separated item, its words up to
        the first stop."""
        out = []
        pos = start
        while pos < sent_end and len(out) < 6:
            semi = text.find(";", pos, sent_end)
            seg_end = semi if semi >= 0 else sent_end
            lead = re.match(r"\s*(?:and\s+|or\s+)?", text[pos:seg_end])
            a = pos + lead.end()
            end = self.enum_end.search(text, a, seg_end)
            b = end.start() if end else seg_end
            if b > a:
                out.append((a, b, kind))
            if semi < 0:
                break
            pos = semi + 1
        return out

    # ------------------------------------------------------------ title colon
    def title_colon(self, text: str, title_end: int) -> Cand | None:
        """"KiteMoE: A Scalable ...", "FooLM Technical Report" -> the coined name the title is about."""
        title = text[:title_end]
        found = _title_head(title) or self._whole_title_name(title)
        if found is None:
            return None
        head, i, report = found
        am = _LEAD_ARTICLE.match(head)
        if am is not None and len(head.split()) > 2:
            head = head[am.end() :]  # "The Pebble Skip Graph: ...": the article is no part of the name
        if not self._title_head_is_name(head) or not (report or self._title_name_used(head, text, title_end)):
            return None
        start = title.find(head)
        etype = self.typer.suffix_type(head)
        if etype is None:
            ct = self.typer.component_type(head)
            etype = ct[0] if ct else None
        own_head = self._title_name_head_type(head)
        if etype is None and own_head is not None:
            etype = own_head  # "Newton-Pebble Graph Networks: On ...": the name's own head noun says what it is
        if etype is None:
            etype = "Model" if report else subtitle_type(title[i + 1 :], self.heads)
        c = cand("title_colon", start, start + len(head), head, etype, proposed=True)
        if report and etype == "Model":
            c.attrs["typed_by"] = "report"  # Model evidence: the role rule keeps it a Model
        elif etype == "Model" and own_head == "Model":
            c.attrs["typed_by"] = "head"  # Model evidence: the name ends in a Model head noun
        elif etype == "Model" and self.typer.model_prefix(head) is not None:
            c.attrs["typed_by"] = "variant"  # "Kestrel-ND": a variant of a known model is a model
        return c

    def _title_name_head_type(self, head: str) -> str | None:
        """Model or Dataset when a title's name of several words ends in such a head noun, or is a
        known name of that type ("Pebble Networks", "Foo Gravel Benchmark")."""
        ve = self.typer.index.lookup(head)
        if ve is not None and ve.type in ("Model", "Dataset"):
            return ve.type
        words = head.split()
        if len(words) < 2 or not words[-1][:1].isupper():
            return None
        t = self.typer.head_type(words[-1])
        return t if t in ("Model", "Dataset") else None

    def _known_name(self, name: str) -> bool:
        """``name`` is a Method, Model or Dataset of the vocabulary."""
        ve = self.typer.index.lookup(name)
        return ve is not None and ve.type in ("Method", "Model", "Dataset")

    def _whole_title_name(self, title: str) -> tuple[str, int, bool] | None:
        """A title that is one known name and nothing else ("Pebble Transformers") is the paper's
        head: (the name, the title's end, not a report)."""
        t = title.strip()
        return (t, len(title), False) if t and self._known_name(t) else None

    def _title_head_is_name(self, head: str) -> bool:
        """At most five capitalised words with a capital somewhere, no comma, not a topic phrase."""
        words = head.split()
        if _LOWER_COINAGE.fullmatch(head) and fold(head) not in self.typer.not_entities:
            return True  # "foospace: ...": a stylised lower-case name, if the abstract proposes it by name
        if not head or len(words) > 5 or not any(c.isupper() for c in head[1:] + head[:1]):
            return False
        if len(words) > 1 and not all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("of", "for", "and", "-") for w in words):
            return False
        if fold(head) in self.typer.not_entities or "," in head:
            return False
        return not re.search(r"\s(?:for|with|in|on|via|and)\s", head)  # "Sparse Attention for Long Documents: A Survey"

    def _title_name_used(self, head: str, text: str, title_end: int) -> bool:
        """A coinage before the colon is a name; a plain capitalised word or Title Case phrase only
        when the abstract uses it again (in full, by its first two words, or by its initials)."""
        words = head.split()
        abstract = text[title_end + 1 :]
        if not head.islower() and self._known_name(head):
            # a known name leads the title: the paper's own ("FooNet: ..."), unless the abstract writes
            # it in lower case, as a field or a common technique ("Foo search: ..." / "foo search")
            return not has_word(abstract, head.lower())
        if head.islower():
            # a lower-case head is a name only where the abstract proposes it by that name ("we
            # introduce foospace, ..."): a plain word would be a topic ("songs: ...")
            return any(
                abstract.startswith(head, m.end()) and next(word_spans(abstract, head, m.end()), (-1,))[0] == m.end()
                for m in self.propose_then.finditer(abstract)
            )
        if len(words) == 1:
            # ("Break-for-Make", "Think-then-Act": capitalised words joined by a function word coin a name)
            return _COINED_WORD.fullmatch(head) is not None or has_word(abstract, head) or _JOINED_NAME.fullmatch(head) is not None
        if any(_COINED_WORD.fullmatch(w) for w in words):
            return True
        if self._hyphen_compound_name(words):
            return True
        initials = "".join(w[0] for w in words if w[0].isupper())
        return (
            fold(head) in fold(abstract)
            or " ".join(words[:2]).lower() in abstract.lower()
            or (len(initials) >= 2 and has_word(abstract, initials, hyphen=False))
        )

    def _hyphen_compound_name(self, words: list[str]) -> bool:
        """A short Title Case head with a hyphen-joined capitalised compound ("Few-Step Pebbling") is a
        coined name, unless its last word is a task head ("Speed-Aware Online Scheduling": a topic)."""
        last = words[-1].lower()
        return len(words) <= 4 and any(_CAP_COMPOUND.fullmatch(w) for w in words) \
            and self.term_type.get(last) != "Task" and self.title_term_type.get(last) != "Task"

    # ------------------------------------------------------------ named phrases in cue regions
    def region_phrases(self, text: str, regions: list[tuple[int, int, str]]) -> list[Cand]:
        """Every :data:`REGION_RULES` rule on every region of a kind it takes, region by region."""
        out: list[Cand] = []
        for region in regions:
            for _name, kinds, rule in REGION_RULES:
                if region[2] in kinds:
                    out.extend(rule(self, text, region))
        return out

    def region_name(self, text: str, region: tuple[int, int, str]) -> list[Cand]:
        """The first capitalised or coined phrase of the clause is its object: "we propose Quick-Look caching"."""
        s, e, kind = region
        for m in _CAP_PHRASE.finditer(text[s:e]):
            c = self._region_name_at(text, m, s, e, kind)
            if c is not None:
                return [c, *self._coordinated_names(text, c.end, e, kind)]
        return []

    def region_lower_name(self, text: str, region: tuple[int, int, str]) -> list[Cand]:
        """A stylised lower-case name as the clause's first word: "named foo-Decoding" (a capital after
        a hyphen), "we introduce foonas, a novel metric" (apposed to a new thing), or a quoted phrase
        after a naming cue ("we refer to as 'foo margins'")."""
        s, e, kind = region
        qm = _QUOTED_NAME.match(text, s, e) if kind == "naming" else None
        if qm is not None:
            # "which we refer to as `foo margins'": a quoted lower-case phrase after a naming cue
            c = self._region_cand(text, qm.start(1), qm.group(1), None, kind)
            return [c] if c is not None else []
        m = _LOWER_NAME.match(text, s, e)
        if m is None:
            return []
        tok = m.group(1)
        if not (_LOWER_CAP.fullmatch(tok) or self.new_apposition.match(text, m.end(1))):
            return []
        if fold(tok) in self.term_stop or self.typer.index.lookup(tok) is not None:
            return []
        c = self._region_cand(text, m.start(1), tok, None, kind)
        return [c] if c is not None else []

    def _coordinated_names(self, text: str, start: int, e: int, kind: str) -> list[Cand]:
        """"we propose FooNet-S and FooNet-L": the coinages coordinated with the object are objects too."""
        out: list[Cand] = []
        while True:
            cm = _COORD_COINAGE.match(text, start, e)
            g = 1 if cm is not None and cm.group(1) else 2
            if cm is None or not _COINED_WORD.fullmatch(cm.group(g)):
                return out
            c = self._region_cand(text, cm.start(g), cm.group(g), None, kind)
            if c is None:
                return out
            out.append(c)
            start = c.end

    def _region_name_at(self, text: str, m: re.Match, s: int, e: int, kind: str) -> Cand | None:
        words = self._region_words(m.group(0))
        if words is None:
            return None
        phrase = " ".join(words)
        ps = s + m.start()
        # a following lower-case head noun: "Quick-Look caching"
        hm = re.match(r"\s+([a-z][a-z\-]+)", text[ps + len(phrase) : e])
        head = fold(hm.group(1)) if hm else None
        etype = None
        if len(words) == 1 and head is not None and not _COINED_WORD.fullmatch(words[0]):
            typed = self._one_word_before_head(text, words[0], head, e)
            if typed is None:
                return None
            if typed:
                etype, phrase = typed, phrase + hm.group(0)
        ps, phrase = self._absorb_modifiers(text, s, ps, phrase)
        if head is not None and head in self.heads:
            etype = self.heads[head]
            if etype == "-":
                return None  # "... Success Rate": a metric
            if head not in self.generic:
                phrase = phrase + hm.group(0)
        if etype is None and kind == "naming":
            etype = self._naming_class(text, s)
        return self._region_cand(text, ps, phrase, etype, kind)

    @staticmethod
    def _region_words(raw: str) -> list[str] | None:
        """The words of a cue region's name: cut before a second phrase ("FooSearch and the BarCube
        space") or a second name ("FooNet-S and FooNet-L"), trailing function words dropped; None when
        nothing or only a sentence-opening word is left."""
        words = raw.rstrip("-. ").split()
        for j in range(1, len(words) - 1):
            if words[j] == "and" and words[j + 1] == "the":
                words = words[:j]  # "FooSearch and the BarCube space": a determiner opens a second phrase
                break
        while words and words[-1].lower() in ("of", "for", "and", "with", "in", "on", "to", "the"):
            words.pop()
        if not words or len(words) == 1 and words[0] in _SENT_START_WORDS:
            return None
        for j, w in enumerate(words):
            if w in ("and", "or") and 0 < j < len(words) - 1 and CueRules._two_names(words[j - 1], words[j + 1]):
                return words[:j]  # "FooNet-S and FooNet-L": two names, the first is the object
        return words

    def _one_word_before_head(self, text: str, word: str, head: str, e: int) -> str | None:
        """A plain capitalised word right before a lower-case head noun: "Method" when the head is a
        technique's (the name takes the head), "" when it stays a name of its own, None when it is only
        a capitalised modifier ("a Bayesian treatment", "a Bayesian approach")."""
        if self.term_type.get(head) == "Method" and head not in self.heads:
            # "called the Gram iteration": a capitalised word before a technique's head noun
            # (terms.method_heads) names the technique
            return "Method"
        if (head not in self.heads or head in self.generic) and not (head in self.generic and self._used_alone(text, word, e)):
            return None
        return ""

    def _used_alone(self, text: str, word: str, after: int) -> bool:
        """"we introduce the Foo framework. With Foo, ...": a capitalised word before a generic class
        noun is the name of the thing when the text later writes it alone, as a subject or object
        (before punctuation or a verb), not as the modifier of another noun ("Bayesian inference")."""
        for _, e in word_spans(text[after:], word):
            nm = _ALONE_AFTER.match(text, after + e)
            if nm is not None and (nm.group(1) is None or nm.group(1).lower() in self.verbs or nm.group(1) in _BE_WORDS):
                return True
        return False

    @staticmethod
    def _two_names(a: str, b: str) -> bool:
        """The words either side of "and" are two names: two coinages ("FooNet-S and BarNet"), or two
        hyphenated names of one stem ("Foo-Base and Foo-Chat")."""
        if _COINED_WORD.fullmatch(a) and _COINED_WORD.fullmatch(b):
            return True
        sa, sb = a.split("-")[0], b.split("-")[0]
        return "-" in a and "-" in b and sa == sb

    def _naming_class(self, text: str, s: int) -> str | None:
        """"new datasets of puzzles, referred to as X", "a benchmark, dubbed X": the class noun the
        naming cue (ending at ``s``) names, when it is a Dataset or Model head: the first class noun
        after the last article of the clause before the cue."""
        a = max(0, s - 150)
        window = text[a:s]
        cut = max(window.rfind(". "), window.rfind("; "), window.rfind("\n"))
        window = window[cut + 1 :]
        words = _WORD.findall(window)
        for i in range(len(words) - 1, -1, -1):
            if words[i].lower() in ("a", "an", "the", "our", "this", "these"):
                words = words[i + 1 :]
                break
        for w in words:
            t = self.heads.get(fold(w))
            if t in ("Dataset", "Model") and not (fold(w) in ("lm", "llm") and w.isupper()):
                return t
            if t in ("Method", "Task"):
                return None
        return None

    def _absorb_modifiers(self, text: str, s: int, ps: int, phrase: str) -> tuple[int, str]:
        """Lower-case modifiers before the name belong to it: "the adaptive RingReduce routing"."""
        pm = re.search(r"((?:[a-z][\w\-]*\s+){1,2})$", text[s:ps])
        if not pm:
            return ps, phrase
        mods = pm.group(1).split()
        # grading, verb and number words before the name are not part of it ("to fully add Foo Norm")
        while mods and (mods[0].lower() in self.np_drop or mods[0].lower() in self.term_stop or mods[0].lower() in self.verbs):
            mods.pop(0)
        if not mods or any(w.lower() in self.term_stop or w.lower() in self.verbs or w.lower().endswith(("ed", "ly")) or fold(w) in self.heads for w in mods):
            return ps, phrase
        add = " ".join(mods) + " "
        if text[ps - len(add) : ps] != add:
            return ps, phrase
        return ps - len(add), add + phrase

    def _region_cand(self, text: str, ps: int, phrase: str, etype: str | None, kind: str) -> Cand | None:
        if len(phrase) < 2:
            return None  # "F* programs": a letter is no name
        if self.typer.known_variant(phrase):
            return None  # "BERT-Large": a size of a known model, not the paper's own
        end = ps + len(phrase)
        appos = self.typer.apposition_type(text, end)
        phrase_type = etype or appos or self.typer.suffix_type(phrase)
        if phrase_type is None:
            ct = self.typer.component_type(phrase)
            phrase_type = ct[0] if ct else None
        if phrase_type is None:
            phrase_type = self.typer.head_type(phrase) or "Method"
        if etype == "Task":
            return None  # "a new QA reasoning framework": the task it is for, not the contribution
        if phrase_type == "Task":
            phrase_type = "Method"
        if fold(phrase) in self.typer.not_entities:
            return None
        c = cand("cue_phrase", ps, end, phrase, phrase_type, rule=f"cue_{kind}", proposed=True)
        if appos == phrase_type == "Model" and _MODEL_NOUN.match(text, end, end + self.windows["model_apposition"]):
            c.attrs["typed_by"] = "apposition"
        elif phrase_type == "Model" and self.typer.model_prefix(phrase) is not None:
            c.attrs["typed_by"] = "variant"
        return c

    def region_lowercase(self, text: str, region: tuple[int, int, str]) -> list[Cand]:
        """Lower-case technique names in a propose clause: "we propose layer skipping and ..."."""
        s, e, _kind = region
        out: list[Cand] = []
        pos = s
        for piece in re.split(r",|\band\b|\bor\b|\bas well as\b", text[s:e]):
            ps = text.find(piece, pos, e) if piece else -1
            if ps < 0:
                continue
            pos = ps + len(piece)
            c = self._lowercase_piece(text, piece, ps)
            if c is not None:
                out.append(c)
        return out

    def _lowercase_piece(self, text: str, piece: str, ps: int) -> Cand | None:
        """One item of a propose clause at ``ps``: a known technique graded by the paper's words is used, not
        proposed; a known name with lower-case modifiers is the paper's own variant; else a two to four word
        lower-case noun phrase with a technique head is the paper's new technique."""
        ps, words = self._piece_words(piece, ps)
        if not 2 <= len(words) <= 4:
            return None
        toks = [w.group(0) for w in words]
        if self._graded_known(toks):
            return None  # "a customized supervised fine-tuning": a known technique, graded, is used
        variant = self._known_variant(text, ps, words, toks)
        if variant is not None:
            return variant
        return self._technique_np(text, ps, words)

    def _piece_words(self, piece: str, ps: int) -> tuple[int, list[re.Match]]:
        """The piece's start and name words once a leading quantity ("two ..."), leading determiners and
        trailing generic nouns are dropped: none of them is part of a technique's name."""
        qm = self.np_quantity.match(piece)
        if qm is not None:
            ps, piece = ps + qm.end(), piece[qm.end() :]
        words = list(_WORD.finditer(piece))
        while words and words[0].group(0).lower() in self.np_drop:
            words.pop(0)
        while words and fold(words[-1].group(0)) in self.generic:
            words.pop()
        return ps, words

    def _graded_known(self, toks: list[str]) -> bool:
        """Grading words followed by a known name: the paper uses that technique, it proposes nothing new."""
        graded = next((i for i, w in enumerate(toks) if not self._grading_word(w.lower())), len(toks))
        return 0 < graded < len(toks) and self.typer.index.lookup(" ".join(toks[graded:])) is not None

    def _known_variant(self, text: str, ps: int, words: list[re.Match], toks: list[str]) -> Cand | None:
        """A modified known name: "highly memory-efficient LoRA" (the paper's own variant, grading and all),
        when every word before the known technique or model is a plain lower-case modifier."""
        known = self.typer.index.lookup(toks[-1])
        if known is not None and known.type in ("Method", "Model") and all(self._variant_modifier(t) for t in toks[:-1]):
            a, b = ps + words[0].start(), ps + words[-1].end()
            return cand("cue_variant", a, b, text[a:b], "Method", proposed=True)
        return None

    def _variant_modifier(self, t: str) -> bool:
        """A lower-case word that modifies a known name rather than acting on it (not "fine-tuning FooLM":
        a gerund or a known technique applied to the known name; nor a determiner or stop word)."""
        return bool(re.fullmatch(r"[a-z][a-z\-]*", t)) and t.lower() not in self.np_drop and t.lower() not in self.term_stop \
            and not t.lower().endswith("ing") and self.typer.index.lookup(t) is None

    def _technique_np(self, text: str, ps: int, words: list[re.Match]) -> Cand | None:
        """A lower-case noun phrase whose head is a technique noun, the paper's new technique, unless its
        name is given later in the sentence."""
        # leading evaluative, degree or verb-participle words grade a technique, they do not name it
        # ("a customized pebble tuning" is pebble tuning)
        while words and self._grading_word(words[0].group(0).lower()):
            words.pop(0)
        toks = [w.group(0) for w in words]
        if len(toks) < 2 or not all(re.fullmatch(r"[a-z][a-z\-]*", t) for t in toks):
            return None
        last = fold(toks[-1])
        if self.heads.get(last) != "Method" or last in self.generic or toks[-1].lower() in self.np_weak_heads:
            return None
        a, b = ps + words[0].start(), ps + words[-1].end()
        if _NAMED_LATER.match(text, b):
            return None  # "a new parallel operator learning approach ..., called FooNO": the name comes later
        return cand("cue_np", a, b, text[a:b], "Method", proposed=True)

    def _grading_word(self, lw: str) -> bool:
        """An evaluative, degree, verb or adverb word, or a verb participle: it grades a technique's name."""
        return lw in self.term_start_stop or lw.endswith("ly") or self._verb_participle(lw)

    def region_items(self, text: str, region: tuple[int, int, str]) -> list[Cand]:
        """The items of an announced list ("two operations: pruning and growing"), typed by its class
        noun; a known name among them is left to the vocabulary (and proposed by the assembly)."""
        s, e, kind = region
        etype = kind.partition(":")[2]
        out: list[Cand] = []
        for pm in re.finditer(r"[^,;]+", text[s:e]):
            for piece in re.split(r"\s+(?:and|or)\s+|^(?:and|or)\s+", pm.group(0)):
                words = list(_WORD.finditer(piece))
                while words and words[0].group(0).lower() in self.np_drop:
                    words.pop(0)
                if not 1 <= len(words) <= 4:
                    continue
                ps = s + pm.start() + pm.group(0).find(piece)
                a, b = ps + words[0].start(), ps + words[-1].end()
                name = text[a:b]
                if self.typer.index.lookup(name) is not None or fold(name) in self.typer.not_entities:
                    continue
                if len(words) == 1 and fold(name) in self.term_stop:
                    continue
                out.append(cand("cue_np", a, b, name, etype, rule="cue_items", proposed=True))
        return out

    # ------------------------------------------------------------ "Foonet is a novel ...": a new subject
    def new_subjects(self, text: str, title_end: int) -> list[Cand]:
        """"Foonet is a novel architecture for ...": the sentence's capitalised subject is the paper's own
        name (roles.new_subject), typed by the apposed noun ("a novel architecture" is a Model)."""
        out: list[Cand] = []
        for m in self.new_subject.finditer(text, title_end):
            name = m.group("name")
            if name.split()[0] in _SENT_START_WORDS or fold(name) in self.term_stop or self.typer.index.lookup(name) is not None:
                continue
            a = m.start("name")
            noun: list[str] = []
            for wd in _WORD.findall(text[m.end() : m.end() + 60]):
                if wd.lower() in self.term_stop:
                    break
                noun.append(wd)
            etype = self.typer.suffix_type(name) or (self.typer.head_type(" ".join(noun)) if noun else None) or "Method"
            if etype == "Task":
                etype = "Method"
            out.append(cand("cue_phrase", a, a + len(name), name, etype, rule="cue_propose", proposed=True))
        return out

    # ------------------------------------------------------------ "built on Foo": the base is a name
    def based_on_names(self, text: str, sents: list[tuple[int, int]]) -> list[Cand]:
        out: list[Cand] = []
        for m in self.based_on_scan.finditer(text):
            nm = _NAME_AFTER.match(text, m.end())
            if nm is None:
                continue
            name = nm.group(1)
            if name in _SENT_START_WORDS or fold(name) in self.typer.not_entities or name in self.typer.not_names:
                continue
            if " " not in name and not _COINED_WORD.fullmatch(name) and re.match(r"\s+[a-z]", text[nm.end(1) : nm.end(1) + 3]):
                continue  # "based on Boolean formulas": a capitalised modifier
            etype = self.typer.suffix_type(name) or "Method"
            a = nm.start(1)
            out.append(cand("cue_based_on", a, a + len(name), name, etype))
        return out

    # ------------------------------------------------------------ lower-case terms by head word
    def term_phrases(self, text: str, title_end: int = 0) -> list[Cand]:
        """"contrastive regularization", "video modeling", "spiking neural network"."""
        out: list[Cand] = []
        for hm in self._term_heads(text, title_end):
            c = self._term_at(text, hm, title_end)
            if c is not None:
                out.append(c)
        return out

    def _term_heads(self, text: str, title_end: int) -> list[re.Match]:
        """Head words of lower-case terms, and (in the title) of Title Case ones that end their noun phrase."""
        hits = self.term_head_scan.finditer(text)
        hits += [
            h for h in self.title_head_re.finditer(text, 0, title_end)
            # the head must end the noun phrase ("Noisy Training Dynamics" is about dynamics), within the title
            if not _TITLE_NP_GOES_ON.match(text[h.end() : min(h.end() + 20, title_end)])
            and (h.end() < title_end or self._title_final_problem(text, h))
        ]
        return hits

    def _title_final_problem(self, text: str, h: re.Match) -> bool:
        """A head closing the title names the problem only for the heads of terms.title_final_task_heads
        ("... Effect on Foo Network Optimization", "Long-Range Bar Inference"), and not after a means word
        ("... via Global Optimization" is how, not what)."""
        return h.group(0).lower() in self.title_final_heads and not _MEANS_BEFORE.search(text, max(0, h.start() - 60), h.start())

    def _term_at(self, text: str, hm: re.Match, title_end: int) -> Cand | None:
        """The term ending at head ``hm``: its modifiers after the last word that cannot be in a term."""
        found = self._term_words(text, hm.start())
        if found is None:
            return None
        words, first = found
        head = hm.group(0)
        etype = self.term_type.get(head.lower()) or self.title_term_type[head.lower()]
        first = self._term_first_in_place(text, hm, words, first, etype, title_end)
        if first is None or self._term_context_rejects(text, hm, words[first][1], etype, title_end):
            return None
        if self._term_phrase_rejects(text, hm, words, first):
            return None
        start = words[first][1]
        if etype == "Task" and self._technique_applied(text[start : hm.start()].rstrip()):
            etype = "Method"  # "chain-of-foo reasoning": reasoning done by a known technique is that technique
        return cand("term", start, hm.end(), text[start : hm.end()], etype)

    def _term_words(self, text: str, hs: int) -> tuple[list[tuple[str, int]], int] | None:
        """The words before the head at ``hs`` that may modify it, with the index of the first modifier
        (None: no modifier, or the modifiers are a count of parts rather than a name)."""
        mm = self.term_mods_re.search(text, max(0, hs - 90), hs)
        if mm is None:
            return None
        words = [(w.group(0), mm.start() + w.start()) for w in _NONSPACE.finditer(mm.group(0))]
        first = self._term_start(words)
        if first is None:
            return None
        if first > 0 and words[first][0].lower() in self.part_nouns and self._number_word(words[first - 1][0]):
            return None  # "a four layer sand network": the count belongs to the part noun, no name here
        return words, first

    def _term_first_in_place(self, text: str, hm: re.Match, words: list[tuple[str, int]], first: int, etype: str,
                             title_end: int) -> int | None:
        """The first modifier's index by where the term stands: in running text the lower-case form must
        read as a term; in the title, capitalisation bounds the term instead, and a title task must neither
        end in a known name nor modify the capitalised nouns after it (None: no term here)."""
        if hm.start() > title_end:
            return first if _lower_case_term(text, words[first:], hm.group(0)) else None
        first = self._title_term_start(words, first, etype)
        if first is None or etype == "Task" and self._title_task_ends_in_name(text, words[first + 1 :], hm.end()):
            return None
        if etype == "Task" and self._title_np_goes_on(text, hm.end(), title_end):
            return None  # "Pebble Reasoning Shell Sorting": the task head modifies the nouns after it
        return first

    def _term_context_rejects(self, text: str, hm: re.Match, start: int, etype: str, title_end: int) -> bool:
        """The words around the term ``text[start:hm.end()]`` show it is part of something else: a property
        of a thing, a system's modifier or a modifier of a part noun."""
        end = hm.end()
        in_title = title_end if end <= title_end else 0
        if etype == "Task" and hm.start() > title_end and self._the_x_of(text, start, end):
            return True  # "the spatial sorting of the gravel": a property or event of a thing, not a task
        if etype == "Task" and self._modifies_system(text, end, in_title):
            return True  # "a parsing system" is a system (in a title: "A Graph Parsing System for ...")
        # "a recurrent pebble network component", "gravel attention heads", "shell reasoning chains":
        # the term modifies a part of the thing, it does not name it
        return self._next_word_in(text, end, self.part_nouns, in_title)

    def _term_phrase_rejects(self, text: str, hm: re.Match, words: list[tuple[str, int]], first: int) -> bool:
        """The phrase itself is no term: an idiom ("received attention"), a listed non-entity, or two known
        names side by side ("back-propagation stochastic gradient descent": two techniques)."""
        start = words[first][1]
        if hm.group(0).lower() == "attention" and self._attention_idiom(text, words[0][1], start):
            return True
        if fold(text[start : hm.end()]) in self.typer.not_entities:
            return True
        return self._two_known_names(text, words[first + 1 :], start, hm.end())

    @staticmethod
    def _the_x_of(text: str, start: int, end: int) -> bool:
        """The term stands between a definite article and "of": "the <term> of <noun phrase>"."""
        return text.startswith(" of ", end) and _THE_AND_SPACE_BEFORE.search(text, max(0, start - 5), start) is not None

    def _title_np_goes_on(self, text: str, end: int, title_end: int) -> bool:
        """In a title, the noun phrase goes on after ``end``: the next word is a capitalised noun, not a
        preposition, conjunction or a class noun of tasks ("... Reasoning Tasks")."""
        if end >= title_end:
            return False
        nm = _NEXT_TITLE_WORD.match(text, end, title_end)
        if nm is None or nm.start(1) != end + 1 or not nm.group(1)[0].isupper():
            return False
        lw = nm.group(1).lower()
        return lw not in self.term_stop and lw not in _TASK_CLASS_NOUNS

    def _technique_applied(self, modifier: str) -> bool:
        """The whole modifier of a task head is a known technique ("chain-of-foo" before "reasoning")."""
        e = self.typer.index.lookup(modifier) if modifier else None
        return e is not None and e.type == "Method"

    def _attention_idiom(self, text: str, window: int, start: int) -> bool:
        """"has received wide attention": the phrase is the object of a verb of interest
        (terms.idiom_attention_before, looked for from the term's search window up to its start)."""
        return self.idiom_attention_before.search(text, max(0, window - 40), start) is not None

    def _title_task_ends_in_name(self, text: str, words: list[tuple[str, int]], end: int) -> bool:
        """A title task phrase closes on a known technique or model ("Vision and Language Prompt Learning"
        ends in a known technique, which keeps its own name and type) or on a broad field ("Dynamic Machine
        Learning": terms.broad_fields names a field, no problem)."""
        lookup = self.typer.index.lookup
        for _w, pos in words:
            tail = text[pos:end]
            e = lookup(tail)
            if e is not None and e.type in ("Method", "Model") or fold(tail) in self.broad_fields:
                return True
        return False

    def _two_known_names(self, text: str, words: list[tuple[str, int]], start: int, end: int) -> bool:
        """The phrase ``text[start:end]`` splits, at one of ``words``, into two known names."""
        lookup = self.typer.index.lookup
        return any(lookup(text[start:pos].rstrip()) is not None and lookup(text[pos:end]) is not None for _w, pos in words)

    def _term_start(self, words: list[tuple[str, int]]) -> int | None:
        """Index of the first modifier after the last stop word, academic verb form, adverb,
        evaluative/degree/number word or long acronym (None: no modifier is left)."""
        first = None
        for i, (w, _) in enumerate(words):
            lw = w.lower()
            if lw in self.term_start_stop and not (self._compound_at(words, i) or i and self._compound_at(words, i - 1)) or lw.endswith("ly") and lw not in self.term_adverbs \
                    or self._verb_participle(lw) or (w.isupper() and len(w) > 5) \
                    or lw in self.lexicon_bounds and lw not in self.noun_verbs \
                    or self._verb_after_subject(words, i):
                first = None
            elif first is None:
                first = i
        return first

    def _compound_at(self, words: list[tuple[str, int]], i: int) -> bool:
        """A stop word that begins a compound noun with the next word ("learning rate", terms.stop_compounds)
        is a modifier there: "learning rate transfer" is about the learning rate."""
        lw = words[i][0].lower()
        return lw in self.compound_firsts and i + 1 < len(words) and f"{lw} {words[i + 1][0].lower()}" in self.stop_compounds

    def _verb_after_subject(self, words: list[tuple[str, int]], i: int) -> bool:
        """A verb that is also a noun ("design", "model", "control") is the verb right after a subject or
        modal ("we also design regularization", "they can model dependencies"): no term starts there."""
        return i > 0 and words[i][0].lower() in self.noun_verbs and words[i - 1][0].lower() in self.verb_subjects

    def _number_word(self, w: str) -> bool:
        return w.isdigit() or w.lower() in self.numbers

    def _verb_participle(self, lw: str) -> bool:
        """An -ed word that ends a term's modifiers ("the improved ...", "trained"), unless it is a
        participle of technical terms ("supervised", "masked", words.toml term_participles) or a
        noun-participle compound ("retrieval-augmented", "uncertainty-guided")."""
        if not (lw.endswith("ed") and len(lw) > 4) or lw in self.term_participles:
            return False
        first, _, rest = lw.rpartition("-")
        if first and rest.endswith("ed") and not first.endswith("ly") and first.split("-")[-1] not in self.degree_prefixes \
                and rest not in self.relation_participles:
            return False  # "uncertainty-guided", "self-supervised", "noise-weighted"
        return True

    def _title_term_start(self, words: list[tuple[str, int]], first: int, etype: str) -> int | None:
        """In Title Case, leading gerunds are verbs ("Scaling Up ...", "Generalizing ..."), and before a
        task head a coinage names a system ("FooLM Math Reasoning": the problem is math reasoning)."""
        while first < len(words) and words[first][0].lower().endswith("ing") and not self._compound_at(words, first):
            first += 1
        while etype == "Task" and first < len(words) and _COINED_WORD.fullmatch(words[first][0]) and words[first][0] not in self.typer.not_names:
            first += 1
        return first if first < len(words) else None

    @staticmethod
    def _next_word_in(text: str, end: int, words: frozenset[str], title_end: int = 0) -> bool:
        """The word after ``end`` is one of ``words`` (in a title ending at ``title_end``, capitalised too)."""
        nm = _NEXT_TITLE_WORD.match(text, end, title_end) if title_end else _NEXT_WORD.match(text, end)
        return nm is not None and nm.group(1).lower() in words

    def _modifies_system(self, text: str, end: int, title_end: int = 0) -> bool:
        """The word after ``end`` is a generic system noun ("... parsing system", "... detection model";
        in a title ending at ``title_end``, capitalised too: "... Parsing System")."""
        nm = _NEXT_TITLE_WORD.match(text, end, title_end) if title_end else _NEXT_WORD.match(text, end)
        return nm is not None and fold(nm.group(1)) in self.generic

    def activation_networks(self, text: str) -> list[Cand]:
        """"a two-layer ReLU network", "deep linear networks": a network class named by its activation
        (terms.activation_network) is the Model the paper studies; the activation alone is no entity."""
        if "network" not in text:
            return []
        return [cand("activation_network", m.start(), m.end(), m.group(0), "Model", rule="term")
                for m in self.activation_network.finditer(text)]

    # ------------------------------------------------------------ tasks from phrasing
    def _task_words(self, words: list[str], allow_caps: bool) -> int | None:
        """Index of the first word of a task phrase, after stop words/adjectives/verbs."""
        first = None
        for i, w in enumerate(words):
            lw = w.lower()
            bad = lw in self.term_start_stop or lw.endswith("ly") or self._verb_participle(lw)
            if not allow_caps and not w[0].islower():
                bad = True
            if bad:
                first = None
            elif first is None:
                first = i
        return first

    def task_phrases(self, text: str, title_end: int) -> list[Cand]:
        """Every task rule in turn (:data:`TASK_RULES`)."""
        out: list[Cand] = []
        for _name, _key, rule in TASK_RULES:
            out.extend(rule(self, text, title_end))
        return out

    def title_for_tasks(self, text: str, title_end: int, pattern: re.Pattern | None = None) -> list[Cand]:
        """A title's closing "for <task>": "... for Scene Text Recognition"."""
        out: list[Cand] = []
        for m in (pattern or self.title_for).finditer(text[:title_end]):
            phrase = m.group("phrase")
            words = self._title_task_words(phrase.split())
            if words and not self._task_like(words[-1]) and not self._solver_before(text, m.start()):
                continue  # "... for Variable-Length Inputs", "... for Ocean Currents": the things, not the problem
            if not words:
                continue
            if m.group(0).split()[0].lower() in ("in", "on", "of") and self.heads.get(fold(words[-1])) != "Task":
                continue  # "... in Condensed-Matter Physics" names a field, "in Visual Reasoning" a task
            name = " ".join(words)
            a = m.start("phrase") + phrase.find(words[0])
            out.append(cand("task_title", a, a + len(name), name, "Task"))
        return out

    def title_on_the_tasks(self, text: str, title_end: int) -> list[Cand]:
        """The subject of a study title: "On the Pebble Extension of Sand Models", "Towards Gravel Compaction
        in ...": the phrase before "of / in / for" when it ends in a process noun or task head."""
        out: list[Cand] = []
        m = self.title_on_the.search(text, 0, title_end)
        if m is None:
            return out
        words = self._title_task_words(m.group("phrase").split())
        if not words or not self._task_like(words[-1]):
            return out
        name = " ".join(words)
        a = m.start("phrase") + m.group("phrase").find(words[0])
        out.append(cand("task_title", a, a + len(name), name, "Task"))
        return out

    def title_of_tasks(self, text: str, title_end: int) -> list[Cand]:
        """A title's "<study noun> of <problem>": "Sorting Rules of Pebble Regression", "A Theory of Gravel
        Compaction"; the phrase after "of" must end in a process noun or task head, as after "for"."""
        if " of " not in text[:title_end].lower():
            return []
        return self.title_for_tasks(text, title_end, self.title_of)

    def _title_task_words(self, words: list[str]) -> list[str] | None:
        first = self._task_words(words, True)
        if first is None or first > 0 and words[first - 1].lower() in _TITLE_PHRASE_BREAKS:
            return None  # "for Extending Foo beyond Bar Activations": what follows a preposition is no task
        if any(w.lower().endswith("ing") for w in words[:first]):
            return None  # "for Sorting the Longest Queue": the object of a gerund is no task
        last = len(words) - 1
        while first < len(words) and first < last - 1 and (words[first].lower().endswith("ing") or self.adjective.search(words[first].lower())):
            first += 1
        words = words[first:]
        if not words or words[-1].lower() in self.not_task_last or len(words) > 4:
            return None
        if any(_COINED_WORD.fullmatch(w) for w in words) or self.typer.index.lookup(words[-1]) is not None and len(words) == 1:
            return None
        if len(words) == 1 and self.heads.get(fold(words[0])) != "Task":
            return None
        return words

    def _solver_before(self, text: str, pos: int) -> bool:
        """"An Algorithm for the Foo Polynomial", "A Solver for Bar Games": after a word for a procedure,
        "for" names the problem it solves, whatever its noun (tasks.solver_nouns)."""
        pm = re.search(r"([A-Za-z]+)\s*$", text[max(0, pos - 30) : pos])
        return pm is not None and pm.group(1).lower() in self.solver_nouns

    def _task_like(self, word: str) -> bool:
        """A title phrase names a problem when it ends in a process noun ("... Personalization", "... Entry")
        or a task head word (heads.tsv, terms task heads: "... Control", "... Forecasting")."""
        lw = word.lower()
        return bool(self.task_last.search(lw)) or self.heads.get(fold(word)) == "Task" or self.term_type.get(lw) == "Task" \
            or lw in self.title_term_type

    def title_gerund_tasks(self, text: str, title_end: int) -> list[Cand]:
        """A problem named by a gerund in the title: "Estimating Treatment Effects ..."."""
        out: list[Cand] = []
        for m in self.title_gerund.finditer(text[:title_end]):
            name = m.group("phrase")
            if fold(name) in self.typer.not_entities:
                continue
            a = m.start("phrase")
            out.append(cand("task_title", a, a + len(name), name, "Task"))
        return out

    def title_problem_tasks(self, text: str, title_end: int) -> list[Cand]:
        """A problem named as the object of a verb of remedy in the title: "Alleviating the Curse of Depth in
        ..." (tasks.title_problem); not a bare limitation word, a thing ("... Large Models"), a coinage or a
        known technique or model."""
        out: list[Cand] = []
        for m in self.title_problem.finditer(text[:title_end]):
            name = m.group("phrase")
            words = name.split()
            lw = [w.lower() for w in words]
            head = lw[lw.index("of") - 1] if "of" in lw[1:] else lw[-1]  # "Curse of Depth": the curse
            if lw[0] in self.not_problem_words or head in self.not_problem_words or head in self.not_task_last:
                continue
            if any(w in self.term_start_stop and w != "of" for w in lw) or any(_COINED_WORD.fullmatch(w) for w in words):
                continue
            if lw[-1] == "of" or fold(name) in self.typer.not_entities:
                continue
            e = self.typer.index.lookup(name)
            if e is not None and e.type != "Task":
                continue
            a = m.start("phrase")
            out.append(cand("task_title", a, a + len(name), name, "Task"))
        return out

    def title_speedup_tasks(self, text: str, title_end: int) -> list[Cand]:
        """A process a title sets out to speed up or improve: "Accelerating Pebble Computation via ...",
        "Stabilizing Gravel Sorting with ..." (tasks.title_speedup): the object, when it ends in a process
        noun or task head and is no known technique or model, is the problem addressed."""
        out: list[Cand] = []
        for m in self.title_speedup.finditer(text[:title_end]):
            phrase = m.group("phrase")
            words = self._title_task_words(phrase.split())
            if not words or not self._task_like(words[-1]):
                continue
            name = " ".join(words)
            e = self.typer.index.lookup(name)
            if e is not None and e.type != "Task" or fold(name) in self.typer.not_entities:
                continue
            a = m.start("phrase") + phrase.find(words[0])
            out.append(cand("task_title", a, a + len(name), name, "Task"))
        return out

    def task_of_tasks(self, text: str, title_end: int) -> list[Cand]:
        """"the task of X", "the problem of X"."""
        out: list[Cand] = []
        for m in self.task_of.finditer(text):
            words = m.group("phrase").split()
            first = self._task_words(words, m.start() < title_end)
            if first is None or first > 0 and words[first - 1].lower() in ("of", "for", "and", "with", "to", "in", "on"):
                continue
            if any(w.lower() in self.gerund_verbs for w in words[:first]):
                continue  # "the problem of determining the greatest X": the verb's object is no task
            words = words[first:]
            if len(words) < 2:
                continue
            a = m.start("phrase") + m.group("phrase").find(words[0])
            name = " ".join(words)
            if text[a : a + len(name)] != name or fold(name) in self.typer.not_entities:
                continue
            out.append(cand("task_of", a, a + len(name), name, "Task"))
        return out

    def model_process_tasks(self, text: str, title_end: int) -> list[Cand]:
        """"LLM training", "large language model inference": training or running a class of language
        model is the problem a paper works on (tasks.model_process); not when the phrase modifies a
        system or a part noun ("an LLM inference engine", "LLM training costs")."""
        out: list[Cand] = []
        for m in self.model_process.finditer(text):
            end = m.end("phrase")
            if self._modifies_system(text, end) or self._next_word_in(text, end, self._process_parts):
                continue
            a = m.start("phrase")
            cls, process = m.group("phrase").rsplit(None, 1)
            # "Large Language Model training" and "LLM training" are one task, whichever form a paper writes
            llm = fold(cls).rstrip("s") in ("llm", "largelanguagemodel")
            nm = _TITLE_NP_LAST.match(text, end, title_end) if end < title_end else None
            if nm is not None and nm.group(1).lower() not in self.term_stop:
                # "... and LLM Inference Latency": the title's noun phrase ends one word later
                end, process = nm.end(1), f"{process} {nm.group(1)}"
            km = self.model_process_kind.search(text, max(0, a - 40), a)
            if km is not None and not self._grading_word(km.group(1).lower()) and km.group(1).lower() not in self.term_stop:
                # "code-switched language model pre-training": a kind of the process is the task
                a, llm = km.start(1), False
            out.append(cand("task_of", a, end, text[a:end], "Task", rule="task_model_process",
                            name=f"LLM {process.lower()}" if llm else None))
        return out

    def coordinated_tasks(self, text: str, title_end: int) -> list[Cand]:
        """"Pebble and Gravel Synthesis", "Sand and Shell Detection": two modifiers coordinated before one
        task head are two tasks; the first ("Pebble Synthesis") is named at its modifier, the second is
        the term rule's. Not when a modifier is a stop, verb, evaluative or number word, a task head itself
        ("detection and pebble segmentation") or a known name, nor when the two differ in case; in titles only
        (in running text "sand and shell detection" as often names sand itself as a task)."""
        out: list[Cand] = []
        for hm in self.term_head_scan.finditer(text[:title_end]):
            head = hm.group(0)
            if self.term_type.get(head.lower()) != "Task":
                continue
            cm = _COORD_BEFORE.search(text, max(0, hm.start() - 60), hm.start())
            if cm is None:
                continue
            m1, m2 = cm.group(1), cm.group(2)
            if m1[0].isupper() != m2[0].isupper() or m1[0].isupper() != head[0].isupper():
                continue
            if any(self._not_task_modifier(x) for x in (m1, m2)):
                continue
            label = f"{m1} {head}" if head[0].isupper() else f"{m1} {head.lower()}"
            out.append(cand("term", cm.start(1), cm.end(1), m1, "Task", rule="task_coordinated", label=label))
        return out

    def _not_task_modifier(self, word: str) -> bool:
        lw = word.lower()
        return lw in self.term_start_stop or lw.endswith("ly") or self._verb_participle(lw) \
            or self.term_type.get(lw) is not None or self.heads.get(fold(word)) is not None \
            or self.typer.index.lookup(word) is not None or _COINED_WORD.fullmatch(word) is not None

    def counted_data_tasks(self, text: str, title_end: int) -> list[Cand]:
        """"<number> <modifiers> datasets": the modifiers name a task ("three question answering benchmarks")."""
        out: list[Cand] = []
        for m in self.counted_data.finditer(text, title_end):
            words = m.group("phrase").split()
            first = self._task_words(words, False)
            if first is None:
                continue
            words = words[first:]
            if self.adjective.search(words[-1].lower()):
                continue
            if len(words) == 1 and self.heads.get(fold(words[0])) != "Task" and not self.means_process.search(words[0]) \
                    and not re.search(r"[A-Z]{2}", words[0]):
                continue  # "three corruption benchmarks", "two vision datasets": a topic, no task
            a = m.start("phrase") + m.group("phrase").find(words[0])
            name = " ".join(words)
            out.append(cand("task_data", a, a + len(name), name, "Task"))
        return out

    # ------------------------------------------------------------ "... via Pebble Iteration": the title's means
    def title_means(self, text: str, title_end: int, named_title: bool = False) -> list[Cand]:
        """The technique a title's closing "via / by / with <phrase>" names; coordinated items
        ("via Sifting and Raking") each. Not a known name's: the vocabulary keeps its own role. In a
        title whose colon head is the paper's own name ("FooNet: Sorting via Gravel Hashing",
        ``named_title``) the means is what that name is built with, used; so is a means the abstract
        writes as a common noun."""
        out: list[Cand] = []
        for m in self.means_title.finditer(text[:title_end]):
            base = m.start("phrase")
            # after via/by/through/using any process noun names a means ("through Symbolic Mutation");
            # after "with" only a gerund or -ization noun ("with Constant Correlation" is a condition)
            items = self._means_items(m.group("phrase"), not m.group(0).lstrip().startswith("with"))
            if items is None:
                continue
            for off, name in items:
                own = not named_title and not self._common_in_abstract(text, title_end, name)
                out.append(cand("title_means", base + off, base + off + len(name), name, "Method", proposed=own))
        return out

    def _common_in_abstract(self, text: str, title_end: int, name: str) -> bool:
        """The abstract writes a title's means in lower case, and never in a sentence in the paper's own
        voice ("... via Global Pebbling" / "the convergence of global pebbling"): a common technique the
        paper uses, not its contribution."""
        low = name.lower()
        if low == name:
            return False
        found = False
        for s, _e in word_spans(text, low, title_end):
            found = True
            a = max(text.rfind(". ", title_end, s), title_end)
            b = text.find(". ", s)
            if self.own_sentence.search(text, a, b if b >= 0 else len(text)):
                return False
        return found

    def _means_items(self, phrase: str, process_nouns: bool = False) -> list[tuple[int, str]] | None:
        """(offset, words) of each coordinated item of a means phrase, or None when any item is not a
        technique: an evaluative or stop word in it, or a last word that names no process."""
        out: list[tuple[int, str]] = []
        pos = 0
        for piece in re.split(r"\s+and\s+", phrase):
            off = phrase.find(piece, pos)
            pos = off + len(piece)
            words = piece.split()
            # leading grading words judge the means, they do not name it ("with Efficient Bi-level Routing")
            while len(words) > 2 and (words[0].lower() in self.term_start_stop or words[0].lower().endswith("ly")):
                off = phrase.find(words[1], off + len(words[0]))
                words = words[1:]
            piece = " ".join(words)
            # the head may be any gerund ("... via Grain Solving", "via Raking and Sweeping")
            if not words or words[-1].lower() in self.term_stop or any(
                w.lower() in self.term_start_stop or w.lower().endswith("ly") for w in words[:-1]
            ):
                return None
            last = fold(words[-1])
            method_head = self.heads.get(last) == "Method" or self.term_type.get(words[-1].lower()) == "Method"
            process = self.means_process.search(words[-1]) or process_nouns and _PROCESS_NOUN_END.search(words[-1])
            if not (process or method_head) or last in self.generic:
                return None
            if fold(piece) in self.typer.not_entities or any(_COINED_WORD.fullmatch(w) for w in words):
                return None  # a coined name is found by the coinage rules, with its own type
            out.append((off, piece))
        return out

    # ------------------------------------------------------------ Hearst patterns
    def hyponyms(self, text: str) -> list[Cand]:
        """"optimizers such as Zebrax", "three methods: Mirel, Taskor, and Vunet" (Hearst 1992)."""
        out: list[Cand] = []
        for cls, base in self._hearst_hits(text):
            etype = self.heads.get(fold(cls)) or self.heads.get(fold(cls + "s"))
            if etype is None:
                etype = self.hearst_extra.get(fold(cls))
            if etype not in ("Method", "Model", "Dataset", "Task"):
                continue
            im_ = self.hearst_items.match(text, base)
            if im_ is not None:
                out.extend(self._hearst_list(im_.group(0), base, etype, fold(cls).rstrip("s") in self.task_classes))
        return out

    def _hearst_hits(self, text: str) -> list[tuple[str, int]]:
        """(class word, start of the item list) of every "<class>s such as" and "<N> <class>s:"."""
        hits: list[tuple[str, int]] = []
        for m in self.hearst_cue.finditer(text):
            bm = self.hearst_class_before.search(text, max(0, m.start() - 40), m.start())
            if bm is not None:
                hits.append((bm.group("cls"), m.end()))
        i = text.find(":")
        while i >= 0:
            bm = self.hearst_count_class.search(text, max(0, i - 60), i)
            if bm is not None:
                j = i + 1
                while j < len(text) and text[j] == " ":
                    j += 1
                hits.append((bm.group("cls"), j))
            i = text.find(":", i + 1)
        return hits

    def _hearst_list(self, items: str, base: int, etype: str, named_tasks: bool = False) -> list[Cand]:
        out: list[Cand] = []
        pos = 0
        for piece in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", items):
            i = items.find(piece, pos)
            if i < 0 or not piece:
                break
            pos = i + len(piece)
            im = self.hearst_item.match(piece.strip())
            if im is None and etype in ("Task", "Method"):
                # lower-case instances: "tasks such as image captioning", "methods such as weight decay"
                im = self.hearst_task_item.match(piece.strip())
                verdict = self._task_item_verdict(im, named_tasks) if etype == "Task" else self._method_item_verdict(im)
                if verdict == "stop":
                    break
                if verdict == "skip":
                    continue
            if im is None:
                break  # the list ended
            name = im.group("name")
            if name in self.typer.not_names or fold(name) in self.typer.not_entities or name in _SENT_START_WORDS:
                continue
            a = base + i + piece.find(name)
            out.append(cand("hearst", a, a + len(name), name, etype))
            if im.group("rest"):
                break  # "... and Quillon are fast": the list ends here
        return out

    def _method_item_verdict(self, im: re.Match | None) -> str:
        """"take", "skip" (one word: the vocabulary knows it or not, the list goes on) or "stop" (a
        clause, not a noun phrase: the list ended) for a lower-case item of a list of methods."""
        if im is None:
            return "take"  # the caller stops at a missing match
        ws = im.group("name").split()
        if any(w in self.term_start_stop or w.endswith("ly") for w in ws) or ws[-1].endswith("ed") or self._has_verb(ws):
            return "stop"
        return "skip" if len(ws) < 2 or im.group("rest") else "take"

    def _has_verb(self, ws: list[str]) -> bool:
        """A list item that is a clause, not a noun phrase ("namely X, improves Y", "such as A, often B"): it
        starts with a verb form or an adverb of the lexicon, or holds a finite -s verb form ("a model
        outputs scores"); a verb form that modifies a noun inside a phrase ("text prompt tuning") and a
        word that is also a noun ("search") may stand in one."""
        def bound(w: str) -> bool:
            adverb = w.endswith("ly") and w not in self.term_adverbs
            return (w in self.lexicon_bounds or adverb) and w not in self.noun_verbs

        return bound(ws[0]) or any(w.endswith("s") and bound(w) for w in ws[1:])

    def _task_item_verdict(self, im: re.Match | None, named_tasks: bool = False) -> str:
        """"take", "skip" (one word) or "stop" (not a task: the list ended) for a lower-case task item. After
        the class noun "tasks" or "problems" itself (``named_tasks``: "tasks such as gravel capacity and
        pebble counting") the list says every noun phrase is a task, whatever its head."""
        if im is None:
            return "take"  # the caller stops at a missing match
        ws = im.group("name").split()
        if ws[0] in self.term_stop or ws[0].endswith(("ing", "ed")) or self._has_verb(ws) or any(
            w in ("of", "for", "and", "or", "the", "a", "an", "to", "in", "on", "with", "at", "by") for w in ws
        ):
            return "stop"
        if len(ws) < 2:
            return "skip"
        last = ws[-1]
        if self.heads.get(fold(last)) != "Task" and not last.endswith(("ing", "tion", "sion", "sis", "ment")):
            # a head of another type ("... event dataset", "... model") names no task even there
            untyped = fold(last) not in self.heads and last not in self.not_task_last
            return "take" if named_tasks and untyped and self._noun_phrase(ws) else "stop"
        return "take"

    def _noun_phrase(self, ws: list[str]) -> bool:
        """Every word of ``ws`` may stand in a lower-case term: no stop, grading, verb or adverb word."""
        return not any(w in self.term_start_stop or w in self.lexicon_bounds and w not in self.noun_verbs for w in ws)

    # ------------------------------------------------------------ "85.2% accuracy on Foo and Bar"
    def result_datasets(self, text: str) -> list[Cand]:
        """Capitalised names a result is reported on are datasets: "state-of-the-art results on Foo,
        Bar and Baz" (coined ones are typed so by the coinage rules already)."""
        out: list[Cand] = []
        for m in self.result_on.finditer(text):
            if not self.result_before.search(text, max(0, m.start() - 60), m.start()):
                continue
            items = m.group("items")
            base = m.start("items")
            pos = 0
            for piece in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", items):
                i = items.find(piece, pos)
                im = self.result_item.match(piece) if i >= 0 and piece else None
                if im is None:
                    break
                pos = i + len(piece)
                name = im.group("name")
                if name.split()[0] in self.not_data or name in _SENT_START_WORDS or name in languages() \
                        or name in self.typer.not_names or fold(name) in self.typer.not_entities or self.strip_suffix.search(name):
                    break  # not a name, or a modifier ("MNIST-style images")
                a = base + i + piece.find(name)
                out.append(cand("result_on", a, a + len(name), name, "Dataset"))
                if im.group("rest"):
                    break
        return out

    # ------------------------------------------------------------ "the Sparse Mixer (Doe & Roe, 2019)"
    def cited_names(self, text: str) -> list[Cand]:
        out: list[Cand] = []
        for m in self.cited.finditer(text):
            words = m.group("name").split()
            while words and (words[0] in _SENT_START_WORDS or words[0].lower() in self.np_drop):
                words.pop(0)
            if not words:
                continue
            name = " ".join(words)
            if fold(name) in self.typer.not_entities:
                continue
            a = m.end("name") - len(name)
            etype = self.typer.suffix_type(name) or self.typer.head_type(name) or "Method"
            if etype == "Task":
                etype = "Method"
            out.append(cand("cited_name", a, a + len(name), name, etype))
        return out

    # ------------------------------------------------------------ "X dataset", "the Foo benchmark"
    def head_noun_names(self, text: str, head_re: tuple[re.Pattern, re.Pattern], title_end: int = 0) -> list[Cand]:
        out: list[Cand] = []
        heads_re, name_re = head_re
        for hm in heads_re.finditer(text, title_end):
            m = name_re.search(text, max(title_end, hm.start() - 80), hm.start())
            c = self._head_noun_cand(text, m, hm) if m is not None else None
            if c is not None:
                out.append(c)
        return out

    def _head_noun_cand(self, text: str, m: re.Match, hm: re.Match) -> Cand | None:
        """The name ``m`` found before the head noun ``hm`` ("the Foo benchmark"), typed by that head;
        None for a sentence-opening word, a known non-entity, a style suffix or an untyped head."""
        words = m.group("name").split()
        while words and (words[0] in _SENT_START_WORDS or words[0].lower() in self.np_drop):
            words.pop(0)
        if not words:
            return None
        name = " ".join(words)
        if fold(name) in self.typer.not_entities or name in self.typer.not_names:
            return None
        if self.strip_suffix.search(name):
            return None  # "LLaMA-style models" are not a model named "LLaMA-style"
        start = m.end("name") - len(name)
        coined = any(_COINED_WORD.fullmatch(w) for w in words)
        etype = self.heads.get(fold(hm.group("head")))
        if not coined and not self._plain_words_name(text, start, words, etype):
            return None
        if etype is None:
            return None
        end = start + len(name)
        if etype in _NAME_HEAD_TYPES and hm.group("head")[:1].isupper() and not coined:
            # "the Toeplitz Neural Network": a capitalised head noun belongs to a multi-word name
            end = hm.end()
            name = text[start:end]
        return cand("head_noun", start, end, name, etype)

    @staticmethod
    def _plain_words_name(text: str, start: int, words: list[str], etype: str | None) -> bool:
        """Plain (not coined) capitalised words before a head noun are a name only off a sentence's
        start, and one word only as "the Foo benchmark" (a typed data head, not a language's name)."""
        before = text[:start].rstrip()
        if not before or before[-1] in ".!?" or "\n" in text[len(before) : start]:
            return False  # a capital opening a sentence (the abstract's first one too) says nothing
        return len(words) >= 2 or etype == "Dataset" and _THE_BEFORE.search(before) is not None and words[0] not in languages()


def _sentence_initial(text: str, pos: int) -> bool:
    """``pos`` begins a sentence: after ". ", "? ", "! " or the title's line break."""
    before = text[max(0, pos - 3) : pos]
    return pos == 0 or before.endswith("\n") or before.rstrip(" ")[-1:] in (".", "?", "!") and before.endswith(" ")


_LEAD_ARTICLE = re.compile(r"(?:The|A|An)\s+")
_JOINED_NAME = re.compile(r"[A-Z][a-z]+(?:-(?:for|and|of|to|then|or|by|as|in|on|from|with|the|a))+-[A-Z][A-Za-z]+")


def _title_head(title: str) -> tuple[str, int, bool] | None:
    """(the words before the title's colon, the colon's index, whether the title is a report or card)
    with "Technical Report" / "System Card" stripped; a title without a colon counts when it ends in
    such words ("FooLM Technical Report"). None for other titles."""
    i = title.find(":")
    if i <= 0:
        if not _REPORT_TAIL.search(title.strip()):
            return None
        i = len(title.rstrip())
    before = title[:i].strip()
    head = _REPORT_TAIL.sub("", before)
    # reports and cards are written about models ("FooLM: A Technical Report" too)
    return head, i, head != before or _REPORT_SUB.match(title[i + 1 :]) is not None


def subtitle_type(sub: str, heads: dict[str, str]) -> str:
    """Type of a title's coined name from the words after the colon."""
    for w in re.findall(r"[A-Za-z][\w\-]*", sub):
        t = heads.get(fold(w))
        if t == "Dataset":
            return "Dataset"
        if t == "Model" and fold(w) not in ("llm", "lm", "mllm", "vlm"):
            return "Model"
    return "Method"


def build_head_re(heads: dict[str, str]) -> re.Pattern:
    """"<Name> dataset|benchmark|model|...": a capitalised/coined name before a typed head noun."""
    words = sorted(
        {h for h, t in heads.items() if t in ("Dataset", "Model")} - {"machine", "agent", "lm", "llm", "mllm", "vlm", "gan"},
        key=len,
        reverse=True,
    )
    alt = "|".join(re.escape(w) for w in words)
    heads_re = re.compile(rf"(?<![\w-])(?P<head>(?i:{alt}))(?:s|es)?\b")
    name_re = re.compile(rf"(?<![\w-])(?P<name>{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,2}})\s+$")
    return heads_re, name_re


# ---------------------------------------------------------------- rule tables
# (name, the patterns.toml key or data file it reads, function)

def _title_colon_rule(rules: CueRules, st) -> list[Cand]:
    tc = rules.title_colon(st.text, st.title_end)
    if tc is None:
        return []
    st.regions.append((tc.start, tc.end, "title"))  # the title's name is a region the region rules read
    return [tc]


def _region_rule(rules: CueRules, st) -> list[Cand]:
    return rules.region_phrases(st.text, st.regions)


def _head_noun_rule(rules: CueRules, st) -> list[Cand]:
    return rules.head_noun_names(st.text, rules.head_re, st.title_end)


def _term_rule(rules: CueRules, st) -> list[Cand]:
    return rules.term_phrases(st.text, st.title_end)


def _activation_network_rule(rules: CueRules, st) -> list[Cand]:
    return rules.activation_networks(st.text)


def _based_on_rule(rules: CueRules, st) -> list[Cand]:
    return rules.based_on_names(st.text, st.sents)


def _new_subject_rule(rules: CueRules, st) -> list[Cand]:
    return rules.new_subjects(st.text, st.title_end)


def _task_rule(rules: CueRules, st) -> list[Cand]:
    return rules.task_phrases(st.text, st.title_end)


def _cited_rule(rules: CueRules, st) -> list[Cand]:
    return rules.cited_names(st.text)


def _means_rule(rules: CueRules, st) -> list[Cand]:
    # (after the title colon rule: a title region marks a title whose colon head is the paper's own name)
    return rules.title_means(st.text, st.title_end, any(k == "title" for _a, _b, k in st.regions))


def _hearst_rule(rules: CueRules, st) -> list[Cand]:
    return rules.hyponyms(st.text)


def _result_rule(rules: CueRules, st) -> list[Cand]:
    return rules.result_datasets(st.text)


def _lexicon_rule(rules: CueRules, st) -> list[Cand]:
    # last: it adds lower-case phrases only where no rule before it has a candidate
    return rules.lexicon.find(st.text, st.title_end, st.cands)


#: Candidate rules of the ``kg_cues`` component, in the order they run (the order breaks ties).
CUE_RULES = [
    ("title_colon", "roles", _title_colon_rule),
    ("region_phrases", "roles.propose_verbs, roles.naming", _region_rule),
    ("head_noun", "heads.tsv", _head_noun_rule),
    ("term", "terms", _term_rule),
    ("activation_network", "terms.activation_network", _activation_network_rule),
    ("cue_based_on", "links.based_on", _based_on_rule),
    ("new_subject", "roles.new_subject", _new_subject_rule),
    ("tasks", "tasks", _task_rule),
    ("cited_name", "citations.cited", _cited_rule),
    ("title_means", "means.title", _means_rule),
    ("hearst", "hearst", _hearst_rule),
    ("result_on", "results", _result_rule),
    ("lexicon", "lexicon", _lexicon_rule),
]

#: Rules run inside each propose/naming region: (name, region kinds taken, function).
REGION_RULES = [
    ("cue_phrase", ("propose", "train", "naming", "title"), CueRules.region_name),
    ("cue_lower_name", ("propose", "naming"), CueRules.region_lower_name),
    ("cue_lowercase", ("propose",), CueRules.region_lowercase),
    ("cue_items", ("items:Method", "items:Model", "items:Dataset"), CueRules.region_items),
]

#: Task rules, in order: (name, patterns.toml key, function).
TASK_RULES = [
    ("task_title", "tasks.title_for", CueRules.title_for_tasks),
    ("task_title", "tasks.title_of", CueRules.title_of_tasks),
    ("task_title", "tasks.title_on_the", CueRules.title_on_the_tasks),
    ("task_title", "tasks.title_gerund", CueRules.title_gerund_tasks),
    ("task_title", "tasks.title_problem", CueRules.title_problem_tasks),
    ("task_title", "tasks.title_speedup", CueRules.title_speedup_tasks),
    ("task_of", "tasks.task_of", CueRules.task_of_tasks),
    ("task_data", "tasks.counted_data", CueRules.counted_data_tasks),
    ("task_model_process", "tasks.model_process", CueRules.model_process_tasks),
    ("task_coordinated", "terms.task_heads", CueRules.coordinated_tasks),
]


def _lower_case_term(text: str, words: list[tuple[str, int]], head: str) -> bool:
    """In running text a term is lower case (names are found by other rules), but the first word of a
    sentence is capitalised ("Symbolic regression is ..."); ``words`` are the term's words before its head."""
    w0 = words[0][0]
    initial = _sentence_initial(text, words[0][1]) and w0[1:].islower() and w0 not in _SENT_START_WORDS \
        and not w0.endswith("ing")
    if any(not w[0].islower() and not _X_TO_Y.fullmatch(w) and not (k == 0 and initial) for k, (w, _) in enumerate(words)):
        return False
    return head[0].islower() or head[:3].isupper()
