"""Link cue constructions added after an ablation by numbers, each with negative cases, on sentences
written here (names invented; the tests' vocabulary, tests/fixtures/vocab, knows BERT, LLaMA,
Transformer, LoRA, GLUE, MATH, ImageNet and a few more). Nothing comes from a gold file."""

from extracts import extract, link_triples


def links(extractor, abstract, title="Songs of birds"):
    return link_triples(extract(extractor, title, abstract))


def typed(got, kind):
    return {l for l in got if l[1] == kind}


# ---------------------------------------------------------------- TRAINED_ON
def test_a_model_trained_with_or_using_a_dataset_is_trained_on_it(extractor):
    got = links(extractor, "We propose SwiftLM. A SwiftLM model was trained with GLUE to sing.")
    assert ("SwiftLM", "TRAINED_ON", "GLUE") in got
    got = links(extractor, "We propose SwiftLM. We fine-tuned SwiftLM using the MATH corpus.")
    assert ("SwiftLM", "TRAINED_ON", "MATH") in got


def test_trained_with_a_method_names_no_training_data(extractor):
    got = links(extractor, "We propose SwiftLM. SwiftLM is trained with LoRA and evaluated on GLUE.")
    assert not typed(got, "TRAINED_ON")
    got = links(extractor, "We propose SwiftLM. SwiftLM was trained with care; it sings on GLUE.")
    assert not typed(got, "TRAINED_ON")


# ---------------------------------------------------------------- OUTPERFORMS
def test_comparing_with_in_a_gain_sentence_is_a_comparison(extractor):
    got = links(extractor, "We propose PloverNet. PloverNet achieves 3x higher throughput comparing with BERT.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    # no gain reported: a comparison is no claim of being better
    got = links(extractor, "We propose PloverNet. We study PloverNet comparing with BERT on songs.")
    assert not typed(got, "OUTPERFORMS")


# ---------------------------------------------------------------- BASED_ON
def test_leveraging_a_method_is_using_it_not_being_built_on_it(extractor):
    got = links(extractor, "We propose PloverNet, a framework that leverages LoRA for songs.")
    assert ("PloverNet", "BASED_ON", "LoRA") not in got
    got = links(extractor, "We propose PloverNet, a framework that adopts LoRA for songs.")
    assert ("PloverNet", "BASED_ON", "LoRA") in got
