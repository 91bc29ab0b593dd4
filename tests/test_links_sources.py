"""What an unseen abstract says a system or dataset is made from, beyond "based on" (issue 13: link
recall): a dataset collected from another, a model trained from a known checkpoint, the result of
a construction gerund ("Plugging A into B gives X"), a name that only gives the style of the
base. Sentences and names are invented; the tests' vocabulary (tests/fixtures/vocab) knows BERT,
LLaMA, Transformer, LoRA, Mixture-of-Experts, GLUE, MATH, ImageNet."""

from extracts import links, typed


def test_a_proposed_dataset_made_from_another_is_built_on_it(extractor):
    got = links(extractor, "We introduce WrenSet, bird songs sampled by volunteers from the GLUE archive.")
    assert ("WrenSet", "BASED_ON", "GLUE") in got
    got = links(extractor, "We introduce WrenSet, a harder subset of ImageNet.")
    assert ("WrenSet", "BASED_ON", "ImageNet") in got
    # a dataset the paper only evaluates on beside it is no source
    got = links(extractor, "We introduce WrenSet, collected from bird forums, and evaluate BERT on it and on GLUE.")
    assert not typed(got, "BASED_ON")
    got = links(extractor, "We introduce WrenSet for songs. We train BERT on GLUE to label WrenSet.")
    assert ("WrenSet", "BASED_ON", "GLUE") not in got


def test_a_model_trained_with_a_known_checkpoint_is_built_on_it(extractor):
    got = links(extractor, "We propose WrenLM. We release WrenLM-7B, which we trained on bird songs using LLaMA.")
    assert ("WrenLM-7B", "BASED_ON", "LLaMA") in got
    got = links(extractor, "We propose WrenLM. WrenLM is fine-tuned using BERT as the base model.")
    assert ("WrenLM", "BASED_ON", "BERT") in got
    # data a known model made, or an optimiser, is no base; nor what the model was trained with
    got = links(extractor, "We propose WrenLM. WrenLM is trained on GLUE using LLaMA-generated labels.")
    assert not typed(got, "BASED_ON")
    got = links(extractor, "We propose WrenLM. WrenLM is trained with LLaMA annotations on GLUE.")
    assert ("WrenLM", "TRAINED_ON", "GLUE") in got
    assert ("LLaMA", "TRAINED_ON", "GLUE") not in got


def test_the_named_result_of_a_construction_is_built_on_its_parts(extractor):
    got = links(extractor, "We introduce WrenAct. Plugging WrenAct into a Transformer gives Wren-Transformers, which sing.")
    assert ("Wren-Transformers", "BASED_ON", "WrenAct") in got
    assert ("Wren-Transformers", "BASED_ON", "Transformer") in got
    got = links(extractor, "We study songs. Applying LoRA to BERT gives WrenBERT, a small singer.")
    assert ("WrenBERT", "BASED_ON", "LoRA") in got
    # a result that is no name, or a known name, is built on nothing here
    got = links(extractor, "We study songs. Combining LoRA with BERT yields better songs than LLaMA.")
    assert not typed(got, "BASED_ON")
    got = links(extractor, "We study songs. Applying LoRA to songs gives LLaMA a voice.")
    assert ("LLaMA", "BASED_ON", "LoRA") not in got


def test_a_name_that_gives_the_style_of_the_base_is_not_the_base(extractor):
    got = links(extractor, "We propose WrenNet. WrenNet adopts a LLaMA-style Mixture-of-Experts layer for songs.")
    assert ("WrenNet", "BASED_ON", "Mixture-of-Experts") in got
    assert ("WrenNet", "BASED_ON", "LLaMA") not in got
    got = links(extractor, "We propose WrenNet. WrenNet adopts a BERT-like LoRA adapter.")
    assert ("WrenNet", "BASED_ON", "LoRA") in got
    assert ("WrenNet", "BASED_ON", "BERT") not in got
    got = links(extractor, "We propose WrenNet. WrenNet adopts a LLaMA backbone for songs.")
    assert ("WrenNet", "BASED_ON", "LLaMA") in got


def test_instruction_tuning_and_a_data_pronoun_name_the_training_data(extractor):
    got = links(extractor, "We introduce WrenSet, a corpus of bird songs. WrenLM, instruction-tuned on WrenSet, sings well.")
    assert ("WrenLM", "TRAINED_ON", "WrenSet") in got
    got = links(extractor, "We introduce WrenLM. We instruction-tune LLaMA on GLUE, resulting in WrenLM.")
    assert ("WrenLM", "BASED_ON", "LLaMA") in got
    got = links(extractor, "We introduce WrenSet, a corpus of bird songs, and train WrenLM on it.")
    assert ("WrenLM", "TRAINED_ON", "WrenSet") in got
    # evaluating on it trains nothing
    got = links(extractor, "We introduce WrenSet, a corpus of bird songs, and evaluate WrenLM on it.")
    assert not typed(got, "TRAINED_ON")
