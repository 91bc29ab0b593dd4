"""The pipeline's tokenizer is tuned for speed (kg.nlp.pipeline.make_fast_tokenizer) but must split
every text exactly as spaCy's blank English tokenizer does: the vocabulary matcher's results, and
so every output byte, depend on the tokens."""

import random

import spacy
from spacy.attrs import IDX, LOWER, NORM, ORTH, SPACY

from kg.nlp.pipeline import build_pipeline

# invented fragments: whitespace around the title/abstract newline, spaCy's special cases
# (contractions, abbreviations with dots, emoticons, dashes), affixes, URLs
_PIECES = ["\n", " ", "\n\n", " \n", "\n ", "\t", "\xa0", "a", "Net", "(", ")", ".", ",", '"', "-", "/",
           "e.g.", "i.e.", "vs.", "U.S.", ":)", "—", "’", "'s", "don't", "cannot", "FooNet-2", "x\ny",
           "http://example.org/a"]
_ATTRS = [ORTH, LOWER, NORM, SPACY, IDX]


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
