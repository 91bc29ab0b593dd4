"""`kg export neo4j-import`: neo4j-admin headers, referential integrity, quoting."""

from __future__ import annotations

import csv
import re
import shlex
import subprocess

from click.testing import CliRunner

from kg.cli import main
from kg.writers.graph_jsonl import write_graph_jsonl
from kg.writers.neo4j_import import export_neo4j_import

from conftest import MALICIOUS_NAMES

HEADER_ITEM = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*(?::(?:int|long|float|boolean|string)(?:\[\])?)?"
                         r"|id:ID\((?:Paper|Entity)\)|:LABEL|:TYPE|:START_ID\((?:Paper|Entity)\)|:END_ID\((?:Paper|Entity)\))$")


def read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_headers_ids_and_quoting(tmp_path, small_graph):
    files = export_neo4j_import(small_graph.save(tmp_path / "build"), tmp_path / "import dir")
    delim = files.array_delimiter
    assert set(files.node_files) == {"Paper", "Method", "Model", "Dataset", "Hardware", "Task"}
    assert set(files.rel_files) == {e.type for e in small_graph.edges()}

    ids: dict[str, set[str]] = {"Paper": set(), "Entity": set()}
    for label, path in files.node_files.items():
        header, rows = read(path)
        assert all(HEADER_ITEM.match(h) for h in header), header
        space = "Paper" if label == "Paper" else "Entity"
        assert header[0] == f"id:ID({space})" and header[-1] == ":LABEL" and "aliases:string[]" in header
        for row in rows:
            node = small_graph.get_node(row[f"id:ID({space})"])
            assert node is not None and node.label == label
            assert row["name"] == node.name                       # quoting survived
            assert (row["aliases:string[]"].split(delim) if row["aliases:string[]"] else []) == list(node.aliases)
            assert row[":LABEL"].split(delim) == ([label] if label == "Paper" else [label, "Entity"])
            ids[space].add(node.id)
        if label == "Paper":
            assert "author_count:int" in header and "authors:string[]" in header
    assert len(ids["Paper"]) + len(ids["Entity"]) == len(small_graph)

    n_rels = 0
    for rtype, path in files.rel_files.items():
        header, rows = read(path)
        assert all(HEADER_ITEM.match(h) for h in header), header
        start, end = header[0], header[1]
        assert start.startswith(":START_ID(") and end.startswith(":END_ID(") and header[-1] == ":TYPE"
        assert "confidence:float" in header and "start:int" in header
        s_space, e_space = start[10:-1], end[8:-1]
        for row in rows:
            assert row[start] in ids[s_space] and row[end] in ids[e_space]   # every end exists
            assert row[":TYPE"] == rtype
            edge = small_graph.get_edge(row[start], row[end], rtype)
            assert edge is not None and row["evidence"] == edge.props["evidence"]
            assert float(row["confidence:float"]) == edge.props["confidence"]
            n_rels += 1
        if rtype == "USES_HARDWARE":
            assert "count:int" in header and rows[0]["count:int"] == "8"
    assert n_rels == small_graph.number_of_edges()

    evil = read(files.node_files["Method"])[1]
    assert {r["name"] for r in evil} >= set(MALICIOUS_NAMES)


def test_import_script(tmp_path, small_graph):
    dest = tmp_path / "out dir; $(touch pwned)"
    files = export_neo4j_import(small_graph.save(tmp_path / "build"), dest, database="papers")
    script = files.script.read_text()
    subprocess.run(["sh", "-n", str(files.script)], check=True)
    assert files.command[:5] == ["neo4j-admin", "database", "import", "full", "papers"]
    assert "--multiline-fields=true" in files.command and "--id-type=string" in files.command
    assert f"--array-delimiter={files.array_delimiter}" in files.command
    for p in list(files.node_files.values()) + list(files.rel_files.values()):
        assert f'"$DIR"/{p.name}' in script
        assert any(a.endswith(str(p)) for a in files.command)
    # the command line in the header comment is the exact one, shell-quoted
    comment = [l for l in script.splitlines() if l.startswith("#   neo4j-admin")][0][4:]
    assert shlex.split(comment) == files.command
    # run it with a stand-in neo4j-admin that prints its arguments
    fake = tmp_path / "neo4j-admin"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    fake.chmod(0o755)
    out = subprocess.run(["sh", str(files.script)], env={"NEO4J_ADMIN": str(fake), "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == files.command[1:]
    assert not (tmp_path / "pwned").exists()


def test_array_delimiter_avoids_data(tmp_path, small_graph):
    from kg.graph import Node

    small_graph.add_node(Node("model/pipe", "Model", "a|b", ("a|b", "x¦y")))
    files = export_neo4j_import(small_graph.save(tmp_path / "build"), tmp_path)
    assert files.array_delimiter not in ("|", "¦")
    assert files.command[5].startswith("--array-delimiter=U+")
    _, rows = read(files.node_files["Model"])
    row = [r for r in rows if r["id:ID(Entity)"] == "model/pipe"][0]
    assert row["aliases:string[]"].split(files.array_delimiter) == ["a|b", "x¦y"]


def test_cli_exports(tmp_path, small_graph):
    write_graph_jsonl(small_graph, tmp_path / "graph.jsonl")
    r = CliRunner().invoke(main, ["export", "neo4j-import", str(tmp_path), str(tmp_path / "neo")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "neo" / "import.sh").exists() and (tmp_path / "neo" / "rels_USES.csv").exists()
    r = CliRunner().invoke(main, ["export", "cypher", str(tmp_path), str(tmp_path / "graph.cypher")])
    assert r.exit_code == 0, r.output
    assert "MERGE (n:Method {id: row.id})" in (tmp_path / "graph.cypher").read_text()
