"""``kg validate``: check a build's RDF against ``ontology/shapes.ttl`` with pyshacl."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.namespace import RDF, SH

from .. import vocab as V
from ..writers.rdf import serialization_prefixes
from . import find_rdf

SHAPES = V.ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY = V.ONTOLOGY_DIR / "kg.ttl"

_RDFLIB_FORMAT = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".rdf": "xml"}


@dataclass(frozen=True, slots=True)
class Violation:
    severity: str
    focus: str
    path: str
    value: str
    message: str
    shape: str

    def __str__(self) -> str:
        where = f"{self.focus}  {self.path}" if self.path else self.focus
        value = f"  (value: {self.value})" if self.value else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass(slots=True)
class ValidationReport:
    file: Path
    triples: int
    violations: list[Violation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(v.severity == "Violation" for v in self.violations)

    def summary(self) -> str:
        if not self.violations:
            return f"{self.file}: {self.triples} triples conform to {SHAPES.name}"
        n = sum(v.severity == "Violation" for v in self.violations)
        return f"{self.file}: {self.triples} triples, {n} violation(s) of {SHAPES.name}"


def load_rdflib(path: Path) -> Graph:
    """Parse an RDF output into one rdflib graph (named graphs merged)."""
    fmt = _RDFLIB_FORMAT.get(path.suffix)
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF file type")
    if fmt == "nquads":
        ds = Dataset()
        ds.parse(path, format="nquads")
        g = Graph()
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return Graph().parse(path, format=fmt)


def validate(outdir: str | Path, shapes: str | Path = SHAPES, base_iri: str | None = None) -> ValidationReport:
    """Validate the build's RDF (see :func:`kg.rdf.find_rdf`) against the SHACL shapes,
    with ``ontology/kg.ttl`` mixed in so ``sh:class`` sees subclasses."""
    import pyshacl

    path = find_rdf(outdir)
    data = load_rdflib(path)
    shapes_g = Graph().parse(shapes, format="turtle")
    ont = Graph().parse(ONTOLOGY, format="turtle")
    _conforms, results, text = pyshacl.validate(
        data, shacl_graph=shapes_g, ont_graph=ont, inference="none", advanced=True, allow_warnings=True)
    if not isinstance(results, Graph):  # pyshacl could not run the shapes at all
        raise RuntimeError(f"SHACL validation failed to run: {text}")
    report = ValidationReport(path, len(data))
    prefixes = serialization_prefixes(base_iri or V.DEFAULT_BASE_IRI)
    prefixes.update({"sh": str(SH), "kgsh": "https://w3id.org/paperkg/shapes#"})

    def short(term) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            iri = str(term)
            best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default=None)
            if best is not None:
                name = next(k for k, v in prefixes.items() if v == best)
                return f"{name}:{iri[len(best):]}"
            return f"<{iri}>"
        text = str(term)
        return repr(text if len(text) <= 80 else text[:77] + "...")

    for r in results.subjects(RDF.type, SH.ValidationResult):
        sev = results.value(r, SH.resultSeverity)
        msgs = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        report.violations.append(Violation(
            severity=str(sev).rsplit("#", 1)[-1] if sev else "Violation",
            focus=short(results.value(r, SH.focusNode)),
            path=short(results.value(r, SH.resultPath)) if isinstance(results.value(r, SH.resultPath), URIRef) else "",
            value=short(results.value(r, SH.value)),
            message="; ".join(msgs) or "constraint not met",
            shape=short(results.value(r, SH.sourceShape)) if isinstance(results.value(r, SH.sourceShape), URIRef) else "",
        ))
    report.violations.sort(key=lambda v: (v.focus, v.path, v.message, v.value))
    return report
