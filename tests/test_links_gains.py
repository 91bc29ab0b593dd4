"""Comparison and derivation constructions of link cues (issue 13 item 1), on invented sentences:
which wordings report a gain over a compared system, which only parity, and which names make a system
built on another. Names are invented (WrenNet, WrenLM); the vocabulary is the tests' own
(tests/fixtures/vocab) plus a generic model class with its acronym (large language model, LLM), Mamba
and quantization."""

import shutil

import pytest

from extracts import links, typed


@pytest.fixture(scope="module")
def ex(tmp_path_factory):
    """The tests' vocabulary plus "Large language model" (LLM), a generic class."""
    from conftest import FIXTURE_VOCAB
    from kg.nlp import Extractor

    d = tmp_path_factory.mktemp("vocab")
    for f in FIXTURE_VOCAB.iterdir():
        shutil.copy(f, d / f.name)
    with open(d / "models.tsv", "a") as fh:
        fh.write("Large language model\tLLM\nMamba\n")
    with open(d / "methods.tsv", "a") as fh:
        fh.write("Quantization\tquantisation\n")
    return Extractor(vocab_dir=d)


def test_parity_before_a_compared_cue_reports_no_gain(ex):
    got = links(ex, "We propose WrenNet. WrenNet achieves competitive accuracy compared with BERT at a lower cost.")
    assert not typed(got, "OUTPERFORMS")
    got = links(ex, "We propose WrenNet. WrenNet reaches comparable performance in comparison with BERT, with 3x lower latency.")
    assert not typed(got, "OUTPERFORMS")
    # a gain word in the cue's clause still states the gain
    got = links(ex, "We propose WrenNet. WrenNet achieves higher accuracy compared to BERT.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got
    got = links(ex, "We propose WrenNet. Compared with BERT, WrenNet improves accuracy by 3 points on GLUE.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got


def test_a_coinage_containing_a_generic_class_acronym_is_not_based_on_the_class(ex):
    got = links(ex, "Recent LLMs sing well. We introduce WrenLLM, a new architecture for bird songs.")
    assert not typed(got, "BASED_ON")
    # a coinage containing a named model still is
    got = links(ex, "Mamba is fast. We introduce WrenMamba, a new architecture for bird songs.")
    assert ("WrenMamba", "BASED_ON", "Mamba") in got


def test_the_extension_of_a_property_derives_no_system(ex):
    got = links(ex, "We study songs.", title="WrenSSM: On the Horizon Extension of Transformers in Song Modelling")
    assert not typed(got, "BASED_ON")
    got = links(ex, "We propose WrenNet. We investigate the context-window extension of Transformers for songs.")
    assert not typed(got, "BASED_ON")
    got = links(ex, "We propose WrenNet, an extension of LoRA to songs.")
    assert ("WrenNet", "BASED_ON", "LoRA") in got
    got = links(ex, "We propose WrenNet, a simple variant of LoRA.")
    assert ("WrenNet", "BASED_ON", "LoRA") in got


def test_amounts_and_metrics_over_or_than_a_compared_system(ex):
    cases = ["WrenNet improves top-1 accuracy over BERT by 3%.",
             "On GLUE, WrenNet reaches 91% accuracy, 3% higher than BERT.",
             "WrenNet delivers up to 3x throughput over BERT.",
             "WrenNet yields a 10% boost over BERT.",
             "WrenNet achieves superior performance to BERT on GLUE.",
             "WrenNet is preferred over BERT by human raters.",
             "WrenNet achieves a 70% win rate against BERT.",
             "WrenNet achieves a lower word error rate than BERT."]
    for c in cases:
        assert ("WrenNet", "OUTPERFORMS", "BERT") in links(ex, "We propose WrenNet. " + c), c
    # a cost that is higher, or a bare superiority of no system, states no gain
    for c in ["WrenNet's error is 3% higher than BERT.", "The latency of WrenNet is 20% higher than BERT.",
              "WrenNet is superior in songs, and BERT is old."]:
        assert not typed(links(ex, "We propose WrenNet. " + c), "OUTPERFORMS"), c


def test_a_citation_does_not_end_the_compared_list_but_a_gloss_does(ex):
    got = links(ex, "We propose WrenNet. WrenNet outperforms LoRA (Doe et al., 2021) and BERT.")
    assert {("WrenNet", "OUTPERFORMS", "LoRA"), ("WrenNet", "OUTPERFORMS", "BERT")} <= got
    got = links(ex, "We propose WrenNet. WrenNet outperforms LoRA (2021), ResNet-50 (12) and BERT on songs.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got
    got = links(ex, "We propose WrenNet. WrenNet outperforms LoRA (a low-rank method) and BERT.")
    assert ("WrenNet", "OUTPERFORMS", "LoRA") in got and ("WrenNet", "OUTPERFORMS", "BERT") not in got


def test_coordinated_bases_with_their_own_determiner(ex):
    got = links(ex, "We propose WrenNet, which is based on the Transformer and the LLaMA decoder.")
    assert {("WrenNet", "BASED_ON", "Transformer"), ("WrenNet", "BASED_ON", "LLaMA")} <= got
    got = links(ex, "We propose WrenNet, which is based on the Transformer and the song data of birds.")
    assert typed(got, "BASED_ON") == {("WrenNet", "BASED_ON", "Transformer")}


def test_a_descriptive_name_ending_in_a_common_method_noun_is_no_coinage(ex):
    got = links(ex, "Quantization makes songs jump. We propose a fix.", title="Wobble-free Quantization for Song Models")
    assert ("Wobble-free Quantization", "BASED_ON", "Quantization") not in got
    # a name ending in a named method or model still is built on it
    got = links(ex, "We further introduce Extended Song LoRA, where songs are inverted. LoRA is old.")
    assert ("Extended Song LoRA", "BASED_ON", "LoRA") in got


def test_a_compared_class_of_solvers_is_a_link_end(ex):
    got = links(ex, "We propose WrenNet. WrenNet performs better than iterative pebble solvers on songs.")
    assert ("WrenNet", "OUTPERFORMS", "iterative pebble solver") in got
    # a class of no kind ("existing solvers") names nothing
    got = links(ex, "We propose WrenNet. WrenNet outperforms existing solvers.")
    assert not typed(got, "OUTPERFORMS")


def test_a_training_gerund_names_the_training_data(ex):
    for c in ["By training WrenNet on ImageNet, we reach 80% accuracy.",
              "After training on ImageNet, WrenNet reaches 80% accuracy.",
              "Training WrenNet on ImageNet takes three days."]:
        assert ("WrenNet", "TRAINED_ON", "ImageNet") in links(ex, "We propose WrenNet. " + c), c
    # a property of a training run measured on the data names no training data
    for c in ["We report the training throughput on ImageNet for WrenNet.",
              "We study the training dynamics of WrenNet on ImageNet.",
              "WrenNet cuts training time on ImageNet by half."]:
        assert not typed(links(ex, "We propose WrenNet. " + c), "TRAINED_ON"), c


def test_a_lower_case_proposed_name_ending_in_a_known_name_is_built_on_it(ex):
    got = links(ex, "Mixture of experts is costly. We propose a sparse song mixture of experts (SSM) for birds.")
    assert ("sparse song mixture of experts", "BASED_ON", "Mixture-of-Experts") in got
    # without a short form of its own, a descriptive name is no named system built on its head
    got = links(ex, "Knowledge distillation is old. We propose adaptive knowledge distillation for songs.")
    assert not typed(got, "BASED_ON")
    # a lone method noun at the end names a kind of that method, no system built on a named one
    got = links(ex, "Quantization is lossy. We propose a statistical song quantization (SSQ) for birds.")
    assert not typed(got, "BASED_ON")


def test_cutting_or_halving_a_cost_is_a_gain_of_a_comparison(ex):
    got = links(ex, "We propose WrenNet. Relative to LoRA, WrenNet cuts memory by half.")
    assert ("WrenNet", "OUTPERFORMS", "LoRA") in got
    got = links(ex, "We propose WrenNet. Compared to BERT, WrenNet halves the latency.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got
    # a comparison with no gain in its sentence states nothing
    got = links(ex, "We propose WrenNet. Compared to BERT, WrenNet sings a different song.")
    assert not typed(got, "OUTPERFORMS")


def test_a_system_made_of_a_known_models_parts_is_built_on_it(ex):
    got = links(ex, "We propose WrenNet. WrenNet consists of a BERT encoder and a song decoder.")
    assert ("WrenNet", "BASED_ON", "BERT") in got
    got = links(ex, "We propose WrenNet. WrenNet is composed of stacked Mamba blocks.")
    assert ("WrenNet", "BASED_ON", "Mamba") in got
    # parts that are no known model's, or a benchmark made of tasks, name no base
    got = links(ex, "We propose WrenNet. WrenNet consists of three song modules, unlike BERT.")
    assert not typed(got, "BASED_ON")
    got = links(ex, "We propose WrenNet. The suite consists of GLUE tasks.")
    assert not typed(got, "BASED_ON")
