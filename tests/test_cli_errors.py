"""Every mistake a user can make is one line on stderr (what failed, where,
what to check), exit status 1 (2 for usage), and no traceback unless --debug.
Each case is driven through the real CLI: real files, a real FalkorDB port
where nothing listens, the real neo4j driver against tests/fake_bolt.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import mask_secret
from kg.falkordb_server import free_port
from kg.writers.graph_jsonl import write_graph_jsonl

from fake_bolt import FakeNeo4j

ROOT = Path(__file__).resolve().parent.parent
#: A directory nobody may create anything in, root included (sysfs).
UNWRITABLE = Path("/sys/kg-test-out")
needs_sysfs = pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")


def run(args, env=None, input=None):
    result = CliRunner().invoke(main, args, env=env, input=input)
    return result


def one_line_error(result, code: int = 1) -> str:
    """The failure's stderr, checked to be one line with no traceback."""
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    err = result.stderr.strip()
    assert "Traceback" not in result.output and "Traceback" not in err
    assert err.count("\n") == 0, err
    assert err.startswith("Error: ")
    return err


@pytest.fixture
def built(tmp_path, small_graph):
    out = tmp_path / "built"
    out.mkdir()
    write_graph_jsonl(small_graph, out / "graph.jsonl")
    return out


@pytest.fixture
def records(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": "2403.00001", "title": "Quillnet", "abstract": "We propose Quillnet."}) + "\n")
    return f


@needs_sysfs
def test_build_into_an_unwritable_directory_names_it(records):
    err = one_line_error(run(["build", str(records), "-o", str(UNWRITABLE)]))
    assert f"cannot create output directory {UNWRITABLE}" in err and "-o" in err


def test_build_into_a_path_under_a_file_names_it(records, tmp_path):
    err = one_line_error(run(["build", str(records), "-o", str(records / "out")]))
    assert str(records / "out") in err


@needs_sysfs
def test_extract_to_an_unwritable_place_names_it(records):
    err = one_line_error(run(["extract", str(records), "-o", str(UNWRITABLE / "x.jsonl")]))
    assert str(UNWRITABLE) in err


@needs_sysfs
def test_export_to_an_unwritable_place_names_it(built):
    err = one_line_error(run(["export", "neo4j-import", str(built), str(UNWRITABLE)]))
    assert f"export directory {UNWRITABLE}" in err
    err = one_line_error(run(["export", "cypher", str(built), str(UNWRITABLE / "g.cypher")]))
    assert str(UNWRITABLE) in err


def test_falkordb_url_where_nothing_listens(built):
    url = f"redis://127.0.0.1:{free_port()}"
    err = one_line_error(run(["push", "falkordb", str(built), "--url", url]))
    assert f"cannot reach FalkorDB at {url}" in err and "check" in err


def test_gold_file_without_id(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"title": "No id here", "entities": []}) + "\n")
    err = one_line_error(run(["evaluate", "--gold", str(gold)]))
    assert f"{gold}:1" in err and '"id"' in err


def test_binary_gold_file(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(bytes(range(256)) * 4)
    err = one_line_error(run(["evaluate", "--gold", str(gold)]))
    assert str(gold) in err and "UTF-8" in err


def test_missing_rq_file(built):
    err = one_line_error(run(["sparql", "no/such/query.rq", "--data", str(built)]))
    assert "no/such/query.rq" in err and "no such file" in err and "Errno" not in err


PASSWORD = "x"  # one letter: a substring mask would mangle every word holding it


def test_neo4j_where_nothing_listens_says_unreachable(built):
    uri = f"bolt://127.0.0.1:{free_port()}"
    err = one_line_error(run(["push", "neo4j", str(built), "--uri", uri], env={"NEO4J_PASSWORD": PASSWORD}))
    assert f"cannot reach Neo4j at {uri}" in err


def test_neo4j_wrong_password_says_so_and_masks_it_as_a_whole_value(built):
    with FakeNeo4j(password="right") as neo:
        err = one_line_error(run(["push", "neo4j", str(built), "--uri", neo.uri],
                                 env={"NEO4J_PASSWORD": PASSWORD}))
        embedded = neo.uri.replace("bolt://", f"bolt://neo4j:{PASSWORD}@")
        err2 = one_line_error(run(["push", "neo4j", str(built), "--uri", embedded], env={"NEO4J_PASSWORD": None}))
    assert "refused the credentials of user 'neo4j'" in err and "NEO4J_PASSWORD" in err
    assert "***" not in err  # "check" and "NEO4J_PASSWORD" kept whole
    assert neo.uri in err2 and f":{PASSWORD}@" not in err2


def test_mask_secret_masks_whole_values_only():
    assert mask_secret("an exception at x; pw=x", "x") == "an exception at ***; pw=***"
    assert mask_secret("user:s3cr3t@host", "s3cr3t") == "user:***@host"


def test_neo4j_unknown_database(built):
    with FakeNeo4j(password=PASSWORD, databases={"neo4j"}) as neo:
        err = one_line_error(run(["push", "neo4j", str(built), "--uri", neo.uri, "--database", "papres"],
                                 env={"NEO4J_PASSWORD": PASSWORD}))
    assert "has no database 'papres'" in err and "--database" in err


def test_no_password_and_no_terminal_to_prompt_on(built):
    with FakeNeo4j(password=PASSWORD) as neo:
        err = one_line_error(run(["push", "neo4j", str(built), "--uri", neo.uri],
                                 env={"NEO4J_PASSWORD": None}, input=""))
    assert "NEO4J_PASSWORD is not set and there is no terminal" in err


def test_a_usage_mistake_exits_2(records):
    result = run(["build", str(records), "--prune"])
    assert result.exit_code == 2 and "--prune only makes sense with --update" in result.stderr


def test_debug_shows_the_traceback(built):
    url = f"redis://127.0.0.1:{free_port()}"
    result = run(["--debug", "push", "falkordb", str(built), "--url", url])
    assert result.exit_code == 1 and result.exception is not None
    assert type(result.exception).__name__ == "Unreachable"


def test_a_vocabulary_file_missing_from_the_install_is_one_line_naming_it(tmp_path, records):
    """A broken install (a data file missing from the package) run for real:
    a copy of the package without one vocabulary file, in a subprocess."""
    shutil.copytree(ROOT / "kg", tmp_path / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "kg" / "ontology" / "vocab" / "methods.tsv").unlink()
    proc = subprocess.run([sys.executable, "-m", "kg", "extract", str(records), "-o", str(tmp_path / "x.jsonl")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)})
    err = proc.stderr.strip()
    assert proc.returncode == 1 and "Traceback" not in err and err.count("\n") == 0, err
    assert "methods.tsv" in err


def test_a_write_query_to_the_read_only_engine_says_read_only(built):
    err = one_line_error(run(["cypher", "CREATE (n:Paper {id: 'p'}) RETURN n", "--data", str(built)]))
    assert err.startswith("Error: read-only: ")
