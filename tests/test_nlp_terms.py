"""Spans, types and roles of the extractor (issue #13, entity side), on sentences written for these
tests with invented names; every family has a negative case."""

import pytest

from kg.types import PaperRecord

from extracts import extract

#: an invented vocabulary: one file per type, names no paper uses
VOCAB = {
    "methods.tsv": ["Pebble Rank Optimization\tPRO-P", "knowledge sifting", "gravel range attention", "sifting",
                    "shell pre-sorting", "grit R-sort", "grit learning"],
    "models.tsv": ["Quill Lantern", "QRV-3o", "PLuMA\tPlumaNet", "Vorpal\t\tfamily=Vorpal", "Vorpal 7B\t\tfamily=Vorpal", "SLATE", "PRiSM"],
    "datasets.tsv": ["PEBBLE-QA", "GRITSET", "4D Gravels"],
    "hardware.tsv": ["NVIDIA A100\tA100\tvendor=NVIDIA"],
    "tasks.tsv": ["pebble counting"],
}


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    from kg.nlp import Extractor

    d = tmp_path_factory.mktemp("terms-vocab")
    for fname, lines in VOCAB.items():
        (d / fname).write_text("# name\taliases\tattrs\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return Extractor(vocab_dir=d)


run = extract


def names(x, etype=None):
    return {e.name for e in x.entities if etype is None or e.type == etype}


def by_name(x):
    return {e.name: e for e in x.entities}


# ---------------------------------------------------------------- vocabulary matching: case
def test_a_title_case_technique_matches_in_lower_case(extractor):
    x = run(extractor, "Policies", "The pebble sorter is trained with pebble rank optimization on a toy arm.")
    assert by_name(x)["Pebble Rank Optimization"].type == "Method"


def test_a_title_case_model_name_does_not_match_in_lower_case(extractor):
    x = run(extractor, "Routers", "A quill lantern of old grids steps voltage down; we also use Quill Lantern.")
    mentions = [m.text for e in x.entities for m in e.mentions]
    assert "Quill Lantern" in mentions and "quill lantern" not in mentions


def test_a_mixed_case_name_with_a_digit_matches_in_lower_case(extractor):
    x = run(extractor, "Judges", "Answers of the pebble counter are graded by qrv-3o against a key.")
    assert by_name(x)["QRV-3o"].type == "Model"


def test_a_name_with_a_digit_and_a_capitalised_word_keeps_its_case(extractor):
    x = run(extractor, "Sorters", "The sorter handles images and 4D gravels drawn by hand.")
    assert "4D Gravels" not in names(x)
    x = run(extractor, "Sorters", "The sorter is tested on 4D Gravels.")
    assert "4D Gravels" in names(x, "Dataset")


def test_a_leading_capital_run_name_matches_capitalised(extractor):
    x = run(extractor, "Assistants", "We compare our pebble counter with Pluma on toy photographs.")
    assert "PLuMA" in names(x, "Model")
    # an all-caps acronym is not matched capitalised: "Slate" is a word, SLATE a model
    x = run(extractor, "Slate roofs", "Slate roofs hold pebbles well.")
    assert "SLATE" not in names(x)


def test_a_capitalised_spelling_that_is_an_english_word_is_not_the_name(extractor):
    # "PRiSM" written "Prism" is the English word (words.toml english_words): no model there
    x = run(extractor, "Our Counter Beats Them All", "The Prism of pebble counting splits into three steps.")
    assert "PRiSM" not in names(x)
    x = run(extractor, "Counting", "We count pebbles with PRiSM on toy photographs.")
    assert "PRiSM" in names(x, "Model")


def test_a_size_after_a_known_name_at_the_end_of_a_sentence_stays(extractor):
    x = run(extractor, "Checkpoints", "The pebble counter is fine-tuned from Vorpal 7B.")
    assert "Vorpal 7B" in names(x, "Model") and "Vorpal" not in names(x)


# ---------------------------------------------------------------- term boundaries and task heads
def test_task_heads_in_running_text(extractor):
    x = run(extractor, "Pebbles", "We study pebble compression, gravel clustering, tide prediction, "
            "shell disambiguation and rock tagging, and English-to-Klingon translation.")
    assert {"pebble compression", "gravel clustering", "tide prediction", "shell disambiguation", "rock tagging",
            "english-to-klingon translation"} <= {e.name.lower() for e in x.entities if e.type == "Task"}


def test_a_task_word_modifying_a_system_noun_is_no_task(extractor):
    x = run(extractor, "Pebbles", "We build a pebble clustering system and a shell tagging pipeline.")
    assert not [e for e in x.entities if e.type == "Task"]


def test_verb_forms_and_evaluative_words_do_not_start_a_term(extractor):
    x = run(extractor, "Pebbles", "A recipe for enabling gravel compression shows true tide prediction and "
            "enhancing shell disambiguation.")
    tasks = {e.name.lower() for e in x.entities if e.type == "Task"}
    assert {"gravel compression", "tide prediction"} <= tasks
    assert not {t for t in tasks if t.split()[0] in ("enabling", "true", "enhancing")}


# ---------------------------------------------------------------- types of coined names from their context
def test_a_parenthesised_name_takes_the_type_of_the_head_noun_before_it(extractor):
    x = run(extractor, "Shapes", "We report results on a geometric toy benchmark (GlorbNet) and a shape model (ZubQA).")
    assert by_name(x)["GlorbNet"].type == "Dataset" and by_name(x)["GlorbNet"].role == "EVALUATES_ON"
    assert by_name(x)["ZubQA"].type == "Model"


def test_a_name_before_based_and_a_model_noun_is_a_model(extractor):
    x = run(extractor, "Filters", "The filter applies to any KestConv-based model without retraining.")
    assert by_name(x)["KestConv"].type == "Model"


def test_a_process_noun_after_a_name_does_not_type_it(extractor):
    # "GlubNet training" is the training of GlubNet: the noun does not make it a Method
    x = run(extractor, "Filters", "GlubNet training is slow, and GlubNet distillation is slower.")
    assert by_name(x)["GlubNet"].type == "Model"
    x = run(extractor, "Filters", "We speed up QRZ training on small clusters.")
    assert "QRZ" not in names(x, "Method")


def test_a_coinage_coordinated_with_a_typed_coinage_takes_its_type(extractor):
    x = run(extractor, "Quantizing", "The scheme quantizes both Vorbo1 and Vorbo2 backbones.")
    assert {"Vorbo1", "Vorbo2"} <= names(x, "Model")
    x = run(extractor, "Quantizing", "The scheme quantizes Vorbo1 in a day.")  # alone and untyped: nothing
    assert "Vorbo1" not in names(x)


def test_a_naming_cue_takes_the_type_of_the_class_noun_it_names(extractor):
    x = run(extractor, "Puzzles", "We build large datasets of pebble puzzles with solutions, referred to as PuzzleCodeInstruct.")
    assert by_name(x)["PuzzleCodeInstruct"].type == "Dataset" and by_name(x)["PuzzleCodeInstruct"].role == "PROPOSES"
    x = run(extractor, "Puzzles", "We design a method for training pebble models, called PuzzleCodeInstruct.")
    assert by_name(x)["PuzzleCodeInstruct"].type != "Dataset"


# ---------------------------------------------------------------- roles: the paper's own names
def test_a_variant_of_a_proposed_checkpoint_is_proposed(extractor):
    x = run(extractor, "Small models", "We train Pollux-2B on pebble text and release Pollux-2B-Chat.")
    assert by_name(x)["Pollux-2B"].role == "PROPOSES" and by_name(x)["Pollux-2B-Chat"].role == "PROPOSES"


def test_sizes_of_a_known_model_are_not_proposed_with_it(extractor):
    # "Vorpal" is known: proposed here by mistake, its sizes must not follow it
    x = run(extractor, "Small models", "We propose Vorpal for pebbles and compare with Vorpal-XL.")
    assert by_name(x)["Vorpal-XL"].role != "PROPOSES"


def test_based_off_ends_a_propose_clause(extractor):
    x = run(extractor, "Small models", "We design pebble models based off Vorpal and Vorpal 7B.")
    assert all(e.role != "PROPOSES" for e in x.entities)


def test_a_proposal_cue_survives_on_the_longer_name_that_covers_it():
    from kg.nlp.assemble import Work, _keep_proposal_cue
    from kg.nlp.candidates import cand

    text = "We propose Glimmer-XL today."
    short = cand("cue_phrase", 11, 18, "Glimmer", "Method", proposed=True)
    long_ = cand("coinage_suffix", 11, 21, "Glimmer-XL", "Model")
    known = cand("vocab", 11, 21, "Glimmer-XL", "Model", name="Glimmer-XL")
    _keep_proposal_cue(short, [long_])
    assert long_.proposed
    _keep_proposal_cue(short, [known])  # a vocabulary name keeps its own role
    assert not known.proposed
    assert Work  # the assembly state the rule runs in


# ---------------------------------------------------------------- generic classes and modifiers
def test_generic_network_classes_and_network_parts_are_no_models(extractor):
    x = run(extractor, "Nets", "Large artificial neural networks count pebbles. An additive neural network "
            "component multiplies. A spiking neural network counts shells.")
    models = {e.name.lower() for e in x.entities if e.type == "Model"}
    assert "spiking neural network" in models
    assert not {"artificial neural network", "additive neural network"} & models


def test_a_generic_acronym_defined_names_no_entity(extractor):
    x = run(extractor, "Solvers", "Learning solution operators of pebble diffusion equations (PDEs) is hard.")
    assert not x.entities
    x = run(extractor, "Solvers", "We apply pebble diffusion operators (PDOs) to sand.")
    assert any(e.name.lower().startswith("pebble diffusion operator") for e in x.entities)


def test_a_task_before_an_ability_noun_is_no_task(extractor):
    x = run(extractor, "Skills", "We combine pebble counting ability with tools.")
    assert "pebble counting" not in names(x, "Task")
    x = run(extractor, "Skills", "We study pebble counting with tools.")
    assert "pebble counting" in names(x, "Task")


def test_verb_base_forms_do_not_start_a_term(extractor):
    x = run(extractor, "Shells", "The model can execute code and continue shell reasoning based on the output.")
    assert {e.name.lower() for e in x.entities if e.type == "Task"} == {"shell reasoning"}


# ---------------------------------------------------------------- Hearst lists of methods in lower case
def test_lower_case_methods_in_a_such_as_list_are_methods_and_do_not_end_it(extractor):
    x = run(extractor, "Stability", "We study methods such as gravel warm-up, pebble decay scheduling, and the zaParam (Doe et al., 2022).")
    assert {"pebble decay scheduling", "zaParam"} <= names(x, "Method")
    x = run(extractor, "Stability", "We study methods such as those used by prior work.")
    assert not names(x, "Method")


def test_a_clause_ends_a_hearst_list(extractor):
    # an item that starts with a verb form or an adverb, or holds a finite verb, is a clause, not a name
    x = run(extractor, "Sifting", "We study methods such as grit sifting, reuses pebble sorting tables.")
    assert not [n for n in names(x) if "reuses" in n]
    x = run(extractor, "Sifting", "We address tasks such as pebble counting, rapidly gravel sorting and grit detection.")
    assert not [n for n in names(x) if "rapidly" in n]
    x = run(extractor, "Sifting", "We address tasks such as pebble counting, gravel sorting and grit detection.")
    assert {"gravel sorting", "grit detection"} <= names(x, "Task")
    x = run(extractor, "Sifting", "We compare methods such as pebble prompt sifting and grit sorting.")
    assert "pebble prompt sifting" in names(x, "Method")  # a verb form modifying a noun stays in the phrase


# ---------------------------------------------------------------- types of the paper's own names
def test_a_family_of_models_in_apposition_is_a_model(extractor):
    x = run(extractor, "Models", "We introduce Qarn, a suite of pebble language models, and Tivvy, a series of benchmarks.")
    assert by_name(x)["Qarn"].type == "Model" and by_name(x)["Qarn"].role == "PROPOSES"
    x = run(extractor, "Models", "We introduce Qarn, a suite of pebble puzzles.")
    assert by_name(x)["Qarn"].type == "Dataset"  # a suite alone is a benchmark suite


def test_a_technical_report_or_system_card_title_names_a_model(extractor):
    for title in ("Vexa-3 Technical Report", "Brindle Lite System Card", "Zorbium: A Technical Report"):
        x = run(extractor, title, "We describe the assistant.")
        own = [e for e in x.entities if e.role == "PROPOSES"]
        assert [e.type for e in own] == ["Model"], title
    x = run(extractor, "Pebble Counting Report", "We describe the assistant.")  # no name before "Report" alone
    assert not [e for e in x.entities if e.role == "PROPOSES" and e.type == "Model"]


def test_the_title_colon_takes_every_coinage_shape(extractor):
    for name in ("Owl-LM", "Vexa-3", "zephyrNet", "TriQ"):
        x = run(extractor, f"{name}: Counting Pebbles Fast", "We count pebbles.")
        assert by_name(x)[name].role == "PROPOSES", name
    x = run(extractor, "Anchor: Counting Pebbles Fast", "We count pebbles.")  # a plain word never used again
    assert "Anchor" not in names(x)


# ---------------------------------------------------------------- datasets from their context
def test_the_foo_benchmark_names_a_dataset(extractor):
    x = run(extractor, "Data", "We evaluate on the Tarvel benchmark and the English corpus.")
    assert names(x, "Dataset") == {"Tarvel"}


def test_names_a_result_is_reported_on_are_datasets(extractor):
    x = run(extractor, "Results", "The counter reaches 85.2% accuracy on Quillset and Marrow Deep. "
            "Results on Table 2 and experiments on English hold.")
    assert names(x, "Dataset") == {"Quillset", "Marrow Deep"}


def test_partial_hyphenation_matches_the_vocabulary(extractor):
    x = run(extractor, "Attention", "Our model uses gravel-range attention in every block.")
    assert "gravel range attention" in names(x, "Method")


# ---------------------------------------------------------------- where a term begins
def test_a_term_may_open_a_sentence_capitalised(extractor):
    x = run(extractor, "Shells", "Shell disambiguation is hard. Since pebble prediction helps, we use it.")
    tasks = {e.name.lower() for e in x.entities if e.type == "Task"}
    assert "shell disambiguation" in tasks and not {t for t in tasks if t.startswith("since")}


def test_a_title_term_takes_the_words_the_abstract_writes_in_lower_case(extractor):
    x = run(extractor, "Quixel Pebble Prediction with Tools", "Fast pebble prediction matters for beaches.")
    assert "pebble prediction" in {e.name.lower() for e in x.entities if e.type == "Task"}
    assert "Quixel Pebble Prediction" not in names(x)
    x = run(extractor, "Quixel Pebble Prediction with Tools", "We study beaches.")  # nothing to go by: as titled
    assert "quixel pebble prediction" in {e.name.lower() for e in x.entities if e.type == "Task"}


def test_a_known_technique_led_by_a_repeated_noun_is_the_longer_technique(extractor):
    x = run(extractor, "Sand", "We study lattice sifting. Lattice sifting removes grains; plain sifting does not.")
    assert "lattice sifting" in {e.name.lower() for e in x.entities if e.type == "Method"}
    x = run(extractor, "Sand", "We study lattice sifting. It removes grains.")  # written once: the known name
    assert {e.name.lower() for e in x.entities if e.type == "Method"} == {"sifting"}


# ---------------------------------------------------------------- longest specific name, siblings
def test_a_known_model_before_a_technique_noun_names_a_technique(extractor):
    x = run(extractor, "Losses", "We add a Vorpal loss to the pebble counter and a Vorpal encoder.")
    assert "Vorpal loss" in names(x, "Method")
    assert "Vorpal" in names(x, "Model")  # "Vorpal encoder": a model noun, the model itself


def test_names_listed_with_a_known_dataset_are_datasets(extractor):
    x = run(extractor, "Data", "We use the benchmarks Quillset, Marrow Deep and GRITSET.")
    assert {"Quillset", "Marrow Deep", "GRITSET"} <= names(x, "Dataset")
    x = run(extractor, "Data", "We thank Bob Stone and GRITSET maintainers.")  # not introduced as data
    assert "Bob Stone" not in names(x)


def test_an_undefined_mixed_case_acronym_of_a_name_the_paper_writes_is_that_name(extractor):
    x = run(extractor, "Graph-of-Pebbles: Structured Prompting for Counting",
            "We introduce Graph-of-Pebbles, a prompting method. Experiments show that GoP outperforms "
            "Pebble Rank Optimization on toy photographs.")
    e = by_name(x)["Graph-of-Pebbles"]
    assert "GoP" in e.aliases and e.role == "PROPOSES"
    assert "GoP" not in names(x)
    assert any(lk.head == "Graph-of-Pebbles" and lk.type == "OUTPERFORMS" for lk in x.links)
    # a mixed-case token written once that spells no name's initials stays nothing
    x = run(extractor, "Counting", "We count pebbles with a sieve. Experiments show that GoP helps on toy photographs.")
    assert "GoP" not in names(x)


# ---------------------------------------------------------------- closed word lists end a term
def test_further_verbs_evaluative_words_and_prepositions_end_a_term(extractor):
    x = run(extractor, "Shells", "Agents begin shell sampling, and a tiny gravel neural network can overlook dense pebble "
            "prediction. Activations drift throughout shell reasoning.")
    terms = {e.name.lower() for e in x.entities}
    assert {"shell sampling", "dense pebble prediction", "shell reasoning"} <= terms
    assert not {t for t in terms if t.split()[0] in ("begin", "tiny", "overlook", "throughout", "drift")}
    assert "gravel neural network" in terms and "tiny gravel neural network" not in terms


def test_a_term_before_a_part_or_measure_noun_is_no_term(extractor):
    x = run(extractor, "Heads", "We prune gravel attention heads and study shell reasoning chains.")
    assert not {e.name.lower() for e in x.entities} & {"gravel attention", "shell reasoning"}
    x = run(extractor, "Heads", "We prune with gravel attention and study shell reasoning.")
    assert {"gravel attention", "shell reasoning"} <= {e.name.lower() for e in x.entities}


# ---------------------------------------------------------------- participles inside a term
def test_technical_participles_and_noun_participle_compounds_belong_to_the_term(extractor):
    x = run(extractor, "Pebbles", "We apply masked pebble prediction and uncertainty-guided gravel attention.")
    terms = {e.name.lower() for e in x.entities}
    assert {"masked pebble prediction", "uncertainty-guided gravel attention"} <= terms


def test_verb_participles_and_relational_compounds_end_the_term(extractor):
    x = run(extractor, "Pebbles", "We apply improved pebble prediction, well-designed gravel attention and "
            "sand-based shell reasoning.")
    terms = {e.name.lower() for e in x.entities}
    assert {"pebble prediction", "gravel attention", "shell reasoning"} <= terms
    assert not {t for t in terms if t.split()[0] in ("improved", "well-designed", "sand-based")}


def test_synthesis_and_minimization_head_tasks_and_keep_their_spelling(extractor):
    x = run(extractor, "Pebbles", "We study pebble synthesis and gravel cost minimization.")
    assert {"pebble synthesis", "gravel cost minimization"} <= {e.name for e in x.entities if e.type == "Task"}
    x = run(extractor, "Pebbles", "We build a pebble synthesis system.")  # a system, not the task
    assert not [e for e in x.entities if e.type == "Task"]


def test_reparameterization_and_instability_head_terms_in_running_text(extractor):
    x = run(extractor, "Pebbles", "In practice, layer-wise stone reparameterization keeps sorting stable, "
            "while pebble gradient instability slows the sorter.")
    assert ("layer-wise stone reparameterization", "Method") in {(e.name, e.type) for e in x.entities}
    assert ("pebble gradient instability", "Task") in {(e.name, e.type) for e in x.entities}
    # no modifier, an "of" phrase, or a part/measure noun after the term: no term
    x = run(extractor, "Pebbles", "A reparameterization is needed, and the instability of pebbles grows. "
            "We report a pebble instability analysis and stone reparameterization weights.")
    assert not [e for e in x.entities if "instability" in e.name or "reparameterization" in e.name]


# ---------------------------------------------------------------- the means a title names
def test_a_title_closing_via_a_technique_names_the_paper_s_technique(extractor):
    x = run(extractor, "Faster Pebble Counting via Gravel Iteration", "We count pebbles.")
    assert by_name(x)["Gravel Iteration"].type == "Method" and by_name(x)["Gravel Iteration"].role == "PROPOSES"
    x = run(extractor, "Sparse Sand Piles via Raking and Sweeping", "We pile sand.")
    assert {"Raking", "Sweeping"} <= names(x, "Method")
    x = run(extractor, "Sorting Shells by Parallel Grain Solving: A Study", "We sort shells.")
    assert "Parallel Grain Solving" in names(x, "Method")


def test_a_title_closing_with_data_models_or_evaluative_words_names_no_technique(extractor):
    for title in ("Counting Pebbles with Limited Data", "Counting Pebbles via Large Pebble Models",
                  "Counting Pebbles through the Lens of Sand", "Counting Pebbles via Simple Raking",
                  "Counting Pebbles with Gravel Guarantees"):
        x = run(extractor, title, "We count pebbles.")
        assert not [e for e in x.entities if e.type == "Method"], title


def test_a_term_before_an_architecture_or_cost_noun_or_after_a_counted_part_is_no_term(extractor):
    x = run(extractor, "Nets", "Shell attention architectures raise gravel decoding speed. We train a four layer "
            "spiking neural network on pebbles.")
    assert not {e.name.lower() for e in x.entities} & {"shell attention", "gravel decoding", "layer spiking neural network"}
    x = run(extractor, "Nets", "We study shell attention and gravel decoding.")
    assert {"shell attention", "gravel decoding"} <= {e.name.lower() for e in x.entities}


# ---------------------------------------------------------------- lower-case techniques in a propose clause
def test_a_proposed_lower_case_technique_drops_grading_words_and_weak_heads(extractor):
    x = run(extractor, "Pebbles", "We propose a customized pebble sampling and a gravel protocol.")
    methods = {e.name.lower() for e in x.entities if e.type == "Method"}
    assert "pebble sampling" in methods
    assert not {"customized pebble sampling", "gravel protocol"} & methods


def test_a_proposed_variant_of_a_known_name_keeps_its_grading_words(extractor):
    x = run(extractor, "Pebbles", "We propose extremely gravel-efficient PLuMA for pebble counting.")
    assert by_name(x)["extremely gravel-efficient PLuMA"].role == "PROPOSES"


def test_the_optimiser_a_model_is_trained_with_is_a_used_technique(extractor):
    # annotators list "gradient descent" as a used Method wherever a paper names it
    x = run(extractor, "Pebbles", "The counter is trained by gradient descent with backpropagation.")
    assert "gradient descent" in names(x, "Method")
    x = run(extractor, "Pebbles", "The counter is trained by shell gradient descent.")
    assert "shell gradient descent" in names(x, "Method")
    x = run(extractor, "Pebbles", "The loss descends steadily while the counter is trained.")
    assert not names(x, "Method")


def test_a_defined_measure_statement_or_interface_is_no_technique(extractor):
    x = run(extractor, "Pebbles", "We raise Pebble Sorter Utilization (PSU) and prove the Strong Gravel Hypothesis (SGH) "
            "behind a Pebble User Interface (PUI).")
    assert not names(x, "Method")
    x = run(extractor, "Pebbles", "We apply Gravel Shell Sorting (GSS) to sand.")
    assert "Gravel Shell Sorting" in names(x, "Method")


# ---------------------------------------------------------------- technical adverbs, title heads and verbs
def test_technical_adverbs_stay_in_a_term_and_grading_ones_end_it(extractor):
    x = run(extractor, "Pebbles", "We study weakly supervised pebble detection and surprisingly robust gravel detection.")
    tasks = {e.name.lower() for e in x.entities if e.type == "Task"}
    assert {"weakly supervised pebble detection", "gravel detection"} <= tasks
    assert "surprisingly robust gravel detection" not in tasks


def test_a_title_programming_phrase_is_a_technique(extractor):
    x = run(extractor, "A Massively Parallel Pebble Programming for Sand", "We sort sand.")
    assert "Massively Parallel Pebble Programming" in names(x, "Method")
    assert not [e for e in x.entities if e.type == "Task" and "Programming" in e.name]


def test_title_verbs_and_evaluative_compounds_do_not_start_a_title_term(extractor):
    x = run(extractor, "Pebble Sorting Meets Gravel Verification: High-Accuracy Shell Classification", "We sort.")
    tasks = {e.name for e in x.entities if e.type == "Task"}
    assert {"Gravel Verification", "Shell Classification"} <= tasks
    assert not {t for t in tasks if "Meets" in t or "High-Accuracy" in t}


def test_a_single_topic_word_before_counted_datasets_is_no_task(extractor):
    x = run(extractor, "Data", "We test on three pebble benchmarks and two shell sorting datasets.")
    tasks = {e.name.lower() for e in x.entities if e.type == "Task"}
    assert "pebble" not in tasks and "shell sorting" in tasks


def test_a_term_before_a_research_community_noun_names_a_field(extractor):
    x = run(extractor, "Sand", "We release tools for pebble sampling research and the shell reasoning community.")
    assert not {e.name.lower() for e in x.entities} & {"pebble sampling", "shell reasoning"}


# ---------------------------------------------------------------- a verb that is also a noun, after a subject
def test_a_noun_verb_right_after_a_subject_or_modal_starts_no_term(extractor):
    x = run(extractor, "Pebbles", "We also design shell regularization, and they can model gravel attention.")
    terms = {e.name.lower() for e in x.entities}
    assert {"shell regularization", "gravel attention"} <= terms
    assert not {t for t in terms if t.split()[0] in ("design", "model")}
    # the same words as modifiers of a noun phrase stay in the term
    x = run(extractor, "Pebbles", "The design regularization of pebbles helps.")
    assert "design regularization" in {e.name.lower() for e in x.entities}


def test_an_added_known_technique_is_named_without_the_verb(extractor):
    x = run(extractor, "Pebbles", "We propose to fully add Pebble Rank Optimization (PRO-P) to every sorter.")
    assert "Pebble Rank Optimization" in names(x, "Method")
    assert not {n for n in names(x) if n.lower().startswith("add ")}


def test_a_term_before_an_analysis_or_theorem_noun_is_no_term(extractor):
    x = run(extractor, "Pebbles", "We give a shell propagation analysis and a gravel regularization theorem.")
    assert not {e.name.lower() for e in x.entities} & {"shell propagation", "gravel regularization"}
    x = run(extractor, "Pebbles", "We study shell propagation.")
    assert "shell propagation" in {e.name.lower() for e in x.entities}


def test_throughput_acronyms_in_any_case_are_no_technique(extractor):
    x = run(extractor, "Pebbles", "Our sorter outperforms SLATE at equal FLOPS and needs fewer TFLOPS than SLATE.")
    assert not {"FLOPS", "TFLOPS"} & names(x)


def test_a_title_term_before_a_capitalised_part_noun_is_no_term(extractor):
    x = run(extractor, "Pebble Sorting with a Gravel Shell Transformer Architecture", "We sort pebbles.")
    assert "Gravel Shell Transformer" not in names(x)
    x = run(extractor, "Pebble Sorting with a Gravel Shell Transformer", "We sort pebbles.")
    assert "Gravel Shell Transformer" in names(x, "Model")
    # the first word of the abstract is no part noun of the title's last term
    x = run(extractor, "Pebble Sorting with a Gravel Shell Transformer", "Architectures for sand are rare.")
    assert "Gravel Shell Transformer" in names(x, "Model")


def test_a_lower_case_known_term_made_a_relational_modifier_is_no_entity(extractor):
    x = run(extractor, "Sand", "We train a sifting-based sorter and a knowledge sifting-free gravel model.")
    assert not {"sifting", "knowledge sifting"} & {n.lower() for n in names(x)}
    x = run(extractor, "Sand", "We train a sorter with sifting and knowledge sifting.")
    assert {"sifting", "knowledge sifting"} <= {n.lower() for n in names(x)}
    # a written name is still used when it leads such a compound
    x = run(extractor, "Sand", "Sorting sand needs a SLATE-based sorter.")
    assert "SLATE" in names(x, "Model")


def test_a_benchmark_name_with_a_version_after_it_is_a_dataset(extractor):
    x = run(extractor, "Search", "The effect holds across sorting tasks on SHL-Bench-301 and GravelEval-2.")
    assert {"SHL-Bench-301", "GravelEval-2"} <= names(x, "Dataset")
    x = run(extractor, "Search", "The effect holds across sorting tasks on SHL-Mark-301.")
    assert "SHL-Mark-301" not in names(x, "Dataset")


def test_a_network_named_by_its_activation_is_a_model_class(extractor):
    x = run(extractor, "Sand", "We bound the error of a two-layer ReLU network and of deep linear networks on sand.")
    assert {"two-layer ReLU network", "deep linear network"} <= {n.rstrip("s") for n in names(x, "Model")}
    # the activation alone, or a network not named by one, is no such class
    x = run(extractor, "Sand", "We bound the error of ReLU units in a sand network.")
    assert not names(x, "Model")


def test_a_title_for_phrase_names_a_problem_only_by_a_process_or_task_noun(extractor):
    x = run(extractor, "A Gravel Transformer Boosted for Variable-Width Pebbles", "We sort.")
    assert not names(x, "Task")
    x = run(extractor, "A Gravel Transformer Boosted for Variable-Width Pebble Sorting", "We sort.")
    assert "Variable-Width Pebble Sorting" in names(x, "Task")
    # after a word for a procedure, "for" names the problem whatever its noun
    x = run(extractor, "A Fast Algorithm for the Gravel Polynomial", "We sort.")
    assert "Gravel Polynomial" in names(x, "Task")


def test_grading_words_of_depth_weight_and_redundancy_start_no_term(extractor):
    x = run(extractor, "Sand", "Sorters avoid redundant pebble reasoning and deep shell reasoning with a lightweight gravel "
            "neural network.")
    terms = {e.name.lower() for e in x.entities}
    assert {"pebble reasoning", "shell reasoning", "gravel neural network"} <= terms
    assert not {t for t in terms if t.split()[0] in ("redundant", "deep", "lightweight")}


# ---------------------------------------------------------------- acronym definitions
def test_a_definition_opening_the_abstract_is_found(extractor):
    x = run(extractor, "Sand", "Gravel shell sorting (GSS) sorts sand. We study the GSS setting and GSS limits.")
    e = by_name(x).get("Gravel shell sorting")
    assert e is not None and {"GSS"} <= {m.text for m in e.mentions}
    assert "GSS" not in names(x)


def test_an_untyped_definition_takes_the_type_its_short_form_s_own_head_noun_gives(extractor):
    x = run(extractor, "Sand", "We study tractable pebble circuits (TPCs) for sand. The TPC model sorts it.")
    assert by_name(x)["tractable pebble circuits"].type == "Model"
    # a list or result context of the short form does not type the definition
    x = run(extractor, "Sand", "We study tractable pebble circuits (TPCs) for sand. We report 90% accuracy on TPC.")
    assert by_name(x)["tractable pebble circuits"].type == "Method"


def test_activation_functions_are_architectural_mechanisms():
    from kg.nlp import Extractor

    x = Extractor().extract(PaperRecord(id="t", title="Sand", abstract="The sorter uses a cheap GELU approximation, "
                                        "SiLU gates, a Leaky ReLU head and tanh units; ReLU sorts faster."))
    assert {"GELU", "SiLU", "Leaky ReLU", "ReLU"} <= names(x, "Method")
    assert "tanh" in {n.lower() for n in names(x, "Method")}
    # plain functions and number formats are not techniques
    x = Extractor().extract(PaperRecord(id="t", title="Sand", abstract="A softmax over sigmoid scores in FP16 and BF16."))
    assert not names(x, "Method")


def test_a_title_closing_with_a_feedback_setting_names_no_technique(extractor):
    x = run(extractor, "Regret of Pebble Sorting with Shell Feedback", "We sort.")
    assert "Shell Feedback" not in names(x)
    x = run(extractor, "Regret of Pebble Sorting via Shell Sifting", "We sort.")
    assert "Shell Sifting" in names(x, "Method")


def test_a_known_model_before_a_part_noun_is_the_model_used(extractor):
    x = run(extractor, "Sand", "Each Vorpal layer sorts pebbles, and SLATE blocks rank them.")
    assert {"Vorpal", "SLATE"} <= names(x, "Model")
    assert not {n for n in names(x) if n.endswith(("layer", "blocks"))}


def test_a_known_model_before_a_hyphen_and_a_capitalised_part_is_a_model_variant(extractor):
    x = run(extractor, "Vorpal-ND: Sparse Pebble Grids for Many Dimensions",
            "We present Vorpal-ND, a general design extending the Vorpal family to grids of any dimension.")
    e = by_name(x)["Vorpal-ND"]
    assert (e.type, e.role) == ("Model", "PROPOSES")
    x = run(extractor, "Pebbles", "We compare with Vorpal-XR2 on pebble counting.")
    assert by_name(x)["Vorpal-XR2"].type == "Model"
    # negative: an unknown prefix says nothing, and a lower-case part is no variant
    x = run(extractor, "Zorblat-ND: Sparse Pebble Sifting for Many Dimensions",
            "We present Zorblat-ND, a general sifting procedure for grids of any dimension.")
    assert by_name(x)["Zorblat-ND"].type == "Method"
    x = run(extractor, "Pebbles", "A Vorpal-style counter sorts pebbles.")
    assert "Vorpal-style" not in names(x)
    # a capitalised word after the hyphen names something else: a probe is no model
    x = run(extractor, "Vorpal-Probe: Recovering Pebble Trees from Hidden States",
            "We define a novel probing method, the Vorpal-Probe, that recovers pebble trees.")
    assert by_name(x)["Vorpal-Probe"].type == "Method"


def test_a_title_task_after_for_stops_at_the_means_word(extractor):
    # "for <things> via <means>": the means is no task, and the things before "via" are no task either
    x = run(extractor, "Pebble Sorting for Gravel Models via Shell Resampling", "We sort pebbles.")
    assert "Shell Resampling" not in names(x, "Task")
    # the task itself, before the means word, is still found
    x = run(extractor, "Fast Sorting for Gravel Segmentation via Shell Resampling", "We sort pebbles.")
    assert "Gravel Segmentation" in names(x, "Task")
    assert "Shell Resampling" not in names(x, "Task")


def test_a_title_task_keeps_its_classifying_adjective(extractor):
    # "for Robust Acoustic Modelling": the evaluative word goes, the adjective naming the kind stays
    x = run(extractor, "Gravel Voices: A Multilingual Corpus for Robust Acoustic Modelling", "We record pebbles.")
    tasks = names(x, "Task")
    assert "Acoustic Modelling" in tasks and "Modelling" not in tasks


def test_a_title_phrase_after_a_preposition_inside_for_is_no_task(extractor):
    x = run(extractor, "Novel Bounds for Extending PLuMA beyond Slope-Restricted Activations", "We bound pebbles.")
    assert not {"Slope-Restricted Activations", "Activations"} & names(x, "Task")


def test_the_object_of_a_verb_in_the_problem_of_is_no_task(extractor):
    x = run(extractor, "Pebbles", "We consider the problem of determining the largest gravel subspace for sand.")
    assert not names(x, "Task")
    # negative: the problem named by a noun phrase is still a task
    x = run(extractor, "Pebbles", "We consider the problem of gravel subspace estimation for sand.")
    assert "gravel subspace estimation" in names(x, "Task")


def test_the_object_of_a_title_gerund_after_for_is_no_task(extractor):
    x = run(extractor, "A Pebble Algorithm for Sorting the Widest Gravel Deviation", "We sort pebbles.")
    assert not {"Widest Gravel Deviation", "Gravel Deviation"} & names(x, "Task")


def test_a_capitalised_word_listed_with_two_known_models_is_a_model(extractor):
    x = run(extractor, "Pebbles", "On pebble counting we compare PLuMA, SLATE and Zephyrine.")
    assert by_name(x)["Zephyrine"].type == "Model"
    # negative: one known sibling, a mixed list, a list tail word, or a sentence-initial capital say nothing
    x = run(extractor, "Pebbles", "On pebble counting we compare PLuMA and Zephyrine.")
    assert "Zephyrine" not in names(x)
    x = run(extractor, "Pebbles", "On pebble counting we compare PLuMA, SLATE, GRITSET and Zephyrine.")
    assert "Zephyrine" not in names(x)
    x = run(extractor, "Pebbles", "On pebble counting we compare PLuMA, SLATE and Others.")
    assert "Others" not in names(x)


def test_a_coined_acronym_coordinated_with_a_known_technique_is_a_technique(extractor):
    x = run(extractor, "Pebbles", "Counters are tuned with PRO-P or GRVX-2 before sorting.")
    assert by_name(x)["GRVX-2"].type == "Method"


def test_a_metric_word_after_a_hyphen_is_no_part_of_a_coined_name(extractor):
    x = run(extractor, "Pebbles", "Twelve sorting tasks can serve as a holistic GRVX-performance benchmark.")
    assert not {n for n in names(x) if "performance" in n}
    # negative: a coined name with a capitalised part keeps it
    x = run(extractor, "Pebbles", "Twelve sorting tasks can serve as a holistic GRVX-Lite benchmark.")
    assert "GRVX-Lite" in names(x, "Dataset")


def test_grading_words_like_explicit_or_general_purpose_are_no_part_of_a_term(extractor):
    x = run(extractor, "Pebbles", "Recent models emphasize explicit gravel reasoning and general-purpose sand segmentation.")
    tasks = names(x, "Task")
    assert {"gravel reasoning", "sand segmentation"} <= tasks
    assert not {"explicit gravel reasoning", "general-purpose sand segmentation"} & tasks


def test_a_capital_opening_the_abstract_does_not_make_a_head_noun_name(extractor):
    x = run(extractor, "Pebble Registers", "Standard Gravel Networks can learn to count pebbles.")
    assert "Standard Gravel Networks" not in names(x)
    # negative: mid-sentence, a capitalised name before the head noun is still a name
    x = run(extractor, "Pebble Registers", "We compare with the Toeplitz Gravel Network on pebbles.")
    assert "Toeplitz Gravel Network" in names(x, "Model")


def test_a_class_noun_after_a_definition_types_it(extractor):
    x = run(extractor, "Pebbles", "Results are shown on the 'Counting Pebbles in Deep Sand' (CPDS) dataset.")
    assert by_name(x)["Counting Pebbles in Deep Sand"].type == "Dataset"
    # negative: a long form with a class noun of its own keeps it, a process noun after the parenthesis types nothing
    x = run(extractor, "Pebbles", "We apply Deep Gravel Sifting (DGS) training to sand.")
    assert by_name(x)["Deep Gravel Sifting"].type == "Method"


def test_a_title_means_after_via_or_through_may_end_in_any_process_noun(extractor):
    x = run(extractor, "Sharper Pebble Counting through Symbolic Gravel Mutation", "We count pebbles.")
    assert "Symbolic Gravel Mutation" in names(x, "Method")
    # negative: after "with" a process noun is a condition, not the paper's means
    x = run(extractor, "Fast Pebble Counting on Sand Grids with Constant Gravel Correlation", "We count pebbles.")
    assert "Constant Gravel Correlation" not in names(x)


def test_a_title_means_drops_its_leading_grading_word(extractor):
    x = run(extractor, "Sorting Pebble Experts with Efficient Bi-level Gravel Routing", "We sort pebbles.")
    methods = names(x, "Method")
    assert "Bi-level Gravel Routing" in methods and "Efficient Bi-level Gravel Routing" not in methods
    # negative: a grading word inside the phrase still means it names no technique
    x = run(extractor, "Sorting Pebble Experts with Bi-level Efficient Routing", "We sort pebbles.")
    assert not {n for n in names(x) if "Routing" in n}


def test_a_hyphenated_word_inside_a_vocabulary_name_also_matches_joined(extractor):
    x = run(extractor, "Pebbles", "Counters improve after shell presorting of the sand.")
    assert "shell pre-sorting" in names(x, "Method")
    # negative: a one-letter part is never joined ("grit R-sort" is not "grit rsort")
    x = run(extractor, "Pebbles", "Counters improve after grit rsort of the sand.")
    assert "grit R-sort" not in names(x)


def test_a_dimension_prefix_is_part_of_a_coined_model_name(extractor):
    x = run(extractor, "Pebbles", "We feed the pebbles to a 1D-QRV-LSTM model.")
    assert "1D-QRV-LSTM" in names(x, "Model")
    # negative: a dimension alone, or inside a longer word, is no prefix
    x = run(extractor, "Pebbles", "We feed the 31D-QRV-LSTM model.")
    assert "31D-QRV-LSTM" not in names(x)


def test_two_known_names_side_by_side_are_no_single_term(extractor):
    x = run(extractor, "Pebbles", "The classic knowledge sifting gravel range attention is slow.")
    methods = names(x, "Method")
    assert "knowledge sifting gravel range attention" not in methods
    assert "gravel range attention" in methods
    # negative: a plain modifier before a known name still makes the longer term
    x = run(extractor, "Pebbles", "The classic shell gravel range attention is slow.")
    assert "shell gravel range attention" in names(x, "Method")


def test_attention_as_the_object_of_a_verb_of_interest_is_no_mechanism(extractor):
    x = run(extractor, "Sorting", "Pebble sorting has received wide attention in geology. We sort pebbles.")
    assert not any("attention" in n.lower() for n in names(x))
    x = run(extractor, "Sorting", "We draw on wide attention over pebble rows to sort them.")
    assert "wide attention" in names(x, "Method")


def test_an_unknown_acronym_is_a_name_only_where_the_paper_names_or_proposes_it(extractor):
    # a comparison sentence compares instruments, surveys and constants too: no technique on that evidence
    x = run(extractor, "Pebble Ages", "Our pebble ages agree better with the GRVX survey than with the QPLT catalogue.")
    assert not {"GRVX", "QPLT"} & names(x)
    x = run(extractor, "Pebble Ages", "We propose GRVX, which dates pebbles from their grain.")
    assert "GRVX" in names(x, "Method")


def test_a_title_closing_on_an_optimization_or_inference_phrase_names_the_task(extractor):
    x = run(extractor, "Outliers Have an Outsized Effect on Pebble Network Optimization", "We study pebble sorters.")
    assert "Pebble Network Optimization" in names(x, "Task")
    # after a means word the phrase is how, not what; a closing "analysis" is the title's kind of study
    x = run(extractor, "Sorting Pebbles via Global Optimization", "We study pebble sorters.")
    assert "Global Optimization" not in names(x, "Task")
    x = run(extractor, "Pebble Sorting: A Fine-Grained Complexity Analysis", "We study pebble sorters.")
    assert "Complexity Analysis" not in names(x, "Task")


def test_a_title_phrase_closing_on_learning_names_the_task(extractor):
    x = run(extractor, "The Numerical Stability of Hyperbolic Pebble Learning", "We study pebble sorters.")
    assert "Hyperbolic Pebble Learning" in names(x, "Task")
    # unless it closes on a known technique (which keeps its type) or on a broad field
    x = run(extractor, "Unified Vision and Language Grit Learning", "We study pebble sorters.")
    assert not names(x, "Task") and "grit learning" in names(x, "Method")
    x = run(extractor, "Dynamic Machine Learning for Pebble Sorters", "We study pebble sorters.")
    assert not names(x, "Task")


def test_the_task_of_names_a_short_noun_phrase_only(extractor):
    x = run(extractor, "Rivers", "We address the task of gravel dating in rivers.")
    assert "gravel dating" in names(x, "Task")
    # four words and more after "the problem of" describe a situation, they name no task
    x = run(extractor, "Rivers", "We address the problem of grey pebble size variation in rivers.")
    assert not names(x, "Task")
