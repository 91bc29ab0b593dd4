"""Directory inputs: files of no known format are skipped with a warning
naming them, --include/--exclude choose files, a directory with nothing
readable is one line naming it; an input with no records is a warning, and
an error with --strict. Driven through the CLI on files the tests write."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg.cli import main

PAPER = {"id": "2406.00001", "title": "Morrowgate: routing tokens", "abstract": "We propose Morrowgate."}
OTHER = {"id": "2406.00002", "title": "Pellmesh for meshes", "abstract": "We introduce Pellmesh."}


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def papers(path):
    return [json.loads(line)["id"] for line in path.read_text().splitlines()]


def mixed_dir(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.jsonl").write_text(json.dumps(PAPER) + "\n")
    (d / "sub" / "b.jsonl").write_text(json.dumps(OTHER) + "\n")
    (d / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x01" * 50)
    (d / "notes.xml").write_text("<notes><n>not a feed</n></notes>\n")
    return d


def test_files_of_no_known_format_in_a_directory_are_skipped_with_a_warning_naming_them(tmp_path):
    d = mixed_dir(tmp_path)
    r = run("extract", d, "-o", tmp_path / "x.jsonl")
    assert r.exit_code == 0, r.output
    assert papers(tmp_path / "x.jsonl") == ["2406.00001", "2406.00002"]
    assert "photo.png: skipped" in r.stderr and "notes.xml: skipped" in r.stderr


def test_include_and_exclude_choose_the_files_of_a_directory(tmp_path):
    d = mixed_dir(tmp_path)
    r = run("extract", d, "-o", tmp_path / "x.jsonl", "--include", "*.jsonl", "--exclude", "sub/*")
    assert r.exit_code == 0, r.output
    assert papers(tmp_path / "x.jsonl") == ["2406.00001"]
    assert "skipped" not in r.stderr


def test_a_directory_with_only_unknown_files_is_one_line_naming_it(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x01" * 50)
    (d / "notes.xml").write_text("<notes/>\n")
    r = run("build", d, "-o", tmp_path / "out")
    assert r.exit_code == 1
    err = r.stderr.strip().splitlines()[-1]
    assert err.startswith(f"Error: {d}: no file of a known input format (skipped 2: notes.xml, photo.png)")
    assert "Traceback" not in r.stderr and "--include" in err


def test_a_file_named_on_its_own_of_no_known_format_is_still_an_error(tmp_path):
    f = tmp_path / "notes.xml"
    f.write_text("<notes/>\n")
    r = run("extract", f, "-o", tmp_path / "x.jsonl")
    assert r.exit_code == 1 and f"{f}: XML but not an arXiv Atom feed" in r.stderr


def test_an_input_with_no_records_is_a_warning_and_an_error_with_strict(tmp_path):
    good = tmp_path / "a.jsonl"
    good.write_text(json.dumps(PAPER) + "\n")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    r = run("extract", good, empty, "-o", tmp_path / "x.jsonl")
    assert r.exit_code == 0 and f"warning: {empty}: no records" in r.stderr
    r = run("extract", good, empty, "-o", tmp_path / "x.jsonl", "--strict")
    assert r.exit_code == 1 and "input(s) with no records" in r.stderr
