from pathlib import Path

import pytest

FIXTURE_VOCAB = Path(__file__).parent / "fixtures" / "vocab"


@pytest.fixture(scope="session")
def extractor():
    from kg.nlp import Extractor

    return Extractor(vocab_dir=FIXTURE_VOCAB)
