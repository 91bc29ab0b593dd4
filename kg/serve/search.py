"""The explorer's index, ``OUTDIR/explorer.sqlite``: built once from ``graph.jsonl`` at the end of a
build, read by ``kg serve`` and ``kg report`` one node (or one search) at a time.

It holds the nodes and edges keyed for lookups by node id (a page reads only its node's rows, never
the whole graph) and an FTS5 table over entity names, aliases and paper titles. Search ranks exact
matches first, then matches at the start of a name, then matches of a word anywhere; within each
class by number of papers. The FTS rows are inserted in that order (papers, descending), so a
match's rowid order *is* its rank and a query stops after ``limit`` rows instead of sorting every
match: that is what keeps a search fast on a 100,000-paper build.
"""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import os
import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

log = logging.getLogger(__name__)

INDEX_FILE = "explorer.sqlite"
#: Bump when the schema changes: an index of another version is rebuilt.
INDEX_VERSION = 3
ENTITY_LABELS = ("Method", "Model", "Dataset", "Hardware", "Task")
LABELS = ("Paper",) + ENTITY_LABELS

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL,
                    props TEXT NOT NULL, papers INTEGER NOT NULL, date TEXT, degree INTEGER NOT NULL DEFAULT 0);
CREATE TABLE edges (source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE terms (norm TEXT NOT NULL, node TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE papers_seq (seq INTEGER PRIMARY KEY, node TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(text, label, node UNINDEXED, kind UNINDEXED,
                                    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
"""
_INDEXES = """
CREATE INDEX edges_source ON edges (source, type);
CREATE INDEX edges_target ON edges (target, type, source);
CREATE INDEX terms_norm ON terms (norm);
CREATE INDEX nodes_label_degree ON nodes (label, degree DESC);
"""


def index_path(outdir: str | Path) -> Path:
    return Path(outdir) / INDEX_FILE


def _stamp(graph_size: int) -> str:
    # no time in it: the same graph gives the same index, byte for byte
    return json.dumps({"version": INDEX_VERSION, "graph_size": graph_size})


def _meta(path: Path) -> dict[str, str] | None:
    if not path.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error:
        return None


def _describes(meta: dict[str, str], path: Path, graph_file: Path) -> bool:
    """The index was made of this graph.jsonl: its size, and written after it (a graph.jsonl edited
    since is newer)."""
    st = graph_file.stat()
    return meta.get("stamp") == _stamp(st.st_size) and path.stat().st_mtime_ns >= st.st_mtime_ns


def current_index(outdir: str | Path) -> Path | None:
    """The index when it describes the build's current ``graph.jsonl``, else None."""
    path, graph_file = index_path(outdir), Path(outdir) / "graph.jsonl"
    meta = _meta(path)
    if meta is None or not graph_file.is_file():
        return None
    return path if _describes(meta, path, graph_file) else None


def ensure_index(outdir: str | Path) -> Path:
    """The current index, built now when missing or stale (an older build, a hand-edited graph)."""
    return current_index(outdir) or build_index(outdir)


def normalize(text: str) -> str:
    """What an exact match compares: case-folded, accents dropped, runs of non-word characters one space."""
    if not text.isascii():  # (ASCII text has no accents: NFKD leaves it as it is)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text.casefold()))


# -- building ---------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), 1)}


def paper_date(value: object, node_id: str) -> str | None:
    """A paper's date as ISO text (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), for sorting and charts: from
    what the record gave (``2024-01-08``, ``Apr 10, 2024``, ``10 April 2024``), else the month of a
    new-style arXiv id (``2401.04088`` is January 2024); None when neither names a year."""
    text = str(value).strip() if value else ""
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if m:
        return "-".join(p for p in m.groups() if p)
    year = re.search(r"\b(19|20)\d{2}\b", text)
    month = re.search(r"\b([A-Za-z]{3})[a-z]*\.?\b", text)
    if year:
        mon = _MONTHS.get(month.group(1).lower()) if month else None
        day = re.search(r"\b(\d{1,2})\b", text.replace(year.group(0), ""))
        if mon and day:
            return f"{year.group(0)}-{mon:02d}-{int(day.group(1)):02d}"
        return f"{year.group(0)}-{mon:02d}" if mon else year.group(0)
    arxiv = re.match(r"paper/(\d{2})(\d{2})\.\d{4,5}", node_id)
    if arxiv and 1 <= int(arxiv.group(2)) <= 12:
        return f"20{arxiv.group(1)}-{arxiv.group(2)}"
    return None



def build_index(outdir: str | Path) -> Path:
    """Index ``OUTDIR/graph.jsonl`` into ``OUTDIR/explorer.sqlite`` (written beside, then renamed): what
    ``kg serve`` and ``kg report`` do when the index is missing or stale. (``kg build`` writes it paper by
    paper instead, :class:`IndexWriter`, and patches it on ``--update``.)"""
    from ..writers.atomic import current

    outdir = Path(outdir)
    graph_file = current(outdir / "graph.jsonl")  # inside a build's transaction: the one it just wrote
    if not graph_file.is_file():
        raise FileNotFoundError(f"{graph_file}: no graph.jsonl (run `kg build -o {outdir}` first)")
    writer = IndexWriter.create(outdir, patch=False, numbering="file")
    try:
        entities, links = _load_graph(writer, graph_file)
        writer.finish(entities, links, graph_file.stat().st_size)
    except BaseException:
        writer.abort()
        raise
    return writer.target


# json.dumps(..., ensure_ascii=False[, sort_keys=True]), the encoders built once: a build makes a row of
# every paper and edge
_json = json.JSONEncoder(ensure_ascii=False).encode
_json_sorted = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def node_row(d: dict) -> tuple:
    """A node of graph.jsonl (its JSON object) as a row of ``nodes`` (papers and degree filled in later
    for entities)."""
    props = d.get("props") or {}
    label = d["label"]
    return (d["id"], label, d.get("name") or d["id"], _json(d.get("aliases") or []),
            _json_sorted(props), int(props.get("papers", 0) or 0),
            paper_date(props.get("date"), d["id"]) if label == "Paper" else None)


def edge_row(d: dict) -> tuple:
    return (d["source"], d["type"], d["target"], _json_sorted(d.get("props") or {}))


@dataclass(slots=True)
class PaperRows:
    """One paper's rows of the index (made where the paper is rendered, inserted by :class:`IndexWriter`)."""

    node: tuple
    edges: list[tuple]


def paper_rows(pg) -> PaperRows:
    """The rows of one :class:`~kg.graph.PaperGraph`: exactly what :func:`build_index` makes of its lines
    in graph.jsonl."""
    return PaperRows(node_row(pg.node.to_dict()), [edge_row(e.to_dict()) for e in pg.edges])


def _is_paper(node_id: str) -> bool:
    return node_id.startswith("paper/")


# Entity node ids sort outside the paper/ range ("dataset/" … "model/" before it, "task/" after), so the
# rows of entities and links are two index range scans.
_NOT_PAPER = "({col} < 'paper/' OR {col} >= 'paper0')"
#: FTS and terms rows of a paper's title have rowid TITLE_ROWID + its number; entity names and aliases
#: come first, 1, 2, … in rank order, so rowid order is rank order.
TITLE_ROWID = 1 << 40
_PUT_SQL = {
    "papers_seq": "INSERT INTO papers_seq VALUES (?, ?)",
    "nodes": "INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "edges": "INSERT INTO edges VALUES (?, ?, ?, ?)",
    "fts": "INSERT INTO fts (rowid, text, label, node, kind) VALUES (?, ?, 'Paper', ?, 'title')",
    "terms": "INSERT INTO terms (rowid, norm, node, text, kind) VALUES (?, ?, ?, ?, 'title')",
}


class IndexWriter:
    """Writes ``OUTDIR/explorer.sqlite`` one paper at a time: :meth:`put` (a paper rendered: its rows
    replace any it had), :meth:`drop` (papers gone), then :meth:`finish` with the entity nodes and the
    links, which are rewritten whole every time (they are few; every paper's rows are not). With
    ``patch`` it starts from a copy of the previous index, so an update touches only the papers it
    rendered. A paper's number is its corpus position (``seq`` of the extraction store) when
    ``numbering`` is "store": only such an index can be patched by the next build.

    The content depends only on the graph: the same graph gives the same rows, and the same rowids for
    the search rows (whose order is their rank), whether written whole or patched (the file's page
    layout differs after patching, not what a query returns); a whole index of the same build is the
    same bytes."""

    def __init__(self, outdir: Path, target: Path, conn: sqlite3.Connection, patch: bool, numbering: str) -> None:
        self.outdir, self.target, self.conn = outdir, target, conn
        self.patch, self.numbering = patch, numbering
        self.tmp = Path(conn.execute("PRAGMA database_list").fetchone()[2])
        self.old: set[int] = ({seq for (seq,) in conn.execute("SELECT seq FROM papers_seq")} if patch else set())
        self._pending: dict[str, list[tuple]] = {table: [] for table in _PUT_SQL}
        self.early_sync: threading.Thread | None = None
        #: a patched index's entity degrees and edge counts, as changes to the previous index's (None:
        #: counted afresh over every edge)
        self.delta: _Delta | None = _Delta() if patch else None

    @classmethod
    def create(cls, outdir: str | Path, patch: bool, numbering: str = "store") -> "IndexWriter":
        """A writer of the index staged with the build's outputs; ``patch``: start from the current one
        (check :func:`patchable` first)."""
        import shutil

        from ..writers.atomic import staged_path

        outdir = Path(outdir)
        target = staged_path(index_path(outdir)) or index_path(outdir)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        early_sync = None
        if patch:
            shutil.copyfile(index_path(outdir), tmp)
            early_sync = _sync_soon(tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        if not patch:
            conn.executescript(_SCHEMA)
        conn.execute("BEGIN")
        writer = cls(outdir, target, conn, patch, numbering)
        writer.early_sync = early_sync
        return writer

    def put(self, seq: int, rows: PaperRows) -> None:
        if seq in self.old:
            self._delete(seq)
        node_id, title = rows.node[0], rows.node[2]
        if self.delta is not None:
            if any(e[0] != node_id for e in rows.edges):  # (not a paper's own edges: count afresh)
                self.delta = None
            else:
                self.delta.count(rows.edges, +1)
        pending = self._pending
        pending["papers_seq"].append((seq, node_id))
        pending["nodes"].append((*rows.node, len(rows.edges)))
        pending["edges"].extend(rows.edges)
        pending["fts"].append((TITLE_ROWID + seq, title, node_id))
        pending["terms"].append((TITLE_ROWID + seq, normalize(title), node_id, title))
        if len(pending["nodes"]) >= 1000:
            self._flush()

    def _flush(self) -> None:
        """The rows put since the last flush, a statement a table (in the order they were put)."""
        for table, rows in self._pending.items():
            if rows:
                self.conn.executemany(_PUT_SQL[table], rows)
                rows.clear()

    def _delete(self, seq: int) -> None:
        (node_id,) = self.conn.execute("SELECT node FROM papers_seq WHERE seq = ?", (seq,)).fetchone()
        if self.delta is not None:
            self.delta.count(self.conn.execute("SELECT source, type, target FROM edges WHERE source = ?",
                                               (node_id,)), -1)
        self.conn.execute("DELETE FROM papers_seq WHERE seq = ?", (seq,))
        self.conn.execute("DELETE FROM edges WHERE source = ?", (node_id,))
        self.conn.execute("DELETE FROM nodes WHERE id = ?", (node_id,))
        self.conn.execute("DELETE FROM fts WHERE rowid = ?", (TITLE_ROWID + seq,))
        self.conn.execute("DELETE FROM terms WHERE rowid = ?", (TITLE_ROWID + seq,))
        self.old.discard(seq)

    def drop(self, seqs: set[int]) -> None:
        """Remove the papers numbered ``seqs`` (pruned ones)."""
        self._flush()
        for seq in sorted(seqs & self.old):
            self._delete(seq)

    def drop_all_but(self, kept: set[int]) -> None:
        """Remove every paper of the previous index not in ``kept``."""
        self.drop(self.old - kept)

    def finish(self, entities: list[dict], links: list[dict], graph_size: int) -> None:
        """Entity nodes and links (graph.jsonl's objects), degrees, search rows and meta; then the file
        replaces the staged index."""
        self._flush()
        conn = self.conn
        link_rows = list(map(edge_row, links))
        delta = self.delta if all(not _is_paper(r[0]) for r in link_rows) else None
        before = delta.before(conn) if delta is not None else None
        conn.execute(f"DELETE FROM nodes WHERE {_NOT_PAPER.format(col='id')}")
        conn.execute(f"DELETE FROM edges WHERE {_NOT_PAPER.format(col='source')}")
        conn.execute("DELETE FROM fts WHERE rowid < ?", (TITLE_ROWID,))
        conn.execute("DELETE FROM terms WHERE rowid < ?", (TITLE_ROWID,))
        conn.executemany("INSERT INTO edges VALUES (?, ?, ?, ?)", link_rows)
        if not self.patch:
            _script(conn, _INDEXES)
        if delta is not None and before is not None:
            delta.count(link_rows, +1)
            rows = delta.entity_rows(conn, entities, before[0])
        else:
            rows = _entity_rows(conn, entities)
        conn.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        if self.numbering == "file":  # a graph.jsonl of any origin: count every paper's edges
            _paper_degrees(conn)
        _fill_entity_search(conn, rows)
        _write_meta(conn, graph_size, self.numbering,
                    delta.edge_types(before[1]) if delta is not None and before is not None else None)
        conn.execute("COMMIT")
        conn.close()
        if self.early_sync is not None:
            self.early_sync.join()
        os.replace(self.tmp, self.target)
        log.info("explorer index written: %s", self.target)

    def abort(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        self.tmp.unlink(missing_ok=True)


def _sync_soon(path: Path) -> threading.Thread:
    """Write a fresh copy of the index to disk in a thread, while the build extracts: the sync at
    the build's commit then has only the pages the update changed to write (a copy of a 20,000-paper
    index is some 90 MB, whose writeback took that sync 60 ms and more)."""
    from ..writers.atomic import fsync_path

    thread = threading.Thread(target=fsync_path, args=(path,), name="kg-index-sync", daemon=True)
    thread.start()
    return thread


def patchable(outdir: str | Path) -> bool:
    """Whether ``OUTDIR/explorer.sqlite`` is the index a build wrote of the current ``graph.jsonl``, with
    papers numbered by corpus position: then the next build may patch it (:class:`IndexWriter`)."""
    path, graph_file = index_path(outdir), Path(outdir) / "graph.jsonl"
    meta = _meta(path)
    return (meta is not None and meta.get("numbering") == "store" and graph_file.is_file()
            and _describes(meta, path, graph_file))


def _load_graph(writer: IndexWriter, graph_file: Path) -> tuple[list[dict], list[dict]]:
    """graph.jsonl into ``writer``: each paper with the edges that follow it, numbered in file order;
    returns the entity nodes and the other edges (links)."""
    entities: list[dict] = []
    links: list[dict] = []
    papers = 0
    paper: tuple[int, dict] | None = None
    edges: list[dict] = []

    def flush() -> None:
        if paper is not None:
            writer.put(paper[0], PaperRows(node_row(paper[1]), [edge_row(e) for e in edges]))

    with open(graph_file, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            item = json.loads(line)
            kind = item.get("kind")
            if kind == "node" and item["label"] == "Paper":
                flush()
                edges = []
                paper = (papers, item)
                papers += 1
            elif kind == "node":
                entities.append(item)
            elif kind == "edge" and paper is not None and item["source"] == paper[1]["id"]:
                edges.append(item)
            elif kind == "edge":  # a link, or an edge away from its paper (a hand-made file)
                (writer.conn.execute("INSERT INTO edges VALUES (?, ?, ?, ?)", edge_row(item))
                 if _is_paper(item["source"]) else links.append(item))
    flush()
    return entities, links


class _Delta:
    """What a patch changed in the counts :func:`_entity_rows` and :func:`_write_meta` take over every
    edge: each edge deleted (a paper rendered again, the old links) counts -1 and each inserted +1, so
    a patched index's entity rows and edge counts are the previous index's plus these, the same
    numbers as counted afresh, without a pass over every edge."""

    def __init__(self) -> None:
        self.degree: collections.Counter[str] = collections.Counter()  # edges either way
        self.papers: collections.Counter[str] = collections.Counter()  # papers with an edge into it
        self.types: collections.Counter[str] = collections.Counter()

    def count(self, edges: Iterable[tuple], sign: int) -> None:
        """``edges``: all the edges of one source, or only links (whose sources are no papers)."""
        into_from_papers = set()
        for source, etype, target, *_ in edges:
            self.degree[target] += sign
            if not _is_paper(source):  # (the SQL's _NOT_PAPER)
                self.degree[source] += sign
            if source[:6].lower() == "paper/":  # (the SQL's LIKE 'paper/%')
                into_from_papers.add(target)
            self.types[etype] += sign
        for target in into_from_papers:
            self.papers[target] += sign

    def before(self, conn: sqlite3.Connection) -> tuple[dict, dict] | None:
        """The previous entity rows' (papers, degree) and edge counts, with the old links counted out
        (call before they are deleted); None when the previous index has no counts to start from."""
        old_meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        if "edges" not in old_meta:
            return None
        old_rows = {node: (papers, degree) for node, papers, degree in conn.execute(
            f"SELECT id, papers, degree FROM nodes WHERE {_NOT_PAPER.format(col='id')}")}
        self.count(conn.execute(f"SELECT source, type, target FROM edges WHERE {_NOT_PAPER.format(col='source')}"),
                   -1)
        return old_rows, json.loads(old_meta["edges"])

    def entity_rows(self, conn: sqlite3.Connection, entities: list[dict], old_rows: dict) -> list[tuple]:
        """:func:`_entity_rows`' rows: an entity of the previous index from its counts and the changes;
        a new one counted over its own edges (an index look-up)."""
        rows = {}
        for d in entities:
            row = node_row(d)
            node = row[0]
            if node in old_rows:
                papers, degree = old_rows[node]
                papers, degree = papers + self.papers[node], degree + self.degree[node]
            else:
                degree, papers = conn.execute(
                    "SELECT count(*), count(DISTINCT CASE WHEN source LIKE 'paper/%' THEN source END) "
                    "FROM edges WHERE target = ?", (node,)).fetchone()
                degree += conn.execute(f"SELECT count(*) FROM edges WHERE source = ? AND "
                                       f"{_NOT_PAPER.format(col='source')}", (node,)).fetchone()[0]
            rows[node] = (*row[:5], papers, row[6], degree)
        return list(rows.values())

    def edge_types(self, old: dict[str, int]) -> dict[str, int]:
        counts = collections.Counter(old)
        counts.update(self.types)
        return {t: n for t, n in counts.items() if n}


def _entity_rows(conn: sqlite3.Connection, entities: list[dict]) -> list[tuple]:
    """Entity rows with their degree (edges either way) and papers (papers linked by a role edge: what
    the entity's page lists), counted over the edges table."""
    into: dict[str, list[int]] = {}
    for target, n, papers in conn.execute(
            "SELECT target, count(*), count(DISTINCT CASE WHEN source LIKE 'paper/%' THEN source END) "
            "FROM edges GROUP BY target"):
        into[target] = [n, papers]
    out_of = dict(conn.execute(
        f"SELECT source, count(*) FROM edges WHERE {_NOT_PAPER.format(col='source')} GROUP BY source").fetchall())
    rows = {}
    for d in entities:
        row = node_row(d)
        n, papers = into.get(row[0], (0, 0))
        rows[row[0]] = (*row[:5], papers, row[6], n + out_of.get(row[0], 0))
    return list(rows.values())


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Statements one at a time: executescript() would commit the open transaction."""
    for statement in filter(str.strip, sql.split(";")):
        conn.execute(statement)


def _paper_degrees(conn: sqlite3.Connection) -> None:
    _script(conn, """
        CREATE TEMP TABLE deg AS
            SELECT id, count(*) AS n FROM (SELECT source AS id FROM edges UNION ALL SELECT target FROM edges)
            GROUP BY id;
        CREATE INDEX temp.deg_id ON deg (id);
        UPDATE nodes SET degree = coalesce((SELECT n FROM deg WHERE deg.id = nodes.id), 0) WHERE label = 'Paper';
        DROP TABLE deg;
    """)


def _fill_entity_search(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    """Names and aliases in rank order (papers, descending), so FTS rowid order is rank order; titles
    (papers 0) follow, in corpus order (:meth:`IndexWriter.put`)."""
    found = set()
    for node, label, name, aliases, _props, papers, _date, _degree in rows:
        found.add((papers, name, node, label, "name"))
        found.update((papers, a, node, label, "alias") for a in json.loads(aliases) if a != name)
    ranked = sorted(found, key=lambda r: (-r[0], r[1], r[2]))
    conn.executemany("INSERT INTO fts (rowid, text, label, node, kind) VALUES (?, ?, ?, ?, ?)",
                     ((i, text, label, node, kind) for i, (_, text, node, label, kind) in enumerate(ranked, 1)))
    conn.executemany("INSERT INTO terms (rowid, norm, node, text, kind) VALUES (?, ?, ?, ?, ?)",
                     ((i, normalize(text), node, text, kind) for i, (_, text, node, _, kind) in enumerate(ranked, 1)))


def _write_meta(conn: sqlite3.Connection, graph_size: int, numbering: str, edges: dict[str, int] | None = None) -> None:
    """``edges``: the edge counts by type, when known (a patch's, :class:`_Delta`)."""
    counts = dict(conn.execute("SELECT label, count(*) FROM nodes GROUP BY label").fetchall())
    if edges is None:
        edges = dict(conn.execute("SELECT type, count(*) FROM edges GROUP BY type").fetchall())
    meta = {"stamp": _stamp(graph_size), "counts": json.dumps(counts, sort_keys=True),
            "edges": json.dumps(edges, sort_keys=True), "numbering": numbering}
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", sorted(meta.items()))


# -- reading ----------------------------------------------------------------------

def connect(path: str | Path) -> sqlite3.Connection:
    """A read-only connection (``check_same_thread`` off: each request thread takes its own from a pool)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    label: str
    name: str
    #: the name, alias or title that matched, and which of the three it was
    matched: str
    kind: str
    papers: int

    def to_json(self) -> dict:
        return {"id": self.id, "type": self.label, "name": self.name, "matched": self.matched,
                "kind": self.kind, "papers": self.papers}


def _fts_query(tokens: list[str], initial: bool, label: str | None) -> str:
    # Tokens are \w+ runs, so a quoted phrase of them cannot carry FTS5 syntax.
    phrase = f'text : {"^ " if initial else ""}"{" ".join(tokens)}" *'
    return f'({phrase}) AND (label : "{label}")' if label else phrase


def search(conn: sqlite3.Connection, q: str, label: str | None = None, limit: int = 20) -> list[Hit]:
    """Nodes matching ``q`` (optionally of one type), best first: exact, then prefix, then word matches."""
    if label is not None and label not in LABELS:
        raise ValueError(f"unknown type {label!r}; choose from {', '.join(LABELS)}")
    norm = normalize(q)
    if not norm:
        return []
    found: dict[str, tuple[str, str]] = {}
    exact = conn.execute("SELECT t.node, t.text, t.kind FROM terms t JOIN nodes n ON n.id = t.node "
                         "WHERE t.norm = ? AND (? IS NULL OR n.label = ?) ORDER BY n.papers DESC, t.rowid LIMIT ?",
                         (norm, label, label, limit)).fetchall()
    candidates = [(r[0], r[1], r[2]) for r in exact]
    tokens = norm.split()
    for initial in (True, False):
        if len(candidates) >= limit * 2:
            break
        candidates += conn.execute("SELECT node, text, kind FROM fts WHERE fts MATCH ? ORDER BY rowid LIMIT ?",
                                   (_fts_query(tokens, initial, label), limit * 3)).fetchall()
    for node, text, kind in candidates:
        if node not in found:
            found[node] = (text, kind)
            if len(found) >= limit:
                break
    if not found:
        return []
    ids = list(found)
    rows = {r["id"]: r for r in conn.execute(
        f"SELECT id, label, name, papers FROM nodes WHERE id IN ({','.join('?' * len(ids))})", ids)}
    return [Hit(i, rows[i]["label"], rows[i]["name"], found[i][0], found[i][1], rows[i]["papers"])
            for i in ids if i in rows]
