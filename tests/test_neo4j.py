"""`kg push neo4j` through the official neo4j driver against a fake Neo4j *server*.

Only the server is faked (tests/fake_bolt.py speaks Bolt 5.1 on a loopback
port); kg's writer and the driver run unchanged. The Neo4j-dialect Cypher is
checked by Neo4j's own Cypher parser (npm @neo4j-cypher/language-support,
installed under tools/cypher-lint) when node and that package are present.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graph import NODE_LABELS
from kg.writers import cypher_model as cm
from kg.writers.cypher_script import export_cypher_script, split_script
from kg.writers.graph_jsonl import write_graph_jsonl
from kg.writers.neo4j import push_neo4j, redact_uri

from conftest import MALICIOUS_NAMES
from fake_bolt import FakeNeo4j
from test_cypher import _strings, grown_graph

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "s3cr3t-Pa55word!"


@pytest.fixture
def neo():
    with FakeNeo4j(password=PASSWORD) as srv:
        yield srv


def test_push_sends_parameters_only(neo, tmp_path, small_graph):
    s = push_neo4j(small_graph.save(tmp_path), neo.uri, ("neo4j", PASSWORD), database="papers", batch_size=4)
    assert (s.nodes_created, s.relationships_created) == (len(small_graph), small_graph.number_of_edges())
    assert (s.nodes_updated, s.relationships_updated) == (0, 0)
    assert s.seconds > 0 and "papers" in s.target and PASSWORD not in str(s)

    runs = neo.rec.runs
    schema = [q for q, _, _ in runs if q.startswith("CREATE ")]
    writes = [(q, p) for q, p, _ in runs if not q.startswith("CREATE ")]
    # constraints and indexes first, Neo4j 5 syntax
    assert [q for q, _, _ in runs[: len(schema)]] == schema
    assert schema == [st.cypher for st in cm.schema_statements("neo4j")]
    for label in NODE_LABELS:
        assert f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE" in schema
    # every write is a managed transaction on the requested database
    assert all(meta.get("db") == "papers" for _, _, meta in runs)
    assert neo.rec.commits == len(runs)
    # every value travels as a parameter; none appears in the query text
    sent = [row for _, p in writes for row in p["rows"]]
    assert len(sent) == len(small_graph) + small_graph.number_of_edges()
    assert all(len(p["rows"]) <= 4 for _, p in writes)
    for q, p in writes:
        assert q.startswith("UNWIND $rows AS row\n")
        for v in _strings(p["rows"]):
            if len(v) > 2:
                assert v not in q, v
    by_id = {r["id"]: r["props"] for r in sent if "id" in r}
    for i, name in enumerate(MALICIOUS_NAMES):
        assert by_id[f"method/evil-{i}"] == {"id": f"method/evil-{i}", "name": name, "aliases": [name]}
    hw = [r for r in sent if r.get("target") == "hardware/gpu"][0]["props"]
    assert hw["count"] == 8 and hw["purpose"] == "training" and hw["confidence"] == 0.9
    paper = by_id["paper/2401.04088"]
    assert paper["authors"] == ["A. Jiang", "B. Sablayrolles"] and paper["date"] == "2024-01-08"
    # Entity label on entities only
    assert all(("n:Entity" in q) == (": Paper" not in q and "(n:Paper " not in q) for q, _ in writes
               if q.startswith("UNWIND $rows AS row\nMERGE"))


def test_push_is_idempotent_and_incremental(neo, tmp_path, small_graph):
    push_neo4j(small_graph.save(tmp_path / "a"), neo.uri, ("neo4j", PASSWORD))
    again = push_neo4j(tmp_path / "a", neo.uri, ("neo4j", PASSWORD))
    assert (again.nodes_created, again.nodes_updated, again.relationships_created,
            again.relationships_updated) == (0, 0, 0, 0)
    assert (len(neo.store.nodes), len(neo.store.rels)) == (len(small_graph), small_graph.number_of_edges())
    later = grown_graph()
    s = push_neo4j(later.save(tmp_path / "b"), neo.uri, ("neo4j", PASSWORD))
    assert (s.nodes_created, s.relationships_created, s.relationships_updated) == (2, 3, 1)
    assert (len(neo.store.nodes), len(neo.store.rels)) == (len(later), later.number_of_edges())
    assert neo.store.rels[("model/mixtral-8x7b", "BASED_ON", "method/mixture-of-experts")]["support"] == 3


def test_transient_errors_are_retried_by_the_driver(neo, tmp_path, small_graph):
    neo.fail_next_runs = 2
    s = push_neo4j(small_graph.save(tmp_path), neo.uri, ("neo4j", PASSWORD), batch_size=100)
    assert s.nodes_created == len(small_graph) and s.relationships_created == small_graph.number_of_edges()
    assert (len(neo.store.nodes), len(neo.store.rels)) == (len(small_graph), small_graph.number_of_edges())
    first = neo.rec.runs[0][0]
    assert sum(1 for q, _, _ in neo.rec.runs if q == first) == 3   # the failed statement ran again


def test_credentials_never_printed_or_logged(neo, small_graph, tmp_path, caplog, capsys, monkeypatch):
    write_graph_jsonl(small_graph, tmp_path / "graph.jsonl")
    runner = CliRunner()
    caplog.set_level(logging.DEBUG)          # includes the neo4j driver's debug log
    monkeypatch.setenv("NEO4J_URI", neo.uri)
    monkeypatch.setenv("NEO4J_USERNAME", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    r = runner.invoke(main, ["-vv", "push", "neo4j", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert f"nodes {len(small_graph)} created" in r.output
    assert neo.rec.auth[-1] == {"scheme": "basic", "principal": "neo4j", "credentials": PASSWORD}

    monkeypatch.delenv("NEO4J_PASSWORD")    # prompt, hidden
    r2 = runner.invoke(main, ["push", "neo4j", str(tmp_path), "--uri", neo.uri], input=PASSWORD + "\n")
    assert r2.exit_code == 0, r2.output
    assert "nodes 0 created" in r2.output

    r3 = runner.invoke(main, ["push", "neo4j", str(tmp_path), "--uri", neo.uri], input="wrong-" + PASSWORD + "\n")
    assert r3.exit_code == 1 and "refused the credentials of user 'neo4j'" in r3.output

    embedded = neo.uri.replace("bolt://", f"bolt://neo4j:{PASSWORD}@")
    r4 = runner.invoke(main, ["push", "neo4j", str(tmp_path), "--uri", embedded])
    assert r4.exit_code == 0, r4.output

    captured = capsys.readouterr()
    texts = [r.output, r2.output, r3.output, r4.output, captured.out, captured.err, caplog.text]
    texts += [str(rec.args) for rec in caplog.records]
    assert any("LOGON" in t for t in texts)   # the driver's debug log was captured…
    for t in texts:
        assert PASSWORD not in t             # …and carries no password


def test_redact_uri():
    assert redact_uri("bolt://u:p@h:7687/x?y=1") == "bolt://h:7687/x"
    assert redact_uri("neo4j+s://db.example:7687") == "neo4j+s://db.example:7687"


# -- Neo4j's own Cypher parser -----------------------------------------------------------------------

LINT_DIR = ROOT / "tools" / "cypher-lint"


def lint(statements: list[str]) -> list[list[dict]]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.skip("run `npm ci --prefix tools/cypher-lint` for Neo4j's Cypher parser")
    out = subprocess.run(["node", str(LINT_DIR / "lint.cjs")], input=json.dumps(statements),
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def test_parser_catches_errors():
    assert lint(["CREATE CONSTRAINT x IF NOT EXIST FOR (n:Paper) REQUIRE n.id IS UNIQUE"]) != [[]]


def test_neo4j_statements_parse(tmp_path, small_graph):
    statements = list(cm.all_statements("neo4j"))
    export_cypher_script(small_graph.save(tmp_path), tmp_path / "graph.cypher", batch_size=5)
    statements += split_script((tmp_path / "graph.cypher").read_text(encoding="utf-8"))
    statements += [q.read_text() for q in sorted((ROOT / "scripts" / "queries").glob("*.cypher"))]
    errors = lint(statements)
    bad = [(s[:120], e) for s, e in zip(statements, errors) if e]
    assert bad == []


def test_build_with_neo4j_pushes_the_new_graph(neo, tmp_path, monkeypatch):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "2401.00001", "title": "FooNet: Fast Nets",
                               "abstract": "We propose FooNet and train it on ImageNet with 8 A100 GPUs."}) + "\n")
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    monkeypatch.setenv("NEO4J_USERNAME", "neo4j")
    result = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "out"), "-j", "1",
                                       "--neo4j", neo.uri])
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    rows = [row for q, p, _ in neo.rec.runs if not q.startswith("CREATE ") for row in p["rows"]]
    assert any(row.get("id") == "paper/2401.00001" for row in rows)
