"""The click layer: exit codes and output of each command."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg.cli import main


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def _groups(group, path=()):
    """(path, group) for the top level and every command group below it."""
    import click

    yield path, group
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _groups(cmd, (*path, name))


def _listed(help_text: str) -> set[str]:
    """The command names of a --help's "Commands:" section."""
    section = help_text.split("Commands:\n", 1)[1].split("\n\n", 1)[0]  # up to the Examples epilog
    return {line.split()[0] for line in section.splitlines() if line.startswith("  ") and line.strip()}


def test_help_lists_every_command():
    # The commands the README documents, whatever else is added.
    assert {"build", "extract", "stats", "evaluate", "push", "export", "cypher", "sparql", "validate",
            "serve"} <= set(main.commands)
    for path, group in _groups(main):
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert _listed(result.output) == set(group.commands), path
        for name in group.commands:
            sub = run(*path, name, "--help")
            assert sub.exit_code == 0 and "Usage:" in sub.output, (*path, name)


def test_build_with_no_input_builds_the_bundled_sample(tmp_path):
    result = run("build", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "366 papers, 2 duplicates merged, 0 skipped" in result.output
    assert (tmp_path / "out" / "graph.ttl").exists()


def test_stats_prints_the_summary_table(sample_build):
    outdir, _ = sample_build
    result = run("stats", str(outdir))
    assert result.exit_code == 0
    assert "papers" in result.output and "366" in result.output
    as_json = json.loads(run("stats", str(outdir), "--json").output)
    assert as_json["papers"] == 366


def test_stats_on_a_directory_without_a_build_fails_clearly(tmp_path):
    result = CliRunner().invoke(main, ["stats", str(tmp_path)])
    assert result.exit_code == 1
    assert "no summary here" in result.output


def test_extract_writes_one_line_per_paper(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"title": "FooNet: A Network", "abstract": "We train FooNet on 8 GPUs."}) + "\n"
                   + json.dumps({"title": "Bar", "abstract": "Bar baz."}) + "\n")
    out = tmp_path / "p.jsonl"
    result = run("extract", str(src), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == 2


def test_strict_turns_skipped_records_into_a_failure(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"title": "Good", "abstract": "A good abstract."}) + "\n{not json\n")
    ok = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "a")])
    assert ok.exit_code == 0 and "1 skipped" in ok.output
    strict = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "b"), "--strict"])
    assert strict.exit_code == 1 and "skipped" in strict.output


def test_unknown_input_format_is_reported_with_the_file_name(tmp_path):
    f = tmp_path / "weird.bin"
    f.write_bytes(b"\x00\x01\x02")
    result = CliRunner().invoke(main, ["build", str(f), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "weird.bin" in result.output
