"""Links that unseen abstracts state less often than the cue rules guessed (issue 13: link precision
on unseen papers): a "-based" phrase on the other side of a comparison, training data of the
systems compared with, a procedure noun before "on". Sentences and names are invented; the tests'
vocabulary (tests/fixtures/vocab) knows BERT, LLaMA, LoRA, GLUE."""

from extracts import links, typed


def test_a_based_phrase_describes_the_proposed_name_it_stands_beside(extractor):
    got = links(extractor, "We propose WrenNet, a novel LoRA-based tuning method.")
    assert ("WrenNet", "BASED_ON", "LoRA") in got
    got = links(extractor, "We propose a LoRA-based tuning method for songs, called WrenNet.")
    assert any(l[0] == "WrenNet" and l[1] == "BASED_ON" for l in got)
    got = links(extractor, "We propose WrenNet for songs. WrenNet is released as a BERT-based library.")
    assert ("WrenNet", "BASED_ON", "BERT") in got
    # the other side of a comparison builds nothing of the paper's own
    got = links(extractor, "We propose WrenNet. WrenNet outperforms LoRA-based tuning methods on songs.")
    assert ("WrenNet", "BASED_ON", "LoRA") not in got
    got = links(extractor, "We propose WrenNet. Compared with BERT-based song models, WrenNet is 2x faster.")
    assert ("WrenNet", "BASED_ON", "BERT") not in got


def test_the_training_data_of_the_compared_systems_is_not_the_papers(extractor):
    got = links(extractor, "We propose WrenNet. WrenNet is trained with dropout on GLUE.")
    assert ("WrenNet", "TRAINED_ON", "GLUE") in got
    got = links(extractor, "We propose WrenNet. WrenNet outperforms baselines trained with dropout on GLUE.")
    assert not typed(got, "TRAINED_ON")
    # a procedure noun before "on" names no training of a model
    got = links(extractor, "We propose WrenNet. WrenNet beats recent fine-tuning methods on GLUE.")
    assert not typed(got, "TRAINED_ON")
    got = links(extractor, "We propose WrenNet. We fine-tune WrenNet models on GLUE.")
    assert ("WrenNet", "TRAINED_ON", "GLUE") in got
