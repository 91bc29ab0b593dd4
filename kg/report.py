"""``kg report``: one self-contained HTML file of charts about what a corpus contains.

The numbers come from the explorer's index (``OUTDIR/explorer.sqlite``, built when missing), by SQL
aggregates; the charts are drawn by matplotlib as SVG and embedded inline, so the file needs no
network and no other file. Each chart is one function in :data:`CHARTS` (title, what it draws).
"""

from __future__ import annotations

import html
import io
import logging
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .serve.search import ENTITY_LABELS, connect, ensure_index

log = logging.getLogger(__name__)

COLOURS = {"Method": "#2b7bb9", "Model": "#d9822b", "Dataset": "#3c9a5f", "Hardware": "#8e44ad", "Task": "#c0392b",
           "Paper": "#7f8c8d"}
TOP = 15


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    caption: str
    svg: str  # empty when there was nothing to draw


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "paperkg", "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _svg(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "paperkg"})
    _pyplot().close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: inline SVG in HTML


def _short(text: str, n: int = 42) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _barh(labels: list[str], values: list[int], colour: str, xlabel: str) -> str:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 0.3 * len(labels) + 0.9))
    ax.barh(range(len(labels)), values, color=colour)
    ax.set_yticks(range(len(labels)), [_short(x) for x in labels])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    _integer_axis(ax.xaxis)
    for i, v in enumerate(values):
        ax.text(v, i, f" {v:,}", va="center", fontsize=8)
    return _svg(fig)


# -- one function per chart ---------------------------------------------------------------

def entities_by_type(conn: sqlite3.Connection) -> Chart:
    rows = dict(conn.execute("SELECT label, count(*) FROM nodes WHERE label != 'Paper' GROUP BY label").fetchall())
    labels = [x for x in ENTITY_LABELS if rows.get(x)]
    title = "Entities by type"
    if not labels:
        return Chart("entities-by-type", title, "No entities.", "")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    ax.bar(labels, [rows[x] for x in labels], color=[COLOURS[x] for x in labels])
    for i, x in enumerate(labels):
        ax.text(i, rows[x], f"{rows[x]:,}", ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("entities")
    _integer_axis(ax.yaxis)
    total = sum(rows.values())
    return Chart("entities-by-type", title, f"{total:,} entities in all.", _svg(fig))


_PLURAL = {"Method": "methods", "Model": "models", "Dataset": "datasets", "Hardware": "hardware", "Task": "tasks"}


def _top_entities(label: str) -> Callable[[sqlite3.Connection], Chart]:
    def chart(conn: sqlite3.Connection) -> Chart:
        rows = conn.execute(
            "SELECT n.name, count(DISTINCT e.source) AS n FROM edges e JOIN nodes n ON n.id = e.target "
            "WHERE n.label = ? AND e.source LIKE 'paper/%' GROUP BY n.id ORDER BY n DESC, n.name LIMIT ?",
            (label, TOP)).fetchall()
        plural = _PLURAL[label]
        title = f"Top {plural} by number of papers"
        if not rows:
            return Chart(f"top-{label.lower()}", title, f"No {plural} in this corpus.", "")
        return Chart(f"top-{label.lower()}", title, f"The {len(rows)} {plural} linked to the most papers.",
                     _barh([r[0] for r in rows], [r[1] for r in rows], COLOURS[label], "papers"))
    chart.__name__ = f"top_{label.lower()}"
    return chart


def _periods(dates: list[str]) -> tuple[str, list[str], Callable[[str], str]]:
    """Months when the dates span three years or less, else years: the unit, every period from the
    first to the last (empty ones too, so the axis is time), and the bucket of a date."""
    first, last = min(dates), max(dates)
    if int(last[:4]) - int(first[:4]) < 3 and all(len(d) >= 7 for d in (first, last)):
        y, m = int(first[:4]), int(first[5:7])
        periods = []
        while f"{y:04d}-{m:02d}" <= last[:7]:
            periods.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return "month", periods, lambda d: d[:7]
    return "year", [str(y) for y in range(int(first[:4]), int(last[:4]) + 1)], lambda d: d[:4]


def _integer_axis(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _over_time(conn: sqlite3.Connection, key: str, title: str, sql: str, what: str, colour: str) -> Chart:
    dates = [r[0] for r in conn.execute(sql).fetchall() if r[0] and re.match(r"\d{4}", r[0])]
    if not dates:
        return Chart(key, title, f"No dated {what} in this corpus.", "")
    unit, keys, bucket = _periods(dates)
    if unit == "month":
        dates = [d for d in dates if len(d) >= 7]  # a bare year has no month to go in
    counts: dict[str, int] = {}
    for d in dates:
        counts[bucket(d)] = counts.get(bucket(d), 0) + 1
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    ax.bar(range(len(keys)), [counts.get(k, 0) for k in keys], color=colour)
    step = max(1, len(keys) // 12)
    ax.set_xticks(range(0, len(keys), step), keys[::step], rotation=45, ha="right")
    ax.set_ylabel(what)
    ax.set_xlabel(unit)
    _integer_axis(ax.yaxis)
    undated = conn.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0] - len(dates)
    note = f"; {undated:,} without a date" if undated else ""
    return Chart(key, title, f"{len(dates):,} dated {what}, by {unit}{note}.", _svg(fig))


def papers_over_time(conn: sqlite3.Connection) -> Chart:
    return _over_time(conn, "papers-over-time", "Papers over time",
                      "SELECT p.date FROM nodes p WHERE p.label = 'Paper'", "papers", COLOURS["Paper"])


def hardware_over_time(conn: sqlite3.Connection) -> Chart:
    return _over_time(conn, "hardware-over-time", "Hardware mentions over time",
                      "SELECT p.date FROM edges e JOIN nodes p ON p.id = e.source WHERE e.type = 'USES_HARDWARE'",
                      "hardware mentions", COLOURS["Hardware"])


def method_dataset_heatmap(conn: sqlite3.Connection) -> Chart:
    title = "Methods × datasets: papers using both"
    rows = conn.execute("""
        WITH m AS (SELECT e.target AS id, count(DISTINCT e.source) AS n FROM edges e JOIN nodes x ON x.id = e.target
                    WHERE x.label = 'Method' AND e.source LIKE 'paper/%' GROUP BY e.target ORDER BY n DESC, e.target LIMIT 15),
             d AS (SELECT e.target AS id, count(DISTINCT e.source) AS n FROM edges e JOIN nodes x ON x.id = e.target
                    WHERE x.label = 'Dataset' AND e.source LIKE 'paper/%' GROUP BY e.target ORDER BY n DESC, e.target LIMIT 12)
        SELECT em.target, ed.target, count(DISTINCT em.source)
          FROM edges em JOIN edges ed ON ed.source = em.source
         WHERE em.target IN (SELECT id FROM m) AND ed.target IN (SELECT id FROM d)
         GROUP BY em.target, ed.target""").fetchall()
    if not rows:
        return Chart("method-dataset", title, "No paper names both a method and a dataset.", "")
    names = dict(conn.execute("SELECT id, name FROM nodes WHERE id IN (%s)" % ",".join(
        "?" * len({r[0] for r in rows} | {r[1] for r in rows})), sorted({r[0] for r in rows} | {r[1] for r in rows})))
    cell = {(a, b): n for a, b, n in rows}
    methods = sorted({a for a, _, _ in rows}, key=lambda a: (-sum(n for (x, _), n in cell.items() if x == a), a))
    datasets = sorted({b for _, b, _ in rows}, key=lambda b: (-sum(n for (_, y), n in cell.items() if y == b), b))
    grid = [[cell.get((m, d), 0) for d in datasets] for m in methods]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(0.45 * len(datasets) + 3.2, 0.32 * len(methods) + 1.6))
    im = ax.imshow(grid, cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(datasets)), [_short(names[d], 24) for d in datasets], rotation=45, ha="right")
    ax.set_yticks(range(len(methods)), [_short(names[m], 32) for m in methods])
    peak = max(max(r) for r in grid) or 1
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7, color="white" if v > peak / 2 else "black")
    _integer_axis(fig.colorbar(im, ax=ax, label="papers").ax.yaxis)
    return Chart("method-dataset", title, "The most used methods against the most used datasets.", _svg(fig))


def _best_links(link_type: str) -> Callable[[sqlite3.Connection], Chart]:
    def chart(conn: sqlite3.Connection) -> Chart:
        rows = conn.execute(
            "SELECT a.name, b.name, CAST(coalesce(json_extract(e.props, '$.support'), 1) AS INTEGER) AS s "
            "FROM edges e JOIN nodes a ON a.id = e.source JOIN nodes b ON b.id = e.target "
            "WHERE e.type = ? ORDER BY s DESC, a.name, b.name LIMIT ?", (link_type, TOP)).fetchall()
        title = f"Best-supported {link_type} links"
        key = f"links-{link_type.lower()}"
        if not rows:
            return Chart(key, title, f"No {link_type} link in this corpus.", "")
        verb = link_type.replace("_", " ").lower()
        labels = [f"{_short(a, 26)} {verb} {_short(b, 26)}" for a, b, _ in rows]
        return Chart(key, title, "Support: the number of distinct papers stating the link.",
                     _barh(labels, [r[2] for r in rows], "#64748b", "papers stating it"))
    chart.__name__ = f"links_{link_type.lower()}"
    return chart


#: Every chart of the report, in page order.
CHARTS: list[Callable[[sqlite3.Connection], Chart]] = [
    entities_by_type,
    *(_top_entities(label) for label in ("Method", "Model", "Dataset", "Hardware")),
    papers_over_time,
    hardware_over_time,
    method_dataset_heatmap,
    _best_links("BASED_ON"),
    _best_links("OUTPERFORMS"),
]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; color: #1d2430; background: #fafafa; margin: 0; }}
main {{ max-width: 1100px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }}
.summary span {{ margin-right: 1.2rem; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 1rem; }}
h2 {{ font-size: 1.05rem; margin: 0 0 .4rem; }}
figure {{ margin: 0; background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: .8rem; }}
figure svg {{ max-width: 100%; height: auto; }}
figcaption {{ color: #6b7280; font-size: .85rem; }}
.empty {{ color: #6b7280; }}
</style></head>
<body><main>
<h1>{title}</h1>
<p class="summary">{summary}</p>
<div class="grid">
{figures}
</div>
<p class="empty">Made by <code>kg report</code> on {when} from {source}.</p>
</main></body></html>
"""


def render(charts: list[Chart], title: str, summary: dict[str, int], source: str) -> str:
    figures = []
    for c in charts:
        caption = f'<figcaption{"" if c.svg else " class=empty"}>{html.escape(c.caption)}</figcaption>'
        figures.append(f'<figure id="{html.escape(c.key)}" data-chart="{html.escape(c.key)}"'
                       f' data-drawn="{"yes" if c.svg else "no"}"><h2>{html.escape(c.title)}</h2>{c.svg}{caption}</figure>')
    summ = "".join(f"<span><b>{n:,}</b> {html.escape(k)}</span>" for k, n in summary.items())
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return _PAGE.format(title=html.escape(title), summary=summ, figures="\n".join(figures), when=when,
                        source=html.escape(source))


def report(outdir: str | Path, out: str | Path, title: str = "What this corpus contains",
           progress: Callable[[int, int, str], None] | None = None) -> list[Chart]:
    """Write the report of OUTDIR to ``out``; returns the charts (empty ones included)."""
    from .writers.atomic import atomic_write

    index = ensure_index(outdir)
    conn = connect(index)
    counts = dict(conn.execute("SELECT label, count(*) FROM nodes GROUP BY label").fetchall())
    charts = []
    for i, fn in enumerate(CHARTS, 1):
        if progress:
            progress(i, len(CHARTS), fn.__name__)
        charts.append(fn(conn))
    conn.close()
    summary = {("papers" if k == "Paper" else _PLURAL[k]): counts[k] for k in ("Paper", *ENTITY_LABELS)
               if counts.get(k)}
    with atomic_write(out) as fh:
        fh.write(render(charts, title, summary, str(Path(outdir).resolve())))
    return charts
