"""Behaviour of the input readers (kg.sources) on real files."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

import pytest

from kg.sources import FORMATS, ReadReport, UnknownFormatError, read_inputs, sniff_format
from kg.types import PaperRecord

SAMPLES = Path(__file__).resolve().parent.parent / "kg" / "samples"
SAMPLE_A = SAMPLES / "000_91299bc31a59f60e.txt"   # layout (a): title line / abstract line
SAMPLE_B = SAMPLES / "001_fe42927df4ddd8e7.txt"   # layout (b): blank-separated blocks + footers

ABSTRACT = (
    "We introduce a sparse mixture of experts language model that routes every token to two "
    "of eight experts. It matches much larger dense models on mathematics, code generation "
    "and multilingual benchmarks while using a fraction of the active parameters per token."
)

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <title type="html">ArXiv Query: search_query=all:experts</title>
  <entry>
    <id>http://arxiv.org/abs/2401.04088v1</id>
    <published>2024-01-08T18:47:34Z</published>
    <title>Mixtral of
      Experts</title>
    <summary>  We introduce Mixtral 8x7B,
  a Sparse Mixture of Experts language model.
    </summary>
    <author><name>Albert Q. Jiang</name></author>
    <author><name>Alexandre Sablayrolles</name></author>
    <arxiv:doi>10.1234/ABC.5</arxiv:doi>
    <link href="http://arxiv.org/abs/2401.04088v1" rel="alternate" type="text/html"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
  <entry>
    <id>http://arxiv.org/abs/hep-th/9901001v2</id>
    <published>1999-01-04T00:00:00Z</published>
    <title>An Old Style Paper</title>
    <summary>Strings, branes and old identifiers.</summary>
    <author><name>A. Physicist</name></author>
  </entry>
</feed>
"""


def read(paths, **kw) -> tuple[list[PaperRecord], ReadReport]:
    report = ReadReport()
    recs = list(read_inputs([str(p) for p in paths], report=report, **kw))
    return recs, report


def listing_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


# --- shipped samples -------------------------------------------------------

def test_shipped_samples_read_366_distinct_papers_with_2_duplicates_merged():
    recs, report = read([SAMPLES])
    assert len(recs) == report.read == 366
    assert report.duplicates == 2
    assert report.skipped == []
    assert len({r.id for r in recs}) == 366
    assert report.formats == {str(SAMPLES / n): "hf-listing" for n in sorted(p.name for p in SAMPLES.glob("*.txt"))}
    assert report.to_dict()["read"] == 366
    json.dumps(report.to_dict())  # summary.json must be serialisable


def test_subscribe_glued_to_first_title_is_removed():
    lines = listing_lines(SAMPLE_A)
    recs, _ = read([SAMPLE_A])
    assert recs[0].line == 3
    glued = lines[recs[0].line - 1]
    assert glued.startswith("Subscribe") and recs[0].title == glued[len("Subscribe"):].strip()
    assert not any(r.title.startswith("Subscribe") for r in recs)
    assert all(r.id.startswith("t") and r.source == str(SAMPLE_A) for r in recs)


def test_layout_b_footer_gives_author_count_date_and_upvotes():
    recs, report = read([SAMPLE_B])
    assert report.read == 66 and not report.skipped
    lines = listing_lines(SAMPLE_B)
    by_title = {r.title: r for r in recs}
    first = recs[0]
    assert first.line == 13  # after the page header
    assert first.title == lines[first.line - 1].strip()
    assert (first.author_count, first.date, first.date_iso, first.upvotes) == (5, "Oct 12, 2021", "2021-10-12", None)
    # "Aug 5 4": a date without year (kept as written, no ISO form) then 4 upvotes;
    # it is the footer of the last paper that starts before it.
    footer = lines.index("Aug 5 4") + 1
    dated = max((r for r in recs if r.line < footer), key=lambda r: r.line)
    assert (dated.author_count, dated.date, dated.date_iso, dated.upvotes) == (5, "Aug 5", None, 4)
    # The page date "Nov 10" in the header is not mistaken for a paper's date or title.
    assert "Nov 10" not in by_title


def test_layout_a_titles_and_abstracts_stay_paired():
    lines = listing_lines(SAMPLE_A)
    recs, _ = read([SAMPLE_A])
    for r in recs:
        assert lines[r.line].strip() == r.abstract  # the abstract is the line after the title


# --- other formats ---------------------------------------------------------

def test_jsonl_reads_ids_dois_authors_and_summary_alias(tmp_path):
    f = tmp_path / "papers.jsonl"
    rows = [
        {"id": "2401.04088v2", "title": "Mixtral of Experts", "abstract": ABSTRACT,
         "authors": ["A. Jiang", {"name": "B. Roux"}], "date": "2024-01-08"},
        {"doi": "https://doi.org/10.5555/ABC", "title": "A DOI Paper", "summary": "Only a summary here."},
        {"id": "local-7", "title": "No Identifier Paper", "abstract": "Text.", "authors": "X. Y, Z. W and Q. R"},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    recs, report = read([f])
    assert report.formats[str(f)] == "jsonl"
    a, b, c = recs
    assert (a.id, a.arxiv_id, a.authors, a.author_count, a.date_iso) == (
        "2401.04088", "2401.04088", ("A. Jiang", "B. Roux"), 2, "2024-01-08")
    assert (b.id, b.doi, b.abstract) == ("doi:10.5555/abc", "10.5555/abc", "Only a summary here.")
    assert c.id.startswith("t") and c.arxiv_id is None
    assert c.authors == ("X. Y", "Z. W", "Q. R")
    assert [r.line for r in recs] == [1, 2, 3]


def test_arxiv_atom_entries_with_normalised_whitespace(tmp_path):
    f = tmp_path / "feed.xml"
    f.write_text(ATOM)
    recs, report = read([f])
    assert report.formats[str(f)] == "arxiv-atom"
    mixtral, old = recs
    assert mixtral.id == "2401.04088"
    assert mixtral.title == "Mixtral of Experts"
    assert mixtral.abstract == "We introduce Mixtral 8x7B, a Sparse Mixture of Experts language model."
    assert mixtral.authors == ("Albert Q. Jiang", "Alexandre Sablayrolles")
    assert mixtral.doi == "10.1234/abc.5"
    assert mixtral.categories == ("cs.LG", "cs.CL")
    assert mixtral.url == "http://arxiv.org/abs/2401.04088v1"
    assert (mixtral.date, mixtral.date_iso) == ("2024-01-08T18:47:34Z", "2024-01-08")
    assert mixtral.line == 4
    assert old.id == "hep-th/9901001"


def test_arxiv_oai_snapshot_lines(tmp_path):
    f = tmp_path / "arxiv-metadata-oai-snapshot.json"
    rows = [
        {"id": "2401.04088", "submitter": "Albert Jiang", "authors": "Albert Q. Jiang, Alexandre Sablayrolles and Antoine Roux",
         "title": "Mixtral of\n  Experts", "abstract": "  " + ABSTRACT + "\n", "categories": "cs.LG cs.CL",
         "doi": "10.48550/arXiv.2401.04088", "update_date": "2024-01-09", "versions": []},
        {"id": "hep-th/9901001", "authors": "A. Physicist", "title": "Old", "abstract": "Old text.",
         "categories": "hep-th", "update_date": "1999-01-04",
         "authors_parsed": [["Physicist", "A.", ""]]},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    recs, report = read([f])
    assert report.formats[str(f)] == "arxiv-oai"
    a, b = recs
    assert (a.id, a.title, a.categories, a.date_iso) == ("2401.04088", "Mixtral of Experts", ("cs.LG", "cs.CL"), "2024-01-09")
    assert a.authors == ("Albert Q. Jiang", "Alexandre Sablayrolles", "Antoine Roux")
    assert a.doi == "10.48550/arxiv.2401.04088"
    assert (b.id, b.authors) == ("hep-th/9901001", ("A. Physicist",))


def test_hf_daily_list_with_and_without_paper_wrapper(tmp_path):
    f = tmp_path / "daily.json"
    data = [
        {"paper": {"id": "2401.04088", "title": "Mixtral of Experts", "summary": ABSTRACT,
                   "authors": [{"name": "Albert Q. Jiang"}, {"name": "Alexandre Sablayrolles"}],
                   "publishedAt": "2024-01-08T18:47:34.000Z", "upvotes": 0},
         "title": "Mixtral of Experts", "numComments": 3},
        {"id": "2312.00752", "title": "Mamba", "summary": "Linear-time sequence modeling.",
         "authors": [{"name": "Albert Gu"}], "publishedAt": "2023-12-01T18:01:34.000Z", "upvotes": 140},
    ]
    f.write_text(json.dumps(data, indent=2))
    recs, report = read([f])
    assert report.formats[str(f)] == "hf-daily"
    a, b = recs
    assert (a.id, a.upvotes, a.author_count, a.date_iso) == ("2401.04088", 0, 2, "2024-01-08")
    assert (b.id, b.upvotes, b.authors) == ("2312.00752", 140, ("Albert Gu",))
    assert a.line == 2 and b.line > a.line


def test_hf_daily_json_lines_and_arxiv_api_error_entry(tmp_path):
    daily = tmp_path / "daily.jsonl"
    daily.write_text(
        json.dumps({"paper": {"id": "2401.00001", "title": "A", "summary": "S.", "upvotes": 2}}) + "\n"
        + "{broken\n"
        + json.dumps({"id": "2401.00002", "title": "B", "summary": "S."}) + "\n"
    )
    errors = tmp_path / "error.xml"
    errors.write_text(
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>'
        "<id>http://arxiv.org/api/errors#incorrect_id_format</id><title>Error</title>"
        "<summary>incorrect id format for 1234</summary></entry>\n</feed>\n"
    )
    recs, report = read([daily, errors])
    assert [(r.id, r.line, r.upvotes) for r in recs] == [("2401.00001", 1, 2), ("2401.00002", 3, None)]
    assert [(s.source, s.line) for s in report.skipped] == [(str(daily), 2), (str(errors), 3)]
    assert "incorrect id format" in report.skipped[1].reason


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.txt", SAMPLE_A.read_text(encoding="utf-8"), "hf-listing"),
        ("b.dat", json.dumps({"title": "T", "abstract": "A"}) + "\n", "jsonl"),
        ("c.json", json.dumps({"id": "1", "title": "T", "abstract": "A", "update_date": "2020-01-01"}) + "\n", "arxiv-oai"),
        ("d.json", json.dumps([{"paper": {"id": "2401.04088", "title": "T", "summary": "A"}}]), "hf-daily"),
        ("e.txt", ATOM, "arxiv-atom"),
    ],
)
def test_sniffing_picks_format_from_content_not_suffix(tmp_path, name, text, expected):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    assert sniff_format(f) == expected


def test_input_format_overrides_sniffing(tmp_path):
    # A JSON-lines file that sniffs as arxiv-oai, read as plain jsonl on request.
    f = tmp_path / "x.jsonl"
    f.write_text(json.dumps({"id": "2401.04088", "title": "T", "abstract": "A", "update_date": "2024-01-09"}) + "\n")
    _, sniffed = read([f])
    recs, forced = read([f], input_format="jsonl")
    assert sniffed.formats[str(f)] == "arxiv-oai"
    assert forced.formats[str(f)] == "jsonl"
    assert recs[0].date is None  # jsonl does not know update_date
    with pytest.raises(UnknownFormatError, match="nope"):
        read([f], input_format="nope")
    assert set(FORMATS) == {"hf-listing", "jsonl", "arxiv-atom", "arxiv-oai", "hf-daily", "pdf", "fulltext"}


def test_gzip_detected_by_magic_bytes_even_without_gz_suffix(tmp_path):
    data = SAMPLE_B.read_bytes()
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(data))
    (tmp_path / "page-no-suffix").write_bytes(gzip.compress(data))
    for name in ("page.txt.gz", "page-no-suffix"):
        recs, report = read([tmp_path / name])
        assert report.read == 66 and report.formats[str(tmp_path / name)] == "hf-listing"
        assert recs[0].author_count == 5


def test_directory_input_reads_files_sorted_recursively_skipping_hidden(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").write_text("not a paper format at all")
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": "Second Paper", "abstract": "B."}) + "\n")
    (tmp_path / "a.jsonl").write_text(json.dumps({"title": "First Paper", "abstract": "A."}) + "\n")
    (tmp_path / "sub" / "c.jsonl").write_text(json.dumps({"title": "Third Paper", "abstract": "C."}) + "\n")
    recs, report = read([tmp_path])
    assert [r.title for r in recs] == ["First Paper", "Second Paper", "Third Paper"]
    assert [Path(f).name for f in report.files] == ["a.jsonl", "b.jsonl", "c.jsonl"]


def test_duplicates_across_formats_merge_by_arxiv_id_or_folded_title(tmp_path):
    f1 = tmp_path / "1.jsonl"
    f1.write_text("\n".join(json.dumps(r) for r in [
        {"id": "2401.04088", "title": "Mixtral of Experts", "abstract": "A."},
        {"title": "Attention Is All You Need", "abstract": "B."},
    ]) + "\n")
    f2 = tmp_path / "2.xml"
    f2.write_text(ATOM)  # 2401.04088 again (same id), plus a new old-style paper
    f3 = tmp_path / "3.jsonl"
    f3.write_text(json.dumps({"id": "1706.03762", "title": "Attention is all you need!", "abstract": "C."}) + "\n")
    recs, report = read([f1, f2, f3])
    assert [r.id for r in recs] == ["2401.04088", recs[1].id, "hep-th/9901001"]
    assert report.duplicates == 2 and report.read == 3


# --- bad input -------------------------------------------------------------

def test_corrupted_listing_keeps_every_good_record_and_names_bad_lines(tmp_path, caplog):
    lines = listing_lines(SAMPLE_A)
    good, _ = read([SAMPLE_A])
    # Layout (a): 0-based index 2, 4, 6 ... are titles, 3, 5, 7 ... abstracts.
    raw = [ln.encode("utf-8") for ln in lines]
    truncated_title = raw[10]                      # title on line 11 ...
    del raw[11]                                    # ... loses its abstract (truncated record)
    # Indices from 11 on moved up by one: index 50 is now the abstract of the
    # title on line 51 (index 49 until the binary line below is inserted).
    raw[50] = raw[50][:40]                         # abstract cut to a fragment
    raw[28] = raw[28].replace(b"the", b"th\xff\xfe", 1)  # invalid UTF-8 inside an abstract
    # A stray binary line becomes line 21, moving everything after it back
    # down by one, so the fragment title is on line 51 again.
    raw.insert(20, b"\x00\x01\x02\xff\xfe\xfd\x89PNG\x1a\x0b\xc3\x28\xa0\xa1")
    f = tmp_path / "corrupt.txt"
    f.write_bytes(b"\n".join(raw))
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        recs, report = read([f])

    lost = {truncated_title.decode(), lines[50]}
    expected = [r.title for r in good if r.title not in lost]
    assert [r.title for r in recs] == expected  # pairing never shifted
    # The invalid bytes became replacement characters; the record was kept.
    assert any("\ufffd" in r.abstract for r in recs)
    skipped = {(s.line, s.reason.split(" (")[0]) for s in report.skipped}
    assert skipped == {
        (11, "title without abstract"),            # truncated record
        (21, "unreadable line"),                   # stray binary line
        (51, "title without abstract"),            # abstract cut to a fragment ...
        (52, "title without abstract"),            # ... which on its own reads like a title
    }
    assert all(s.source == str(f) for s in report.skipped)
    assert "corrupt.txt:21: skipped record: unreadable line" in caplog.text


def test_listing_missing_title_skips_only_that_abstract(tmp_path):
    lines = listing_lines(SAMPLE_A)
    good, _ = read([SAMPLE_A])
    del lines[4]  # the second title (1-based line 5)
    f = tmp_path / "no-title.txt"
    f.write_text("\n".join(lines), encoding="utf-8")
    recs, report = read([f])
    assert [r.title for r in recs] == [r.title for r in good if r.line != 5]
    assert [(s.line, s.reason.split(" (")[0]) for s in report.skipped] == [(5, "abstract without a title")]


def test_bad_json_line_is_skipped_with_its_line_number(tmp_path, caplog):
    f = tmp_path / "bad.jsonl"
    f.write_bytes(
        json.dumps({"title": "Good One", "abstract": "A."}).encode() + b"\n"
        + b'{"title": "Broken", "abstract": \n'
        + b"\n"
        + json.dumps({"title": "No Abstract"}).encode() + b"\n"
        + b"\x00\x9f\x92\x96\xff\xfe\x00\x01\n"
        + b"[1, 2]\n"
        + json.dumps({"title": "Good Two", "abstract": "B."}).encode() + b"\n"
    )
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        recs, report = read([f])
    assert [r.title for r in recs] == ["Good One", "Good Two"]
    assert [r.line for r in recs] == [1, 7]
    reasons = {s.line: s.reason for s in report.skipped}
    assert sorted(reasons) == [2, 4, 5, 6]
    assert reasons[2].startswith("invalid JSON")
    assert reasons[4] == "missing abstract"
    assert reasons[5].startswith("unreadable line")
    assert reasons[6].startswith("not a JSON object")
    assert "bad.jsonl:2: skipped record: invalid JSON" in caplog.text


def test_bom_and_crlf_are_handled(tmp_path):
    text = SAMPLE_B.read_text(encoding="utf-8").replace("\n", "\r\n")
    f = tmp_path / "windows.txt"
    f.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    recs, report = read([f])
    assert report.read == 66 and not report.skipped
    assert not any("\r" in r.title or "\r" in r.abstract or "\ufeff" in r.title for r in recs)
    assert recs[0].date == "Oct 12, 2021"
    j = tmp_path / "bom.jsonl"
    j.write_bytes(b"\xef\xbb\xbf" + json.dumps({"title": "T", "abstract": "A"}).encode() + b"\r\n")
    recs, report = read([j])
    assert report.formats[str(j)] == "jsonl" and recs[0].title == "T"


def test_empty_file_gives_zero_records_without_error(tmp_path, caplog):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_bytes(b"\n \r\n\n")
    (tmp_path / "empty.gz").write_bytes(gzip.compress(b""))
    with caplog.at_level(logging.WARNING, logger="kg.sources"):
        recs, report = read([tmp_path])
    assert recs == [] and report.read == 0 and not report.skipped
    assert len(report.empty_files) == 3
    assert "empty input" in caplog.text


def test_unknown_format_raises_error_naming_the_file(tmp_path):
    f = tmp_path / "notes.md"
    f.write_text("# Notes\n\nSome notes about the project.\nNothing here is a paper.\n")
    with pytest.raises(UnknownFormatError, match="notes.md"):
        read([f])
    b = tmp_path / "image.png"
    b.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnknownFormatError, match="image.png"):
        read([b])


def test_truncated_gzip_and_xml_keep_what_was_read(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(ATOM[: ATOM.index("<title>An Old Style Paper")])  # cut inside entry 2
    recs, report = read([feed])
    assert [r.id for r in recs] == ["2401.04088"]
    assert report.skipped[0].line == 19 and "truncated XML" in report.skipped[0].reason

    gz = tmp_path / "page.gz"
    gz.write_bytes(gzip.compress(SAMPLE_A.read_bytes())[:-2000])
    recs, report = read([gz])
    assert 0 < report.read < 119
    assert "could not be read further" in report.skipped[-1].reason


def _duplicated_inputs(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps({"id": "2401.00001", "title": "Wobbly Gradients", "abstract": "We study wobble."}) + "\n"
                 + "not json\n"
                 + json.dumps({"title": "Quiet Kernels", "abstract": "Kernels rest."}) + "\n", encoding="utf-8")
    b.write_text(json.dumps({"id": "2401.00001", "title": "Wobbly Gradients", "abstract": "Other copy.",
                             "authors": ["A. Person"], "date": "2024-01-02"}) + "\n", encoding="utf-8")
    return [a, b]


@pytest.mark.parametrize("failure", ["no temporary file", "disk full while spooling"])
def test_records_are_the_same_when_the_first_pass_cannot_keep_what_it_read(tmp_path, monkeypatch, failure):
    # the second reading pass replays what the first parsed (kg.sources._Spool); without it, it reads the files again
    import kg.sources as sources

    inputs = _duplicated_inputs(tmp_path)
    report = ReadReport()
    expected = list(read_inputs(inputs, report=report))
    assert [r.id for r in expected] == ["2401.00001", expected[1].id] and expected[0].authors == ("A. Person",)
    if failure == "no temporary file":
        def broken(*args, **kwargs):
            raise OSError(28, "No space left on device")
        monkeypatch.setattr(sources.tempfile, "TemporaryFile", broken)
    else:
        real_dump = sources.pickle.dump
        calls = []

        def dump(obj, fh, protocol=None):
            calls.append(obj)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
            real_dump(obj, fh, protocol)
        monkeypatch.setattr(sources.pickle, "dump", dump)
    again = ReadReport()
    assert list(read_inputs(inputs, report=again)) == expected
    assert again.to_dict() == report.to_dict()
