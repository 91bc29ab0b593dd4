"""Duplicate records are merged, not dropped: the first copy is the paper, and
a later copy fills the metadata (authors, date, DOI, URL, upvotes) it lacks,
in input order; an update merges exactly as a full build does."""

from __future__ import annotations

import json
import sys

from kg.build import BuildOptions, build
from kg.sources import ReadReport, read_inputs
from kg.sources.merge import merge_duplicate
from kg.types import PaperRecord


def jsonl(path, *objs):
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), encoding="utf-8")
    return path


def read(paths):
    report = ReadReport()
    return list(read_inputs(paths, report=report)), report


BARE = {"id": "2402.11111", "title": "Glimmer: Sparse Probes", "abstract": "We propose Glimmer."}


def test_a_later_copy_fills_authors_date_doi_url_and_upvotes_the_first_lacks(tmp_path):
    a = jsonl(tmp_path / "a.jsonl", BARE)
    b = jsonl(tmp_path / "b.jsonl", {**BARE, "authors": ["Ann Example", "Bo Sample"], "date": "2024-02-03",
                                     "doi": "10.1234/Glimmer", "url": "https://example.org/glimmer",
                                     "upvotes": 7})
    (rec,), report = read([a, b])
    assert rec.authors == ("Ann Example", "Bo Sample") and rec.author_count == 2
    assert (rec.date, rec.date_iso, rec.doi, rec.url, rec.upvotes) == (
        "2024-02-03", "2024-02-03", "10.1234/glimmer", "https://example.org/glimmer", 7)
    assert (rec.source, rec.id) == (str(a), "2402.11111")  # still the first copy
    assert report.duplicates == 1 and report.read == 1


def test_the_first_copy_wins_where_both_have_a_value_and_copies_fill_in_input_order(tmp_path):
    a = jsonl(tmp_path / "a.jsonl", {**BARE, "date": "2024-01-01"})
    b = jsonl(tmp_path / "b.jsonl", {**BARE, "date": "2025-05-05", "url": "https://example.org/b"})
    c = jsonl(tmp_path / "c.jsonl", {**BARE, "url": "https://example.org/c", "upvotes": 3})
    (rec,), _ = read([a, b, c])
    assert (rec.date, rec.url, rec.upvotes) == ("2024-01-01", "https://example.org/b", 3)
    (other,), _ = read([a, c, b])
    assert other.url == "https://example.org/c"


def test_merge_duplicate_changes_nothing_when_the_first_copy_is_complete():
    full = PaperRecord("x", "T", "A", authors=("Q",), author_count=1, date="2020-01-01", doi="10.1/x",
                       url="u", upvotes=1, categories=("cs.LG",), date_iso="2020-01-01")
    assert merge_duplicate(full, PaperRecord("x", "T", "A", authors=("R", "S"), upvotes=9)) is full


def test_a_merged_paper_shows_the_filled_metadata_in_the_graph(tmp_path):
    a = jsonl(tmp_path / "a.jsonl", BARE)
    b = jsonl(tmp_path / "b.jsonl", {**BARE, "authors": ["Ann Example"]})
    build(BuildOptions(inputs=[a, b], outdir=tmp_path / "out"))
    paper = next(json.loads(line) for line in (tmp_path / "out" / "graph.jsonl").open()
                 if '"paper/2402.11111"' in line)
    assert "Ann Example" in json.dumps(paper)


def test_an_update_whose_new_copy_fills_an_old_paper_equals_a_full_build(tmp_path):
    a = jsonl(tmp_path / "a.jsonl", BARE, {"id": "2402.22222", "title": "Other Work", "abstract": "We use BERT."})
    b = jsonl(tmp_path / "b.jsonl", {**BARE, "authors": ["Ann Example"], "upvotes": 4})
    build(BuildOptions(inputs=[a, b], outdir=tmp_path / "full"))
    build(BuildOptions(inputs=[a], outdir=tmp_path / "inc"))
    summary = build(BuildOptions(inputs=[a, b], outdir=tmp_path / "inc", update=True))
    assert summary.extracted == 1  # the filled paper, again
    for name in ("papers.jsonl", "graph.jsonl", "graph.ttl", "graph.graphml"):
        assert (tmp_path / "full" / name).read_bytes() == (tmp_path / "inc" / name).read_bytes(), name
