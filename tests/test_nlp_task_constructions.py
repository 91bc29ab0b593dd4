"""Task constructions of issue #13 (items 4 and 7), on sentences written for these tests: word bounds of a
task, task heads that modify the nouns after them, "the <term> of ...", coordinated modifiers and "of"
problems in titles, a title's modifier of a known task. Each has a negative case."""

import pytest

from extracts import extract
from test_nlp_tasks import extractor, tasks  # noqa: F401  (the same small vocabulary: "pebble counting" is a task)


def run(extractor, title, abstract):
    return tasks(extract(extractor, title, abstract))


def test_an_evaluative_word_never_starts_a_task(extractor):
    found = run(extractor, "Sand Agents Are Enough",
                "The agents handle tasks such as fundamental gravel perception and sand sorting.")
    assert "gravel perception" in found and not any(t.lower().startswith("fundamental") for t in found)


def test_a_title_task_head_before_more_nouns_is_a_modifier(extractor):
    assert "Pebble Reasoning" not in run(extractor, "Sand Checks for Pebble Reasoning Shell Error Detection",
                                         "We check sand.")
    # the negative: the head ends the noun phrase
    assert "Pebble Reasoning" in run(extractor, "Consistency Checks for Pebble Reasoning", "We check sand.")


def test_the_term_of_a_thing_is_no_task(extractor):
    assert not run(extractor, "Sand Agents Are Enough",
                   "We link gravel dynamics to the spatial localization of the pebble eigenfunctions.")
    assert "spatial localization" in run(extractor, "Sand Agents Are Enough", "We improve spatial localization of pebbles.")


def test_coordinated_modifiers_of_a_title_task_head_are_two_tasks(extractor):
    found = {t.lower() for t in run(extractor, "Sand Agents for Pebble and Gravel Synthesis", "We write programs.")}
    assert {"pebble synthesis", "gravel synthesis"} <= found


def test_coordinated_grading_words_make_no_task(extractor):
    found = {t.lower() for t in run(extractor, "Sand and Robust Synthesis of Pebbles", "We write programs.")}
    assert not any(t.startswith("sand") for t in found)  # "robust" grades the synthesis


def test_a_title_of_phrase_ending_in_a_task_head_is_a_task(extractor):
    assert "Gravel Regression" in run(extractor, "Sorting Rules of Gravel Regression", "We fit rules.")


def test_a_title_of_phrase_ending_in_another_noun_is_no_task(extractor):
    assert not run(extractor, "Through the Lens of Pebble Conditioning", "We look at sand.")


def test_a_known_title_task_takes_the_modifier_the_abstract_writes(extractor):
    found = run(extractor, "Quixel Pebble Counting with Sand", "We find that quixel pebble counting is hard.")
    assert found == {"Quixel Pebble Counting"}


def test_a_modifier_written_before_a_system_noun_stays_outside(extractor):
    found = {t.lower() for t in run(extractor, "Quixel Pebble Counting with Sand", "We find that quixel pebble counting methods fail.")}
    assert found == {"pebble counting"}


def test_compression_is_a_task_head(extractor):
    from kg.nlp.resources import load_heads

    assert load_heads()["compression"] == "Task" and load_heads()["clustering"] == "Task"


def test_the_subject_of_a_study_title_is_a_task(extractor):
    assert "Pebble Extension" in run(extractor, "FooNet: On the Pebble Extension of Sand Models", "We extend sand.")


def test_the_subject_of_a_study_title_must_name_a_process(extractor):
    assert not run(extractor, "On the Pebble Shapes of Sand Models", "We extend sand.")


def test_the_process_a_title_speeds_up_is_a_task(extractor):
    assert "Pebble Computation" in run(extractor, "Accelerating Pebble Computation via Parallel Sand Solving", "We sort.")


@pytest.mark.parametrize("title", ["Improving Pebble Networks for Sand", "Enhancing Knowledge Sifting with Sand Grains"])
def test_a_thing_or_known_technique_a_title_improves_is_no_task(extractor, title):
    assert not run(extractor, title, "We sort.")


def test_what_a_title_approach_is_to_is_a_task(extractor):
    assert "Gravel Compaction" in run(extractor, "A Sand-Theoretic Approach to Gravel Compaction via Pebbles", "We sort.")


def test_an_approach_to_a_thing_is_no_task(extractor):
    assert not run(extractor, "A Sand-Theoretic Approach to Pebble Beaches", "We sort.")
