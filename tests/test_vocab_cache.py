"""The vocabulary's token-hash tables and their on-disk cache (kg.nlp.phrases).

They must match exactly like the PhraseMatchers they replaced (one match id
"V<index>" per entry, each spelling tokenised into a Doc), whether computed
or read back, and a damaged or unwritable cache must change nothing.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from kg.nlp import Extractor, phrases, to_json
from kg.nlp.phrases import (VocabMatcher, cache_dir, cache_file, cache_key, compute_tables, entry_forms, load_tables,
                            read_cached_tables)
from kg.nlp.vocab import load_vocab, vocabulary_digest
from kg.types import PaperRecord

ROOT = Path(__file__).resolve().parent.parent

# Invented names plus a few general ML ones. "Nimbus" spells two entries (a
# method and a model), so the order of entries sharing a spelling is exercised.
VOCAB = {
    "methods.tsv": "# name\taliases\tattrs\nNimbus\tNimbus-Net\nLoRA\tLow-Rank Adaptation\nknowledge distillation\n",
    "models.tsv": "Nimbus\nGPT-NeoQ\tNeoQ\tfamily=NeoQ\n",
    "datasets.tsv": "ImageNet\tImageNet-1k\nMATH\n",
    "tasks.tsv": "image classification\n",
    # every vocabulary file must hold an entry (a missing one is an install error)
    "hardware.tsv": "Quasar Q9 accelerator\n",
}

TEXTS = [
    ("Nimbus: distilling LoRA adapters",
     "We fine-tune Nimbus Net with low-rank adaptation on ImageNet-1k and report MATH scores; the math is easy."),
    ("GPT-NeoQ and NeoQ models", "Knowledge-distillation from GPT-NeoQ into nimbus nets helps image-classification."),
    ("NIMBUS", ""),
    ("", "imagenet images, IMAGENET labels and Image classification with neoq."),
]


@pytest.fixture
def vocab_dir(tmp_path) -> Path:
    d = tmp_path / "vocab"
    d.mkdir()
    for name, text in VOCAB.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("PAPERKG_CACHE_DIR", str(d))
    return d


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def docs(nlp):
    return [nlp.make_doc(f"{title}\n{abstract}") for title, abstract in TEXTS]


def per_entry_matches(nlp, entries) -> list[list[tuple[int, int, int]]]:
    """What the extractor matched before the tables: two PhraseMatchers, one id per entry."""
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    orth = PhraseMatcher(nlp.vocab, attr="ORTH")
    for i, entry in enumerate(entries):
        lower_forms, exact_forms = entry_forms(entry)
        if lower_forms:
            lower.add(f"V{i}", [nlp.tokenizer(v) for v in lower_forms])
        if exact_forms:
            orth.add(f"V{i}", [nlp.tokenizer(v) for v in exact_forms])
    index = {nlp.vocab.strings[f"V{i}"]: i for i in range(len(entries))}
    return [[(index[m], s, e) for matcher in (lower, orth) for m, s, e in matcher(doc)] for doc in docs(nlp)]


def table_matches(nlp, tables) -> list[list[tuple[int, int, int]]]:
    matcher = VocabMatcher(nlp.vocab, *tables)
    return [matcher(doc) for doc in docs(nlp)]


def test_computed_and_cached_tables_match_like_one_phrase_matcher_id_per_entry(nlp, vocab_dir, cache, monkeypatch):
    entries = load_vocab(vocab_dir)
    expected = per_entry_matches(nlp, entries)
    assert sum(map(len, expected)) > 10

    computed = load_tables(entries, nlp.tokenizer)
    assert list(cache.iterdir()) == [cache_file(cache_key(entries))]
    monkeypatch.setattr(phrases, "compute_tables", lambda *a: pytest.fail("cache not used"))
    cached = load_tables(entries, nlp.tokenizer)

    assert cached == computed
    assert table_matches(nlp, computed) == expected
    assert table_matches(nlp, cached) == expected
    # the shared spelling is reported in the matcher's order, which is not index order
    shared = [v for table in cached for v in table.values() if len(v) > 1]
    assert shared and any(list(v) != sorted(v) for v in shared)


def test_extraction_is_the_same_with_a_cold_a_warm_and_an_unusable_cache(vocab_dir, cache, tmp_path, monkeypatch):
    records = [PaperRecord(id=f"p{i}", title=t, abstract=a) for i, (t, a) in enumerate(TEXTS)]

    def extract():
        return [to_json(x) for x in Extractor(vocab_dir).extract_many(records)]

    cold = extract()
    assert any(cache.iterdir())
    warm = extract()
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("PAPERKG_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    uncached = extract()
    assert cold == warm == uncached
    assert {e["name"] for x in cold for e in x["entities"]} >= {"Nimbus", "LoRA", "GPT-NeoQ", "MATH", "ImageNet"}


def _damage_truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _damage_flip(data: bytes) -> bytes:
    return data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]


def _damage_foreign(data: bytes) -> bytes:
    payload = marshal.dumps(("another key", {}, {}))  # well-formed, checksum right, wrong content
    return hashlib.sha256(payload).digest() + payload


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_flip, _damage_foreign, lambda data: b""])
def test_a_corrupt_cache_file_is_ignored_and_rewritten(nlp, vocab_dir, cache, damage):
    entries = load_vocab(vocab_dir)
    good = load_tables(entries, nlp.tokenizer)
    key = cache_key(entries)
    path = cache_file(key)
    path.write_bytes(damage(path.read_bytes()))
    assert read_cached_tables(path, key) is None

    assert load_tables(entries, nlp.tokenizer) == good
    assert read_cached_tables(path, key) == good


def test_an_unwritable_cache_dir_still_gives_the_tables(nlp, vocab_dir, tmp_path, monkeypatch):
    # a path below a regular file cannot be created, even by root
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("PAPERKG_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    entries = load_vocab(vocab_dir)
    assert load_tables(entries, nlp.tokenizer) == compute_tables(entries, nlp.tokenizer)


def test_cache_dir_is_paperkg_cache_dir_else_xdg_cache_home_else_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERKG_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("PAPERKG_CACHE_DIR")
    assert cache_dir() == tmp_path / "xdg" / "paperkg"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == tmp_path / "home" / ".cache" / "paperkg"


def test_cache_key_and_vocabulary_digest_change_with_the_vocabulary(vocab_dir):
    key, digest = cache_key(load_vocab(vocab_dir)), vocabulary_digest(vocab_dir)
    assert (key, digest) == (cache_key(load_vocab(vocab_dir)), vocabulary_digest(vocab_dir))

    with (vocab_dir / "methods.tsv").open("a", encoding="utf-8") as fh:
        fh.write("QLoRA\n")
    assert cache_key(load_vocab(vocab_dir)) != key
    assert vocabulary_digest(vocab_dir) != digest

    changed = vocabulary_digest(vocab_dir)
    (vocab_dir / "tasks.tsv").unlink()
    assert vocabulary_digest(vocab_dir) != changed


def test_vocabulary_and_digest_load_without_spacy():
    code = ("import sys; from kg.nlp.vocab import vocabulary_digest; from kg.nlp import EXTRACTOR_VERSION; "
            "from kg.build import vocabulary_pairs; vocabulary_digest(); vocabulary_pairs(); "
            "assert 'spacy' not in sys.modules, 'spacy imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_a_build_writing_new_tables_prunes_all_but_the_recently_used_other_files(tmp_path):
    """Every vocabulary edit writes a new table file; `kg build` keeps the current one and the
    three most recently used others (other checkouts share the directory), and nothing else of it."""
    cache = tmp_path / "cache"
    cache.mkdir()
    stale = []
    for age in range(5):  # 5 others, the oldest last
        f = cache / f"vocab-tables-{age:040d}.bin"
        f.write_bytes(b"x" * 100)
        os.utime(f, (1_000_000 - age * 1000, 1_000_000 - age * 1000))
        stale.append(f)
    unrelated = cache / "notes.txt"
    unrelated.write_text("not a table file")
    os.utime(unrelated, (1, 1))
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x1", "title": "Quasar nets", "abstract": "We train Quasar nets on toy data."})
                   + "\n", encoding="utf-8")
    env = {**os.environ, "PAPERKG_CACHE_DIR": str(cache)}
    subprocess.run([sys.executable, "-m", "kg", "build", str(src), "-o", str(tmp_path / "out")],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    left = sorted(p.name for p in cache.iterdir())
    current = [n for n in left if n.startswith("vocab-tables-") and n not in {f.name for f in stale}]
    assert len(current) == 1, left
    assert left == sorted([*current, *(f.name for f in stale[:3]), "notes.txt"])
