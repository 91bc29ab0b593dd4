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
