"""The query commands and kg stats share --table/--csv/--tsv/--json/--nl."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg.cli import main


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("formats")
    src = tmp / "in.jsonl"
    src.write_text(json.dumps({"id": "2408.00001", "title": "Quorlin: tiny routers",
                               "abstract": "We propose Quorlin, evaluated on CIFAR-10."}) + "\n")
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp / "out"), "-j", "1"])
    assert r.exit_code == 0, r.output
    return tmp / "out"


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r.stdout


def test_stats_prints_rows_as_csv_tsv_and_newline_json(out):
    rows = list(csv.reader(io.StringIO(run("stats", out, "--csv"))))
    assert rows[0] == ["what", "value"] and ["papers", "1"] in rows
    assert run("stats", out, "--tsv").splitlines()[0] == "what\tvalue"
    lines = [json.loads(line) for line in run("stats", out, "--nl").splitlines()]
    assert {"what": "papers", "value": 1} in lines
    assert json.loads(run("stats", out, "--json"))["papers"] == 1  # summary.json as is


def test_sparql_prints_one_json_object_a_solution_with_nl(out):
    lines = run("sparql", "SELECT ?p WHERE { ?p a kgo:Paper }", "--data", out, "--nl").splitlines()
    assert [json.loads(line) for line in lines] == [{"p": "https://w3id.org/paperkg/resource/paper/2408.00001"}]


def test_two_output_flags_are_a_usage_error(out):
    r = CliRunner().invoke(main, ["stats", str(out), "--csv", "--json"])
    assert r.exit_code == 2 and "give one of" in r.stderr
