"""Vocabulary phrase patterns as token hashes, cached on disk.

The vocabulary is matched by two spaCy ``PhraseMatcher`` objects, one on
``LOWER`` and one on ``ORTH``. Handing them each spelling as a tokenised
``Doc`` took ~2 s of a ~3 s pipeline load (~21k spellings), and giving every
entry its own match id cost ~0.3 s more (spaCy makes a lexeme of each id).
But ``PhraseMatcher.add`` also takes a pattern as the list of its tokens'
attribute hashes, and those depend on nothing but the vocabulary, the
spelling rules of :mod:`kg.nlp.vocab` and spaCy's tokenizer. So:

* the patterns are computed once into two tables, token hashes -> entry
  indices, stored under :func:`cache_dir` and read back on later loads;
* each matcher gets one match id for all of its patterns, and a match is
  turned into entries by looking up the hashes of the matched tokens.

Matching itself stays spaCy's C loop over the token structs: a pure-Python
matcher over ``Doc.to_array`` measured about twice as slow per document.

The cache is an accelerator only: a missing, stale, corrupt or unwritable
file means the tables are computed in memory, as on the first run.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import marshal
import os
import sys
from operator import attrgetter
from pathlib import Path

import spacy
from spacy.attrs import LOWER, ORTH
from spacy.matcher import PhraseMatcher
from spacy.strings import hash_string
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .vocab import VocabEntry, capitalised_spelling, is_case_sensitive, matches_lower_case, surface_variants

log = logging.getLogger(__name__)

#: Bump when what is stored, or how it is derived, changes.
CACHE_FORMAT = 1

#: Token hashes of one spelling -> indices of the entries spelled so.
Table = dict[tuple[int, ...], tuple[int, ...]]

_MATCH_ID = "kg_vocab"
_LOWER = attrgetter("lower")
_ORTH = attrgetter("orth")


def cache_dir() -> Path:
    """``$PAPERKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/paperkg``, else ``~/.cache/paperkg``."""
    explicit = os.environ.get("PAPERKG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "paperkg"


def entry_forms(entry: VocabEntry) -> tuple[list[str], list[str]]:
    """(case-insensitive, case-sensitive) spellings of one entry, sorted."""
    lower_forms, exact_forms = set(), set()
    for f in entry.forms():
        exact = is_case_sensitive(f, entry.type) and not matches_lower_case(f)
        for v in surface_variants(f):
            (exact_forms if exact else lower_forms).add(v)
        cap = capitalised_spelling(f) if exact else None
        if cap is not None:
            exact_forms.update(surface_variants(cap))
    return sorted(lower_forms), sorted(exact_forms)


def compute_tables(entries: list[VocabEntry], tokenizer) -> tuple[Table, Table]:
    """Every entry's spellings tokenised by ``tokenizer``: the LOWER table of the
    case-insensitive ones and the ORTH table of the case-sensitive ones."""
    lower: dict[tuple[int, ...], list[int]] = {}
    orth: dict[tuple[int, ...], list[int]] = {}
    for i, entry in enumerate(entries):
        lower_forms, exact_forms = entry_forms(entry)
        for table, attr, forms in ((lower, LOWER, lower_forms), (orth, ORTH, exact_forms)):
            for form in forms:
                hashes = tuple(tokenizer(form).to_array(attr).tolist())
                if not hashes:  # a PhraseMatcher skips empty patterns
                    continue
                indices = table.setdefault(hashes, [])
                if i not in indices:
                    indices.append(i)
    return _in_matcher_order(lower), _in_matcher_order(orth)


def _in_matcher_order(table: dict[tuple[int, ...], list[int]]) -> Table:
    # Entries that share a spelling were reported, when each entry had its own
    # match id "V<index>", in the slot order of the matcher's hash table
    # (preshed) keyed by the ids' hashes. That order decides which entry wins
    # a tie downstream, so it is reproduced by filling the same kind of table.
    from preshed.maps import PreshMap

    out: Table = {}
    for hashes, indices in table.items():
        if len(indices) > 1:
            slots = PreshMap()
            for i in indices:  # in index order, as the matchers were filled
                slots[hash_string(f"V{i}")] = 0
            index_of = {hash_string(f"V{i}"): i for i in indices}
            indices = [index_of[k] for k in slots.keys()]
        out[hashes] = tuple(indices)
    return out


class VocabMatcher:
    """Both phrase matchers over one vocabulary's tables."""

    def __init__(self, vocab: Vocab, lower: Table, orth: Table):
        self.lower, self.orth = lower, orth
        self.lower_matcher = PhraseMatcher(vocab, attr="LOWER")
        self.orth_matcher = PhraseMatcher(vocab, attr="ORTH")
        # patterns given as hash sequences: add() neither tokenises nor checks them
        if lower:
            self.lower_matcher.add(_MATCH_ID, list(lower))
        if orth:
            self.orth_matcher.add(_MATCH_ID, list(orth))

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(entry index, start token, end token) of every spelling in ``doc``,
        overlapping ones included: the LOWER matches, then the ORTH ones, each
        ordered by start, then end, then as :func:`_in_matcher_order` says."""
        out = []
        for matcher, table, attr in ((self.lower_matcher, self.lower, _LOWER), (self.orth_matcher, self.orth, _ORTH)):
            for _, start, end in matcher(doc):
                # token by token (a Span costs ten times a Token to make), and
                # no comprehension for the usual one-token match: this runs
                # for every match of every document
                if end - start == 1:
                    hashes = (attr(doc[start]),)
                else:
                    hashes = tuple([attr(doc[j]) for j in range(start, end)])
                for i in table[hashes]:
                    out.append((i, start, end))
        return out


# ------------------------------------------------------------------ cache


def cache_key(entries: list[VocabEntry]) -> str:
    """Everything the tables depend on: each entry's forms in order (taken
    from the parsed entries rather than the files, so a key never describes
    other entries than the ones it is used for), the code that derives
    spellings, spaCy's version (its tokenizer) and the formats."""
    h = hashlib.sha256()
    for part in (f"format={CACHE_FORMAT}", f"spacy={spacy.__version__}", f"marshal={marshal.version}",
                 f"python={sys.version_info[0]}.{sys.version_info[1]}"):
        h.update(part.encode() + b"\0")
    here = Path(__file__).resolve().parent
    for src in ("vocab.py", "phrases.py", "data/words.toml"):  # words.toml: english_words
        h.update((here / src).read_bytes())
    h.update("\n".join("\t".join(e.forms()) for e in entries).encode())
    return h.hexdigest()


def cache_file(key: str) -> Path:
    return cache_dir() / f"vocab-tables-{key[:40]}.bin"


# File layout: sha256 of the payload (32 bytes), then the payload,
# marshal.dumps((key, lower, orth)). The checksum turns a damaged file into a
# miss instead of wrong matches; the key guards against a name collision.


def _loads_without_gc(payload: bytes):
    # unmarshalling creates ~30k tuples; with spaCy's objects already alive,
    # the collector's passes triggered by them took longer than the load itself
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return marshal.loads(payload)
    finally:
        if was_enabled:
            gc.enable()


def read_cached_tables(path: Path, key: str) -> tuple[Table, Table] | None:
    """The tables stored in ``path`` under ``key``; None when the file is
    missing, unreadable, damaged or holds anything else."""
    try:
        data = path.read_bytes()
        payload = data[32:]
        if hashlib.sha256(payload).digest() != data[:32]:
            raise ValueError("checksum mismatch")
        stored_key, lower, orth = _loads_without_gc(payload)
        if stored_key != key or not isinstance(lower, dict) or not isinstance(orth, dict):
            raise ValueError("unexpected content")
    except FileNotFoundError:
        log.debug("no vocabulary table cache at %s", path)
        return None
    except (OSError, ValueError, EOFError, TypeError) as exc:
        log.debug("ignoring vocabulary table cache %s: %s", path, exc)
        return None
    return lower, orth


def write_cached_tables(path: Path, key: str, lower: Table, orth: Table) -> None:
    """Store the tables atomically; a failure is logged and otherwise ignored."""
    from kg.writers.atomic import atomic_write

    payload = marshal.dumps((key, lower, orth))
    try:
        with atomic_write(path, "wb") as fh:
            fh.write(hashlib.sha256(payload).digest())
            fh.write(payload)
    except OSError as exc:
        log.debug("could not write vocabulary table cache %s: %s", path, exc)
        return
    log.debug("wrote vocabulary table cache %s", path)
    prune_cached_tables(path)


#: Table files kept besides the one just written: the most recently used ones, for the other checkouts
#: or installs that share the cache directory (each with its own vocabulary, so its own file).
KEEP_OTHERS = 3


def prune_cached_tables(current: Path, keep: int = KEEP_OTHERS) -> None:
    """Delete the table files of other vocabularies but the ``keep`` most recently used (a hit
    refreshes a file's time, :func:`load_tables`); every edit of a vocabulary or of this code
    writes a new file, and without this they piled up (hundreds of megabytes). Best effort."""
    try:
        others = [p for p in current.parent.glob("vocab-tables-*.bin") if p != current]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[keep:]:
            old.unlink(missing_ok=True)
            log.debug("removed stale vocabulary table cache %s", old)
    except OSError as exc:  # another process pruning at the same moment, a read-only directory
        log.debug("could not prune the vocabulary table cache in %s: %s", current.parent, exc)


def load_tables(entries: list[VocabEntry], tokenizer) -> tuple[Table, Table]:
    """The tables of ``entries``: from the cache when it holds them for
    exactly these entries, else computed (and cached)."""
    try:
        key = cache_key(entries)
        path = cache_file(key)
    except (OSError, RuntimeError) as exc:  # our sources unreadable (a frozen install), no home directory
        log.debug("vocabulary table cache disabled: %s", exc)
        return compute_tables(entries, tokenizer)
    tables = read_cached_tables(path, key)
    if tables is None:
        tables = compute_tables(entries, tokenizer)
        write_cached_tables(path, key, *tables)
    else:
        _touch(path)  # recently used: kept when another vocabulary's file prunes the directory
    return tables


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:  # a read-only cache still serves its tables
        pass
