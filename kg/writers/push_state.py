"""Delta pushes: what each push wrote to a target, and the difference to send next time.

A push records, per target, a digest of every node and relationship it
wrote (of its ``graph.jsonl`` line, see :func:`rows_fingerprint`), in
``OUTDIR/.kg/pushed/<hash>.sqlite`` — one SQLite file per target identity
(the URI with any user-info removed, plus the database or graph name; never
credentials). The next push to that target streams the build's current
``graph.jsonl`` into a new state file, compares it with the old one in SQL,
and sends only the difference, in this order:

1. relationships no longer in the graph → ``DELETE`` (except those of nodes
   that go in step 4: their DETACH DELETE removes them anyway);
2. new or changed nodes → ``MERGE … SET n = row.props`` (properties replaced);
3. new or changed relationships → ``MERGE … SET r = row.props``;
4. nodes no longer in the graph → ``DETACH DELETE``.

Nodes go before relationships because a relationship MERGE matches its end
nodes; the order of 1 and 4 around them does not matter for correctness. A
node whose label changed (same id) is a new node plus a deleted one, and its
relationships count as changed, so they move to the new node. When
``graph.jsonl`` is byte for byte the file pushed last time, nothing is
compared or sent at all.

The new state replaces the old one only when every batch went through, so a
failed push is simply redone next time (a push cut off half way resends
everything that was not recorded, which the MERGE statements make harmless). The delta assumes that nobody else
changed the pushed graph in between: after a wipe or hand edits push with
``full=True`` (``kg push … --full``), which sends everything again (still
deleting what the old state knows is gone) and resets the state.

Memory stays bounded: ``graph.jsonl`` is streamed, the comparison is SQL over
indexed tables on disk, and changed rows are read back from the file by their
byte offset, one batch at a time.

With no target (``PushDelta(outdir, None)``) the same index serves every
whole-graph client of ``graph.jsonl``: nothing is compared or recorded, and
:meth:`PushDelta.node_rows` / :meth:`PushDelta.edge_rows` are the whole graph
as the model's rows, in the model's order (nodes by label in
:data:`kg.graph.NODE_LABELS` order, then id; relationships by source label,
type, target label, then source and target id). That is what a stateless
complete push, ``kg export cypher`` and ``kg export neo4j-import`` read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator
from urllib.parse import urlsplit, urlunsplit

from ..graph import GRAPH_JSONL, NODE_LABELS, Edge, Node
from .cypher_model import (WriteBatch, check_rel_type, edge_row, grouped_batches,
                           node_delete_statement, node_merge_statement, node_row, rel_delete_statement,
                           rel_merge_statement)

log = logging.getLogger(__name__)

STATE_DIR = Path(".kg") / "pushed"
#: Bumped when the digest or the tables change: an old state then counts as none.
STATE_FORMAT = "1"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- pos: byte offset of the item's line in the graph.jsonl this state was made
-- from; used during the push to read changed rows back, meaningless after it.
CREATE TABLE nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, digest BLOB NOT NULL,
                    pos INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE edges (source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL,
                    source_label TEXT, target_label TEXT, digest BLOB NOT NULL, pos INTEGER NOT NULL,
                    PRIMARY KEY (source, type, target)) WITHOUT ROWID;
"""

_CHUNK = 10_000


def redact_uri(uri: str) -> str:
    """``bolt://user:secret@host:7687`` → ``bolt://host:7687`` (for messages, logs and state)."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<uri>"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def target_identity(kind: str, uri: str | None, name: str | None) -> str:
    """What identifies a push target: kind, redacted URI (or ``local``) and database/graph name."""
    return f"{kind} {redact_uri(uri) if uri else 'local'} {name or '(default)'}"


def state_path(outdir: str | os.PathLike[str], identity: str) -> Path:
    # A hash keeps file names short and free of URI characters; the identity
    # itself is stored inside (meta) for anyone looking.
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]
    return Path(outdir) / STATE_DIR / f"{digest}.sqlite"


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def rows_fingerprint() -> str:
    """A digest of how graph.jsonl lines become pushed rows and statements.

    Items are compared by the digest of their graph.jsonl line (written with
    sorted keys, so equal content is equal bytes) — far cheaper than
    flattening every item's properties. If a later kg turns the same line
    into other rows (say, flattens lists differently), this fingerprint
    changes, and the next push resends everything.
    """
    props = {"nested": {"a": 1, "b": [1, "x"]}, "f": 1.5, "inf": float("inf"), "t": ("a", "b"),
             "s": "x", "bad key!": None, "l": [[1], 2], "b": True}
    probe = [node_row(Node("model/probe", "Model", "Probe", ("P", "p"), props)),
             node_row(Node("paper/probe", "Paper", "Probe", (), props)),
             edge_row(Edge("paper/probe", "model/probe", "USES", props)),
             node_merge_statement("Paper"), node_merge_statement("Model"),
             rel_merge_statement("Paper", "USES", "Model")]
    return _digest(json.dumps(probe, sort_keys=True, default=str).encode("utf-8")).hex()


def _read_meta(path: Path) -> dict[str, str] | None:
    """The meta table of a state file, or None when there is no usable state."""
    if not path.exists():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        meta = {}
    if meta.get("format") != STATE_FORMAT:
        log.warning("push state %s is unreadable or of another version: pushing everything", path)
        return None
    return meta


def has_state(outdir: str | os.PathLike[str], identity: str) -> bool:
    """Whether an earlier push to ``identity`` left a usable state."""
    return _read_meta(state_path(outdir, identity)) is not None


def _file_sha256(fh: IO[bytes]) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: fh.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


class PushDelta:
    """The writes that bring one target from its last pushed state to ``OUTDIR/graph.jsonl``.

    ``with PushDelta(outdir, identity) as delta: run every batch of
    delta.batches(n)``; the new state is saved when the block ends without an
    exception *and* every batch was taken, else the old state stays.
    ``identity=None``: no target, the whole graph, nothing recorded (see the
    module docstring).
    """

    def __init__(self, outdir: str | os.PathLike[str], identity: str | None, full: bool = False) -> None:
        self.outdir = Path(outdir)
        self.identity = identity
        #: where the state is kept; None: no target, nothing recorded
        self.path = state_path(self.outdir, identity) if identity is not None else None
        self.full = full or identity is None
        #: "delta" when an earlier state is compared against, else "complete".
        self.mode = "complete"
        #: sha256 of the graph.jsonl bytes the delta was computed from.
        self.sha256 = ""
        self._fh: IO[bytes] | None = None
        self._db: sqlite3.Connection | None = None
        self._tmp: Path | None = None
        self._unchanged = False
        self._done = False

    # -- context -------------------------------------------------------------------
    def __enter__(self) -> "PushDelta":
        graph = self.outdir / GRAPH_JSONL
        if not graph.exists():
            raise FileNotFoundError(f"{graph}: no graph here; run `kg build -o {self.outdir}` first")
        try:
            # One open handle for every pass: a rebuild that renames a new
            # graph.jsonl in meanwhile does not mix two versions.
            self._fh = open(graph, "rb")
            self.sha256 = _file_sha256(self._fh)
            old = _read_meta(self.path) if self.path is not None else None
            if old is not None and not self.full and old.get("rows") != rows_fingerprint():
                log.info("rows are made differently since the last push to %s: sending everything", self.identity)
                self.full = True
            self.mode = "delta" if old is not None and not self.full else "complete"
            if self.mode == "delta" and old is not None and old.get("graph_sha256") == self.sha256:
                self._unchanged = True   # the very file pushed last time: nothing to send or record
                return self
            self._fh.seek(0)
            self._start_state(attach_old=old is not None)
            self._scan()
        except BaseException:
            self._finish(save=False)
            raise
        return self

    def __exit__(self, exc_type, exc, _tb) -> None:
        if exc_type is None and not self._done and self.path is not None:
            log.warning("push to %s stopped before the end; its state is left as it was", self.identity)
        self._finish(save=exc_type is None and self._done and self.path is not None)

    def _start_state(self, attach_old: bool) -> None:
        if self.path is None:   # no target: a scratch index in the temporary directory
            fd, tmp = tempfile.mkstemp(prefix=".kg-graph-index.", suffix=".tmp")
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        self._tmp = Path(tmp)
        self._db = sqlite3.connect(self._tmp, uri=True)
        # A scratch file until it is renamed into place: no journal needed.
        self._db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        self._db.executemany("INSERT INTO meta VALUES (?, ?)",
                             [("format", STATE_FORMAT), ("target", self.identity or ""), ("rows", rows_fingerprint()),
                              ("graph_sha256", self.sha256)])
        if attach_old:
            self._db.execute("ATTACH DATABASE ? AS old", (f"{self.path.resolve().as_uri()}?mode=ro",))
        else:  # no earlier push: compare against an empty state, so every query is the same
            self._db.execute("ATTACH DATABASE ':memory:' AS old")
            self._db.executescript(_SCHEMA.replace("CREATE TABLE ", "CREATE TABLE old."))

    def _finish(self, save: bool) -> None:
        """Close everything; with ``save`` the new state becomes the state, else it is dropped."""
        if self._db is not None:
            if save:
                self._db.commit()
            self._db.close()
            self._db = None
        if self._tmp is not None:
            if save and self.path is not None:
                with open(self._tmp, "rb") as fh:  # on disk before the rename makes it the state
                    os.fsync(fh.fileno())
                os.replace(self._tmp, self.path)
            else:
                self._tmp.unlink(missing_ok=True)
            self._tmp = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    # -- pass 1: digests of the current graph -----------------------------------------
    def _scan(self) -> None:
        assert self._db is not None and self._fh is not None
        nodes: list[tuple] = []
        edges: list[tuple] = []
        pos = 0
        for line in self._fh:
            start, pos = pos, pos + len(line)
            if not line.strip():
                continue
            d = json.loads(line)
            digest = _digest(line.rstrip(b"\r\n"))
            if d["kind"] == "node":
                if d["label"] not in NODE_LABELS:   # "Entity" is a label entities carry, not a node's own
                    raise ValueError(f"{self.outdir / GRAPH_JSONL}: unknown node label {d['label']!r}")
                nodes.append((d["id"], d["label"], digest, start))
            else:
                edges.append((d["source"], check_rel_type(d["type"]), d["target"], digest, start))
            if len(nodes) + len(edges) >= _CHUNK:
                self._insert(nodes, edges)
        self._insert(nodes, edges)
        # End labels by a join, not a dict of every node id in memory.
        self._db.execute("UPDATE edges SET source_label = (SELECT label FROM nodes WHERE id = edges.source), "
                         "target_label = (SELECT label FROM nodes WHERE id = edges.target)")
        dangling = self._db.execute("SELECT source, type, target FROM edges "
                                    "WHERE source_label IS NULL OR target_label IS NULL LIMIT 1").fetchone()
        if dangling:
            raise ValueError(f"{self.outdir / GRAPH_JSONL}: edge {dangling} refers to a missing node")

    def _insert(self, nodes: list[tuple], edges: list[tuple]) -> None:
        assert self._db is not None
        # A repeated id or edge key: the later line wins.
        self._db.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?)", nodes)
        self._db.executemany("INSERT OR REPLACE INTO edges (source, type, target, digest, pos) "
                             "VALUES (?, ?, ?, ?, ?)", edges)
        nodes.clear()
        edges.clear()

    # -- the difference ------------------------------------------------------------------
    def batches(self, batch_size: int) -> Iterator[WriteBatch]:
        """Every write of the delta, in order (see the module docstring)."""
        if self._unchanged:
            self._done = True
            return
        assert self._db is not None, "use PushDelta in a with block"
        yield from grouped_batches("rel_delete", self._deleted_edges(), rel_delete_statement, batch_size)
        yield from grouped_batches("node", self.node_rows(), node_merge_statement, batch_size)
        yield from grouped_batches("rel", self.edge_rows(), rel_merge_statement, batch_size)
        yield from grouped_batches("node_delete", self._deleted_nodes(), node_delete_statement, batch_size)
        self._done = True

    def counts(self) -> tuple[int, int]:
        """(nodes, relationships) in the current graph.jsonl (distinct ids and keys)."""
        assert self._db is not None, "use PushDelta in a with block"
        return (self._db.execute("SELECT count(*) FROM nodes").fetchone()[0],
                self._db.execute("SELECT count(*) FROM edges").fetchone()[0])

    def _deleted_edges(self) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
        assert self._db is not None
        rows = self._db.execute("""
            SELECT o.source_label, o.type, o.target_label, o.source, o.target FROM old.edges o
            WHERE NOT EXISTS (SELECT 1 FROM edges e
                              WHERE e.source = o.source AND e.type = o.type AND e.target = o.target)
              -- an end node that goes is DETACH DELETEd, which takes the edge with it
              AND EXISTS (SELECT 1 FROM nodes n WHERE n.id = o.source AND n.label = o.source_label)
              AND EXISTS (SELECT 1 FROM nodes n WHERE n.id = o.target AND n.label = o.target_label)
            ORDER BY 1, 2, 3, 4, 5""")
        for s, t, d, source, target in rows:
            yield (s, t, d), {"source": source, "target": target}

    def _deleted_nodes(self) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
        assert self._db is not None
        rows = self._db.execute("""
            SELECT o.label, o.id FROM old.nodes o
            WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = o.id AND n.label = o.label)
            ORDER BY 1, 2""")
        for label, id_ in rows:
            yield (label,), {"id": id_}

    def node_rows(self) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
        """New or changed nodes (all of them when ``full``) as ``((label,), row)``,
        by label in NODE_LABELS order, then id; each row read back from
        graph.jsonl by its offset."""
        assert self._db is not None and self._fh is not None, "use PushDelta in a with block"
        sql = """SELECT n.pos FROM nodes n
                 WHERE n.label = ? AND (? OR NOT EXISTS (SELECT 1 FROM old.nodes o
                                        WHERE o.id = n.id AND o.label = n.label AND o.digest = n.digest))
                 ORDER BY n.id"""
        for label in NODE_LABELS:
            for (pos,) in self._db.execute(sql, (label, self.full)):
                yield (label,), node_row(Node.from_dict(self._line(pos)))

    def edge_rows(self) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
        """New or changed relationships (all when ``full``) as ``((source label,
        type, target label), row)``, in that order, then by source and target id."""
        assert self._db is not None and self._fh is not None, "use PushDelta in a with block"
        sql = """SELECT e.source_label, e.type, e.target_label, e.pos FROM edges e
                 WHERE ? OR NOT EXISTS (SELECT 1 FROM old.edges o
                                        WHERE o.source = e.source AND o.type = e.type
                                          AND o.target = e.target AND o.digest = e.digest
                                          AND o.source_label = e.source_label
                                          AND o.target_label = e.target_label)
                 ORDER BY e.source_label, e.type, e.target_label, e.source, e.target"""
        for *key, pos in self._db.execute(sql, (self.full,)):
            yield tuple(key), edge_row(Edge.from_dict(self._line(pos)))

    def _line(self, pos: int) -> dict[str, Any]:
        assert self._fh is not None
        self._fh.seek(pos)
        return json.loads(self._fh.readline())


def whole_graph(outdir: str | os.PathLike[str]) -> PushDelta:
    """``OUTDIR/graph.jsonl`` indexed for a client that needs all of it in the
    model's order (a stateless push, the Cypher and bulk-import exports): use
    in a ``with`` block; nothing is recorded."""
    return PushDelta(outdir, None)
