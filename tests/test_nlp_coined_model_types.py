"""A coined or known name the paper proposes keeps the Model type its own form gives it (issue #13 item 5):
a title head that is a model-class phrase ("... Networks: ...") or that the vocabulary knows as a Model, and a
one-token long form with a model suffix before its acronym ("FooNormerLLM (FNL)"). Invented sentences."""

from extracts import extract


def typed(x):
    return {e.name: e.type for e in x.entities}


def test_a_title_head_ending_in_a_model_class_noun_is_a_model(extractor):
    x = extract(extractor, "Pebble Time-warped Networks: Sorting Sand Faster", "Pebble Time-warped Networks sort sand.")
    assert typed(x).get("Pebble Time-warped Networks") == "Model"
    # a head ending in a technique noun takes the subtitle's type, as before
    x = extract(extractor, "Pebble Time-warped Sorting: Sorting Sand Faster", "Pebble Time-warped Sorting sorts sand.")
    assert typed(x).get("Pebble Time-warped Sorting") == "Method"


def test_a_coined_long_form_with_a_model_suffix_is_a_model(extractor):
    x = extract(extractor, "Sand", "To sort faster, we introduce GravelNormerLLM (GNL), tailored to pebbles. GNL sorts sand.")
    assert typed(x).get("GravelNormerLLM") == "Model"
    x = extract(extractor, "Sand", "To sort faster, we introduce GravelSearch (GS), tailored to pebbles. GS sorts sand.")
    assert typed(x).get("GravelSearch") == "Method"
