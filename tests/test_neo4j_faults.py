"""`kg push neo4j` when the server goes away in the middle of a push (the fake
Bolt server of tests/fake_bolt.py, the real driver): one line that says what to
check and that running the push again resends it; nothing recorded; the next
push completes the database."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main
from kg.writers.cypher_model import schema_statements
from kg.writers.push_state import state_path, target_identity

from fake_bolt import FakeNeo4j
from graphs import load_graph
from test_exports import built
from test_push_delta import CHANGED_ABSTRACT, PAPERS, _store_equals, write_papers

PASSWORD = "l0st-Pa55word!"


def test_a_connection_lost_mid_push_says_what_to_do_records_nothing_and_the_next_push_completes(
        tmp_path, monkeypatch):
    out = built(tmp_path)
    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    runner = CliRunner()
    with FakeNeo4j(password=PASSWORD) as neo:
        push = ["push", "neo4j", str(out), "--uri", neo.uri, "--batch-size", "2"]
        r = runner.invoke(main, push)
        assert r.exit_code == 0, r.output
        state = state_path(out, target_identity("neo4j", neo.uri, None))
        recorded = state.read_bytes()

        # a later build changes one paper; the server goes down after three more statements
        write_papers(tmp_path / "papers.jsonl", PAPERS[:2] + [(PAPERS[2][0], PAPERS[2][1], CHANGED_ABSTRACT)])
        r = runner.invoke(main, ["build", str(tmp_path / "papers.jsonl"), "-o", str(out), "-j", "1",
                                 "--update", "--prune"])
        assert r.exit_code == 0, r.output
        neo.drop_at_run = len(neo.rec.runs) + len(schema_statements("neo4j")) + 3
        r = runner.invoke(main, push + ["--retry-time", "0.5"])
        assert r.exit_code == 1
        lines = r.output.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in r.output, r.output
        assert lines[0].startswith("Error: lost the connection to Neo4j at bolt://127.0.0.1:")
        assert "rows had been written" in lines[0] and "run the push again" in lines[0]
        assert "check that the server is running and reachable" in lines[0]
        assert state.read_bytes() == recorded          # the cut-off push is not recorded...
        assert neo.rec.commits > 0

        neo.gone = False                               # ...so once the server is back, the next push resends it
        r = runner.invoke(main, push)
        assert r.exit_code == 0, r.output
        assert "(delta)" in r.output
        _store_equals(neo, load_graph(out))
        assert state.read_bytes() != recorded
        r = runner.invoke(main, push)
        assert "0 rows sent" in r.output
