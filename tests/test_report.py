"""`kg report`: one self-contained HTML file with a titled chart for each question."""

from __future__ import annotations

import re

from click.testing import CliRunner
from servekit import build_invented

from kg.cli import main
from kg.report import CHARTS


def test_report_is_one_self_contained_file_with_every_chart(tmp_path):
    out = build_invented(tmp_path)
    target = tmp_path / "report.html"
    r = CliRunner().invoke(main, ["report", str(out), "-o", str(target)])
    assert r.exit_code == 0, r.output
    assert f"{len(CHARTS)} of {len(CHARTS)} charts drawn" in r.output
    page = target.read_text(encoding="utf-8")
    # nothing to fetch: no scripts, style sheets or images from elsewhere
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert not re.search(r"\b(src|href)\s*=\s*\"(?!#|data:)", page)  # only #fragments and data: URIs
    assert page.count("<svg") == len(CHARTS) and page.count("<figure") == len(CHARTS)
    for title in ("Entities by type", "Top methods by number of papers", "Top hardware by number of papers",
                  "Papers over time", "Hardware mentions over time", "Methods × datasets: papers using both",
                  "Best-supported BASED_ON links", "Best-supported OUTPERFORMS links"):
        assert f"<h2>{title}</h2>" in page
    assert "QuillNet based on Transformer" in page  # a link, labelled in its chart


def test_papers_without_a_date_are_dated_by_their_arxiv_id(tmp_path):
    out = build_invented(tmp_path)
    graph = out / "graph.jsonl"
    graph.write_text(re.sub(r'"date": "[^"]*", ', "", graph.read_text(encoding="utf-8")), encoding="utf-8")
    target = tmp_path / "r.html"
    assert CliRunner().invoke(main, ["report", str(out), "-o", str(target)]).exit_code == 0
    page = target.read_text(encoding="utf-8")
    assert "3 dated papers, by month." in page and "2025-01" in page


def test_charts_with_nothing_to_draw_say_so_in_words(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"title": "A quiet note", "abstract": "Nothing here has a name."}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["build", str(src), "-o", str(out), "-j", "1"]).exit_code == 0
    target = tmp_path / "r.html"
    r = CliRunner().invoke(main, ["report", str(out), "-o", str(target)])
    assert r.exit_code == 0, r.output
    page = target.read_text(encoding="utf-8")
    assert 'data-chart="papers-over-time" data-drawn="no"' in page and "No dated papers" in page
    assert 'data-chart="links-outperforms" data-drawn="no"' in page and "No OUTPERFORMS link" in page


def test_report_of_a_directory_without_a_build_is_one_line(tmp_path):
    r = CliRunner().invoke(main, ["report", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 1 and "no graph.jsonl" in r.output and "Traceback" not in r.output
