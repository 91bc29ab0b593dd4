"""The on-disk Oxigraph store behind ``kg serve``'s SPARQL endpoint (and reused by ``kg sparql``).

The build's RDF is loaded once into ``OUTDIR/.oxigraph`` with pyoxigraph's bulk loader (rebuilt when
the RDF file changes, judged by its size and mtime), beside the old store and swapped in, so a
failed load leaves the old one. The endpoint's query workers (:mod:`kg.serve.worker`) each open it
read-only; the HTTP side lives in :mod:`kg.serve`.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from . import find_rdf
from .sparql import _OX_FORMAT

STORE_DIR = ".oxigraph"
_STAMP = "paperkg-source.json"


def _stamp_of(path: Path) -> dict:
    st = path.stat()
    return {"file": path.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def current_store(source: Path) -> Path | None:
    """``.oxigraph`` beside the RDF file when it holds that file's current content."""
    target = source.parent / STORE_DIR
    try:
        if json.loads((target / _STAMP).read_text(encoding="utf-8")) == _stamp_of(source):
            return target
    except (OSError, ValueError):
        pass
    return None


def _load(source: Path, location: Path) -> None:
    fmt = _OX_FORMAT.get(source.suffix)
    if fmt is None:
        raise RuntimeError(f"{source}: unknown RDF file type")
    store = ox.Store(str(location))
    try:
        store.bulk_load(path=str(source), format=fmt)
        store.flush()
    except (SyntaxError, OSError, ValueError) as exc:
        raise RuntimeError(f"could not load {source} into a SPARQL store: {exc}") from exc
    finally:
        del store
        gc.collect()  # the store's files are closed when the object goes


def prepare_store(outdir: str | Path, rebuild: bool = False) -> Path:
    """Load the build's RDF into ``OUTDIR/.oxigraph`` unless it already holds that file's
    current content. Built beside and swapped in, so a failed load leaves the old store."""
    outdir = Path(outdir)
    source = find_rdf(outdir)
    if source.parent != outdir:
        outdir = source.parent
    target = outdir / STORE_DIR
    if not rebuild and current_store(source) is not None:
        return target
    stamp = _stamp_of(source)
    tmp = outdir / f"{STORE_DIR}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        _load(source, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    (tmp / _STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    old = outdir / f"{STORE_DIR}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
    return target
