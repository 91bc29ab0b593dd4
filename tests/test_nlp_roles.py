"""The paper-role decision (PROPOSES or the type's default role), on sentences written for these tests
(invented names; the tests' own small vocabulary, tests/fixtures/vocab)."""

import pytest

from extracts import extract


def run(extractor, abstract, title="Small models"):
    return extract(extractor, title, abstract)


def roles(x):
    return {e.name: e.role for e in x.entities}


def proposed(x):
    return {e.name for e in x.entities if e.role == "PROPOSES"}


# ---------------------------------------------------------------- "by introducing X"
def test_a_gerund_propose_verb_after_by_is_a_proposal_cue(extractor):
    x = run(extractor, "We close this gap by introducing KestrelNorm, a normalisation layer for small models.")
    assert "KestrelNorm" in proposed(x)
    x = run(extractor, "Existing systems were trained through proposing PloverNet to annotators.")
    assert "PloverNet" in proposed(x)


def test_other_gerunds_after_by_are_no_proposal_cue(extractor):
    x = run(extractor, "We close this gap by adapting KestrelNorm, a normalisation layer, to small models.")
    assert "KestrelNorm" not in proposed(x)


# ---------------------------------------------------------------- a known name inside the object
def test_a_known_name_modifying_the_proposed_object_is_used(extractor):
    x = run(extractor, "We propose a knowledge distillation temperature rule that keeps wide networks stable.")
    assert roles(x).get("knowledge distillation") == "USES"


def test_a_known_name_before_a_class_noun_stays_the_object(extractor):
    x = run(extractor, "We propose a knowledge distillation framework for wide networks.")
    assert roles(x).get("knowledge distillation") == "PROPOSES"


# ---------------------------------------------------------------- naming cues
def test_a_capitalised_word_before_a_technique_head_is_the_named_technique(extractor):
    x = run(extractor, "We bound the norm with a new alternative to older schemes. Called the Siskin iteration, "
                       "our approach converges quickly.")
    assert "Siskin iteration" in proposed(x)


def test_a_capitalised_modifier_before_an_other_noun_is_no_name(extractor):
    x = run(extractor, "Called the Siskin treatment, our approach converges quickly.")
    assert not {n for n in proposed(x) if n.startswith("Siskin")}


def test_a_description_before_a_later_naming_cue_is_not_the_contribution(extractor):
    x = run(extractor, "We introduce a new and highly parallel wave learning approach, called quail grid operator (QGO).")
    assert "parallel wave learning" not in proposed(x)
    assert "quail grid operator" in proposed(x)


def test_a_task_head_in_a_propose_clause_names_the_task_not_the_contribution(extractor):
    x = run(extractor, "We introduce a novel KB reasoning framework for spreadsheets.")
    assert not {n for n in proposed(x) if "reasoning" in n.lower()}
    x = run(extractor, "We introduce KB-Wren, a novel reasoning framework for spreadsheets.")
    assert "KB-Wren" in proposed(x)


# ---------------------------------------------------------------- announced lists
def test_the_items_a_propose_clause_announces_are_proposed(extractor):
    x = run(extractor, "We propose two operations: plucking and grafting, that reshape sparse circuits.")
    assert {"plucking", "grafting"} <= proposed(x)
    assert all(e.type == "Method" for e in x.entities if e.name in ("plucking", "grafting"))
    x = run(extractor, "We propose two techniques: knowledge distillation and grafting, for sparse circuits.")
    assert {"knowledge distillation", "grafting"} <= proposed(x)


def test_numbered_items_of_an_announced_list_are_proposed(extractor):
    x = run(extractor, "To fix this, we propose three key solutions: (S1) Warbler gating. It routes tokens. "
                       "(S2) Group pooling. It shares weights. (S3) Careful warm-up. It keeps variance.")
    assert {"Warbler gating", "Group pooling", "Careful warm-up"} <= proposed(x)
    assert not {e.name for e in x.entities if e.name in ("S1", "S2", "S3")}  # list markers are no names


def test_lists_without_a_propose_verb_or_a_class_noun_are_not_proposed(extractor):
    x = run(extractor, "We study two operations: plucking and grafting, that reshape sparse circuits.")
    assert not {"plucking", "grafting"} & proposed(x)
    x = run(extractor, "We propose two goals: plucking and grafting, that reshape sparse circuits.")
    assert not {"plucking", "grafting"} & proposed(x)


# ---------------------------------------------------------------- more naming and propose cues
def test_naming_cues_with_that_and_refer_to_as_and_the_proposed_class_noun(extractor):
    x = run(extractor, "We arrive at a small space of regular networks that we call PloverNet.")
    assert "PloverNet" in proposed(x)
    x = run(extractor, "We develop a score, which we refer to as Wren Margin, that predicts accuracy.")
    assert "Wren Margin" in proposed(x)
    x = run(extractor, "We find a training regime we refer to as Heron Drift, where the loss rises late.")
    assert "Heron Drift" in proposed(x)
    x = run(extractor, "Overall, our proposed approach, Kestrel, gains 3 points over BERT.")
    assert "Kestrel" in proposed(x) and roles(x)["BERT"] == "USES"


def test_a_naming_cue_ends_the_propose_clause(extractor):
    x = run(extractor, "We propose a method called star quantization (SQ) that quantizes weights.")
    assert proposed(x) == {"star quantization"}
    x = run(extractor, "We introduce a new and highly parallel wave learning approach, called quail grid operator (QGO).")
    assert proposed(x) == {"quail grid operator"}


def test_a_base_form_propose_verb_after_and_continues_our_sentence(extractor):
    x = run(extractor, "We view adapters as modules and propose HeronTune, a tuning method.")
    assert "HeronTune" in proposed(x)
    x = run(extractor, "Prior work compresses weights and introduces KestrelNorm layers.")
    assert "KestrelNorm" not in proposed(x)


def test_a_determiner_after_and_opens_a_second_proposed_name(extractor):
    x = run(extractor, "We propose Sparrow Grid Search and the HeronCube search space for tuning.")
    assert {"Sparrow Grid Search", "HeronCube"} <= proposed(x)
    assert not {n for n in proposed(x) if " and " in n}


def test_a_measure_of_a_quantity_does_not_propose_the_quantity(extractor):
    x = run(extractor, "We propose a measure of the warble gap (WG) and show it predicts accuracy.")
    assert "warble gap" not in proposed(x)


# ---------------------------------------------------------------- the type of a paper's own name
def test_a_proposed_name_ending_in_a_model_head_noun_stays_a_model(extractor):
    x = run(extractor, "We propose a new state space model, termed Pebble-Gated State Space Model (PGSSM), for maps.")
    assert {e.type for e in x.entities if e.name == "Pebble-Gated State Space Model"} == {"Model"}
    x = run(extractor, "We propose Pebble Gating Scheme (PGS), a way to gate state space models.")
    assert {e.type for e in x.entities if e.name == "Pebble Gating Scheme"} == {"Method"}


def test_the_name_apposed_to_our_class_noun_is_proposed(extractor):
    x = run(extractor, "Our method, pebble Scaling (pS), trains small models in FP8.")
    assert "pebble Scaling" in proposed(x)
    x = run(extractor, "Our method, unlike pebble Scaling (pS), trains small models in FP8.")
    assert "pebble Scaling" not in proposed(x)


def test_an_acronym_definition_after_a_usage_word_is_used(extractor):
    x = run(extractor, "We present a preprocessing technique using the Common Spatial Filter (CSF) for signals.")
    assert "Common Spatial Filter" not in proposed(x)
    x = run(extractor, "We present the Common Spatial Filter (CSF), a preprocessing technique for signals.")
    assert "Common Spatial Filter" in proposed(x)


def test_a_known_name_before_a_class_noun_with_an_apposed_name_is_used(extractor):
    x = run(extractor, "We introduce a new knowledge distillation method, OwlKD, for small models.")
    assert roles(x).get("knowledge distillation") == "USES"
    assert "OwlKD" in proposed(x)


# ---------------------------------------------------------------- an action or a finding is no contribution
@pytest.mark.parametrize(("abstract", "used"), [
    # an infinitive proposes an action on a known name
    ("We propose to add LoRA adapters to every song layer.", "LoRA"),
    # a that-clause states a finding about a name
    ("We establish that an existing model, BERT, can sing when given a memory.", "BERT"),
])
def test_a_propose_verb_before_an_infinitive_or_a_clause_proposes_nothing(extractor, abstract, used):
    x = run(extractor, abstract)
    assert not proposed(x)
    assert roles(x).get(used) == "USES"


def test_a_propose_verb_before_its_object_still_proposes(extractor):
    x = run(extractor, "We propose PloverNet, a song model built on LoRA.")
    assert "PloverNet" in proposed(x)


# ---------------------------------------------------------------- sizes of the paper's own model
def test_a_size_of_a_proposed_known_name_is_proposed_too(extractor):
    x = run(extractor, "We present LLaMA. Our LLaMA-7B model outperforms BERT on songs.", title="LLaMA: Open Song Models")
    assert {"LLaMA", "LLaMA-7B"} <= proposed(x)
    # a size variant is no base of its own family
    assert not {(l.head, l.tail) for l in x.links if l.type == "BASED_ON"}


def test_a_size_of_a_known_name_the_paper_only_uses_is_used(extractor):
    x = run(extractor, "We present PloverNet. We fine-tune LLaMA-7B on GLUE.")
    assert roles(x).get("LLaMA-7B") == "USES"


# ---------------------------------------------------------------- another work's contribution, a description, a modifier
@pytest.mark.parametrize(("abstract", "name", "role"), [
    # a sentence reporting another work's contribution proposes nothing
    ("Recently, a new song paradigm was presented to control forgetting, called Wren Song Learning (WSL).",
     "Wren Song Learning", "USES"),
    ("On the other hand, a recent variant of BERT called WrenNet showed that songs are long.", "WrenNet", "USES"),
    # ... unless the paper speaks of its own in it
    ("Unlike the song paradigm that was presented last year, we propose a method called Wren Song Learning (WSL).",
     "Wren Song Learning", "PROPOSES"),
    ("In this work, a new song paradigm, called Wren Song Learning (WSL), is proposed.", "Wren Song Learning", "PROPOSES"),
    # a definition after a usage verb names something the paper uses
    ("Motivated by that, our study utilizes the Plover Song Transform (PST), which has a dynamic resolution.",
     "Plover Song Transform", "USES"),
    ("Motivated by that, our study proposes the Plover Song Transform (PST), which has a dynamic resolution.",
     "Plover Song Transform", "PROPOSES"),
])
def test_the_role_of_a_name_in_a_sentence_about_prior_or_used_work(extractor, abstract, name, role):
    assert roles(run(extractor, abstract)).get(name) == role


@pytest.mark.parametrize("abstract", [
    "In this paper, we propose an efficient end-to-end song training framework called PloverMoE.",
    "In this paper we introduce a new song layer (called PloverMoE), whose sole purpose is to sing.",
])
def test_a_description_a_naming_cue_names_is_not_the_contribution(extractor, abstract):
    assert proposed(run(extractor, abstract)) == {"PloverMoE"}


@pytest.mark.parametrize(("title", "name", "own"), [
    ("PloverNet: Understanding WrenZero-Like Training for Songs", "WrenZero", False),
    ("PloverNet: Reasoning on WREN-complete Song Problems", "WREN", False),
    ("Towards Neural Songs for WREN-Assisted Singing", "WREN", False),
    ("PloverNet: Training WrenZero for Songs", "WrenZero", True),
])
def test_a_title_coinage_turned_into_a_modifier_is_not_proposed(extractor, title, name, own):
    # (a modifier coinage need not be an entity at all: "WREN-complete" and "WREN-Assisted" are no names)
    x = run(extractor, "We study songs of birds.", title=title)
    assert (name in proposed(x)) is own
    assert not own or name in roles(x)


@pytest.mark.parametrize(("abstract", "name", "own"), [
    ("We show that songs are long, and we establish a link between one-dimensional WrenNets and deep linear networks.",
     "one-dimensional WrenNets", False),
    ("We show that songs are long, and we present a connection between WrenNet and BERT.", "WrenNet", False),
    ("We show that songs are long, and we present WrenNet, a song model.", "WrenNet", True),
])
def test_a_relation_between_things_is_a_study_not_a_contribution(extractor, abstract, name, own):
    x = run(extractor, abstract)
    assert name in roles(x)
    assert (name in proposed(x)) is own


@pytest.mark.parametrize(("title", "abstract", "name"), [
    # a stylised lower-case name before the title's colon, proposed by that name in the abstract
    ("wrenspace: Searching for Song Architectures", "To this end, we introduce wrenspace, a search space for songs.",
     "wrenspace"),
    # a plain lower-case word there is a topic
    ("songs: Searching for Song Architectures", "To this end, we study songs, and songs are long.", None),
])
def test_a_lower_case_title_head_is_proposed_only_when_the_abstract_proposes_it(extractor, title, abstract, name):
    x = run(extractor, abstract, title=title)
    assert proposed(x) == ({name} if name else set())


# ---------------------------------------------------------------- a known name that heads the title
def test_a_known_name_before_the_title_colon_is_proposed(extractor):
    x = extract(extractor, "Low-Rank Adaptation: Cheap Tuning of Large Models",
                "We freeze the weights and train two small matrices per layer. It matches full tuning.")
    assert "Low-Rank Adaptation" in proposed(x)


def test_a_known_title_head_the_abstract_writes_in_lower_case_is_a_topic(extractor):
    x = extract(extractor, "Knowledge Distillation: Two Shared Teachers",
                "Metrics for knowledge distillation are cheap. This paper introduces a score for students.")
    assert roles(x).get("knowledge distillation") == "USES"


def test_a_title_that_is_one_known_name_is_proposed(extractor):
    x = extract(extractor, "Low-Rank Adaptation", "We freeze the weights and train two small matrices per layer.")
    assert "Low-Rank Adaptation" in proposed(x)
    x = extract(extractor, "Low-Rank Adaptation in Practice", "We freeze the weights and train two small matrices per layer.")
    assert roles(x).get("Low-Rank Adaptation") == "USES"


# ---------------------------------------------------------------- "our final model X", "X, a set of new ..."
def test_a_name_right_after_our_class_noun_is_proposed(extractor):
    x = run(extractor, "We study design choices for small encoders. Our final model ResNet-50 is cheap.")
    assert "ResNet-50" in proposed(x)
    x = run(extractor, "We study design choices for small encoders. Our final model beats ResNet-50 at a tenth of the cost.")
    assert roles(x).get("ResNet-50") == "USES"


@pytest.mark.parametrize("abstract, own", [
    ("The search leads to KestrelNorms, a set of new normalisation layers. KestrelNorms are cheap.", True),
    ("We replace KestrelNorms, a widely used family of normalisation layers. KestrelNorms are cheap.", False),
])
def test_a_name_apposed_to_a_new_thing_is_proposed(extractor, abstract, own):
    assert ("KestrelNorms" in proposed(run(extractor, abstract))) is own


# ---------------------------------------------------------------- announced lists, "We, therefore, propose"
def test_semicolon_items_of_a_list_announced_with_an_adverb_are_proposed(extractor):
    x = run(extractor, "We, therefore, propose three techniques accordingly: gravel weight pruning to remove "
                       "noise; pebble annealing that freezes stable weights; and shell reparameterization to "
                       "decouple the heads. Experiments confirm the gains.")
    assert {"gravel weight pruning", "pebble annealing", "shell reparameterization"} <= proposed(x)


def test_semicolon_lists_without_a_propose_clause_are_not_proposed(extractor):
    x = run(extractor, "Earlier work studied three techniques: gravel weight pruning to remove noise; pebble "
                       "annealing that freezes stable weights; and shell reparameterization to decouple heads.")
    assert not proposed(x) & {"gravel weight pruning", "pebble annealing", "shell reparameterization"}


# ---------------------------------------------------------------- a cited name is another work's
@pytest.mark.parametrize("abstract, own", [
    ("The KestrelSDP approach (Doe et al., 2019) bounds Lipschitz constants. We extend KestrelSDP to new activations.", False),
    ("KestrelSDP [12] bounds Lipschitz constants. We extend KestrelSDP to new activations.", False),
    ("KestrelSDP bounds Lipschitz constants. It is fast and we test KestrelSDP on new activations.", True),
])
def test_a_title_coinage_the_abstract_cites_is_not_proposed(extractor, abstract, own):
    x = extract(extractor, "Quadratic Constraints for Extending KestrelSDP", abstract)
    assert ("KestrelSDP" in proposed(x)) is own


# ---------------------------------------------------------------- "this method, namely X"; lower-case names
def test_the_name_after_this_method_namely_is_proposed(extractor):
    x = run(extractor, "We add a third axis to scaling. This method, namely pebble scaling (PebScale), reuses "
                       "parameters. PebScale saves memory.")
    assert "pebble scaling" in proposed(x)


def test_namely_after_a_list_of_other_things_proposes_nothing(extractor):
    x = run(extractor, "Two tasks, namely PebbleQA and GravelQA, are hard. Models fail on PebbleQA and GravelQA.")
    assert not proposed(x)


@pytest.mark.parametrize("abstract, name", [
    ("We propose a new decoding rule, named psi-Sampling. Later, psi-Sampling beats greedy search.", "psi-Sampling"),
    ("This paper introduces gravelnas, a novel zero-cost metric for architectures.", "gravelnas"),
])
def test_a_lower_case_name_opening_a_propose_or_naming_clause_is_proposed(extractor, abstract, name):
    assert name in proposed(run(extractor, abstract))


@pytest.mark.parametrize("abstract, name", [
    ("This paper introduces sparsity, a property of trained weights, into the analysis.", "sparsity"),
    ("We propose gravelnas for architectures and test it on three search spaces.", "gravelnas"),
])
def test_a_lower_case_word_without_a_capital_or_a_new_apposition_is_no_name(extractor, abstract, name):
    assert name not in {e.name for e in run(extractor, abstract).entities}


@pytest.mark.parametrize("abstract, own", [
    ("We build a measure on input margins, which we refer to as `gravel margins'. Gravel margins predict "
     "generalisation.", True),
    ("We revisit the so-called 'gravel margins' of trained networks and find them weak.", False),
    ("Older work studied so-called Pebble Tickets in small models.", False),
])
def test_a_quoted_lower_case_phrase_after_a_naming_cue_is_proposed_but_not_after_so_called(extractor, abstract, own):
    x = run(extractor, abstract)
    assert bool(proposed(x) & {"gravel margins", "Pebble Tickets"}) is own


@pytest.mark.parametrize("title, name, own", [
    ("Few-Step Pebbling: Quantized Gradients for Memory Reduction", "Few-Step Pebbling", True),
    ("Queue-Aware Batch Scheduling: Exact Loads are Optional", "Queue-Aware Batch Scheduling", False),
    ("Pebble Gradients: Quantized Gradients for Memory Reduction", "Pebble Gradients", False),
])
def test_a_title_head_with_a_capitalised_hyphen_compound_is_a_name_unless_a_task(extractor, title, name, own):
    x = extract(extractor, title, "We store activations in two bits and keep accuracy on small networks.")
    assert (name in proposed(x)) is own


# ---------------------------------------------------------------- "our X" for a new term or defined name
def test_a_new_term_or_defined_name_right_after_our_is_proposed(extractor):
    x = run(extractor, "We bound the error of sparse maps. Our gravel factorization is stable under noise.")
    assert "gravel factorization" in proposed(x)
    x = run(extractor, "Shell Pebble Routing (SPR) sorts grains. Our SPR is twice as fast on sparse maps.")
    assert "Shell Pebble Routing" in proposed(x)


def test_a_known_name_after_our_is_used(extractor):
    # a vocabulary name, or an acronym whose definition is a vocabulary name, is what the paper uses
    x = run(extractor, "We bound the error of sparse maps. Our knowledge distillation runs in one pass.")
    assert roles(x).get("knowledge distillation") == "USES"
    x = run(extractor, "Knowledge distillation (KD) is popular. Our KD runs are stable on sparse maps.")
    assert not proposed(x)


# ---------------------------------------------------------------- a title that opens with a technique
def test_a_title_opening_with_an_article_and_a_technique_name_proposes_it(extractor):
    x = extract(extractor, "A Gravel Sifting Iteration for Sparse Maps", "We sort grains on sparse maps.")
    assert "Gravel Sifting Iteration" in proposed(x)
    x = extract(extractor, "Gravel Sifting Iteration for Sparse Maps", "We sort grains on sparse maps.")
    assert "Gravel Sifting Iteration" in proposed(x)


def test_a_title_opening_with_the_and_a_phrase_names_a_topic(extractor):
    x = extract(extractor, "The Gravel Sifting Iteration in Sparse Maps", "We sort grains on sparse maps.")
    assert not {n for n in proposed(x) if "Sifting" in n}


# ---------------------------------------------------------------- two proposed names that are one
def test_a_proposed_one_word_name_is_no_short_form_of_another_one_word_name(extractor):
    # the letters of "PlumeCoder" occur in order in "PlumeCodeSort" and "PlumeCodeStore": still two names
    x = extract(extractor, "PlumeCoder: Grain Sorting with Small Models",
                "We propose a method of sorting grains, referred to as PlumeCodeSort. It trains the PlumeCoder models.")
    assert {"PlumeCoder", "PlumeCodeSort"} <= {e.name for e in x.entities}


def test_a_proposed_model_and_a_proposed_dataset_stay_two_entities(extractor):
    x = extract(extractor, "PlumeCoder: Grain Sorting with Small Models",
                "We build a benchmark of sorted grains, referred to as PlumeCodeStore. It trains the PlumeCoder models.")
    assert {"PlumeCoder", "PlumeCodeStore"} <= {e.name for e in x.entities}


def test_a_proposed_short_form_of_a_longer_name_still_merges(extractor):
    x = run(extractor, "We propose Routed-Pebbles. Routed Pebble Sifting Experts sort grains twice as fast.")
    assert "Routed-Pebbles" in proposed(x)


def test_a_coined_name_in_parentheses_after_a_proposed_phrase_is_the_same_contribution(extractor):
    # the letters of "PebSifter" do not all occur in "pebble sifting", so the acronym finder rejects it; the
    # parenthesis right after the proposed phrase still says it is its short form
    x = run(extractor, "This method, namely pebble sifting (PebSifter), sorts grains. PebSifter is fast on sparse maps.")
    assert proposed(x) == {"pebble sifting"}
    assert {"pebble sifting", "PebSifter"} <= set(next(e for e in x.entities if e.name == "pebble sifting").aliases)


def test_a_coined_name_in_parentheses_elsewhere_stays_its_own_entity(extractor):
    x = run(extractor, "This method, namely pebble sifting, sorts grains. We propose raking nets (PebSifter) too. "
                       "PebSifter is slow on sparse maps.")
    assert "pebble sifting" in proposed(x)
    assert "PebSifter" not in set(next(e for e in x.entities if e.name == "pebble sifting").aliases)


# ---------------------------------------------------------------- a coinage used as a modifier
def test_a_coinage_before_a_modifier_suffix_is_not_typed_by_the_list_or_result_around_it(extractor):
    x = run(extractor, "Results on GRAVEL-complete puzzles are weak. We report 91% accuracy on QUARTZ-hard puzzles.")
    assert not {e.name for e in x.entities if e.type == "Dataset"} & {"GRAVEL", "QUARTZ"}
    # negative: the bare name in the same contexts is a dataset
    x = run(extractor, "Results on GRAVEL are weak. We report 91% accuracy on QUARTZ.")
    assert {"GRAVEL", "QUARTZ"} <= {e.name for e in x.entities if e.type == "Dataset"}


def test_an_assisted_suffix_is_stripped_from_a_coinage_like_the_other_modifier_suffixes(extractor):
    x = run(extractor, "Pebble Rule Engines (PRE) check proofs. A corpus of PRE-assisted proofs helps them.",
            title="Towards Sorting for PRE-Assisted Pebble Proofs")
    assert not [e for e in x.entities if "assisted" in e.name.lower() or any("assisted" in a.lower() for a in e.aliases)]
    assert "Pebble Rule Engines" in {e.name for e in x.entities} or "Pebble Rule Engine" in {e.name for e in x.entities}


@pytest.mark.parametrize("abstract", [
    "We evaluate on GLUE, Quillset and S, and on corrupted copies.",  # a result list
    "We use datasets such as GLUE, S and Quillset for tuning.",  # a Hearst list
    "We tune on ImageNet-1K, R and Quillset, and on ImageNet-1K, S and Quillset.",  # siblings of a known name
])
def test_a_single_letter_listed_with_a_known_dataset_is_no_dataset(extractor, abstract):
    datasets = {e.name for e in run(extractor, abstract).entities if e.type == "Dataset"}
    assert "Quillset" in datasets and not {"R", "S"} & datasets


# ---------------------------------------------------------------- coordinated verbs before the object
def test_a_coordinated_release_verb_is_not_part_of_the_trained_name(extractor):
    x = run(extractor, "We train and release Plover-3, a family of small language models.")
    assert "Plover-3" in proposed(x)
    assert not {n for n in proposed(x) if n.lower().startswith(("release", "open-source"))}
    x = run(extractor, "We pretrain and open-source Plover-3 on sand.")
    assert "Plover-3" in proposed(x)


# ---------------------------------------------------------------- sizes of the paper's own name
def test_a_size_after_the_proposed_name_is_a_proposed_checkpoint(extractor):
    x = run(extractor, "We present Plover-Coder, a series of code language models. Plover-Coder-33B-Instruct "
                       "outperforms BERT on sand.", title="Plover-Coder: Open Code Models")
    assert {"Plover-Coder", "Plover-Coder-33B-Instruct"} <= proposed(x)
    assert not {e.name for e in x.entities if e.name.startswith("Coder")}


def test_a_size_after_a_used_name_is_not_proposed(extractor):
    x = run(extractor, "We present Plover, a sand sorter. Wren-Coder-33B-Instruct sorts gravel.", title="Plover: Sand Sorting")
    assert not {n for n in proposed(x) if "Wren" in n or "Coder" in n}


# ---------------------------------------------------------------- a dotted package name in a propose clause
def test_a_dotted_package_name_is_proposed_whole(extractor):
    x = run(extractor, "To this end, we developed Gravelsort.jl, an extendable sorting system for sand.")
    assert "Gravelsort.jl" in proposed(x)
    x = run(extractor, "We developed Gravelsort. It sorts sand.")
    assert "Gravelsort" in proposed(x) and not {n for n in proposed(x) if "It" in n}


# ---------------------------------------------------------------- versions of the paper's own name
def test_a_prefixed_version_of_the_proposed_name_is_proposed_apart(extractor):
    x = run(extractor, "We propose a family of pebble priors, which we call PBGP. PBGP comes with a sparse "
                       "version (S-PBGP) that scales to big sand. PBGP-priors are exact.")
    assert {"PBGP", "S-PBGP"} <= proposed(x)
    assert "PBGP-priors" not in {e.name for e in x.entities}


def test_a_prefixed_acronym_of_no_proposed_name_is_not_proposed(extractor):
    x = run(extractor, "We propose a family of pebble priors, which we call PBGP. It beats S-QRGP on sand.")
    assert "S-QRGP" not in proposed(x)


# ---------------------------------------------------------------- "the Foo framework"
def test_a_capitalised_word_before_a_class_noun_is_the_name_when_written_alone_later(extractor):
    x = run(extractor, "We introduce the Ibex framework, which sorts sand. With Ibex, sorting is twice as fast.")
    assert "Ibex" in proposed(x)


def test_a_capitalised_modifier_of_a_class_noun_stays_no_name(extractor):
    x = run(extractor, "We introduce the Bayesian framework, which sorts sand. Bayesian sorting is fast.")
    assert not {n for n in proposed(x) if n.startswith("Bayesian")}


def test_coordinated_checkpoints_of_one_stem_are_two_names(extractor):
    x = run(extractor, "Plover is a small sand model. We release Plover-Base and Plover-Chat.", title="Plover: A Sand Model")
    assert {"Plover-Base", "Plover-Chat"} <= proposed(x)
    assert not {n for n in proposed(x) if " and " in n}


def test_a_coordinated_title_case_phrase_of_other_stems_stays_one_name(extractor):
    x = run(extractor, "We present Sand-Aware and Noise-Robust Sorting, a sorter for gravel.")
    assert "Sand-Aware and Noise-Robust Sorting" in proposed(x)


# ---------------------------------------------------------------- a name for a new problem
def test_a_name_apposed_to_a_new_task_is_a_task_not_a_contribution(extractor):
    x = run(extractor, "We introduce Pebble Budget Search (PBS), a novel task where the goal is to sort sand. "
                       "To address PBS, we introduce Shifter Sieves (SHS).")
    assert roles(x).get("Pebble Budget Search") == "ADDRESSES"
    assert {e.type for e in x.entities if e.name == "Pebble Budget Search"} == {"Task"}
    assert "Shifter Sieves" in proposed(x)


def test_a_name_apposed_to_a_method_for_a_task_stays_proposed(extractor):
    x = run(extractor, "We introduce Pebble Budget Search (PBS), a novel method for the task of sorting sand.")
    assert "Pebble Budget Search" in proposed(x)


# ---------------------------------------------------------------- a graded known technique
def test_a_graded_known_technique_in_a_propose_clause_is_used(extractor):
    x = run(extractor, "We also introduce a customized fine-tuning and inference approach for sand.")
    assert roles(x).get("fine-tuning") == "USES"
    assert not {n for n in proposed(x) if "fine-tuning" in n}


def test_a_known_technique_modified_by_a_content_word_is_the_papers_variant(extractor):
    x = run(extractor, "We propose highly memory-efficient LoRA for sand models.")
    assert {n for n in proposed(x) if n.endswith("LoRA")}


# ---------------------------------------------------------------- a class noun makes no name more specific
@pytest.fixture(scope="module")
def vit_extractor(tmp_path_factory):
    from kg.nlp import Extractor

    d = tmp_path_factory.mktemp("overlap-vocab")
    vocab = {"models.tsv": ["Vision Transformer\tViT", "Transformer\tTransformer architecture"], "methods.tsv": ["knowledge sifting"],
             "datasets.tsv": ["PEBBLE-QA"], "hardware.tsv": ["NVIDIA A100\tA100\tvendor=NVIDIA"], "tasks.tsv": ["pebble counting"]}
    for fname, lines in vocab.items():
        (d / fname).write_text("# name\taliases\tattrs\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return Extractor(vocab_dir=d)


def test_a_known_name_plus_a_class_noun_does_not_beat_a_longer_known_name(vit_extractor):
    x = run(vit_extractor, "We sort sand with a small model.", title="Plover: A Multi-Task Vision Transformer Architecture for Sand")
    names = {e.name for e in x.entities}
    assert "Vision Transformer" in names and "Transformer" not in names


def test_a_known_name_plus_a_class_noun_alone_is_the_known_name(vit_extractor):
    x = run(vit_extractor, "We sort sand with a Transformer architecture.")
    assert "Transformer" in {e.name for e in x.entities}


# ---------------------------------------------------------------- "X is a novel Y"
def test_a_capitalised_subject_said_to_be_new_is_proposed(extractor):
    x = run(extractor, "Heronet is a novel architecture for sand sorting. Heronet beats BERT on sand.")
    assert "Heronet" in proposed(x)


def test_a_known_or_common_subject_said_to_be_new_is_not_proposed(extractor):
    x = run(extractor, "This is a novel setting for sand sorting. BERT is a new baseline for sand.")
    assert not proposed(x)


# ---------------------------------------------------------------- "we introduce LoRA into ..."
def test_a_known_technique_introduced_into_a_new_use_is_used(extractor):
    x = run(extractor, "We introduce LoRA into sand sorters to cut memory.")
    assert roles(x).get("LoRA") == "USES"
    x = run(extractor, "We introduce LoRA for sand sorters.")
    assert roles(x).get("LoRA") == "PROPOSES"


# ---------------------------------------------------------------- a description named after a comma
def test_a_plural_description_named_after_a_comma_is_not_the_contribution(extractor):
    x = run(extractor, "We propose Mixture-of-Experts layers with learned routing, called RouteSift.")
    assert "RouteSift" in proposed(x)
    assert not {n for n in proposed(x) if "Mixture" in n}


# ---------------------------------------------------------------- one-letter sizes of the paper's own name
def test_a_letter_size_of_the_proposed_name_is_proposed(extractor):
    x = run(extractor, "Our approach, GrainFormer, uses a Transformer encoder. GrainFormer-S outperforms BERT on sand. "
                       "GrainFormer-S is small.")
    assert {"GrainFormer", "GrainFormer-S"} <= proposed(x)
    x = run(extractor, "Our approach, GrainFormer, sorts sand. It outperforms DuneFormer-S on sand. DuneFormer-S is big.")
    assert "DuneFormer-S" not in proposed(x)


# ---------------------------------------------------------------- a proposed family and its sizes: one type
def types(x):
    return {e.name: e.type for e in x.entities}


def test_size_letters_of_a_proposed_model_take_the_family_type(extractor):
    x = run(extractor, "We evaluate GannetNet-S and GannetNet-L on small images.", title="GannetNet: Scalable Vision Backbones")
    t = types(x)
    assert t.get("GannetNet") == "Model"
    assert t.get("GannetNet-S") == "Model" and t.get("GannetNet-L") == "Model"


def test_a_parameter_count_makes_the_proposed_family_a_model(extractor):
    x = run(extractor, "We train Tern-Q1-3B with a simple reward, and Tern-Q1 needs few examples.",
            title="Tern-Q1: Understanding Reward Shaping for Grounding")
    t = types(x)
    assert t.get("Tern-Q1") == "Model"
    assert t.get("Tern-Q1-3B") == "Model"


def test_a_variant_of_a_name_the_paper_does_not_propose_keeps_its_type(extractor):
    x = run(extractor, "We compare against GannetNet-S, an older backbone, on small images.", title="Small backbones")
    assert "GannetNet-S" not in proposed(x)


# ---------------------------------------------------------------- known techniques brought into a new use
def test_coordinated_known_techniques_brought_into_a_model_are_used(extractor):
    x = run(extractor, "We introduce LoRA and knowledge distillation into the plover decoder.")
    r = roles(x)
    assert r.get("LoRA") == "USES" and r.get("knowledge distillation") == "USES"


def test_a_later_clause_with_to_does_not_unpropose_the_first_object(extractor):
    x = run(extractor, "We propose GannetNorm and show that it helps, and apply it to speech.")
    assert "GannetNorm" in proposed(x)


# ---------------------------------------------------------------- a list announced by "namely"
def test_a_list_after_namely_in_a_propose_clause_is_the_papers_own(extractor):
    x = run(extractor, "We further introduce two novel techniques to cut memory, namely gated pebble pooling and "
                       "tern routing.")
    assert {"gated pebble pooling", "tern routing"} <= proposed(x)
    x = run(extractor, "We propose two new components, namely gated pebble pooling and tern routing.")
    assert {"gated pebble pooling", "tern routing"} <= proposed(x)


def test_namely_without_a_counted_class_noun_announces_no_list(extractor):
    x = run(extractor, "We study the memory of small models, namely gated pebble pooling and tern routing.")
    assert "gated pebble pooling" not in proposed(x)
