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


OWN = "We propose WrenNet. "


def check(ex, kind, stated, unstated, title="Songs of birds"):
    """Each (abstract, link) of ``stated`` finds that link; each abstract of ``unstated`` no link of ``kind``."""
    for abstract, link in stated:
        assert link in links(ex, abstract, title), abstract
    for abstract in unstated:
        assert not typed(links(ex, abstract, title), kind), abstract


def test_parity_before_a_compared_cue_reports_no_gain(ex):
    win = ("WrenNet", "OUTPERFORMS", "BERT")
    check(ex, "OUTPERFORMS",
          # a gain word in the cue's clause states the gain
          [(OWN + "WrenNet achieves higher accuracy compared to BERT.", win),
           (OWN + "Compared with BERT, WrenNet improves accuracy by 3 points on GLUE.", win)],
          [OWN + "WrenNet achieves competitive accuracy compared with BERT at a lower cost.",
           OWN + "WrenNet reaches comparable performance in comparison with BERT, with 3x lower latency."])


def test_a_coinage_containing_a_generic_class_acronym_is_not_based_on_the_class(ex):
    check(ex, "BASED_ON",
          # a coinage containing a named model still is built on it
          [("Mamba is fast. We introduce WrenMamba, a new architecture for bird songs.", ("WrenMamba", "BASED_ON", "Mamba"))],
          ["Recent LLMs sing well. We introduce WrenLLM, a new architecture for bird songs."])


def test_the_extension_of_a_property_derives_no_system(ex):
    base = ("WrenNet", "BASED_ON", "LoRA")
    check(ex, "BASED_ON",
          [("We propose WrenNet, an extension of LoRA to songs.", base),
           ("We propose WrenNet, a simple variant of LoRA.", base)],
          [OWN + "We investigate the context-window extension of Transformers for songs."])
    check(ex, "BASED_ON", [], ["We study songs."], title="WrenSSM: On the Horizon Extension of Transformers in Song Modelling")


def test_amounts_and_metrics_over_or_than_a_compared_system(ex):
    win = ("WrenNet", "OUTPERFORMS", "BERT")
    check(ex, "OUTPERFORMS",
          [(OWN + c, win) for c in ["WrenNet improves top-1 accuracy over BERT by 3%.",
                                    "On GLUE, WrenNet reaches 91% accuracy, 3% higher than BERT.",
                                    "WrenNet delivers up to 3x throughput over BERT.",
                                    "WrenNet yields a 10% boost over BERT.",
                                    "WrenNet achieves superior performance to BERT on GLUE.",
                                    "WrenNet is preferred over BERT by human raters.",
                                    "WrenNet achieves a 70% win rate against BERT.",
                                    "WrenNet achieves a lower word error rate than BERT."]],
          # a cost that is higher, or a bare superiority of no system, states no gain
          [OWN + c for c in ["WrenNet's error is 3% higher than BERT.", "The latency of WrenNet is 20% higher than BERT.",
                             "WrenNet is superior in songs, and BERT is old."]])


def test_a_citation_does_not_end_the_compared_list_but_a_gloss_does(ex):
    got = links(ex, OWN + "WrenNet outperforms LoRA (Doe et al., 2021) and BERT.")
    assert {("WrenNet", "OUTPERFORMS", "LoRA"), ("WrenNet", "OUTPERFORMS", "BERT")} <= got
    assert ("WrenNet", "OUTPERFORMS", "BERT") in links(ex, OWN + "WrenNet outperforms LoRA (2021), ResNet-50 (12) and BERT on songs.")
    got = links(ex, OWN + "WrenNet outperforms LoRA (a low-rank method) and BERT.")
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
    check(ex, "OUTPERFORMS",
          [(OWN + "WrenNet performs better than iterative pebble solvers on songs.", ("WrenNet", "OUTPERFORMS", "iterative pebble solver"))],
          [OWN + "WrenNet outperforms existing solvers."])  # a class of no kind names nothing


def test_a_training_gerund_names_the_training_data(ex):
    data = ("WrenNet", "TRAINED_ON", "ImageNet")
    check(ex, "TRAINED_ON",
          [(OWN + c, data) for c in ["By training WrenNet on ImageNet, we reach 80% accuracy.",
                                     "After training on ImageNet, WrenNet reaches 80% accuracy.",
                                     "Training WrenNet on ImageNet takes three days."]],
          # a property of a training run measured on the data names no training data
          [OWN + c for c in ["We report the training throughput on ImageNet for WrenNet.",
                             "We study the training dynamics of WrenNet on ImageNet.",
                             "WrenNet cuts training time on ImageNet by half."]])


def test_a_lower_case_proposed_name_ending_in_a_known_name_is_built_on_it(ex):
    check(ex, "BASED_ON",
          [("Mixture of experts is costly. We propose a sparse song mixture of experts (SSM) for birds.",
            ("sparse song mixture of experts", "BASED_ON", "Mixture-of-Experts"))],
          # without a short form of its own a descriptive name is no named system built on its head; a
          # lone method noun at the end names a kind of that method
          ["Knowledge distillation is old. We propose adaptive knowledge distillation for songs.",
           "Quantization is lossy. We propose a statistical song quantization (SSQ) for birds."])


def test_cutting_or_halving_a_cost_is_a_gain_of_a_comparison(ex):
    check(ex, "OUTPERFORMS",
          [(OWN + "Relative to LoRA, WrenNet cuts memory by half.", ("WrenNet", "OUTPERFORMS", "LoRA")),
           (OWN + "Compared to BERT, WrenNet halves the latency.", ("WrenNet", "OUTPERFORMS", "BERT"))],
          [OWN + "Compared to BERT, WrenNet sings a different song."])  # no gain in the sentence


def test_a_system_made_of_a_known_models_parts_is_built_on_it(ex):
    check(ex, "BASED_ON",
          [(OWN + "WrenNet consists of a BERT encoder and a song decoder.", ("WrenNet", "BASED_ON", "BERT")),
           (OWN + "WrenNet is composed of stacked Mamba blocks.", ("WrenNet", "BASED_ON", "Mamba"))],
          # parts that are no known model's, or a suite made of tasks, name no base
          [OWN + "WrenNet consists of three song modules, unlike BERT.", OWN + "The suite consists of GLUE tasks."])
