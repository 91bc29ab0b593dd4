"""``kg sparql``: run a SPARQL query against a build's RDF in an embedded pyoxigraph store.

Values come in as bindings (``--bind name=value``, SPARQL substitutions as in
SEP-0007), never spliced into the query text. The usual prefixes (``kgo:``,
``rdf:``, ``skos:`` …, and ``kg:``/``paper:``/``model:`` … for resources) are
predeclared, so short queries need no PREFIX lines.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .. import vocab as V
from ..writers.rdf import serialization_prefixes
from . import find_rdf

OUTPUTS = ("table", "csv", "tsv", "json")
_OX_FORMAT = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
              ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML}


@dataclass(slots=True)
class LoadedStore:
    store: ox.Store
    file: Path
    #: N-Quads put papers in named graphs: queries then see the union by default.
    union: bool
    prefixes: dict[str, str]
    #: True when the store is the on-disk one `kg serve` made (OUTDIR/.oxigraph), opened read-only.
    persistent: bool = False


def load_store(outdir: str | Path, base_iri: str | None = None) -> LoadedStore:
    """A store holding the build's RDF (see :func:`kg.rdf.find_rdf`): the on-disk
    store under OUTDIR/.oxigraph when `kg serve` left a current one (no loading
    at all), else an in-memory store loaded now."""
    from .serve import current_store

    path = find_rdf(outdir)
    fmt = _OX_FORMAT.get(path.suffix)
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF file type")
    union = fmt == ox.RdfFormat.N_QUADS
    persistent = current_store(path)
    if persistent is not None:
        try:
            return LoadedStore(ox.Store.read_only(str(persistent)), path, union, query_prefixes(base_iri), True)
        except OSError:
            pass  # fall back to loading it
    store = ox.Store()
    store.bulk_load(path=str(path), format=fmt)
    return LoadedStore(store, path, union, query_prefixes(base_iri))


def query_prefixes(base_iri: str | None = None) -> dict[str, str]:
    return serialization_prefixes(base_iri or V.DEFAULT_BASE_IRI)


def read_query(query_or_file: str) -> str:
    """The query text: the argument itself, or the file it names (``*.rq``, ``*.sparql``)."""
    p = Path(query_or_file)
    if query_or_file.endswith((".rq", ".sparql")) or (len(query_or_file) < 4096 and "\n" not in query_or_file
                                                     and p.is_file()):
        return p.read_text(encoding="utf-8")
    return query_or_file


def parse_binding(text: str, prefixes: dict[str, str]) -> tuple[ox.Variable, Any]:
    """``name=value`` -> a substitution. ``<iri>`` and ``prefix:local`` (known prefix)
    are IRIs; ``"…"^^xsd:integer`` (or any datatype IRI/prefixed name) a typed literal;
    anything else a plain string literal."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"binding {text!r}: expected NAME=VALUE")
    return ox.Variable(name), parse_term(value, prefixes)


def parse_term(value: str, prefixes: dict[str, str]) -> Any:
    v = value
    if v.startswith("<") and v.endswith(">"):
        return ox.NamedNode(v[1:-1])
    m = re.fullmatch(r'"(.*)"\^\^(\S+)', v, re.S)
    if m:
        dt = m.group(2)
        dt_iri = dt[1:-1] if dt.startswith("<") else _expand(dt, prefixes)
        if dt_iri is None:
            raise ValueError(f"unknown datatype {dt!r}")
        return ox.Literal(m.group(1), datatype=ox.NamedNode(dt_iri))
    iri = _expand(v, prefixes)
    if iri is not None:
        return ox.NamedNode(iri)
    if len(v) >= 2 and v[0] == v[-1] == '"':
        v = v[1:-1]
    return ox.Literal(v)


def _expand(v: str, prefixes: dict[str, str]) -> str | None:
    m = re.fullmatch(r"([A-Za-z][\w-]*):(\S*)", v)
    if m and m.group(1) in prefixes and not m.group(2).startswith("//"):
        return prefixes[m.group(1)] + m.group(2)
    return None


def run_query(loaded: LoadedStore, query: str, bindings: dict[str, Any] | None = None):
    """Run a query; ``bindings`` maps variable names to pyoxigraph terms (or strings
    parsed as in :func:`parse_term`). Raises SyntaxError on a malformed query."""
    subs = None
    if bindings:
        subs = {ox.Variable(k): (parse_term(v, loaded.prefixes) if isinstance(v, str) else v)
                for k, v in bindings.items()}
    return loaded.store.query(query, prefixes=loaded.prefixes, use_default_graph_as_union=loaded.union,
                              substitutions=subs)


def _short(term: Any, prefixes: dict[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default=None)
        if best is not None:
            name = next(k for k, v in prefixes.items() if v == best)
            return f"{name}:{iri[len(best):]}"
        return f"<{iri}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def format_results(result: Any, output: str = "table", prefixes: dict[str, str] | None = None,
                   max_width: int = 60) -> str:
    """Render a query result: SELECT as a table or SPARQL CSV/TSV/JSON results, ASK as
    true/false (or JSON), CONSTRUCT/DESCRIBE as Turtle (N-Triples for csv/tsv, JSON-LD for json)."""
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; choose from {', '.join(OUTPUTS)}")
    prefixes = prefixes or query_prefixes()
    if isinstance(result, ox.QueryBoolean):
        if output == "json":
            return json.dumps({"head": {}, "boolean": bool(result)}) + "\n"
        return ("true" if bool(result) else "false") + "\n"
    if isinstance(result, ox.QueryTriples):
        fmt = {"table": ox.RdfFormat.TURTLE, "json": ox.RdfFormat.JSON_LD}.get(output, ox.RdfFormat.N_TRIPLES)
        return ox.serialize(result, format=fmt,
                            prefixes=prefixes if fmt == ox.RdfFormat.TURTLE else None).decode("utf-8")
    variables = [v.value for v in result.variables]
    if output != "table":
        fmt = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
               "json": ox.QueryResultsFormat.JSON}[output]
        return result.serialize(format=fmt).decode("utf-8")
    rows = [[_short(sol[v], prefixes) for v in variables] for sol in result]

    def cell(s: str) -> str:
        s = s.replace("\n", "\\n").replace("\t", " ")
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    table = [[cell(c) for c in r] for r in rows]
    widths = [max([len(v)] + [len(r[i]) for r in table]) for i, v in enumerate(variables)]
    out = io.StringIO()
    out.write(" | ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip() + "\n")
    out.write("-+-".join("-" * w for w in widths) + "\n")
    for r in table:
        out.write(" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")
    out.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return out.getvalue()


def sparql(outdir: str | Path, query_or_file: str, output: str = "table",
           bindings: dict[str, Any] | None = None, base_iri: str | None = None) -> str:
    """What ``kg sparql`` does: load the build's RDF, run the query, render the result."""
    loaded = load_store(outdir, base_iri)
    return format_results(run_query(loaded, read_query(query_or_file), bindings), output, loaded.prefixes)
