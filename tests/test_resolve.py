"""Entity resolution across papers: one node per real-world entity."""

from __future__ import annotations

from kg.graph import entity_nodes
from kg.resolve import Resolver, is_acronym
from kg.text import fold
from kg.types import Entity, PaperExtraction, PaperRecord


def paper(pid: str, *entities: Entity) -> PaperExtraction:
    return PaperExtraction(PaperRecord(id=pid, title=f"Paper {pid}", abstract="..."), list(entities))


def ent(name: str, type_: str = "Method", *aliases: str) -> Entity:
    return Entity(name=name, type=type_, role="USES", aliases=list(aliases) or [name])


def resolve(*papers: PaperExtraction, vocabulary=()) -> tuple[Resolver, dict]:
    r = Resolver(vocabulary)
    for p in papers:
        r.add(p)
    return r, r.resolve()


def test_acronym_defined_once_joins_every_spelling_elsewhere():
    corpus = [
        paper("p1", ent("Mixture-of-Experts", "Method", "Mixture-of-Experts", "MoE")),
        paper("p2", ent("mixture of experts")),
        paper("p3", ent("Mixture of Experts")),
        paper("p4", ent("MoE")),
        paper("p5", ent("MoEs")),
    ]
    r, resolved = resolve(*corpus)
    assert len(resolved) == 1
    node = next(iter(resolved.values()))
    assert node.node_id == "method/mixture-of-experts"
    assert {"MoE", "MoEs", "mixture of experts", "Mixture of Experts"} <= set(node.aliases)
    assert node.papers == 5


def test_two_meanings_of_one_acronym_stay_two_nodes():
    corpus = [
        paper("p1", ent("probabilistic circuit", "Model", "probabilistic circuits", "PC")),
        paper("p2", ent("personal computer", "Model", "personal computer", "PC")),
        paper("p3", ent("probabilistic circuit", "Model", "probabilistic circuit", "PCs")),
    ]
    r, resolved = resolve(*corpus)
    names = sorted(n.name for n in resolved.values())
    assert names == ["personal computer", "probabilistic circuit"]
    # A paper that only writes the acronym gets the meaning most papers define.
    assert r.lookup(ent("PC", "Model")).name == "probabilistic circuit"


def test_checkpoint_and_family_are_separate_nodes():
    _, resolved = resolve(paper("p1", ent("LLaMA-2-7B", "Model")), paper("p2", ent("LLaMA-2", "Model")))
    assert sorted(n.node_id for n in resolved.values()) == ["model/llama-2", "model/llama-2-7b"]


def test_vocabulary_anchors_the_canonical_name():
    _, resolved = resolve(paper("p1", ent("low rank adaptation")), paper("p2", ent("Low-Rank Adaptation")),
                          vocabulary=[("low-rank adaptation", "LoRA")])
    assert [n.name for n in resolved.values()] == ["LoRA"]


def test_resolution_does_not_depend_on_paper_order():
    corpus = [
        paper("p1", ent("Vision Transformer", "Model", "Vision Transformer", "ViT")),
        paper("p2", ent("ViT", "Model")),
        paper("p3", ent("vision transformers", "Model")),
        paper("p4", ent("ViTs", "Method")),
    ]
    _, a = resolve(*corpus)
    _, b = resolve(*reversed(corpus))
    assert [(n.node_id, n.name, n.aliases, n.type) for n in a.values()] == \
           [(n.node_id, n.name, n.aliases, n.type) for n in b.values()]
    assert len(a) == 1 and next(iter(a.values())).type == "Model"


def test_no_two_nodes_of_one_type_fold_to_the_same_name():
    corpus = [paper(f"p{i}", ent(s, "Method")) for i, s in enumerate(
        ["Knowledge Distillation", "knowledge-distillation", "knowledge distillations", "KD", "Knowledge distillation"])]
    corpus.append(paper("px", ent("knowledge distillation", "Method", "knowledge distillation", "KD")))
    r, resolved = resolve(*corpus)
    seen = {}
    for node in entity_nodes(r):
        for s in (node.name, *node.aliases):
            key = (node.label, fold(s))
            assert seen.setdefault(key, node.id) == node.id


def test_is_acronym_tells_acronyms_from_coined_names():
    assert is_acronym("MoE") and is_acronym("LoRA") and is_acronym("ViT") and is_acronym("GPT-4")
    assert not is_acronym("QuokkaMamba") and not is_acronym("transformer") and not is_acronym("Mamba")


def test_sample_build_has_one_node_per_folded_name_and_type(sample_build):
    from graphs import load_graph

    outdir, _ = sample_build
    seen: dict[tuple[str, str], str] = {}
    for node in load_graph(outdir).nodes():
        if node.label == "Paper":
            continue
        for s in (node.name, *node.aliases):
            key = (node.label, fold(s))
            assert seen.setdefault(key, node.id) == node.id, f"{key}: {seen[key]} and {node.id}"


def test_spellings_of_one_vocabulary_entry_join_even_as_bare_acronyms_but_editions_stay_apart():
    vocab = [("Batch normalization", "Batch normalization"), ("BatchNorm", "Batch normalization"),
             ("WMT", "WMT"), ("WMT 2014", "WMT")]
    _, resolved = resolve(paper("p1", ent("BatchNorm")), paper("p2", ent("batch normalization")),
                          paper("p3", ent("WMT", "Dataset")), paper("p4", ent("WMT 2014", "Dataset")),
                          vocabulary=vocab)
    # "WMT 2014" listed under WMT is an edition of it (#17): its own node, BASED_ON WMT in the graph
    assert sorted(n.name for n in resolved.values()) == ["Batch normalization", "WMT", "WMT 2014"]


def test_resolving_before_every_paper_arrived_changes_nothing():
    # kg build --update keeps the last build's resolver, which has resolved
    # once already, and adds the new papers to it.
    import pickle

    corpus = [
        paper("p1", ent("ZQN", "Method")),
        paper("p2", ent("Zoned Query Networks", "Method", "Zoned Query Networks", "ZQN")),
        paper("p3", ent("mixture of experts"), ent("MoE")),
        paper("p4", ent("Mixture-of-Experts", "Method", "Mixture-of-Experts", "MoE")),
    ]
    for cut in range(1, len(corpus)):
        early = Resolver()
        for p in corpus[:cut]:
            early.add(p)
        early.resolve()
        early = pickle.loads(pickle.dumps(early))
        for p in corpus[cut:]:
            early.add(p)
        _, fresh = resolve(*corpus)
        assert early.resolve() == fresh
        assert early.handle_map() == Resolver.handle_map(resolve(*corpus)[0])
