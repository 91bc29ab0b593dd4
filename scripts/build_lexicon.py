#!/usr/bin/env python3
"""Derive kg/nlp/data/lexicon.tsv, the part-of-speech table of the lower-case phrase chunker, from WordNet.

usage: python scripts/build_lexicon.py [--wordnet /usr/share/wordnet] [-o kg/nlp/data/lexicon.tsv]

Run at development time only (``apt-get install wordnet-base`` gives the WordNet 3.0 database files); the
extractor reads the shipped table and never needs WordNet. The table keeps only the words whose part of
speech bounds a noun phrase, since every other word (nouns, adjectives and the many technical words WordNet
lacks) may stand in one:

* ``v``: a verb form (base, -s, -ed, -ing and the irregular forms of verb.exc) of a lemma whose verb senses
  outnumber its noun and adjective senses in WordNet's tagged-sense counts (cntlist.rev) at least twice, or
  that has no noun or adjective reading at all; a form that is itself a noun or an adjective in WordNet
  ("learning"; "trained" as an adjective is still left to the extractor's participle rule) is left out, and
  so is the -ing form of a lemma that is also a noun ("filtering" names the act);
* ``n``: an action noun, whose most frequent sense is an act or a process and which is derived from a verb
  ("selection", "filtering"), and its plural: a head of the kind of Method and Task phrases name;
* (a verb form that is a word of a name in the project's vocabulary, ``kg/ontology/vocab``, is left out:
  "prompt", "merge" and "transform" are nouns in this register; rebuild the table when the vocabulary grows)
* ``r``: an adverb (not ending in -ly: the extractor's suffix rule takes those) that has no noun or
  adjective reading that outweighs it.

WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved (WordNet licence, BSD-like:
permission to use, copy, modify and distribute for any purpose without fee, keeping this notice).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kg.nlp.words import inflections  # noqa: E402  (the repository's own spelling rules)

_POS = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
_WORD = re.compile(r"[a-z][a-z\-]*[a-z]")
#: a lemma's verb senses must outweigh its noun and adjective ones this many times to make it a verb
DOMINANCE = 3.0

HEADER = """\
# Part-of-speech boundaries of lower-case noun phrases (kg/nlp/lexicon.py): word<TAB>v (a verb form), r (an adverb)
# or n (an action noun: a phrase head).
# Derived by scripts/build_lexicon.py from WordNet 3.0 (Debian package wordnet-base): only words whose verb or
# adverb reading dominates (less the words of the vocabulary's names), and action nouns; every word not listed
# as v or r may stand in a noun phrase.
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# WordNet licence: permission to use, copy, modify and distribute this software and database and its
# documentation for any purpose and without fee or royalty is hereby granted, provided that the copyright notice
# and statements, including the disclaimer, appear on all copies. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS"
# AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED (in full: kg/nlp/data/LICENSE-WordNet.txt).
"""


def index_lemmas(wn: Path, pos: str) -> set[str]:
    out = set()
    for line in (wn / f"index.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        lemma = line.split(" ", 1)[0]
        if _WORD.fullmatch(lemma):
            out.add(lemma)
    return out


def sense_counts(wn: Path) -> dict[tuple[str, str], int]:
    """(lemma, pos) -> tagged-sense count summed over the lemma's senses."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for line in (wn / "cntlist.rev").read_text(encoding="latin-1").splitlines():
        key, _num, cnt = line.split()
        lemma, _, rest = key.partition("%")
        counts[lemma, _POS[rest[0]]] += int(cnt)
    return counts


#: WordNet lexicographer files of acts and processes (lexnames): noun.act, noun.process
_ACT_FILES = {"04", "22"}


def action_nouns(wn: Path) -> set[str]:
    """Single-word nouns whose most frequent sense is an act or a process and that are derived from a verb
    (a "+" pointer): "selection", "filtering", "construction" name something done."""
    lexfile = {}
    for line in (wn / "data.noun").read_text(encoding="latin-1").splitlines():
        if not line.startswith(" "):
            off, filenum = line.split(" ", 2)[:2]
            lexfile[off] = filenum
    out = set()
    for line in (wn / "index.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        lemma, p_cnt = parts[0], int(parts[3])
        ptrs, offsets = parts[4 : 4 + p_cnt], parts[6 + p_cnt :]
        if _WORD.fullmatch(lemma) and "+" in ptrs and offsets and lexfile.get(offsets[0]) in _ACT_FILES:
            out.add(lemma)
    return out


def forms(verb: str) -> set[str]:
    """A regular verb's forms (kg.nlp.words.inflections), and those with a doubled final consonant ("admitted")."""
    out = inflections(verb)
    if re.search(r"[^aeiou][aeiou][bdgkmnprt]$", verb):
        out |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return out


def vocabulary_words(vocab: Path) -> set[str]:
    """The lower-cased words of every name and alias of the project's vocabulary (``kg/ontology/vocab``): in
    this register they are nouns or modifiers ("prompt", "transform", "merge"), whatever WordNet's counts say."""
    out = set()
    for f in sorted(vocab.glob("*.tsv")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            for name in [cols[0], *(cols[1].split("|") if len(cols) > 1 and cols[1] else [])]:
                out.update(w.lower() for w in re.split(r"[\s/()]+", name) if w)
    return out


def build(wn: Path, vocab: Path) -> dict[str, str]:
    nouns, verbs, adjs, advs = (index_lemmas(wn, p) for p in ("noun", "verb", "adj", "adv"))
    counts = sense_counts(wn)
    irregular: dict[str, set[str]] = defaultdict(set)
    for line in (wn / "verb.exc").read_text(encoding="latin-1").splitlines():
        form, lemma = line.split()[:2]
        irregular[lemma].add(form)

    def other(w: str) -> int:
        return counts.get((w, "n"), 0) + counts.get((w, "a"), 0)

    known = vocabulary_words(vocab)
    table: dict[str, str] = {}
    for v in sorted(verbs):
        vc = counts.get((v, "v"), 0)
        nominal = v in nouns or v in adjs
        if nominal and (other(v) == 0 or vc < DOMINANCE * other(v)):
            continue  # a noun or adjective as much as a verb, or one whose readings were never counted
            # ("design" is left to words.toml noun_verbs; "prompt" has no tagged noun sense, still a noun)
        if not nominal and vc == 0:
            continue  # a rare verb-only lemma: not worth its line
        for f in forms(v) | irregular.get(v, set()):
            if f.endswith("ing"):
                continue  # an -ing form names the act as often as it is a verb ("embedding", "filtering"):
                # the verbs among them are words.toml's (kg.nlp.words.verb_gerunds)
            if f not in known and (f == v or (f not in nouns and f not in adjs)):
                table[f] = "v"
    for r in sorted(advs):
        if r.endswith("ly") or r in table or r in known:
            continue
        rc = counts.get((r, "r"), 0)
        if (r in nouns or r in adjs) and rc < DOMINANCE * other(r):
            continue
        if rc == 0 and (r in nouns or r in adjs):
            continue
        table[r] = "r"
    for n in action_nouns(wn):
        for f in (n, n + "es" if n.endswith(("s", "sh", "ch", "x", "z")) else n + "s"):
            table.setdefault(f, "n")
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    root = Path(__file__).resolve().parent.parent
    ap.add_argument("--vocab", type=Path, default=root / "kg/ontology/vocab")
    ap.add_argument("-o", "--output", type=Path, default=Path(__file__).resolve().parent.parent / "kg/nlp/data/lexicon.tsv")
    a = ap.parse_args()
    table = build(a.wordnet, a.vocab)
    with a.output.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for w in sorted(table):
            fh.write(f"{w}\t{table[w]}\n")
    print(f"{a.output}: {len(table)} words")


if __name__ == "__main__":
    main()
