"""models.io (one reader of records and error lines) and models.gold (one loader of gold files)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

from models import ErrorEntry, Source, UrgentAction
from models.gold import Gold, load_gold, load_gold_folder
from models.io import JsonlError, errors_path, is_error_line, parse_line, read_jsonl, read_results

RECORD = UrgentAction(source=Source(path="a.txt", sha256="a" * 64, media_type="text/plain", chars=3),
                      kind="other", language="en")
ERROR = ErrorEntry(path="b.pdf", sha256="b" * 64, error="corrupt_pdf", reason="broken")


def test_reader_tells_records_from_error_lines(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    # an error whose reason mentions "source" and a record whose title says "error" are still told apart
    rec = RECORD.model_copy(update={"title": '"error": "x"'})
    err = ERROR.model_copy(update={"reason": 'no "source" here'})
    out.write_text(f"{rec.model_dump_json()}\n\n{err.model_dump_json()}\n  \n", encoding="utf-8")
    assert list(read_jsonl(out)) == [(1, rec), (3, err)]
    errors_path(out).write_text(ERROR.model_dump_json() + "\n", encoding="utf-8")
    assert read_results(out) == [rec, err, ERROR]
    assert errors_path(out) == tmp_path / "out.errors.jsonl"
    assert is_error_line({"error": "x"}) and not is_error_line({"error": "x", "source": {}})
    assert parse_line("") is None and parse_line(RECORD.model_dump_json().encode()) == RECORD


@pytest.mark.parametrize("content, message", [
    (b'{"kind": "urgent_action"}\n', r"x\.jsonl:1: not a valid UrgentAction record: source"),
    (b'{"error": "corrupt_pdf"}\n', r"x\.jsonl:1: not a valid error entry: path"),
    (b'{"truncated": \n', r"x\.jsonl:1: not JSON"),
    (b"\n\xff\xfe\n", r"x\.jsonl:2: not UTF-8"),
])
def test_reader_names_the_bad_line(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "x.jsonl"
    p.write_bytes(content)
    with pytest.raises(JsonlError, match=message) as info:
        list(read_jsonl(p))
    assert info.value.path == str(p) and info.value.line >= 1


def test_every_gold_file_of_the_project_loads() -> None:
    folders = [SAMPLES, *sorted(p / "gold" for p in (ROOT / "tests").glob("heldout*") if (p / "gold").is_dir())]
    golds = [g for f in folders for g in load_gold_folder(f)]
    assert len(golds) >= 7 + 12 * (len(folders) - 1)
    assert all(isinstance(g, Gold) for g in golds)
    sample = load_gold(SAMPLES / "ua-057-16-eur4636432016.expected.json")
    assert sample.as_dict() == json.loads((SAMPLES / "ua-057-16-eur4636432016.expected.json").read_text("utf-8"))


@pytest.mark.parametrize("change, message", [
    ({"ua_number": "57-16"}, "ua_number: ua_number '57-16' is not canonical N/YY"),
    ({"issue_date": "1 April 2016"}, "issue_date: issue_date '1 April 2016' is not an ISO date"),
    ({"update_number": "2"}, "update_number"),
    ({"update_number": True}, "update_number"),
    ({"dates": ["2016-13-01"]}, "not an ISO date"),
    ({"graded": ["colour"]}, "graded lists only fields of"),
    ({"extra": 1}, "unknown keys: extra"),
    ({"id": "../x"}, "is not a file stem"),
])
def test_gold_model_refuses_with_the_guides_words(tmp_path: Path, change: dict, message: str) -> None:
    data = json.loads((SAMPLES / "ua-057-16-eur4636432016.expected.json").read_text("utf-8"))
    p = tmp_path / f"{data['id']}.json"
    p.write_text(json.dumps({**data, **change}), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_gold(p)


def test_gold_folder_checks_ids_against_file_names(tmp_path: Path) -> None:
    data = json.loads((SAMPLES / "ua-057-16-eur4636432016.expected.json").read_text("utf-8"))
    (tmp_path / "other.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "not-gold.json").write_text("{}", encoding="utf-8")  # no "graded": not a gold file
    with pytest.raises(ValueError, match="is not the file's stem 'other'"):
        load_gold_folder(tmp_path)
