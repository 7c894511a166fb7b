"""Archives as archivists hold them (issue 17): digests and concatenations split into their UAs,
mboxes into their mails, saved web pages read for their main text, scanned sheets read by OCR.

The inputs in tests/archives/ were written for these tests in each era's format (a 1996 e-mail
bulletin, a 2004 "PUBLIC AI Index" sheet, a 2015 PDF's text with its second page, a 1993 BBS file,
a 1997 list's mbox, a 2016 and a 2006 saved page); the scans are rendered here from the texts in
tests/archives/scans/ (Pillow, a PDF with no text layer) and read by the real tesseract."""
from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
import tracemalloc
from pathlib import Path

import pytest
from conftest import DEV, ROOT, SAMPLES, require_tesseract, run_cli

from extractor.api import extract, extract_or_error, extract_parts, read_container_part
from extractor.errors import UnsupportedFormat
from extractor.ingest import read_bytes, read_path
from extractor.ingest.containers import IsContainer, PartPath, container_kind, iter_parts, read_part
from extractor.settings import Limits, Settings
from extractor.sources import document_text
from models import ErrorEntry, UrgentAction

ARCHIVES = ROOT / "tests" / "archives"
DIGEST = ARCHIVES / "digest-three-decades.txt"
BBS = ARCHIVES / "bbs-two-uas.TXT"
MBOX = ARCHIVES / "ua-net-1997.mbox"
PAGE_2016 = ARCHIVES / "ua-088-16-saved.html"
PAGE_2006 = ARCHIVES / "ua-121-06-saved.htm"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf")

# Text of the pages' chrome (navigation, cookie banner, related links, footer, scripts): none of it
# may reach a record's subjects, recipients or title, nor the text the extractor reads.
CHROME = ["cookie", "Accept all", "Manage preferences", "President Obama", "Donate", "Ali Mansour", "Teodora",
          "Benenson", "Easton Street", "newsletter", "Privacy", "gtag", "dataLayer", "Related content",
          "Nadia Petrova", "Write for Rights", "Printable version", "Join Amnesty", "Terms of use", "Share this"]


def records(path: Path, settings: Settings) -> list[UrgentAction]:
    out = list(extract_parts(path, settings))
    assert all(isinstance(r, UrgentAction) for r in out), [r for r in out if isinstance(r, ErrorEntry)]
    return out  # type: ignore[return-value]


def offsets_hold(record: UrgentAction, text: str) -> None:
    assert record.source.chars == len(text)
    assert record.evidence
    for ev in record.evidence:
        assert text[ev.start:ev.end] == ev.text, ev


# ------------------------------------------------------------------------------------------ digests


def test_a_digest_of_three_decades_gives_one_record_per_ua(settings) -> None:
    recs = records(DIGEST, settings)
    assert [(r.ua_series, r.ua_number, r.ai_index) for r in recs] == [
        ("EXTRA", "45/96", "AMR 19/007/1996"), ("UA", "118/04", "ASA 21/012/2004"), ("UA", "27/15", "MDE 13/0987/2015")]
    assert [r.country for r in recs] == ["Brazil", "Indonesia", "Iran"]
    assert [str(r.issue_date) for r in recs] == ["1996-03-14", "2004-04-22", "2015-02-16"]
    text = DIGEST.read_text("utf-8")
    parts = [r.source.part for r in recs]
    assert all(p is not None and p.container == "digest" for p in parts)
    assert [p.number for p in parts] == [1, 2, 3]  # type: ignore[union-attr]
    # the parts tile the container: nothing lost, nothing read twice
    assert parts[0].start == 0 and parts[-1].end == len(text)  # type: ignore[union-attr]
    assert all(a.end == b.start for a, b in itertools.pairwise(parts))  # type: ignore[union-attr]
    for r in recs:
        part_text = read_container_part(DIGEST, r.source.part.number, settings).text  # type: ignore[union-attr]
        assert part_text == text[r.source.part.start:r.source.part.end]  # type: ignore[union-attr]
        offsets_hold(r, part_text)  # evidence offsets are the part's
        assert r.source.path == str(DIGEST) and r.source.part.container_sha256 != r.source.sha256  # type: ignore[union-attr]
    # the preamble stays with the first UA; the 2015 UA keeps its second page (after a form feed,
    # under a repeated URGENT ACTION banner): one UA is not cut in two
    assert text.index("ARCHIVE OF URGENT ACTIONS") < parts[0].end  # type: ignore[union-attr]
    assert parts[2].start < text.index("ADDITIONAL INFORMATION") < parts[2].end  # type: ignore[union-attr]
    assert recs[0].subjects[0].name == "Jose Carlos Ferreira" and recs[2].subjects[0].name == "Reza Tehrani"


def test_concatenation_without_separators_splits_at_the_next_ua_header(settings) -> None:
    recs = records(BBS, settings)
    assert [r.ua_number for r in recs] == ["203/93", "204/93"]
    assert [r.country for r in recs] == ["China", "Peru"]
    first = read_container_part(BBS, 1, settings).text
    assert first.rstrip().endswith("UA 203/93 - issued 9 June 1993")  # the footer stays with its UA
    assert read_container_part(BBS, 2, settings).text.startswith("AI Index: AMR 46/15/93")
    for r in recs:
        offsets_hold(r, read_container_part(BBS, r.source.part.number, settings).text)  # type: ignore[union-attr]


def test_lotus_and_end_of_bulletin_separators(tmp_path: Path) -> None:
    one = DIGEST.read_text("utf-8")
    ua_1996 = one[one.index("EXTERNAL"):one.index("-- End of bulletin --")]
    ua_2004 = one[one.index("PUBLIC"):one.index("*****")]
    lotus = tmp_path / "notes-export.txt"
    lotus.write_text(f"$File: UA4596.TXT\nForm: UADocument\n\n{ua_1996}\n$File: UA11804.TXT\nForm: UADocument\n\n"
                     f"{ua_2004}", "utf-8")
    assert container_kind(str(lotus)) == "digest"
    assert [p.part.start for p in iter_parts(str(lotus), "digest", "0" * 64)] == [
        0, lotus.read_text("utf-8").index("$File: UA11804")]
    ended = tmp_path / "bulletins.txt"
    ended.write_text(f"{ua_1996}\n-- End of bulletin --\n{ua_2004}", "utf-8")
    assert len(list(iter_parts(str(ended), "digest", "0" * 64))) == 2


def test_one_ua_is_never_split(tmp_path: Path) -> None:
    """Every single document the project has (samples, the dev corpus, the held-out sets) is one
    document (a saved mail of one digest is an mbox of one part), and so is a further information with
    a rule, a cited number and a footer."""
    files = [p for folder in (SAMPLES, DEV, ROOT / "tests") for p in folder.rglob("*")
             if p.is_file() and p.suffix.lower() in {".txt", ".text", ".pdf"} and "archives" not in p.parts]
    assert len(files) > 50
    kinds = {str(p): container_kind(str(p)) for p in files}
    assert [p for p, kind in kinds.items() if kind is not None and len(list(iter_parts(p, kind, "0" * 64))) != 1] == []
    fi = tmp_path / "fi.txt"
    fi.write_text("EXTERNAL (for general distribution)      AI Index: AMR 51/20/96\n\n"
                  "Further information on UA 12/96 (AMR 51/12/96, 3 March 1996) - Death penalty\n\n"
                  + "The execution of John Smith has been stayed by the court of appeals. " * 8 + "\n"
                  "------------------------------------------------------------\n\n\n"
                  "UA 12/96 was issued on 3 March 1996 when an execution date was set for him. "
                  + "His lawyers had argued that he was not adequately represented at trial. " * 6 + "\n\n\n"
                  "AI Index: AMR 51/20/96          UA 12/96          27 March 1996\n", "utf-8")
    assert container_kind(str(fi)) is None
    letter = tmp_path / "from.txt"  # starts like an mbox "From " line, with a header-like line after it
    letter.write_text("From Amnesty International: urgent appeal\nDistr: UA/SC\n\nUA 12/96 Fear of torture\n", "utf-8")
    assert container_kind(str(letter)) is None


def test_a_pages_preamble_between_rules_joins_its_ua(tmp_path: Path) -> None:
    """A student chapter's page: a note headed 'URGENT ACTION OF THE WEEK' (no number, no index) between
    rules, then the UA it reposts. The note is no UA of its own, so the page is one document."""
    rule = "-" * 60 + "\n\n"
    page = tmp_path / "chapter.txt"
    page.write_text("Our chapter - Urgent Action\n\n[ Home ] [ Meetings ]\n\n" + rule + "URGENT ACTION OF THE WEEK\n\n"
                    + "Please write this week; we meet in the library on Thursday with paper and stamps. " * 5 + "\n\n"
                    + rule + "EXTERNAL (for general distribution)      AI Index: AFR 44/07/99\n\n"
                    "UA 77/99     Fear of torture     4 June 1999\n\n"
                    + "Two students were arrested in Lagos and are held incommunicado. " * 6 + "\n", "utf-8")
    assert container_kind(str(page)) is None
    two = tmp_path / "two.txt"  # the same rule between two UAs, the second without numbers, still splits
    two.write_text("UA 77/99     Fear of torture     4 June 1999\n\n" + "A student is held. " * 20 + "\n" + rule
                   + "URGENT ACTION\n\n" + "A journalist was detained without charge yesterday. " * 8 + "\n", "utf-8")
    assert container_kind(str(two)) == "digest"


def test_the_limits_apply_per_part_and_a_large_container_is_streamed(tmp_path: Path) -> None:
    small = Settings(limits=Limits(max_bytes=2500))  # the digest is 4.8 kB, each UA under 2.5 kB
    assert DIGEST.stat().st_size > 2500
    assert [r.ua_number for r in records(DIGEST, small.with_(model="blank"))] == ["45/96", "118/04", "27/15"]
    tiny = Settings(model="blank", limits=Limits(max_chars=1500))
    out = list(extract_parts(DIGEST, tiny))
    assert [type(r).__name__ for r in out] == ["ErrorEntry", "UrgentAction", "UrgentAction"]
    assert out[0].error == "too_large" and out[0].part.number == 1  # type: ignore[union-attr]

    one = DIGEST.read_text("utf-8")
    ua = one[one.index("PUBLIC"):one.index("*****")]
    big = tmp_path / "archive.txt"
    count = 3000
    with open(big, "w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(ua.replace("118/04", f"{i + 1}/04").replace("21/012/2004", f"21/{i + 1:03d}/2004"))
            handle.write("=" * 70 + "\n")
    assert big.stat().st_size > 4_000_000
    tracemalloc.start()
    found, final = 0, None
    for final in iter_parts(str(big), "digest", "0" * 64):
        found += 1
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert found == count and final is not None
    assert peak < 200_000  # a few lines and numbers at a time, never the 4 MB file
    last = read_part(final, Limits())
    assert f"UA {count}/04" in last.text and last.part.number == count  # type: ignore[union-attr]


def test_extract_on_a_container_says_to_use_extract_parts(settings) -> None:
    with pytest.raises(IsContainer, match=r"holds 3 documents \(a digest\).*extract_parts") as caught:
        extract(DIGEST, settings)
    assert isinstance(caught.value, UnsupportedFormat) and caught.value.sha256
    entry = extract_or_error(str(DIGEST), settings)
    assert isinstance(entry, ErrorEntry) and entry.error == "unsupported_format"
    one = extract(SAMPLES / "ua-057-16-eur4636432016.txt", settings)  # one-document files are as before
    assert one.source.part is None and list(extract_parts(SAMPLES / "ua-057-16-eur4636432016.txt", settings)) == [one]


def test_a_part_travels_to_workers_and_is_found_again(settings) -> None:
    import pickle

    part = next(iter_parts(str(DIGEST), "digest", "a" * 64))
    back = pickle.loads(pickle.dumps(part))
    assert isinstance(back, PartPath) and back == str(DIGEST) and back.part == part.part
    assert (back.byte_start, back.byte_end) == (part.byte_start, part.byte_end)
    rec = records(DIGEST, settings)[1]
    assert document_text(rec) == read_container_part(DIGEST, 2, settings).text  # the notebook's way back


# ------------------------------------------------------------------------------------------ mbox


def test_an_mbox_of_two_bulletins(settings) -> None:
    recs = records(MBOX, settings)
    assert [(r.ua_series, r.ua_number, r.ai_index) for r in recs] == [
        ("UA", "262/97", "AFR 32/021/1997"), ("EXTRA", "131/97", "AMR 41/052/1997")]
    first, second = (r.source.part for r in recs)
    assert first.container == second.container == "mbox"  # type: ignore[union-attr]
    assert first.mail_date == "Tue, 14 Oct 1997 10:12:40 +0100"  # type: ignore[union-attr]
    assert second.mail_subject == "EXTRA 131/97 - MÉXICO - Tortura"  # type: ignore[union-attr]  (RFC 2047 decoded)
    # the UA's own date, not the mail's
    assert [str(r.issue_date) for r in recs] == ["1997-10-10", "1997-10-21"]
    assert recs[1].subjects[0].name == "José Martínez Hernández"  # quoted-printable latin-1, decoded
    data = MBOX.read_bytes()
    assert data[first.start:first.end].startswith(b"From ") and data[second.start:].startswith(b"From ")  # type: ignore[union-attr]
    for r in recs:
        offsets_hold(r, read_container_part(MBOX, r.source.part.number, settings).text)  # type: ignore[union-attr]
        assert "Return-Path" not in read_container_part(MBOX, r.source.part.number, settings).text  # type: ignore[union-attr]


def test_a_mail_without_a_body_is_one_error_line(tmp_path: Path, settings) -> None:
    box = tmp_path / "empty.mbox"
    box.write_bytes(b"From a@b Mon Jan  1 00:00:00 1996\nFrom: a@b\nSubject: UA 1/96\n\n\n")
    out = list(extract_parts(box, settings))
    assert len(out) == 1 and isinstance(out[0], ErrorEntry) and out[0].error == "empty"
    assert out[0].part is not None and out[0].part.number == 1 and out[0].part.mail_subject == "UA 1/96"


# ------------------------------------------------------------------------------------------ HTML


@pytest.mark.parametrize("page, number, ai_index, country", [
    (PAGE_2016, "88/16", "AMR 23/3902/2016", "Colombia"), (PAGE_2006, "121/06", "EUR 50/009/2006", "Uzbekistan")])
def test_a_saved_page_gives_its_ua_and_none_of_its_chrome(page: Path, number: str, ai_index: str, country: str,
                                                          settings) -> None:
    doc = read_path(str(page))
    assert doc.media_type == "text/html"
    for chrome in CHROME:
        assert chrome.lower() not in doc.text.lower(), chrome
    rec = extract(page, settings)
    assert (rec.ua_number, rec.ai_index, rec.country, rec.source.media_type) == (number, ai_index, country, "text/html")
    people = [s.name for s in rec.subjects] + [" ".join(filter(None, [x.name, x.title, x.organization, *x.address_lines]))
                                               for x in rec.recipients] + [rec.title or ""]
    for chrome in CHROME:
        assert not any(chrome.lower() in p.lower() for p in people), (chrome, people)
    assert rec.recipients and rec.subjects
    offsets_hold(rec, doc.text)


def test_html_is_sniffed_by_content_and_decoded_by_its_charset(tmp_path: Path) -> None:
    as_txt = tmp_path / "saved.txt"
    shutil.copyfile(PAGE_2016, as_txt)
    assert read_path(str(as_txt)).media_type == "text/html"
    not_html = tmp_path / "notes.html"
    not_html.write_text("UA 12/96 Fear of torture\nJohn Smith was detained.\n", "utf-8")
    assert read_path(str(not_html)).media_type == "text/plain"
    old = read_path(str(PAGE_2006))  # iso-8859-1 bytes, as its <meta> says
    assert "«Ezgulik»" in old.text and not old.warnings
    entities = read_bytes(b"<html><body><p>Jos&eacute; &amp; Mar&#237;a &ndash; Bogot&aacute;</p></body></html>", "e.html")
    assert entities.text.strip() == "José & María – Bogotá"


# ------------------------------------------------------------------------------------------ scans (OCR)


@functools.cache
def scan_pdf(name: str) -> bytes:
    """A scanned sheet: the text drawn in a typewriter-like font into a picture, the picture alone in a
    PDF (no text layer), as a flatbed scan of a paper UA would be."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    lines = (ARCHIVES / "scans" / name).read_text("utf-8").splitlines()
    font = ImageFont.truetype(str(DEJAVU), 24)
    image = Image.new("L", (1700, 80 + 38 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((60, 40 + i * 38), line, fill=0, font=font)
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.image(image, x=30, y=30, w=535)
    return bytes(pdf.output())


def _ocr_ready(*langs: str) -> None:
    require_tesseract(*langs)
    if not DEJAVU.is_file():
        message = f"{DEJAVU} missing (fonts-dejavu-core; ci/tesseract.sh installs it)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)


def test_a_scanned_sheet_is_read_by_ocr_with_page_boxes_and_confidence(tmp_path: Path, settings) -> None:
    _ocr_ready("eng")
    scan = tmp_path / "scan-1992.pdf"
    scan.write_bytes(scan_pdf("scan-1992-sheet.txt"))
    rec = extract(scan, settings)
    assert (rec.ua_number, rec.ai_index, str(rec.issue_date), str(rec.appeal_deadline), rec.country) == (
        "88/92", "AFR 54/011/1992", "1992-03-12", "1992-04-23", "Sudan")
    assert rec.subjects[0].name == "Ahmed Osman Ibrahim"
    ocr = [w for w in rec.warnings if w.startswith("text from OCR (tesseract, languages eng; mean word confidence ")]
    assert len(ocr) == 1
    confidence = int(ocr[0].split("confidence ")[1].split()[0])
    assert 80 <= confidence <= 100
    ev = rec.evidence_for("ua_number")[0]
    assert ev.page == 1 and ev.bbox is not None
    x0, top, x1, bottom = ev.bbox
    assert 30 <= x0 < x1 <= 565 and 30 <= top < bottom < 400  # on the picture, near the top of the page


def test_a_spanish_sheet_needs_the_spanish_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings) -> None:
    _ocr_ready("eng", "spa")
    scan = tmp_path / "hoja-2008.pdf"
    scan.write_bytes(scan_pdf("scan-2008-hoja-es.txt"))
    monkeypatch.setenv("UA_EXTRACT_OCR_LANG", "spa+eng")
    rec = extract(scan, settings)
    assert (rec.ua_number, rec.language, rec.country) == ("212/08", "es", "Colombia")
    assert any(w.startswith("text from OCR (tesseract, languages spa+eng;") for w in rec.warnings)
    assert "Alirio Peña Gómez" in [s.name for s in rec.subjects]  # ñ and ó read: the Spanish pack at work


# ------------------------------------------------------------------------------------------ a whole folder


EXPECTED = {  # (file, part number or None) -> ua_number
    ("bbs-two-uas.TXT", 1): "203/93", ("bbs-two-uas.TXT", 2): "204/93",
    ("digest-three-decades.txt", 1): "45/96", ("digest-three-decades.txt", 2): "118/04",
    ("digest-three-decades.txt", 3): "27/15",
    ("ua-net-1997.mbox", 1): "262/97", ("ua-net-1997.mbox", 2): "131/97",
    ("ua-088-16-saved.html", None): "88/16", ("ua-121-06-saved.htm", None): "121/06",
    ("scan-1992.pdf", None): "88/92",
}


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()] if path.exists() else []


def _found(out: Path) -> dict[tuple[str, int | None], str | None]:
    got: dict[tuple[str, int | None], str | None] = {}
    for line in _lines(out):
        key = (Path(line["source"]["path"]).name, (line["source"]["part"] or {}).get("number"))
        assert key not in got, key  # one line per part
        got[key] = line["ua_number"]
    return got


def test_a_folder_of_archives_gives_one_record_per_ua_and_accounts_for_every_part(tmp_path: Path) -> None:
    _ocr_ready("eng")
    folder = tmp_path / "archive"
    shutil.copytree(ARCHIVES, folder, ignore=shutil.ignore_patterns("scans"))
    (folder / "scans").mkdir()
    (folder / "scans" / "scan-1992.pdf").write_bytes(scan_pdf("scan-1992-sheet.txt"))
    out = tmp_path / "out.jsonl"
    proc = run_cli("extract", str(folder), "-o", str(out), "--workers", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _found(out) == EXPECTED
    assert _lines(out.with_name("out.errors.jsonl")) == []
    summary = " ".join(proc.stderr.split())
    assert f"inputs │ {len(EXPECTED)} │" in summary and f"records │ {len(EXPECTED)} │" in summary

    again = run_cli("extract", str(folder), "-o", str(out), "--workers", "1", cwd=tmp_path)
    assert again.returncode == 0 and f"skipped (already done) │ {len(EXPECTED)} │" in " ".join(again.stderr.split())
    # lose the line of one part (a run killed before it was written): only that part is done again
    kept = [line for line in out.read_text("utf-8").splitlines(keepends=True) if '"number":2,' not in line
            or "digest-three-decades" not in line]
    out.write_text("".join(kept), "utf-8")
    third = run_cli("extract", str(folder), "-o", str(out), "--workers", "1", cwd=tmp_path)
    assert third.returncode == 0 and f"skipped (already done) │ {len(EXPECTED) - 1} │" in " ".join(third.stderr.split())
    assert "records │ 1 │" in " ".join(third.stderr.split())
    assert _found(out) == EXPECTED


def test_a_failed_part_is_one_error_line_naming_the_part(tmp_path: Path) -> None:
    from extractor import batch

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(DIGEST, folder / "digest.txt")
    (folder / "one-empty-mail.mbox").write_bytes(MBOX.read_bytes() + b"\nFrom a@b Mon Jan  1 00:00:00 1996\n"
                                                 b"From: a@b\nSubject: UA 1/96\n\n\n")
    out = tmp_path / "out.jsonl"
    summary = batch.run([str(folder)], Settings(model="blank", workers=1), out)
    assert (summary.inputs, summary.records, summary.errors) == (6, 5, 1)
    [error] = _lines(batch.errors_path(out))
    assert error["error"] == "empty" and error["part"]["number"] == 3 and error["part"]["mail_subject"] == "UA 1/96"
    # over the time limit: each part its own timeout line, naming the part
    slow = Settings(model="blank", workers=1, limits=Limits(seconds_per_document=0.001))
    summary = batch.run([str(folder / "digest.txt")], slow, tmp_path / "slow.jsonl")
    lines = _lines(batch.errors_path(tmp_path / "slow.jsonl"))
    assert summary.errors == 3 and sorted(e["part"]["number"] for e in lines) == [1, 2, 3]
    assert {e["error"] for e in lines} == {"timeout"}
