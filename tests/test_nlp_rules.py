"""Pattern families of the extractor's rule tables, on sentences written for these tests (invented names)."""

from extracts import extract, link_triples


run = extract
links = link_triples


# ---------------------------------------------------------------- links: comparisons
def test_comparatives_state_outperforms(extractor):
    x = run(extractor, "Small nets", "We propose PelicanNet. PelicanNet is more accurate than BERT and 3x faster than LLaMA.")
    assert {("PelicanNet", "OUTPERFORMS", "BERT"), ("PelicanNet", "OUTPERFORMS", "LLaMA")} <= links(x)


def test_a_comparative_of_cost_is_no_gain(extractor):
    x = run(extractor, "Small nets", "We propose PelicanNet. PelicanNet needs more memory than BERT.")
    assert not {l for l in links(x) if l[1] == "OUTPERFORMS"}


def test_negative_comparatives_reverse_the_link(extractor):
    x = run(extractor, "Long inputs", "We propose GrebeLM. On long inputs, BERT lags behind GrebeLM.")
    assert ("GrebeLM", "OUTPERFORMS", "BERT") in links(x)
    assert ("BERT", "OUTPERFORMS", "GrebeLM") not in links(x)
    x = run(extractor, "Long inputs", "We propose GrebeLM. BERT reaches a higher loss than GrebeLM.")
    assert ("GrebeLM", "OUTPERFORMS", "BERT") in links(x)


def test_compared_with_needs_a_reported_gain(extractor):
    x = run(extractor, "Birds", "We propose TernFormer. TernFormer reaches 4% higher accuracy compared with ResNet-50.")
    assert ("TernFormer", "OUTPERFORMS", "ResNet-50") in links(x)
    x = run(extractor, "Birds", "We propose TernFormer. Compared with BERT, our TernFormer improves accuracy by two points.")
    assert ("TernFormer", "OUTPERFORMS", "BERT") in links(x)
    x = run(extractor, "Birds", "We propose TernFormer. TernFormer is compared with ResNet-50 on bird photographs.")
    assert not links(x)


def test_parity_words_end_the_compared_list(extractor):
    x = run(extractor, "Birds", "We propose PelicanNet. PelicanNet outperforms BERT and is comparable to LLaMA.")
    assert ("PelicanNet", "OUTPERFORMS", "BERT") in links(x)
    assert ("PelicanNet", "OUTPERFORMS", "LLaMA") not in links(x)


# ---------------------------------------------------------------- links: what a new entity is based on
def test_adopting_verbs_name_the_base(extractor):
    x = run(extractor, "Adapters", "We propose HeronNet, which adopts LoRA and knowledge distillation for small devices.")
    assert {("HeronNet", "BASED_ON", "LoRA"), ("HeronNet", "BASED_ON", "knowledge distillation")} <= links(x)
    x = run(extractor, "Adapters", "We propose HeronNet and evaluate it against LoRA.")
    assert not {l for l in links(x) if l[1] == "BASED_ON"}


def test_compact_version_of_names_the_base(extractor):
    x = run(extractor, "Tiny models", "We release WrenLM, a compact version of BERT for phones.")
    assert ("WrenLM", "BASED_ON", "BERT") in links(x)


def test_apposition_names_the_base(extractor):
    x = run(extractor, "Birds", "We introduce KestrelNet, a lightweight Transformer encoder for bird songs.")
    assert ("KestrelNet", "BASED_ON", "Transformer") in links(x)
    x = run(extractor, "Birds", "We introduce KestrelNet, a detector that runs faster than BERT on phones.")
    assert ("KestrelNet", "BASED_ON", "BERT") not in links(x)


def test_a_known_method_before_the_naming_cue_is_the_base(extractor):
    x = run(extractor, "Students", "This paper studies a knowledge distillation scheme called FinchKD for speech.")
    assert ("FinchKD", "BASED_ON", "knowledge distillation") in links(x)
    x = run(extractor, "Students", "Unlike knowledge distillation, we develop a scheme called FinchKD.")
    assert ("FinchKD", "BASED_ON", "knowledge distillation") not in links(x)


def test_camelcase_coinage_containing_a_known_name_is_based_on_it(extractor):
    x = run(extractor, "SwiftLoRA: Adapters in a Hurry", "We propose SwiftLoRA. Unlike LoRA, it trains in minutes.")
    assert ("SwiftLoRA", "BASED_ON", "LoRA") in links(x)
    x = run(extractor, "SwiftNet: Adapters in a Hurry", "We propose SwiftNet. Unlike LoRA, it trains in minutes.")
    assert not {l for l in links(x) if l[1] == "BASED_ON"}


# ---------------------------------------------------------------- term boundaries
def names(x):
    return {e.name for e in x.entities}


def test_inflected_academic_verbs_do_not_begin_a_term(extractor):
    x = run(extractor, "Birds", "The PloverNet module enhances visual reasoning over maps.")
    assert "visual reasoning" in names(x)
    assert not any(n.startswith("enhances") for n in names(x))


def test_evaluative_and_number_words_do_not_begin_a_term(extractor):
    x = run(extractor, "Birds", "Such models lack true graph reasoning, and we test eight reasoning benchmarks.")
    assert "graph reasoning" in names(x)
    assert not {"true graph reasoning", "eight reasoning"} & names(x)


def test_a_task_word_modifying_a_system_noun_is_no_task(extractor):
    x = run(extractor, "Birds", "We build a dependency parsing system for bird songs.")
    assert "dependency parsing" not in names(x)
    x = run(extractor, "Birds", "We study dependency parsing for bird songs.")
    assert "dependency parsing" in names(x)


def test_a_coined_modifier_is_not_part_of_a_title_task(extractor):
    x = run(extractor, "Teaching WrenLM Graph Reasoning", "We teach it with maps.")
    tasks = {e.name for e in x.entities if e.type == "Task"}
    assert "Graph Reasoning" in tasks and "WrenLM Graph Reasoning" not in tasks


def test_metric_and_precision_acronyms_are_no_methods(extractor):
    x = run(extractor, "Birds", "In FP16, PloverNet is faster than BERT at equal MACs, unlike QWXT.")
    assert not {"FP16", "MACs"} & {e.name for e in x.entities if e.type in ("Method", "Model")}
    assert "QWXT" in names(x)  # an unknown acronym in a comparison is still kept


# ---------------------------------------------------------------- names: spans, variants, types
def get(x, name):
    return next((e for e in x.entities if e.name == name), None)


def test_coordinated_coinages_in_a_propose_clause_are_two_names(extractor):
    x = run(extractor, "Birds", "We propose PipitNet-S and PipitNet-L for bird songs.")
    assert {"PipitNet-S", "PipitNet-L"} <= names(x)
    assert "PipitNet-S and PipitNet-L" not in names(x)


def test_a_capitalised_head_noun_is_part_of_the_name(extractor):
    x = run(extractor, "Birds", "Experiments use the Heron Speech Network and the Wader Bird Benchmark.")
    assert get(x, "Heron Speech Network").type == "Model"
    assert get(x, "Wader Bird Benchmark").type == "Dataset"
    assert not {"Heron Speech", "Wader Bird"} & names(x)


def test_a_problem_is_a_task(extractor):
    x = run(extractor, "Packing", "We give a solver for the Orbit Packing Problem (OPP) in linear time.")
    assert get(x, "Orbit Packing Problem").type == "Task"


def test_variants_of_the_proposed_name_are_proposed_too(extractor):
    x = run(extractor, "SiskinLM: Small Birds", "We propose SiskinLM. SiskinLM-7B outperforms LLaMA on songs.")
    assert get(x, "SiskinLM").role == "PROPOSES" and get(x, "SiskinLM-7B").role == "PROPOSES"
    assert ("SiskinLM-7B", "OUTPERFORMS", "LLaMA") in links(x)
    x = run(extractor, "SiskinLM: Small Birds", "We propose SiskinLM and compare it with PipitLM-7B on songs.")
    assert get(x, "PipitLM-7B").role != "PROPOSES"


def test_a_size_of_a_known_model_is_not_proposed(extractor):
    x = run(extractor, "Birds", "We build singers based off BERT-Large for bird songs.")
    assert get(x, "BERT-Large").role == "USES"


def test_a_known_method_before_a_naming_cue_is_used_not_proposed(extractor):
    x = run(extractor, "Students", "We develop a new knowledge distillation formulation called FinchKD.")
    assert get(x, "knowledge distillation").role == "USES"
    assert get(x, "FinchKD").role == "PROPOSES"


def test_family_suffix_is_stripped_from_a_coined_name(extractor):
    x = run(extractor, "Birds", "We report results on GLUE-family benchmarks.")
    assert "GLUE" in names(x) and "GLUE-family" not in names(x)


# ---------------------------------------------------------------- proposal cues
def test_training_a_new_name_proposes_it_but_not_a_known_one(extractor):
    x = run(extractor, "Birds", "We train PloverLM, a small model, on bird songs.")
    assert get(x, "PloverLM").role == "PROPOSES"
    x = run(extractor, "Birds", "We train BERT on bird songs.")
    assert get(x, "BERT").role == "USES"


def test_report_words_are_not_part_of_a_title_name(extractor):
    x = run(extractor, "GullLM Technical Report: Small Birds", "This report describes the training of small bird models.")
    assert get(x, "GullLM").role == "PROPOSES"
    assert "GullLM Technical Report" not in names(x)


def test_title_colon_takes_hyphenated_coinages(extractor):
    x = run(extractor, "Wren-LM: Songs of Small Birds", "We describe songs of small birds.")
    assert get(x, "Wren-LM").role == "PROPOSES"


def test_a_proposed_coinage_shaped_like_a_model_stays_a_model(extractor):
    x = run(extractor, "TernFormer: Attention for Bird Songs", "We propose TernFormer for songs.")
    assert get(x, "TernFormer").type == "Model"
    x = run(extractor, "Tern: Attention for Bird Songs", "We propose Tern, which listens to songs. Tern is fast.")
    assert get(x, "Tern").type == "Method"


def test_a_coinage_coordinated_with_a_known_dataset_is_a_dataset(extractor):
    x = run(extractor, "Birds", "PloverNet handles GLUE and TaRN equally well.")
    assert get(x, "TaRN").type == "Dataset"


def test_a_result_context_makes_a_dataset(extractor):
    x = run(extractor, "Birds", "PloverNet gains 3% accuracy on KiWiX over the baseline.")
    assert get(x, "KiWiX").type == "Dataset"
    x = run(extractor, "Birds", "We build on KiWiX and extend KiWiX to songs.")
    assert get(x, "KiWiX").type != "Dataset"


def test_the_longest_specific_name_wins_over_a_known_short_one(extractor):
    x = run(extractor, "Birds", "We compare LLaMA 65B with Scaled-BERT and plain BERT on songs.")
    assert {"LLaMA 65B", "Scaled-BERT", "BERT"} <= names(x)
    assert get(x, "LLaMA 65B").type == "Model"


def test_scale_words_do_not_begin_a_term(extractor):
    x = run(extractor, "Birds", "We train a large-scale spiking neural network on songs.")
    assert "large-scale spiking neural network" not in names(x)


def test_iteration_is_a_method_head(extractor):
    x = run(extractor, "Birds", "We estimate the norm with power iteration on songs.")
    assert get(x, "power iteration").type == "Method"


def test_an_undefined_acronym_of_a_name_in_the_paper_is_that_name(extractor):
    x = run(extractor, "Birds", "We study the Plover Song Network on songs. PSNs are faster than BERT.")
    e = get(x, "Plover Song Network")
    assert "PSNs" in e.aliases and get(x, "PSNs") is None
    x = run(extractor, "Birds", "We study the Plover Song Network on songs. QRNs are faster than BERT.")
    assert get(x, "QRNs") is not None


def test_title_problem_heads_name_the_task(extractor):
    x = run(extractor, "Faster Online Scheduling of Bird Songs", "We schedule songs.")
    assert get(x, "Online Scheduling").type == "Task"
    x = run(extractor, "Songs of Birds", "We schedule songs.")
    assert not [e for e in x.entities if e.type == "Task"]


def test_an_acronym_right_after_a_naming_clause_is_proposed(extractor):
    x = run(extractor, "Birds", "We introduce a method called multi-grid song operator (QZ-SO) for birds.")
    assert get(x, "QZ-SO").role == "PROPOSES"
    x = run(extractor, "Birds", "Birds sing to a tool (MG-SO) in spring.")
    assert get(x, "MG-SO") is None or get(x, "MG-SO").role != "PROPOSES"
