"""Constructions that decide whether the paper proposes a name, and what a proposed name is, on
sentences written for these tests (invented names; the tests' small vocabulary, tests/fixtures/vocab)."""

from extracts import extract


def ents(extractor, title, abstract):
    return {e.name: (e.type, e.role) for e in extract(extractor, title, abstract).entities}


# ---------------------------------------------------------------- a title's name typed by its own head noun
def test_a_title_name_ending_in_a_model_head_noun_is_a_proposed_model(extractor):
    x = ents(extractor, "Pebble-Cotes Gravel Networks: On the Time Evolution of Sand", "We study sand.")
    assert x.get("Pebble-Cotes Gravel Networks") == ("Model", "PROPOSES")


def test_a_title_name_without_a_model_head_keeps_the_subtitle_type(extractor):
    x = ents(extractor, "Pebble-Cotes Gravel Sorting: On the Time Evolution of Sand", "We study sand.")
    assert x.get("Pebble-Cotes Gravel Sorting") == ("Method", "PROPOSES")
