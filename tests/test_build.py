"""`kg build` end to end on the bundled sample and on corrupted copies of it."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from kg.build import SAMPLES_DIR, BuildOptions, build
from graphs import load_graph

OUTPUTS = ("papers.jsonl", "graph.jsonl", "graph.ttl", "graph.graphml", "summary.json")


def test_sample_build_reports_366_papers_and_2_duplicates(sample_build):
    outdir, summary = sample_build
    assert (summary.papers, summary.duplicates_merged, summary.skipped) == (366, 2, 0)
    for name in OUTPUTS:
        assert (outdir / name).stat().st_size > 0, name
    lines = (outdir / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 366
    first = json.loads(lines[0])
    assert {"id", "title", "entities", "links"} <= first.keys()


def test_summary_json_counts_match_the_graph(sample_build):
    outdir, _ = sample_build
    s = json.loads((outdir / "summary.json").read_text())
    g = load_graph(outdir)
    counts = g.counts()
    assert s["papers"] == counts["nodes"]["Paper"]
    assert s["edges"] == counts["edges"]
    assert sum(s["entities"].values()) == len(g) - s["papers"]


def test_turtle_parses_back_into_the_same_triples(sample_build):
    from kg.writers.rdf import DEFAULT_BASE_IRI
    from kg.writers.rdf import to_rdflib

    outdir, _ = sample_build
    parsed = Graph().parse(outdir / "graph.ttl", format="turtle")
    expected = to_rdflib(load_graph(outdir), DEFAULT_BASE_IRI)
    assert len(parsed) == len(expected) > 0
    assert set(parsed) == set(expected)


def test_every_entity_mention_points_at_its_text(sample_build):
    outdir, _ = sample_build
    papers = {}
    for line in (outdir / "papers.jsonl").read_text(encoding="utf-8").splitlines():
        p = json.loads(line)
        papers[p["id"]] = p
    g = load_graph(outdir)
    checked = 0
    for node in g.nodes("Paper"):
        p = papers[node.id.removeprefix("paper/")]
        for e in p["entities"]:
            for m in e["mentions"]:
                text = node.name if m["field"] == "title" else node.props["abstract"]
                assert text[m["start"]:m["end"]] == m["text"]
                checked += 1
    assert checked > 100


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path, sample_build):
    first, _ = sample_build
    second = tmp_path / "again"
    build(BuildOptions(outdir=second))
    for name in OUTPUTS[:-1]:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def corrupt_seed(tmp_path):
    """A seed page with a truncated record, a stray binary line and invalid UTF-8."""
    src = sorted(SAMPLES_DIR.glob("*.txt"))[0]
    lines = src.read_bytes().split(b"\n")
    # lines[3] is the first title (glued to "Subscribe"), lines[4] its abstract.
    lines.insert(9, b"\x00\x01\x02\xff\xfe binary garbage \x89PNG\r\n\x1a")
    lines[12] = lines[12][:40] + b"\xff\xfe\xfa invalid utf-8 " + lines[12][40:]
    lines.append(b"A Truncated Record With A Title But No Abstract")
    bad = tmp_path / "corrupted.txt"
    bad.write_bytes(b"\n".join(lines))
    return src, bad


def test_corrupted_seed_page_keeps_every_good_record(tmp_path, caplog):
    src, bad = corrupt_seed(tmp_path)
    clean = build(BuildOptions(inputs=[src], outdir=tmp_path / "clean"))
    with caplog.at_level("WARNING"):
        summary = build(BuildOptions(inputs=[bad], outdir=tmp_path / "bad"))
    assert summary.skipped >= 2
    assert summary.papers >= clean.papers - 1  # at most the damaged record itself is lost
    for rec in summary.skipped_records:
        assert rec["source"].endswith("corrupted.txt") and rec["line"] > 0 and rec["reason"]
    assert any("corrupted.txt" in r.getMessage() for r in caplog.records)


def test_unknown_format_is_a_clear_error(tmp_path):
    from kg.sources import UnknownFormatError

    f = tmp_path / "notes.csv"
    f.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(UnknownFormatError, match="notes.csv"):
        build(BuildOptions(inputs=[f], outdir=tmp_path / "out"))


def test_two_workers_write_the_same_bytes_as_one(tmp_path, sample_build):
    first, _ = sample_build
    build(BuildOptions(outdir=tmp_path / "w2", workers=2))
    for name in OUTPUTS[:-1]:
        assert (first / name).read_bytes() == (tmp_path / "w2" / name).read_bytes(), name


def test_content_hash_is_the_hash_of_the_fields_json_and_the_file_name():
    # the store keys an update's "unchanged" on it: the prebuilt encoder and the memoised file name
    # give the digest of json.dumps(..., ensure_ascii=False) of the fields and Path(source).name
    import json as json_
    import random
    from pathlib import Path

    from kg.store import _HASHED_FIELDS, content_hash
    from kg.text import stable_hash
    from kg.types import PaperRecord

    rng = random.Random(3)
    for i in range(300):
        rec = PaperRecord(id=f"p{i}", title="".join(rng.choice('aé"\\\n ü\u2028b') for _ in range(12)),
                          abstract="FooNet " * rng.randint(0, 5), line=i,
                          source=rng.choice(["", "/in/a.jsonl", "rel/b.txt", "c/", "/x/ü.json"]))
        values = [getattr(rec, name) for name in _HASHED_FIELDS]
        values.append(Path(rec.source).name if rec.source else "")
        assert content_hash(rec) == stable_hash(json_.dumps(values, ensure_ascii=False), 32)
