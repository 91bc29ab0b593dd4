"""Link ends that no entity rule found, on sentences written here (names invented; the tests'
vocabulary, tests/fixtures/vocab, knows BERT, LLaMA, Transformer, LoRA, GLUE and a few more)."""

from extracts import extract, link_triples


links = link_triples


def test_a_capitalised_name_after_a_base_cue_is_the_base_and_an_entity(extractor):
    x = extract(extractor, "Birds", "We present Quillo, a toolkit built upon the foundation of the Marrow programming language.")
    assert ("Quillo", "BASED_ON", "Marrow") in links(x)
    assert ("Marrow", "USES") in {(e.name, e.role) for e in x.entities}
    x = extract(extractor, "Birds", "We present Quillo, a song toolkit, and integrate its parser into Marrow, an open tool.")
    assert ("Quillo", "BASED_ON", "Marrow") in links(x)


def test_a_capitalised_modifier_or_phrase_opener_after_a_base_cue_is_no_base(extractor):
    x = extract(extractor, "Birds", "We present Quillo, a toolkit built upon Boolean formulas for songs.")
    assert not {l for l in links(x) if l[1] == "BASED_ON"}
    x = extract(extractor, "Birds", "We present Quillo, a toolkit built upon Existing song parsers.")
    assert not {l for l in links(x) if l[1] == "BASED_ON"}
    assert "Existing" not in {e.name for e in x.entities}


def test_our_own_approach_inside_a_base_cue_is_a_base_of_the_later_system(extractor):
    got = links(extract(extractor, "Birds", "We propose PloverNet for songs. PloverNet sings. We also present WrenKit, "
                                            "an integration of our method into Marrow, an open bird library."))
    assert {("WrenKit", "BASED_ON", "Marrow"), ("WrenKit", "BASED_ON", "PloverNet")} <= got
    got = links(extract(extractor, "Birds", "We propose PloverNet for songs. PloverNet sings. We also present WrenKit, "
                                            "an integration of a known approach into Marrow, an open bird library."))
    assert ("WrenKit", "BASED_ON", "Marrow") in got and ("WrenKit", "BASED_ON", "PloverNet") not in got


def test_a_long_form_with_its_short_form_in_parentheses_links_as_one_entity(extractor):
    # the initials do not spell the short form, but the parenthesis makes the two proposed names one entity
    # (kg.nlp.assemble._merge_proposed), which links under its name
    x = extract(extractor, "Birds", "We further introduce Extended Song LoRA (XSL), where songs are inverted. "
                                    "XSL is faster than LoRA.")
    assert {"Extended Song LoRA", "XSL"} <= set(next(e for e in x.entities if e.name == "Extended Song LoRA").aliases)
    got = links(x)
    assert ("Extended Song LoRA", "BASED_ON", "LoRA") in got and not {h for h, _t, _l in got} - {"Extended Song LoRA"}
    got = links(extract(extractor, "Birds", "We further introduce Extended Song LoRA, where songs are inverted. "
                                            "We also propose XSL, a song tool. LoRA is old."))
    assert ("Extended Song LoRA", "BASED_ON", "LoRA") in got and ("XSL", "BASED_ON", "LoRA") not in got


def test_a_compared_class_of_systems_named_by_its_modifiers_is_a_link_end(extractor):
    x = extract(extractor, "Birds", "We propose PloverNet. PloverNet outperforms current recurrent song models on birds.")
    assert ("PloverNet", "OUTPERFORMS", "recurrent song model") in links(x)
    assert ("recurrent song model", "Model") in {(e.name, e.type) for e in x.entities}
    # a method-like class word after a process noun is dropped; the name inside only modifies it
    got = links(extract(extractor, "Birds", "We propose PloverNet. PloverNet outperforms several state-of-the-art "
                                            "BERT distillation methods on birds."))
    assert ("PloverNet", "OUTPERFORMS", "BERT distillation") in got and ("PloverNet", "OUTPERFORMS", "BERT") not in got
    # "... modeling techniques" and "... models" are one family: one link end
    got = links(extract(extractor, "Birds", "We propose PloverNet. PloverNet outperforms recurrent song modeling "
                                            "techniques and, on birds, beats recurrent song models."))
    assert got == {("PloverNet", "OUTPERFORMS", "recurrent song modeling")}


def test_a_class_subject_compared_with_a_name_is_the_head(extractor):
    got = links(extract(extractor, "Birds", "In our study, convolutional song networks are more accurate than BERT on birds."))
    assert ("convolutional song network", "OUTPERFORMS", "BERT") in got


def test_a_class_subject_opening_a_later_sentence_is_the_head(extractor):
    # the class phrase starts right at its sentence's start, where a search from there sees no "^"
    got = links(extract(extractor, "Birds", "We study songs of birds. Convolutional song networks are more "
                                            "accurate than BERT on birds."))
    assert ("Convolutional song network", "OUTPERFORMS", "BERT") in got


def test_empty_or_unnamed_classes_on_both_sides_are_no_link_ends(extractor):
    x = extract(extractor, "Birds", "We propose PloverNet. PloverNet outperforms existing models on birds.")
    assert not x.links and [e.name for e in x.entities] == ["PloverNet"]
    x = extract(extractor, "Birds", "In our study, the results of the networks are more accurate than BERT on birds.")
    assert not x.links
    x = extract(extractor, "Birds", "Recurrent song networks are more accurate than convolutional song networks.")
    assert not x.links and not x.entities
