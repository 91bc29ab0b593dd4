"""Reading a build's RDF back: SHACL validation, local SPARQL, the SPARQL endpoint.

Writing the RDF lives in :mod:`kg.writers.rdf`.
"""

from __future__ import annotations

from pathlib import Path

from ..writers.rdf import FORMATS

#: Files tried, in order, when a command reads "the build's RDF".
RDF_FILES: tuple[str, ...] = tuple(FORMATS[f][0] for f in ("nquads", "turtle", "ntriples", "jsonld", "rdfxml"))


def find_rdf(outdir: str | Path) -> Path:
    """The RDF file of a build directory, or the path itself when it is a file.

    N-Quads first (it also has the named graphs), then Turtle, N-Triples,
    JSON-LD, RDF/XML; but a file older than the build's graph.jsonl (left over
    from an earlier build that wrote other formats) only when nothing current is there.
    """
    p = Path(outdir)
    if p.is_file():
        return p
    found = [p / name for name in RDF_FILES if (p / name).is_file()]
    if found:
        graph = p / "graph.jsonl"
        built = graph.stat().st_mtime_ns if graph.is_file() else 0
        current = [f for f in found if f.stat().st_mtime_ns >= built]
        return (current or found)[0]
    raise FileNotFoundError(
        f"{p}: no RDF output here (looked for {', '.join(RDF_FILES)}); run `kg build -o {p}` first")
