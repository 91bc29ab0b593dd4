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


# ---------------------------------------------------------------- a title's "via X": the paper's own or a common technique
def test_a_title_means_the_abstract_writes_as_a_common_noun_is_used(extractor):
    x = ents(extractor, "Pebble Sorting via Global Hashing",
             "The convergence of global hashing is studied. Sorting follows from global hashing.")
    assert x.get("Global Hashing") == ("Method", "USES")


def test_a_title_means_the_abstract_names_in_its_own_voice_is_proposed(extractor):
    x = ents(extractor, "Pebble Sorting via Global Hashing", "We introduce a sorter that relies on global hashing.")
    assert x.get("Global Hashing") == ("Method", "PROPOSES")
    x = ents(extractor, "Pebble Sorting via Global Hashing", "Sorting is hard for gravel.")
    assert x.get("Global Hashing") == ("Method", "PROPOSES")


def test_a_title_means_that_of_continues_is_no_technique_name(extractor):
    x = ents(extractor, "Deep Sorters via Compositions of Small Gravel Networks", "We prove bounds.")
    assert "Compositions" not in x


# ---------------------------------------------------------------- another work's contribution
def test_a_name_another_work_has_proposed_is_used(extractor):
    x = ents(extractor, "Small models", "Recent work has proposed PloverNet, a novel sorting network. PloverNet is slow.")
    assert x.get("PloverNet") == ("Model", "USES")
    x = ents(extractor, "Small models", "Doe et al. (2021) introduced PloverNet, a new network for sorting.")
    assert x.get("PloverNet") == ("Model", "USES")


def test_a_name_the_paper_has_developed_is_proposed(extractor):
    x = ents(extractor, "Small models", "In this paper we have developed PloverNet, a new network for sorting.")
    assert x.get("PloverNet") == ("Model", "PROPOSES")


def test_a_known_name_apposed_to_a_new_thing_outside_the_papers_voice_is_used(extractor):
    x = ents(extractor, "Small models", "With the advent of LLaMA, a new wave of sorting methods has emerged.")
    assert x.get("LLaMA") == ("Model", "USES")
    x = ents(extractor, "Small models", "In our work, LLaMA, a new family of sorters, is introduced.")
    assert x.get("LLaMA") == ("Model", "PROPOSES")


# ---------------------------------------------------------------- where the proposed object ends
def test_a_name_the_proposed_object_relates_to_is_not_proposed(extractor):
    x = ents(extractor, "Small models", "We curate a dataset of 500 graphs covering the whole QRV parameter space.")
    assert x.get("QRV", (None, None))[1] != "PROPOSES"
    x = ents(extractor, "Small models", "We introduce the first sorting benchmark spanning pebbles and GRVs.")
    assert x.get("GRVs", (None, None))[1] != "PROPOSES"


def test_the_proposed_object_itself_is_still_proposed(extractor):
    x = ents(extractor, "Small models", "We introduce PloverBench, a benchmark of pebble sorting.")
    assert x.get("PloverBench") == ("Dataset", "PROPOSES")


def test_a_quantity_noun_opening_the_object_is_no_part_of_its_name(extractor):
    x = ents(extractor, "Small models", "We introduce a class of gravel pruning techniques for small models.")
    assert not any(n.startswith("class") for n in x)
    x = ents(extractor, "Small models", "We introduce a family of gravel pruning techniques for small models.")
    assert x.get("gravel pruning") == ("Method", "PROPOSES")


def test_a_single_letter_is_never_a_proposed_name(extractor):
    x = ents(extractor, "Small models", "We curate a dataset of 600K lines of F* programs and proofs.")
    assert "F" not in x


# ---------------------------------------------------------------- titles that study what they name
def test_a_coinage_in_a_title_that_asks_or_revisits_is_studied(extractor):
    for title in ("Are PloverNets Robust to Gravel?", "Revisiting PloverNet for Pebble Sorting",
                  "Sorting with PloverNet vs. SiskinNet"):
        x = ents(extractor, title, "We study PloverNet under gravel noise.")
        assert x.get("PloverNet", x.get("PloverNets")) == ("Model", "USES"), title


def test_a_coinage_in_a_plain_title_is_proposed(extractor):
    x = ents(extractor, "PloverNet Rediscovers the Classical Gravel Pipeline", "We find that PloverNet sorts gravel.")
    assert x.get("PloverNet") == ("Model", "PROPOSES")
    x = ents(extractor, "Are PloverNets Robust to Gravel?", "We introduce PloverNets, a new family of sorters.")
    assert x.get("PloverNets", (None, None))[1] == "PROPOSES"


# ---------------------------------------------------------------- "we describe / open-source X": new names only
def test_a_new_name_the_paper_describes_or_open_sources_is_proposed(extractor):
    for verb in ("describe", "open-source"):
        x = ents(extractor, "Small models", f"In this paper, we {verb} PloverNet, a system for sorting pebbles.")
        assert x.get("PloverNet", (None, None))[1] == "PROPOSES", verb


def test_a_known_name_the_paper_describes_is_used(extractor):
    x = ents(extractor, "Small models", "We describe BERT and how it sorts pebbles.")
    assert x.get("BERT") == ("Model", "USES")
    x = ents(extractor, "Small models", "We describe how PloverNet sorts pebbles. PloverNet is old.")
    assert x.get("PloverNet", (None, None))[1] != "PROPOSES"


# ---------------------------------------------------------------- "the proposed X"
def test_a_coinage_after_the_proposed_is_the_papers_own(extractor):
    x = ents(extractor, "Small models", "We sort pebbles. Experiments show that the proposed PloverNet outperforms BERT.")
    assert x.get("PloverNet") == ("Model", "PROPOSES")
    assert x.get("BERT") == ("Model", "USES")


def test_a_known_name_after_the_proposed_is_not_made_the_papers_own(extractor):
    x = ents(extractor, "Small models", "We sort pebbles. The proposed BERT baseline is strong.")
    assert x.get("BERT") == ("Model", "USES")


def test_the_means_of_a_title_named_after_the_papers_own_system_is_used(extractor):
    x = ents(extractor, "PloverNet: Robust Pebble Sorting via Gravel Hashing", "We sort pebbles well.")
    assert x.get("PloverNet", (None, None))[1] == "PROPOSES"
    assert x.get("Gravel Hashing") == ("Method", "USES")
    x = ents(extractor, "Robust Pebble Sorting via Gravel Hashing", "We sort pebbles well.")
    assert x.get("Gravel Hashing") == ("Method", "PROPOSES")


# ---------------------------------------------------------------- acronym definitions
def test_a_lower_case_acronym_definition_in_the_papers_voice_is_proposed(extractor):
    x = ents(extractor, "Small models", "We introduce quail grid sorting (QGS), a technique for pebbles.")
    assert x.get("quail grid sorting", (None, None))[1] == "PROPOSES"


def test_title_case_names_defined_by_a_paper_that_proposes_are_its_parts(extractor):
    abstract = ("We propose PloverNet for pebble sorting. The search is steered by gravel noise and a Gravel "
                "Deviation Unit (GDU).")
    x = ents(extractor, "Small models", abstract)
    assert x.get("PloverNet", (None, None))[1] == "PROPOSES"
    assert x.get("Gravel Deviation Unit", (None, None))[1] == "PROPOSES"


def test_title_case_names_defined_by_a_paper_that_proposes_nothing_are_used(extractor):
    x = ents(extractor, "Small models", "Sorting is studied. The Gravel Deviation Unit (GDU) is fast on pebbles.")
    assert x.get("Gravel Deviation Unit", (None, None))[1] != "PROPOSES"


def test_a_defined_name_after_a_usage_word_is_used(extractor):
    abstract = "We propose PloverNet for pebble sorting. It is a filter using the Gravel Deviation Unit (GDU)."
    x = ents(extractor, "Small models", abstract)
    assert x.get("Gravel Deviation Unit", (None, None))[1] != "PROPOSES"


def test_a_proposed_lower_case_name_ending_in_a_model_head_noun_is_a_model(extractor):
    x = ents(extractor, "Small models", "We propose a novel pebble sorting network (PSN) that outperforms BERT.")
    assert x.get("pebble sorting network") == ("Model", "PROPOSES")
    x = ents(extractor, "Small models", "We propose a novel pebble sorting scheme (PSS) that outperforms BERT.")
    assert x.get("pebble sorting scheme") == ("Method", "PROPOSES")


# ---------------------------------------------------------------- a title that opens with a new architecture
def test_a_title_opening_with_a_title_case_architecture_name_proposes_it(extractor):
    x = ents(extractor, "Gated Pebble Transformers for Sorting", "We study sorting with a new architecture.")
    assert x.get("Gated Pebble Transformers") == ("Model", "PROPOSES")


def test_a_lower_case_architecture_phrase_later_in_a_title_is_not_proposed(extractor):
    x = ents(extractor, "Sorting with gated pebble transformers", "We study sorting with gated pebble transformers.")
    assert all(role != "PROPOSES" for _t, role in x.values())


# ---------------------------------------------------------------- a known name the proposal acts on
def test_a_gerund_before_a_known_name_in_a_propose_clause_is_no_variant_of_it(extractor):
    x = ents(extractor, "Small models", "We propose pruning BERT with LoRA on pebbles.")
    assert x.get("BERT") == ("Model", "USES")
    assert not any(n.startswith("pruning") for n in x)


def test_a_modifier_before_a_known_name_in_a_propose_clause_is_the_papers_variant(extractor):
    x = ents(extractor, "Small models", "We propose memory-light LoRA for pebbles.")
    assert x.get("memory-light LoRA") == ("Method", "PROPOSES")


# ---------------------------------------------------------------- the title colon's name
def test_a_leading_article_is_no_part_of_the_title_colons_name(extractor):
    x = ents(extractor, "The Pebble Skip Graph: A Fault-Tolerant Relay Structure",
             "We present a data structure, which we call the pebble skip graph.")
    assert x.get("Pebble Skip Graph", (None, None))[1] == "PROPOSES"
    assert not any(n.startswith("The ") for n in x)


# ---------------------------------------------------------------- a list the propose clause announces
def test_a_purpose_clause_with_its_own_list_may_stand_before_the_announced_items(extractor):
    x = ents(extractor, "Small models", "We introduce two novel techniques to enhance speed, memory and accuracy, "
                                        "such as gravel extension and pebble folding.")
    assert x.get("gravel extension") == ("Method", "PROPOSES")
    assert x.get("pebble folding") == ("Method", "PROPOSES")
