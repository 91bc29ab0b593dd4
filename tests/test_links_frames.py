"""Link frames of kg/nlp/links.py (which words make a cue, which name is its head), each with a
negative case, on sentences written here. Names are invented; the tests' vocabulary
(tests/fixtures/vocab) knows BERT, LLaMA, Transformer, ResNet-50, LoRA, ImageNet-1K, GLUE."""

import pytest

from conftest import FIXTURE_VOCAB
from extracts import titled_links


@pytest.fixture(scope="module")
def size_class_extractor(tmp_path_factory):
    """The tests' vocabulary plus a size class of language models."""
    from kg.nlp import Extractor

    d = tmp_path_factory.mktemp("size-class-vocab")
    for f in FIXTURE_VOCAB.glob("*.tsv"):
        (d / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    with (d / "models.tsv").open("a", encoding="utf-8") as fh:
        fh.write("small language model\tSLM|SLMs\n")
    return Extractor(vocab_dir=d)


def test_a_relative_clause_is_no_gap_between_a_training_verb_and_on(extractor):
    # "fine-tuning method that builds on Y" is no "fine-tuning ... on Y": the base cue inside is read
    got = titled_links(extractor, "Birds", "We propose GrebeNet, a fine-tuning method that builds on LoRA for songs.")
    assert ("GrebeNet", "BASED_ON", "LoRA") in got
    # a few plain words between the verb and "on" still name the training data
    got = titled_links(extractor, "Birds", "We propose GrebeNet. GrebeNet is fine-tuned for two epochs on GLUE.")
    assert ("GrebeNet", "TRAINED_ON", "GLUE") in got


def test_the_model_a_training_verb_names_is_what_was_trained(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet. We train a ResNet-50 on ImageNet with PloverNet.")
    assert ("ResNet-50", "TRAINED_ON", "ImageNet") in got
    assert ("PloverNet", "TRAINED_ON", "ImageNet") not in got
    # without a model between the verb and "on", the subject before the verb is the trained one
    got = titled_links(extractor, "Birds", "We propose PloverNet. PloverNet is trained on ImageNet.")
    assert ("PloverNet", "TRAINED_ON", "ImageNet") in got


@pytest.mark.parametrize("opening", ["In contrast to BERT", "Unlike BERT"])
def test_a_contrast_compares_in_a_sentence_that_reports_a_gain(extractor, opening):
    got = titled_links(extractor, "Birds", f"We propose PloverNet. {opening}, PloverNet achieves higher accuracy on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    got = titled_links(extractor, "Birds", f"We propose PloverNet. {opening}, PloverNet needs no labelled songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") not in got


def test_a_size_class_in_a_subtitle_is_no_base(size_class_extractor):
    got = titled_links(size_class_extractor, "PloverNet: A Small Language Model for Songs", "We propose PloverNet for songs.")
    assert not {l for l in got if l[1] == "BASED_ON"}
    got = titled_links(size_class_extractor, "PloverNet: A Transformer for Songs", "We propose PloverNet for songs.")
    assert ("PloverNet", "BASED_ON", "Transformer") in got


@pytest.mark.parametrize("verb", ["augments", "equips", "enhances"])
def test_a_verb_that_adds_a_part_to_a_known_name_makes_it_the_base(extractor, verb):
    got = titled_links(extractor, "Birds", f"We propose PloverNet, which {verb} BERT with a song memory.")
    assert ("PloverNet", "BASED_ON", "BERT") in got
    # without the added part ("... with Z") the verb speaks of something else than a base
    got = titled_links(extractor, "Birds", f"We propose PloverNet, which {verb} the accuracy of BERT on songs.")
    assert ("PloverNet", "BASED_ON", "BERT") not in got


@pytest.mark.parametrize("abstract", [
    "We propose PloverNet, which uses ResNet-50 as its backbone.",
    "We propose PloverNet, which employs a ResNet-50 backbone for songs.",
    "In our tests, PloverNet with LLaMA as the base model sings best.",
])
def test_a_backbone_or_base_model_named_with_a_use_verb_is_the_base(extractor, abstract):
    assert ("PloverNet", "BASED_ON", "ResNet-50" if "ResNet" in abstract else "LLaMA") in titled_links(extractor, "Birds", abstract)


def test_using_a_known_name_for_something_else_makes_no_base(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet, which uses ResNet-50 to label songs.")
    assert ("PloverNet", "BASED_ON", "ResNet-50") not in got


def test_a_based_modifier_reaches_its_head_noun_over_a_few_words(extractor):
    got = titled_links(extractor, "PloverNet: Songs", "Our PloverNet is a Transformer-based sparse song architecture.")
    assert ("PloverNet", "BASED_ON", "Transformer") in got
    got = titled_links(extractor, "Birds", "We present PloverNet and a Transformer-based evaluation of songs.")
    assert ("PloverNet", "BASED_ON", "Transformer") not in got


@pytest.mark.parametrize("subject, linked", [
    ("Our method", True), ("Our song model", True), ("Our results", False), ("Our analysis", False)])
def test_a_bare_our_speaks_of_the_papers_own_only_with_a_contribution_noun(extractor, subject, linked):
    got = titled_links(extractor, "PloverNet: Songs", f"We present PloverNet for songs. {subject} extends LoRA to birds.")
    assert (("PloverNet", "BASED_ON", "LoRA") in got) == linked
    got = titled_links(extractor, "PloverNet: Songs", f"We present PloverNet for songs. {subject} is more accurate than BERT.")
    assert (("PloverNet", "OUTPERFORMS", "BERT") in got) == linked


def test_generalizing_well_to_something_is_no_generalization_of_it(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet, which generalizes well to LLaMA and to songs.")
    assert ("PloverNet", "BASED_ON", "LLaMA") not in got
    got = titled_links(extractor, "Birds", "We propose PloverNet, which generalizes LoRA to songs.")
    assert ("PloverNet", "BASED_ON", "LoRA") in got
