"""Task spans of the extractor (issue #13, Task side), on sentences written for these tests; every
rule family has a negative case."""

import pytest

from extracts import extract


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    from kg.nlp import Extractor

    d = tmp_path_factory.mktemp("tasks-vocab")
    vocab = {"models.tsv": ["Quill Lantern"], "methods.tsv": ["knowledge sifting"], "datasets.tsv": ["PEBBLE-QA"],
             "hardware.tsv": ["NVIDIA A100\tA100\tvendor=NVIDIA"], "tasks.tsv": ["pebble counting"]}
    for fname, lines in vocab.items():
        (d / fname).write_text("# name\taliases\tattrs\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return Extractor(vocab_dir=d)


def tasks(x):
    return {e.name for e in x.entities if e.type == "Task"}


def test_training_a_language_model_class_is_a_task(extractor):
    x = extract(extractor, "Gravel Formats Are Enough",
                "We make LLM training with gravel formats cheaper, and we speed up large language model inference on sand.")
    found = {t.lower() for t in tasks(x)}
    assert "llm training" in found and found & {"llm inference", "large language model inference"}


def test_long_and_short_form_of_the_model_class_are_one_task(extractor):
    x = extract(extractor, "Cheap Gravel: Simple and Scalable LLM Training",
                "Large Language Model training with gravel formats halves the cost of sand.")
    found = [e for e in x.entities if e.type == "Task" and "training" in e.name.lower()]
    assert len(found) == 1 and found[0].name.lower() == "llm training"


def test_counted_benchmarks_name_their_task(extractor):
    x = extract(extractor, "Gravel Formats Are Enough", "We report results on three pebble segmentation benchmarks.")
    assert "pebble segmentation" in tasks(x)


def test_a_task_phrase_in_a_title_without_a_system_noun_is_a_task(extractor):
    x = extract(extractor, "Better Gravel Parsing for Sand Dunes", "We describe a system that reads dunes.")
    assert "Gravel Parsing" in tasks(x)


# ---------------------------------------------------------------- no task: each row is a title, an abstract and
# words no Task name may contain there
NO_TASK = [
    pytest.param("Gravel Formats Are Enough", "We build an LLM inference engine and cut LLM training costs with gravel.",
                 ("llm",), id="model-process-before-a-system-or-part-noun"),
    pytest.param("Gravel Formats Are Enough", "We study neural network training and model training with gravel.",
                 ("training",), id="other-model-classes-training"),
    # "Quill-2 on eight ...": the version digit reads as the count, "on eight reasoning" as its phrase
    pytest.param("Gravel Formats Are Enough", "Sifting improves Quill-2 on eight reasoning benchmarks.",
                 ("on ", "eight"), id="a-number-word-never-starts-a-counted-task"),
    pytest.param("A Gravel Parsing System for Sand Dunes", "We describe a system that reads dunes.",
                 ("parsing",), id="a-task-modifier-of-a-system-noun-in-a-title"),
    pytest.param("Gravel Formats Are Enough", "Gravel synthesis results show that sand is cheap.",
                 ("synthesis",), id="a-task-phrase-modifying-results"),
]


@pytest.mark.parametrize("title, abstract, banned", NO_TASK)
def test_no_task_is_made_from(extractor, title, abstract, banned):
    x = extract(extractor, title, abstract)
    assert not [t for t in tasks(x) if any(b in t.lower() for b in banned)]


# ---------------------------------------------------------------- kinds and properties of a model process
def test_a_kind_of_model_process_is_the_task(extractor):
    x = extract(extractor, "Gravel Formats Are Enough", "We run experiments on gravel-aware language model pre-training with sand.")
    assert "gravel-aware language model pre-training" in tasks(x)


def test_a_grading_word_before_a_model_process_is_not_part_of_the_task(extractor):
    x = extract(extractor, "Gravel Formats Are Enough", "Gravel makes large-scale LLM training cheap.")
    found = {t.lower() for t in tasks(x)}
    assert "llm training" in found and not {t for t in found if t.startswith("large")}


def test_a_title_noun_after_a_model_process_closes_the_task(extractor):
    x = extract(extractor, "Back Again: Gravel Formats and LLM Inference Latency", "We study gravel formats.")
    assert "llm inference latency" in {t.lower() for t in tasks(x)}
    x = extract(extractor, "Faster LLM Training via Gravel", "We study gravel formats.")
    assert "llm training" in {t.lower() for t in tasks(x)}


def test_a_title_for_task_ends_before_of_and_on(extractor):
    # "for <task> of <thing>" / "for <task> on <hardware>": the task is the process noun before the preposition
    x = extract(extractor, "Sieve Grids for Weatherproof Sorting of Granite Pebbles",
                "We sort pebbles with sieve grids.")
    assert "Weatherproof Sorting" in tasks(x)
    x = extract(extractor, "Sieve Grids for Gravel Compaction on Small Shovels", "We compact gravel.")
    assert "Gravel Compaction" in tasks(x)
    # negative: the thing after "for" is no process, and the preposition does not make it one
    x = extract(extractor, "Sieve Grids for Granite Pebbles of Mountain Rivers", "We sort pebbles with sieve grids.")
    assert not {t for t in tasks(x) if "Granite" in t or "Pebbles" in t}


def test_a_list_after_the_noun_tasks_names_tasks_whatever_their_head(extractor):
    x = extract(extractor, "Sieve Grids", "Sieve grids help in tasks such as gravel capacity and pebble sorting across rivers.")
    assert "gravel capacity" in tasks(x)
    # negative: after another class noun the untyped head ends the list; a typed head of another type is no task
    x = extract(extractor, "Sieve Grids", "Sieve grids help in settings such as gravel capacity and pebble sorting.")
    assert "gravel capacity" not in tasks(x)
    x = extract(extractor, "Sieve Grids", "Sieve grids help in tasks such as granite pebble dataset curation.")
    x2 = extract(extractor, "Sieve Grids", "Sieve grids help in tasks like granite pebble dataset and sand.")
    assert not {t for t in tasks(x) | tasks(x2) if t.endswith("dataset")}


def test_the_object_of_a_remedy_verb_in_a_title_is_the_problem(extractor):
    x = extract(extractor, "Sieve Grids: Alleviating the Curse of Gravel in Granite Sorters", "We sort pebbles.")
    assert "Curse of Gravel" in tasks(x)
    x = extract(extractor, "Mitigating Pebble Drift via Sieve Grids", "We sort pebbles.")
    assert "Pebble Drift" in tasks(x)
    # negative: a limitation word or a thing is no problem of its own
    x = extract(extractor, "Overcoming the Limitations of Sieve Grids", "We sort pebbles.")
    assert not {t for t in tasks(x) if "Limitations" in t}
    x = extract(extractor, "Addressing Granite Sorting Models with Sieve Grids", "We sort pebbles.")
    assert not {t for t in tasks(x) if "Models" in t}


def test_a_task_head_after_a_known_technique_is_that_technique_applied(extractor):
    x = extract(extractor, "Sieve Grids", "The agents rely on explicit knowledge sifting reasoning before sorting pebbles.")
    assert "knowledge sifting reasoning" not in tasks(x)
    assert "knowledge sifting reasoning" in {e.name for e in x.entities if e.type == "Method"}
    # negative: an unknown modifier keeps the task
    x = extract(extractor, "Sieve Grids", "The agents struggle with granite sifting reasoning before sorting pebbles.")
    assert "granite sifting reasoning" in tasks(x)


def test_a_compound_noun_of_a_stop_word_stays_in_the_term(extractor):
    x = extract(extractor, "Faster Learning Rate Optimization for Sieve Grids", "We sort pebbles with sieve grids.")
    assert "Learning Rate Optimization" in tasks(x)
    x = extract(extractor, "Sieve Grids", "We study training data compression for pebble sorters.")
    assert "training data compression" in tasks(x)
    # negative: the stop word alone still ends the modifiers
    x = extract(extractor, "Sieve Grids", "We study learning gravel compression for pebble sorters.")
    assert "learning gravel compression" not in tasks(x)


def test_a_regression_phrase_coordinated_with_a_known_task_is_a_task(extractor):
    x = extract(extractor, "Sieve Grids", "We report results on pebble counting and granite shape regression with sieve grids.")
    assert "granite shape regression" in tasks(x)
    # negative: a list member without a task or action head is no task
    x = extract(extractor, "Sieve Grids", "We report results on pebble counting and granite shape stones with sieve grids.")
    assert not {t for t in tasks(x) if "stones" in t}
