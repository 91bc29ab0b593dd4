"""Lower-case noun phrases from a part-of-speech lexicon: a candidate source for Method and Task terms.

The pipeline has no tagger (``spacy.blank("en")``), so phrase boundaries come from word lists: the closed
and evaluative lists of ``words.toml`` and ``patterns.toml`` ``[terms] stop``, and ``data/lexicon.tsv``, the
verb and adverb forms of WordNet 3.0 (derived by ``scripts/build_lexicon.py``; a verb such as "improves" or
an adverb such as "often" cannot stand inside a noun phrase). A chunk is a maximal run of lower-case
words none of which is such a boundary, right after a cue or right before a noun that classes it ("... tasks", "... methods")
(looked for first: chunking the whole abstract would cost a fifth of the extraction time). A chunk becomes a
candidate only where a general construction supports it (``[lexicon]`` in patterns.toml, one function per construction in
:data:`LEXICON_RULES`), and only where no other rule has a candidate: this source adds what the other rules
never see, it does not re-draw their spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .candidates import Cand, cand
from .resources import load_heads, load_lexicon, load_not_entities, load_patterns
from .scan import FastPattern
from .textutil import fold
from .words import load_words, non_term_words, verb_gerunds


@dataclass(slots=True, frozen=True)
class Chunk:
    """A lower-case noun phrase: its words, their offsets and its end."""

    words: tuple[str, ...]
    starts: tuple[int, ...]
    end: int

    @property
    def start(self) -> int:
        return self.starts[0]


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*[A-Za-z0-9]|[A-Za-z0-9]|[^\sA-Za-z0-9]")
_LOWER_WORD = re.compile(r"[a-z][a-z\-]*[a-z]")


def _chunk(run: list[re.Match]) -> Chunk:
    return Chunk(tuple(m.group(0) for m in run), tuple(m.start() for m in run), run[-1].end())


class Chunker:
    """Finds lower-case noun phrases and types them by their head noun (``heads.tsv``, ``[terms]`` heads)."""

    def __init__(self):
        pats = load_patterns()
        lx = pats["lexicon"]
        tm = pats["terms"]
        words = load_words()
        self.lexicon = load_lexicon()
        self.noun_verbs = frozenset(words["noun_verbs"]) | frozenset(words["gerund_nouns"])
        nouns = frozenset(lx["phrase_nouns"])
        self.stop = (frozenset(w.lower() for w in tm["stop"]) - nouns) | non_term_words() | verb_gerunds() | frozenset(lx["stop"])
        self.term_participles = frozenset(words["term_participles"])
        self.term_adverbs = frozenset(words["term_adverbs"])
        heads = {h: t for h, t in load_heads().items() if t in ("Method", "Task")}
        for key, etype in (("task_heads", "Task"), ("method_heads", "Method")):
            heads.update({fold(h): etype for h in tm[key]})
        self.heads = heads
        self.generic = frozenset(fold(w) for w in lx["generic_heads"])
        self.max_words = lx["max_words"]
        self.not_heads = frozenset(lx["not_action_heads"])
        self.stage_heads = frozenset(lx["stage_heads"])
        self.setting_words = frozenset(lx["setting_words"])
        self.not_entities = load_not_entities()
        self._phrase_words: dict[str, bool] = {}

    # ------------------------------------------------------------ words
    def phrase_word(self, w: str) -> bool:
        """``w`` is a lower-case word that may stand inside a noun phrase (memoised: words repeat)."""
        ok = self._phrase_words.get(w)
        if ok is None:
            ok = _LOWER_WORD.fullmatch(w) is not None and not self.boundary(w)
            if len(self._phrase_words) >= 200_000:
                self._phrase_words.clear()
            self._phrase_words[w] = ok
        return ok

    def boundary(self, w: str) -> bool:
        """``w`` cannot stand inside a lower-case noun phrase."""
        if w in self.stop:
            return True
        if w in self.noun_verbs or w in self.term_participles:
            return False
        if self.lexicon.get(w) in ("v", "r"):
            return True
        if w.endswith("ly") and w not in self.term_adverbs:
            return True  # an adverb
        return w.endswith("ed") and "-" not in w  # a participle grades a term ("the improved ..."), unless listed
        # (a noun-participle compound, "retrieval-augmented", is a modifier)

    def head_type(self, w: str) -> str | None:
        """Method or Task from the head noun ``w`` (None: no typed head, or a generic one)."""
        f = fold(w)
        if f in self.generic:
            return None
        t = self.heads.get(f)
        if t is None and self.lexicon.get(w) == "n" and w not in self.not_heads:
            return "act"  # an action noun of the lexicon: its construction says Method or Task
        return t

    # ------------------------------------------------------------ chunks
    def chunk_at(self, text: str, pos: int) -> Chunk | None:
        """The lower-case noun phrase that starts at ``pos``: the run of phrase words from there, of two to
        ``max_words`` words (None when the run is shorter, or longer: its head would lie further on)."""
        run: list[re.Match] = []
        for m in _TOKEN.finditer(text, pos, min(len(text), pos + 120)):
            w = m.group(0)
            if not self.phrase_word(w):
                break
            run.append(m)
            if len(run) > self.max_words:
                return None
        if len(run) < 2 or run[0].start() != pos:
            return None
        return _chunk(run)

    def chunk_ending(self, text: str, pos: int) -> Chunk | None:
        """The lower-case noun phrase that ends at ``pos`` (two to ``max_words`` words)."""
        run: list[re.Match] = []
        prev = ""  # the token before the run
        for m in _TOKEN.finditer(text, max(0, pos - 120), pos):
            w = m.group(0)
            if self.phrase_word(w):
                run.append(m)
            else:
                run, prev = [], w
        if not 2 <= len(run) <= self.max_words or run[-1].end() != pos:
            return None
        if (run[0].start() >= 1 and text[run[0].start() - 1].isalnum()) or (prev[:1].isalnum() and not self.boundary(prev.lower())):
            return None  # the window cut a word, or the phrase began on a capitalised word ("Gravel-aware bucket ...")
        return _chunk(run)

    def problem_type(self, c: Chunk) -> str | None:
        """The type of ``c`` where it may name a problem: a "... learning" phrase with a setting modifier
        ([lexicon] setting_words: "incremental pebble learning") is a Task, else the type of its head."""
        if c.words[-1] == "learning" and not self.setting_words.isdisjoint(c.words[:-1]):
            return "Task"
        return self.head_type(c.words[-1])

    def holds_field(self, c: Chunk) -> bool:
        """The phrase ends in a field of study or a bare generic word (not_entities.txt: "... machine learning")."""
        return any(fold(" ".join(c.words[k:])) in self.not_entities for k in range(len(c.words)))

    def word_ends_at(self, text: str, end: int) -> bool:
        """The word that ends at ``end`` is a phrase word (a cheap test before :meth:`chunk_ending`: most
        nouns such as "methods" follow a determiner, a pronoun or a grading word)."""
        start = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end), text.rfind("\t", 0, end)) + 1
        w = text[start:end]
        return self.phrase_word(w)

    def coordinable(self, head: str) -> bool:
        """A head a list member of a technique or task may have: a typed head of those, or an action noun."""
        t = self.head_type(head)
        return t in ("Method", "Task", "act")


# ---------------------------------------------------------------- constructions
# Each has a cue (patterns.toml [lexicon]) the phrase follows, and a function from the chunker and the
# chunk after the cue to its entity type (None: the construction does not hold).


def use_object(ch: Chunker, c: Chunk) -> str | None:
    """"we propose / use / apply / adopt X", "using X", "via X": a typed phrase as the object of a verb of
    using or proposing is the technique (or, by its head, the problem) named there; an action noun of the
    lexicon ("selection") is a technique there."""
    etype = ch.head_type(c.words[-1])
    return "Method" if etype == "act" else etype


def for_task(ch: Chunker, c: Chunk) -> str | None:
    """"... for open-vocabulary pebble detection", "results on shell classification", "progress in gravel
    modeling": a phrase with a task head after a preposition of purpose or topic is the problem (an action
    noun of the lexicon is not enough there: "for parallel computation" says how, not what)."""
    return "Task" if ch.problem_type(c) == "Task" else None


def before_task_noun(ch: Chunker, c: Chunk) -> str | None:
    """"seven pebble fitting tasks", "the shell ordering problem": a phrase modifying the noun "task" or
    "problem" names the problem, if its head is a task head or a gerund (an action noun alone is not enough:
    "constraint satisfaction problems" is a class of problem, and so is a phrase with a technique head)."""
    head = c.words[-1]
    t = ch.problem_type(c)
    return "Task" if t == "Task" or (t is None and head.endswith("ing")) else None


def before_method_noun(ch: Chunker, c: Chunk) -> str | None:
    """"shell-level sorter adaptation approaches", "a pebble caching scheme": a phrase modifying a noun that
    classes a technique names the technique, if its head is a technique head (a task head there names what the
    method is for: "a pebble detection method"; a stage of a model's life names when it runs: "batch inference
    methods"; a field names the area: "gravel machine learning approaches")."""
    head = c.words[-1]
    if head in ch.stage_heads or ch.holds_field(c):
        return None
    return "Method" if ch.head_type(head) == "Method" else None


_COORD_AFTER = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)")
_COORD_BEFORE = re.compile(r"(?:,\s*(?:and|or)?|\s(?:and|or))\s*$")


def coordinated(ch: Chunker, text: str, others: list[Cand]) -> list[tuple[Chunk, str]]:
    """"LoRA, prefix tuning and gravel-aware bucket selection": a phrase coordinated with a known technique or
    task (a vocabulary match) is one of the same type, whatever its head (the list says what it is)."""
    out: list[tuple[Chunk, str]] = []
    for k in others:
        if k.rule != "vocab" or k.type not in ("Method", "Task"):
            continue
        m = _COORD_AFTER.match(text, k.end)
        c = ch.chunk_at(text, m.end()) if m else None
        if c is not None and ch.coordinable(c.words[-1]):
            out.append((c, k.type))
        m = _COORD_BEFORE.search(text, max(0, k.start - 8), k.start)
        c = ch.chunk_ending(text, m.start()) if m else None
        if c is not None and ch.coordinable(c.words[-1]):
            out.append((c, k.type))
    return out


#: (rule name, the patterns.toml [lexicon] key of its cue, function)
LEXICON_RULES = [
    ("lexicon_use", "use_cue", use_object),
    ("lexicon_for", "for_cue", for_task),
]

#: the same for the nouns a phrase stands before: (rule name, key of the noun pattern, function)
LEXICON_BEFORE_RULES = [
    ("lexicon_task_noun", "task_noun_after", before_task_noun),
    ("lexicon_method_noun", "method_noun_after", before_method_noun),
]


class LexiconPhrases:
    """The candidate source: after each cue of :data:`LEXICON_RULES` (before each noun of
    :data:`LEXICON_BEFORE_RULES`), the chunk there, typed by its rule."""

    def __init__(self):
        self.chunker = Chunker()
        lx = load_patterns()["lexicon"]
        self.cues = [(name, FastPattern(re.compile(lx[key])), rule) for name, key, rule in LEXICON_RULES]
        self.nouns_after = [(name, FastPattern(re.compile(lx[key])), rule) for name, key, rule in LEXICON_BEFORE_RULES]

    def find(self, text: str, title_end: int, others: list[Cand]) -> list[Cand]:
        occupied = [(c.start, c.end) for c in others]
        found: dict[int, Cand] = {}  # by start: the first construction to find a phrase there keeps it

        def free(c: Chunk | None) -> bool:
            return c is not None and c.start not in found and not _overlaps(occupied, c.start, c.end)

        def take(c: Chunk, etype: str, rule: str) -> None:
            found[c.start] = cand("lexicon_np", c.start, c.end, text[c.start : c.end], etype, rule=rule)

        for name, cue, rule in self.cues:
            for m in cue.finditer(text, title_end):
                c = self.chunker.chunk_at(text, m.end())
                if free(c) and (etype := rule(self.chunker, c)) is not None:
                    take(c, etype, name)
        for name, noun, rule in self.nouns_after:
            for m in noun.finditer(text, title_end):
                end = m.start()
                while end > 0 and text[end - 1] in " \t\n":
                    end -= 1
                c = self.chunker.chunk_ending(text, end) if end < m.start() and self.chunker.word_ends_at(text, end) else None
                if free(c) and (etype := rule(self.chunker, c)) is not None:
                    take(c, etype, name)
        for c, etype in coordinated(self.chunker, text, others):
            if free(c):
                take(c, etype, "lexicon_coord")
        return [found[s] for s in sorted(found)]


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)
