"""The property-graph model and the ONE place that produces Cypher write statements.

Every Cypher-speaking target — a live Neo4j over Bolt (:mod:`kg.writers.neo4j`),
the local FalkorDB engine (:mod:`kg.writers.falkordb`) and the ``cypher-shell``
script export (:mod:`kg.writers.cypher_script`) — writes the graph with the
statements built here. Only the schema statements (constraints, indexes)
differ by dialect.

Safety rule: labels and relationship types are interpolated into query text
*only* after checking them against the fixed model whitelist
(:data:`NODE_LABELS`, :data:`REL_TYPES`); property keys are reduced to plain
identifiers by :func:`safe_key`; every value travels as a query parameter
(``$rows``) — or, in the script export, as an escaped literal produced by
:func:`cypher_literal`.

Model::

    (:Paper {id, name, title, aliases, arxiv_id, date, authors, url, ...})
        -[:PROPOSES|USES|EVALUATES_ON|USES_HARDWARE|ADDRESSES {evidence, confidence,
          support, count, extractor, field, start, end, rule, purpose}]->
    (:Method|Model|Dataset|Hardware|Task :Entity {id, name, aliases, ...})
        -[:BASED_ON|OUTPERFORMS|TRAINED_ON {...}]-> (:Entity)
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Literal

from .. import progress
from ..graph import EDGE_TYPES, NODE_LABELS, Edge, Node
from ..types import ENTITY_TYPES

Dialect = Literal["neo4j", "falkordb"]

#: Fixed whitelists: the only identifiers ever interpolated into query text.
NODE_LABELS_WL: frozenset[str] = frozenset(NODE_LABELS)
REL_TYPES: frozenset[str] = frozenset(EDGE_TYPES)
ENTITY_LABEL = "Entity"
ENTITY_LABELS: frozenset[str] = frozenset(ENTITY_TYPES)

DEFAULT_BATCH_SIZE = 500

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def check_label(label: str) -> str:
    if label not in NODE_LABELS_WL and label != ENTITY_LABEL:
        raise ValueError(f"label {label!r} is not in the graph model")
    return label


def check_rel_type(rel_type: str) -> str:
    if rel_type not in REL_TYPES:
        raise ValueError(f"relationship type {rel_type!r} is not in the graph model")
    return rel_type


@functools.lru_cache(maxsize=4096)   # called per property of every row; keys are few
def safe_key(key: str) -> str:
    """A property key as a plain identifier (``[A-Za-z_][A-Za-z0-9_]*``).

    Keys come from data (paper metadata), so they are normalised rather than
    trusted: safe in Cypher maps, FalkorDB's parameter header and CSV headers.
    """
    k = re.sub(r"[^A-Za-z0-9_]+", "_", str(key)).strip("_") or "prop"
    if k[0].isdigit():
        k = "p_" + k
    return k


# -- property values ------------------------------------------------------------

def _scalar(v: Any) -> Any:
    if isinstance(v, bool) or isinstance(v, int) or isinstance(v, str):
        return v
    if isinstance(v, float):
        return v if math.isfinite(v) else str(v)
    return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)


def flatten_props(props: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Property values both Neo4j and FalkorDB store: scalars and homogeneous
    lists of scalars. Nested maps are flattened (``a_b``), ``None`` dropped,
    tuples become lists, mixed or nested lists become lists of strings."""
    out: dict[str, Any] = {}
    for key, v in props.items():
        k = safe_key(f"{prefix}_{key}" if prefix else key)
        if v is None:
            continue
        if isinstance(v, dict):
            out.update(flatten_props(v, k))
        elif isinstance(v, (list, tuple, set, frozenset)):
            items = [x for x in (sorted(v, key=str) if isinstance(v, (set, frozenset)) else v) if x is not None]
            items = [_scalar(x) for x in items]
            kinds = {type(x) for x in items}
            if len(kinds) > 1:
                if kinds <= {int, float}:
                    items = [float(x) for x in items]
                else:
                    items = [x if isinstance(x, str) else json.dumps(x) for x in items]
            out[k] = items
        else:
            out[k] = _scalar(v)
    return out


def node_props(node: Node) -> dict[str, Any]:
    """All properties of a node: ``id``, ``name``, ``aliases`` (list) and metadata."""
    props = flatten_props(node.props)
    props.update({"id": node.id, "name": node.name, "aliases": list(node.aliases)})
    if node.label == "Paper":
        props.setdefault("title", node.name)
    return props


def edge_props(props: dict[str, Any]) -> dict[str, Any]:
    return flatten_props(props)


# -- rows -----------------------------------------------------------------------

def node_row(node: Node) -> dict[str, Any]:
    """The ``$rows`` entry that writes ``node``."""
    return {"id": node.id, "props": node_props(node)}


def edge_row(edge: Edge) -> dict[str, Any]:
    """The ``$rows`` entry that writes ``edge``."""
    return {"source": edge.source, "target": edge.target, "props": edge_props(edge.props)}


# -- write statements -------------------------------------------------------------

ROWS_HEAD = "UNWIND $rows AS row"


def node_merge_body(label: str) -> str:
    """The node MERGE that follows ``UNWIND … AS row``.

    ``SET n = row.props`` *replaces* the properties (``row.props`` carries
    ``id`` too), so a property dropped from the build does not linger in the
    database. Returns ``changed``: rows whose node was created or whose
    properties changed (compared before and after the SET); a re-push of the
    same data changes nothing and reports 0.
    """
    label = check_label(label)
    extra = f"n:{ENTITY_LABEL}, " if label in ENTITY_LABELS else ""
    return (f"MERGE (n:{label} {{id: row.id}})\n"
            f"WITH n, row, properties(n) AS before\n"
            f"SET {extra}n = row.props\n"
            f"RETURN sum(CASE WHEN before = properties(n) THEN 0 ELSE 1 END) AS changed")


def rel_merge_body(source_label: str, rel_type: str, target_label: str) -> str:
    s, t, d = check_label(source_label), check_rel_type(rel_type), check_label(target_label)
    return (f"MATCH (a:{s} {{id: row.source}})\n"
            f"MATCH (b:{d} {{id: row.target}})\n"
            f"MERGE (a)-[r:{t}]->(b)\n"
            f"WITH r, row, properties(r) AS before\n"
            f"SET r = row.props\n"
            f"RETURN sum(CASE WHEN before = properties(r) THEN 0 ELSE 1 END) AS changed")


def node_merge_statement(label: str) -> str:
    """``UNWIND $rows AS row MERGE (n:Label {id: row.id}) … SET n = row.props``."""
    return f"{ROWS_HEAD}\n{node_merge_body(label)}"


def rel_merge_statement(source_label: str, rel_type: str, target_label: str) -> str:
    """``UNWIND $rows AS row MATCH (a…) MATCH (b…) MERGE (a)-[r:TYPE]->(b) SET r = row.props``."""
    return f"{ROWS_HEAD}\n{rel_merge_body(source_label, rel_type, target_label)}"


def node_delete_statement(label: str) -> str:
    """``UNWIND $rows AS row MATCH (n:Label {id: row.id}) DETACH DELETE n``: rows are ``{id}``."""
    return f"{ROWS_HEAD}\nMATCH (n:{check_label(label)} {{id: row.id}})\nDETACH DELETE n"


def rel_delete_statement(source_label: str, rel_type: str, target_label: str) -> str:
    """Deletes ``(a)-[r:TYPE]->(b)`` found by its end ids: rows are ``{source, target}``."""
    s, t, d = check_label(source_label), check_rel_type(rel_type), check_label(target_label)
    return (f"{ROWS_HEAD}\n"
            f"MATCH (a:{s} {{id: row.source}})-[r:{t}]->(b:{d} {{id: row.target}})\n"
            f"DELETE r")


WriteKind = Literal["node", "rel", "node_delete", "rel_delete"]


@dataclass(frozen=True, slots=True)
class WriteBatch:
    kind: WriteKind
    statement: str
    rows: list[dict[str, Any]]


def grouped_batches(kind: WriteKind, keyed_rows: Iterable[tuple[tuple[str, ...], dict[str, Any]]],
                    statement: Callable[..., str], batch_size: int) -> Iterator[WriteBatch]:
    """Batches of one statement per run of equal keys: ``keyed_rows`` are
    ``(key, row)`` sorted by key, and ``statement(*key)`` is the Cypher for
    that key (a label, or source label, type, target label). Streams: only one
    batch of rows is held at a time."""
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    for key, group in itertools.groupby(keyed_rows, key=lambda kr: kr[0]):
        stmt = statement(*key)
        rows = (row for _, row in group)
        while chunk := list(itertools.islice(rows, batch_size)):
            yield WriteBatch(kind, stmt, chunk)


# -- schema statements per dialect --------------------------------------------------

@dataclass(frozen=True, slots=True)
class SchemaStatement:
    """A constraint/index statement: Cypher text, or (FalkorDB) a server
    command given as its argument list."""

    cypher: str | None = None
    command: tuple[str, ...] | None = None


def schema_statements(dialect: Dialect, graph_name: str = "paperkg") -> list[SchemaStatement]:
    labels = list(NODE_LABELS) + [ENTITY_LABEL]
    out: list[SchemaStatement] = []
    if dialect == "neo4j":
        for label in NODE_LABELS:
            out.append(SchemaStatement(
                f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                f"FOR (n:{check_label(label)}) REQUIRE n.id IS UNIQUE"))
        out.append(SchemaStatement(
            f"CREATE INDEX entity_id IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.id)"))
        for label in labels:
            out.append(SchemaStatement(
                f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (n:{check_label(label)}) ON (n.name)"))
        return out
    if dialect == "falkordb":
        # FalkorDB: range indexes by Cypher; a unique constraint is a server
        # command and needs the range index on the same property first.
        for label in labels:
            out.append(SchemaStatement(f"CREATE INDEX FOR (n:{check_label(label)}) ON (n.id, n.name)"))
        for label in NODE_LABELS:
            out.append(SchemaStatement(command=(
                "GRAPH.CONSTRAINT", "CREATE", graph_name, "UNIQUE", "NODE", check_label(label),
                "PROPERTIES", "1", "id")))
        return out
    raise ValueError(f"unknown dialect {dialect!r}")


# -- literals (script export only) -----------------------------------------------------

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESC_RE = re.compile(r"[\\'\n\r\t]")


def cypher_string(s: str) -> str:
    """A single-quoted Cypher string literal (escapes understood by Neo4j and FalkorDB)."""
    return "'" + _ESC_RE.sub(lambda m: _ESCAPES[m.group()], s) + "'"


def cypher_literal(v: Any) -> str:
    """A Cypher literal for a parameter value: strings, numbers, booleans,
    null, lists and maps (keys must be plain identifiers; written in
    backticks so keywords such as ``end`` stay keys)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"non-finite float {v!r} has no Cypher literal")
        return repr(v)
    if isinstance(v, str):
        return cypher_string(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    if isinstance(v, dict):
        parts = []
        for k, x in v.items():
            if not _IDENT.match(k):
                raise ValueError(f"map key {k!r} is not a plain identifier")
            parts.append(f"`{k}`: {cypher_literal(x)}")
        return "{" + ", ".join(parts) + "}"
    raise TypeError(f"no Cypher literal for {type(v).__name__}")


def all_statements(dialect: Dialect) -> Iterable[str]:
    """Every Cypher statement shape this module produces (for parser checks):
    the schema, one node MERGE and DELETE per label and one relationship
    MERGE and DELETE per type (statements of one type differ only in the
    whitelisted endpoint labels)."""
    from ..graph import ROLE_TARGETS

    for s in schema_statements(dialect):
        if s.cypher:
            yield s.cypher
    for label in NODE_LABELS:
        yield node_merge_statement(label)
        yield node_delete_statement(label)
    for t in sorted(REL_TYPES):
        src, dst = ("Paper", ROLE_TARGETS[t][0]) if t in ROLE_TARGETS else ("Model", "Model")
        yield rel_merge_statement(src, t, dst)
        yield rel_delete_statement(src, t, dst)


# -- push summary -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BatchCounts:
    """What the database reported for one batch. ``changed`` is the MERGE
    statements' ``changed`` column (rows created or whose properties changed)."""

    nodes_created: int = 0
    relationships_created: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    changed: int = 0


@dataclass(slots=True)
class PushSummary:
    """What a push did. ``*_updated`` counts existing nodes/relationships
    whose properties changed; ``*_deleted`` what the delete statements
    removed (a node's DETACH DELETE counts its relationships too).
    ``rows_sent`` is how many rows went to the database: 0 when nothing
    changed since the last push. ``mode`` is ``delta`` (only the difference
    from the last push to this target) or ``complete`` (everything)."""

    target: str = ""
    mode: str = "complete"
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    rows_sent: int = 0
    batches: int = 0
    seconds: float = 0.0

    def add(self, batch: WriteBatch, counts: BatchCounts) -> None:
        self.batches += 1
        self.rows_sent += len(batch.rows)
        self.properties_set += counts.properties_set
        self.nodes_deleted += counts.nodes_deleted
        self.relationships_deleted += counts.relationships_deleted
        if batch.kind == "node":
            self.nodes_created += counts.nodes_created
            self.nodes_updated += max(counts.changed - counts.nodes_created, 0)
        elif batch.kind == "rel":
            self.relationships_created += counts.relationships_created
            self.relationships_updated += max(counts.changed - counts.relationships_created, 0)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}

    def __str__(self) -> str:
        return (f"{self.target}: nodes {self.nodes_created} created, {self.nodes_updated} updated, "
                f"{self.nodes_deleted} deleted; relationships {self.relationships_created} created, "
                f"{self.relationships_updated} updated, {self.relationships_deleted} deleted; "
                f"{self.rows_sent} rows sent in {self.batches} batches ({self.mode}) in {self.seconds:.2f}s")


def run_batches(batches_: Iterable[WriteBatch], run: Callable[[WriteBatch], BatchCounts],
                summary: PushSummary) -> PushSummary:
    """Send every batch through ``run`` (one target's way of executing a
    statement) and add up what the database reported."""
    for wb in batches_:
        summary.add(wb, run(wb))
        progress.advance(len(wb.rows))
    return summary
