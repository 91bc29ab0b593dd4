"""Data files shipped inside the package, found through :mod:`importlib.resources`.

Everything ``kg`` reads at run time (the vocabulary, the extractor's patterns, the
ontology, the SHACL shapes, the JSON-LD context, the sample listings) lives under
the ``kg`` package, so a wheel install behaves exactly like a checkout. The
top-level ``ontology/`` directory of the repository is the published,
human-facing copy of ``kg/ontology``; ``tests/test_packaging.py`` keeps the two
identical.

A data file that is missing is an installation error, never a silent fallback:
:func:`data_file` raises :class:`MissingDataFile` naming the file.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


class MissingDataFile(RuntimeError):
    """A file the package must ship is absent or empty: the install is broken."""


def data_path(*parts: str) -> Path:
    """The path of a shipped file or directory ``kg/<parts…>`` (it may not exist)."""
    res = files("kg").joinpath(*parts)
    # kg is a regular package installed as files (wheel or checkout), so the
    # traversable is a real path; a zipped install would not be.
    if not isinstance(res, Path):
        raise MissingDataFile(f"kg/{'/'.join(parts)}: the package is not installed as files "
                              "(zip imports are not supported); reinstall paperkg with pip")
    return res


def data_file(*parts: str) -> Path:
    """The path of a shipped file, or :class:`MissingDataFile` naming it."""
    path = data_path(*parts)
    if not path.is_file():
        raise MissingDataFile(f"{path}: data file missing from the paperkg package; "
                              "reinstall paperkg (pip install --force-reinstall paperkg)")
    return path


def data_dir(*parts: str) -> Path:
    """The path of a shipped directory, or :class:`MissingDataFile` naming it."""
    path = data_path(*parts)
    if not path.is_dir():
        raise MissingDataFile(f"{path}: data directory missing from the paperkg package; "
                              "reinstall paperkg (pip install --force-reinstall paperkg)")
    return path


#: The ontology, shapes, JSON-LD context and vocabulary (kg/ontology).
ONTOLOGY = ("ontology",)
