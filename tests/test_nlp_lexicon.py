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


# ---------------------------------------------------------------- head families of heads.tsv


def test_approximation_and_reparameterization_heads_make_a_used_phrase_a_technique(extractor):
    x = extract(extractor, TITLE, "We adopt shell-wise pebble approximation and we use layer-wise stone reparameterization.")
    got = {(e.name.lower(), e.type) for e in x.entities}
    assert {("shell-wise pebble approximation", "Method"), ("layer-wise stone reparameterization", "Method")} <= got


def test_a_technique_head_after_for_is_no_task(extractor):
    x = extract(extractor, TITLE, "We build a sorter for gravel approximation on river banks.")
    assert not any("approximation" in n for n in names(x))


def test_a_failure_head_after_a_preposition_of_purpose_is_the_problem_addressed(extractor):
    x = extract(extractor, TITLE, "Our sorter resists drift toward pebble representation collapse and is built for bucket overfitting.")
    got = {(e.name.lower(), e.type) for e in x.entities}
    assert {("pebble representation collapse", "Task"), ("bucket overfitting", "Task")} <= got


def test_a_failure_phrase_without_a_construction_is_no_candidate(extractor):
    x = extract(extractor, TITLE, "We observe pebble representation collapse in the wild.")
    assert not any("collapse" in n for n in names(x))


# ---------------------------------------------------------------- "X tasks", "X problems"


def test_task_head_or_gerund_phrase_before_a_task_noun_is_a_task(extractor):
    x = extract(extractor, TITLE, "The sorter wins on pebble route planning tasks and on three shell fitting problems.")
    got = {(e.name.lower(), e.type) for e in x.entities}
    assert {("pebble route planning", "Task"), ("shell fitting", "Task")} <= got
    assert not any("three" in n for n in names(x))  # a number word starts no term


def test_evaluative_word_before_a_task_noun_phrase_is_not_part_of_it(extractor):
    x = extract(extractor, TITLE, "It also does well on representative cobble fitting tasks.")
    assert ("cobble fitting", "Task") in {(e.name.lower(), e.type) for e in x.entities}
    assert not any("representative" in n for n in names(x))


def test_action_noun_or_plain_noun_before_a_task_noun_is_no_task(extractor):
    # "gravel assignment problems" are a class of problem; "river tasks" names no problem at all
    x = extract(extractor, TITLE, "We study gravel assignment problems, and river tasks benefit.")
    assert not any("assignment" in n or "river" in n for n in names(x))


def test_task_head_phrase_before_a_setting_or_benchmark_noun_is_a_task(extractor):
    x = extract(extractor, TITLE, "Sorters stumble in gravel route planning settings and on shell curvature estimation benchmarks.")
    got = {(e.name.lower(), e.type) for e in x.entities}
    assert {("gravel route planning", "Task"), ("shell curvature estimation", "Task")} <= got
    x = extract(extractor, TITLE, "Sorters stumble in river settings and on gravel assignment benchmarks.")
    assert not any("river" in n or "assignment" in n for n in names(x))


# ---------------------------------------------------------------- "X methods", "an X scheme"


def test_technique_head_phrase_before_a_method_noun_is_a_technique(extractor):
    x = extract(extractor, TITLE, "We compare shell-level sorter adaptation approaches and a pebble caching scheme.")
    got = {(e.name.lower(), e.type) for e in x.entities}
    assert {("shell-level sorter adaptation", "Method"), ("pebble caching", "Method")} <= got


def test_stage_field_or_task_phrase_before_a_method_noun_is_no_technique(extractor):
    # "inference" names when a method runs, "machine learning" a field, "detection" what the method is for
    x = extract(extractor, TITLE, "We compare batch pebble inference methods and gravel machine learning approaches. "
                "A new pebble detection method is given.")
    assert not any("inference" in n or "machine learning" in n or "detection" in n for n in names(x))


def test_learning_phrase_with_a_setting_modifier_names_a_problem(extractor):
    x = extract(extractor, TITLE, "We study sorters for incremental pebble learning. Sorters stumble on few-shot gravel learning tasks.")
    got = {(e.name.lower(), e.type) for e in x.entities}
    assert {("incremental pebble learning", "Task"), ("few-shot gravel learning", "Task")} <= got


def test_learning_phrase_without_a_setting_modifier_is_no_problem(extractor):
    # "contrastive" names how one learns: a technique, and "for" wants a problem
    x = extract(extractor, TITLE, "We build sorters for contrastive pebble learning on river banks.")
    assert not any("contrastive" in n for n in names(x))


# ---------------------------------------------------------------- coordination with a known name


def test_phrase_coordinated_with_a_known_technique_is_a_technique(extractor):
    # "low-rank adaptation" is in the shipped vocabulary; its sibling has an action-noun head
    x = extract(extractor, TITLE, "We tried gravel-aware bucket selection, low-rank adaptation and knowledge distillation.")
    assert ("gravel-aware bucket selection", "Method") in {(e.name.lower(), e.type) for e in x.entities}
    x = extract(extractor, TITLE, "We compare low-rank adaptation and gravel-aware bucket selection on every bank.")
    assert ("gravel-aware bucket selection", "Method") in {(e.name.lower(), e.type) for e in x.entities}


def test_coordinated_phrase_needs_a_technique_head(extractor):
    # "sizes" heads no technique or task: a sibling alone does not make it one
    x = extract(extractor, TITLE, "We compare low-rank adaptation and gravel-aware bucket sizes on every bank.")
    assert not any("bucket" in n for n in names(x))


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
