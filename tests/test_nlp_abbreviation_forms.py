"""Acronym definitions the Schwartz & Hearst match alone misses (kg/nlp/abbreviations.py): a digit inside
the short form that stands for a word or a square ("E2PC", "L2S"), and a long form cut before the short
form's first part ("an activation space Pebble KAN (F-KAN)", named by its short form). Invented sentences."""

from extracts import extract

from kg.nlp.abbreviations import find_abbreviations


def pairs(text):
    return {(a.short, a.long, a.by_short) for a in find_abbreviations(text)}


def test_a_digit_in_the_short_form_need_not_be_in_the_long_form():
    assert ("E2PC", "energy-efficient pebble convolution", False) in pairs(
        "We present the energy-efficient pebble convolution (E2PC) module.")
    assert ("L2S", "Learning to Sort", False) in pairs("We study Learning to Sort (L2S) here.")
    # the letters must still be there
    assert not pairs("We present the pebble convolution (E2PC) module.")


def test_a_long_form_ending_in_the_short_form_s_last_part_is_named_by_the_short_form(extractor):
    assert ("F-KAN", "activation space Pebble KAN", True) in pairs(
        "We propose an activation space Pebble KAN (F-KAN) for sand.")
    x = extract(extractor, "Sand", "We propose an activation space Pebble KAN (F-KAN) for sand. F-KAN sorts well.")
    e = next(e for e in x.entities if e.name == "F-KAN")
    assert "activation space Pebble KAN" in {m.text for m in e.mentions}
    # the last part must be the phrase's last word, and the phrase at least two words
    assert not pairs("We propose a Pebble sorter (F-KAN) for sand.")
    assert not pairs("We propose KAN (F-KAN) for sand.")
