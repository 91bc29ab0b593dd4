"""Full texts: PDFs and text files the tests write, through `kg build` itself.

The PDFs (tests/pdfgen.py) are laid out like papers: two columns written row
by row across both (so content order is not reading order), a running header
and page numbers, hyphenated line ends and ligature characters, an
experimental setup naming hardware and datasets, and a related-work section
and references citing models the paper never uses.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pdfgen import PaperSpec, encrypted_pdf, sample_spec, scanned_pdf, ttf_font, write_paper_pdf

ROOT = Path(__file__).resolve().parent.parent


def kg_build(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", "build", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def papers(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / "papers.jsonl").read_text(encoding="utf-8").splitlines()]


def graph_items(outdir: Path) -> list[dict]:
    return [json.loads(line) for line in (outdir / "graph.jsonl").read_text(encoding="utf-8").splitlines()]


def by_name(paper: dict) -> dict[str, dict]:
    return {e["name"]: e for e in paper["entities"]}


def build_one(path: Path, text: str) -> tuple[Path, dict]:
    """Write ``text`` to ``path``, build it, return the output directory and its one paper."""
    path.write_text(text, encoding="utf-8")
    out = path.parent / "out"
    proc = kg_build(path, "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out, papers(out)[0]


@pytest.fixture(scope="module")
def pdf_build(tmp_path_factory):
    """One two-column PDF paper (three pages), built."""
    tmp = tmp_path_factory.mktemp("pdf")
    pdf = write_paper_pdf(tmp / "tidewater.pdf", sample_spec(filler=40))
    out = tmp / "out"
    proc = kg_build(pdf, "-o", out, "-j", "1")
    assert proc.returncode == 0, proc.stderr
    return out, papers(out)[0]


def kept_text(out: Path, paper: dict) -> tuple[str, dict]:
    from kg.fulltext import fulltext_paths

    text_path, index_path = fulltext_paths(out, paper["id"])
    return text_path.read_text(encoding="utf-8"), json.loads(index_path.read_text(encoding="utf-8"))


def test_pdf_title_and_abstract_come_from_the_document(pdf_build):
    out, paper = pdf_build
    assert paper["title"] == "Tidewater: Sparse Expert Routing for Long-Context Language Models"
    node = next(i for i in graph_items(out) if i.get("id") == "paper/" + paper["id"])
    assert node["props"]["abstract"].startswith("We propose Tidewater, a sparse expert routing method")
    assert node["props"]["abstract"].endswith("at a fraction of their cost.")


def test_pdf_sections_are_recognised_in_reading_order(pdf_build):
    out, paper = pdf_build
    text, index = kept_text(out, paper)
    kinds = [s["kind"] for s in index["sections"]]
    assert kinds == ["title", "other", "abstract", "introduction", "related_work", "method", "experiments",
                     "results", "conclusion", "references"]
    setup = next(s for s in index["sections"] if s["kind"] == "experiments")
    assert setup["heading"] == "4 Experimental Setup"
    body = text[setup["start"]:setup["end"]]
    # the column written row by row across the page still reads as whole sentences
    assert body.startswith("We train all models on 64 NVIDIA A100 80GB GPUs for 3 days, about 4,600 GPU hours")


def test_pdf_text_has_no_hyphen_breaks_ligatures_headers_or_page_numbers(pdf_build):
    out, paper = pdf_build
    text, index = kept_text(out, paper)
    assert index["pages"] == 3
    for word in ("regularization", "efficiency", "expensive", "dependencies"):  # split at line ends in the PDF
        assert word in text
    assert "regulari-" not in text and "regulari zation" not in text
    assert "simplified by the Switch Transformer" in text  # written with the ﬁ ligature
    assert "\ufb01" not in text and "\ufb02" not in text
    assert "Preprint" not in text  # the running header
    assert not any(line.strip().isdigit() for line in text.splitlines())  # page numbers


def test_pdf_entities_roles_and_sections_of_mentions(pdf_build):
    out, paper = pdf_build
    text, _ = kept_text(out, paper)
    ents = by_name(paper)
    assert ents["Tidewater"]["role"] == "PROPOSES"
    assert ents["WikiText-103"]["role"] == "EVALUATES_ON"
    assert ents["C4"]["role"] == "EVALUATES_ON"
    assert ents["Longformer"]["role"] == "USES"
    assert ents["AdamW"]["role"] == "USES"
    assert ents["WikiText-103"]["evidence"]["field"] == "experiments"
    for e in paper["entities"]:
        for m in e["mentions"]:
            if m["field"] not in ("title", "abstract"):
                assert text[m["start"]:m["end"]] == m["text"], (e["name"], m)
    fields = {m["field"] for m in ents["WikiText-103"]["mentions"]}
    assert fields == {"experiments", "results"}


def test_cited_only_models_are_not_used(pdf_build):
    out, paper = pdf_build
    names = {e["name"] for e in paper["entities"]}
    assert not names & {"GShard", "Switch Transformer", "XLNet", "RETRO"}
    cited = {e["name"]: e for e in paper["cited"]}
    assert {"GShard", "XLNet"} <= cited.keys()  # kept as cited, at lower confidence, with their sections
    assert {m["field"] for m in cited["XLNet"]["mentions"]} == {"related_work", "references"}
    assert cited["XLNet"]["confidence"] <= 0.5
    cited_edges = [i for i in graph_items(out)
                   if i.get("source") == "paper/" + paper["id"] and i.get("target", "").endswith(("/xlnet", "/gshard"))]
    assert cited_edges == []


def test_pdf_hardware_edge_carries_count_and_memory(pdf_build):
    out, paper = pdf_build
    gpu = by_name(paper)["NVIDIA A100"]  # named by the product (#17); memory is an attribute
    assert (gpu["role"], gpu["count"], gpu["attrs"]["memory"]) == ("USES_HARDWARE", 64, "80GB")
    assert gpu["evidence"]["field"] == "experiments"
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "kgo:count 64" in ttl


def test_a_text_full_text_builds_with_sections(tmp_path):
    out, paper = build_one(
        tmp_path / "paper.txt",
        "Quillfeather: Compact Adapters for Speech Recognition\n\n"
        "Abstract\n\nWe present Quillfeather, an adapter method for speech recognition.\n\n"
        "1 Introduction\n\nAdapters are small. Quillfeather is smaller.\n\n"
        "2 Related Work\n\nPrior systems such as Whisper and wav2vec 2.0 fine-tune every weight.\n\n"
        "3 Experiments\n\nWe fine-tune on LibriSpeech with 8 NVIDIA V100 GPUs for 12 hours.\n\n"
        "References\n\n[1] A. Author. Whisper. 2022.\n")
    assert paper["title"] == "Quillfeather: Compact Adapters for Speech Recognition"
    ents = by_name(paper)
    assert ents["Quillfeather"]["role"] == "PROPOSES"
    assert ents["LibriSpeech"]["role"] == "EVALUATES_ON"
    assert ents["LibriSpeech"]["mentions"][0]["field"] == "experiments"
    gpu = next(e for e in paper["entities"] if e["type"] == "Hardware" and e.get("count"))
    assert gpu["count"] == 8
    assert "Whisper" not in ents  # cited in related work and references only
    summary = json.loads((out / "summary.json").read_text())
    assert summary["formats"][str(tmp_path / "paper.txt")] == "fulltext"


def test_a_markdown_full_text_takes_its_title_from_the_first_heading(tmp_path):
    _, paper = build_one(
        tmp_path / "notes.md",
        "# Brambleweave: Sparse Graph Attention\n\n## Abstract\n\nWe propose Brambleweave, a graph "
        "attention method.\n\n## 4 Experimental Setup\n\nWe evaluate on Cora and train on 4 A100 GPUs.\n")
    assert paper["title"] == "Brambleweave: Sparse Graph Attention"
    ents = by_name(paper)
    assert ents["Brambleweave"]["role"] == "PROPOSES"
    assert ents["Cora"]["role"] == "EVALUATES_ON"


def test_scanned_encrypted_and_damaged_pdfs_are_skipped_with_the_reason(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    scanned_pdf(src / "a_scan.pdf")
    encrypted_pdf(src / "b_locked.pdf", PaperSpec("Locked Paper Title", "An abstract nobody can read here."))
    (src / "c_broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage")
    write_paper_pdf(src / "d_good.pdf", sample_spec())
    out = tmp_path / "out"
    proc = kg_build(src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["papers"] == 1 and summary["skipped"] == 3
    reasons = {Path(s["source"]).name: s["reason"] for s in summary["skipped_records"]}
    assert "no text layer" in reasons["a_scan.pdf"]
    assert "encrypted" in reasons["b_locked.pdf"]
    assert "damaged" in reasons["c_broken.pdf"]
    assert "a_scan.pdf" in proc.stderr and "Traceback" not in proc.stderr


def test_a_sidecar_supplies_the_metadata_and_is_not_an_input(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_paper_pdf(src / "paper.pdf", sample_spec())
    (src / "paper.json").write_text(json.dumps({
        "title": "Tidewater (camera-ready title)", "arxiv_id": "2411.01234", "authors": ["Ada Example"],
        "date": "2024-11-02"}, indent=2), encoding="utf-8")
    out = tmp_path / "out"
    proc = kg_build(src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    [paper] = papers(out)
    assert (paper["id"], paper["title"], paper["date"]) == ("2411.01234", "Tidewater (camera-ready title)", "2024-11-02")
    summary = json.loads((out / "summary.json").read_text())
    assert list(summary["formats"].values()) == ["pdf"]


def test_input_format_forces_the_pdf_reader(tmp_path):
    pdf = write_paper_pdf(tmp_path / "paper.bin", sample_spec())
    out = tmp_path / "out"
    proc = kg_build(pdf, "--input-format", "pdf", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert papers(out)[0]["title"].startswith("Tidewater")


@pytest.mark.skipif(ttf_font() is None, reason="no TrueType font with ligature glyphs on this machine")
def test_the_generated_pdf_really_holds_ligatures_and_a_row_by_row_content_order(tmp_path):
    """Guards the test PDFs themselves: a naive extraction shows what the reader undoes."""
    import pypdf

    pdf = write_paper_pdf(tmp_path / "p.pdf", sample_spec(filler=40))
    raw = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "\ufb01" in raw  # ligature in the text layer
    assert "exp- throughout" in raw  # a hyphenated line end, and the right column's line beside it
    assert "Preprint" in raw


def _mixed_folder(src: Path, pdf_name: str) -> None:
    import dataclasses

    src.mkdir()
    spec = dataclasses.replace(sample_spec(), stamp="arXiv:2411.01234v2  [cs.CL]  2 Nov 2024")
    write_paper_pdf(src / pdf_name, spec)
    records = [
        {"arxiv_id": "2411.01234", "title": "Tidewater: Sparse Expert Routing for Long-Context Language Models",
         "abstract": "We propose Tidewater, a sparse expert routing method for long contexts.",
         "authors": ["Ada Example", "Bo Sample"], "date": "2024-11-02"},
        {"title": "Marshlight: Calibrated Retrieval for Question Answering",
         "abstract": "We introduce Marshlight, a calibrated retriever evaluated on Natural Questions."},
    ]
    (src / "m_records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (src / "n_notes.txt").write_text(
        "Fernglow: Low-Bit Optimizers for Vision Transformers\n\nAbstract\n\nWe propose Fernglow, "
        "an 8-bit optimizer.\n\n3 Experiments\n\nWe train ViT-B/16 on ImageNet with 16 TPU v4 chips.\n",
        encoding="utf-8")


@pytest.mark.parametrize("pdf_name", ["a_tidewater.pdf", "z_tidewater.pdf"])  # before or after the record
def test_a_folder_of_pdfs_texts_and_records_is_one_graph_with_one_node_a_paper(tmp_path, pdf_name):
    src = tmp_path / "in"
    _mixed_folder(src, pdf_name)
    out = tmp_path / "out"
    proc = kg_build(src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["papers"], summary["duplicates_merged"]) == (3, 1)
    assert sorted(summary["formats"].values()) == ["fulltext", "jsonl", "pdf"]
    items = graph_items(out)
    node = next(i for i in items if i.get("id") == "paper/2411.01234")
    assert node["props"]["authors"] == ["Ada Example", "Bo Sample"]  # from the record
    assert node["props"]["date"] == "2024-11-02"
    edges = {(i["type"], i["target"]) for i in items if i.get("source") == "paper/2411.01234"}
    assert ("EVALUATES_ON", "dataset/wikitext-103") in edges  # from the PDF's experimental setup
    assert any(t == "USES_HARDWARE" for t, _ in edges)


def test_hardware_count_and_memory_reach_turtle_and_falkordb(pdf_build, falkordb_server):
    """ "64 NVIDIA A100 80GB GPUs" in the experimental setup: one USES_HARDWARE edge
    with count 64 and memory 80 GB, in the Turtle file and in FalkorDB."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import RDF

    out, paper = pdf_build
    kgo = Namespace("https://w3id.org/paperkg/ontology#")
    g = Graph().parse(out / "graph.ttl", format="turtle")
    count = kgo["count"]  # kgo.count would be str.count
    stmts = [s for s in g.subjects(RDF.predicate, kgo.usesHardware) if g.value(s, count) is not None]
    assert len(stmts) == 1
    assert g.value(stmts[0], RDF.object).endswith("/nvidia-a100")
    assert g.value(stmts[0], count).toPython() == 64
    assert str(g.value(stmts[0], kgo.memory)) == "80GB"
    assert str(g.value(stmts[0], kgo.duration)) == "P3D"  # "for 3 days"
    assert g.value(stmts[0], kgo.deviceHours).toPython() == 4600  # "4,600 GPU hours"
    proc = subprocess.run([sys.executable, "-m", "kg", "push", "falkordb", str(out), "--url", falkordb_server.url,
                           "--graph", "fulltext_hw"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    db = falkordb_server.client()
    rows = db.select_graph("fulltext_hw").query(
        "MATCH (p:Paper)-[r:USES_HARDWARE]->(h:Hardware) WHERE r.count IS NOT NULL "
        "RETURN p.id, h.name, r.count, r.memory").result_set
    db.select_graph("fulltext_hw").delete()
    assert len(rows) == 1
    _, name, count, memory = rows[0]
    assert (name, count, memory) == ("NVIDIA A100", 64, "80GB")


def test_prune_removes_the_kept_full_texts_of_pruned_papers(tmp_path):
    from kg.fulltext import fulltext_paths

    src = tmp_path / "in"
    src.mkdir()
    (src / "records.jsonl").write_text(json.dumps(
        {"id": "2502.00007", "title": "Marrowgate: Routing for Sparse Retrieval",
         "abstract": "We propose Marrowgate, a routing method evaluated on MS MARCO."}) + "\n", encoding="utf-8")
    (src / "paper.txt").write_text(
        "Hollowreed: Pruned Adapters for Translation\n\nAbstract\n\nWe present Hollowreed, an adapter method.\n\n"
        "1 Experiments\n\nWe evaluate on WMT14 with 2 NVIDIA V100 GPUs.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert kg_build(src, "-o", out).returncode == 0
    paper = next(p for p in papers(out) if p["title"].startswith("Hollowreed"))
    kept = fulltext_paths(out, paper["id"])
    assert all(p.is_file() for p in kept)
    (src / "paper.txt").unlink()
    proc = kg_build(src, "-o", out, "--update", "--prune")
    assert proc.returncode == 0, proc.stderr
    assert [p["title"] for p in papers(out)] == ["Marrowgate: Routing for Sparse Retrieval"]
    assert not any(p.exists() for p in kept)  # no stale text left for a paper that is gone
