"""Mistakes a user can make, as one line each: what failed, where, what to check.

Library code raises :class:`KgError` (or a subclass) with such a line, or lets
a standard exception through (a file that cannot be written, a JSON line that
does not parse). The CLI's entry point turns either into one line on stderr
and exit status 1 through :func:`describe`, one rule per exception kind in
:data:`RULES`, so no command needs its own try/except. ``--debug`` (or
``-vv``) shows the traceback instead.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path


class KgError(Exception):
    """A user's mistake or an environment problem, with a message that says
    what failed, the path or URI, and what to check (one line)."""


class Unreachable(KgError):
    """A server (Neo4j, FalkorDB) does not answer at the given address."""


class ConnectionLost(KgError):
    """A server stopped answering in the middle of a push."""


class AuthFailed(KgError):
    """A server answered but refused the credentials."""


class ReadOnly(KgError):
    """A write was sent to an engine that only reads."""


class InputFileError(KgError):
    """A file the user named cannot be used as what it was given for."""


def mask_secret(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` replaced by ``***`` wherever it stands as a
    whole value (not inside a longer word: a one-letter password must not turn
    "exception" into "e***ception", which would also give the password away)."""
    if not secret:
        return text
    return re.sub(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", "***", text)


def ensure_writable_dir(path: str | os.PathLike[str], what: str = "output directory") -> Path:
    """Create ``path`` (and its parents) and check it can be written, or raise
    a KgError naming it, before any work is done."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InputFileError(f"{what} {p} is a file, not a directory; give a directory with -o")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KgError(f"cannot create {what} {p}: {exc.strerror or exc}; "
                      "check that its parent exists and is writable, or choose another with -o") from exc
    try:  # a real probe: access() says yes to root even on a read-only mount
        with tempfile.TemporaryFile(dir=p):
            pass
    except OSError as exc:
        raise KgError(f"cannot write to {what} {p}: {(exc.strerror or str(exc)).lower()}; "
                      "fix its permissions or choose another with -o") from exc
    return p


def ensure_writable_file(path: str | os.PathLike[str]) -> Path:
    """Check that the file ``path`` can be created or replaced (its directory
    exists and is writable), or raise a KgError naming it."""
    p = Path(path)
    if p.is_dir():
        raise InputFileError(f"{p} is a directory; give a file name to write")
    ensure_writable_dir(p.parent if str(p.parent) else Path("."), "directory")
    return p


# -- exception -> one line ----------------------------------------------------------------------

def _os_error(exc: BaseException) -> str | None:
    if not isinstance(exc, OSError) or type(exc).__module__.startswith(("redis", "neo4j")):
        return None
    name = exc.filename
    if name is None:
        return str(exc) or type(exc).__name__
    hint = {
        FileNotFoundError: "check the path",
        PermissionError: "check its permissions, or choose another path",
        IsADirectoryError: "give a file, not a directory",
        NotADirectoryError: "a part of the path is a file, not a directory",
    }.get(type(exc), "check the path and the disk")
    target = f"{name} -> {exc.filename2}" if exc.filename2 else str(name)
    return f"{target}: {(exc.strerror or str(exc)).lower()}; {hint}"


def _unicode_error(exc: BaseException) -> str | None:
    if isinstance(exc, UnicodeDecodeError):
        return (f"cannot decode a file as UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
                "check that it is a text file, not binary")
    return None


def _json_error(exc: BaseException) -> str | None:
    if isinstance(exc, json.JSONDecodeError):
        return f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; check the file's format"
    return None


def _sqlite_error(exc: BaseException) -> str | None:
    if isinstance(exc, sqlite3.Error):
        return (f"cannot use a state database of the output directory ({exc}); "
                "check that the directory is writable and the disk has space")
    return None


def _missing_data(exc: BaseException) -> str | None:
    from .resources import MissingDataFile

    return str(exc) if isinstance(exc, (MissingDataFile, KgError)) else None


def _redis_error(exc: BaseException) -> str | None:
    """FalkorDB errors not already worded by kg.writers.falkordb."""
    if not type(exc).__module__.startswith(("redis", "falkordb")):
        return None
    if "ConnectionError" in type(exc).__name__ or "TimeoutError" in type(exc).__name__:
        return f"cannot reach FalkorDB: {exc}; check the --url and that a FalkorDB server listens there"
    return f"FalkorDB refused the query: {exc}"


def _neo4j_error(exc: BaseException) -> str | None:
    if not type(exc).__module__.startswith("neo4j"):
        return None
    return f"Neo4j failed: {type(exc).__name__}: {exc}"


def _own_message(exc: BaseException) -> str | None:
    """A ValueError, SyntaxError (a query that does not parse) or RuntimeError
    raised in kg's own code carries a message written for the user."""
    if not isinstance(exc, (ValueError, SyntaxError, RuntimeError)):
        return None
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    module = tb.tb_frame.f_globals.get("__name__", "") if tb is not None else ""
    return str(exc) if module.startswith("kg.") and str(exc) else None


#: One rule per kind of failure, tried in order; the first line wins.
RULES: tuple[Callable[[BaseException], str | None], ...] = (
    _missing_data, _os_error, _unicode_error, _json_error, _sqlite_error, _redis_error, _neo4j_error,
    _own_message,
)


def describe(exc: BaseException) -> str | None:
    """The one-line message for a failure a user can cause, or None for a bug."""
    for rule in RULES:
        message = rule(exc)
        if message:
            return " ".join(message.split())  # one line, whatever the library put in
    return None


class WorkerLost(KgError):
    """A worker process of a build died (killed from outside, or for lack of memory)."""
