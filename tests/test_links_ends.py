"""Link ends that no entity rule found, on sentences written here (names invented; the tests'
vocabulary, tests/fixtures/vocab, knows BERT, LLaMA, Transformer, LoRA, GLUE and a few more)."""

from kg.types import PaperRecord


def extract(extractor, title, abstract):
    return extractor.extract(PaperRecord(id="t", title=title, abstract=abstract))


def links(x):
    return {(l.head, l.type, l.tail) for l in x.links}


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
                                            "an integration of our approach into Marrow, an open bird library."))
    assert {("WrenKit", "BASED_ON", "Marrow"), ("WrenKit", "BASED_ON", "PloverNet")} <= got
    got = links(extract(extractor, "Birds", "We propose PloverNet for songs. PloverNet sings. We also present WrenKit, "
                                            "an integration of a known approach into Marrow, an open bird library."))
    assert ("WrenKit", "BASED_ON", "Marrow") in got and ("WrenKit", "BASED_ON", "PloverNet") not in got


def test_a_long_form_with_its_short_form_in_parentheses_links_as_the_short_form(extractor):
    # the initials do not spell the short form, so the entity rules keep two proposed entities
    got = links(extract(extractor, "Birds", "We further introduce Extended Song LoRA (XSL), where songs are inverted. "
                                            "XSL is faster than LoRA."))
    assert ("XSL", "BASED_ON", "LoRA") in got
    assert ("Extended Song LoRA", "BASED_ON", "LoRA") not in got
    got = links(extract(extractor, "Birds", "We further introduce Extended Song LoRA, where songs are inverted. "
                                            "We also propose XSL, a song tool. LoRA is old."))
    assert ("Extended Song LoRA", "BASED_ON", "LoRA") in got and ("XSL", "BASED_ON", "LoRA") not in got
