"""Head nouns that class a phrase as a technique (patterns.toml [terms] method_heads): "lookup" and
"linearization" name something done ("a pebble lookup", "a gravel linearization"). Invented sentences."""

import pytest
from extracts import extract


def methods(x):
    return {e.name for e in x.entities if e.type == "Method"}


@pytest.mark.parametrize("abstract, name", [
    ("We show that an approximate pebble lookup into a memory improves sorting.", "pebble lookup"),
    ("We show that a gravel linearization helps the sorter.", "gravel linearization"),
])
def test_lookup_and_linearization_head_a_technique(extractor, abstract, name):
    assert name in methods(extract(extractor, "Sand", abstract))


def test_a_lookup_table_or_a_ruled_phrase_is_no_technique(extractor):
    x = extract(extractor, "Sand", "The sorter keeps a lookup table and obeys a simple sorting rule.")
    assert not {n for n in methods(x) if n.endswith(("lookup", "rule"))}
