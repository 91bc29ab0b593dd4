"""RDF outputs: Turtle, N-Triples, N-Quads, JSON-LD and RDF/XML.

Each format is a :class:`~kg.writers.Renderer` (:class:`Turtle`, :class:`NTriples`,
:class:`NQuads`, :class:`RdfXml`, :class:`JsonLd`). Nodes and edges become
subject blocks of plain terms (:class:`BlockMaker`), made once a paper for
all the formats. N-Triples, N-Quads and Turtle text is written here from each
term's text (:class:`TurtleText`: the bytes pyoxigraph's serialiser writes,
which tests/test_rdf.py checks); for RDF/XML pyoxigraph parses the N-Triples
text and serialises it, a paper's segment at a time (:class:`SegmentRenderer`,
which also writes Turtle's ``@prefix`` lines), so nothing holds the whole RDF
graph. JSON-LD is written here from the same blocks, one compact node object
per line, with the context of ``ontology/context.jsonld`` inlined.

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

import itertools
import json
import re
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Iterable, Iterator, Sequence
from urllib.parse import quote

import pyoxigraph as ox

from .. import vocab as V
from ..graph import Edge, Node, PaperGraph, split_graph
from ..text import slug, stable_hash
from . import RenderContext, Renderer, Totals, write_graph

DEFAULT_BASE_IRI = V.DEFAULT_BASE_IRI

#: What the whole-graph writers read: anything with ``nodes()`` and ``edges()``,
#: as :class:`kg.graph.GraphFile` streaming a build's graph.jsonl.
GraphLike = Any

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
# Blocks hold plain terms: an IRI is a ``str``; a literal is a ``(lexical, datatype)``
# tuple, datatype None meaning xsd:string.

Obj = str | tuple[str, str | None]

_T = {str(t): str(t) for ns in V.NAMESPACES for t in V.terms(ns)}
RDF_TYPE = str(V.RDF.type)
XSD_INTEGER, XSD_DECIMAL = str(V.XSD.integer), str(V.XSD.decimal)
_DATE_TYPES = ((re.compile(r"^\d{4}-\d{2}-\d{2}$"), str(V.XSD.date)),
               (re.compile(r"^\d{4}-\d{2}$"), str(V.XSD.gYearMonth)),
               (re.compile(r"^\d{4}$"), str(V.XSD.gYear)))
_EDGE_PROP = {k: str(v) for k, v in V.EDGE_PROPERTY.items()}
_NODE_CLASS = {k: str(v) for k, v in V.NODE_CLASS.items()}
_ENTITY_PROP = {k: str(v) for k, v in V.ENTITY_PROP.items()}
(LABEL, PREF, ALT, TITLE, ABSTRACT, DATE, IDENT, SUBJECT) = (
    str(V.RDFS.label), str(V.SKOS.prefLabel), str(V.SKOS.altLabel), str(V.DCTERMS.title),
    str(V.DCTERMS.abstract), str(V.DCTERMS.date), str(V.DCTERMS.identifier), str(V.DCTERMS.subject))
(ARXIV, DOI, AUTHORS, UPVOTES, SOURCE, ATTRIBUTE, CODE, URL, SAME_AS) = (
    str(V.KGO.arxivId), str(V.KGO.doi), str(V.KGO.authorCount), str(V.KGO.upvotes), str(V.KGO.sourceFile),
    str(V.KGO.attribute), str(V.SCHEMA.codeRepository), str(V.SCHEMA.url), str(V.SCHEMA.sameAs))
(STATEMENT, EXTRACTOR, R_SUBJECT, R_PREDICATE, R_OBJECT, EVIDENCE, FIELD, CONFIDENCE, PURPOSE, RULE,
 EXTRACTOR_VERSION, DERIVED, ATTRIBUTED) = (
    str(V.KGO.Statement), str(V.KGO.Extractor), str(V.RDF.subject), str(V.RDF.predicate), str(V.RDF.object),
    str(V.KGO.evidenceText), str(V.KGO.field), str(V.KGO.confidence), str(V.KGO.purpose), str(V.KGO.rule),
    str(V.KGO.extractorVersion), str(V.PROV.wasDerivedFrom), str(V.PROV.wasAttributedTo))
#: edge props with an RDF term of their own (kg.vocab.STATEMENT_PROP): key -> (property, datatype or None)
_STATEMENT_PROPS = tuple((k, str(p), str(d) if d is not None else None) for k, (p, d) in V.STATEMENT_PROP.items())
_INT_PROPS = (("start", str(V.KGO.startOffset)), ("end", str(V.KGO.endOffset)),
              ("support", str(V.KGO.support)), ("count", str(V.KGO.count)))

# Characters an IRI may not hold raw are percent-encoded; everything else stays.
_IRI_SAFE = "/:@!$&'()*+,;=-._~"
# Code points XML 1.0 cannot carry (RDF/XML) are dropped from literals in every format,
# and CR / CRLF become LF (an XML parser would turn a raw CR into LF anyway), so every
# format holds the same literal.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_DROP_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_GITHUB = re.compile(r"(?:https?://)?(?:www\.)?github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)", re.I)


def _text(s: Any) -> tuple[str, None]:
    s = str(s)
    if _BAD_CHARS.search(s):
        s = _DROP_CHARS.sub("", s.replace("\r\n", "\n").replace("\r", "\n"))
    return (s, None)


def _int(v: Any) -> tuple[str, str] | None:
    if isinstance(v, bool):
        v = int(v)
    try:
        return (str(int(v)), XSD_INTEGER)
    except (TypeError, ValueError):
        return None


def _decimal(v: Any) -> tuple[str, str] | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    if x != x or x in (float("inf"), float("-inf")):
        return None
    s = f"{x:.6f}".rstrip("0")
    return (s + "0" if s.endswith(".") else s, XSD_DECIMAL)


def _date(v: Any) -> tuple[str, str] | None:
    s = str(v).strip()
    for rx, dt in _DATE_TYPES:
        if rx.match(s):
            return (s, dt)
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]", s)
    return (m.group(1), _DATE_TYPES[0][1]) if m else None


def github_repositories(*texts: Any) -> list[str]:
    """GitHub repository URLs (https://github.com/owner/repo) named in the texts, sorted."""
    found: set[str] = set()
    for t in texts:
        if not t:
            continue
        t = str(t)
        if "github.com" not in t.lower():  # the regex scans slowly; most texts have no link
            continue
        for owner, repo in _GITHUB.findall(t):
            repo = repo.rstrip(".")
            if repo.lower().endswith(".git"):
                repo = repo[:-4]
            if owner and repo and repo not in (".", ".."):
                found.add(f"https://github.com/{owner}/{repo}")
    return sorted(found)


def _web_iri(url: Any) -> str | None:
    """An http(s) URL as a valid IRI, or None."""
    url = str(url).strip()
    if not re.match(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/|$|\?|#)", url, re.I):
        return None
    iri = quote(url, safe=_IRI_SAFE + "?#%")
    try:
        ox.NamedNode(iri)
    except ValueError:
        return None
    return iri


@dataclass(slots=True)
class Block:
    """One subject's (predicate, object) pairs in emission order, and its named graph."""

    graph: str | None
    subject: str
    pairs: list[tuple[str, Obj]]


class _Minter:
    """Deterministic IRIs under one base."""

    def __init__(self, base_iri: str) -> None:
        self.base = normalize_base_iri(base_iri)
        ox.NamedNode(self.base)  # raises ValueError on an invalid IRI
        self._cache: dict[str, str] = {}

    def node(self, node_id: str) -> str:
        n = self._cache.get(node_id)
        if n is None:
            n = self._cache[node_id] = self.base + quote(node_id, safe=_IRI_SAFE)
        return n

    def statement(self, source: str, type_: str, target: str) -> str:
        return f"{self.base}stmt/{stable_hash(f'{source}|{type_}|{target}', 16)}"

    def extractor(self, name: str, taken: "Iterable[str]" = ()) -> str:
        """``<base>extractor/<slug>``; a hash is added when another name already has that slug."""
        iri = f"{self.base}extractor/{slug(name)}"
        if iri in taken:
            iri = f"{iri}-{stable_hash(name, 8)}"
        return iri

    def graph(self, source: str) -> str:
        return f"{self.base}graph/{quote(Path(source).name, safe=_IRI_SAFE)}"


def _file_name(source: str) -> tuple[str, None]:
    return _text(Path(source).name)


def _paper_pairs(node: Node, pairs: list) -> None:
    p = node.props
    add = pairs.append
    add((RDF_TYPE, _NODE_CLASS["Paper"]))
    add((LABEL, _text(node.name)))
    add((TITLE, _text(node.name)))
    add((IDENT, _text(node.id.split("/", 1)[1])))
    if p.get("date") and (d := _date(p["date"])) is not None:
        add((DATE, d))
    if p.get("arxiv_id"):
        add((ARXIV, _text(p["arxiv_id"])))
    if p.get("doi"):
        add((DOI, _text(p["doi"])))
    n_authors = p.get("author_count")
    if n_authors is None and p.get("authors"):
        n_authors = len(p["authors"])
    if n_authors is not None and (lit := _int(n_authors)) is not None:
        add((AUTHORS, lit))
    if p.get("upvotes") is not None and (lit := _int(p["upvotes"])) is not None:
        add((UPVOTES, lit))
    cats = p.get("categories") or ()
    for cat in (cats,) if isinstance(cats, str) else cats:
        add((SUBJECT, _text(cat)))
    if p.get("source"):
        add((SOURCE, _cached(_short_text_cache, _file_name, str(p["source"]))))
    for repo in github_repositories(p.get("url"), p.get("abstract")):
        add((CODE, repo))
    if p.get("url") and not github_repositories(p["url"]) and (iri := _web_iri(p["url"])) is not None:
        add((URL, iri))
    if p.get("arxiv_id") and (iri := _web_iri("https://arxiv.org/abs/" + str(p["arxiv_id"]).strip())):
        add((SAME_AS, iri))
    if p.get("doi") and (iri := _web_iri("https://doi.org/" + str(p["doi"]).strip())):
        add((SAME_AS, iri))
    if p.get("abstract"):
        add((ABSTRACT, _text(p["abstract"])))


def _entity_pairs(node: Node, pairs: list) -> None:
    add = pairs.append
    add((RDF_TYPE, _NODE_CLASS[node.label]))
    name = _text(node.name)
    add((LABEL, name))
    add((PREF, name))
    seen = {name[0]}
    for alias in node.aliases:
        a = _text(alias)
        if a[0] not in seen:
            seen.add(a[0])
            add((ALT, a))
    for key in sorted(node.props):
        value = node.props[key]
        if value is None or value == "":
            continue
        values = value if isinstance(value, (tuple, list)) else (value,)
        if key == "papers":
            if isinstance(value, int) and (lit := _int(value)) is not None:
                add((_ENTITY_PROP[key], lit))
                continue
        elif key in _ENTITY_PROP:
            for v in values:
                add((_ENTITY_PROP[key], _text(v)))
            continue
        for v in values:
            add((ATTRIBUTE, _text(f"{key}={v}")))


_SMALL_CACHE_LIMIT = 100_000
_int_cache: dict[Any, tuple[str, str] | None] = {}
_decimal_cache: dict[Any, tuple[str, str] | None] = {}
_short_text_cache: dict[str, tuple[str, None]] = {}


def _cached(cache: dict, fn, v):
    """``fn(v)`` memoised for the few distinct values of counts, offsets, confidences,
    fields, rules and extractor names (bounded, so memory stays flat)."""
    try:
        return cache[v]
    except KeyError:
        out = fn(v)
        if len(cache) < _SMALL_CACHE_LIMIT:
            cache[v] = out
        return out
    except TypeError:  # unhashable
        return fn(v)


def _statement_block(edge: Edge, mint: "_Minter", extractors: dict[str, str], gname: str | None) -> Block:
    p = edge.props
    pairs: list = [(RDF_TYPE, STATEMENT), (R_SUBJECT, mint.node(edge.source)),
                   (R_PREDICATE, _EDGE_PROP[edge.type]), (R_OBJECT, mint.node(edge.target))]
    add = pairs.append
    get = p.get
    if v := get("evidence"):
        add((EVIDENCE, _text(v)))
    if v := get("field"):
        add((FIELD, _cached(_short_text_cache, _text, v)))
    for key, prop in _INT_PROPS:
        if (v := get(key)) is not None and (lit := _cached(_int_cache, _int, v)) is not None:
            add((prop, lit))
    if (v := get("confidence")) is not None and (lit := _cached(_decimal_cache, _decimal, v)) is not None:
        add((CONFIDENCE, lit))
    if v := get("purpose"):
        add((PURPOSE, _cached(_short_text_cache, _text, v)))
    for key, prop, dtype in _STATEMENT_PROPS:
        if (v := get(key)) is not None:
            lit = _cached(_int_cache, _int, v) if dtype == XSD_INTEGER else (_text(v)[0], dtype)
            if lit is not None:
                add((prop, lit))
    if v := get("rule"):
        add((RULE, _cached(_short_text_cache, _text, v)))
    if v := get("extractor"):
        name = str(v)
        add((EXTRACTOR_VERSION, _cached(_short_text_cache, _text, name)))
        ex = extractors.get(name)
        if ex is None:
            ex = extractors[name] = mint.extractor(name, extractors.values())
        add((ATTRIBUTED, ex))
    papers = get("papers")
    if not papers:
        if edge.source.startswith("paper/"):
            add((DERIVED, mint.node(edge.source)))
    else:
        sources = {edge.source} if edge.source.startswith("paper/") else set()
        for pid in (papers,) if isinstance(papers, str) else papers:
            sources.add(pid if str(pid).startswith("paper/") else f"paper/{pid}")
        for nid in sorted(sources):
            add((DERIVED, mint.node(nid)))
    return Block(gname, mint.statement(edge.source, edge.type, edge.target), pairs)


class BlockMaker:
    """Turns nodes and runs of edges into subject blocks. It remembers only
    each paper's named graph (N-Quads) and the extractors named so far."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI, extractors: Iterable[str] = ()) -> None:
        self.mint = _Minter(base_iri)
        self.graph_ids: dict[str, str] = {}     # source file -> graph IRI (few)
        self.paper_graph: dict[str, str] = {}   # paper node id -> graph IRI, papers with a source only
        self.extractors: dict[str, str] = {}
        for name in sorted(extractors):  # known up front: IRIs independent of discovery order
            self.extractors[name] = self.mint.extractor(name, self.extractors.values())

    def node(self, node: Node) -> Block:
        pairs: list = []
        gname = None
        if node.label == "Paper":
            _paper_pairs(node, pairs)
            src = node.props.get("source")
            if src:
                src = str(src)
                gname = self.graph_ids.get(src)
                if gname is None:
                    gname = self.graph_ids[src] = self.mint.graph(src)
                self.paper_graph[node.id] = gname
        else:
            _entity_pairs(node, pairs)
        return Block(gname, self.mint.node(node.id), pairs)

    def edge_run(self, run: list[Edge]) -> Iterator[Block]:
        """Edges sharing one source: their plain triples, then each statement."""
        source = run[0].source
        gname = self.paper_graph.get(source)
        mint = self.mint
        yield Block(gname, mint.node(source), [(_EDGE_PROP[e.type], mint.node(e.target)) for e in run])
        for edge in run:
            yield _statement_block(edge, mint, self.extractors, gname)

    def items(self, items: Iterable[Node | Edge]) -> Iterator[Block]:
        """Blocks for nodes and edges in the given order (edges grouped by runs of one source)."""
        for is_edge, group in itertools.groupby(items, key=lambda it: isinstance(it, Edge)):
            if not is_edge:
                yield from map(self.node, group)
                continue
            for _, run in itertools.groupby(group, key=lambda e: e.source):
                yield from self.edge_run(list(run))

    def extractor(self, name: str) -> str:
        """The IRI of an extractor, minted on first sight."""
        iri = self.extractors.get(name)
        if iri is None:
            iri = self.extractors[name] = self.mint.extractor(name, self.extractors.values())
        return iri

    def extractor_blocks(self, names: Iterable[str] | None = None) -> Iterator[Block]:
        for name in sorted(self.extractors if names is None else names):
            yield Block(None, self.extractors[name], [(RDF_TYPE, EXTRACTOR), (LABEL, _text(name))])


def iter_blocks(graph: GraphLike, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[Block]:
    """Every subject's triples in the order the renderers write them
    (:func:`kg.graph.split_graph`): entity nodes, each paper with its edges
    (a block of their plain triples, ``paper kgo:proposes model``, then each
    edge's statement), the links, the extractors named. For comparisons and
    rdflib; the files are written by the renderers below."""
    nodes, papers, links = split_graph(graph)
    maker = BlockMaker(base_iri)
    yield from maker.items(nodes)
    for pg in papers:
        yield from maker.items([pg.node, *pg.edges])
    yield from maker.items(links)
    yield from maker.extractor_blocks()


# -- N-Triples / N-Quads and Turtle text, written here ----------------------------------------
# Both are written a subject block at a time from each term's text, made once and kept for the
# terms that repeat (predicates, entity and paper IRIs, offsets, fields, rules). The text is the one
# pyoxigraph writes for these triples (tests/test_rdf.py compares the two, hostile names included):
# a literal escapes what N-Triples and Turtle escape alike (every literal passes _text, which drops
# what pyoxigraph would write as \uXXXX); Turtle groups a subject's consecutive triples (" ;", and
# " , " for one predicate), abbreviates an IRI under the longest prefix whose local name it can
# escape, writes rdf:type as "a" and integers, decimals, doubles and booleans bare.

_NT_ESCAPE = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
                            "\b": "\\b", "\f": "\\f"})
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f]')
_TERM_CACHE_LIMIT = 50_000


def _quoted(value: str) -> str:
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_NT_ESCAPE)
    return f'"{value}"'


def _nt_object(o: Obj) -> str:
    if isinstance(o, str):
        return f"<{o}>"
    value, dt = o
    return _quoted(value) if dt is None else f"{_quoted(value)}^^<{dt}>"


#: object term -> its N-Triples text, for the terms that repeat (bounded: emptied when full)
_nt_terms: dict[Obj, str] = {}
#: predicate -> "<predicate> "
_nt_preds: dict[str, str] = {}


def _nt_block(b: Block, end: str) -> str:
    """A block's lines: ``<s> <p> o`` + ``end`` each."""
    terms = _nt_terms
    preds = _nt_preds
    start = f"<{b.subject}> "
    parts = []
    for p, o in b.pairs:
        ps = preds.get(p)
        if ps is None:
            ps = preds[p] = f"<{p}> "
        try:
            os_ = terms[o]
        except KeyError:
            os_ = _nt_object(o)
            if len(terms) >= _TERM_CACHE_LIMIT:
                terms.clear()
            if isinstance(o, str) or len(o[0]) <= 64:  # long texts (abstracts, evidence) seldom repeat
                terms[o] = os_
        parts.append(ps + os_)
    sep = end + start
    return start + sep.join(parts) + end


def _nt_chunks(blocks: Iterable[Block], quads: bool, chunk_triples: int = 20000) -> Iterator[tuple[bytes, int]]:
    """N-Triples (or N-Quads) text in chunks of about ``chunk_triples`` lines."""
    texts: list[str] = []
    n = 0
    for b in blocks:
        if not b.pairs:
            continue
        texts.append(_nt_block(b, f" <{b.graph}> .\n" if quads and b.graph else " .\n"))
        n += len(b.pairs)
        if n >= chunk_triples:
            yield "".join(texts).encode("utf-8"), n
            texts, n = [], 0
    if texts:
        yield "".join(texts).encode("utf-8"), n


def nt_text(blocks: Iterable[Block], quads: bool) -> tuple[bytes, int]:
    chunks, total = [], 0
    for chunk, n in _nt_chunks(blocks, quads):
        chunks.append(chunk)
        total += n
    return b"".join(chunks), total


# PN_CHARS_BASE of the Turtle grammar beyond ASCII letters; PN_CHARS adds these to it (and "-", digits, "_")
_PN_BASE = ((0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF), (0x200C, 0x200D),
            (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFFD),
            (0x10000, 0xEFFFF))
_PN_EXTRA = ((0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040))
#: what a local name may hold escaped with a backslash
_LOCAL_ESCAPES = frozenset("_~.-!$&'()*+,;=/?#@%")
#: a local name that needs no escape at all (most of ours: slugs, ids, hashes)
_PLAIN_LOCAL = re.compile(r"(?:[A-Za-z0-9_:](?:[A-Za-z0-9_:.-]*[A-Za-z0-9_:-])?)?")


def _in(c: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in ranges)


def _pn_chars_u(c: str) -> bool:
    return c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z") or (c > "\x7f" and _in(c, _PN_BASE))


def _pn_chars(c: str) -> bool:
    return _pn_chars_u(c) or c == "-" or "0" <= c <= "9" or (c > "\x7f" and _in(c, _PN_EXTRA))


def escape_local_name(local: str) -> str | None:
    """``local`` as a Turtle PN_LOCAL (characters it cannot hold raw escaped with a backslash, as
    pyoxigraph writes them), or None when it cannot be one."""
    if _PLAIN_LOCAL.fullmatch(local):
        return local
    out = []
    last = len(local) - 1
    for i, c in enumerate(local):
        if (_pn_chars_u(c) or c == ":" or "0" <= c <= "9") if i == 0 else \
                (_pn_chars(c) or c == ":" or (c == "." and i < last)):
            out.append(c)
        elif c in _LOCAL_ESCAPES:
            out.append("\\" + c)
        else:
            return None
    return "".join(out)


def _turtle_integer(v: str) -> bool:
    digits = v[1:] if v[:1] in ("+", "-") else v
    return digits.isascii() and digits.isdigit()


def _turtle_decimal(v: str) -> bool:
    whole, dot, frac = (v[1:] if v[:1] in ("+", "-") else v).partition(".")
    return bool(dot) and (not whole or _turtle_integer(whole)) and _turtle_integer(frac)


_TURTLE_DOUBLE = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+")
_XSD = str(V.XSD.integer).removesuffix("integer")
#: datatype -> whether a lexical form is written bare (Turtle's INTEGER, DECIMAL, DOUBLE, boolean)
_BARE = {_XSD + "integer": _turtle_integer, _XSD + "decimal": _turtle_decimal,
         _XSD + "double": lambda v: _TURTLE_DOUBLE.fullmatch(v) is not None,
         _XSD + "boolean": lambda v: v in ("true", "false")}
_XSD_STRING = _XSD + "string"


class TurtleText:
    """Turtle text of blocks under a set of prefixes (the ``@prefix`` lines are written apart, by
    pyoxigraph: :class:`SegmentRenderer`). Every call's text ends its last statement, so the texts
    of consecutive runs of blocks (a paper's segment never splits a subject) follow one another."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        # the longest namespace first (ties: the first name in order), as pyoxigraph picks among them
        self.namespaces = sorted(((ns, name) for name, ns in prefixes.items()), key=lambda t: (-len(t[0]), t[1]))
        self.iris: dict[str, str] = {RDF_TYPE: self._iri(RDF_TYPE)}
        self.preds: dict[str, str] = {RDF_TYPE: "a"}
        self.literals: dict[tuple[str, str | None], str] = {}

    def _iri(self, iri: str) -> str:
        for ns, name in self.namespaces:
            if iri.startswith(ns):
                local = escape_local_name(iri[len(ns):])
                if local is not None:
                    return f"{name}:{local}"
        return f"<{iri}>"

    def iri(self, iri: str) -> str:
        t = self.iris.get(iri)
        if t is None:
            t = self._iri(iri)
            if len(self.iris) >= _TERM_CACHE_LIMIT:
                self.iris.clear()
            self.iris[iri] = t
        return t

    def literal(self, lit: tuple[str, str | None]) -> str:
        t = self.literals.get(lit)
        if t is None:
            value, dt = lit
            if dt is None or dt == _XSD_STRING:
                t = _quoted(value)
            elif (bare := _BARE.get(dt)) is not None and bare(value):
                t = value
            else:
                t = f"{_quoted(value)}^^{self.iri(dt)}"
            if len(value) <= 64:  # long texts (abstracts, evidence) seldom repeat
                if len(self.literals) >= _TERM_CACHE_LIMIT:
                    self.literals.clear()
                self.literals[lit] = t
        return t

    def text(self, blocks: Iterable[Block]) -> tuple[str, int]:
        """(the blocks' Turtle, triples)."""
        out: list[str] = []
        add = out.append
        iri, literal, preds = self.iri, self.literal, self.preds
        # the caches looked up here first: most terms repeat (a method call a term cost more than the rest)
        iris, literals = self.iris, self.literals
        subject = predicate = None
        n = 0
        for b in blocks:
            if not b.pairs:
                continue
            n += len(b.pairs)
            same = b.subject == subject
            for p, o in b.pairs:
                if isinstance(o, str):
                    ot = iris.get(o)
                    if ot is None:
                        ot = iri(o)
                else:
                    ot = literals.get(o)
                    if ot is None:
                        ot = literal(o)
                if same:
                    if p == predicate:
                        add(" , " + ot)
                        continue
                    pt = preds.get(p) or preds.setdefault(p, self.iri(p))
                    add(f" ;\n\t{pt} {ot}")
                else:
                    if subject is not None:
                        add(" .\n")
                    pt = preds.get(p) or preds.setdefault(p, self.iri(p))
                    add(f"{iri(b.subject)} {pt} {ot}")
                    subject, same = b.subject, True
                predicate = p
        if subject is not None:
            add(" .\n")
        return "".join(out), n


def _ox_stream(graph: GraphLike, base_iri: str, quads: bool) -> Iterator:
    """pyoxigraph quads parsed (strictly: what the tests compare every output
    against) from the N-Triples/N-Quads text the renderers make."""
    fmt = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
    chunks = (data for data, _ in _nt_chunks(iter_blocks(graph, base_iri), quads))
    return itertools.chain.from_iterable(map(partial(ox.parse, format=fmt), chunks))


def iter_triples(graph: GraphLike, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[ox.Triple]:
    """The graph's RDF as pyoxigraph triples, in output order."""
    for q in _ox_stream(graph, base_iri, quads=False):
        yield q.triple


def iter_quads(graph: GraphLike, base_iri: str = DEFAULT_BASE_IRI) -> Iterator[ox.Quad]:
    """The graph's RDF as pyoxigraph quads: papers in their source file's named graph."""
    return _ox_stream(graph, base_iri, quads=True)


# -- JSON-LD ------------------------------------------------------------------

class _JsonLd:
    def __init__(self, base: str) -> None:
        self.base = base
        self.ctx = V.jsonld_context(base)
        classes = {str(c) for c in V.NODE_CLASS.values()} | {str(V.KGO.Entity), STATEMENT, EXTRACTOR}
        self.rev: dict[tuple[str, str | None], str] = {}
        self.classes: dict[str, str] = {}
        for term, (iri, coerce) in V.JSONLD_TERMS.items():
            if str(iri) in classes:
                self.classes[str(iri)] = term
            else:
                self.rev[(str(iri), coerce)] = term

    def cid(self, iri: str) -> str:
        if iri.startswith(self.base) and not iri[len(self.base):].startswith("//"):
            return "kg:" + iri[len(self.base):]
        return iri

    def node_object(self, b: Block) -> dict:
        obj: dict[str, Any] = {"@id": self.cid(b.subject)}
        types: list[str] = []
        for p, o in b.pairs:
            if isinstance(o, str):
                if p == RDF_TYPE:
                    types.append(self.classes.get(o, o))
                    continue
                kind: str | None = "@id"
            else:
                kind = o[1]
            term = self.rev.get((p, kind))
            if term is not None:
                key, val = term, (self.cid(o) if kind == "@id" else o[0])
            elif kind == "@id":
                key, val = p, {"@id": o}
            elif kind is None:
                key, val = p, {"@value": o[0]}
            else:
                key, val = p, {"@value": o[0], "@type": kind}
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


# -- writing ------------------------------------------------------------------

#: One prefix per kind of resource, so Turtle reads ``paper:2401.04088 kgo:proposes model:mixtral-8x7b``.
RESOURCE_PREFIXES = ("paper", "method", "model", "dataset", "hardware", "task", "stmt", "extractor")


def serialization_prefixes(base_iri: str) -> dict[str, str]:
    base = normalize_base_iri(base_iri)
    out = dict(V.PREFIXES)
    out["kg"] = base
    for p in RESOURCE_PREFIXES:
        out[p] = f"{base}{p}/"
    return out


class SegmentRenderer:
    """Text of some blocks in one pyoxigraph format, such that the header, the
    renderings of consecutive runs of blocks, and the footer equal one
    serialisation of them all: every run ends its last statement, and the
    Turtle ``@prefix`` lines (RDF/XML's ``<rdf:RDF …>`` and ``</rdf:RDF>``) are
    written once, by :meth:`header` and :meth:`footer`. Runs must not split
    one subject's triples (a paper's segment never does)."""

    def __init__(self, fmt: str, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.fmt = normalize_format(fmt)
        self.base = normalize_base_iri(base_iri)
        self.quads = self.fmt == "nquads"
        self._in = ox.RdfFormat.N_QUADS if self.quads else ox.RdfFormat.N_TRIPLES
        self._out = FORMATS[self.fmt][1]
        self._prefixes = serialization_prefixes(self.base) if self.fmt in ("turtle", "rdfxml") else None
        self._header = self._footer = b""
        self.triples = 0
        if self._prefixes:
            probe = self._serialize(b"<urn:x:s> <urn:x:p> <urn:x:o> .\n")
            if self.fmt == "turtle":
                self._header = probe[: probe.index(b"<urn:x:s>")]
            else:
                self._header = probe[: probe.index(b">\n", probe.index(b"<rdf:RDF")) + 2]
                self._footer = probe[probe.rindex(b"</rdf:RDF>"):]

    def _serialize(self, text: bytes) -> bytes:
        if self._prefixes is None:
            # N-Triples / N-Quads: our text is already what pyoxigraph would write back (every literal
            # passes _text, which drops what it would escape as \uXXXX; IRIs are percent-encoded);
            # the tests parse every output strictly.
            return text
        quads = ox.parse(text, format=self._in, lenient=True)
        return ox.serialize(quads, format=self._out, prefixes=self._prefixes)

    def header(self) -> bytes:
        return self._header

    def footer(self) -> bytes:
        return self._footer

    def render(self, blocks: Iterable[Block]) -> bytes:
        return self.render_text(*nt_text(blocks, self.quads))

    def render_text(self, text: bytes, n: int) -> bytes:
        """The format's text of N-Triples/N-Quads ``text`` holding ``n`` statements."""
        self.triples += n
        if not text:
            return b""
        out = self._serialize(text)
        if not out.startswith(self._header) or not out.endswith(self._footer):  # pragma: no cover
            raise RuntimeError(f"unexpected {self.fmt} header or footer from pyoxigraph")
        return out[len(self._header): len(out) - len(self._footer)]


class _Rdf(Renderer):
    """Shared by the RDF formats: blocks of plain terms (:class:`BlockMaker`), then text.
    A subclass names its ``fmt``; its registry name and file name come from :data:`FORMATS`."""

    fmt: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "fmt" in cls.__dict__:
            cls.name = cls.fmt
            cls.filename = FORMATS[cls.fmt][0]

    def __init__(self, ctx: RenderContext) -> None:
        super().__init__(ctx)
        self.base = normalize_base_iri(ctx.base_iri)
        # The build's extractor is known up front, so its IRI does not depend on which papers were rendered.
        self.known = (ctx.extractor_version,) if ctx.extractor_version else ()
        self.maker = BlockMaker(self.base, extractors=self.known)

    def key(self) -> str:
        return self.base

    def paper_blocks(self, pg: PaperGraph) -> Iterator[Block]:
        yield from self.maker.items([pg.node, *pg.edges])
        self.maker.paper_graph.clear()  # a paper's edges are in its own segment: memory stays flat

    def summary(self, pg: PaperGraph) -> str | None:
        """Extractors the paper's edges name besides the build's (the tail describes each)."""
        names = {str(v) for e in pg.edges if (v := e.props.get("extractor"))} - set(self.known)
        return json.dumps(sorted(names)) if names else None

    def absorb(self, summary: str | None) -> None:
        for name in json.loads(summary) if summary else ():
            self.maker.extractor(name)

    def tail_blocks(self, links: Sequence[Edge], totals: Totals) -> list[Block]:
        blocks = list(self.maker.items(links))
        names = list(self.maker.extractors) if totals.edges else []
        return [*blocks, *self.maker.extractor_blocks(names)]


class _Segmented(_Rdf):
    def __init__(self, ctx: RenderContext) -> None:
        super().__init__(ctx)
        self.seg = SegmentRenderer(self.fmt, self.base)

    @property
    def triples(self) -> int:
        return self.seg.triples

    def text(self, blocks: Iterable[Block]) -> bytes:
        return self.seg.render(blocks)

    def head(self, nodes: Sequence[Node]) -> bytes:
        return self.seg.header() + self.text(self.maker.items(nodes))

    def paper(self, pg: PaperGraph) -> bytes:
        # Turtle and N-Triples of one paper are written from the same blocks: made once.
        global _last_blocks
        key = (self.base, self.known)
        if _last_blocks is None or _last_blocks[0] is not pg or _last_blocks[1] != key:
            _last_blocks = (pg, key, list(self.paper_blocks(pg)))
        return self.text(_last_blocks[2])

    def tail(self, links: Sequence[Edge], totals: Totals) -> bytes:
        return self.text(self.tail_blocks(links, totals)) + self.seg.footer()


#: (paper, (base IRI, known extractors), its blocks) of the last paper rendered
_last_blocks: tuple[PaperGraph, tuple, list[Block]] | None = None


class Turtle(_Segmented):
    """Written here (:class:`TurtleText`); pyoxigraph writes only the ``@prefix`` lines."""

    fmt = "turtle"

    def __init__(self, ctx: RenderContext) -> None:
        super().__init__(ctx)
        self.turtle = TurtleText(serialization_prefixes(self.base))

    def text(self, blocks: Iterable[Block]) -> bytes:
        text, n = self.turtle.text(blocks)
        self.seg.triples += n
        return text.encode("utf-8")


class NTriples(_Segmented):
    fmt = "ntriples"


class NQuads(_Segmented):
    """Papers, their role edges and statements in the named graph of their source file."""

    fmt = "nquads"


class RdfXml(_Segmented):
    fmt = "rdfxml"


class JsonLd(_Rdf):
    """One compact node object a line, with the context of ``ontology/context.jsonld``
    inlined. Objects are separated by commas, so a segment depends on whether
    anything came before it: written whole, in one process."""

    fmt = "jsonld"
    patched = False

    def __init__(self, ctx: RenderContext) -> None:
        super().__init__(ctx)
        self.j = _JsonLd(self.base)
        self._dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self._sep = b"\n"
        self.triples = 0

    def _objects(self, blocks: Iterable[Block]) -> bytes:
        out = []
        for b in blocks:
            out.append(self._sep + self._dumps(self.j.node_object(b)).encode("utf-8"))
            self._sep = b",\n"
            self.triples += len(b.pairs)
        return b"".join(out)

    def head(self, nodes: Sequence[Node]) -> bytes:
        return (b'{"@context":' + self._dumps(self.j.ctx).encode("utf-8") + b',\n"@graph":['
                + self._objects(self.maker.items(nodes)))

    def paper(self, pg: PaperGraph) -> bytes:
        return self._objects(self.paper_blocks(pg))

    def tail(self, links: Sequence[Edge], totals: Totals) -> bytes:
        return self._objects(self.tail_blocks(links, totals)) + b"\n]}\n"


def write_rdf(graph: GraphLike, path: str | Path, fmt: str = "turtle",
              base_iri: str = DEFAULT_BASE_IRI) -> int:
    """A whole graph as RDF in one format, atomically, through the format's
    renderer. Returns the number of triples (quads for N-Quads) written."""
    return write_graph(graph, path, normalize_format(fmt), base_iri).triples


def write_rdf_outputs(graph: GraphLike, outdir: str | Path, formats: Iterable[str] = ("turtle",),
                      base_iri: str = DEFAULT_BASE_IRI) -> dict[str, int]:
    """Each chosen format into ``outdir``; ``{file name: triples written}``."""
    chosen = list(dict.fromkeys(normalize_format(f) for f in formats))
    return {FORMATS[f][0]: write_rdf(graph, Path(outdir) / FORMATS[f][0], f, base_iri) for f in chosen}


# -- the rdflib comparison (scripts/bench.py) --------------------------------

def to_rdflib(graph: GraphLike, base_iri: str = DEFAULT_BASE_IRI):
    """The same triples as an rdflib Graph (for comparisons and the benchmark)."""
    from rdflib import Graph, Literal, URIRef

    g = Graph()
    for prefix, ns in serialization_prefixes(base_iri).items():
        g.bind(prefix, ns)
    for b in iter_blocks(graph, base_iri):
        s = URIRef(b.subject)
        for p, o in b.pairs:
            if isinstance(o, str):
                ro = URIRef(o)
            else:
                ro = Literal(o[0], datatype=None if o[1] is None else URIRef(o[1]), normalize=False)
            g.add((s, URIRef(p), ro))
    return g


@dataclass(frozen=True)
class _Lists:
    """A graph already read into memory (only for the benchmark's timing)."""

    node_list: list[Node]
    edge_list: list[Edge]

    def nodes(self) -> Iterator[Node]:
        return iter(self.node_list)

    def edges(self) -> Iterator[Edge]:
        return iter(self.edge_list)


def bench_rdf(graph: GraphLike, base_iri: str = DEFAULT_BASE_IRI, outdir: str | Path | None = None,
              repeat: int = 3) -> dict:
    """Time our writers against rdflib's Turtle serialiser on the same graph.

    Ours is timed end to end (graph -> file; Turtle best of ``repeat``); rdflib once,
    and only for ``Graph.serialize`` (building its in-memory graph is reported
    apart and not counted), so the ratio is conservative. Times are process
    CPU seconds (``cpu_s``; what the work costs, steadier than wall time when
    other jobs share the machine) and wall seconds (``seconds``). ``ratio`` is
    our Turtle triples per CPU second over rdflib's; ``ratio_wall`` the same by
    wall clock.
    """
    import tempfile

    tmp = tempfile.TemporaryDirectory(prefix="kg-bench-rdf-") if outdir is None else None
    out = Path(tmp.name if tmp else outdir)

    def timed(fn) -> tuple[Any, float, float]:
        c0, w0 = time.process_time(), time.perf_counter()
        value = fn()
        return value, time.process_time() - c0, time.perf_counter() - w0

    # read once, so what is timed is the writers (and rdflib) alone, not parsing graph.jsonl
    nodes, edges = list(graph.nodes()), list(graph.edges())
    graph = _Lists(nodes, edges)
    try:
        # warm both up (imports, plugin loading, compiled patterns) before timing
        from ..graph import GraphFile
        from .graph_jsonl import dumps

        (out / "warm.jsonl").write_text(dumps(Node("task/warm-up", "Task", "warm up")), encoding="utf-8")
        warm = GraphFile(out / "warm.jsonl")
        for fmt, (name, _) in FORMATS.items():
            write_rdf(warm, out / name, fmt, base_iri)
        to_rdflib(warm, base_iri).serialize(destination=str(out / "rdflib.ttl"), format="turtle")

        result: dict[str, Any] = {"formats": {}}
        for fmt, (name, _) in FORMATS.items():
            times = max(1, repeat) if fmt == "turtle" else 1  # the ratio is Turtle's
            runs = [timed(lambda: write_rdf(graph, out / name, fmt, base_iri)) for _ in range(times)]
            n, cpu, wall = min(runs, key=lambda r: r[1])
            result["formats"][fmt] = {"triples": n, "cpu_s": round(cpu, 4), "seconds": round(wall, 4),
                                      "triples_per_s": round(n / cpu) if cpu else None,
                                      "bytes": (out / name).stat().st_size}
        ours = result["formats"]["turtle"]
        rg, build_cpu, _ = timed(lambda: to_rdflib(graph, base_iri))
        _, cpu, wall = timed(lambda: rg.serialize(destination=str(out / "rdflib.ttl"), format="turtle"))
        n = len(rg)
        rl = {"triples": n, "build_cpu_s": round(build_cpu, 4), "cpu_s": round(cpu, 4), "seconds": round(wall, 4),
              "triples_per_s": round(n / cpu) if cpu else None}
        result.update({
            "triples": ours["triples"], "cpu_s": ours["cpu_s"], "seconds": ours["seconds"],
            "triples_per_s": ours["triples_per_s"], "rdflib_turtle": rl,
            "ratio": round(ours["triples_per_s"] / rl["triples_per_s"], 1) if rl["triples_per_s"] else None,
            "ratio_wall": round(wall / ours["seconds"], 1) if ours["seconds"] else None,
        })
        return result
    finally:
        if tmp:
            tmp.cleanup()
