"""Push the graph into a live Neo4j over Bolt with the official ``neo4j`` driver.

Schema first (Neo4j 5 ``CREATE CONSTRAINT … IF NOT EXISTS``), then the
batched ``UNWIND $rows …`` statements of :mod:`kg.writers.cypher_model`,
each batch in a managed write transaction (``session.execute_write``), so the
driver retries transient failures by its own mechanism. A push from a build's
output folder (:func:`push_neo4j_outdir`) sends only the difference from the
last push to the same URI and database (:mod:`kg.writers.push_state`).
Credentials come from the caller (the CLI reads ``NEO4J_URI`` /
``NEO4J_USERNAME`` / ``NEO4J_PASSWORD`` or prompts); they are handed to the
driver and never printed, logged or stored — URIs are logged with any
user-info removed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

from ..lock import outdir_lock
from ..errors import AuthFailed, ConnectionLost, KgError, Unreachable
from .cypher_model import (DEFAULT_BATCH_SIZE, BatchCounts, PushSummary, WriteBatch, run_batches,
                           schema_statements)
from .push_state import PushDelta, redact_uri, target_identity, whole_graph

__all__ = ["push_neo4j", "push_neo4j_driver", "push_neo4j_outdir", "redact_uri"]

log = logging.getLogger(__name__)


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


def _run_batch(tx: Any, statement: str, rows: list[dict[str, Any]]) -> BatchCounts:
    result = tx.run(statement, {"rows": rows})
    record = result.single()   # MERGE statements return `changed`; deletes return nothing
    changed = int(record[0] or 0) if record is not None else 0
    c = result.consume().counters
    return BatchCounts(c.nodes_created, c.relationships_created, c.nodes_deleted, c.relationships_deleted,
                       c.properties_set, changed)


def _push_batches(driver: Any, database: str | None, batches: Iterable[WriteBatch],
                  summary: PushSummary) -> PushSummary:
    from neo4j import exceptions as nx

    t0 = time.perf_counter()
    session_kw = {"database": database} if database else {}
    try:
        with driver.session(**session_kw) as session:
            for st in schema_statements("neo4j"):
                assert st.cypher is not None
                session.execute_write(_run_schema, st.cypher)

            def run(wb: WriteBatch) -> BatchCounts:
                counts = session.execute_write(_run_batch, wb.statement, wb.rows)
                log.debug("neo4j %s batch: %s rows", wb.kind, len(wb.rows))
                return counts

            run_batches(batches, run, summary)
    except (nx.ServiceUnavailable, nx.SessionExpired) as exc:
        # The driver has retried for max_retry_time already. A delta push
        # records nothing unless every batch went through (push_state), so
        # the next push resends the whole difference; MERGE makes the rows
        # that did arrive harmless to send twice.
        raise ConnectionLost(
            f"lost the connection to Neo4j at {summary.target} after {summary.rows_sent} rows had been "
            f"written ({exc}); check that the server is running and reachable, then run the push again: "
            "this one was not recorded, so the next one sends all of it again") from exc
    summary.seconds = time.perf_counter() - t0
    return summary


def push_neo4j_driver(outdir: str | os.PathLike[str], driver: Any, database: str | None = None,
                      batch_size: int = DEFAULT_BATCH_SIZE, target: str = "neo4j") -> PushSummary:
    """Push all of ``OUTDIR/graph.jsonl`` through an open driver (anything with
    ``session(database=…)``); no state kept."""
    with whole_graph(outdir) as graph:
        return _push_batches(driver, database, graph.batches(batch_size), PushSummary(target=target))


@contextlib.contextmanager
def _driver(uri: str, auth: tuple[str, str] | None, max_retry_time: float,
            database: str | None = None) -> Iterator[Any]:
    """An open driver; a server that does not answer, refused credentials and
    an unknown database come out as one line each, naming the server."""
    import neo4j
    from neo4j import exceptions as nx

    where = redact_uri(uri)
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, max_transaction_retry_time=max_retry_time)
    except (ValueError, nx.ConfigurationError) as exc:
        raise KgError(f"not a Neo4j URI: {where} ({exc}); use bolt://host:7687 or neo4j://host:7687") from exc
    try:
        driver.verify_connectivity()
        yield driver
    except nx.AuthError as exc:
        user = auth[0] if auth else "?"
        raise AuthFailed(f"Neo4j at {where} refused the credentials of user {user!r} (wrong password or user); "
                         "check NEO4J_USERNAME and NEO4J_PASSWORD") from exc
    except nx.ServiceUnavailable as exc:
        raise Unreachable(f"cannot reach Neo4j at {where}: nothing answers there; check the URI and that "
                          "the server is running and accepts Bolt connections") from exc
    except nx.ClientError as exc:
        if (exc.code or "").endswith("DatabaseNotFound"):
            raise KgError(f"Neo4j at {where} has no database {database!r}; check --database "
                          "(SHOW DATABASES lists them)") from exc
        raise
    finally:
        driver.close()


def _target(uri: str, database: str | None) -> str:
    return redact_uri(uri) + (f" (database {database})" if database else "")


def push_neo4j(outdir: str | os.PathLike[str], uri: str, auth: tuple[str, str] | None = None,
               database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
               max_retry_time: float = 30.0) -> PushSummary:
    """Push all of a build's ``OUTDIR/graph.jsonl`` to the Neo4j at ``uri`` (``bolt://``, ``neo4j://`` …).

    ``auth`` is ``(username, password)``; idempotent (MERGE on ``id``,
    properties replaced). Keeps no state and deletes nothing: a build's
    delta, deletions included, is :func:`push_neo4j_outdir`.
    """
    uri, auth = _split_uri_auth(uri, auth)
    log.info("pushing all of %s to %s", outdir, redact_uri(uri))
    with _driver(uri, auth, max_retry_time, database) as driver:
        return push_neo4j_driver(outdir, driver, database, batch_size, target=_target(uri, database))


def push_neo4j_outdir(outdir: str | os.PathLike[str], uri: str, auth: tuple[str, str] | None = None,
                      database: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE, full: bool = False,
                      max_retry_time: float = 30.0) -> PushSummary:
    """Push a build (``OUTDIR/graph.jsonl``) to Neo4j: only what changed since
    the last push to this URI and database, deletions included; everything
    when there was none or ``full``. The state is kept in ``OUTDIR/.kg/pushed``."""
    uri, auth = _split_uri_auth(uri, auth)
    identity = target_identity("neo4j", uri, database)
    with outdir_lock(outdir, "kg push neo4j"), _driver(uri, auth, max_retry_time, database) as driver, \
            PushDelta(outdir, identity, full) as delta:
        log.info("pushing %s to %s (%s)", outdir, redact_uri(uri), delta.mode)
        summary = PushSummary(target=_target(uri, database), mode=delta.mode)
        return _push_batches(driver, database, delta.batches(batch_size), summary)
