"""`kg build --update`: only new or changed papers are extracted, and the
result equals a full build over all inputs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from kg.build import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
COMPARED = ("papers.jsonl", "graph.jsonl", "graph.ttl", "graph.graphml")

PAPERS = [
    ("FlashNet: Fast Attention on GPUs", "We propose FlashNet, a network trained on ImageNet-1K with 8 NVIDIA A100 GPUs."),
    ("Sparse Mixture-of-Experts for Translation", "We apply Mixture-of-Experts (MoE) to machine translation on WMT14."),
    ("LoRA Variants Compared", "We compare LoRA and Low-Rank Adaptation variants on GLUE with BERT."),
    ("Tiny Vision Models", "MobileNetV2 and ResNet-50 are evaluated on CIFAR-10 on a Raspberry Pi."),
    ("Quantized LLaMA", "We quantize LLaMA-2-7B with post-training quantization for edge devices."),
    ("Speech at Scale", "A wav2vec 2.0 model is fine-tuned on LibriSpeech using 16 TPU v4 chips."),
    ("Graph Learning Benchmarks", "GCN and GAT are compared for node classification on Cora."),
]


def write_jsonl(path, papers):
    path.write_text("".join(json.dumps({"id": f"2401.{i:05d}", "title": t, "abstract": a}) + "\n"
                            for i, (t, a) in papers), encoding="utf-8")
    return path


def split_inputs(tmp_path, k):
    """PAPERS as two input files: the first k papers, then the rest."""
    return (write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS[:k]))),
            write_jsonl(tmp_path / "b.jsonl", [(i + k, p) for i, p in enumerate(PAPERS[k:])]))


def acronym_inputs(tmp_path):
    """An old paper that only writes an acronym; a new one that defines it, so
    the old paper's entity resolves to the new long form's node."""
    return (write_jsonl(tmp_path / "a.jsonl", [(0, ("Restoring Old Photos",
                                                   "We build on HQRN for image restoration on DIV2K."))]),
            write_jsonl(tmp_path / "b.jsonl", [(1, ("Hierarchical Quantized Residual Networks",
                                                   "We propose Hierarchical Quantized Residual Networks (HQRN), "
                                                   "a model for super-resolution."))]))


def same_outputs(a, b):
    for name in COMPARED:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_update_with_new_papers_equals_a_full_build(tmp_path):
    old, new = split_inputs(tmp_path, 5)
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    summary = build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    assert (summary.papers, summary.extracted) == (7, 2)
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_a_changed_paper_is_re_extracted_and_its_old_edges_go(tmp_path):
    src = write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS[:5])))
    build(BuildOptions(inputs=[src], outdir=tmp_path / "inc"))
    changed = list(enumerate(PAPERS[:5]))
    changed[3] = (3, ("Tiny Vision Models", "EfficientNet-B0 is evaluated on CIFAR-100 on a Jetson Nano."))
    write_jsonl(src, changed)
    summary = build(BuildOptions(inputs=[src], outdir=tmp_path / "inc", update=True))
    assert summary.extracted == 1
    build(BuildOptions(inputs=[src], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")
    assert "Raspberry Pi" not in (tmp_path / "inc" / "graph.jsonl").read_text()


def test_prune_drops_papers_whose_input_is_gone(tmp_path):
    old, new = split_inputs(tmp_path, 5)
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc"))
    kept = build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", update=True))
    assert kept.papers == 7  # without --prune nothing is dropped
    summary = build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", update=True, prune=True))
    assert (summary.papers, summary.extracted, summary.pruned) == (5, 0, 2)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_papers_whose_entities_resolve_differently_are_rewritten(tmp_path):
    # The first paper only writes the acronym; the new one defines it, so the
    # old paper's entity now resolves to the defined long form's node.
    old, new = acronym_inputs(tmp_path)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    before = (tmp_path / "inc" / "papers.jsonl").read_text()
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")
    first = (tmp_path / "inc" / "papers.jsonl").read_text().splitlines()[0]
    assert first != before.splitlines()[0]  # the old paper's line was rendered again
    assert "hierarchical-quantized-residual-networks" in first


def test_an_update_does_not_read_input_files_that_did_not_change(tmp_path, caplog):
    old, new = split_inputs(tmp_path, 5)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    caplog.set_level("INFO", logger="kg.sources")
    summary = build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    read = [r.getMessage() for r in caplog.records if "reading as" in r.getMessage()]
    assert read == [f"{new}: reading as jsonl"]
    assert (summary.papers, summary.extracted) == (7, 2)
    caplog.clear()
    again = build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    assert again.extracted == 0 and not [r for r in caplog.records if "reading as" in r.getMessage()]
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


def _edit(path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert data.count(old) >= 1, (path, old)
    path.write_bytes(data.replace(old, new, 1))


def test_an_edit_inside_a_papers_segment_is_rendered_afresh(tmp_path):
    # Same length, inside one paper's segment: only the file's changed stat
    # tells the layout is not this file's any more.
    old, new = split_inputs(tmp_path, 5)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    for name in COMPARED:
        _edit(tmp_path / "inc" / name, b"Sparse Mixture", b"Spurse Mixture")
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_an_edit_inside_the_head_is_rendered_afresh(tmp_path):
    # A longer head moves every paper segment: copying by the old offsets would garble them all.
    old, new = split_inputs(tmp_path, 5)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    _edit(tmp_path / "inc" / "graph.jsonl", b'{"aliases"', b'{ "aliases"')
    _edit(tmp_path / "inc" / "graph.ttl", b" .\ndataset:", b" .\n# a note\ndataset:")
    _edit(tmp_path / "inc" / "graph.graphml", b'<graph edgedefault="directed">\n',
          b'<graph edgedefault="directed">\n<!-- a note -->\n')
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_an_update_after_an_interrupted_build_starts_over_correctly(tmp_path):
    old, new = split_inputs(tmp_path, 5)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    # a build that died after extracting: it stored papers but saved no state
    (tmp_path / "inc" / ".kg" / "state.pickle").unlink()
    summary = build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    assert summary.extracted == 2
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_every_per_paper_format_is_patched_the_same_as_a_full_build(tmp_path):
    formats = ("turtle", "ntriples", "nquads", "jsonld")
    old, new = split_inputs(tmp_path, 4)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", rdf_formats=formats, workers=2))
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", rdf_formats=formats, workers=2, update=True))
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full", rdf_formats=formats))
    for name in ("graph.ttl", "graph.nt", "graph.nq", "graph.jsonld", "papers.jsonl", "graph.jsonl"):
        assert (tmp_path / "full" / name).read_bytes() == (tmp_path / "inc" / name).read_bytes(), name


def test_a_changed_vocabulary_re_extracts_every_paper(tmp_path, monkeypatch):
    src = write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS[:3])))
    build(BuildOptions(inputs=[src], outdir=tmp_path / "inc"))
    import kg.nlp.vocab

    monkeypatch.setattr(kg.nlp.vocab, "vocabulary_digest", lambda *a: "f" * 64)
    summary = build(BuildOptions(inputs=[src], outdir=tmp_path / "inc", update=True))
    assert summary.extracted == 3


def test_layouts_from_another_kg_version_are_rebuilt_not_reused(tmp_path, monkeypatch):
    import sqlite3

    import kg.build

    old, new = split_inputs(tmp_path, 4)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    # an older layout schema: same table name, other columns
    db = sqlite3.connect(tmp_path / "inc" / ".kg" / "layout" / "graph.jsonl.sqlite")
    db.executescript("DROP TABLE paper_side; CREATE TABLE paper_side (seq INTEGER PRIMARY KEY, blob TEXT);")
    db.close()
    monkeypatch.setattr(kg.build, "LAYOUT_VERSION", kg.build.LAYOUT_VERSION + 1)
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_an_edited_graph_file_still_rewrites_papers_that_resolve_differently(tmp_path):
    # graph.jsonl's layout knows which papers use which entity; if it cannot be
    # trusted, no other output may keep a paper whose entity moved.
    old, new = acronym_inputs(tmp_path)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    with open(tmp_path / "inc" / "graph.jsonl", "ab") as fh:
        fh.write(b"\n")
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


PATCHABLE = ("papers.jsonl", "graph.jsonl", "graph.ttl")


def same_entities_inputs(tmp_path):
    """Five papers, then two new ones naming only entities (and spellings) the first five name: the
    heads (the entity nodes) keep their length, as they mostly do when a day's papers join a corpus."""
    again = [(5, ("A Second Look", PAPERS[1][1])), (6, ("Another Study", PAPERS[2][1]))]
    return write_jsonl(tmp_path / "a.jsonl", list(enumerate(PAPERS[:5]))), write_jsonl(tmp_path / "b.jsonl", again)


def test_an_update_adding_papers_patches_the_files_in_place_with_a_full_builds_bytes(tmp_path):
    # New papers at the end and a head of the same length: the old bytes stay where they are (same
    # inode), only the head and what follows the last unchanged paper are written.
    old, new = same_entities_inputs(tmp_path)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", workers=2))
    inodes = {name: (tmp_path / "inc" / name).stat().st_ino for name in PATCHABLE}
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", workers=2, update=True))
    assert {name: (tmp_path / "inc" / name).stat().st_ino for name in PATCHABLE} == inodes
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")
    again = build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    assert again.extracted == 0  # the patched files' layouts are trusted: copied, still in place
    assert {name: (tmp_path / "inc" / name).stat().st_ino for name in PATCHABLE} == inodes
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_a_file_with_another_hard_link_is_replaced_not_patched(tmp_path):
    # `cp -al` snapshots share the files' inodes: patching in place would change the snapshot too.
    import os

    old, new = same_entities_inputs(tmp_path)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    snap = tmp_path / "snapshot"
    snap.mkdir()
    before = {}
    for name in PATCHABLE:
        os.link(tmp_path / "inc" / name, snap / name)
        before[name] = (snap / name).read_bytes()
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    assert {name: (snap / name).read_bytes() for name in PATCHABLE} == before
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_a_kill_while_patches_are_applied_is_finished_by_the_next_build(tmp_path, monkeypatch):
    # After the commit point, a kill between two patches (or after one was applied but before it was
    # dropped) leaves a mix; the next build applies what is left, and applying one twice is harmless.
    import kg.writers.atomic as atomic

    old, new = same_entities_inputs(tmp_path)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc"))
    real, applied = atomic.apply_patch, []

    def dies_after_the_second(patch, target):
        real(patch, target)
        applied.append(target.name)
        if len(applied) == 2:
            raise KeyboardInterrupt  # as a kill would stop it: before the patch file is dropped

    monkeypatch.setattr(atomic, "apply_patch", dies_after_the_second)
    try:
        build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    except KeyboardInterrupt:
        pass
    monkeypatch.setattr(atomic, "apply_patch", real)
    assert len(applied) == 2 and (tmp_path / "inc" / ".kg" / "txn" / "COMMIT").exists()
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    atomic.recover(tmp_path / "inc")  # what the next build or push does first
    same_outputs(tmp_path / "full", tmp_path / "inc")
    again = build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", update=True))
    assert again.extracted == 0
    same_outputs(tmp_path / "full", tmp_path / "inc")


def _started_workers(monkeypatch) -> list[tuple[int, int]]:
    """(workers, helpers) of the early extraction pools the builds start (kg.build.start_workers, still run)."""
    import kg.build

    sizes: list[tuple[int, int]] = []
    real = kg.build.start_workers

    def spy(workers: int, helpers: int = 0):
        sizes.append((workers, helpers))
        return real(workers, helpers)

    monkeypatch.setattr(kg.build, "start_workers", spy)
    return sizes


def test_a_small_update_loads_the_pipeline_in_one_worker_and_gives_a_full_builds_bytes(tmp_path, monkeypatch):
    # two processes loading spaCy beside the writing process cost more than they save on a few papers
    old, new = split_inputs(tmp_path, 4)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", workers=2))
    started = _started_workers(monkeypatch)
    summary = build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", workers=2, update=True))
    assert started == [(1, 1)] and summary.extracted == 3
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_an_update_tells_unchanged_inputs_from_news_with_or_without_the_stores_stat_table(tmp_path, monkeypatch):
    # previous_inputs reads the inputs' stats from plain columns (input_stats); a store written before
    # that table falls back to the pickled entries: either way an update without news starts no worker
    import sqlite3

    from kg.store import STORE_DIR, STORE_FILE, previous_inputs

    old, new = split_inputs(tmp_path, 4)
    inc = tmp_path / "inc"
    build(BuildOptions(inputs=[old], outdir=inc, workers=2))
    stats = previous_inputs(inc)
    assert [p for p, _ in stats] == [str(old.resolve())]
    started = _started_workers(monkeypatch)
    build(BuildOptions(inputs=[old], outdir=inc, workers=2, update=True))
    with sqlite3.connect(inc / STORE_DIR / STORE_FILE) as db:
        db.execute("DROP TABLE input_stats")
    assert previous_inputs(inc) == stats
    build(BuildOptions(inputs=[old], outdir=inc, workers=2, update=True))
    assert started == []  # no news, with the table or without it: no pipeline loaded
    build(BuildOptions(inputs=[old, new], outdir=inc, workers=2, update=True))
    assert started == [(1, 1)]  # new.jsonl: one worker (and its helper)
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", inc)


def test_an_update_adding_papers_that_state_old_links_totals_them_as_a_full_build(tmp_path, caplog):
    # the tail's links: the previous papers' aggregates (taken while the pipeline loads) plus the new
    # papers' (support summed, highest confidence, evidence of the smallest paper id, old or new),
    # not a pass over every paper's rows
    import logging

    from test_links import RECORDS

    caplog.set_level(logging.DEBUG, logger="kg.outputs")
    for k in (2, 4, 6):
        a, b, full, inc = (tmp_path / f"{n}{k}" for n in ("a.jsonl", "b.jsonl", "full", "inc"))
        a.write_text("".join(json.dumps(r) + "\n" for r in RECORDS[:k]), encoding="utf-8")
        b.write_text("".join(json.dumps(r) + "\n" for r in RECORDS[k:]), encoding="utf-8")
        build(BuildOptions(inputs=[a], outdir=inc))
        caplog.clear()
        build(BuildOptions(inputs=[a, b], outdir=inc, update=True))
        assert f"link totals: the previous papers' and {len(RECORDS) - k} new ones'" in caplog.text
        build(BuildOptions(inputs=[a, b], outdir=full))
        same_outputs(full, inc)
        rows = [json.loads(line) for line in (inc / "graph.jsonl").read_text(encoding="utf-8").splitlines()]
        assert any(r.get("kind") == "edge" and r["props"].get("support", 0) >= 2 for r in rows)


def test_a_small_updates_one_worker_has_a_helper_it_forked_extract_part_of_the_news(tmp_path):
    # the second core helps with the first worker's pipeline, forked once loaded, instead of loading its own
    old, new = split_inputs(tmp_path, 4)
    inc, full = str(tmp_path / "inc"), str(tmp_path / "full")
    kg_cli("build", old, "-o", inc, "-j", "2")
    debug = kg_cli("-vv", "build", old, new, "-o", inc, "-j", "2", "--update").stderr
    helped = [int(n) for n in re.findall(r"extraction helper \d+ extracted (\d+) papers", debug)]
    assert helped == [1], debug  # of the 3 new papers (one chunk): the last one
    kg_cli("build", old, new, "-o", full, "-j", "1")
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_a_helper_that_has_died_leaves_its_share_to_the_worker(monkeypatch):
    import kg.build
    from kg.nlp import to_json
    from kg.types import PaperRecord

    monkeypatch.setattr(kg.build, "_helpers", [])
    monkeypatch.setattr(kg.build, "_worker_extractor", None)
    kg.build._init_worker(helpers=1)  # in this process: it loads the pipeline and forks one helper
    helper = kg.build._helpers[0]
    helper.proc.kill()
    helper.proc.join()
    records = [PaperRecord(id=f"x{i}", title=t, abstract=a) for i, (t, a) in enumerate(PAPERS)]
    got = kg.build._extract_chunk(records)
    assert kg.build._helpers == []
    alone = kg.build._isolated(kg.build._worker_extractor, records, packed=False)
    assert [to_json(x) for x in got] == [to_json(x) for x in alone]


def kg_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], cwd=ROOT, capture_output=True, text=True,
                          check=True, timeout=600)


def test_an_update_with_much_news_extracts_in_every_worker_and_gives_a_full_builds_bytes(tmp_path, monkeypatch):
    import kg.build

    monkeypatch.setattr(kg.build, "SMALL_UPDATE_BYTES", 1)  # this news counts as much
    old, new = split_inputs(tmp_path, 4)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", workers=2))
    started = _started_workers(monkeypatch)
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", workers=2, update=True))
    assert started == [(2, 0)]
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")


def test_an_update_rendering_few_papers_forks_no_render_workers(tmp_path, monkeypatch):
    # forking render workers from the writing process (which holds the resolver) cost more than
    # rendering a few hundred papers
    import kg.outputs

    old, new = split_inputs(tmp_path, 4)
    build(BuildOptions(inputs=[old], outdir=tmp_path / "inc", workers=2))

    def no_pool(*args, **kwargs):
        raise AssertionError("render workers forked for a few papers")

    monkeypatch.setattr(kg.outputs, "WorkerPool", no_pool)
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "inc", workers=2, update=True))
    build(BuildOptions(inputs=[old, new], outdir=tmp_path / "full"))
    same_outputs(tmp_path / "full", tmp_path / "inc")
