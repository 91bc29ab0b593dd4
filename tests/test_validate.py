"""kg validate: SHACL shapes pass on the writers' output and catch seeded violations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import make_small_graph
from rdflib import Graph
from rdflib.namespace import OWL, RDF, SH

from kg import vocab as V
from kg.cli import main
from kg.rdf.validate import SHAPES, validate
from kg.writers.rdf import FORMATS, write_rdf_outputs

SEEDED = """
stmt:bad a kgo:Statement ; rdf:subject paper:2401.04088 ; rdf:predicate kgo:outperforms ;
    rdf:object model:edgenet ; kgo:confidence 1.5 ; kgo:startOffset 9 ; kgo:endOffset 3 .
paper:2401.04088 kgo:evaluatesOn model:edgenet .
paper:notitle a kgo:Paper ; dcterms:identifier "x" ; rdfs:label "x" ; kgo:arxivId "nope" .
model:twotypes a kgo:Model , kgo:Dataset ; rdfs:label "t" ; skos:prefLabel "t" .
"""


@pytest.fixture(scope="module")
def small_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small-rdf")
    write_rdf_outputs(make_small_graph(), out, list(FORMATS))
    return out


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_conforms(small_out, fmt):
    report = validate(small_out / FORMATS[fmt][0])
    assert report.conforms, "\n".join(map(str, report.violations))
    assert report.triples > 200


def test_seeded_violations_are_reported_readably(small_out, tmp_path):
    shutil.copy(small_out / "graph.ttl", tmp_path / "graph.ttl")
    with open(tmp_path / "graph.ttl", "a", encoding="utf-8") as fh:
        fh.write(SEEDED)
    report = validate(tmp_path)
    assert not report.conforms
    text = "\n".join(map(str, report.violations))
    for expected in ("kgo:confidence is a decimal in [0, 1]", "plain triple is missing",
                     "kgo:evaluatesOn points at a kgo:Dataset", "paper:notitle  dcterms:title",
                     "kgo:arxivId is an arXiv identifier", "exactly one of the types", "stmt:bad  kgo:startOffset"):
        assert expected in text, f"{expected!r} not in\n{text}"


def test_cli_validate_exit_codes(small_out, tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["validate", str(small_out)])
    assert r.exit_code == 0, r.output
    assert "conform" in r.output
    shutil.copy(small_out / "graph.ttl", tmp_path / "graph.ttl")
    with open(tmp_path / "graph.ttl", "a", encoding="utf-8") as fh:
        fh.write(SEEDED)
    r = runner.invoke(main, ["validate", str(tmp_path)])
    assert r.exit_code == 1
    assert "Violation: stmt:bad  kgo:confidence" in r.output
    r = runner.invoke(main, ["validate", str(tmp_path / "nowhere")])
    assert r.exit_code != 0


def test_every_class_and_property_has_a_shape():
    shapes = Graph().parse(SHAPES, format="turtle")
    onto = Graph().parse(V.ONTOLOGY_DIR / "kg.ttl", format="turtle")
    targeted = set(shapes.objects(None, SH.targetClass))
    paths = set(shapes.objects(None, SH.path))
    for cls in onto.subjects(RDF.type, OWL.Class):
        assert cls in targeted, f"no shape targets {cls}"
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in onto.subjects(RDF.type, kind):
            assert prop in paths, f"no property shape for {prop}"


def test_sample_build_conforms(request):
    try:
        outdir, _ = request.getfixturevalue("sample_build")
    except Exception as exc:
        pytest.skip(f"sample build unavailable: {exc!r}")
    report = validate(outdir)
    assert report.conforms, "\n".join(map(str, report.violations[:20]))
