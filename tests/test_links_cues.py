"""Link cue families of kg/nlp/links.py, each with a negative case, on sentences written here.

Names are invented (the tests' vocabulary, tests/fixtures/vocab, knows BERT, LLaMA, Transformer,
LoRA, GLUE and a few more); nothing comes from a gold file.
"""

import pytest

from conftest import FIXTURE_VOCAB
from extracts import titled_links


# ---------------------------------------------------------------- OUTPERFORMS
def test_a_speedup_over_a_system_is_a_gain_over_it(extractor):
    got = titled_links(extractor, "Fast birds", "We propose PloverNet. PloverNet achieves a 4x speedup over BERT on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    got = titled_links(extractor, "Fast birds", "We propose PloverNet. PloverNet reaches the speed of BERT on songs.")
    assert not {l for l in got if l[1] == "OUTPERFORMS"}


def test_examples_in_parentheses_are_compared_but_other_parentheses_end_the_list(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet, which outperforms strong baselines (e.g., BERT and LLaMA) on songs.")
    assert {("PloverNet", "OUTPERFORMS", "BERT"), ("PloverNet", "OUTPERFORMS", "LLaMA")} <= got
    got = titled_links(extractor, "Birds", "We propose PloverNet, which outperforms BERT (trained with LLaMA outputs) on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    assert ("PloverNet", "OUTPERFORMS", "LLaMA") not in got


def test_a_name_modifying_a_compared_class_is_not_compared(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet. PloverNet outperforms BERT distillation methods on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") not in got
    got = titled_links(extractor, "Birds", "We propose PloverNet. PloverNet outperforms BERT models on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got


def test_a_plural_pronoun_subject_is_the_previous_sentences_subject(extractor):
    got = titled_links(extractor, "Birds", "PloverNet and WrenFormer are recent song models. They outperform BERT on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    got = titled_links(extractor, "Birds", "They outperform BERT on songs. PloverNet and WrenFormer are recent song models.")
    assert not got


# ---------------------------------------------------------------- BASED_ON
def test_based_off_states_the_base(extractor):
    got = titled_links(extractor, "Birds", "We propose GrebeNet. GrebeNet is based off BERT and sings.")
    assert ("GrebeNet", "BASED_ON", "BERT") in got
    got = titled_links(extractor, "Birds", "We propose GrebeNet. GrebeNet is based on song data and then compared with BERT.")
    assert not {l for l in got if l[1] == "BASED_ON"}


def test_a_name_modifying_another_noun_is_no_base(extractor):
    got = titled_links(extractor, "Birds", "We propose GrebeNet, a simple variant of the LoRA objective for songs.")
    assert ("GrebeNet", "BASED_ON", "LoRA") not in got
    got = titled_links(extractor, "Birds", "We propose GrebeNet, a simple variant of LoRA for songs.")
    assert ("GrebeNet", "BASED_ON", "LoRA") in got


def test_an_anaphoric_subject_is_the_papers_own_contribution(extractor):
    got = titled_links(extractor, "Birds", "We propose GrebeNet for songs. This architecture is built on the Transformer.")
    assert ("GrebeNet", "BASED_ON", "Transformer") in got
    got = titled_links(extractor, "Birds", "We study songs with GrebeNet. Some architecture is built on the Transformer.")
    assert not {l for l in got if l[1] == "BASED_ON"}


def test_a_title_subtitle_names_the_base_of_the_papers_own_name(extractor):
    got = titled_links(extractor, "GrebeNet: A Robust LoRA Framework for Songs", "We test it on bird songs.")
    assert ("GrebeNet", "BASED_ON", "LoRA") in got
    got = titled_links(extractor, "GrebeNet: A Robust Alternative to LoRA for Songs", "We test it on bird songs.")
    assert not {l for l in got if l[1] == "BASED_ON"}
    # a known method that is the subtitle's head says what the name does, not what it is built on
    got = titled_links(extractor, "GrebeNet: Efficient LoRA for Songs", "We test it on bird songs.")
    assert not {l for l in got if l[1] == "BASED_ON"}


def test_an_acronym_extending_a_known_acronym_is_based_on_it(extractor):
    got = titled_links(extractor, "Birds", "We propose QBERT for songs and compare it with BERT.")
    assert ("QBERT", "BASED_ON", "BERT") in got
    got = titled_links(extractor, "Birds", "We propose QBRT for songs and compare it with BERT.")
    assert not {l for l in got if l[1] == "BASED_ON"}


# ---------------------------------------------------------------- TRAINED_ON
def test_trained_on_reaches_over_a_few_words_but_not_over_another_verb(extractor):
    got = titled_links(extractor, "Birds", "We propose SwiftLM. SwiftLM is pre-trained with a large batch size on GLUE.")
    assert ("SwiftLM", "TRAINED_ON", "GLUE") in got
    got = titled_links(extractor, "Birds", "We propose SwiftLM. SwiftLM is trained briefly and evaluated on GLUE.")
    assert not {l for l in got if l[1] == "TRAINED_ON"}


# ---------------------------------------------------------------- more constructions
def test_the_superiority_of_x_over_y_names_the_head_inside_the_cue(extractor):
    got = titled_links(extractor, "Birds", "Experiments show the superiority of PloverNet over BERT on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    got = titled_links(extractor, "Birds", "Experiments show the superiority of song data for BERT on songs.")
    assert not {l for l in got if l[1] == "OUTPERFORMS"}


def test_a_version_of_a_known_name_is_based_on_it_but_prior_adaptations_are_not(extractor):
    got = titled_links(extractor, "Birds", "We propose GrebeNet. GrebeNet is a simple diagonal version of LLaMA for songs.")
    assert ("GrebeNet", "BASED_ON", "LLaMA") in got
    got = titled_links(extractor, "Birds", "We propose GrebeNet, which rivals prior adaptations of LLaMA for songs.")
    assert not {l for l in got if l[1] == "BASED_ON"}


def test_a_name_right_before_a_base_cue_is_its_head_when_nothing_proposed_is(extractor):
    got = titled_links(extractor, "Birds", "A recent architecture, WrenFormer, based on the Transformer, sings well.")
    assert ("WrenFormer", "BASED_ON", "Transformer") in got
    # a verb after the base ("... based on the Transformer has ...") does not make it a modifier
    got = titled_links(extractor, "Birds", "WrenFormer, an architecture based on the Transformer has emerged for songs.")
    assert ("WrenFormer", "BASED_ON", "Transformer") in got
    got = titled_links(extractor, "Birds", "WrenFormer sings well on songs, and many models are based on the Transformer.")
    assert not {l for l in got if l[1] == "BASED_ON"}


def test_a_hybrid_of_two_known_names_is_based_on_both(extractor):
    got = titled_links(extractor, "Birds", "We propose GrebeNet, a hybrid BERT-LLaMA model. BERT and LLaMA are strong.")
    assert {("GrebeNet", "BASED_ON", "BERT"), ("GrebeNet", "BASED_ON", "LLaMA")} <= got
    # a hyphenated name whose parts are not both names of the paper stays one base
    got = titled_links(extractor, "Birds", "We propose GrebeNet, a hybrid BERT-Wren model for songs.")
    assert ("GrebeNet", "BASED_ON", "LLaMA") not in got and ("GrebeNet", "BASED_ON", "Wren") not in got


def test_integrating_or_replacing_with_a_known_name_makes_it_a_base(extractor):
    got = titled_links(extractor, "Birds", "We propose GrebeNet. GrebeNet integrates LoRA adapters with song memories.")
    assert ("GrebeNet", "BASED_ON", "LoRA") in got
    got = titled_links(extractor, "Birds", "We propose GrebeNet, which replaces all dense attention blocks of the song encoder with LoRA.")
    assert ("GrebeNet", "BASED_ON", "LoRA") in got
    # an acronym in parentheses inside the replaced part does not end the cue
    got = titled_links(extractor, "Birds", "We propose GrebeNet, which replaces the dense song block (DSB) with LoRA.")
    assert ("GrebeNet", "BASED_ON", "LoRA") in got
    got = titled_links(extractor, "Birds", "We propose GrebeNet. Its song memories are replaced every day, unlike LoRA.")
    assert not {l for l in got if l[1] == "BASED_ON"}


def test_a_common_noun_name_heading_an_unnamed_phrase_is_not_compared(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet. PloverNet is 3x faster than BERT knowledge distillation.")
    assert ("PloverNet", "OUTPERFORMS", "knowledge distillation") not in got
    got = titled_links(extractor, "Birds", "We propose PloverNet. PloverNet is 3x faster than standard knowledge distillation.")
    assert ("PloverNet", "OUTPERFORMS", "knowledge distillation") in got


def test_the_model_a_paper_fine_tunes_is_the_base_of_its_own(extractor):
    got = titled_links(extractor, "SwiftLM: Birds", "We propose SwiftLM. To build it, we fine-tune LLaMA on GLUE.")
    assert {("SwiftLM", "BASED_ON", "LLaMA"), ("SwiftLM", "TRAINED_ON", "GLUE")} <= got
    # training a known architecture from scratch is no fine-tuning of a trained one
    got = titled_links(extractor, "SwiftLM: Birds", "We propose SwiftLM. To build it, we train LLaMA on GLUE.")
    assert ("SwiftLM", "BASED_ON", "LLaMA") not in got


# ---------------------------------------------------------------- subjects and served names
def test_a_named_subject_right_before_a_base_cue_wins_over_the_papers_own(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet for songs. Our song model uses BERT, and BERT is a small version of LLaMA.")
    assert ("BERT", "BASED_ON", "LLaMA") in got and ("PloverNet", "BASED_ON", "LLaMA") not in got
    # with other words between them, the name is not the cue's subject and the paper's own is
    got = titled_links(extractor, "Birds", "We propose PloverNet for songs. Our model, unlike BERT in songs, is a small version of LLaMA.")
    assert ("PloverNet", "BASED_ON", "LLaMA") in got and ("BERT", "BASED_ON", "LLaMA") not in got


def test_a_bare_it_or_this_subject_is_the_previous_sentences_subject(extractor):
    got = titled_links(extractor, "Birds", "PloverNet is a small song model. It outperforms BERT on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    # "This is ..." speaks of a finding, not of the previous subject
    got = titled_links(extractor, "Birds", "PloverNet is a small song model. This is faster than BERT on songs.")
    assert not got


def test_a_capitalised_name_after_a_comparison_is_the_compared_system(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet. PloverNet is two orders of magnitude faster than Marrow and uses less memory.")
    assert ("PloverNet", "OUTPERFORMS", "Marrow") in got
    got = titled_links(extractor, "Birds", "We propose PloverNet. PloverNet is faster than Table 3 suggests for songs.")
    assert not got


def test_a_name_a_system_serves_is_not_its_base(extractor):
    got = titled_links(extractor, "Birds", "We present SongLoRA, a song method that sings; LoRA is old.")
    assert ("SongLoRA", "BASED_ON", "LoRA") in got
    got = titled_links(extractor, "Birds", "We present SongLoRA, an inference engine tailored for LoRA adapters on phones.")
    assert ("SongLoRA", "BASED_ON", "LoRA") not in got
    got = titled_links(extractor, "Birds", "We present SongLoRA, a fast LoRA fine-tuning system for phones.")
    assert ("SongLoRA", "BASED_ON", "LoRA") not in got


def test_a_name_heading_a_class_of_systems_is_not_compared(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet. Compared with BERT, PloverNet is 3x faster.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    got = titled_links(extractor, "Birds", "We propose PloverNet. Compared with existing BERT systems, PloverNet is 3x faster.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") not in got


def test_a_passive_outperformed_by_reverses_the_link(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet. On songs, BERT is outperformed by PloverNet.")
    assert got == {("PloverNet", "OUTPERFORMS", "BERT")}
    got = titled_links(extractor, "Birds", "We propose PloverNet. On songs, PloverNet outperformed BERT by a wide margin.")
    assert got == {("PloverNet", "OUTPERFORMS", "BERT")}


def test_a_plural_noun_a_base_cue_describes_is_not_the_papers_own(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet. We apply our method to three sand grids inspired by BERT for songs.")
    assert ("PloverNet", "BASED_ON", "BERT") not in got
    # a class word ("models") is the paper's own
    got = titled_links(extractor, "Birds", "We propose PloverNet. We apply our method to songs and design models based on BERT for birds.")
    assert ("PloverNet", "BASED_ON", "BERT") in got


def test_the_names_opening_a_comparisons_clause_are_its_heads(extractor):
    got = titled_links(extractor, "Birds", "We propose PloverNet. We show that BERT and LLaMA consistently outperform WrenFormer on songs.")
    assert got == {("BERT", "OUTPERFORMS", "WrenFormer"), ("LLaMA", "OUTPERFORMS", "WrenFormer")}
    # a name inside another phrase is no subject: the paper's own entity is
    got = titled_links(extractor, "Birds", "We propose PloverNet. The speed of our tool for BERT surpasses WrenFormer on songs.")
    assert got == {("PloverNet", "OUTPERFORMS", "WrenFormer")}
    got = titled_links(extractor, "Birds", "We propose PloverNet. PloverNet, trained with BERT data, outperforms WrenFormer on songs.")
    assert got == {("PloverNet", "OUTPERFORMS", "WrenFormer")}


# ---------------------------------------------------------------- clause ends, class words, subjects
# (abstract, a link that must be found or None, a link that must not be)
CLAUSE_CASES = [
    # a means ("using", "through") ends the list of compared systems; "and" does not
    ("We propose PloverNet. PloverNet outperforms BERT using LoRA adapters on songs.",
     ("PloverNet", "OUTPERFORMS", "BERT"), ("PloverNet", "OUTPERFORMS", "LoRA")),
    ("We propose PloverNet. PloverNet surpasses BERT through knowledge distillation on songs.",
     ("PloverNet", "OUTPERFORMS", "BERT"), ("PloverNet", "OUTPERFORMS", "knowledge distillation")),
    ("We propose PloverNet. PloverNet outperforms BERT and LoRA on songs.",
     ("PloverNet", "OUTPERFORMS", "LoRA"), None),
    # a participle after a comma speaks of its clause's first name, not of the nearest one
    ("Our experiments show that PloverNet works well on BERT and LLaMA features, outperforming LoRA in many cases.",
     ("PloverNet", "OUTPERFORMS", "LoRA"), ("LLaMA", "OUTPERFORMS", "LoRA")),
    ("PloverNet is small; we find that LLaMA works well on songs, outperforming LoRA in many cases.",
     ("LLaMA", "OUTPERFORMS", "LoRA"), ("PloverNet", "OUTPERFORMS", "LoRA")),
    # the data a model is trained on ends with the cue's clause; a measure names no training data
    ("Our SwiftLM, trained on GLUE with LLaMA, achieves 90% accuracy on MATH.",
     ("SwiftLM", "TRAINED_ON", "GLUE"), ("SwiftLM", "TRAINED_ON", "MATH")),
    ("Our SwiftLM, trained on GLUE and MATH, sings.", ("SwiftLM", "TRAINED_ON", "MATH"), None),
    ("We propose SwiftLM. SwiftLM obtains a 2x speedup over LLaMA in pretraining throughput on GLUE.",
     ("SwiftLM", "OUTPERFORMS", "LLaMA"), ("LLaMA", "TRAINED_ON", "GLUE")),
    # a class word is no side of a comparison; a name is
    ("Frontier WrenFormers surpass BERT on songs.", ("WrenFormers", "OUTPERFORMS", "BERT"), None),
    # a known name joined after the coinage's own word is its base; one joined before it is what the
    # coinage works on ("a BERT-Probe probes BERT")
    ("We propose Wren-BERT for songs; BERT is old.", ("Wren-BERT", "BASED_ON", "BERT"), None),
    ("We propose BERT-Probe for songs; BERT is old.", None, ("BERT-Probe", "BASED_ON", "BERT")),
]


@pytest.mark.parametrize(("abstract", "present", "absent"), CLAUSE_CASES)
def test_a_comparisons_clause_and_subject(extractor, abstract, present, absent):
    got = titled_links(extractor, "Birds", abstract)
    if present is not None:
        assert present in got
    if absent is not None:
        assert absent not in got


@pytest.fixture(scope="module")
def class_extractor(tmp_path_factory):
    """The tests' vocabulary plus a generic model class ("large language model", "LLMs") and a named
    family written as a class acronym ("MLPs")."""
    from kg.nlp import Extractor

    d = tmp_path_factory.mktemp("class-vocab")
    for f in FIXTURE_VOCAB.glob("*.tsv"):
        (d / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    with (d / "models.tsv").open("a", encoding="utf-8") as fh:
        fh.write("large language model\tLLM|LLMs\nmultilayer perceptron\tMLP|MLPs\n")
    return Extractor(vocab_dir=d)


@pytest.mark.parametrize(("abstract", "named"), [
    ("Frontier LLMs surpass BERT on songs.", ("WrenFormer", "OUTPERFORMS", "BERT")),
    ("We propose PloverNet. PloverNet yields 3% gains over the base LLMs on songs.",
     ("PloverNet", "OUTPERFORMS", "BERT")),
])
def test_a_class_word_is_no_side_of_a_comparison(class_extractor, abstract, named):
    got = titled_links(class_extractor, "Birds", abstract)
    assert not {l for l in got if "Large language model" in (l[0], l[2]) or "LLMs" in (l[0], l[2])}
    # the same sentence with a name in the class word's place states the link
    got = titled_links(class_extractor, "Birds", abstract.replace("Frontier LLMs", "WrenFormer").replace("the base LLMs", "BERT"))
    assert named in got


def test_a_coinage_whose_joined_word_is_no_name_of_the_paper_has_no_base(extractor):
    assert not titled_links(extractor, "Birds", "We propose Plover-Wren for songs; BERT is old.")


def test_a_family_written_as_a_class_acronym_is_a_side_of_a_comparison(class_extractor):
    got = titled_links(class_extractor, "Birds", "We propose PloverNet. PloverNet is more parameter-efficient than MLPs on songs.")
    assert ("PloverNet", "OUTPERFORMS", "MLPs") in got or ("PloverNet", "OUTPERFORMS", "multilayer perceptron") in got


@pytest.mark.parametrize(("abstract", "expected"), [
    ("We present a simple solution using a revised LoRA formulation that we call Magpie Scaling (MS).",
     {("Magpie Scaling", "BASED_ON", "LoRA")}),
    ("We present a simple solution using a revised LoRA formulation, called Magpie Scaling (MS).",
     {("Magpie Scaling", "BASED_ON", "LoRA")}),
    # no known name in the description: nothing to base the name on
    ("We present a simple solution using a revised formulation that we call Magpie Scaling (MS).", set()),
])
def test_a_known_name_in_the_description_a_naming_cue_names_is_its_base(extractor, abstract, expected):
    assert titled_links(extractor, "Birds", abstract) == expected


# ---------------------------------------------------------------- who a comparison is about, when no name is proposed
@pytest.mark.parametrize(("abstract", "wrong"), [
    # another clause with its own subject stands between the name and the comparison
    ("For LoRA, we also find that warm starts lead to higher accuracy than knowledge distillation.",
     ("LoRA", "OUTPERFORMS", "knowledge distillation")),
    ("When applied to BERT distilled models, our method performs well, enabling small models to outperform LLaMA on songs.",
     ("BERT", "OUTPERFORMS", "LLaMA")),
    # a name that only modifies a class of systems is no subject
    ("Our results show that WrenNet outperforms current LoRA methods by a wide margin, and attains a gain of 27% "
     "compared to knowledge distillation.", ("LoRA", "OUTPERFORMS", "knowledge distillation")),
    # a cue word inside a name ("hybrid song networks") is no cue
    ("We propose PloverNet, a song framework with hybrid song networks (HSNs) as drop-in replacements of BERT layers.",
     ("PloverNet", "BASED_ON", "hybrid song network")),
])
def test_a_name_that_is_not_the_comparisons_subject_is_no_head(extractor, abstract, wrong):
    assert wrong not in titled_links(extractor, "Birds", abstract)


@pytest.mark.parametrize(("abstract", "expected"), [
    ("Our results show that WrenNet attains a gain of 27% compared to knowledge distillation.",
     ("WrenNet", "OUTPERFORMS", "knowledge distillation")),
    ("We propose PloverNet, a hybrid of BERT and LLaMA for songs.", ("PloverNet", "BASED_ON", "LLaMA")),
])
def test_the_nearest_name_or_a_cue_outside_names_still_links(extractor, abstract, expected):
    assert expected in titled_links(extractor, "Birds", abstract)


@pytest.mark.parametrize(("abstract", "bases"), [
    # known names joined in a hybrid's name are its bases when the paper also writes them on their own
    ("We propose PloverNet, a family of hybrid BERT-Transformer models for songs. It keeps some Transformer "
     "layers and adds BERT blocks.", {"BERT", "Transformer"}),
    # written only inside the joined name, the hybrid stays one base
    ("We propose PloverNet, a family of hybrid BERT-Transformer models for songs.", {"BERT-Transformer"}),
])
def test_the_known_parts_of_a_hybrids_name_are_its_bases(extractor, abstract, bases):
    got = titled_links(extractor, "Birds", abstract)
    assert {l[2] for l in got if l[0] == "PloverNet" and l[1] == "BASED_ON"} == bases
