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

import json
import logging
import os
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

log = logging.getLogger(__name__)

INDEX_FILE = "explorer.sqlite"
#: Bump when the schema changes: an index of another version is rebuilt.
INDEX_VERSION = 2
ENTITY_LABELS = ("Method", "Model", "Dataset", "Hardware", "Task")
LABELS = ("Paper",) + ENTITY_LABELS

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL,
                    props TEXT NOT NULL, papers INTEGER NOT NULL, date TEXT, degree INTEGER NOT NULL DEFAULT 0);
CREATE TABLE edges (source TEXT NOT NULL, type TEXT NOT NULL, target TEXT NOT NULL, props TEXT NOT NULL);
CREATE TABLE terms (norm TEXT NOT NULL, node TEXT NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(text, label, node UNINDEXED, kind UNINDEXED,
                                    tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3');
"""
_INDEXES = """
CREATE INDEX edges_source ON edges (source, type);
CREATE INDEX edges_target ON edges (target, type);
CREATE INDEX terms_norm ON terms (norm);
CREATE INDEX nodes_label_degree ON nodes (label, degree DESC);
"""


def index_path(outdir: str | Path) -> Path:
    return Path(outdir) / INDEX_FILE


def _stamp(graph_file: Path) -> str:
    st = graph_file.stat()
    return json.dumps({"version": INDEX_VERSION, "size": st.st_size, "mtime_ns": st.st_mtime_ns})


def current_index(outdir: str | Path) -> Path | None:
    """The index when it describes the build's current ``graph.jsonl``, else None."""
    path, graph_file = index_path(outdir), Path(outdir) / "graph.jsonl"
    if not path.is_file() or not graph_file.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
    except sqlite3.Error:
        return None
    return path if row and row[0] == _stamp(graph_file) else None


def ensure_index(outdir: str | Path) -> Path:
    """The current index, built now when missing or stale (an older build, a hand-edited graph)."""
    return current_index(outdir) or build_index(outdir)


def normalize(text: str) -> str:
    """What an exact match compares: case-folded, accents dropped, runs of non-word characters one space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"\w+", text))


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
    """Index ``OUTDIR/graph.jsonl`` into ``OUTDIR/explorer.sqlite`` (written beside, then renamed)."""
    from ..writers.atomic import current, staged_path

    outdir = Path(outdir)
    graph_file = current(outdir / "graph.jsonl")  # inside a build's transaction: the one it just wrote
    if not graph_file.is_file():
        raise FileNotFoundError(f"{graph_file}: no graph.jsonl (run `kg build -o {outdir}` first)")
    target = staged_path(index_path(outdir)) or index_path(outdir)  # staged with the build's outputs
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    stamp = _stamp(graph_file)
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
            _load_graph(conn, graph_file)
            conn.executescript(_INDEXES)
            _compute_degrees(conn)
            _fill_search(conn)
            _write_meta(conn, stamp)
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("explorer index written: %s", target)
    return target


def _graph_rows(graph_file: Path) -> Iterator[tuple[str, tuple]]:
    with open(graph_file, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            item = json.loads(line)
            props = item.get("props") or {}
            if item.get("kind") == "node":
                papers = int(props.get("papers", 0) or 0)
                yield "node", (item["id"], item["label"], item.get("name") or item["id"],
                               json.dumps(item.get("aliases") or [], ensure_ascii=False),
                               json.dumps(props, ensure_ascii=False, sort_keys=True), papers,
                               paper_date(props.get("date"), item["id"]) if item["label"] == "Paper" else None)
            elif item.get("kind") == "edge":
                yield "edge", (item["source"], item["type"], item["target"],
                               json.dumps(props, ensure_ascii=False, sort_keys=True))


def _load_graph(conn: sqlite3.Connection, graph_file: Path, batch: int = 5000) -> None:
    sql = {"node": "INSERT OR REPLACE INTO nodes (id, label, name, aliases, props, papers, date) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)",
           "edge": "INSERT INTO edges VALUES (?, ?, ?, ?)"}
    pending: dict[str, list[tuple]] = {"node": [], "edge": []}
    for kind, row in _graph_rows(graph_file):
        rows = pending[kind]
        rows.append(row)
        if len(rows) >= batch:
            conn.executemany(sql[kind], rows)
            rows.clear()
    for kind, rows in pending.items():
        conn.executemany(sql[kind], rows)


def _compute_degrees(conn: sqlite3.Connection) -> None:
    """Each node's degree, and each entity's number of linked papers."""
    conn.executescript("""
        CREATE TEMP TABLE deg AS
            SELECT id, count(*) AS n FROM (SELECT source AS id FROM edges UNION ALL SELECT target FROM edges)
            GROUP BY id;
        CREATE INDEX temp.deg_id ON deg (id);
        UPDATE nodes SET degree = coalesce((SELECT n FROM deg WHERE deg.id = nodes.id), 0);
        DROP TABLE deg;
        -- "papers" is the papers linked to the entity by a role edge: what its page lists
        CREATE TEMP TABLE linked AS
            SELECT target AS id, count(DISTINCT source) AS n FROM edges WHERE source LIKE 'paper/%' GROUP BY target;
        CREATE INDEX temp.linked_id ON linked (id);
        UPDATE nodes SET papers = coalesce((SELECT n FROM linked WHERE linked.id = nodes.id), 0)
         WHERE label != 'Paper';
        DROP TABLE linked;
    """)


def _fill_search(conn: sqlite3.Connection) -> None:
    """Names, aliases and titles in rank order (papers, descending), so FTS rowid order is rank order."""
    conn.execute("""
        CREATE TEMP TABLE t AS
        SELECT n.id AS node, n.label AS label, n.name AS text,
               CASE WHEN n.label = 'Paper' THEN 'title' ELSE 'name' END AS kind, n.papers AS papers
          FROM nodes n
        UNION
        SELECT n.id, n.label, j.value, 'alias', n.papers
          FROM nodes n, json_each(n.aliases) j WHERE j.value != n.name
    """)
    rows = conn.execute("SELECT node, label, text, kind FROM t ORDER BY papers DESC, text, node").fetchall()
    conn.execute("DROP TABLE t")
    conn.executemany("INSERT INTO fts (text, label, node, kind) VALUES (?, ?, ?, ?)",
                     ((text, label, node, kind) for node, label, text, kind in rows))
    conn.executemany("INSERT INTO terms VALUES (?, ?, ?, ?)",
                     ((normalize(text), node, text, kind) for node, _, text, kind in rows))


def _write_meta(conn: sqlite3.Connection, stamp: str) -> None:
    counts = dict(conn.execute("SELECT label, count(*) FROM nodes GROUP BY label").fetchall())
    edges = dict(conn.execute("SELECT type, count(*) FROM edges GROUP BY type").fetchall())
    meta = {"stamp": stamp, "counts": json.dumps(counts, sort_keys=True), "edges": json.dumps(edges, sort_keys=True)}
    conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))


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
