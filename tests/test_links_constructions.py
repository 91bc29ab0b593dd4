"""Link cue constructions added after an ablation by numbers, each with negative cases, on sentences
written here (names invented; the tests' vocabulary, tests/fixtures/vocab, knows BERT, LLaMA,
Transformer, LoRA, GLUE, MATH, ImageNet and a few more). Nothing comes from a gold file."""

from conftest import FIXTURE_VOCAB
from extracts import links, typed


# ---------------------------------------------------------------- TRAINED_ON
def test_a_model_trained_with_or_using_a_dataset_is_trained_on_it(extractor):
    got = links(extractor, "We propose SwiftLM. A SwiftLM model was trained with GLUE to sing.")
    assert ("SwiftLM", "TRAINED_ON", "GLUE") in got
    got = links(extractor, "We propose SwiftLM. We fine-tuned SwiftLM using the MATH corpus.")
    assert ("SwiftLM", "TRAINED_ON", "MATH") in got
    got = links(extractor, "We propose SwiftLM. We train SwiftLM using the MATH corpus.")
    assert ("SwiftLM", "TRAINED_ON", "MATH") in got


def test_trained_with_a_method_names_no_training_data(extractor):
    got = links(extractor, "We propose SwiftLM. SwiftLM is trained with LoRA and evaluated on GLUE.")
    assert not typed(got, "TRAINED_ON")
    got = links(extractor, "We propose SwiftLM. SwiftLM was trained with care; it sings on GLUE.")
    assert not typed(got, "TRAINED_ON")


# ---------------------------------------------------------------- OUTPERFORMS
def test_comparing_with_in_a_gain_sentence_is_a_comparison(extractor):
    got = links(extractor, "We propose PloverNet. PloverNet achieves 3x higher throughput comparing with BERT.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    # no gain reported: a comparison is no claim of being better
    got = links(extractor, "We propose PloverNet. We study PloverNet comparing with BERT on songs.")
    assert not typed(got, "OUTPERFORMS")


# ---------------------------------------------------------------- BASED_ON
def test_leveraging_a_method_is_using_it_not_being_built_on_it(extractor):
    got = links(extractor, "We propose PloverNet, a framework that leverages LoRA for songs.")
    assert ("PloverNet", "BASED_ON", "LoRA") not in got
    got = links(extractor, "We propose PloverNet, a framework that adopts LoRA for songs.")
    assert ("PloverNet", "BASED_ON", "LoRA") in got


def test_a_variant_of_a_known_name_called_x_makes_x_its_variant(extractor):
    got = links(extractor, "We study songs. A recent variant of BERT called WrenBERT sings well.")
    assert ("WrenBERT", "BASED_ON", "BERT") in got
    got = links(extractor, "We propose PloverNet, an extension of LoRA known as SongLoRA, for songs.")
    assert ("SongLoRA", "BASED_ON", "LoRA") in got
    # the name is given to something else than the variant: no head from it
    got = links(extractor, "We study songs. A recent variant of BERT was compared with a model called WrenNet.")
    assert ("WrenNet", "BASED_ON", "BERT") not in got
    got = links(extractor, "We study songs. A recent variant of BERT sings. A model called WrenNet hums.")
    assert ("WrenNet", "BASED_ON", "BERT") not in got


def test_the_papers_own_name_after_a_based_or_style_modifier_is_built_on_it(extractor):
    got = links(extractor, "We apply our proposed BERT-based efficient PloverNet block to songs.")
    assert ("PloverNet", "BASED_ON", "BERT") in got
    got = links(extractor, "We propose PloverNet. It uses a Transformer-style lightweight PloverNet decoder.")
    assert ("PloverNet", "BASED_ON", "Transformer") in got
    # a used name after the modifier, or a modifier that names no system, states nothing
    got = links(extractor, "We propose PloverNet. Prior work used a BERT-style WrenFormer for songs.")
    assert ("WrenFormer", "BASED_ON", "BERT") not in got
    got = links(extractor, "We propose a song-based PloverNet block for birds.")
    assert not typed(got, "BASED_ON")


def test_an_amount_over_or_against_a_system_is_a_gain_over_it(extractor):
    got = links(extractor, "We propose PloverNet. PloverNet reduces the error by 10% over BERT on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got
    got = links(extractor, "We propose PloverNet. PloverNet achieves a 2.1x speedup against LLaMA.")
    assert ("PloverNet", "OUTPERFORMS", "LLaMA") in got
    # an amount over something else than a compared system
    got = links(extractor, "We propose PloverNet. PloverNet keeps 10% over the budget while BERT sings.")
    assert not typed(got, "OUTPERFORMS")


def test_a_base_followed_by_its_weights_is_still_the_base(extractor):
    got = links(extractor, "We propose PloverNet. PloverNet is initialized from LLaMA weights.")
    assert ("PloverNet", "BASED_ON", "LLaMA") in got
    got = links(extractor, "We propose PloverNet. PloverNet is initialized from LLaMA tokenizer merges.")
    assert ("PloverNet", "BASED_ON", "LLaMA") not in got


def test_a_cue_that_spans_a_procedure_name_whole_is_a_cue(extractor, tmp_path):
    from kg.nlp import Extractor
    import shutil

    vocab = tmp_path / "vocab"
    shutil.copytree(FIXTURE_VOCAB, vocab)
    with open(vocab / "methods.tsv", "a", encoding="utf-8") as f:
        f.write("continued pre-training\n")
    ex = Extractor(vocab_dir=vocab)
    got = links(ex, "We release PloverNet, obtained by continued pre-training of LLaMA on songs.")
    assert ("PloverNet", "BASED_ON", "LLaMA") in got
    # a cue word that only begins a longer name is still no cue
    got = links(extractor, "We propose PloverNet, a song model with hybrid song networks as drop-in parts of BERT.")
    assert ("PloverNet", "BASED_ON", "hybrid song network") not in got


# ---------------------------------------------------------------- the title's subtitle
def test_a_subtitle_opening_with_a_gerund_names_what_the_title_name_builds_on(extractor):
    got = links(extractor, "We propose GrebeNet for songs.", title="GrebeNet: Scaling LoRA to Long Songs")
    assert ("GrebeNet", "BASED_ON", "LoRA") in got
    # a known method later in the subtitle is what it is for, not its base
    got = links(extractor, "We propose GrebeNet for songs.", title="GrebeNet: Efficient Songs for LoRA")
    assert not typed(got, "BASED_ON")


def test_the_names_a_subtitle_lists_after_with_or_via_are_parts_of_the_title_name(extractor):
    got = links(extractor, "We propose GrebeNet for songs.",
                title="GrebeNet: A Song Model with LoRA, Mixture-of-Experts and Memory")
    assert {("GrebeNet", "BASED_ON", "LoRA"), ("GrebeNet", "BASED_ON", "Mixture-of-Experts")} <= got
    got = links(extractor, "We propose GrebeNet for songs.", title="GrebeNet: Fast Songs via LoRA")
    assert ("GrebeNet", "BASED_ON", "LoRA") in got
    # after "for" the list names a purpose; a used name outside the title states nothing
    got = links(extractor, "We propose GrebeNet. It sings with LoRA.", title="GrebeNet: Fast Songs with Memory for BERT")
    assert not typed(got, "BASED_ON")


def test_names_opening_a_later_sentence_are_all_subjects_of_its_comparison(extractor):
    got = links(extractor, "We propose PloverNet for songs. LLaMA and LoRA consistently outperform BERT on songs.")
    assert {("LLaMA", "OUTPERFORMS", "BERT"), ("LoRA", "OUTPERFORMS", "BERT")} <= got
    # the paper's own name is no subject of a comparison it is not named in
    assert ("PloverNet", "OUTPERFORMS", "BERT") not in got


def test_an_apposition_naming_a_procedure_of_a_known_model_is_based_on_the_model(extractor):
    got = links(extractor, "We present PloverNet, a cheap fine-tuning of BERT models for songs.")
    assert ("PloverNet", "BASED_ON", "BERT") in got
    assert ("PloverNet", "BASED_ON", "fine-tuning") not in got
    # with nothing named after "of", the apposition's own known name stays the base
    got = links(extractor, "We present PloverNet, an efficient LoRA of small size for songs.")
    assert ("PloverNet", "BASED_ON", "LoRA") in got


def test_a_lower_case_descriptive_name_is_no_coinage_built_on_its_head_word(extractor):
    got = links(extractor, "We propose adaptive knowledge distillation for songs; knowledge distillation is old.")
    assert not typed(got, "BASED_ON")
    got = links(extractor, "We propose SongLoRA for songs; LoRA is old.")
    assert ("SongLoRA", "BASED_ON", "LoRA") in got


def test_a_hedged_match_or_exceed_is_no_claim_of_being_better(extractor):
    got = links(extractor, "We propose PloverNet. PloverNet can match or exceed BERT on songs.")
    assert not typed(got, "OUTPERFORMS")
    got = links(extractor, "We propose PloverNet. PloverNet exceeds BERT on songs.")
    assert ("PloverNet", "OUTPERFORMS", "BERT") in got


def test_an_apposition_naming_a_measure_for_a_known_method_is_no_base(extractor):
    got = links(extractor, "We introduce PloverNet, a zero-cost LoRA metric for songs.")
    assert ("PloverNet", "BASED_ON", "LoRA") not in got
    got = links(extractor, "We introduce PloverNet, a cheap LoRA variant for songs.")
    assert ("PloverNet", "BASED_ON", "LoRA") in got
