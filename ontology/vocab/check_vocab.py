#!/usr/bin/env python3
"""Validate the vocabulary TSV files (stdlib only).

Checks:
  * format: 1-3 tab-separated columns, non-empty name, no stray whitespace,
    non-empty `|`-separated aliases, `key=value;key=value` attrs;
  * counts entries per file;
  * duplicate folded surface forms (names and aliases) within and across files,
    where fold = kg.text.fold: casefold, drop separators, drop a lower-case final 's';
  * risky aliases: very short forms and common English words.

Usage: python3 check_vocab.py [--quiet] [DIR]
Exit status 1 when there are format errors or duplicate folded forms.
"""
import os
import re
import sys
import unicodedata
from collections import defaultdict

FILES = [
    ("methods.tsv", "Method"),
    ("models.tsv", "Model"),
    ("datasets.tsv", "Dataset"),
    ("hardware.tsv", "Hardware"),
    ("tasks.tsv", "Task"),
]
HEADER = "# name\taliases\tattrs"
ATTR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=[^;=]+$")
# everyday words that must never be a surface form on their own
STOPWORDS = {
    "it", "all", "map", "an", "a", "the", "is", "as", "at", "be", "by", "do",
    "go", "in", "of", "on", "or", "so", "to", "up", "us", "we", "can", "may",
    "one", "set", "see", "use", "way", "new", "key", "top", "run", "net",
    "art", "aim", "air", "arm", "bag", "bin", "box", "car", "cat", "cue",
    "dog", "ear", "eye", "fit", "gap", "hat", "hot", "ice", "joy", "kid",
    "lab", "law", "log", "low", "man", "max", "min", "mix", "mode", "pin",
    "pop", "pro", "raw", "red", "rig", "row", "sum", "tag", "tap", "tip",
    "toy", "van", "war", "web", "win", "yes", "not", "and", "for", "but",
    "cost", "fast", "flow", "lead", "less", "long", "mean", "more", "most",
    "next", "open", "over", "part", "plan", "play", "real", "rest", "same",
    "self", "show", "some", "such", "take", "test", "that", "them", "then",
    "this", "time", "turn", "very", "what", "when", "will", "with", "work",
}


_SEP = re.compile(r"[\s\-‐‑‒–—_/·.]+")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def fold(name, keep_decimals=True):
    """The matcher's fold (kg.text.fold, GUIDE.md): case, spaces, hyphens and
    other separators fold away, and only a lower-case final "s" is a plural
    ("GPUs" = "GPU", but "NVIDIA L40S" and "NAS" keep their capital S).
    A decimal point is kept unless ``keep_decimals`` is false: "OPT-1.3B" and
    "OPT-13B" are two models (kg.text.fold conflates them: reported apart)."""
    raw = unicodedata.normalize("NFKC", name).strip()
    folded = raw.casefold()
    if keep_decimals:
        folded = _DECIMAL.sub("\x00", folded)
    s = _SEP.sub("", folded).replace("\x00", ".")
    if len(s) >= 3 and raw.endswith("s") and not s.endswith("ss"):
        s = s[:-1]
    return s


def check(directory, quiet=False):
    errors, warnings = [], []
    counts = {}
    forms = defaultdict(list)  # fold -> [(file, line, entry name, form)]
    for fname, _etype in FILES:
        path = os.path.join(directory, fname)
        if not os.path.exists(path):
            errors.append(f"{fname}: missing")
            continue
        n = 0
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        if not lines or lines[0] != HEADER:
            errors.append(f"{fname}:1: header must be {HEADER!r}")
        for lineno, raw in enumerate(lines, 1):
            if raw.endswith("\r"):
                errors.append(f"{fname}:{lineno}: CRLF line ending")
                raw = raw[:-1]
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            cols = raw.split("\t")
            where = f"{fname}:{lineno}"
            if len(cols) > 3:
                errors.append(f"{where}: {len(cols)} columns (max 3)")
                continue
            while len(cols) < 3:
                cols.append("")
            name, aliases, attrs = cols
            if not name or name != name.strip():
                errors.append(f"{where}: empty name or stray whitespace {name!r}")
                continue
            n += 1
            entry_forms = [name]
            if aliases:
                for a in aliases.split("|"):
                    if not a or a != a.strip():
                        errors.append(f"{where}: empty alias or stray whitespace in {aliases!r}")
                        continue
                    entry_forms.append(a)
            if attrs:
                for kv in attrs.split(";"):
                    if not ATTR_RE.match(kv):
                        errors.append(f"{where}: bad attr {kv!r}")
            seen = {}
            for form in entry_forms:
                f = fold(form)
                if not f:
                    errors.append(f"{where}: form {form!r} folds to nothing")
                    continue
                if f in seen:
                    warnings.append(f"{where}: redundant form {form!r} (same fold as {seen[f]!r})")
                    continue
                seen[f] = form
                forms[f].append((fname, lineno, name, form))
                if form.casefold() in STOPWORDS:
                    errors.append(f"{where}: form {form!r} is a common English word")
                if form is not name and len(f) <= 2:
                    warnings.append(f"{where}: very short alias {form!r}")
        counts[fname] = n

    loose = defaultdict(set)
    for f, occ in forms.items():
        for o in occ:
            loose[fold(o[3], keep_decimals=False)].add((f, o[0], o[2]))
    for lf, group in sorted(loose.items()):
        if len({g[0] for g in group}) > 1:
            names = "; ".join(sorted(f"{g[1]} {g[2]!r}" for g in group))
            warnings.append(f"kg.text.fold conflates decimal and plain numbers {lf!r}: {names}")

    dups = 0
    for f, occ in sorted(forms.items()):
        if len(occ) > 1:
            dups += 1
            scope = "across files" if len({o[0] for o in occ}) > 1 else "within file"
            desc = "; ".join(f"{o[0]}:{o[1]} {o[2]!r} via {o[3]!r}" for o in occ)
            errors.append(f"duplicate fold {f!r} {scope}: {desc}")

    for e in errors:
        print("ERROR", e)
    if not quiet:
        for w in warnings:
            print("WARN ", w)
    total = 0
    for fname, etype in FILES:
        c = counts.get(fname, 0)
        total += c
        print(f"{fname:14s} {etype:9s} {c:6d}")
    print(f"{'total':24s} {total:6d}")
    print(f"{len(errors)} errors ({dups} duplicate folds), {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--quiet"]
    d = args[0] if args else os.path.dirname(os.path.abspath(__file__))
    sys.exit(check(d, quiet="--quiet" in sys.argv[1:]))
