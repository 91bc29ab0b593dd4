"""General link constructions of ML abstracts that the cue data did not cover (issue 13: link recall
on unseen papers), each with negative cases, on sentences written here. Names are invented; the
tests' vocabulary (tests/fixtures/vocab) knows BERT, LLaMA, Transformer, ResNet-50, LoRA,
Mixture-of-Experts, GLUE, MATH, ImageNet. Nothing comes from a gold file or a silver set."""

from extracts import links, typed


# ---------------------------------------------------------------- BASED_ON
def test_a_based_on_phrase_opening_its_sentence_speaks_of_the_main_clause_subject(extractor):
    got = links(extractor, "We introduce WrenDet. Built on top of BERT, WrenDet adds a song query.")
    assert ("WrenDet", "BASED_ON", "BERT") in got
    got = links(extractor, "We introduce WrenDet. Specifically, based on LLaMA, our model adds a song query.")
    assert ("WrenDet", "BASED_ON", "LLaMA") in got
    got = links(extractor, "We introduce WrenDet. Inspired by BERT, we design a song query.")
    assert ("WrenDet", "BASED_ON", "BERT") in got
    # the phrase's comma ends the bases: the subject is no base of itself, and a clause of another
    # subject ("Based on BERT, prior work ...") names no base of the paper's own
    got = links(extractor, "We introduce WrenDet. Based on BERT, prior work studied songs with LoRA.")
    assert not typed(got, "BASED_ON")
    got = links(extractor, "We introduce WrenDet. Based on these songs, WrenDet adds a query to BERT.")
    assert not typed(got, "BASED_ON")


def test_starting_from_or_sharing_an_architecture_names_the_base(extractor):
    got = links(extractor, "We introduce WrenLM. Starting from LLaMA, we continue training on songs.")
    assert ("WrenLM", "BASED_ON", "LLaMA") in got
    got = links(extractor, "We introduce WrenLM. WrenLM uses the same architecture as LLaMA.")
    assert ("WrenLM", "BASED_ON", "LLaMA") in got
    got = links(extractor, "We introduce WrenLM. WrenLM follows the architecture of BERT.")
    assert ("WrenLM", "BASED_ON", "BERT") in got
    # the same data or setting as another model is no shared architecture
    got = links(extractor, "We introduce WrenLM. WrenLM uses the same data as LLaMA.")
    assert not typed(got, "BASED_ON")
    got = links(extractor, "We introduce WrenLM. Starting from scratch, WrenLM learns songs, unlike BERT.")
    assert not typed(got, "BASED_ON")


def test_inflected_tuning_verbs_state_the_tuned_base(extractor):
    got = links(extractor, "We introduce WrenLM, which fine-tunes LLaMA on bird songs.")
    assert ("WrenLM", "BASED_ON", "LLaMA") in got
    got = links(extractor, "We introduce WrenLM. WrenLM finetunes BERT on GLUE.")
    assert ("WrenLM", "BASED_ON", "BERT") in got
    # a model trained from scratch uses an architecture; it is not built on a trained model
    got = links(extractor, "We introduce WrenLM. WrenLM trains BERT on GLUE from scratch.")
    assert ("WrenLM", "BASED_ON", "BERT") not in got


def test_adapting_or_distilling_a_model_names_the_base(extractor):
    got = links(extractor, "We propose WrenNet, which adapts BERT to bird songs.")
    assert ("WrenNet", "BASED_ON", "BERT") in got
    got = links(extractor, "We propose WrenNet, which distills LLaMA into a small singer.")
    assert ("WrenNet", "BASED_ON", "LLaMA") in got
    # adapting to a model, distilling without a student: no base
    got = links(extractor, "We propose WrenNet, which adapts to BERT at test time.")
    assert not typed(got, "BASED_ON")
    got = links(extractor, "We propose WrenNet, which distills songs and beats LLaMA.")
    assert not typed(got, "BASED_ON")


def test_an_encoder_or_decoder_is_a_backbone(extractor):
    got = links(extractor, "We propose WrenNet, which leverages a pretrained BERT encoder for songs.")
    assert ("WrenNet", "BASED_ON", "BERT") in got
    got = links(extractor, "We propose WrenNet. It uses LLaMA as the text decoder.")
    assert ("WrenNet", "BASED_ON", "LLaMA") in got
    # a name used as something else than a part of the network is no base
    got = links(extractor, "We propose WrenNet. It uses LLaMA as the judge of songs.")
    assert not typed(got, "BASED_ON")


def test_the_model_a_tuning_clause_yields_is_the_head(extractor):
    got = links(extractor, "We fine-tune LLaMA on bird songs to obtain WrenLM.")
    assert ("WrenLM", "BASED_ON", "LLaMA") in got
    got = links(extractor, "We fine-tune BERT on GLUE, yielding WrenLM, a singer.")
    assert ("WrenLM", "BASED_ON", "BERT") in got
    # a result clause that names no model leaves the head to the paper's own entity
    got = links(extractor, "We propose WrenLM. We fine-tune LLaMA on songs to obtain better BERT scores.")
    assert ("BERT", "BASED_ON", "LLaMA") not in got


def test_a_library_or_toolkit_based_on_a_name_is_built_on_it(extractor):
    got = links(extractor, "We propose WrenQ, a JAX-based toolkit for songs.")
    assert ("WrenQ", "BASED_ON", "JAX") in got
    got = links(extractor, "We propose WrenQ, a scheme for songs. WrenQ is shipped as a PyTorch-based library.")
    assert ("WrenQ", "BASED_ON", "PyTorch") in got
    # a JAX-based measure is no base of the paper's own entity
    got = links(extractor, "We propose WrenQ for songs. WrenQ wins on a BERT-based song score.")
    assert not typed(got, "BASED_ON")


def test_a_name_the_paper_gives_a_phrase_with_an_acronym_is_built_on_the_phrase_s_name(extractor):
    got = links(extractor, "We propose a family of Low-Rank Adaptation (LoRA) adapters, which we call WrenRank, for songs.")
    assert ("WrenRank", "BASED_ON", "LoRA") in got
    # a name in another clause before the naming cue is no base
    got = links(extractor, "LoRA (LR) is popular; we propose a new family of song adapters, which we call WrenRank.")
    assert ("WrenRank", "BASED_ON", "LoRA") not in got


def test_a_sentence_initial_coined_name_is_a_link_end(extractor):
    # the entity rules may keep no candidate for a coined name opening a sentence; its links still count
    got = links(extractor, "We propose a scheme for songs, named WFQ. WFQ is implemented as a PyTorch-based "
                           "library. WFQ runs on songs.")
    assert ("WFQ", "BASED_ON", "PyTorch") in got
    # a lower-case word of the same letters, or the name inside another word, is no mention of it
    got = links(extractor, "We propose a scheme for songs, named Wren. The wren is shipped as a PyTorch-based library.")
    assert ("Wren", "BASED_ON", "PyTorch") not in got
    got = links(extractor, "We propose a scheme for songs, named WFQ. The WFQ-free baseline is shipped as a "
                           "PyTorch-based library. WFQ runs on songs.")
    assert ("WFQ", "BASED_ON", "PyTorch") not in got


def test_a_prefixed_version_of_the_papers_own_name_is_built_on_it(extractor):
    got = links(extractor, "We propose WrenGP. We also propose S-WrenGP, a sparse version.")
    assert ("S-WrenGP", "BASED_ON", "WrenGP") in got
    # a size or variant suffix is the same contribution, not a version built on it
    got = links(extractor, "We propose WrenGP. We also propose WrenGP-S, a sparse version.")
    assert not typed(got, "BASED_ON")


# ---------------------------------------------------------------- OUTPERFORMS
def test_a_counted_saving_than_a_system_is_a_gain_over_it(extractor):
    got = links(extractor, "We propose WrenNet. WrenNet needs 10x fewer parameters than BERT.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got
    got = links(extractor, "We propose WrenNet. WrenNet uses 40% less memory than LLaMA on songs.")
    assert ("WrenNet", "OUTPERFORMS", "LLaMA") in got
    # a count that is no saving over the system names no comparison
    got = links(extractor, "We propose WrenNet. WrenNet has 10x fewer layers, and BERT is deeper.")
    assert not typed(got, "OUTPERFORMS")


def test_versus_in_a_gain_sentence_is_a_comparison(extractor):
    got = links(extractor, "We propose WrenNet. WrenNet gains 3 points versus BERT.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got
    got = links(extractor, "We propose WrenNet. WrenNet is 3x faster vs BERT.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got
    # no gain reported: a side-by-side report is no claim of being better
    got = links(extractor, "We propose WrenNet. We report WrenNet versus BERT on songs.")
    assert not typed(got, "OUTPERFORMS")


def test_gains_of_a_system_over_another_are_a_comparison(extractor):
    got = links(extractor, "We propose WrenNet. Experiments show consistent gains of WrenNet over BERT.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got
    got = links(extractor, "We propose WrenNet. We see improvements of WrenNet over LLaMA on songs.")
    assert ("WrenNet", "OUTPERFORMS", "LLaMA") in got
    # gains of an amount name no winner inside the phrase
    got = links(extractor, "We propose WrenNet. Experiments show gains of 3 points over BERT for songs.")
    assert not typed(got, "OUTPERFORMS")


# ---------------------------------------------------------------- TRAINED_ON
def test_the_papers_own_coinage_is_trained_whatever_its_type(extractor):
    got = links(extractor, "We propose WrenDet, a detection method. WrenDet is trained on GLUE and tested on MATH.")
    assert ("WrenDet", "TRAINED_ON", "GLUE") in got
    got = links(extractor, "We propose WrenDet, a detection method. We fine-tune WrenDet on GLUE.")
    assert ("WrenDet", "TRAINED_ON", "GLUE") in got
    # a method that models are trained with is not itself trained on the data
    got = links(extractor, "We propose WrenTune, a tuning method. Models trained on GLUE with WrenTune converge faster.")
    assert not typed(got, "TRAINED_ON")
    got = links(extractor, "We propose WrenDet, with a helper model WrenLM. We fine-tune WrenLM on GLUE.",
                title="WrenDet: songs of birds")
    assert ("WrenLM", "TRAINED_ON", "GLUE") in got
    # a known method before the cue is not what was trained
    got = links(extractor, "We propose WrenNet, a song model. With LoRA, models trained on GLUE sing.")
    assert ("LoRA", "TRAINED_ON", "GLUE") not in got
    # a known model fine-tuned on the data is the base of the paper's own model, not a trained coinage
    got = links(extractor, "We propose WrenLM. We fine-tune LLaMA on GLUE.")
    assert ("LLaMA", "TRAINED_ON", "GLUE") not in got


# ---------------------------------------------------------------- BASED_ON (names)
def test_a_descriptive_proposed_name_ending_in_a_known_method_is_built_on_it(extractor):
    got = links(extractor, "We fine-tune songs.", title="Hierarchical Knowledge Distillation: songs of birds")
    assert ("Hierarchical Knowledge Distillation", "BASED_ON", "knowledge distillation") in got
    # a single generic last word ("... Fine-Tuning") is too little to name the base
    got = links(extractor, "We sing songs.", title="Layerwise Song Fine-Tuning: songs of birds")
    assert not typed(got, "BASED_ON")
