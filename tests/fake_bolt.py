"""A fake Neo4j *server* speaking Bolt 5.1 on a loopback port.

Only the server is faked: the code under test and the official ``neo4j``
driver run unchanged and talk to this over a real socket. The server records
every message (HELLO/LOGON/BEGIN/RUN/COMMIT …) with its query text and
parameters, and keeps a tiny in-memory store that understands exactly the
statement shapes of :mod:`kg.writers.cypher_model` (recognised by regex), so
counters and the ``changed`` column behave like Neo4j's. It can be told to
fail the next RUNs with a transient error, to exercise the driver's retries,
and to drop the connection at a given RUN and then turn every connection away
(``drop_at_run``, ``gone``), as a server that went down in the middle of a push.
PackStream is implemented here independently of the driver's codec.
"""

from __future__ import annotations

import io
import re
import socketserver
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

# -- PackStream -----------------------------------------------------------------------------------


@dataclass
class Structure:
    tag: int
    fields: list[Any]


def pack(v: Any, out: io.BytesIO) -> None:
    w = out.write
    if v is None:
        w(b"\xC0")
    elif v is True:
        w(b"\xC3")
    elif v is False:
        w(b"\xC2")
    elif isinstance(v, int):
        if -16 <= v < 128:
            w(struct.pack(">b", v))
        elif -128 <= v < 128:
            w(b"\xC8" + struct.pack(">b", v))
        elif -32768 <= v < 32768:
            w(b"\xC9" + struct.pack(">h", v))
        elif -(2**31) <= v < 2**31:
            w(b"\xCA" + struct.pack(">i", v))
        else:
            w(b"\xCB" + struct.pack(">q", v))
    elif isinstance(v, float):
        w(b"\xC1" + struct.pack(">d", v))
    elif isinstance(v, str):
        b = v.encode("utf-8")
        _size(len(b), 0x80, 0xD0, w)
        w(b)
    elif isinstance(v, (list, tuple)):
        _size(len(v), 0x90, 0xD4, w)
        for x in v:
            pack(x, out)
    elif isinstance(v, dict):
        _size(len(v), 0xA0, 0xD8, w)
        for k, x in v.items():
            pack(k, out)
            pack(x, out)
    elif isinstance(v, Structure):
        w(bytes([0xB0 | len(v.fields), v.tag]))
        for x in v.fields:
            pack(x, out)
    else:
        raise TypeError(type(v))


def _size(n: int, tiny: int, big: int, w) -> None:
    if n < 16:
        w(bytes([tiny | n]))
    elif n < 256:
        w(bytes([big]) + struct.pack(">B", n))
    elif n < 65536:
        w(bytes([big + 1]) + struct.pack(">H", n))
    else:
        w(bytes([big + 2]) + struct.pack(">I", n))


def unpack(buf: memoryview, i: int = 0) -> tuple[Any, int]:
    m = buf[i]
    i += 1
    if m < 0x80:
        return m, i
    if m >= 0xF0:
        return m - 0x100, i
    hi, lo = m & 0xF0, m & 0x0F
    if hi == 0x80:
        return bytes(buf[i:i + lo]).decode(), i + lo
    if hi == 0x90:
        return _list(buf, i, lo)
    if hi == 0xA0:
        return _map(buf, i, lo)
    if hi == 0xB0:
        tag = buf[i]
        i += 1
        fields = []
        for _ in range(lo):
            x, i = unpack(buf, i)
            fields.append(x)
        return Structure(tag, fields), i
    if m == 0xC0:
        return None, i
    if m == 0xC1:
        return struct.unpack(">d", buf[i:i + 8])[0], i + 8
    if m == 0xC2:
        return False, i
    if m == 0xC3:
        return True, i
    ints = {0xC8: (">b", 1), 0xC9: (">h", 2), 0xCA: (">i", 4), 0xCB: (">q", 8)}
    if m in ints:
        fmt, n = ints[m]
        return struct.unpack(fmt, buf[i:i + n])[0], i + n
    sizes = {0: (">B", 1), 1: (">H", 2), 2: (">I", 4)}
    for base, kind in ((0xD0, "str"), (0xD4, "list"), (0xD8, "map")):
        if base <= m <= base + 2:
            fmt, n = sizes[m - base]
            size = struct.unpack(fmt, buf[i:i + n])[0]
            i += n
            if kind == "str":
                return bytes(buf[i:i + size]).decode(), i + size
            return (_list if kind == "list" else _map)(buf, i, size)
    raise ValueError(f"unknown PackStream marker {m:#x}")


def _list(buf, i, n):
    out = []
    for _ in range(n):
        x, i = unpack(buf, i)
        out.append(x)
    return out, i


def _map(buf, i, n):
    out = {}
    for _ in range(n):
        k, i = unpack(buf, i)
        v, i = unpack(buf, i)
        out[k] = v
    return out, i


# -- the store: our statement shapes only --------------------------------------------------------------

NODE_RE = re.compile(r"^UNWIND \$rows AS row\nMERGE \(n:(\w+) \{id: row\.id\}\)\n.*SET (n:Entity, )?n = row\.props", re.S)
REL_RE = re.compile(r"^UNWIND \$rows AS row\nMATCH \(a:(\w+) \{id: row\.source\}\)\nMATCH \(b:(\w+) \{id: row\.target\}\)\n"
                    r"MERGE \(a\)-\[r:(\w+)\]->\(b\)\n.*SET r = row\.props", re.S)
NODE_DEL_RE = re.compile(r"^UNWIND \$rows AS row\nMATCH \(n:(\w+) \{id: row\.id\}\)\nDETACH DELETE n\Z")
REL_DEL_RE = re.compile(r"^UNWIND \$rows AS row\nMATCH \(a:(\w+) \{id: row\.source\}\)-\[r:(\w+)\]->"
                        r"\(b:(\w+) \{id: row\.target\}\)\nDELETE r\Z")


@dataclass
class Store:
    nodes: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, set[str]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    schema: set[str] = field(default_factory=set)

    def node_by_id(self, label: str, id_: str) -> dict | None:
        return self.nodes.get((label, id_))

    def run(self, query: str, params: dict[str, Any]) -> tuple[list[str], list[list[Any]], dict[str, int]]:
        if query.startswith("CREATE CONSTRAINT") or query.startswith("CREATE INDEX"):
            new = query not in self.schema
            self.schema.add(query)
            key = "constraints-added" if query.startswith("CREATE CONSTRAINT") else "indexes-added"
            return [], [], ({key: 1} if new else {})
        if m := NODE_RE.match(query):
            label, entity = m.group(1), bool(m.group(2))
            created = changed = props_set = 0
            for row in params["rows"]:
                key = (label, row["id"])
                node = self.nodes.get(key)
                if node is None:
                    node = self.nodes[key] = {"id": row["id"]}
                    self.labels[row["id"]] = {label} | ({"Entity"} if entity else set())
                    created += 1
                before = dict(node)
                node.clear()               # SET n = row.props replaces every property
                node.update(row["props"])
                props_set += len(row["props"])
                changed += before != node
            return ["changed"], [[changed]], {"nodes-created": created, "properties-set": props_set,
                                              "labels-added": created * (2 if entity else 1)}
        if m := REL_RE.match(query):
            src_label, dst_label, rtype = m.groups()
            created = changed = props_set = 0
            for row in params["rows"]:
                if (src_label, row["source"]) not in self.nodes or (dst_label, row["target"]) not in self.nodes:
                    continue
                key = (row["source"], rtype, row["target"])
                rel = self.rels.get(key)
                if rel is None:
                    rel = self.rels[key] = {}
                    created += 1
                before = dict(rel)
                rel.clear()
                rel.update(row["props"])
                props_set += len(row["props"])
                changed += before != rel
            return ["changed"], [[changed]], {"relationships-created": created, "properties-set": props_set}
        if m := REL_DEL_RE.match(query):
            src_label, rtype, dst_label = m.groups()
            deleted = 0
            for row in params["rows"]:
                key = (row["source"], rtype, row["target"])
                if (src_label, row["source"]) in self.nodes and (dst_label, row["target"]) in self.nodes \
                        and self.rels.pop(key, None) is not None:
                    deleted += 1
            return [], [], ({"relationships-deleted": deleted} if deleted else {})
        if m := NODE_DEL_RE.match(query):
            label = m.group(1)
            nodes_deleted = rels_deleted = 0
            for row in params["rows"]:
                if self.nodes.pop((label, row["id"]), None) is None:
                    continue
                nodes_deleted += 1
                self.labels.pop(row["id"], None)
                for key in [k for k in self.rels if row["id"] in (k[0], k[2])]:   # DETACH
                    del self.rels[key]
                    rels_deleted += 1
            stats = {"nodes-deleted": nodes_deleted, "relationships-deleted": rels_deleted}
            return [], [], {k: v for k, v in stats.items() if v}
        raise ValueError(f"fake server does not understand: {query[:80]!r}")


# -- the server ---------------------------------------------------------------------------------------

SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F
HELLO, GOODBYE, RESET, RUN, BEGIN, COMMIT, ROLLBACK, PULL, DISCARD, LOGON, LOGOFF = (
    0x01, 0x02, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x3F, 0x2F, 0x6A, 0x6B)


@dataclass
class Recorded:
    messages: list[tuple[str, list[Any]]] = field(default_factory=list)
    runs: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # query, params, tx meta
    commits: int = 0
    rollbacks: int = 0
    auth: list[dict[str, Any]] = field(default_factory=list)


class FakeNeo4j:
    """``with FakeNeo4j() as srv: push_neo4j(graph, srv.uri, ("neo4j", "pw"))``."""

    def __init__(self, password: str = "secret", databases: set[str] | None = None) -> None:
        self.password = password
        #: the databases that exist (None: any name is accepted)
        self.databases = databases
        self.store = Store()
        self.rec = Recorded()
        self.fail_next_runs = 0
        #: the connection is dropped when this many RUNs have been recorded; then ``gone`` is set
        self.drop_at_run: int | None = None
        #: every connection is closed at once (a server that is down); clear it to bring the server back
        self.gone = False
        self.lock = threading.Lock()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeNeo4j":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- one connection
    def _serve(self, sock) -> None:
        import socket

        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.gone:
            return
        f = sock.makefile("rwb")
        if f.read(4) != b"\x60\x60\xb0\x17":
            return
        f.read(16)                       # the client's version proposals
        f.write(b"\x00\x00\x01\x05")     # we speak Bolt 5.1
        f.flush()
        failed = False
        tx: list[tuple[str, dict]] | None = None
        pending: tuple[list[str], list[list[Any]], dict[str, int]] | None = None
        while True:
            msg = self._read_message(f)
            if msg is None:
                return
            tag, fields = msg.tag, msg.fields
            name = {HELLO: "HELLO", GOODBYE: "GOODBYE", RESET: "RESET", RUN: "RUN", BEGIN: "BEGIN",
                    COMMIT: "COMMIT", ROLLBACK: "ROLLBACK", PULL: "PULL", DISCARD: "DISCARD",
                    LOGON: "LOGON", LOGOFF: "LOGOFF"}.get(tag, hex(tag))
            with self.lock:
                self.rec.messages.append((name, fields))
            if tag == GOODBYE:
                return
            if tag == RESET:
                failed, tx, pending = False, None, None
                self._send(f, SUCCESS, {})
                continue
            if failed:
                self._send(f, IGNORED)
                continue
            if tag == HELLO:
                self._send(f, SUCCESS, {"server": "Neo4j/5.26.0", "connection_id": "bolt-1", "hints": {}})
            elif tag == LOGON:
                auth = fields[0]
                with self.lock:
                    self.rec.auth.append(auth)
                if auth.get("credentials") != self.password:
                    failed = True
                    self._send(f, FAILURE, {"code": "Neo.ClientError.Security.Unauthorized",
                                            "message": "The client is unauthorized due to authentication failure."})
                else:
                    self._send(f, SUCCESS, {})
            elif tag == BEGIN and self.databases is not None and fields[0].get("db", "neo4j") not in self.databases:
                failed = True
                self._send(f, FAILURE, {"code": "Neo.ClientError.Database.DatabaseNotFound",
                                        "message": f"Database does not exist. Database name: '{fields[0]['db']}'."})
            elif tag == BEGIN:
                tx = []
                self._tx_meta = fields[0]
                self._send(f, SUCCESS, {})
            elif tag == RUN:
                query, params, extra = fields[0], fields[1], fields[2]
                with self.lock:
                    if self.drop_at_run is not None and len(self.rec.runs) >= self.drop_at_run:
                        self.drop_at_run, self.gone = None, True
                if self.gone:
                    return                       # the connection drops; the transaction is never committed
                with self.lock:
                    self.rec.runs.append((query, params, getattr(self, "_tx_meta", extra)))
                    fail = self.fail_next_runs > 0
                    if fail:
                        self.fail_next_runs -= 1
                if fail:
                    failed = True
                    self._send(f, FAILURE, {"code": "Neo.TransientError.Transaction.DeadlockDetected",
                                            "message": "deadlock (injected by the fake server)"})
                    continue
                try:
                    # evaluate against a copy; applied for real on COMMIT
                    import copy
                    with self.lock:
                        trial = copy.deepcopy(self.store)
                        for q, p in (tx or []):
                            trial.run(q, p)
                        pending = trial.run(query, params)
                except ValueError as exc:
                    failed = True
                    self._send(f, FAILURE, {"code": "Neo.ClientError.Statement.SyntaxError", "message": str(exc)})
                    continue
                if tx is not None:
                    tx.append((query, params))
                self._send(f, SUCCESS, {"fields": pending[0], "t_first": 0})
            elif tag in (PULL, DISCARD):
                fields_, rows, stats = pending or ([], [], {})
                if tag == PULL:
                    for row in rows:
                        self._send(f, RECORD, row, is_record=True)
                meta = {"type": "w", "t_last": 0, "db": "neo4j", "has_more": False}
                if stats:
                    meta["stats"] = {**stats, "contains-updates": True}
                self._send(f, SUCCESS, meta)
                pending = None
            elif tag == COMMIT:
                with self.lock:
                    for q, p in tx or []:
                        self.store.run(q, p)
                    self.rec.commits += 1
                tx = None
                self._send(f, SUCCESS, {"bookmark": f"FB:{self.rec.commits}"})
            elif tag == ROLLBACK:
                with self.lock:
                    self.rec.rollbacks += 1
                tx = None
                self._send(f, SUCCESS, {})
            else:
                failed = True
                self._send(f, FAILURE, {"code": "Neo.ClientError.Request.Invalid", "message": f"unsupported {name}"})

    @staticmethod
    def _read_message(f) -> Structure | None:
        data = bytearray()
        while True:
            head = f.read(2)
            if len(head) < 2:
                return None
            (n,) = struct.unpack(">H", head)
            if n == 0:
                if not data:
                    continue   # NOOP keep-alive
                break
            data += f.read(n)
        msg, _ = unpack(memoryview(bytes(data)))
        return msg

    @staticmethod
    def _send(f, tag: int, payload: Any = None, is_record: bool = False) -> None:
        out = io.BytesIO()
        fields = [payload] if payload is not None else []
        pack(Structure(tag, fields), out)
        data = out.getvalue()
        for i in range(0, len(data), 0xFFFF):
            chunk = data[i:i + 0xFFFF]
            f.write(struct.pack(">H", len(chunk)) + chunk)
        f.write(b"\x00\x00")
        f.flush()
