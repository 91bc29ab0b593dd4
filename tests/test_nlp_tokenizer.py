"""The pipeline's tokenizer is tuned for speed (kg.nlp.pipeline.make_fast_tokenizer) but must split
every text exactly as spaCy's blank English tokenizer does: the vocabulary matcher's results, and
so every output byte, depend on the tokens. Its vocabulary computes only the lexeme attributes the
components read (kg.nlp.pipeline.LEXEME_ATTRS): extracting with all of them gives the same papers."""

import random

import spacy
from spacy.attrs import IDX, LOWER, ORTH, SPACY

from kg.build import SAMPLES_DIR
from kg.nlp import Extractor, to_json
from kg.nlp import pipeline
from kg.nlp.pipeline import build_pipeline
from kg.sources import ReadReport, read_inputs

# invented fragments: whitespace around the title/abstract newline, spaCy's special cases
# (contractions, abbreviations with dots, emoticons, dashes), affixes, URLs
_PIECES = ["\n", " ", "\n\n", " \n", "\n ", "\t", "\xa0", "a", "Net", "(", ")", ".", ",", '"', "-", "/",
           "e.g.", "i.e.", "vs.", "U.S.", ":)", "—", "’", "'s", "don't", "cannot", "FooNet-2", "x\ny",
           "http://example.org/a"]
# the split (text, offsets, trailing space) and LOWER, which the vocabulary matcher reads; not NORM,
# SHAPE … which the pipeline's vocabulary does not compute (test_extraction_is_the_same_…)
_ATTRS = [ORTH, LOWER, SPACY, IDX]


def test_pipeline_tokenizer_splits_every_text_like_spacys_blank_english_tokenizer():
    reference = spacy.blank("en").tokenizer
    nlp = build_pipeline()  # the tokenizer the extractor runs
    rnd = random.Random(12)
    texts = ["Title of a paper\nWe propose FooNet (e.g. for vision) — it doesn't need labels :) See U.S. data."]
    texts += ["".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 12))) for _ in range(20000)]
    for _ in range(2):  # the second round is served from the tokenizer's cache
        for text in texts:
            got = nlp.tokenizer(text).to_array(_ATTRS).tolist()
            assert got == reference(text).to_array(_ATTRS).tolist(), repr(text)


def test_extraction_is_the_same_with_every_lexeme_attribute_spacy_computes(monkeypatch):
    """The pipeline's vocabulary computes only LEXEME_ATTRS for each new word; a component that read
    another (is_stop, like_num, shape …) would see spaCy's default for it and extract otherwise."""
    records = list(read_inputs([SAMPLES_DIR], report=ReadReport()))
    trimmed = [to_json(ex) for ex in Extractor().extract_many(records)]
    monkeypatch.setattr(pipeline, "keep_lexeme_attrs", lambda vocab: None)
    full = Extractor()
    assert len(full.nlp.vocab.lex_attr_getters) > len(pipeline.LEXEME_ATTRS)  # spaCy's whole set this time
    assert [to_json(ex) for ex in full.extract_many(records)] == trimmed
