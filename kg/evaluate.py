"""Scoring of extracted entities, roles and links against gold, per shared/eval/GUIDE.md.

Matching (GUIDE): an extracted entity matches a gold entity when
``fold(extracted name)`` equals ``fold`` of the gold name or one of its
aliases (case, hyphens, spaces and a trailing plural "s" folded, see
:func:`kg.text.fold`) and the extracted type is among the gold ``types``.

Counting, per paper:

* Matching is one-to-one: each gold entity is claimed by at most one
  extracted entity and vice versa. Candidate pairs are taken in a fixed
  order (exact folded name before alias match, then extraction order), so the
  result does not depend on dict ordering. A second extracted entity that
  would match an already-claimed gold entity is a false positive (a
  duplicate), unless that gold entity is optional, in which case it is left
  out like any other match to an optional entity.
* Extracted entities matching an optional (``required: false``) gold entity
  are left out of both counts; unmatched extracted entities count against
  precision.
* Precision = matched extracted / counted extracted; recall = matched
  required / required; F1 = harmonic mean. Per type, an extracted entity
  counts under its own type, a required gold entity under the type the
  extraction gave it when matched, else under its first listed type.
* Roles: the same over (role, entity) pairs: a pair matches when the entity
  matches as above and the roles are equal.
* Links: (head, type, tail) triples; head and tail match a gold link's head
  and tail by folded name or by any alias of the gold entity of that name;
  one-to-one; all gold links are required.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.text import fold
from kg.types import ENTITY_TYPES


@dataclass
class PRF:
    tp_pred: int = 0  # matched extracted
    n_pred: int = 0  # counted extracted
    tp_gold: int = 0  # matched required
    n_gold: int = 0  # required

    @property
    def precision(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "PRF") -> None:
        self.tp_pred += other.tp_pred
        self.n_pred += other.n_pred
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched_extracted": self.tp_pred,
            "extracted": self.n_pred,
            "matched_required": self.tp_gold,
            "required": self.n_gold,
        }


@dataclass
class Report:
    entities: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    roles: PRF = field(default_factory=PRF)
    links: PRF = field(default_factory=PRF)
    papers: int = 0
    missing_predictions: int = 0
    errors: list[dict] = field(default_factory=list)

    def overall(self) -> PRF:
        tot = PRF()
        for t in self.entities.values():
            tot.add(t)
        return tot

    def as_dict(self) -> dict:
        return {
            "papers": self.papers,
            "missing_predictions": self.missing_predictions,
            "entities": {t: self.entities[t].as_dict() for t in ENTITY_TYPES if t in self.entities},
            "overall": self.overall().as_dict(),
            "roles": self.roles.as_dict(),
            "links": self.links.as_dict(),
        }


def _gold_forms(g: dict) -> set[str]:
    return {fold(g["name"])} | {fold(a) for a in g.get("aliases", [])}


def match_entities(pred: list[dict], gold: list[dict]) -> list[int | None]:
    """For each extracted entity, the index of the gold entity it is paired with (or None).

    Entities that match only an already-claimed gold entity get ``-1 - gi``
    (a duplicate of gold entity ``gi``).
    """
    forms = [_gold_forms(g) for g in gold]
    names = [fold(g["name"]) for g in gold]
    pairs = []
    for pi, p in enumerate(pred):
        fp = fold(p.get("name", ""))
        for gi, g in enumerate(gold):
            if p.get("type") in g.get("types", []) and fp in forms[gi]:
                pairs.append((0 if fp == names[gi] else 1, pi, gi))
    pairs.sort()
    out: list[int | None] = [None] * len(pred)
    claimed: set[int] = set()
    for _, pi, gi in pairs:
        if out[pi] is not None and out[pi] >= 0:
            continue
        if gi in claimed:
            if out[pi] is None:
                out[pi] = -1 - gi
            continue
        out[pi] = gi
        claimed.add(gi)
    return out


def score_paper(pred: dict, gold: dict, report: Report) -> None:
    pents = pred.get("entities", []) if pred else []
    gents = gold.get("entities", [])
    m = match_entities(pents, gents)
    matched_gold: dict[int, int] = {}
    for pi, gi in enumerate(m):
        p = pents[pi]
        t = p.get("type", "?")
        if gi is None:
            report.entities[t].n_pred += 1
            report.roles.n_pred += 1
            report.errors.append({"id": gold["id"], "kind": "false_positive", "name": p.get("name"), "type": t, "role": p.get("role")})
            continue
        g = gents[gi if gi >= 0 else -1 - gi]
        if not g.get("required", True):
            continue  # optional: left out of both counts (duplicates of optional too)
        if gi < 0:  # duplicate of a required entity already claimed
            report.entities[t].n_pred += 1
            report.roles.n_pred += 1
            report.errors.append({"id": gold["id"], "kind": "duplicate", "name": p.get("name"), "type": t})
            continue
        matched_gold[gi] = pi
        report.entities[t].n_pred += 1
        report.entities[t].tp_pred += 1
        report.roles.n_pred += 1
        if p.get("role") == g.get("role"):
            report.roles.tp_pred += 1
        else:
            report.errors.append({"id": gold["id"], "kind": "wrong_role", "name": p.get("name"), "role": p.get("role"), "gold_role": g.get("role")})
    for gi, g in enumerate(gents):
        if not g.get("required", True):
            continue
        if gi in matched_gold:
            p = pents[matched_gold[gi]]
            t = p.get("type")
            report.entities[t].n_gold += 1
            report.entities[t].tp_gold += 1
            report.roles.n_gold += 1
            if p.get("role") == g.get("role"):
                report.roles.tp_gold += 1
        else:
            t = g.get("types", ["?"])[0]
            report.entities[t].n_gold += 1
            report.roles.n_gold += 1
            report.errors.append({"id": gold["id"], "kind": "missed", "name": g["name"], "types": g.get("types"), "role": g.get("role")})
    # links
    alias_of: dict[str, set[str]] = {}
    for g in gents:
        f = _gold_forms(g)
        alias_of[fold(g["name"])] = f
    plinks = pred.get("links", []) if pred else []
    glinks = gold.get("links", [])
    claimed: set[int] = set()
    for pl in plinks:
        report.links.n_pred += 1
        h, tt, tl = fold(pl.get("head", "")), pl.get("type"), fold(pl.get("tail", ""))
        hit = None
        for li, gl in enumerate(glinks):
            if li in claimed or gl.get("type") != tt:
                continue
            hf = alias_of.get(fold(gl["head"]), {fold(gl["head"])})
            tf = alias_of.get(fold(gl["tail"]), {fold(gl["tail"])})
            if h in hf and tl in tf:
                hit = li
                break
        if hit is None:
            report.errors.append({"id": gold["id"], "kind": "false_link", "link": [pl.get("head"), tt, pl.get("tail")]})
        else:
            claimed.add(hit)
            report.links.tp_pred += 1
    for li, gl in enumerate(glinks):
        report.links.n_gold += 1
        if li in claimed:
            report.links.tp_gold += 1
        else:
            report.errors.append({"id": gold["id"], "kind": "missed_link", "link": [gl["head"], gl["type"], gl["tail"]]})


def evaluate(gold: Iterable[dict], pred: dict[str, dict]) -> Report:
    """Score predictions (by paper id) against gold papers."""
    rep = Report()
    for g in gold:
        rep.papers += 1
        p = pred.get(g["id"])
        if p is None:
            rep.missing_predictions += 1
            p = {"entities": [], "links": []}
        score_paper(p, g, rep)
    return rep


def predict_gold_papers(gold: list[dict], extractor=None) -> dict[str, dict]:
    """Run the extractor over the gold papers' title and abstract."""
    from kg.nlp import Extractor, to_json
    from kg.types import PaperRecord

    ex = extractor or Extractor()
    recs = [PaperRecord(id=g["id"], title=g.get("title", ""), abstract=g.get("abstract", "")) for g in gold]
    return {x.record.id: to_json(x) for x in ex.extract_many(recs)}


def format_table(report: Report) -> str:
    rows = [("type", "P", "R", "F1", "ext", "req")]
    for t in ENTITY_TYPES:
        if t in report.entities:
            s = report.entities[t]
            rows.append((t, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.n_pred), str(s.n_gold)))
    for label, s in (("overall", report.overall()), ("roles", report.roles), ("links", report.links)):
        rows.append((label, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.n_pred), str(s.n_gold)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(widths[j]) if j == 0 else c.rjust(widths[j]) for j, c in enumerate(r)))
        if i == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


# ---------------------------------------------------------------- which predictions score which gold paper


class EvaluationInputError(ValueError):
    """The gold file, the predictions or the split cannot be scored as asked (one line for the user)."""


@dataclass(frozen=True)
class Split:
    """Every N-th gold paper apart: the papers whose 1-based record number (the line number
    in a file without blank lines) leaves remainder K when divided by N. ``0/5`` is lines
    5, 10, 15, …; ``1/5`` is lines 1, 6, 11, …."""

    k: int
    n: int

    @classmethod
    def parse(cls, spec: str) -> "Split":
        k, sep, n = spec.partition("/")
        try:
            split = cls(int(k), int(n))
        except ValueError:
            split = None
        if not sep or split is None or split.n < 2 or not 0 <= split.k < split.n:
            raise EvaluationInputError(f"--split {spec!r}: expected K/N with N >= 2 and 0 <= K < N, e.g. 0/5")
        return split

    def selects(self, number: int) -> bool:
        return number % self.n == self.k

    def parts(self, gold: list[dict]) -> tuple[list[dict], list[dict]]:
        """(the split's papers, the rest), each in file order."""
        chosen = [g for i, g in enumerate(gold, 1) if self.selects(i)]
        rest = [g for i, g in enumerate(gold, 1) if not self.selects(i)]
        return chosen, rest

    def describe(self) -> str:
        first = self.k or self.n
        return f"split {self.k}/{self.n} (gold lines {first}, {first + self.n}, {first + 2 * self.n}, …)"


def record_id(gold: dict) -> str:
    """The id the input readers give a paper with this gold line's id and title (arXiv id,
    DOI, else a hash of the folded title), so predictions made by ``kg extract`` from the
    gold file, or from the papers' own records, find their gold line."""
    from kg.sources._records import clean, identity, normalise_doi, parse_arxiv_id

    gid = gold.get("id")
    return identity(parse_arxiv_id(gid), normalise_doi(gid), clean(gold.get("title", "")))


def align(gold: list[dict], pred: dict[str, dict]) -> dict[str, dict]:
    """Predictions keyed by gold id: matched by the gold id itself, else by :func:`record_id`."""
    out: dict[str, dict] = {}
    for g in gold:
        p = pred.get(g["id"])
        if p is None:
            p = pred.get(record_id(g))
        if p is not None:
            out[g["id"]] = p
    return out


def check_coverage(gold: list[dict], aligned: dict[str, dict], n_pred: int) -> None:
    """Raise :class:`EvaluationInputError` unless every gold paper has a prediction."""
    missing = [g["id"] for g in gold if g["id"] not in aligned]
    if not missing:
        return
    if len(missing) == len(gold):
        raise EvaluationInputError(
            f"the predictions ({n_pred} papers) share no paper with the gold file ({len(gold)} papers); "
            "papers are matched by id, or by the id the readers derive from the title"
        )
    raise EvaluationInputError(
        f"the predictions cover only {len(gold) - len(missing)} of {len(gold)} gold papers "
        f"({len(missing)} missing, first {missing[0]}); --allow-missing scores the missing ones as empty"
    )


def _numbered_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of a text file; a binary or non-UTF-8 file is an
    EvaluationInputError naming it (a user's mistake, not a traceback)."""
    try:
        with open(path, encoding="utf-8") as fh:
            yield from enumerate(fh, 1)
    except UnicodeDecodeError:
        raise EvaluationInputError(f"{path}: not UTF-8 text (a binary file?); expected JSON Lines") from None


def _json_lines(path: str | Path) -> Iterator[tuple[int, object]]:
    """(line number, parsed value) of every non-blank line of a JSON Lines file; a line that is
    not JSON is an EvaluationInputError naming file and line."""
    for n, line in _numbered_lines(path):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvaluationInputError(f"{path}:{n}: not JSON ({exc.msg})") from None


def read_gold(path: str | Path) -> list[dict]:
    """Gold papers of a GUIDE.md file; a line that is not a JSON object with an ``id`` is an error."""
    out = []
    for n, obj in _json_lines(path):
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            raise EvaluationInputError(f"{path}:{n}: a gold line is a JSON object with a string \"id\"")
        out.append(obj)
    return out


def read_predictions(path: str | Path) -> dict[str, dict]:
    """A papers.jsonl-style file, by paper id (lines without a string ``id`` are ignored)."""
    return {obj["id"]: obj for _n, obj in _json_lines(path) if isinstance(obj, dict) and isinstance(obj.get("id"), str)}


def predict_inputs(inputs: list[str | Path], input_format: str | None = None) -> dict[str, dict]:
    """Run the extractor over the records of ``inputs`` (files or directories, any input format)."""
    from kg.build import extract_records
    from kg.nlp import to_json
    from kg.sources import read_inputs

    records = read_inputs([str(p) for p in inputs], input_format=input_format)
    return {x.record.id: to_json(x) for x in extract_records(records)}


@dataclass
class Scored:
    """The reports of one ``kg evaluate`` run: all gold papers, or a split and the rest."""

    reports: list[tuple[str, Report]]
    split: Split | None = None

    def as_dict(self) -> dict:
        if self.split is None:
            return self.reports[0][1].as_dict()
        return {"split": f"{self.split.k}/{self.split.n}", **{label: rep.as_dict() for label, rep in self.reports}}

    def errors(self) -> list[dict]:
        if self.split is None:
            return self.reports[0][1].errors
        return [{**e, "part": label} for label, rep in self.reports for e in rep.errors]

    #: column names of :meth:`rows`
    ROW_HEADER = ["part", "what", "precision", "recall", "f1", "matched_extracted", "extracted", "matched_required", "required"]

    def rows(self) -> list[list]:
        """One row per part (``all``, or ``selected`` and ``rest``) and per scored item: each entity
        type, ``overall``, ``roles``, ``links``; columns :attr:`ROW_HEADER`."""
        out: list[list] = []
        for label, rep in self.reports:
            items = [(t, rep.entities[t]) for t in ENTITY_TYPES if t in rep.entities]
            items += [("overall", rep.overall()), ("roles", rep.roles), ("links", rep.links)]
            for what, prf in items:
                d = prf.as_dict()
                out.append([label, what, *(d[k] for k in self.ROW_HEADER[2:])])
        return out

    def table(self) -> str:
        if self.split is None:
            return format_table(self.reports[0][1])
        titles = {"selected": self.split.describe(), "rest": "the rest"}
        return "\n\n".join(f"{titles[label]}: {rep.papers} papers\n{format_table(rep)}" for label, rep in self.reports)


def score(
    gold: list[dict],
    pred: dict[str, dict] | None = None,
    split: Split | None = None,
    allow_missing: bool = False,
) -> Scored:
    """Score ``pred`` (by paper id; default: the extractor run on the gold papers' own
    texts) against ``gold``, whole or as ``split`` and the rest."""
    if not gold:
        raise EvaluationInputError("the gold file holds no paper")
    if pred is None:
        aligned = predict_gold_papers(gold)
    else:
        aligned = align(gold, pred)
        if not allow_missing:
            check_coverage(gold, aligned, len(pred))
    if split is None:
        return Scored([("all", evaluate(gold, aligned))])
    chosen, rest = split.parts(gold)
    return Scored([("selected", evaluate(chosen, aligned)), ("rest", evaluate(rest, aligned))], split)
