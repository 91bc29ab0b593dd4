"""`kg build --aliases FILE`: the user's merges and splits, in every output
and in --update; and the resolution audit (resolution.tsv, kg stats --resolution)."""

from __future__ import annotations

import subprocess
import sys

from resolution_cases import REPO, load_built, merge, run_build, split, write_corpus

MERGE = merge("Hardware", "We use 8 NVIDIA A100 GPUs.", "We use 8 NVIDIA A800 GPUs.")
SPLIT = split("Hardware", "We train on 8 NVIDIA P100 GPUs.", "Our baseline ran on a Tesla P100.")
CASES = [MERGE, SPLIT]
CURATION = "# invented corrections\nNVIDIA A800\thardware/nvidia-a100\n!Tesla P100\thardware/nvidia-p100\n"
COMPARED = ("papers.jsonl", "graph.jsonl", "graph.ttl", "graph.graphml", "resolution.tsv")


def kg(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def targets(built, ci, si, label="Hardware"):
    pid = f"2501.{ci:03d}{si:02d}"
    return built.jsonl[pid][label], built.turtle[pid][label]


def test_without_curation_the_two_products_are_two_nodes_and_the_spellings_one(tmp_path):
    built = load_built(run_build(tmp_path, CASES))
    assert targets(built, 0, 0) != targets(built, 0, 1)
    assert targets(built, 1, 0) == targets(built, 1, 1)


def test_curated_merge_and_split_hold_in_graph_jsonl_and_turtle(tmp_path):
    (tmp_path / "aliases.tsv").write_text(CURATION, encoding="utf-8")
    built = load_built(run_build(tmp_path, CASES, "--aliases", str(tmp_path / "aliases.tsv")))
    a100, a800 = targets(built, 0, 0), targets(built, 0, 1)
    assert a100 == a800 == ({"hardware/nvidia-a100"}, {"hardware/nvidia-a100"})
    p100, tesla = targets(built, 1, 0), targets(built, 1, 1)
    assert p100[0] == {"hardware/nvidia-p100"} and tesla[0] == {"hardware/tesla-p100"}
    assert p100[1] == {"hardware/nvidia-p100"} and tesla[1] == {"hardware/tesla-p100"}


def test_update_after_the_curation_file_changes_equals_a_full_build(tmp_path):
    corpus = write_corpus(tmp_path / "cases.jsonl", CASES)
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text(CURATION, encoding="utf-8")
    upd, full = tmp_path / "upd", tmp_path / "full"
    assert kg("build", str(corpus), "-o", str(upd), "-j", "1").returncode == 0
    r = kg("build", str(corpus), "-o", str(upd), "-j", "1", "--update", "--aliases", str(aliases))
    assert r.returncode == 0, r.stderr
    assert kg("build", str(corpus), "-o", str(full), "-j", "1", "--aliases", str(aliases)).returncode == 0
    for name in COMPARED:
        assert (upd / name).read_bytes() == (full / name).read_bytes(), name
    # and back: dropping the curation file re-resolves as a build without one
    plain = tmp_path / "plain"
    assert kg("build", str(corpus), "-o", str(upd), "-j", "1", "--update").returncode == 0
    assert kg("build", str(corpus), "-o", str(plain), "-j", "1").returncode == 0
    for name in COMPARED:
        assert (upd / name).read_bytes() == (plain / name).read_bytes(), name


def test_audit_lists_nodes_with_surface_forms_and_candidate_merges(tmp_path):
    out = run_build(tmp_path, [merge("Hardware", "We use 8 NVIDIA P100 GPUs.", "Timing uses a single P100 GPU."),
                               split("Model", "We distil QuokkaNet.", "We distil QuokkaNets model.")])
    r = kg("stats", "--resolution", str(out))
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()[1:]]
    nodes = {row[1]: row for row in rows if row[0] == "node"}
    p100 = nodes["hardware/nvidia-p100"]
    assert p100[2:4] == ["Hardware", "2"] and "P100 GPU (1)" in p100[5] and "NVIDIA P100 GPUs (1)" in p100[5]
    assert nodes["hardware/gpu"][3] == "0"  # the class node a product links to, named by no paper
    assert r.stdout == (out / "resolution.tsv").read_text(encoding="utf-8")


def test_a_bad_curation_file_is_one_line_naming_file_and_line(tmp_path):
    corpus = write_corpus(tmp_path / "cases.jsonl", CASES)
    bad = tmp_path / "bad.tsv"
    bad.write_text("# fine\nA800 GPUs\tnot a node id\n", encoding="utf-8")
    r = kg("build", str(corpus), "-o", str(tmp_path / "out"), "--aliases", str(bad))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and f"{bad}:2:" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
