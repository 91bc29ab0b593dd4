"""Pattern families of kg.nlp, on sentences written for these tests."""

from kg.nlp import to_json
from kg.nlp.abbreviations import best_long_form, find_abbreviations
from kg.nlp.hardware import HardwareFinder
from kg.nlp.sentences import split_sentences
from kg.nlp.vocab import load_vocab, surface_variants
from kg.text import fold
from kg.types import PaperRecord

from extracts import extract

from pathlib import Path

FIXTURE_VOCAB = Path(__file__).parent / "fixtures" / "vocab"


run = extract


def ents(x):
    return {(fold(e.name), e.type): e for e in x.entities}


def get(x, name):
    for e in x.entities:
        if fold(e.name) == fold(name) or fold(name) in {fold(a) for a in e.aliases}:
            return e
    return None


# ---------------------------------------------------------------- vocabulary
def test_vocab_loader_reads_fixture():
    entries = load_vocab(FIXTURE_VOCAB)
    by_name = {e.name: e for e in entries}
    assert by_name["LoRA"].type == "Method"
    assert "Low-Rank Adaptation" in by_name["LoRA"].aliases
    assert by_name["NVIDIA A100"].attrs == {"vendor": "NVIDIA"}


def test_surface_variants():
    v = surface_variants("Mixture-of-Experts")
    assert {"Mixture of Experts", "Mixture-of-Expert"} <= v
    assert "pretraining" in surface_variants("pre-training")
    assert "MultiPLE" not in surface_variants("MultiPL-E")
    assert "ResNet-50s" in surface_variants("ResNet-50") or "ResNet 50" in surface_variants("ResNet-50")


def test_vocab_matching_is_fold_tolerant(extractor):
    x = run(extractor, "A study", "We apply mixture of experts layers and fine tuning to Transformers with Llama.")
    names = {e.name for e in x.entities}
    assert {"Mixture-of-Experts", "fine-tuning", "Transformer", "LLaMA"} <= names
    moe = get(x, "Mixture-of-Experts")
    assert moe.role == "USES"
    assert moe.mentions[0].text == "mixture of experts"


def test_all_caps_vocab_is_case_sensitive(extractor):
    x = run(extractor, "Counting", "We teach children math with pictures. We also report accuracy on MATH.")
    maths = [e for e in x.entities if e.name == "MATH"]
    assert len(maths) == 1 and [m.text for m in maths[0].mentions] == ["MATH"]


def test_fields_of_study_and_generic_words_are_not_entities(extractor):
    x = run(
        extractor,
        "Deep learning for computer vision",
        "This approach is a framework and a method in deep learning. We evaluate on seven multilingual "
        "benchmarks and on synthetic data.",
    )
    bad = {"deeplearning", "computervision", "approach", "framework", "method", "syntheticdata"}
    assert not bad & {fold(e.name) for e in x.entities}
    assert all(e.type != "Dataset" for e in x.entities)


# ---------------------------------------------------------------- abbreviations
def test_schwartz_hearst_long_then_short():
    (a,) = find_abbreviations("We adopt Low-Rank Adaptation (LoRA) for speed.")
    assert (a.short, a.long) == ("LoRA", "Low-Rank Adaptation")
    text = "We adopt Low-Rank Adaptation (LoRA) for speed."
    assert text[a.long_start : a.long_end] == a.long and text[a.short_start : a.short_end] == a.short


def test_schwartz_hearst_short_then_long():
    text = "We adopt LoRA (Low-Rank Adaptation) for speed."
    (a,) = find_abbreviations(text)
    assert (a.short, a.long) == ("LoRA", "Low-Rank Adaptation")
    assert text[a.long_start : a.long_end] == "Low-Rank Adaptation"


def test_schwartz_hearst_rejects_non_definitions():
    assert find_abbreviations("accuracy improves (see Table 3) and (e.g., more data)") == []
    assert best_long_form("XYZ", "a simple model") is None
    (a,) = find_abbreviations("we train a Graph Attention Network (GAT; Someone et al., 2018) here")
    assert a.long == "Graph Attention Network"


def test_a_long_form_crosses_no_comma(extractor):
    # the letters of "SGPN" reach back over a clause ("sorts grains, unlike ..."): no definition there
    assert find_abbreviations("The sifter, sorts grains, unlike Pebble Net (SGPN) is slow.") == []
    x = run(extractor, "Sifting", "The sifter, sorts grains, unlike Pebble Net (SGPN) is slow.")
    assert not [e for e in x.entities if "," in e.name]
    (a,) = find_abbreviations("We use the Sorted Grain Pebble Net (SGPN) here.")
    assert a.long == "Sorted Grain Pebble Net"


def test_a_defined_quantity_is_no_entity(extractor):
    # a constant, a count or a size is measured, not applied: no Method by default
    for long, short in (("Gravel Drift Constant", "GDC"), ("Pebble Step Count", "PSC"), ("Critical Shell Size", "CSS")):
        x = run(extractor, "Sifting", f"We define the {long} ({short}) and track the {short} during sifting.")
        assert not [e for e in x.entities if short in e.aliases or e.name == long], long
    x = run(extractor, "Sifting", "We define Gravel Drift Sampling (GDS) and apply GDS during sifting.")
    assert get(x, "GDS") is not None and get(x, "GDS").type == "Method"


def test_acronym_and_long_form_merge(extractor):
    x = run(extractor, "On routing", "We study Sparse Token Routing (STR). STR reduces cost; STR is simple.")
    e = get(x, "STR")
    assert e is not None and e.name == "Sparse Token Routing"
    assert set(e.aliases) == {"Sparse Token Routing", "STR"}
    assert len(e.mentions) == 4
    assert sum(1 for y in x.entities if fold(y.name) == fold("STR")) == 0


# ---------------------------------------------------------------- hardware
def test_hardware_counts_and_memory():
    h = HardwareFinder()
    got = h.find("Training used 96 NVIDIA V100-32GB GPUs.")[0]
    # named by the product, not the wording: memory and class words are no part of it
    assert (got.name, got.count, got.attrs["memory"], got.attrs["vendor"]) == ("NVIDIA V100", 96, "32GB", "NVIDIA")
    got = h.find("It runs on eight A100s.")[0]
    assert (got.count, got.attrs["product"]) == (8, "A100")
    got = h.find("We used 1024 TPU cores.")[0]
    assert (got.name, got.count) == ("TPU", 1024)
    got = h.find("It fits on a single GPU.")[0]
    assert (got.name, got.count) == ("GPU", 1)
    got = h.find("with 4 x A100 80GB")[0]
    assert (got.count, got.attrs["memory"]) == (4, "80GB")


def test_hardware_classes_and_non_hardware():
    h = HardwareFinder()
    names = [x.name for x in h.find("Deploying to embedded FPGAs, edge devices, microcontrollers and mobile phones.")]
    assert names == ["FPGA", "edge device", "microcontroller", "mobile phone"]
    assert h.find("we bound the L2 norm of T5 outputs and FLOPs") == []
    got = h.find("This took 1000 GPU hours.")
    assert got and got[0].count is None


def test_hardware_entity_role(extractor):
    x = run(extractor, "Fast training", "We train on 8 GPUs and deploy to edge devices.")
    g = get(x, "GPU")
    assert g.type == "Hardware" and g.role == "USES_HARDWARE" and g.count == 8
    assert get(x, "edge device").role == "USES_HARDWARE"


# ---------------------------------------------------------------- proposals and coinages
def test_title_colon_is_proposed(extractor):
    x = run(extractor, "ZebraNet: Striped Networks for Image Classification", "We evaluate on ImageNet-1K.")
    z = get(x, "ZebraNet")
    assert z.role == "PROPOSES" and z.type == "Model"  # a coined architecture ("-Net") stays a Model
    assert z.evidence_field == "title"
    assert get(x, "ImageNet-1K").role == "EVALUATES_ON"
    assert get(x, "image classification").role == "ADDRESSES"


def test_we_propose_and_called(extractor):
    x = run(
        extractor,
        "Better adapters",
        "In this paper, we propose QuokkaTune, a parameter-efficient tuning method. "
        "We also introduce a benchmark called Wombat-Bench.",
    )
    q = get(x, "QuokkaTune")
    assert q.role == "PROPOSES" and q.type == "Method"
    w = get(x, "Wombat-Bench")
    assert w.role == "PROPOSES" and w.type == "Dataset"
    assert "we propose" in q.evidence.lower()


def test_coinage_morphology(extractor):
    x = run(
        extractor,
        "A comparison",
        "We compare PandaFormer and KoalaNet with ResNet-50 and Gemma-2-9B, using accuracy on the OtterQA benchmark.",
    )
    assert get(x, "PandaFormer").type == "Model"
    assert get(x, "KoalaNet").type == "Model"
    assert get(x, "ResNet-50").type == "Model"
    assert get(x, "Gemma-2-9B").type == "Model"
    assert get(x, "OtterQA").type == "Dataset"


def test_datasets_in_lists(extractor):
    x = run(extractor, "Results", "Experiments on the datasets FOOD, BARK and QWAX-2 show gains.")
    for n in ("FOOD", "BARK", "QWAX-2"):
        assert get(x, n).type == "Dataset"


# ---------------------------------------------------------------- links
def test_links(extractor):
    x = run(
        extractor,
        "SparrowLoRA: Tiny Adapters",
        "We present SparrowLoRA, built on Low-Rank Adaptation (LoRA). SparrowLoRA outperforms BERT fine-tuning.",
    )
    links = {(l.head, l.type, l.tail) for l in x.links}
    assert ("SparrowLoRA", "BASED_ON", "LoRA") in links
    assert ("SparrowLoRA", "OUTPERFORMS", "BERT") in links
    for l in x.links:
        assert l.evidence and l.rule


def test_trained_on(extractor):
    x = run(extractor, "Scaling", "We find that BERT trained on GLUE generalises.")
    assert ("BERT", "TRAINED_ON", "GLUE") in {(l.head, l.type, l.tail) for l in x.links}


# ---------------------------------------------------------------- output shape
def test_mentions_offsets_and_sorting(extractor):
    rec = PaperRecord(id="t", title="BERT for question answering", abstract="We fine-tune BERT on GLUE.")
    x = extractor.extract(rec)
    for e in x.entities:
        assert sum(1 for y in x.entities if (fold(y.name), y.type) == (fold(e.name), e.type)) == 1
        for m in e.mentions:
            assert rec.text(m.field)[m.start : m.end] == m.text
        assert 0.0 <= e.confidence <= 1.0
        src = rec.text(e.evidence_field)
        assert src[e.evidence_start : e.evidence_end] == e.evidence
    firsts = [(e.mentions[0].field != "title", e.mentions[0].start) for e in x.entities]
    assert firsts == sorted(firsts)
    d = to_json(x)
    assert set(d) >= {"id", "title", "entities", "links"}
    assert set(d["entities"][0]) >= {"name", "type", "role", "aliases", "mentions"}


def test_extract_many_order_and_determinism(extractor):
    recs = [PaperRecord(id=str(i), title=f"Paper {i}", abstract="We use BERT and LoRA on 2 GPUs.") for i in range(5)]
    a = [to_json(x) for x in extractor.extract_many(recs, batch_size=2)]
    b = [to_json(x) for x in extractor.extract_many(recs)]
    assert [d["id"] for d in a] == [str(i) for i in range(5)]
    assert a == b


def test_sentence_splitter():
    t = "We use BERT (Devlin et al. 2019), e.g. GPT. Accuracy rises by 3.5%. Fig. 2 shows it"
    assert [t[a:b] for a, b in split_sentences(t)] == [
        "We use BERT (Devlin et al. 2019), e.g. GPT.",
        "Accuracy rises by 3.5%.",
        "Fig. 2 shows it",
    ]


def test_schwartz_hearst_coordinated():
    text = "We call them Dense and Sparse Token Routing (DTR and STR) in what follows."
    a, b = find_abbreviations(text)
    assert (a.short, a.long) == ("DTR", "Dense Token Routing")
    assert (b.short, b.long) == ("STR", "Sparse Token Routing")
    assert text[b.long_start : b.long_end] == "Sparse Token Routing"
    assert text[a.long_start : a.long_end] == "Dense"


def test_comparison_and_based_modifier_links(extractor):
    x = run(
        extractor,
        "Better tuning",
        "We propose OwlNet, a Transformer-based model. OwlNet shows clear improvements over BERT on GLUE.",
    )
    links = {(l.head, l.type, l.tail) for l in x.links}
    assert ("OwlNet", "BASED_ON", "Transformer") in links
    assert ("OwlNet", "OUTPERFORMS", "BERT") in links


def test_class_reference_is_not_an_outperformed_system(extractor):
    x = run(extractor, "T", "We propose HeronLM. HeronLM outperforms strong Transformers like BERT.")
    links = {(l.head, l.type, l.tail) for l in x.links}
    assert ("HeronLM", "OUTPERFORMS", "BERT") in links
    assert ("HeronLM", "OUTPERFORMS", "Transformer") not in links


def test_hardware_name_is_the_product_and_the_wording_an_alias(extractor):
    x = run(extractor, "T", "Experiments ran on 64 NVIDIA H100 GPUs across GPU clusters.")
    names = {e.name: e for e in x.entities if e.type == "Hardware"}
    assert names["NVIDIA H100"].count == 64
    assert names["NVIDIA H100"].attrs["vendor"] == "NVIDIA"
    assert "NVIDIA H100 GPUs" in names["NVIDIA H100"].aliases


def test_hearst_hyponyms(extractor):
    x = run(
        extractor,
        "T",
        "Adaptive optimizers such as Zebrax and Quillon are fast. We compare three methods: Mirel, Taskor, and Vunet.",
    )
    for n in ("Zebrax", "Quillon", "Mirel", "Taskor"):
        e = get(x, n)
        assert e is not None and e.type == "Method", n
    assert get(x, "Vunet") is not None


def test_apposition_types_a_new_model(extractor):
    x = run(extractor, "T", "We propose KestrelCoder, a Transformer-based model for program repair.")
    k = get(x, "KestrelCoder")
    assert k.role == "PROPOSES" and k.type == "Model"


def test_metric_definitions_are_not_entities(extractor):
    x = run(extractor, "T", "We report the Jailbreak Success Rate (JSR) of BERT. JSR drops by half.")
    assert get(x, "JSR") is None
    assert get(x, "BERT") is not None


def test_title_problem_phrases(extractor):
    x = run(extractor, "Learning Graph Inference for Faster Molecule Analysis", "We study it.")
    assert get(x, "Graph Inference").type == "Task"
    assert get(x, "Molecule Analysis").type == "Task"
    y = run(extractor, "From Quiet to Noisy Training Dynamics", "We study it.")
    assert get(y, "Noisy Training") is None


def test_title_case_prefix_needs_support(extractor):
    x = run(extractor, "Dogs Without Leashes: Free Walking in Parks", "We walk dogs in parks.")
    assert get(x, "Dogs Without Leashes") is None
    y = run(extractor, "Sparse Token Routing: Faster Inference", "Sparse Token Routing (STR) is fast.")
    assert get(y, "Sparse Token Routing").role == "PROPOSES"


def test_plain_word_before_title_colon_needs_support(extractor):
    x = run(extractor, "Only: A Note on Caching", "Caching helps.")
    assert get(x, "Only") is None
    y = run(extractor, "Heron: Fast Caching", "Heron caches keys. Heron is fast.")
    assert get(y, "Heron").role == "PROPOSES"


def test_sentences_end_after_closing_quotes_at_a_glued_full_stop_and_at_question_marks():
    t = 'It is called "Foo." Then we test it on three tasks.Our tests pass! Does it work? (Yes.) 5 runs. x.Y stays'
    assert [t[a:b] for a, b in split_sentences(t)] == [
        'It is called "Foo.',  # a sentence ends at its full stop; closing quotes open the next span
        "Then we test it on three tasks.",
        "Our tests pass!",
        "Does it work?",
        "(Yes.",
        "5 runs. x.Y stays",
    ]
