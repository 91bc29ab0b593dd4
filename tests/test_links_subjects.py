"""Whose comparison, and what a description's name is (issue 13: "prefer the sentence's subject as
the head over the paper's proposed entity"; link precision on unseen papers): the subject of a
fronted "Compared with Y, ..." phrase, a used name opening the cue's clause, a contrast clause, a
cost instead of a gain, a yardstick in a description, the parts "combine the A of X with the B of
Y" names. Sentences and names are invented; the tests' vocabulary (tests/fixtures/vocab) knows BERT,
LLaMA, Transformer, LoRA, GLUE."""

from extracts import links, typed


def test_a_fronted_comparison_speaks_of_the_subject_after_its_comma(extractor):
    got = links(extractor, "We propose WrenNet. Compared with BERT and LLaMA, WrenNet improves accuracy by 3%.")
    assert {("WrenNet", "OUTPERFORMS", "BERT"), ("WrenNet", "OUTPERFORMS", "LLaMA")} <= got
    got = links(extractor, "We propose WrenNet. Compared with BERT, LoRA reduces parameters by 100x, and WrenNet goes further.")
    assert ("LoRA", "OUTPERFORMS", "BERT") in got
    assert ("WrenNet", "OUTPERFORMS", "BERT") not in got
    assert ("WrenNet", "OUTPERFORMS", "LoRA") not in got


def test_a_used_name_opening_the_cues_clause_is_its_subject(extractor):
    got = links(extractor, "We propose WrenNet. We find that BERT improves by 3% relative to LLaMA when tuned with WrenNet.")
    assert ("BERT", "OUTPERFORMS", "LLaMA") in got
    assert ("WrenNet", "OUTPERFORMS", "LLaMA") not in got
    got = links(extractor, "We propose WrenNet. WrenNet gains 3% on GLUE, whereas LoRA gains 1% compared with BERT.")
    assert ("LoRA", "OUTPERFORMS", "BERT") in got
    assert ("WrenNet", "OUTPERFORMS", "BERT") not in got
    got = links(extractor, "We propose WrenNet. Our method gains 3%, whereas the gain of LoRA is 1% compared with BERT.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") not in got
    # "not only ... but also" keeps its subject
    got = links(extractor, "We propose WrenNet. WrenNet not only beats BERT but also outperforms LLaMA.")
    assert ("WrenNet", "OUTPERFORMS", "LLaMA") in got


def test_a_cost_compared_with_a_system_is_no_gain_over_it(extractor):
    got = links(extractor, "We propose WrenNet. WrenNet improves accuracy by 2% compared to BERT.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got
    got = links(extractor, "We propose WrenNet. WrenNet uses 2x more memory compared to BERT.")
    assert not typed(got, "OUTPERFORMS")
    got = links(extractor, "We propose WrenNet. Compared with BERT, WrenNet suffers a 3% accuracy drop.")
    assert not typed(got, "OUTPERFORMS")
    # the compared systems end where a condition clause starts
    got = links(extractor, "We propose WrenNet, which reduces memory by 40% compared to LoRA when tuning LLaMA.")
    assert ("WrenNet", "OUTPERFORMS", "LoRA") in got
    assert ("WrenNet", "OUTPERFORMS", "LLaMA") not in got


def test_a_yardstick_in_a_description_is_no_base(extractor):
    got = links(extractor, "We propose WrenNet, a BERT model for songs.")
    assert ("WrenNet", "BASED_ON", "BERT") in got
    for desc in ("a BERT-sized model", "a LLaMA-level singer", "a competitor of BERT", "a drop-in replacement for LLaMA"):
        got = links(extractor, f"We propose WrenNet, {desc} for songs.")
        assert not typed(got, "BASED_ON"), desc


def test_what_a_combination_takes_of_each_name_names_its_bases(extractor):
    got = links(extractor, "We propose WrenNet, which combines the remarkably sparse expert routing of Mixture-of-Experts with the low-rank updates of LoRA.")
    assert {("WrenNet", "BASED_ON", "Mixture-of-Experts"), ("WrenNet", "BASED_ON", "LoRA")} <= got
    got = links(extractor, "We propose WrenNet, which combines the strengths of songs and birds.")
    assert not typed(got, "BASED_ON")


def test_a_loser_with_no_winner_named_loses_to_the_entity_the_sentence_reports_on(extractor):
    got = links(extractor, "We propose WrenNet. WrenNet sings 40-note songs well, which is where LLaMA falls short.")
    assert ("WrenNet", "OUTPERFORMS", "LLaMA") in got
    got = links(extractor, "We propose WrenNet. WrenNet reaches 99% on songs, whereas BERT lags behind.")
    assert ("WrenNet", "OUTPERFORMS", "BERT") in got
    # a named winner after the cue wins; a loser in the sentence's own main clause loses to nobody unnamed
    got = links(extractor, "We propose WrenNet. LLaMA falls short of BERT on songs.")
    assert ("BERT", "OUTPERFORMS", "LLaMA") in got
    assert ("WrenNet", "OUTPERFORMS", "LLaMA") not in got
    got = links(extractor, "We propose WrenNet. BERT falls short on songs.")
    assert not typed(got, "OUTPERFORMS")
