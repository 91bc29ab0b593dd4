"""Scoring on a tiny hand-made gold/prediction pair with known P/R/F1."""

import json

import pytest
from click.testing import CliRunner

from kg.evaluate import evaluate, match_entities

GOLD = {
    "id": "p1",
    "title": "T",
    "abstract": "A",
    "entities": [
        {"name": "Mixture-of-Experts", "aliases": ["MoE", "Mixture of Experts"], "types": ["Method"], "role": "USES", "required": True},
        {"name": "ZooNet", "aliases": ["ZooNet"], "types": ["Model", "Method"], "role": "PROPOSES", "required": True},
        {"name": "ImageNet-1K", "aliases": ["ImageNet-1K"], "types": ["Dataset"], "role": "EVALUATES_ON", "required": True},
        {"name": "GPU", "aliases": ["GPUs"], "types": ["Hardware"], "role": "USES_HARDWARE", "required": True},
        {"name": "neural network", "aliases": ["neural networks"], "types": ["Model"], "role": "USES", "required": False},
    ],
    "links": [
        {"head": "ZooNet", "type": "OUTPERFORMS", "tail": "Mixture-of-Experts"},
        {"head": "ZooNet", "type": "BASED_ON", "tail": "ImageNet-1K"},
    ],
}

PRED = {
    "id": "p1",
    "entities": [
        {"name": "mixtures of experts", "type": "Method", "role": "USES"},  # fold match via alias + plural
        {"name": "zoo-net", "type": "Method", "role": "USES"},  # match (Method allowed), wrong role
        {"name": "ImageNet-1K", "type": "Model", "role": "USES"},  # wrong type -> false positive
        {"name": "GPUs", "type": "Hardware", "role": "USES_HARDWARE"},  # match
        {"name": "Neural Networks", "type": "Model", "role": "USES"},  # optional -> ignored
        {"name": "dropout", "type": "Method", "role": "USES"},  # false positive
        {"name": "MoE", "type": "Method", "role": "USES"},  # duplicate of a claimed required entity
    ],
    "links": [
        {"head": "ZooNet", "type": "OUTPERFORMS", "tail": "MoE"},  # alias match
        {"head": "ZooNet", "type": "OUTPERFORMS", "tail": "dropout"},
    ],
}


def test_known_scores():
    rep = evaluate([GOLD], {"p1": PRED})
    ov = rep.overall()
    # extracted counted: 7 - 1 optional = 6; matched 3 (MoE, ZooNet, GPU)
    assert (ov.tp_pred, ov.n_pred) == (3, 6)
    # required 4, matched 3
    assert (ov.tp_gold, ov.n_gold) == (3, 4)
    assert ov.precision == pytest.approx(0.5)
    assert ov.recall == pytest.approx(0.75)
    assert ov.f1 == pytest.approx(0.6)
    # roles: only MoE and GPU roles right
    assert (rep.roles.tp_pred, rep.roles.n_pred, rep.roles.tp_gold, rep.roles.n_gold) == (2, 6, 2, 4)
    # per type
    assert rep.entities["Method"].n_pred == 4 and rep.entities["Method"].tp_pred == 2
    assert rep.entities["Dataset"].n_gold == 1 and rep.entities["Dataset"].tp_gold == 0
    assert rep.entities["Model"].n_pred == 1 and rep.entities["Model"].tp_pred == 0
    # links: 1 of 2 predicted right, 1 of 2 gold found
    assert rep.links.precision == pytest.approx(0.5) and rep.links.recall == pytest.approx(0.5)


def test_one_to_one_prefers_exact_name():
    gold = [
        {"name": "LoRA", "aliases": ["LoRA", "low-rank adaptation"], "types": ["Method"]},
    ]
    pred = [{"name": "low-rank adaptation", "type": "Method"}, {"name": "LoRA", "type": "Method"}]
    assert match_entities(pred, gold) == [-1, 0]


def test_missing_prediction_counts_as_empty():
    rep = evaluate([GOLD], {})
    assert rep.missing_predictions == 1 and rep.overall().recall == 0.0


def test_cli_with_pred_file(tmp_path):
    from kg.cli import main

    g = tmp_path / "gold.jsonl"
    p = tmp_path / "pred.jsonl"
    g.write_text(json.dumps(GOLD) + "\n")
    p.write_text(json.dumps(PRED) + "\n")
    res = CliRunner().invoke(main, ["evaluate", "--gold", str(g), "--pred", str(p), "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["overall"]["f1"] == pytest.approx(0.6)
    res = CliRunner().invoke(main, ["evaluate", "--gold", str(g), "--pred", str(p)])
    assert "overall" in res.output and "links" in res.output


# ---------------------------------------------------------------- evaluate's inputs: INPUT, --pred coverage, --split
def _gold_line(i: int) -> dict:
    # invented papers: paper i proposes "Quillon<i>Net" and names nothing else
    name = f"Quillon{i}Net"
    return {
        "id": f"g{i}",
        "title": f"{name}: A Network for Counting Pebbles",
        "abstract": f"We propose {name}, a network that counts pebbles in photographs.",
        "entities": [{"name": name, "aliases": [name], "types": ["Model", "Method"], "role": "PROPOSES", "required": True}],
        "links": [],
    }


def _run(*args):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    return subprocess.run([sys.executable, "-m", "kg", "evaluate", *map(str, args)], cwd=root,
                          capture_output=True, text=True, timeout=300)


def test_evaluate_runs_the_extractor_on_input_files_matched_by_title(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(_gold_line(i)) + "\n" for i in range(1, 4)))
    # the same papers as records of another format and without the gold ids: matched by title
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join(json.dumps({"title": g["title"], "abstract": g["abstract"]}) + "\n"
                              for g in map(_gold_line, range(1, 4))))
    res = _run("--gold", gold, papers, "--json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["papers"] == 3 and d["missing_predictions"] == 0
    assert d["overall"]["matched_required"] == 3


def test_evaluate_fails_in_one_line_when_predictions_miss_gold_papers(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(_gold_line(i)) + "\n" for i in range(1, 4)))
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": "g1", "entities": [], "links": []}) + "\n")
    res = _run("--gold", gold, "--pred", pred)
    assert res.returncode == 1 and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1 and "1 of 3 gold papers" in res.stderr
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "zz", "entities": [], "links": []}) + "\n")
    res = _run("--gold", gold, "--pred", other)
    assert res.returncode == 1 and "share no paper" in res.stderr and "Traceback" not in res.stderr
    res = _run("--gold", gold, "--pred", pred, "--allow-missing", "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["missing_predictions"] == 2


def test_split_scores_every_nth_gold_line_apart(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(_gold_line(i)) + "\n" for i in range(1, 11)))
    # predictions right on lines 5 and 10 only
    pred = tmp_path / "pred.jsonl"
    lines = []
    for i in range(1, 11):
        g = _gold_line(i)
        ents = [{"name": g["entities"][0]["name"], "type": "Model", "role": "PROPOSES"}] if i % 5 == 0 else []
        lines.append(json.dumps({"id": g["id"], "entities": ents, "links": []}) + "\n")
    pred.write_text("".join(lines))
    res = _run("--gold", gold, "--pred", pred, "--split", "0/5", "--json")
    assert res.returncode == 0, res.stderr
    d = json.loads(res.stdout)
    assert d["split"] == "0/5"
    assert d["selected"]["papers"] == 2 and d["selected"]["overall"]["f1"] == 1.0
    assert d["rest"]["papers"] == 8 and d["rest"]["overall"]["recall"] == 0.0
    res = _run("--gold", gold, "--pred", pred, "--split", "0/5")
    assert "split 0/5 (gold lines 5, 10, 15, …): 2 papers" in res.stdout and "the rest: 8 papers" in res.stdout
    res = _run("--gold", gold, "--pred", pred, "--split", "5/5")
    assert res.returncode != 0 and "K/N" in res.stderr and "Traceback" not in res.stderr


def test_evaluate_prints_rows_in_the_shared_output_formats(tmp_path):
    import csv
    import io

    from kg.cli import main

    g = tmp_path / "gold.jsonl"
    p = tmp_path / "pred.jsonl"
    g.write_text(json.dumps(GOLD) + "\n")
    p.write_text(json.dumps(PRED) + "\n")
    base = ["evaluate", "--gold", str(g), "--pred", str(p)]
    res = CliRunner().invoke(main, [*base, "--csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    overall = next(r for r in rows if r["what"] == "overall")
    assert overall["part"] == "all" and float(overall["f1"]) == pytest.approx(0.6)
    assert {r["what"] for r in rows} >= {"Method", "Dataset", "roles", "links"}
    res = CliRunner().invoke(main, [*base, "--tsv"])
    assert res.output.splitlines()[0].split("\t")[:3] == ["part", "what", "precision"]
    res = CliRunner().invoke(main, [*base, "--nl"])
    objs = [json.loads(line) for line in res.output.splitlines()]
    assert len(objs) == len(rows) and objs[0]["part"] == "all"
    res = CliRunner().invoke(main, [*base, "--csv", "--nl"])
    assert res.exit_code != 0 and "not 2" in res.output


def test_evaluate_names_file_and_line_of_a_line_that_is_not_json(tmp_path):
    from kg.cli import main

    g = tmp_path / "gold.jsonl"
    g.write_text(json.dumps(GOLD) + "\n\n{oops\n")
    res = CliRunner().invoke(main, ["evaluate", "--gold", str(g), "--pred", str(g)])
    assert res.exit_code == 1 and f"{g}:3: not JSON" in res.output
    g.write_text(json.dumps(GOLD) + "\n")
    p = tmp_path / "pred.jsonl"
    p.write_text(json.dumps(PRED) + "\n[1]\n{bad\n")  # a non-object line is ignored, a broken one is not
    res = CliRunner().invoke(main, ["evaluate", "--gold", str(g), "--pred", str(p)])
    assert res.exit_code == 1 and f"{p}:3: not JSON" in res.output and "Traceback" not in res.output
