"""Property tests of every reader: whatever bytes a file holds, reading it
never raises and never hangs; every good record lands and every damaged one is
reported with file, line and reason.

The records are invented; damage is applied to one record's serialised text
(random junk, NUL, invalid UTF-8, deep nesting, wrong field types, a huge
abstract) or to the file (truncation, random bytes). Examples are bounded so
the suite stays fast.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.sources import FORMATS, ReadReport, read_inputs
from kg.sources._records import MAX_ABSTRACT_CHARS

FAST = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
# Junk that lands inside one record: controls, quotes, brackets, markup, non-ASCII.
JUNK = st.text(alphabet=st.sampled_from(list('\x00\x01\x7f"\\{}[],:<>&/= \té€\u2028\U0001f600abz09')),
               min_size=1, max_size=30)


def _records(n: int) -> list[dict]:
    return [{"title": f"Gradient lattice study number {i} of quartz",
             "abstract": f"We introduce Quartzlet{i}, a sparse lattice model trained with plain descent."}
            for i in range(n)]


def _jsonl(recs: list[dict]) -> list[str]:
    return [json.dumps(r) for r in recs]


def _oai(recs: list[dict]) -> list[str]:
    return [json.dumps({"id": f"2301.{i:05d}", "title": r["title"], "abstract": r["abstract"],
                        "update_date": "2023-01-02", "submitter": "Nobody"}) for i, r in enumerate(recs)]


def _daily(recs: list[dict]) -> list[str]:
    return [json.dumps({"paper": {"id": f"2302.{i:05d}", "title": r["title"], "summary": r["abstract"]}})
            for i, r in enumerate(recs)]


def _atom(recs: list[dict]) -> list[str]:
    return [f"<entry>\n<id>http://arxiv.org/abs/2303.{i:05d}v1</id>\n<title>{escape(r['title'])}</title>\n"
            f"<summary>{escape(r['abstract'])}</summary>\n</entry>" for i, r in enumerate(recs)]


ATOM_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'


def _document(fmt: str, parts: list[str], pretty: bool = False) -> str:
    if fmt == "arxiv-atom":
        return ATOM_HEAD + "\n".join(parts) + "\n</feed>\n"
    if fmt == "hf-daily":
        sep = ",\n  " if pretty else ","
        return "[" + ("\n  " if pretty else "") + sep.join(parts) + ("\n" if pretty else "") + "]\n"
    return "\n".join(parts) + "\n"


SERIALISE = {"jsonl": _jsonl, "arxiv-oai": _oai, "hf-daily": _daily, "arxiv-atom": _atom}


def _read(path, fmt: str) -> tuple[list, ReadReport]:
    report = ReadReport()
    return list(read_inputs([path], input_format=fmt, report=report)), report


def _damage(kind: str, part: str, junk: str, where: int) -> str:
    at = where % max(1, len(part))
    if kind == "junk":
        return part[:at] + junk + part[at:]
    if kind == "cut":
        return part[:at]
    if kind == "nest":
        return "[" * 3000 + part
    if kind == "type":
        return part.replace('"title": "', '"title": ["', 1).replace('", "abstract"', '"], "abstract"', 1) \
            .replace('", "summary"', '"], "summary"', 1)
    raise AssertionError(kind)


@pytest.mark.parametrize("fmt", sorted(SERIALISE))
@FAST
@given(n=st.integers(2, 6), k=st.integers(0, 5), kind=st.sampled_from(["junk", "cut", "nest", "type"]),
       junk=JUNK, where=st.integers(0, 10_000), pretty=st.booleans())
def test_one_damaged_record_costs_only_itself(tmp_path_factory, fmt, n, k, kind, junk, where, pretty):
    k %= n
    recs = _records(n)
    parts = SERIALISE[fmt](recs)
    if fmt == "arxiv-atom" and kind in ("nest", "type"):
        kind = "junk"
    parts[k] = _damage(kind, parts[k], junk, where)
    path = tmp_path_factory.mktemp("r") / "in.data"
    path.write_text(_document(fmt, parts, pretty), encoding="utf-8", errors="surrogatepass")
    got, report = _read(path, fmt)
    titles = {r.title for r in got}
    for i, rec in enumerate(recs):
        if i != k:
            assert rec["title"] in titles, (i, report.skipped)
    if recs[k]["title"] not in titles and parts[k].strip():
        # the damaged record is reported, or landed with its damage (junk inside a title is text)
        assert report.skipped or len(got) == n, "a damaged record must be reported"
    for s in report.skipped:
        assert s.source == str(path) and s.line >= 1 and s.reason


@pytest.mark.parametrize("fmt", FORMATS)
@FAST
@given(data=st.binary(max_size=3000))
def test_random_bytes_never_raise(tmp_path_factory, fmt, data):
    path = tmp_path_factory.mktemp("b") / "in.data"
    path.write_bytes(data)
    got, report = _read(path, fmt)
    for rec in got:
        assert rec.title and rec.abstract
        rec.title.encode("utf-8"), rec.abstract.encode("utf-8")  # writable by every output


@pytest.mark.parametrize("fmt", sorted(SERIALISE))
@FAST
@given(cut=st.integers(0, 100_000), pretty=st.booleans())
def test_truncated_file_keeps_every_record_before_the_cut(tmp_path_factory, fmt, cut, pretty):
    recs = _records(5)
    text = _document(fmt, SERIALISE[fmt](recs), pretty)
    cut %= len(text)
    path = tmp_path_factory.mktemp("t") / "in.data"
    path.write_text(text[:cut], encoding="utf-8")
    got, report = _read(path, fmt)
    titles = {r.title for r in got}
    for rec in recs:
        end = text.find(rec["title"]) + len(rec["title"]) + len(rec["abstract"]) + 60
        if end < cut - 20:
            assert rec["title"] in titles


@pytest.mark.parametrize("fmt", sorted(SERIALISE))
def test_invalid_utf8_nul_and_a_10_mb_line_cost_one_record_each(tmp_path, fmt):
    recs = _records(6)
    recs[1]["abstract"] = "lattice " * (10 * 1024 * 1024 // 8)  # a 10 MB line: kept, cut, reported
    parts = SERIALISE[fmt](recs)
    text = _document(fmt, parts).encode("utf-8")
    # invalid UTF-8 in record 3's title, a NUL-filled record 4
    text = text.replace(recs[3]["title"].encode(), b"Gradient \xff\xfe\xc3 lattice", 1)
    text = text.replace(recs[4]["title"].encode(), b"\x00" * 40, 1)
    path = tmp_path / "in.data"
    path.write_bytes(text)
    got, report = _read(path, fmt)
    titles = {r.title for r in got}
    assert {recs[i]["title"] for i in (0, 1, 2, 5)} <= titles
    big = next(r for r in got if r.title == recs[1]["title"])
    assert len(big.abstract) <= MAX_ABSTRACT_CHARS
    assert [t.line for t in report.truncated] and "abstract cut at" in report.truncated[0].reason
    assert all(r.title.encode("utf-8") for r in got)


@pytest.mark.parametrize("fmt", ["jsonl", "hf-daily", "arxiv-oai"])
def test_lone_surrogate_and_wrong_types_are_skips_naming_the_field(tmp_path, fmt):
    recs = _records(4)
    parts = SERIALISE[fmt](recs)
    parts[1] = parts[1].replace("Gradient", "Gradient \\ud800", 1)
    parts[2] = parts[2].replace(json.dumps(recs[2]["title"]), "12345", 1)
    path = tmp_path / "in.data"
    path.write_text(_document(fmt, parts), encoding="utf-8")
    got, report = _read(path, fmt)
    assert {r.title for r in got} == {recs[0]["title"], recs[3]["title"]}
    reasons = [s.reason for s in report.skipped]
    assert any("surrogate" in r and "title" in r for r in reasons), reasons
    assert any("'title' is a number" in r for r in reasons), reasons


def test_numeric_arxiv_id_is_converted_from_its_literal_text(tmp_path):
    path = tmp_path / "oai.jsonl"
    path.write_text('{"id": 704.0010, "title": "Quartz lattice", "abstract": "A study.", "submitter": "N"}\n'
                    '{"id": 2401.04080, "title": "Quartz lattice two", "abstract": "A study.", "submitter": "N"}\n')
    got, _ = _read(path, "arxiv-oai")
    assert [r.arxiv_id for r in got] == ["0704.0010", "2401.04080"]
