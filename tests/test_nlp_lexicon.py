"""The part-of-speech lexicon (kg/nlp/data/lexicon.tsv) and the lower-case noun-phrase candidates it bounds
(kg/nlp/lexicon.py, issue #13), on sentences written for these tests with invented names; every
construction has a negative case."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.resources import data_file

from extracts import extract

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Sorting Pebbles at Scale"


@pytest.fixture(scope="module")
def extractor():
    from kg.nlp import Extractor

    return Extractor()


def found(x):
    return {(e.name, e.type, e.role) for e in x.entities}


def names(x):
    return {e.name.lower() for e in x.entities}


# ---------------------------------------------------------------- the shipped table


def test_lexicon_table_ships_in_the_package_with_its_licence_and_stays_small():
    path = data_file("nlp", "data", "lexicon.tsv")
    head = path.read_text(encoding="utf-8")[:2000]
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in head
    assert path.stat().st_size < 300_000
    from kg.nlp.lexicon import load_lexicon

    lex = load_lexicon()
    assert lex["improves"] == "v" and lex["often"] == "r" and lex["selection"] == "n"
    assert "embedding" not in lex and "prompt" not in lex  # an -ing form, a word of a vocabulary name
    assert "pebble" not in lex  # a plain noun bounds nothing: it is not listed


def test_lexicon_table_is_current_with_the_vocabulary():
    # the table is derived once, from WordNet (not installed here), leaving out the words of the
    # vocabulary's names; a vocabulary that grew since would have its new words cut phrases as verbs:
    # then run scripts/build_lexicon.py again
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from build_lexicon import vocabulary_words
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    from kg.nlp.lexicon import load_lexicon

    known = vocabulary_words(ROOT / "kg" / "ontology" / "vocab")
    stale = sorted(w for w, k in load_lexicon().items() if k in ("v", "r") and w in known)
    assert not stale, f"words of vocabulary names marked as verbs or adverbs: {stale[:10]}"


# ---------------------------------------------------------------- "we adopt / use X"


def test_action_noun_phrase_after_a_use_verb_is_a_method(extractor):
    x = extract(extractor, TITLE, "We adopt gravel-aware bucket selection to rank the stones on each bank.")
    assert ("gravel-aware bucket selection", "Method", "USES") in {(n.lower(), t, r) for n, t, r in found(x)}


def test_run_longer_than_a_term_is_no_candidate(extractor):
    # four words after the cue describe something; a lower-case term is a head and one or two modifiers
    x = extract(extractor, TITLE, "We adopt river gravel bucket selection to rank the stones.")
    assert not any("selection" in n for n in names(x))


def test_action_noun_phrase_after_other_verbs_is_no_candidate(extractor):
    # "observe", "conduct" are no verbs of using: the phrase is what is seen or done, no technique
    x = extract(extractor, TITLE, "We observe gravel-aware bucket selection in the wild. We conduct numerical pebble experiments.")
    assert "gravel-aware bucket selection" not in names(x)
    assert not any("experiment" in n for n in names(x))


def test_phrase_modifying_a_generic_noun_is_no_candidate(extractor):
    # "a pebble sorting framework": the words name a kind of framework, not a technique of their own
    x = extract(extractor, TITLE, "We propose a pebble sorting framework for river banks.")
    assert not any("pebble sorting" in n for n in names(x))


def test_adverb_bounds_the_phrase(extractor):
    # "rapidly" is an adverb: no phrase runs through it, so nothing follows "use" directly
    x = extract(extractor, TITLE, "We use rapidly shifting shell selection on every bank.")
    assert not any("shell selection" in n for n in names(x))


def test_lexicon_verb_bounds_the_phrase(extractor):
    # "resist" is a verb (WordNet): the phrase after it is not the object of "adopt", and no phrase holds it
    x = extract(extractor, TITLE, "The tools we adopt resist shell selection on every bank.")
    assert not any("selection" in n for n in names(x))


# ---------------------------------------------------------------- "for X"


def test_task_head_phrase_after_for_is_a_task(extractor):
    x = extract(extractor, TITLE, "We present a toolkit for shell curvature estimation on river beds.")
    assert ("shell curvature estimation", "Task", "ADDRESSES") in {(n.lower(), t, r) for n, t, r in found(x)}


def test_task_head_phrase_without_a_construction_is_no_candidate(extractor):
    x = extract(extractor, TITLE, "Shell curvature estimation was hard, and we observe shell curvature estimation in the wild.")
    assert "shell curvature estimation" not in names(x)


def test_action_noun_after_for_is_no_task(extractor):
    # an action noun without a task head says how, not what: "for parallel pebble computation"
    x = extract(extractor, TITLE, "We build a sorter for parallel pebble computation on river banks.")
    assert not any("computation" in n for n in names(x))


def test_task_head_phrase_after_on_is_a_task(extractor):
    x = extract(extractor, TITLE, "We report experiments on shell curvature estimation across ten river beds.")
    assert ("shell curvature estimation", "Task") in {(e.name.lower(), e.type) for e in x.entities}


# ---------------------------------------------------------------- typed phrases: head families, "X tasks", "X methods", coordination
# each row: the abstract, the (name, type) pairs the extractor must find in it


TYPED_PHRASES = [
    pytest.param("We adopt shell-wise pebble approximation and we use layer-wise stone reparameterization.",
                 {("shell-wise pebble approximation", "Method"), ("layer-wise stone reparameterization", "Method")},
                 id="approximation-and-reparameterization-heads-make-a-used-phrase-a-technique"),
    pytest.param("Our sorter resists drift toward pebble representation collapse and is built for bucket overfitting.",
                 {("pebble representation collapse", "Task"), ("bucket overfitting", "Task")},
                 id="a-failure-head-after-a-preposition-of-purpose-is-the-problem-addressed"),
    pytest.param("The sorter wins on pebble route planning tasks and on three shell fitting problems.",
                 {("pebble route planning", "Task"), ("shell fitting", "Task")},
                 id="task-head-or-gerund-phrase-before-a-task-noun-is-a-task"),
    pytest.param("It also does well on representative cobble fitting tasks.", {("cobble fitting", "Task")},
                 id="evaluative-word-before-a-task-noun-phrase-is-not-part-of-it"),
    pytest.param("Sorters stumble in gravel route planning settings and on shell curvature estimation benchmarks.",
                 {("gravel route planning", "Task"), ("shell curvature estimation", "Task")},
                 id="task-head-phrase-before-a-setting-or-benchmark-noun-is-a-task"),
    pytest.param("We compare shell-level sorter adaptation approaches and a pebble caching scheme.",
                 {("shell-level sorter adaptation", "Method"), ("pebble caching", "Method")},
                 id="technique-head-phrase-before-a-method-noun-is-a-technique"),
    pytest.param("We study sorters for incremental pebble learning. Sorters stumble on few-shot gravel learning tasks.",
                 {("incremental pebble learning", "Task"), ("few-shot gravel learning", "Task")},
                 id="learning-phrase-with-a-setting-modifier-names-a-problem"),
    # "low-rank adaptation" is in the shipped vocabulary; its sibling has an action-noun head, on either side
    pytest.param("We tried gravel-aware bucket selection, low-rank adaptation and knowledge distillation.",
                 {("gravel-aware bucket selection", "Method")},
                 id="phrase-coordinated-after-a-known-technique-is-a-technique"),
    pytest.param("We compare low-rank adaptation and gravel-aware bucket selection on every bank.",
                 {("gravel-aware bucket selection", "Method")},
                 id="phrase-coordinated-before-a-known-technique-is-a-technique"),
]


@pytest.mark.parametrize("abstract, expected", TYPED_PHRASES)
def test_lower_case_phrase_is_typed_by_its_construction(extractor, abstract, expected):
    x = extract(extractor, TITLE, abstract)
    assert expected <= {(e.name.lower(), e.type) for e in x.entities}


# each row: the abstract, words no extracted name may contain there (the negative case of a row above)
UNTYPED_PHRASES = [
    pytest.param("We build a sorter for gravel approximation on river banks.", ("approximation",),
                 id="a-technique-head-after-for-is-no-task"),
    pytest.param("We observe pebble representation collapse in the wild.", ("collapse",),
                 id="a-failure-phrase-without-a-construction-is-no-candidate"),
    pytest.param("The sorter wins on pebble route planning tasks and on three shell fitting problems.", ("three",),
                 id="a-number-word-starts-no-term"),
    pytest.param("It also does well on representative cobble fitting tasks.", ("representative",),
                 id="an-evaluative-word-starts-no-task"),
    # "gravel assignment problems" are a class of problem; "river tasks" names no problem at all
    pytest.param("We study gravel assignment problems, and river tasks benefit.", ("assignment", "river"),
                 id="action-noun-or-plain-noun-before-a-task-noun-is-no-task"),
    pytest.param("Sorters stumble in river settings and on gravel assignment benchmarks.", ("river", "assignment"),
                 id="plain-or-action-noun-before-a-setting-or-benchmark-noun-is-no-task"),
    # "inference" names when a method runs, "machine learning" a field, "detection" what the method is for
    pytest.param("We compare batch pebble inference methods and gravel machine learning approaches. "
                 "A new pebble detection method is given.", ("inference", "machine learning", "detection"),
                 id="stage-field-or-task-phrase-before-a-method-noun-is-no-technique"),
    # "contrastive" names how one learns: a technique, and "for" wants a problem
    pytest.param("We build sorters for contrastive pebble learning on river banks.", ("contrastive",),
                 id="learning-phrase-without-a-setting-modifier-is-no-problem"),
    # "sizes" heads no technique or task: a sibling alone does not make it one
    pytest.param("We compare low-rank adaptation and gravel-aware bucket sizes on every bank.", ("bucket",),
                 id="coordinated-phrase-needs-a-technique-head"),
]


@pytest.mark.parametrize("abstract, banned", UNTYPED_PHRASES)
def test_lower_case_phrase_without_its_construction_is_no_candidate(extractor, abstract, banned):
    x = extract(extractor, TITLE, abstract)
    assert not [n for n in names(x) if any(b in n for b in banned)]


def test_coordinated_phrase_is_not_cut_at_a_capitalised_word(extractor):
    # the phrase begins with "Gravel-aware" (sentence-initial): not "bucket selection" alone
    x = extract(extractor, TITLE, "Gravel-aware bucket selection, low-rank adaptation and knowledge distillation help.")
    assert "bucket selection" not in names(x)


# ---------------------------------------------------------------- term boundaries of the head-word rule


def test_lexicon_verb_ends_a_head_word_term(extractor):
    # "resist" is a verb (WordNet), not a modifier of "contrastive regularization"
    x = extract(extractor, TITLE, "The wardens resist contrastive regularization in every run.")
    assert "contrastive regularization" in names(x)
    assert not any("resist" in n for n in names(x))


def test_ing_forms_and_vocabulary_words_do_not_end_a_term(extractor):
    # "embedding" (an -ing form) and "merge" (a word of a vocabulary name) are modifiers here, not verbs
    x = extract(extractor, TITLE, "We rely on embedding regularization and merge regularization for pebble sorting.")
    assert {"embedding regularization", "merge regularization"} <= names(x)


# ---------------------------------------------------------------- through the CLI


def test_kg_extract_writes_the_lexicon_phrases(tmp_path):
    rec = {"id": "p1", "title": TITLE, "abstract": "We adopt gravel-aware bucket selection for shell curvature estimation."}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    subprocess.run([sys.executable, "-m", "kg", "extract", str(src), "-o", str(out)], cwd=ROOT, check=True,
                   capture_output=True)
    ents = {(e["name"].lower(), e["type"]) for e in json.loads(out.read_text().splitlines()[0])["entities"]}
    assert ("gravel-aware bucket selection", "Method") in ents
    assert ("shell curvature estimation", "Task") in ents


def test_lexicon_phrase_is_no_link_end(extractor):
    # "X, which adopts Y" is a BASED_ON cue between names; a lower-case technique after it is used, not built on
    x = extract(extractor, "GritNet: Sorting Pebbles at Scale", "We introduce GritNet, which adopts gravel-aware bucket selection.")
    assert ("gravel-aware bucket selection", "Method") in {(e.name.lower(), e.type) for e in x.entities}
    assert not any("selection" in (l.head + l.tail).lower() for l in x.links)


def test_the_memoised_phrase_word_test_gives_the_uncached_answer():
    # Chunker.phrase_word caches "a lower-case word that is no boundary" per word: on random words
    # (some of the lexicon's own, cased, hyphenated, with digits) it answers as the two tests do,
    # asked first or again
    import random
    import re

    from kg.nlp.lexicon import Chunker

    ch = Chunker()
    rng = random.Random(5)
    known = sorted(ch.lexicon)[::97] + sorted(ch.stop)[::7] + sorted(ch.noun_verbs)[::5]
    words = known + ["".join(rng.choice("aeiouxyzlnrst-ED1") for _ in range(rng.randint(1, 9))) for _ in range(800)]
    words += [w + suffix for w in rng.sample(words, 200) for suffix in ("ly", "ed", "-ed")]
    lower = re.compile(r"[a-z][a-z\-]*[a-z]")
    for _round in range(2):
        for w in rng.sample(words, len(words)):
            assert ch.phrase_word(w) == (lower.fullmatch(w) is not None and not ch.boundary(w)), w
