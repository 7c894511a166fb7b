"""The public text accessor and source finding (issue 14): a record's document is found wherever the
records are read, and its text is what the evidence offsets point into."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES

import extractor
from models import UrgentAction, read_jsonl


def _records(path: Path) -> list[UrgentAction]:
    return [r for _, r in read_jsonl(path) if isinstance(r, UrgentAction)]


def _check_offsets(record: UrgentAction, text: str) -> None:
    assert len(text) == record.source.chars
    assert record.evidence or record.kind == "other"  # the newsletter sample has no values to cite
    for ev in record.evidence:
        assert text[ev.start:ev.end] == ev.text, ev
    for m in record.mentions.persons:
        assert text[m.start:m.end] == m.text, m


def test_read_gives_text_and_page_boxes() -> None:
    doc = extractor.read(SAMPLES / "ua-212-03-asa330402003.pdf")
    assert "Farooq Ahmed Baloch" in doc.text and doc.pages == 2
    start = doc.text.index("Farooq Ahmed Baloch")
    page, bbox = doc.locate(start, start + 19)
    assert page == 1 and bbox is not None


def test_quickstart_records_found_from_another_directory(quickstart_jsonl: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths relative to the project ('samples/...'), read from notebooks/ (as Jupyter runs there)."""
    monkeypatch.chdir(ROOT / "notebooks")
    records = _records(quickstart_jsonl)
    assert records and all(r.source.path.startswith("samples/") for r in records)
    for r in records:
        assert extractor.locate_source(r) == (ROOT / r.source.path).resolve()
        _check_offsets(r, extractor.document_text(r))


def test_records_made_elsewhere_are_found_beside_the_records_file(elsewhere_jsonl: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Extracted in SITE as 'docs/...', written to SITE/out/records.jsonl, read from the project:
    found through the records file's folder's parent, not the current directory."""
    monkeypatch.chdir(ROOT / "notebooks")
    records = _records(elsewhere_jsonl)
    assert records and all(r.source.path.startswith("docs/") for r in records)
    assert extractor.locate_source(records[0]) == Path(records[0].source.resolved)  # where it was read
    older = records[0].model_copy(update={"source": records[0].source.model_copy(update={"resolved": None})})
    with pytest.raises(extractor.SourceNotFound, match="search="):
        extractor.locate_source(older)  # a record without source.resolved: nothing under the project has that path
    records = [r.model_copy(update={"source": r.source.model_copy(update={"resolved": None})}) for r in records]
    for r in records:
        found = extractor.locate_source(r, search=[elsewhere_jsonl.parent])
        assert found == elsewhere_jsonl.parent.parent / r.source.path
        _check_offsets(r, extractor.document_text(r, search=[elsewhere_jsonl.parent]))


def test_absolute_paths_are_used_as_they_are(tmp_path: Path) -> None:
    record = extractor.extract(str(SAMPLES / "ua-057-16-eur4636432016.txt"))
    assert Path(record.source.path).is_absolute()
    _check_offsets(record, extractor.document_text(record, search=[tmp_path]))


def test_a_changed_source_is_refused_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(SAMPLES / "ua-057-16-eur4636432016.txt", tmp_path / "ua.txt")
    monkeypatch.chdir(tmp_path)
    record = extractor.extract("ua.txt")
    (tmp_path / "ua.txt").write_text("something else entirely\n", encoding="utf-8")
    with pytest.raises(extractor.SourceChanged, match="changed since it was extracted"):
        extractor.document_text(record)
    os.remove(tmp_path / "ua.txt")
    with pytest.raises(extractor.SourceNotFound, match="not found"):
        extractor.document_text(record)


def test_evidence_for_rejects_unknown_fields_and_lists_the_valid_ones() -> None:
    record = extractor.extract(str(SAMPLES / "ua-212-03-asa330402003.txt"))
    for typo in ("nonsense", "deadline", "recipients.fax", "recipients[0].faxes", "ua_number[0]"):
        with pytest.raises(ValueError, match="valid: kind") as info:
            record.evidence_for(typo)
        assert "appeal_deadline" in str(info.value) and "recipients[i].<" in str(info.value)
    assert record.evidence_for("appeal_deadline") and record.evidence_for("recipients[0].fax")
    assert record.evidence_for("recipients[0]") and record.evidence_for("subjects[1].name")
    assert record.evidence_for("related_ua_numbers[0]") == []  # a valid path with no evidence is just empty
    for ev in record.evidence:  # every path the extractor writes is a valid one
        assert ev in record.evidence_for(ev.field)


def test_every_public_name_resolves() -> None:
    lazy = extractor._LAZY  # the table behind __getattr__
    assert set(lazy) <= set(extractor.__all__)
    for name in extractor.__all__:
        assert getattr(extractor, name) is not None, name
