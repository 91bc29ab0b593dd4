"""Comparison and derivation constructions of link cues (issue 13 item 1), on invented sentences:
which wordings report a gain over a compared system and which only parity or a study of it. Names are
invented (WrenNet, Quill-7B); the vocabulary is the tests' own (tests/fixtures/vocab) plus a generic
model class with its acronym (large language model, LLM)."""

import shutil

import pytest

from extracts import extract, link_triples


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
    return Extractor(vocab_dir=d)


def links(ex, abstract, title="Songs of birds"):
    return link_triples(extract(ex, title, abstract))


def typed(got, kind):
    return {l for l in got if l[1] == kind}


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
