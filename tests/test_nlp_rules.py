"""Pattern families of the extractor's rule tables, on sentences written for these tests (invented names)."""

from kg.types import PaperRecord


def run(extractor, title, abstract):
    return extractor.extract(PaperRecord(id="t", title=title, abstract=abstract))


def links(x):
    return {(l.head, l.type, l.tail) for l in x.links}


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
