"""Spans, types and roles of the extractor (issue #13, entity side), on sentences written for these
tests with invented names; every family has a negative case."""

import pytest

from kg.types import PaperRecord

#: an invented vocabulary: one file per type, names no paper uses
VOCAB = {
    "methods.tsv": ["Pebble Rank Optimization\tPRO-P", "knowledge sifting"],
    "models.tsv": ["Quill Lantern", "QRV-3o", "PLuMA\tPlumaNet", "Vorpal\t\tfamily=Vorpal", "Vorpal 7B\t\tfamily=Vorpal", "SLATE"],
    "datasets.tsv": ["PEBBLE-QA", "GRITSET"],
    "hardware.tsv": ["NVIDIA A100\tA100\tvendor=NVIDIA"],
    "tasks.tsv": ["pebble counting"],
}


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    from kg.nlp import Extractor

    d = tmp_path_factory.mktemp("terms-vocab")
    for fname, lines in VOCAB.items():
        (d / fname).write_text("# name\taliases\tattrs\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return Extractor(vocab_dir=d)


def run(extractor, title, abstract):
    return extractor.extract(PaperRecord(id="t", title=title, abstract=abstract))


def names(x, etype=None):
    return {e.name for e in x.entities if etype is None or e.type == etype}


def by_name(x):
    return {e.name: e for e in x.entities}


# ---------------------------------------------------------------- vocabulary matching: case
def test_a_title_case_technique_matches_in_lower_case(extractor):
    x = run(extractor, "Policies", "The pebble sorter is trained with pebble rank optimization on a toy arm.")
    assert by_name(x)["Pebble Rank Optimization"].type == "Method"


def test_a_title_case_model_name_does_not_match_in_lower_case(extractor):
    x = run(extractor, "Routers", "A quill lantern of old grids steps voltage down; we also use Quill Lantern.")
    mentions = [m.text for e in x.entities for m in e.mentions]
    assert "Quill Lantern" in mentions and "quill lantern" not in mentions


def test_a_mixed_case_name_with_a_digit_matches_in_lower_case(extractor):
    x = run(extractor, "Judges", "Answers of the pebble counter are graded by qrv-3o against a key.")
    assert by_name(x)["QRV-3o"].type == "Model"


def test_a_leading_capital_run_name_matches_capitalised(extractor):
    x = run(extractor, "Assistants", "We compare our pebble counter with Pluma on toy photographs.")
    assert "PLuMA" in names(x, "Model")
    # an all-caps acronym is not matched capitalised: "Slate" is a word, SLATE a model
    x = run(extractor, "Slate roofs", "Slate roofs hold pebbles well.")
    assert "SLATE" not in names(x)


def test_a_size_after_a_known_name_at_the_end_of_a_sentence_stays(extractor):
    x = run(extractor, "Checkpoints", "The pebble counter is fine-tuned from Vorpal 7B.")
    assert "Vorpal 7B" in names(x, "Model") and "Vorpal" not in names(x)


# ---------------------------------------------------------------- term boundaries and task heads
def test_task_heads_in_running_text(extractor):
    x = run(extractor, "Pebbles", "We study pebble compression, gravel clustering, tide prediction, "
            "shell disambiguation and rock tagging, and English-to-Klingon translation.")
    assert {"pebble compression", "gravel clustering", "tide prediction", "shell disambiguation", "rock tagging",
            "english-to-klingon translation"} <= {e.name.lower() for e in x.entities if e.type == "Task"}


def test_a_task_word_modifying_a_system_noun_is_no_task(extractor):
    x = run(extractor, "Pebbles", "We build a pebble clustering system and a shell tagging pipeline.")
    assert not [e for e in x.entities if e.type == "Task"]


def test_verb_forms_and_evaluative_words_do_not_start_a_term(extractor):
    x = run(extractor, "Pebbles", "A recipe for enabling gravel compression shows true tide prediction and "
            "enhancing shell disambiguation.")
    tasks = {e.name.lower() for e in x.entities if e.type == "Task"}
    assert {"gravel compression", "tide prediction"} <= tasks
    assert not {t for t in tasks if t.split()[0] in ("enabling", "true", "enhancing")}


# ---------------------------------------------------------------- types of coined names from their context
def test_a_parenthesised_name_takes_the_type_of_the_head_noun_before_it(extractor):
    x = run(extractor, "Shapes", "We report results on a geometric toy benchmark (GlorbNet) and a shape model (ZubQA).")
    assert by_name(x)["GlorbNet"].type == "Dataset" and by_name(x)["GlorbNet"].role == "EVALUATES_ON"
    assert by_name(x)["ZubQA"].type == "Model"


def test_a_name_before_based_and_a_model_noun_is_a_model(extractor):
    x = run(extractor, "Filters", "The filter applies to any KestConv-based model without retraining.")
    assert by_name(x)["KestConv"].type == "Model"


def test_a_process_noun_after_a_name_does_not_type_it(extractor):
    # "GlubNet training" is the training of GlubNet: the noun does not make it a Method
    x = run(extractor, "Filters", "GlubNet training is slow, and GlubNet distillation is slower.")
    assert by_name(x)["GlubNet"].type == "Model"
    x = run(extractor, "Filters", "We speed up QRZ training on small clusters.")
    assert "QRZ" not in names(x, "Method")


def test_a_coinage_coordinated_with_a_typed_coinage_takes_its_type(extractor):
    x = run(extractor, "Quantizing", "The scheme quantizes both Vorbo1 and Vorbo2 backbones.")
    assert {"Vorbo1", "Vorbo2"} <= names(x, "Model")
    x = run(extractor, "Quantizing", "The scheme quantizes Vorbo1 in a day.")  # alone and untyped: nothing
    assert "Vorbo1" not in names(x)


def test_a_naming_cue_takes_the_type_of_the_class_noun_it_names(extractor):
    x = run(extractor, "Puzzles", "We build large datasets of pebble puzzles with solutions, referred to as PuzzleCodeInstruct.")
    assert by_name(x)["PuzzleCodeInstruct"].type == "Dataset" and by_name(x)["PuzzleCodeInstruct"].role == "PROPOSES"
    x = run(extractor, "Puzzles", "We design a method for training pebble models, called PuzzleCodeInstruct.")
    assert by_name(x)["PuzzleCodeInstruct"].type != "Dataset"
