"""Push the graph into a live Neo4j over Bolt with the official ``neo4j`` driver.

Schema first (Neo4j 5 ``CREATE CONSTRAINT … IF NOT EXISTS``), then the
batched ``UNWIND $rows … MERGE`` statements of :mod:`kg.writers.cypher_model`,
each batch in a managed write transaction (``session.execute_write``), so the
driver retries transient failures by its own mechanism. Credentials come from
the caller (the CLI reads ``NEO4J_URI`` / ``NEO4J_USERNAME`` /
``NEO4J_PASSWORD`` or prompts); they are handed to the driver and never
printed or logged — URIs are logged with any user-info removed.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..graph import KnowledgeGraph
from .cypher_model import DEFAULT_BATCH_SIZE, PushSummary, schema_statements, write_batches

log = logging.getLogger(__name__)


def redact_uri(uri: str) -> str:
    """``bolt://user:secret@host:7687`` → ``bolt://host:7687`` (for messages and logs)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<neo4j uri>"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _split_uri_auth(uri: str, auth: tuple[str, str] | None) -> tuple[str, tuple[str, str] | None]:
    """Credentials embedded in the URI move to ``auth`` (the driver rejects them in the URI)."""
    parts = urlsplit(uri)
    if parts.username is not None or parts.password is not None:
        if auth is None:
            auth = (parts.username or "neo4j", parts.password or "")
        uri = redact_uri(uri) + (f"?{parts.query}" if parts.query else "")
    return uri, auth


def _run_schema(tx: Any, statement: str) -> None:
    tx.run(statement).consume()


def _run_batch(tx: Any, statement: str, rows: list[dict[str, Any]]) -> tuple[int, int, int, int]:
    result = tx.run(statement, {"rows": rows})
    record = result.single()
    changed = int(record[0] or 0) if record is not None else 0
    c = result.consume().counters
    return c.nodes_created, c.relationships_created, c.properties_set, changed


def push_neo4j_driver(graph: KnowledgeGraph, driver: Any, database: str | None = None,
                      batch_size: int = DEFAULT_BATCH_SIZE, target: str = "neo4j") -> PushSummary:
    """Push through an open driver (anything with ``session(database=…)``)."""
    t0 = time.perf_counter()
    summary = PushSummary(target=target)
    session_kw = {"database": database} if database else {}
    with driver.session(**session_kw) as session:
        for st in schema_statements("neo4j"):
            assert st.cypher is not None
            session.execute_write(_run_schema, st.cypher)
        for wb in write_batches(graph, batch_size):
            nodes_c, rels_c, props, changed = session.execute_write(_run_batch, wb.statement, wb.rows)
            summary.add(wb.kind, nodes_c if wb.kind == "node" else rels_c, changed, props)
            log.debug("neo4j batch: %s rows, %s created", len(wb.rows), nodes_c + rels_c)
    summary.seconds = time.perf_counter() - t0
    return summary


def push_neo4j(graph: KnowledgeGraph, uri: str, auth: tuple[str, str] | None = None,
               database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
               max_retry_time: float = 30.0) -> PushSummary:
    """Push ``graph`` to the Neo4j at ``uri`` (``bolt://``, ``neo4j://`` …).

    ``auth`` is ``(username, password)``; idempotent and incremental (MERGE on
    ``id``; properties such as ``support`` are updated in place).
    """
    import neo4j

    uri, auth = _split_uri_auth(uri, auth)
    shown = redact_uri(uri)
    log.info("pushing %d nodes, %d relationships to %s", len(graph), graph.number_of_edges(), shown)
    driver = neo4j.GraphDatabase.driver(uri, auth=auth, max_transaction_retry_time=max_retry_time)
    try:
        driver.verify_connectivity()
        target = shown + (f" (database {database})" if database else "")
        return push_neo4j_driver(graph, driver, database, batch_size, target=target)
    finally:
        driver.close()
