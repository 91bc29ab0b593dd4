"""What the explorer's pages show, read from the index one node at a time.

Every function here reads a bounded number of rows: a node's own row, its edges (through the
``edges_source`` / ``edges_target`` indexes), and at most ``PAPER_LIMIT`` papers or
``COOCCUR_PAPERS`` papers for co-occurrence. Nothing loads the whole graph.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

#: The paper roles in page order, with the heading each gets.
ROLES = {"PROPOSES": "Proposed by", "USES": "Used by", "EVALUATES_ON": "Evaluated on by",
         "ADDRESSES": "Addressed by", "USES_HARDWARE": "Run on by"}
LINK_TYPES = ("BASED_ON", "OUTPERFORMS", "TRAINED_ON")
#: papers listed on an entity page (the total is shown too)
PAPER_LIMIT = 200
#: papers of an entity whose other entities count towards "co-occurring" (the most recent first)
COOCCUR_PAPERS = 2000
GRAPH_PAPERS = 25
GRAPH_NEIGHBOURS = 15
# the characters an IRI path keeps unescaped, as kg/writers/rdf.py mints them
_IRI_SAFE = "/:@!$&'()*+,;=-._~"


def node_path(node_id: str) -> str:
    """The node's path on the server: its IRI's path under the base IRI."""
    return "/" + quote(node_id, safe=_IRI_SAFE)


def safe_url(url: object) -> str | None:
    """An http(s) URL to link to, or None (a ``javascript:`` URL from a record is never a link)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


@dataclass(slots=True)
class NodeRow:
    id: str
    label: str
    name: str
    aliases: list[str]
    props: dict
    papers: int
    degree: int

    @property
    def path(self) -> str:
        return node_path(self.id)


def _node(row: sqlite3.Row) -> NodeRow:
    return NodeRow(row["id"], row["label"], row["name"], json.loads(row["aliases"]), json.loads(row["props"]),
                   row["papers"], row["degree"])


def get_node(conn: sqlite3.Connection, node_id: str) -> NodeRow | None:
    row = conn.execute("SELECT * FROM nodes WHERE id = ?", (node_id,)).fetchone()
    return _node(row) if row else None


def highlight(sentence: str, forms: list[str]) -> list[tuple[str, bool]]:
    """The sentence cut into (text, is_mention) pieces: the first occurrence of the longest surface
    form, matched case-insensitively. The template escapes each piece; nothing here is markup."""
    for form in sorted({f for f in forms if f}, key=len, reverse=True):
        m = re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", sentence, re.I)
        if m:
            return [(p, mark) for p, mark in ((sentence[:m.start()], False), (m.group(0), True),
                                              (sentence[m.end():], False)) if p]
    return [(sentence, False)] if sentence else []


@dataclass(slots=True)
class PaperLinks:
    arxiv: str | None
    doi: str | None
    url: str | None
    url_label: str


def paper_links(props: dict) -> PaperLinks:
    arxiv = props.get("arxiv_id")
    doi = props.get("doi")
    url = safe_url(props.get("url"))
    host = urlsplit(url).netloc.lower() if url else ""
    label = "code" if any(h in host for h in ("github", "gitlab", "bitbucket", "huggingface")) else "link"
    return PaperLinks(f"https://arxiv.org/abs/{quote(str(arxiv))}" if arxiv else None,
                      f"https://doi.org/{quote(str(doi), safe='/')}" if doi else None, url, label)


@dataclass(slots=True)
class PaperRef:
    """A paper on an entity page: one row of the role tables."""

    path: str
    title: str
    date: str | None
    role: str
    evidence: list[tuple[str, bool]]
    confidence: float | None
    links: PaperLinks
    extra: str = ""


@dataclass(slots=True)
class LinkRef:
    type: str
    direction: str  # "out": this node is the head; "in": the tail
    other_path: str
    other_name: str
    other_label: str
    support: int
    evidence: list[tuple[str, bool]]


@dataclass(slots=True)
class Neighbour:
    path: str
    id: str
    name: str
    label: str
    count: int
    detail: str = ""


@dataclass(slots=True)
class EntityView:
    node: NodeRow
    papers: dict[str, list[PaperRef]]
    paper_total: int
    links: list[LinkRef]
    cooccurring: list[Neighbour]
    hardware: list[Neighbour]
    graph: dict = field(default_factory=dict)


def _hardware_detail(props: dict) -> str:
    bits = []
    if props.get("count"):
        bits.append(f"{props['count']}×")
    if props.get("purpose"):
        bits.append(str(props["purpose"]))
    return " ".join(bits)


def entity_papers(conn: sqlite3.Connection, node: NodeRow) -> tuple[dict[str, list[PaperRef]], int]:
    total = conn.execute("SELECT count(*) FROM edges WHERE target = ? AND source LIKE 'paper/%'",
                         (node.id,)).fetchone()[0]
    rows = conn.execute(
        "SELECT e.type, e.props, p.id, p.name, p.props AS pprops, p.date FROM edges e JOIN nodes p ON p.id = e.source "
        "WHERE e.target = ? AND e.source LIKE 'paper/%' ORDER BY p.date IS NULL, p.date DESC, p.name LIMIT ?",
        (node.id, PAPER_LIMIT)).fetchall()
    forms = [node.name, *node.aliases]
    by_role: dict[str, list[PaperRef]] = {r: [] for r in ROLES}
    for r in rows:
        props = json.loads(r["props"])
        by_role.setdefault(r["type"], []).append(PaperRef(
            node_path(r["id"]), r["name"], r["date"], r["type"], highlight(props.get("evidence", ""), forms),
            props.get("confidence"), paper_links(json.loads(r["pprops"])),
            _hardware_detail(props) if r["type"] == "USES_HARDWARE" else ""))
    return {k: v for k, v in by_role.items() if v}, total


def entity_links(conn: sqlite3.Connection, node: NodeRow) -> list[LinkRef]:
    marks = ",".join("?" * len(LINK_TYPES))
    rows = conn.execute(
        f"SELECT 'out' AS dir, e.type, e.props, o.id, o.name, o.label, o.aliases FROM edges e "
        f"JOIN nodes o ON o.id = e.target WHERE e.source = ? AND e.type IN ({marks}) "
        f"UNION ALL SELECT 'in', e.type, e.props, o.id, o.name, o.label, o.aliases FROM edges e "
        f"JOIN nodes o ON o.id = e.source WHERE e.target = ? AND e.type IN ({marks})",
        (node.id, *LINK_TYPES, node.id, *LINK_TYPES)).fetchall()
    out = []
    for r in rows:
        props = json.loads(r["props"])
        forms = [node.name, *node.aliases, r["name"], *json.loads(r["aliases"])]
        out.append(LinkRef(r["type"], r["dir"], node_path(r["id"]), r["name"], r["label"],
                           int(props.get("support", 1) or 1), highlight(props.get("evidence", ""), forms)))
    out.sort(key=lambda x: (-x.support, x.type, x.other_name))
    return out


_PAPERS_OF = ("SELECT e.source FROM edges e JOIN nodes p ON p.id = e.source WHERE e.target = :node "
              "AND e.source LIKE 'paper/%' ORDER BY p.date IS NULL, p.date DESC, e.source LIMIT :cap")


def cooccurring(conn: sqlite3.Connection, node: NodeRow, hardware: bool, limit: int = 20) -> list[Neighbour]:
    """Entities sharing papers with this one (``hardware``: only Hardware, else every other type), over
    its ``COOCCUR_PAPERS`` most recent papers."""
    op = "=" if hardware else "!="
    rows = conn.execute(
        f"SELECT e.target, count(DISTINCT e.source) AS n, max(json_extract(e.props, '$.count')) AS devices "
        f"FROM edges e WHERE e.source IN ({_PAPERS_OF}) AND e.target != :node AND e.type {op} 'USES_HARDWARE' "
        f"GROUP BY e.target ORDER BY n DESC, e.target LIMIT :limit",
        {"node": node.id, "cap": COOCCUR_PAPERS, "limit": limit}).fetchall()
    found = {r["id"]: r for r in conn.execute(
        f"SELECT id, name, label FROM nodes WHERE id IN ({','.join('?' * len(rows))})", [r[0] for r in rows])}
    return [Neighbour(node_path(r[0]), r[0], found[r[0]]["name"], found[r[0]]["label"], r["n"],
                      f"up to {r['devices']} devices" if hardware and r["devices"] else "")
            for r in rows if r[0] in found]


def neighbourhood(view: EntityView) -> dict:
    """Cytoscape elements: the node, some of its papers, its linked and co-occurring entities."""
    node = view.node
    nodes = {node.id: {"id": node.id, "label": node.name, "type": node.label, "href": node.path, "center": True}}
    edges = []

    def add(other_id: str, name: str, label: str, href: str, rel: str, out: bool = True) -> None:
        nodes.setdefault(other_id, {"id": other_id, "label": name, "type": label, "href": href})
        s, t = (node.id, other_id) if out else (other_id, node.id)
        edges.append({"id": f"e{len(edges)}", "source": s, "target": t, "rel": rel})

    refs = [ref for refs in view.papers.values() for ref in refs][:GRAPH_PAPERS]
    for ref in refs:
        add(ref.path.lstrip("/"), ref.title, "Paper", ref.path, ref.role, out=False)
    for link in view.links[:GRAPH_NEIGHBOURS]:
        add(link.other_path.lstrip("/"), link.other_name, link.other_label, link.other_path, link.type,
            link.direction == "out")
    for nb in (view.cooccurring[:GRAPH_NEIGHBOURS] + view.hardware[:5]):
        add(nb.id, nb.name, nb.label, nb.path, "CO_OCCURS")
    return {"nodes": list(nodes.values()), "edges": edges}


def entity_view(conn: sqlite3.Connection, node: NodeRow) -> EntityView:
    papers, total = entity_papers(conn, node)
    view = EntityView(node, papers, total, entity_links(conn, node), cooccurring(conn, node, hardware=False),
                      [] if node.label == "Hardware" else cooccurring(conn, node, hardware=True, limit=10))
    view.graph = neighbourhood(view)
    return view


@dataclass(slots=True)
class EntityRef:
    path: str
    name: str
    label: str
    role: str
    evidence: list[tuple[str, bool]]
    field: str
    confidence: float | None
    rule: str
    extra: str = ""


@dataclass(slots=True)
class PaperView:
    node: NodeRow
    links: PaperLinks
    entities: dict[str, list[EntityRef]]
    authors: list[str]


def paper_view(conn: sqlite3.Connection, node: NodeRow) -> PaperView:
    rows = conn.execute(
        "SELECT e.type, e.props, o.id, o.name, o.label, o.aliases FROM edges e JOIN nodes o ON o.id = e.target "
        "WHERE e.source = ? ORDER BY e.type, o.label, o.name", (node.id,)).fetchall()
    by_role: dict[str, list[EntityRef]] = {r: [] for r in ROLES}
    for r in rows:
        props = json.loads(r["props"])
        forms = [r["name"], *json.loads(r["aliases"])]
        by_role.setdefault(r["type"], []).append(EntityRef(
            node_path(r["id"]), r["name"], r["label"], r["type"], highlight(props.get("evidence", ""), forms),
            props.get("field", ""), props.get("confidence"), props.get("rule", ""),
            _hardware_detail(props) if r["type"] == "USES_HARDWARE" else ""))
    authors = node.props.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    return PaperView(node, paper_links(node.props), {k: v for k, v in by_role.items() if v},
                     [str(a) for a in authors])


@dataclass(slots=True)
class HomeView:
    counts: dict[str, int]
    edges: dict[str, int]
    top: dict[str, list[Neighbour]]


def home_view(conn: sqlite3.Connection, per_type: int = 10) -> HomeView:
    from .search import ENTITY_LABELS, LABELS

    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    counts = json.loads(meta.get("counts", "{}"))
    top = {}
    for label in ENTITY_LABELS:
        rows = conn.execute("SELECT id, name, label, degree FROM nodes WHERE label = ? ORDER BY degree DESC, id "
                            "LIMIT ?", (label, per_type)).fetchall()
        if rows:
            top[label] = [Neighbour(node_path(r["id"]), r["id"], r["name"], r["label"], r["degree"]) for r in rows]
    return HomeView({k: counts[k] for k in LABELS if k in counts}, json.loads(meta.get("edges", "{}")), top)
