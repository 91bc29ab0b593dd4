"""Files for Neo4j's offline bulk importer (``neo4j-admin database import full``).

One CSV per node label (``nodes_<Label>.csv``) and per relationship type
(``rels_<TYPE>.csv``), each with the importer's header in its first line,
and ``import.sh`` with the exact command line.

Id spaces: papers in ``Paper``, every entity in ``Entity`` (entity ids are
unique across types, ``model/…``, ``method/…``), so one file per
relationship type can name its ends as ``:START_ID(Paper)`` /
``:END_ID(Entity)``. Typed columns: ``confidence:float``, ``count:int``,
``aliases:string[]`` …; the array delimiter is chosen so that it occurs in no
array value. Fields with commas, quotes or newlines are quoted (RFC 4180,
quotes doubled), and the command enables ``--multiline-fields``.
"""

from __future__ import annotations

import csv
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..graph import KnowledgeGraph
from .atomic import atomic_write
from .cypher_model import ENTITY_LABEL, ENTITY_LABELS, edge_props, node_props, rel_groups, node_groups

ARRAY_DELIMITER_CANDIDATES = ("|", "¦", "\u241f", "\u001f")
RESERVED_NODE_COLS = ("id", "name", "aliases")


def id_space(label: str) -> str:
    return ENTITY_LABEL if label in ENTITY_LABELS else label


def _neo_type(values: list[Any]) -> str:
    """The importer type of a column from its non-null values."""
    vals = [v for v in values if v is not None]
    if not vals:
        return "string"
    if all(isinstance(v, list) for v in vals):
        items = [x for v in vals for x in v]
        inner = _neo_type(items) if items else "string"
        return inner + "[]"
    if any(isinstance(v, list) for v in vals):
        return "string"
    if all(isinstance(v, bool) for v in vals):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
        return "long" if any(abs(v) > 2**31 - 1 for v in vals) else "int"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
        return "float"
    return "string"


def _render(v: Any, typ: str, delim: str) -> str:
    if v is None:
        return ""
    if typ.endswith("[]"):
        items = v if isinstance(v, list) else [v]
        return delim.join(_render(x, typ[:-2], delim) for x in items)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return delim.join(str(x) for x in v)
    return str(v)


def _choose_delimiter(graph_rows: list[dict[str, Any]]) -> str:
    texts: set[str] = set()
    for props in graph_rows:
        for v in props.values():
            if isinstance(v, list):
                texts.update(str(x) for x in v)
    for cand in ARRAY_DELIMITER_CANDIDATES:
        if not any(cand in t for t in texts):
            return cand
    raise ValueError("every candidate array delimiter occurs in some array value")


def _delimiter_option(delim: str) -> str:
    return delim if delim.isprintable() and delim.isascii() else f"U+{ord(delim):04X}"


@dataclass
class ImportFiles:
    dest: Path
    node_files: dict[str, Path] = field(default_factory=dict)   # label -> file
    rel_files: dict[str, Path] = field(default_factory=dict)    # type -> file
    script: Path | None = None
    array_delimiter: str = "|"
    command: list[str] = field(default_factory=list)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with atomic_write(path) as fh:
        w = csv.writer(fh, delimiter=",", quotechar='"', doublequote=True,
                       quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def _columns(prop_dicts: list[dict[str, Any]], first: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    keys: list[str] = [k for k in first if any(k in p for p in prop_dicts)]
    for p in prop_dicts:
        for k in p:
            if k not in keys:
                keys.append(k)
    return [(k, _neo_type([p.get(k) for p in prop_dicts])) for k in keys]


def import_command(files: ImportFiles, database: str = "neo4j", dir_expr: str | None = None) -> list[str]:
    """The ``neo4j-admin database import full`` argument list.

    ``dir_expr`` replaces the destination folder in file arguments (the
    script passes ``$DIR`` so it runs from wherever the folder is moved to).
    """
    def f(p: Path) -> str:
        return f"{dir_expr}/{p.name}" if dir_expr else str(p)

    cmd = ["neo4j-admin", "database", "import", "full", database,
           f"--array-delimiter={_delimiter_option(files.array_delimiter)}",
           "--delimiter=,", "--quote=\"", "--multiline-fields=true", "--id-type=string"]
    cmd += [f"--nodes={f(p)}" for p in files.node_files.values()]
    cmd += [f"--relationships={f(p)}" for p in files.rel_files.values()]
    return cmd


def _shell_word(arg: str, dir_var: str | None) -> str:
    """Quote ``arg`` for sh; ``$DIR`` stays expandable (inside double quotes)."""
    if dir_var and dir_var in arg:
        pre, post = arg.split(dir_var, 1)
        return shlex.quote(pre) + f'"{dir_var}"' + shlex.quote(post) if post else shlex.quote(pre) + f'"{dir_var}"'
    return shlex.quote(arg)


def export_neo4j_import(graph: KnowledgeGraph, dest: str | os.PathLike[str], database: str = "neo4j") -> ImportFiles:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,62}", database):
        raise ValueError(f"not a Neo4j database name: {database!r}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    ngroups = node_groups(graph)
    rgroups = rel_groups(graph)
    all_props = [r["props"] for g in ngroups for r in g.rows] + [r["props"] for g in rgroups for r in g.rows]
    files = ImportFiles(dest=dest, array_delimiter=_choose_delimiter(all_props))
    delim = files.array_delimiter

    for g in ngroups:
        props = [r["props"] for r in g.rows]
        cols = _columns(props, RESERVED_NODE_COLS)
        header = []
        for k, t in cols:
            if k == "id":
                header.append(f"id:ID({id_space(g.label)})")
            elif k == "aliases":
                header.append("aliases:string[]")
            else:
                header.append(f"{k}:{t}" if t != "string" else k)
        header.append(":LABEL")
        labels = delim.join([g.label, ENTITY_LABEL] if g.label in ENTITY_LABELS else [g.label])
        rows = [[_render(p.get(k), "string[]" if k == "aliases" else t, delim) for k, t in cols] + [labels]
                for p in props]
        path = dest / f"nodes_{g.label}.csv"
        _write_csv(path, header, rows)
        files.node_files[g.label] = path

    by_type: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    spaces: dict[str, tuple[set[str], set[str]]] = {}
    for g in rgroups:
        for r in g.rows:
            by_type.setdefault(g.type, []).append((r["source"], r["target"], r["props"]))
        s, d = spaces.setdefault(g.type, (set(), set()))
        s.add(id_space(g.source_label))
        d.add(id_space(g.target_label))
    for rtype, rels in sorted(by_type.items()):
        s, d = spaces[rtype]
        if len(s) != 1 or len(d) != 1:  # cannot happen with the model's role targets
            raise ValueError(f"{rtype}: relationships span id spaces {sorted(s)} -> {sorted(d)}")
        cols = _columns([p for _, _, p in rels])
        header = [f":START_ID({next(iter(s))})", f":END_ID({next(iter(d))})"]
        header += [f"{k}:{t}" if t != "string" else k for k, t in cols]
        header.append(":TYPE")
        rows = [[src, tgt] + [_render(p.get(k), t, delim) for k, t in cols] + [rtype] for src, tgt, p in rels]
        path = dest / f"rels_{rtype}.csv"
        _write_csv(path, header, rows)
        files.rel_files[rtype] = path

    files.command = import_command(files, database)
    files.script = dest / "import.sh"
    script_cmd = import_command(files, database, dir_expr="$DIR")
    script_cmd[4] = "$DATABASE"
    words = []
    for a in script_cmd:
        if a == "$DATABASE":
            words.append('"$DATABASE"')
        elif a == "neo4j-admin":
            words.append('"$NEO4J_ADMIN"')
        else:
            words.append(_shell_word(a, "$DIR"))
    exact = " ".join(shlex.quote(a) for a in files.command)
    if "\n" in exact or "\r" in exact:   # a comment line must stay one line
        exact = "(not shown: the destination path contains a line break)"
    text = (
        "#!/bin/sh\n"
        "# Generated by `kg export neo4j-import`: bulk-imports this folder's CSV files\n"
        "# into a NEW Neo4j database (stop the DBMS first; `import full` refuses an existing\n"
        "# database unless you add --overwrite-destination).\n"
        "# Usage: sh import.sh [DATABASE]      (NEO4J_ADMIN=/path/to/neo4j-admin to override)\n"
        f"# As generated, with absolute paths:\n#   {exact}\n"
        "set -eu\n"
        'DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)\n'
        f'DATABASE="${{1:-{database}}}"\n'
        'NEO4J_ADMIN="${NEO4J_ADMIN:-neo4j-admin}"\n'
        "exec " + " \\\n  ".join(words) + "\n"
    )
    with atomic_write(files.script) as fh:
        fh.write(text)
    os.chmod(files.script, 0o755)
    return files
