"""Every command's --help ends with two or three examples (after the options)."""

from __future__ import annotations

import click
from click.testing import CliRunner

from kg.cli import main


def commands(group: click.Group, path: tuple[str, ...] = ()):
    yield path
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*path, name))
        else:
            yield (*path, name)


def test_every_commands_help_ends_with_two_or_three_examples():
    seen = 0
    for path in commands(main):
        out = CliRunner().invoke(main, [*path, "--help"]).output
        tail = out.rstrip().split("\n\n")[-1].splitlines()
        assert tail[0].strip() == "Examples:", (path, out[-400:])
        examples = [line for line in tail[1:] if line.strip() and not line.strip().startswith("#")]
        assert 2 <= len(examples) <= 3, (path, tail)
        assert "Options:" in out.split("Examples:")[0], path  # after the options
        seen += 1
    assert seen >= 14


def test_shell_completion_script_as_the_readme_says():
    r = CliRunner().invoke(main, [], prog_name="kg", env={"_KG_COMPLETE": "bash_source"})
    assert r.exit_code == 0 and "_KG_COMPLETE=bash_complete" in r.output
