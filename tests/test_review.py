"""extractor.review: a reviewer's verdicts -> a gold file in the GOLD-GUIDE format, and back."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES

from extractor.api import extract, extract_text
from extractor.review import (
    GOLD_KEYS,
    RECIPIENT_KEYS,
    load_gold,
    record_to_gold,
    validate_gold,
    verdicts_to_gold,
    write_gold,
)
from models import UrgentAction

STEM = "ua-212-03-asa330402003"


@pytest.fixture(scope="module")
def record(settings) -> UrgentAction:
    return extract(str(SAMPLES / f"{STEM}.txt"), settings)


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((SAMPLES / f"{STEM}.expected.json").read_text(encoding="utf-8"))


def test_gold_has_exactly_the_guides_keys(record: UrgentAction, expected: dict) -> None:
    gold = verdicts_to_gold(record, {"ua_number": {"ok": True}})
    assert list(gold) == list(expected) == list(GOLD_KEYS)  # same keys, same order as the samples' gold files
    for r in gold["recipients"]:
        assert list(r) == list(RECIPIENT_KEYS) == list(expected["recipients"][0])
    assert gold["id"] == STEM and gold["graded"] == ["ua_number"] and gold["notes"] == ""


def test_every_sample_gold_file_validates() -> None:
    files = sorted(SAMPLES.glob("*.expected.json"))
    assert files
    for f in files:
        validate_gold(json.loads(f.read_text(encoding="utf-8")))


def test_verdicts_reproduce_the_expected_record(record: UrgentAction, expected: dict, tmp_path: Path) -> None:
    """Accept what the extractor got right and correct the rest: the result is the sample's gold."""
    # spoil a few values, so corrections are exercised however good the extractor has become
    spoilt = record.model_copy(update={"ua_number": "1/99", "appeal_deadline": None, "subjects": record.subjects[:1]})
    extracted = record_to_gold(spoilt)
    verdicts = {f: {"ok": True} if extracted[f] == expected[f] else {"ok": False, "correction": expected[f]}
                for f in expected["graded"]}
    assert sum(not v["ok"] for v in verdicts.values()) >= 3
    gold = verdicts_to_gold(spoilt, verdicts, notes=expected["notes"])
    assert gold == expected
    path = write_gold(gold, tmp_path / "gold")
    assert path == tmp_path / "gold" / f"{STEM}.json"
    assert load_gold(path) == gold == json.loads(path.read_text(encoding="utf-8"))
    assert path.read_text(encoding="utf-8").endswith("}\n")
    assert [p.name for p in (tmp_path / "gold").iterdir()] == [f"{STEM}.json"]  # no temp file left behind


def test_written_gold_is_read_by_eval(record: UrgentAction, tmp_path: Path) -> None:
    evaluate = pytest.importorskip("extractor.evaluate")
    gold = verdicts_to_gold(record, {"ua_number": {"ok": True}, "ai_index": {"ok": True},
                                     "appeal_deadline": {"ok": False, "correction": "2003-09-01"}})
    write_gold(gold, tmp_path)
    golds = evaluate.load_gold(tmp_path)
    assert [g["id"] for g in golds] == [STEM]
    report = evaluate.score(golds, {STEM: record.model_dump(mode="json")})
    assert report.fields["ua_number"].tp == 1 and report.fields["ai_index"].tp == 1
    assert report.fields["appeal_deadline"].tp == 0  # the correction is what eval now expects


def test_corrections_are_normalised_and_checked(record: UrgentAction) -> None:
    import datetime as dt

    gold = verdicts_to_gold(record, {
        "issue_date": {"ok": False, "correction": dt.date(2003, 7, 18)},
        "subjects": {"ok": False, "correction": [" Farooq Ahmed Baloch ", "Nasreen Bibi"]},
        "recipients.fax": {"ok": False, "correction": [["+92519202624"], "+92819201868", []]},
        "recipients.salutation": {"ok": True},
        "update_number": {"ok": False, "correction": None},
    })
    assert gold["issue_date"] == "2003-07-18"
    assert gold["subjects"] == ["Farooq Ahmed Baloch", "Nasreen Bibi"]
    assert [r["fax"] for r in gold["recipients"]] == [["+92519202624"], ["+92819201868"], []]
    assert gold["graded"] == ["update_number", "issue_date", "subjects", "recipients.fax", "recipients.salutation"]


@pytest.mark.parametrize("verdicts, message", [
    ({"colour": {"ok": True}}, "cannot judge colour"),
    ({"ua_number": {"ok": False}}, "needs a 'correction'"),
    ({"ua_number": {"ok": True, "correction": "1/23"}}, "with a correction"),
    ({"ua_number": "yes"}, "a verdict is"),
    ({"ua_number": {"ok": False, "correction": "57-16"}}, "canonical N/YY"),
    ({"issue_date": {"ok": False, "correction": "18 July 2003"}}, "ISO date"),
    ({"kind": {"ok": False, "correction": "appeal"}}, "kind"),
    ({"recipients.fax": {"ok": False, "correction": [["+1"]]}}, "one value per recipient"),
    ({"recipients": {"ok": False, "correction": [{"name": "X", "role": "boss"}]}}, "role"),
    ({"recipients": {"ok": False, "correction": [{"name": "X", "fax": ["0207 123"]}]}}, "E.164"),
    ({"subjects": {"ok": False, "correction": "Nasreen Bibi"}}, "list of non-empty strings"),
])
def test_bad_verdicts_are_refused_with_a_reason(record: UrgentAction, verdicts: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        verdicts_to_gold(record, verdicts)


def test_recipients_correction_fills_missing_parts(record: UrgentAction) -> None:
    gold = verdicts_to_gold(record, {"recipients": {"ok": False, "correction": [
        {"name": "Shaukat Ali Mirza", "fax": ["+92519202624"]}]}})
    assert gold["recipients"] == [{"name": "Shaukat Ali Mirza", "title": None, "organization": None,
                                   "role": "addressee", "address": [],
                                   "fax": ["+92519202624"], "phone": [], "email": [], "salutation": None}]


def test_id_must_be_a_safe_file_stem(settings, tmp_path: Path) -> None:
    rec = extract_text("UA 57/16 Index: EUR 46/3643/2016 Russian Federation Date: 1 April 2016\n", settings=settings)
    with pytest.raises(ValueError, match="doc_id"):
        verdicts_to_gold(rec, {"ua_number": {"ok": True}})  # path "<text>" has no file stem
    gold = verdicts_to_gold(rec, {"ua_number": {"ok": True}}, doc_id="pasted-ua-57-16")
    assert write_gold(gold, tmp_path).name == "pasted-ua-57-16.json"
    for evil in ("../escape", "/abs", "..", "a/b"):
        with pytest.raises(ValueError, match="file stem"):
            write_gold({**gold, "id": evil}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pasted-ua-57-16.json"]


def test_unknown_or_missing_keys_are_refused(record: UrgentAction) -> None:
    gold = verdicts_to_gold(record, {})
    with pytest.raises(ValueError, match="unknown keys: extra"):
        validate_gold({**gold, "extra": 1})
    with pytest.raises(ValueError, match="missing keys: notes"):
        validate_gold({k: v for k, v in gold.items() if k != "notes"})
