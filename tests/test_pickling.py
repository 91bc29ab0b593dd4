"""The stage records pickle to the same bytes as with ``dataclasses``' own state functions
(kg.types._fast_pickling): stored extractions of earlier builds stay readable and a rebuilt
store holds the same blobs."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from kg import types
from kg.types import Entity, FullText, Link, Mention, PaperExtraction, PaperRecord, Section, SkippedRecord


def _example() -> PaperExtraction:
    rec = PaperRecord(id="x1", title="Quasar nets", abstract="We train Quasar nets on toy data.", arxiv_id="2601.00001",
                      authors=("A. Writer", "B. Coder"), author_count=2, date="2026", categories=("cs.LG",),
                      source="in.jsonl", line=3, date_iso="2026-01-01",
                      fulltext=FullText(text="Intro text.", sections=(Section("introduction", "Intro", 0, 11),)))
    ent = Entity(name="Quasar net", type="Method", role="proposes", aliases=["Quasar nets"],
                 mentions=[Mention("Quasar nets", "title", 0, 11), Mention("Quasar nets", "abstract", 9, 20)],
                 attrs={"k": "v"}, evidence="We train Quasar nets on toy data.", rule="r")
    return PaperExtraction(rec, [ent], [Link("Quasar net", "TRAINED_ON", "toy data", rule="l")], [])


def _frozen_slots_classes() -> list[type]:
    return [c for c in vars(types).values() if isinstance(c, type) and dataclasses.is_dataclass(c)
            and c.__module__ == types.__name__ and getattr(c, "__slots__", None) is not None
            and c.__dataclass_params__.frozen]


def test_every_frozen_stage_record_pickles_to_the_bytes_of_dataclasses_own_state(monkeypatch):
    fast = pickle.dumps(_example(), protocol=pickle.HIGHEST_PROTOCOL)
    skipped = pickle.dumps(SkippedRecord("in.jsonl", 4, "bad"), protocol=pickle.HIGHEST_PROTOCOL)
    classes = _frozen_slots_classes()
    assert {PaperRecord, Mention, Section, FullText, SkippedRecord} <= set(classes)
    for cls in classes:
        monkeypatch.setattr(cls, "__getstate__", dataclasses._dataclass_getstate)
        monkeypatch.setattr(cls, "__setstate__", dataclasses._dataclass_setstate)
    assert pickle.dumps(_example(), protocol=pickle.HIGHEST_PROTOCOL) == fast
    assert pickle.dumps(SkippedRecord("in.jsonl", 4, "bad"), protocol=pickle.HIGHEST_PROTOCOL) == skipped
    assert pickle.loads(fast) == _example()  # what an older build stored reads back with the fast ones too


@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_a_pickled_extraction_reads_back_equal(protocol):
    ex = _example()
    back = pickle.loads(pickle.dumps(ex, protocol=protocol))
    assert back == ex and back.record.fulltext.sections[0].kind == "introduction"
