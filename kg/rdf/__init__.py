"""Reading a build's RDF back: SHACL validation, local SPARQL, the SPARQL endpoint.

Writing the RDF lives in :mod:`kg.writers.rdf`.
"""

from __future__ import annotations

from pathlib import Path

from ..writers.rdf import FORMATS

#: Files tried, in order, when a command reads "the build's RDF".
RDF_FILES: tuple[str, ...] = tuple(FORMATS[f][0] for f in ("nquads", "turtle", "ntriples", "jsonld", "rdfxml"))


def find_rdf(outdir: str | Path) -> Path:
    """The RDF file of a build directory (N-Quads first: it also has the named graphs),
    or the path itself when it is a file."""
    p = Path(outdir)
    if p.is_file():
        return p
    for name in RDF_FILES:
        if (p / name).is_file():
            return p / name
    raise FileNotFoundError(
        f"{p}: no RDF output here (looked for {', '.join(RDF_FILES)}); run `kg build -o {p}` first")
