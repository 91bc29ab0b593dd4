"""The ``kg`` command line: a thin click layer; each command calls one library function."""

from __future__ import annotations

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Build a knowledge graph of machine-learning research from paper records."""


@main.command("evaluate")
@click.option("--gold", "gold_path", required=True, type=click.Path(exists=True, dir_okay=False), help="Gold JSONL (GUIDE.md format).")
@click.option("--pred", "pred_path", type=click.Path(exists=True, dir_okay=False), help="Predictions in papers.jsonl format; default: run the extractor on the gold papers.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), help="Write per-item errors (JSONL) here.")
def evaluate_cmd(gold_path: str, pred_path: str | None, as_json: bool, errors_path: str | None) -> None:
    """Score extraction against a gold file: entities per type, roles, links."""
    import json

    from . import evaluate as ev

    gold = ev.read_jsonl(gold_path)
    if pred_path:
        pred = {p["id"]: p for p in ev.read_jsonl(pred_path)}
    else:
        pred = ev.predict_gold_papers(gold)
    report = ev.evaluate(gold, pred)
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as fh:
            for e in report.errors:
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(ev.format_table(report))
