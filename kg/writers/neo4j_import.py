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

import contextlib
import csv
import itertools
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .atomic import atomic_write
from .cypher_model import ENTITY_LABEL, ENTITY_LABELS
from .push_state import PushDelta, whole_graph

ARRAY_DELIMITER_CANDIDATES = ("|", "¦", "\u241f", "\u001f")
RESERVED_NODE_COLS = ("id", "name", "aliases")


def id_space(label: str) -> str:
    return ENTITY_LABEL if label in ENTITY_LABELS else label


class _ColumnType:
    """The importer type of a column, from its values one at a time: ``int``
    (``long`` past 32 bits), ``float``, ``boolean``, ``string``, or the type of
    the items plus ``[]`` when every value is a list; ``string`` when mixed."""

    def __init__(self) -> None:
        self.values = self.lists = self.bools = self.ints = self.numbers = 0
        self.big = False
        self.items: _ColumnType | None = None

    def add(self, v: Any) -> None:
        if v is None:
            return
        self.values += 1
        if isinstance(v, list):
            self.lists += 1
            self.items = self.items or _ColumnType()
            for x in v:
                self.items.add(x)
        elif isinstance(v, bool):
            self.bools += 1
        elif isinstance(v, (int, float)):
            self.numbers += 1
            if isinstance(v, int):
                self.ints += 1
                self.big = self.big or abs(v) > 2**31 - 1

    def name(self) -> str:
        n = self.values
        if not n or (self.lists and self.lists < n):
            return "string"
        if self.lists:
            return (self.items.name() if self.items else "string") + "[]"
        if self.bools == n:
            return "boolean"
        if self.ints == n:
            return "long" if self.big else "int"
        return "float" if self.numbers == n else "string"


class _Columns:
    """The columns of one CSV file: property keys in the order first seen, each with its type."""

    def __init__(self) -> None:
        self.types: dict[str, _ColumnType] = {}

    def add(self, props: dict[str, Any]) -> None:
        for k, v in props.items():
            self.types.setdefault(k, _ColumnType()).add(v)

    def columns(self, first: tuple[str, ...] = ()) -> list[tuple[str, str]]:
        keys = [k for k in first if k in self.types] + [k for k in self.types if k not in first]
        return [(k, self.types[k].name()) for k in keys]


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


class _Delimiters:
    """Which candidate array delimiters occur in some array value."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def add(self, props: dict[str, Any]) -> None:
        for v in props.values():
            if isinstance(v, list):
                for x in v:
                    t = str(x)
                    self.seen.update(c for c in ARRAY_DELIMITER_CANDIDATES if c in t)

    def choose(self) -> str:
        for cand in ARRAY_DELIMITER_CANDIDATES:
            if cand not in self.seen:
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


def _csv_writer(fh: Any) -> Any:
    return csv.writer(fh, delimiter=",", quotechar='"', doublequote=True, quoting=csv.QUOTE_MINIMAL,
                      lineterminator="\n")


@dataclass
class _Survey:
    """What the files' headers need, from a first pass over every row."""

    nodes: dict[str, _Columns] = field(default_factory=dict)        # label -> columns
    rels: dict[str, _Columns] = field(default_factory=dict)         # type -> columns
    spaces: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)   # type -> id spaces of its ends
    delimiters: _Delimiters = field(default_factory=_Delimiters)


def _survey(graph: PushDelta) -> _Survey:
    sv = _Survey()
    for (label,), row in graph.node_rows():
        sv.nodes.setdefault(label, _Columns()).add(row["props"])
        sv.delimiters.add(row["props"])
    for (src, rtype, dst), row in graph.edge_rows():
        sv.rels.setdefault(rtype, _Columns()).add(row["props"])
        sv.delimiters.add(row["props"])
        s, d = sv.spaces.setdefault(rtype, (set(), set()))
        s.add(id_space(src))
        d.add(id_space(dst))
    return sv


def _node_header(label: str, cols: list[tuple[str, str]]) -> list[str]:
    def head(k: str, t: str) -> str:
        if k == "id":
            return f"id:ID({id_space(label)})"
        if k == "aliases":
            return "aliases:string[]"
        return f"{k}:{t}" if t != "string" else k

    return [head(k, t) for k, t in cols] + [":LABEL"]


def _write_node_files(graph: PushDelta, sv: _Survey, files: ImportFiles) -> None:
    """``nodes_<Label>.csv``: one file a label, its rows in id order."""
    delim = files.array_delimiter
    for (label,), group in itertools.groupby(graph.node_rows(), key=lambda kr: kr[0]):
        cols = sv.nodes[label].columns(RESERVED_NODE_COLS)
        types = [(k, "string[]" if k == "aliases" else t) for k, t in cols]
        labels = delim.join([label, ENTITY_LABEL] if label in ENTITY_LABELS else [label])
        path = files.dest / f"nodes_{label}.csv"
        with atomic_write(path) as fh:
            w = _csv_writer(fh)
            w.writerow(_node_header(label, cols))
            w.writerows([_render(row["props"].get(k), t, delim) for k, t in types] + [labels] for _, row in group)
        files.node_files[label] = path


def _rel_ends(rtype: str, sv: _Survey) -> tuple[str, str]:
    s, d = sv.spaces[rtype]
    if len(s) != 1 or len(d) != 1:  # cannot happen with the model's role targets
        raise ValueError(f"{rtype}: relationships span id spaces {sorted(s)} -> {sorted(d)}")
    return next(iter(s)), next(iter(d))


def _write_rel_files(graph: PushDelta, sv: _Survey, files: ImportFiles) -> None:
    """``rels_<TYPE>.csv``: one file a type, all open at once (the rows come by end labels first)."""
    delim = files.array_delimiter
    cols = {rtype: sv.rels[rtype].columns() for rtype in sorted(sv.rels)}
    with contextlib.ExitStack() as stack:
        writers = {}
        for rtype, c in cols.items():
            start, end = _rel_ends(rtype, sv)
            path = files.dest / f"rels_{rtype}.csv"
            writers[rtype] = _csv_writer(stack.enter_context(atomic_write(path)))
            writers[rtype].writerow([f":START_ID({start})", f":END_ID({end})"]
                                    + [f"{k}:{t}" if t != "string" else k for k, t in c] + [":TYPE"])
            files.rel_files[rtype] = path
        for (_, rtype, _), row in graph.edge_rows():
            p = row["props"]
            writers[rtype].writerow([row["source"], row["target"]] + [_render(p.get(k), t, delim) for k, t in cols[rtype]]
                                    + [rtype])


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


def export_neo4j_import(outdir: str | os.PathLike[str], dest: str | os.PathLike[str],
                        database: str = "neo4j") -> ImportFiles:
    """The import files for ``OUTDIR/graph.jsonl`` in ``dest``: two passes over
    the rows of a complete push (headers and the array delimiter first, then
    the rows), so memory stays bounded."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,62}", database):
        raise ValueError(f"not a Neo4j database name: {database!r}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with whole_graph(outdir) as graph:
        sv = _survey(graph)
        files = ImportFiles(dest=dest, array_delimiter=sv.delimiters.choose())
        _write_node_files(graph, sv, files)
        _write_rel_files(graph, sv, files)
    _write_script(files, database)
    return files


def _script_words(files: ImportFiles, database: str) -> Iterable[str]:
    """The command's words for sh: files relative to ``$DIR``, database and neo4j-admin from variables."""
    script_cmd = import_command(files, database, dir_expr="$DIR")
    script_cmd[4] = "$DATABASE"
    for a in script_cmd:
        if a == "$DATABASE":
            yield '"$DATABASE"'
        elif a == "neo4j-admin":
            yield '"$NEO4J_ADMIN"'
        else:
            yield _shell_word(a, "$DIR")


def _write_script(files: ImportFiles, database: str) -> None:
    """``import.sh``: the exact command, runnable from wherever the folder is moved to."""
    files.command = import_command(files, database)
    files.script = files.dest / "import.sh"
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
        "exec " + " \\\n  ".join(_script_words(files, database)) + "\n"
    )
    with atomic_write(files.script) as fh:
        fh.write(text)
    os.chmod(files.script, 0o755)
