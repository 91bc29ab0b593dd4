"""``import spacy`` without spaCy's command line.

``spacy/__init__.py`` imports ``spacy.cli.info`` for the one name ``spacy.info``, and with it the
whole command-line package: typer, requests, weasel, jinja2, rich … some 450 modules, a third of
the import's time (about 0.2 s of the 0.7 s an extraction worker spends importing spaCy before it
can load the pipeline, on every ``kg build``). The extractor uses none of it. :func:`import_spacy`
imports spaCy with two placeholder modules standing in for ``spacy.cli`` and ``spacy.cli.info``,
then removes them, so a later ``import spacy.cli`` (or ``spacy.info()``, which defers to it) loads
the real command line as usual. Nothing spaCy computes depends on it: the tokenizer, vocabulary
and matchers are the same objects either way.

When spaCy is imported already, or its ``__init__`` needs more of ``spacy.cli`` than ``info``
(another spaCy version), spaCy is imported the ordinary way.
"""

from __future__ import annotations

import importlib
import logging
import sys
import types

log = logging.getLogger(__name__)


def _info(*args, **kwargs):
    """``spacy.info``: the real one, from the command line imported now."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> types.ModuleType:
    """The ``spacy`` module, imported without its command line when it is not imported yet."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []  # a package: ``spacy.cli.info`` is looked up in sys.modules
    info = types.ModuleType("spacy.cli.info")
    info.info = _info  # type: ignore[attr-defined]
    stubs = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stubs)
    try:
        return importlib.import_module("spacy")
    except ImportError as exc:  # this spaCy wants more of its command line: import it whole
        # (the submodules loaded meanwhile stay loaded; spacy/__init__ runs again, with the real one)
        log.debug("spaCy imported with its command line (%s)", exc)
        _drop(stubs)
        return importlib.import_module("spacy")
    finally:
        _drop(stubs)


def _drop(stubs: dict[str, types.ModuleType]) -> None:
    for name, module in stubs.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]
