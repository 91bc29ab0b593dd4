"""RDF outputs: Turtle, N-Triples, N-Quads, JSON-LD and RDF/XML.

Triples are built directly as pyoxigraph terms from the graph's sorted
nodes and edges and streamed into pyoxigraph's serialisers (no in-memory RDF
graph), so writing is fast, memory stays bounded by the graph itself, and the
same graph gives the same bytes. JSON-LD is written here, one compact node
object per line, with the context of ``ontology/context.jsonld`` inlined.

What is emitted (every IRI comes from :mod:`kg.vocab`; see ``ontology/kg.ttl``):

- ``<base>paper/<id>`` a kgo:Paper, with dcterms:title, dcterms:identifier,
  dcterms:date, dcterms:abstract, kgo:arxivId, kgo:doi, schema:sameAs (arXiv
  and DOI IRIs), schema:codeRepository (GitHub URLs from ``url`` or the
  abstract), kgo:authorCount, kgo:upvotes, kgo:sourceFile;
- ``<base><type>/<slug>`` a kgo:Method/Model/Dataset/Hardware/Task with
  rdfs:label, skos:prefLabel, skos:altLabel and attributes;
- each edge twice: the plain triple (``paper kgo:proposes model``) and a
  ``<base>stmt/<hash>`` kgo:Statement with rdf:subject/predicate/object and its
  provenance (evidence, field, offsets, confidence, rule, extractor, support,
  count, purpose, prov:wasDerivedFrom the paper);
- ``<base>extractor/<slug>`` a kgo:Extractor for each extractor named.

N-Quads puts a paper, its role edges and their statements in the named graph
``<base>graph/<source file name>``; entities, links and extractors (shared
across files) are in the default graph.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote

import pyoxigraph as ox

from .. import vocab as V
from ..graph import KnowledgeGraph, Node
from ..text import slug, stable_hash
from .atomic import atomic_write

DEFAULT_BASE_IRI = V.DEFAULT_BASE_IRI

#: format name -> (file name, pyoxigraph format or None for our JSON-LD writer)
FORMATS: dict[str, tuple[str, ox.RdfFormat | None]] = {
    "turtle": ("graph.ttl", ox.RdfFormat.TURTLE),
    "ntriples": ("graph.nt", ox.RdfFormat.N_TRIPLES),
    "nquads": ("graph.nq", ox.RdfFormat.N_QUADS),
    "jsonld": ("graph.jsonld", None),
    "rdfxml": ("graph.rdf", ox.RdfFormat.RDF_XML),
}
_ALIASES = {"ttl": "turtle", "nt": "ntriples", "nq": "nquads", "json-ld": "jsonld", "xml": "rdfxml",
            "rdf": "rdfxml", "rdf/xml": "rdfxml", "n-triples": "ntriples", "n-quads": "nquads"}


def normalize_format(fmt: str) -> str:
    f = fmt.strip().lower()
    f = _ALIASES.get(f, f)
    if f not in FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; choose from {', '.join(FORMATS)}")
    return f


def normalize_base_iri(base_iri: str) -> str:
    """A base IRI must be absolute and end in '/' or '#'; '/' is added otherwise."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base_iri or ""):
        raise ValueError(f"base IRI must be absolute (scheme:…), got {base_iri!r}")
    if re.search(r"[\s<>\"{}|\\^`]", base_iri):
        raise ValueError(f"base IRI contains characters not allowed in an IRI: {base_iri!r}")
    return base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"


# -- terms ------------------------------------------------------------------

_N = {str(t): ox.NamedNode(str(t)) for ns in V.NAMESPACES for t in V.terms(ns)}


def _n(term: Any) -> ox.NamedNode:
    return _N[str(term)]


RDF_TYPE = _n(V.RDF.type)
XSD_INTEGER, XSD_DECIMAL = _n(V.XSD.integer), _n(V.XSD.decimal)
_DATE_TYPES = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), _n(V.XSD.date)),
               (re.compile(r"^\d{4}-\d{2}$"), _n(V.XSD.gYearMonth)),
               (re.compile(r"^\d{4}$"), _n(V.XSD.gYear)))
_EDGE_PROP = {k: _n(v) for k, v in V.EDGE_PROPERTY.items()}
_NODE_CLASS = {k: _n(v) for k, v in V.NODE_CLASS.items()}
_ENTITY_PROP = {k: _n(v) for k, v in V.ENTITY_PROP.items()}

# Characters an IRI may not hold raw are percent-encoded; everything else stays.
_IRI_SAFE = "/:@!$&'()*+,;=-._~"
# Code points XML 1.0 cannot carry (RDF/XML) are dropped from literals in every format.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_GITHUB = re.compile(r"(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)", re.I)


def _text(s: Any) -> ox.Literal:
    s = str(s)
    if _BAD_CHARS.search(s):
        s = _BAD_CHARS.sub("", s)
    return ox.Literal(s)


def _int(v: Any) -> ox.Literal | None:
    try:
        return ox.Literal(str(int(v)), datatype=XSD_INTEGER)
    except (TypeError, ValueError):
        return None


def _decimal(v: Any) -> ox.Literal | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    s = f"{x:.6f}".rstrip("0")
    return ox.Literal(s + "0" if s.endswith(".") else s, datatype=XSD_DECIMAL)


def _date(v: Any) -> ox.Literal | None:
    s = str(v).strip()
    for rx, dt in _DATE_TYPES:
        if rx.match(s):
            return ox.Literal(s, datatype=dt)
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]", s)
    return ox.Literal(m.group(1), datatype=_DATE_TYPES[0][1]) if m else None


def github_repositories(*texts: Any) -> list[str]:
    """GitHub repository URLs (https://github.com/owner/repo) named in the texts, sorted."""
    found: set[str] = set()
    for t in texts:
        if not t:
            continue
        for owner, repo in _GITHUB.findall(str(t)):
            repo = repo.rstrip(".")
            if repo.lower().endswith(".git"):
                repo = repo[:-4]
            if owner and repo:
                found.add(f"https://github.com/{owner}/{repo}")
    return sorted(found)


def _web_iri(url: str) -> ox.NamedNode | None:
    url = str(url).strip()
    if not re.match(r"^https?://[^\s/]+", url, re.I):
        return None
    try:
        return ox.NamedNode(quote(url, safe=_IRI_SAFE + "?#%[]"))
    except ValueError:
        return None


@dataclass(slots=True)
class Block:
    """One subject's triples, in emission order, and the named graph they go in."""

    graph: str | None
    subject: ox.NamedNode
    pairs: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]]


class _Minter:
    """Deterministic IRIs under one base."""

    def __init__(self, base_iri: str) -> None:
        self.base = normalize_base_iri(base_iri)
        self._cache: dict[str, ox.NamedNode] = {}

    def node(self, node_id: str) -> ox.NamedNode:
        n = self._cache.get(node_id)
        if n is None:
            n = self._cache[node_id] = ox.NamedNode(self.base + quote(node_id, safe=_IRI_SAFE))
        return n

    def statement(self, source: str, type_: str, target: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}stmt/{stable_hash(f'{source}|{type_}|{target}', 16)}")

    def extractor(self, name: str) -> ox.NamedNode:
        return ox.NamedNode(f"{self.base}extractor/{slug(name)}")

    def graph(self, source: str) -> str:
        return f"{self.base}graph/{quote(Path(source).name, safe=_IRI_SAFE)}"


def _paper_pairs(node: Node, pairs: list) -> None:
    p = node.props
    T = _text
    pairs.append((RDF_TYPE, _NODE_CLASS["Paper"]))
    pairs.append((_n(V.RDFS.label), T(node.name)))
    pairs.append((_n(V.DCTERMS.title), T(node.name)))
    pairs.append((_n(V.DCTERMS.identifier), T(node.id.split("/", 1)[1])))
    if p.get("date"):
        d = _date(p["date"])
        if d is not None:
            pairs.append((_n(V.DCTERMS.date), d))
    if p.get("arxiv_id"):
        pairs.append((_n(V.KGO.arxivId), T(p["arxiv_id"])))
    if p.get("doi"):
        pairs.append((_n(V.KGO.doi), T(p["doi"])))
    n_authors = p.get("author_count")
    if n_authors is None and p.get("authors"):
        n_authors = len(p["authors"])
    if n_authors is not None and (lit := _int(n_authors)) is not None:
        pairs.append((_n(V.KGO.authorCount), lit))
    if p.get("upvotes") is not None and (lit := _int(p["upvotes"])) is not None:
        pairs.append((_n(V.KGO.upvotes), lit))
    for cat in p.get("categories") or ():
        pairs.append((_n(V.DCTERMS.subject), T(cat)))
    if p.get("source"):
        pairs.append((_n(V.KGO.sourceFile), T(Path(str(p["source"])).name)))
    for repo in github_repositories(p.get("url"), p.get("abstract")):
        pairs.append((_n(V.SCHEMA.codeRepository), ox.NamedNode(repo)))
    if p.get("url") and not github_repositories(p["url"]) and (iri := _web_iri(p["url"])) is not None:
        pairs.append((_n(V.SCHEMA.url), iri))
    same = []
    if p.get("arxiv_id"):
        same.append(_web_iri("https://arxiv.org/abs/" + str(p["arxiv_id"]).strip()))
    if p.get("doi"):
        same.append(_web_iri("https://doi.org/" + str(p["doi"]).strip()))
    for iri in same:
        if iri is not None:
            pairs.append((_n(V.SCHEMA.sameAs), iri))
    if p.get("abstract"):
        pairs.append((_n(V.DCTERMS.abstract), T(p["abstract"])))


def _entity_pairs(node: Node, pairs: list) -> None:
    T = _text
    pairs.append((RDF_TYPE, _NODE_CLASS[node.label]))
    pairs.append((_n(V.RDFS.label), T(node.name)))
    pairs.append((_n(V.SKOS.prefLabel), T(node.name)))
    seen = {node.name}
    for alias in node.aliases:
        if alias not in seen:
            seen.add(alias)
            pairs.append((_n(V.SKOS.altLabel), T(alias)))
    for key in sorted(node.props):
        value = node.props[key]
        if value is None or value == "":
            continue
        if key == "papers":
            if isinstance(value, int) and (lit := _int(value)) is not None:
                pairs.append((_ENTITY_PROP[key], lit))
                continue
        elif key in _ENTITY_PROP:
            for v in value if isinstance(value, (tuple, list)) else (value,):
                pairs.append((_ENTITY_PROP[key], T(v)))
            continue
        for v in value if isinstance(value, (tuple, list)) else (value,):
            pairs.append((_n(V.KGO.attribute), T(f"{key}={v}")))


def iter_blocks(graph: KnowledgeGraph, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[Block]:
    """Every subject's triples, deterministically: each node (sorted by id) with
    its outgoing plain edge triples, then each edge's statement, then extractors."""
    mint = _Minter(base_iri)
    g = graph.g
    paper_graph: dict[str, str | None] = {}
    for node in graph.nodes():
        pairs: list = []
        if node.label == "Paper":
            _paper_pairs(node, pairs)
            src = node.props.get("source")
            gname = paper_graph[node.id] = mint.graph(str(src)) if src else None
        else:
            _entity_pairs(node, pairs)
            gname = None
        for _, target, key in sorted(g.out_edges(node.id, keys=True), key=lambda e: (e[2], e[1])):
            pairs.append((_EDGE_PROP[key], mint.node(target)))
        yield Block(gname, mint.node(node.id), pairs)

    extractors: dict[str, ox.NamedNode] = {}
    for edge in graph.edges():
        p = edge.props
        T = _text
        pairs = [(RDF_TYPE, _n(V.KGO.Statement)),
                 (_n(V.RDF.subject), mint.node(edge.source)),
                 (_n(V.RDF.predicate), _EDGE_PROP[edge.type]),
                 (_n(V.RDF.object), mint.node(edge.target))]
        if p.get("evidence"):
            pairs.append((_n(V.KGO.evidenceText), T(p["evidence"])))
        if p.get("field"):
            pairs.append((_n(V.KGO.field), T(p["field"])))
        for key, prop in (("start", V.KGO.startOffset), ("end", V.KGO.endOffset),
                          ("support", V.KGO.support), ("count", V.KGO.count)):
            if p.get(key) is not None and (lit := _int(p[key])) is not None:
                pairs.append((_n(prop), lit))
        if p.get("confidence") is not None and (lit := _decimal(p["confidence"])) is not None:
            pairs.append((_n(V.KGO.confidence), lit))
        if p.get("purpose"):
            pairs.append((_n(V.KGO.purpose), T(p["purpose"])))
        if p.get("rule"):
            pairs.append((_n(V.KGO.rule), T(p["rule"])))
        if p.get("extractor"):
            name = str(p["extractor"])
            pairs.append((_n(V.KGO.extractorVersion), T(name)))
            ex = extractors.get(name)
            if ex is None:
                ex = extractors[name] = mint.extractor(name)
            pairs.append((_n(V.PROV.wasAttributedTo), ex))
        sources = [edge.source] if edge.source in paper_graph else []
        for pid in p.get("papers") or ():
            nid = pid if str(pid).startswith("paper/") else f"paper/{pid}"
            if nid in paper_graph and nid not in sources:
                sources.append(nid)
        for nid in sorted(sources):
            pairs.append((_n(V.PROV.wasDerivedFrom), mint.node(nid)))
        gname = paper_graph.get(edge.source)
        yield Block(gname, mint.statement(edge.source, edge.type, edge.target), pairs)

    for name in sorted(extractors):
        yield Block(None, extractors[name], [(RDF_TYPE, _n(V.KGO.Extractor)), (_n(V.RDFS.label), _text(name))])


def iter_triples(graph: KnowledgeGraph, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[ox.Triple]:
    Triple = ox.Triple
    for b in iter_blocks(graph, base_iri):
        s = b.subject
        for p, o in b.pairs:
            yield Triple(s, p, o)


def iter_quads(graph: KnowledgeGraph, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[ox.Quad]:
    Quad = ox.Quad
    default = ox.DefaultGraph()
    names: dict[str, ox.NamedNode] = {}
    for b in iter_blocks(graph, base_iri):
        if b.graph is None:
            gn = default
        else:
            gn = names.get(b.graph)
            if gn is None:
                gn = names[b.graph] = ox.NamedNode(b.graph)
        s = b.subject
        for p, o in b.pairs:
            yield Quad(s, p, o, gn)


# -- JSON-LD ------------------------------------------------------------------

class _JsonLd:
    def __init__(self, base: str) -> None:
        self.base = base
        self.ctx = V.jsonld_context(base)
        self.rev: dict[tuple[str, str | None], str] = {}
        self.classes: dict[str, str] = {}
        for term, (iri, coerce) in V.JSONLD_TERMS.items():
            if str(iri) in map(str, V.NODE_CLASS.values()) or term in ("Entity", "Statement", "Extractor"):
                self.classes[str(iri)] = term
            else:
                self.rev[(str(iri), coerce)] = term
        self.xsd_string = str(V.XSD.string)
        self.rdf_type = str(V.RDF.type)

    def cid(self, iri: str) -> str:
        if iri.startswith(self.base) and not iri[len(self.base):].startswith("//"):
            return "kg:" + iri[len(self.base):]
        return iri

    def node_object(self, b: Block) -> dict:
        obj: dict[str, Any] = {"@id": self.cid(b.subject.value)}
        types: list[str] = []
        for p, o in b.pairs:
            pv = p.value
            if pv == self.rdf_type and isinstance(o, ox.NamedNode):
                types.append(self.classes.get(o.value, o.value))
                continue
            if isinstance(o, ox.NamedNode):
                kind: str | None = "@id"
            else:
                dt = o.datatype.value
                kind = None if dt == self.xsd_string else dt
            term = self.rev.get((pv, kind))
            if term is not None:
                key, val = term, (self.cid(o.value) if kind == "@id" else o.value)
            elif kind == "@id":
                key, val = pv, {"@id": o.value}
            elif kind is None:
                key, val = pv, {"@value": o.value}
            else:
                key, val = pv, {"@value": o.value, "@type": kind}
            cur = obj.get(key)
            if cur is None:
                obj[key] = val
            elif isinstance(cur, list):
                cur.append(val)
            else:
                obj[key] = [cur, val]
        if types:
            obj["@type"] = types[0] if len(types) == 1 else types
        return obj


def _write_jsonld(blocks: Iterable[Block], fh, base: str) -> int:
    j = _JsonLd(base)
    fh.write(b'{"@context":' + json.dumps(j.ctx, ensure_ascii=False, separators=(",", ":")).encode()
             + b',\n"@graph":[')
    n = 0
    first = True
    for b in blocks:
        fh.write((b"\n" if first else b",\n") + json.dumps(
            j.node_object(b), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        first = False
        n += len(b.pairs)
    fh.write(b"\n]}\n")
    return n


# -- writing ------------------------------------------------------------------

class _Counter:
    def __init__(self, it: Iterable) -> None:
        self.it, self.n = it, 0

    def __iter__(self):
        for x in self.it:
            self.n += 1
            yield x


#: One prefix per kind of resource, so Turtle reads ``paper:2401.04088 kgo:proposes model:mixtral-8x7b``.
RESOURCE_PREFIXES = ("paper", "method", "model", "dataset", "hardware", "task", "stmt", "extractor")


def serialization_prefixes(base_iri: str) -> dict[str, str]:
    base = normalize_base_iri(base_iri)
    out = dict(V.PREFIXES)
    out["kg"] = base
    for p in RESOURCE_PREFIXES:
        out[p] = f"{base}{p}/"
    return out


def write_rdf(graph: KnowledgeGraph, path: str | Path, fmt: str = "turtle",
              base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write the graph as RDF in one format, atomically. Returns the number of
    triples (quads for N-Quads) written."""
    fmt = normalize_format(fmt)
    base = normalize_base_iri(base_iri)
    oxfmt = FORMATS[fmt][1]
    with atomic_write(path, "wb") as fh:
        if oxfmt is None:
            return _write_jsonld(iter_blocks(graph, base), fh, base)
        it = _Counter(iter_quads(graph, base) if fmt == "nquads" else iter_triples(graph, base))
        if fmt == "turtle":
            ox.serialize(it, fh, oxfmt, prefixes=serialization_prefixes(base))
        elif fmt == "rdfxml":
            ox.serialize(it, fh, oxfmt, prefixes=serialization_prefixes(base))
        else:
            ox.serialize(it, fh, oxfmt)
        return it.n


def write_rdf_outputs(graph: KnowledgeGraph, outdir: str | Path, formats: Iterable[str] = ("turtle",),
                      base_iri: str = DEFAULT_BASE_IRI) -> dict[str, int]:
    """What ``kg build`` calls: write each chosen format into ``outdir``
    (graph.ttl, graph.nt, graph.nq, graph.jsonld, graph.rdf). Returns
    ``{file name: triples written}``."""
    outdir = Path(outdir)
    done: dict[str, int] = {}
    for fmt in dict.fromkeys(normalize_format(f) for f in formats):
        name = FORMATS[fmt][0]
        done[name] = write_rdf(graph, outdir / name, fmt, base_iri)
    return done


# -- the rdflib comparison (scripts/bench.py) --------------------------------

def to_rdflib(graph: KnowledgeGraph, base_iri: str = DEFAULT_BASE_IRI):
    """The same triples as an rdflib Graph (for comparisons and the benchmark)."""
    from rdflib import Graph, Literal, URIRef

    g = Graph()
    for prefix, ns in V.PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("kg", normalize_base_iri(base_iri))
    for t in iter_triples(graph, base_iri):
        o = t.object
        if isinstance(o, ox.NamedNode):
            ro = URIRef(o.value)
        else:
            dt = o.datatype.value
            ro = Literal(o.value, datatype=None if dt == str(V.XSD.string) else URIRef(dt), normalize=False)
        g.add((URIRef(t.subject.value), URIRef(t.predicate.value), ro))
    return g


def bench_rdf(graph: KnowledgeGraph, base_iri: str = DEFAULT_BASE_IRI, outdir: str | Path | None = None,
              rdflib_limit: int | None = None) -> dict:
    """Time our Turtle (and every other format) against rdflib's Turtle serialiser on
    the same graph. Ours is timed end to end (graph -> file); rdflib only for
    ``Graph.serialize`` (building its in-memory graph is not counted), so the
    ratio is conservative."""
    import tempfile

    tmp = tempfile.TemporaryDirectory(prefix="kg-bench-rdf-") if outdir is None else None
    out = Path(tmp.name if tmp else outdir)
    try:
        result: dict[str, Any] = {"formats": {}}
        for fmt, (name, _) in FORMATS.items():
            t0 = time.perf_counter()
            n = write_rdf(graph, out / name, fmt, base_iri)
            dt = time.perf_counter() - t0
            result["formats"][fmt] = {"triples": n, "seconds": round(dt, 4),
                                      "triples_per_s": round(n / dt) if dt else None,
                                      "bytes": (out / name).stat().st_size}
        ours = result["formats"]["turtle"]
        t0 = time.perf_counter()
        rg = to_rdflib(graph, base_iri)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        rg.serialize(destination=str(out / "rdflib.ttl"), format="turtle")
        ser_s = time.perf_counter() - t0
        rl = {"triples": len(rg), "build_seconds": round(build_s, 4), "seconds": round(ser_s, 4),
              "triples_per_s": round(len(rg) / ser_s) if ser_s else None}
        result.update({
            "triples": ours["triples"], "seconds": ours["seconds"], "triples_per_s": ours["triples_per_s"],
            "rdflib_turtle": rl,
            "ratio": round(ours["triples_per_s"] / rl["triples_per_s"], 1) if rl["triples_per_s"] else None,
        })
        return result
    finally:
        if tmp:
            tmp.cleanup()
