"""Ends of links that the entity rules leave out or write in a title's case (issue 13: link recall
on unseen papers): a lower-case procedure phrase after a comparison cue, a title's "-based
Approach". Sentences and names are invented; the tests' vocabulary (tests/fixtures/vocab) knows
BERT, LLaMA, LoRA, Mixture-of-Experts."""

from extracts import links, typed


def test_a_procedure_phrase_after_a_comparison_cue_is_the_compared_method(extractor):
    got = links(extractor, "We propose WrenNet. WrenNet outperforms vanilla lattice tuning significantly on songs.")
    assert ("WrenNet", "OUTPERFORMS", "lattice tuning") in got
    got = links(extractor, "We propose WrenNet. WrenNet is 2x faster than full-batch training.")
    assert ("WrenNet", "OUTPERFORMS", "full-batch training") in got
    # a bare procedure word, or a phrase that goes on into another noun, names no method
    got = links(extractor, "We propose WrenNet. WrenNet is 2x faster than standard training.")
    assert not typed(got, "OUTPERFORMS")
    got = links(extractor, "We propose WrenNet. WrenNet outperforms lattice tuning pipelines on songs.")
    assert ("WrenNet", "OUTPERFORMS", "lattice tuning") not in got


def test_a_titles_based_phrase_in_title_case_is_a_base(extractor):
    got = links(extractor, "We propose WrenNet for songs.", title="WrenNet: A LoRA-based Approach to Songs")
    assert ("WrenNet", "BASED_ON", "LoRA") in got
    # an engine for Foo-based models serves them
    got = links(extractor, "We propose WrenNet for songs.", title="WrenNet: Quick Deployment of LoRA-based Song Models")
    assert not typed(got, "BASED_ON")
