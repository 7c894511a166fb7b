"""Golden records: every sample document (text and PDF) against its expected record beside it.
A failure lists each field that changed, with the expected and the extracted value."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES

from extractor import evaluate
from extractor.api import extract
from models import UrgentAction
from models.gold import load_gold

EXPECTED = sorted(SAMPLES.glob("*.expected.json"))
DOCS = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".pdf") and
              (SAMPLES / (p.stem + ".expected.json")).exists())


def test_every_sample_has_a_golden_record():
    stems = {p.stem for p in SAMPLES.iterdir() if p.suffix in (".txt", ".pdf")}
    assert stems == {p.name.removesuffix(".expected.json") for p in EXPECTED}
    assert len(DOCS) >= 7 and any(p.suffix == ".pdf" for p in DOCS)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_sample_matches_its_golden_record(doc: Path, settings):
    gold = load_gold(SAMPLES / (doc.stem + ".expected.json")).as_dict()
    gold["id"] = doc.stem
    record = extract(str(doc), settings)
    report = evaluate.score([gold], {doc.stem: record.model_dump(mode="json")})
    assert not report.misses, "\n".join(f"{f}: expected {g!r}, got {p!r}" for _, f, g, p in report.misses)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_value_has_evidence_in_the_text(doc: Path, settings):
    from extractor.ingest import read_path

    record = extract(str(doc), settings)
    text = read_path(str(doc)).text
    assert UrgentAction.model_validate_json(record.model_dump_json()) == record
    for ev in record.evidence:
        assert text[ev.start:ev.end] == ev.text, ev
        if doc.suffix == ".pdf":
            assert ev.page is not None and ev.bbox is not None, ev
    for name in ("ua_number", "ai_index", "issue_date", "appeal_deadline", "country"):
        if getattr(record, name) is not None:
            assert record.evidence_for(name), f"{name} has no evidence"
    for i, r in enumerate(record.recipients):
        assert record.evidence_for(f"recipients[{i}]"), r
