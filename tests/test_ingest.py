"""Ingest on real inputs built here: encoded text files and PDFs rendered with fpdf2."""
from __future__ import annotations

import hashlib
import random
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor.document import Document
from extractor.errors import (
    CorruptPDF,
    EmptyInput,
    EncryptedPDF,
    ExtractionError,
    NoTextLayer,
    TooLarge,
    Undecodable,
    UnsupportedFormat,
)
from extractor.ingest import ocr as ocr_module
from extractor.ingest import read_bytes, read_path
from extractor.settings import Limits

CORPUS_PDF = Path(__file__).resolve().parents[2] / "shared/corpus/dev/ua-060-16-third-amr3766742017.pdf"

Line = tuple[float, float, str]  # x, baseline y (points from the top), text


def render(pages: list[list[Line]], size: float = 10, owner: str | None = None,
           user: str = "") -> bytes:
    """A PDF with each string drawn exactly where asked (Helvetica, so latin-1 only)."""
    pdf = FPDF(unit="pt", format="A4")  # 595 x 842 points
    if owner:
        pdf.set_encryption(owner_password=owner, user_password=user)
    pdf.set_font("Helvetica", size=size)
    for lines in pages:
        pdf.add_page()
        for x, y, text in lines:
            pdf.text(x, y, text)
    return bytes(pdf.output())


def write(tmp_path: Path, name: str, data: bytes) -> str:
    target = tmp_path / name
    target.write_bytes(data)
    return str(target)


def column(x: float, y: float, lines: list[str], pitch: float = 12) -> list[Line]:
    return [(x, y + i * pitch, text) for i, text in enumerate(lines)]


def assert_segments_match_words(doc: Document) -> None:
    assert doc.segments == sorted(doc.segments, key=lambda s: s.start)
    for seg in doc.segments:
        word = doc.text[seg.start:seg.end]
        assert word and not any(c.isspace() for c in word), (seg, word)


# ----------------------------------------------------------------------------- plain text


@pytest.mark.parametrize("data, expected", [
    ("Özgür Ülke – café\nUA 60/16\n".encode(), "Özgür Ülke – café\nUA 60/16\n"),
    (b"\xef\xbb\xbf" + "Özgür Ülke – café".encode(), "Özgür Ülke – café"),
    ("\ufeffÖzgür Ülke – café\r\nline two".encode("utf-16-le"), "Özgür Ülke – café\nline two"),
    ("\ufeffÖzgür Ülke – café".encode("utf-16-be"), "Özgür Ülke – café"),
    ("Özgür Ülke – café, URGENT ACTION".encode("utf-16-le"), "Özgür Ülke – café, URGENT ACTION"),
])
def test_unicode_text_decodes_without_warning(tmp_path: Path, data: bytes, expected: str) -> None:
    doc = read_path(write(tmp_path, "ua.txt", data))
    assert doc.text == expected
    assert doc.media_type == "text/plain" and doc.pages is None and doc.segments == []
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.warnings == [] or "utf-16" in doc.warnings[0]  # BOM-less UTF-16 is a guess


def test_cp1252_falls_back_with_warning(tmp_path: Path) -> None:
    data = "URGENT ACTION\r\nÖzgür Ülke – café, “Niño” señor\r\n".encode("cp1252")
    doc = read_path(write(tmp_path, "ua.txt", data))
    assert doc.text == "URGENT ACTION\nÖzgür Ülke – café, “Niño” señor\n"
    assert any("cp1252" in w for w in doc.warnings)


def test_line_endings_normalised_and_nothing_else(tmp_path: Path) -> None:
    data = b"a\r\nb\rc\n\n  d\t e  \r\n"
    doc = read_path(write(tmp_path, "ua.txt", data))
    assert doc.text == "a\nb\nc\n\n  d\t e  \n"


def test_locate_is_none_for_text() -> None:
    doc = read_bytes(b"URGENT ACTION", "x.txt")
    assert doc.locate(0, 6) == (None, None)


# ----------------------------------------------------------------------------- PDFs: layout


def test_one_column_reading_order_paragraphs_and_segments(tmp_path: Path) -> None:
    lines = column(60, 80, ["URGENT ACTION", ""]) + column(60, 120, [
        "Amnesty International is concerned for the safety of",
        "the human rights defender held without charge since May.",
    ]) + column(60, 170, ["Please write immediately to the authorities."])
    doc = read_path(write(tmp_path, "ua.pdf", render([[l for l in lines if l[2]]])))
    assert doc.media_type == "application/pdf" and doc.pages == 1
    assert doc.text == ("URGENT ACTION\n\nAmnesty International is concerned for the safety of\n"
                        "the human rights defender held without charge since May.\n\n"
                        "Please write immediately to the authorities.")
    assert_segments_match_words(doc)
    assert len(doc.segments) == len(doc.text.split())
    start = doc.text.index("defender")
    page, bbox = doc.locate(start, start + len("defender"))
    assert page == 1 and bbox is not None
    x0, top, x1, bottom = bbox
    assert 60 < x0 < x1 < 400 and 120 < top < bottom < 140  # second body line, baseline y=132


def test_two_column_page_reads_left_then_right(tmp_path: Path) -> None:
    left = [f"Left column line {i} tells the first half of the story" for i in range(1, 9)]
    right = [f"Right column line {i} continues the second half here" for i in range(1, 9)]
    header = "URGENT ACTION: a full width header line that spans across both columns of the page"
    page = [(50, 60, header)] + column(50, 100, left) + column(320, 100, right)
    doc = read_path(write(tmp_path, "cols.pdf", render([page], size=9)))
    expected = header + "\n\n" + "\n".join(left) + "\n" + "\n".join(right)
    assert doc.text == expected
    assert_segments_match_words(doc)
    start = doc.text.index("Right column line 1 ")
    page_no, bbox = doc.locate(start, start + 5)
    assert page_no == 1 and bbox is not None and bbox[0] == pytest.approx(320, abs=1)


def test_one_column_table_like_lines_are_not_split_into_columns(tmp_path: Path) -> None:
    rows = [f"Label {i}:                                         value {i}" for i in range(10)]
    page = column(50, 80, rows)
    doc = read_path(write(tmp_path, "form.pdf", render([page])))
    assert doc.text.splitlines()[0] == "Label 0: value 0"


def test_page_numbers_and_running_headers_dropped(tmp_path: Path) -> None:
    pages: list[list[Line]] = []
    for n in (1, 2, 3):
        header: Line = (60, 40, "Amnesty International Urgent Action")
        body = column(60, 120, [f"Body text of page {n} with the real content.", "Second line."])
        footer: Line = (290, 810, f"Page {n} of 3" if n != 2 else "- 2 -")
        pages.append([header, *body, footer])
    doc = read_path(write(tmp_path, "numbered.pdf", render(pages)))
    assert doc.pages == 3
    assert doc.text.count("Amnesty International Urgent Action") == 1
    assert "Page" not in doc.text and "- 2 -" not in doc.text
    assert doc.text.startswith("Amnesty International Urgent Action\n\nBody text of page 1")
    assert "Second line.\n\nBody text of page 2" in doc.text
    assert_segments_match_words(doc)
    start = doc.text.index("page 3")
    assert doc.locate(start, start + 6)[0] == 3


def test_bare_page_number_footer_dropped(tmp_path: Path) -> None:
    doc = read_path(write(tmp_path, "n.pdf", render([[(60, 100, "Some text here."), (297, 810, "1")]])))
    assert doc.text == "Some text here."


def test_hyphenated_line_end_joined_with_consistent_segments(tmp_path: Path) -> None:
    page = column(60, 100, ["The authorities must ensure the protec-", "tion of all defenders in Hon-",
                            "Duras and the self-"])
    page += column(60, 200, ["determination of peoples."])
    doc = read_path(write(tmp_path, "hyph.pdf", render([page])))
    assert "ensure the protection of all defenders in Hon-\nDuras" in doc.text  # upper case: kept
    assert "self-\n\ndetermination" in doc.text  # a paragraph break is not a line end
    first, second = (s for s in doc.segments if doc.text[s.start:s.end] in {"protec", "tion"})
    assert (doc.text[first.start:first.end], doc.text[second.start:second.end]) == ("protec", "tion")
    assert first.end == second.start and first.bbox[1] < second.bbox[1]
    page_no, bbox = doc.locate(first.start, second.end)
    assert page_no == 1 and bbox is not None and bbox[3] > first.bbox[3]  # box covers both lines


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    data = render([[(60, 100, "URGENT ACTION")]])
    doc = read_path(write(tmp_path, "disguised.txt", b"\n " + data))
    assert doc.media_type == "application/pdf" and doc.text == "URGENT ACTION"


def test_some_pages_without_text_warn(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.text(60, 100, "Text on page one.")
    pdf.add_page()
    pdf.rect(50, 50, 200, 200, style="F")
    doc = read_bytes(bytes(pdf.output()), "mixed.pdf")
    assert doc.text == "Text on page one." and doc.pages == 2
    assert any("page(s) 2" in w for w in doc.warnings)


# ----------------------------------------------------------------------------- PDFs: errors


def test_no_text_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.rect(50, 50, 200, 200, style="F")
    path = write(tmp_path, "scan.pdf", bytes(pdf.output()))
    if ocr_module.ocr_unavailable() is None:  # tesseract here (CI installs it): it reads nothing on a black box
        with pytest.raises(NoTextLayer, match="OCR found no words"):
            read_path(path)
    monkeypatch.setattr(ocr_module, "ocr_unavailable", lambda: "the tesseract program not installed")
    with pytest.raises(NoTextLayer, match="ocrmypdf"):  # without OCR: what to install, or how to OCR it first
        read_path(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    data = render([[(60, 100, "secret")]], owner="o", user="x")
    path = write(tmp_path, "locked.pdf", data)
    with pytest.raises(EncryptedPDF, match="qpdf --decrypt") as caught:
        read_path(path)
    assert caught.value.path == path and caught.value.sha256 == hashlib.sha256(data).hexdigest()


def test_owner_password_only_pdf_is_readable() -> None:
    data = render([[(60, 100, "readable text")]], owner="o")
    assert read_bytes(data, "owner.pdf").text == "readable text"


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = render([column(60, 100, [f"line {i} of a real document" for i in range(40)])] * 3)
    with pytest.raises(CorruptPDF) as caught:
        read_path(write(tmp_path, "cut.pdf", data[: len(data) // 2]))
    assert caught.value.reason and str(caught.value.path).endswith("cut.pdf")


def test_garbage_after_pdf_header_is_corrupt() -> None:
    with pytest.raises(CorruptPDF):
        read_bytes(b"%PDF-1.7\nthis is not really a pdf at all\n", "-")


def test_non_pdf_named_pdf(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match=r"named \.pdf but is not a PDF \(starts with"):
        read_path(write(tmp_path, "ua.PDF", b"URGENT ACTION, plain text"))


@pytest.mark.parametrize("data", [b"", b"  \r\n\t \n"])
def test_empty_input(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(EmptyInput) as caught:
        read_path(path)
    assert caught.value.path == path and caught.value.sha256 == hashlib.sha256(data).hexdigest()


def test_too_many_bytes_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"x" * 2000)
    with pytest.raises(TooLarge, match="--max-bytes") as caught:
        read_path(path, Limits(max_bytes=1000))
    assert caught.value.sha256 == hashlib.sha256(b"x" * 2000).hexdigest()


def test_too_many_chars(tmp_path: Path) -> None:
    with pytest.raises(TooLarge, match="--max-chars"):
        read_path(write(tmp_path, "long.txt", b"word " * 100), Limits(max_chars=50))
    pdf = render([column(60, 100, ["many words on this line"] * 20)])
    with pytest.raises(TooLarge, match="--max-chars"):
        read_bytes(pdf, "long.pdf", Limits(max_chars=100))


def test_too_many_pages() -> None:
    with pytest.raises(TooLarge, match="pages"):
        read_bytes(render([[(60, 100, "x")]] * 3), "pages.pdf", Limits(max_pages=2))


def test_decompression_bomb_guard() -> None:
    data = render([column(60, 100, ["a line of text to inflate"] * 30)])
    assert read_bytes(data, "ok.pdf", Limits(max_stream_bytes=100_000)).text
    with pytest.raises(TooLarge, match="decompress"):
        read_bytes(data, "bomb.pdf", Limits(max_stream_bytes=200))


def test_real_zlib_bomb_is_refused_quickly() -> None:
    """A page whose content stream inflates to 100 MB of spaces, hand-built."""
    payload = zlib.compress(b" " * 100_000_000, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(payload) + payload
               + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with pytest.raises(TooLarge, match="decompress"):
        read_bytes(bytes(out), "bomb.pdf")


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    b"PK\x03\x04" + bytes(range(256)) * 4,
    random.Random(7).randbytes(4096),
    b"\x00\x01\x02\x03" * 500,
])
def test_binary_garbage_is_refused(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "garbage.txt", data)
    with pytest.raises((Undecodable, UnsupportedFormat)) as caught:
        read_path(path)
    assert caught.value.path == path and caught.value.reason


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=400), st.binary(max_size=400).map(lambda b: b"%PDF-1.4\n" + b)))
def test_any_bytes_give_a_document_or_a_typed_error(data: bytes) -> None:
    try:
        doc = read_bytes(data, "fuzz")
    except ExtractionError as exc:
        assert exc.reason and exc.path == "fuzz" and exc.sha256 == hashlib.sha256(data).hexdigest()
    else:
        assert doc.text.strip() and "\r" not in doc.text


# ----------------------------------------------------------------------------- a real UA PDF


@pytest.mark.skipif(not CORPUS_PDF.exists(), reason="shared dev corpus not present")
def test_real_third_ua_pdf() -> None:
    doc = read_path(str(CORPUS_PDF))
    assert doc.pages == 2 and doc.warnings == []
    assert "THIRD UA 60/16" in doc.text and "PUBLICATION DATE: 5 July 2017" in doc.text
    salutations = [l for l in doc.text.splitlines() if l.startswith("Salutation:")]
    assert salutations == ["Salutation: Dear Minister/Estimado Señor Secretario de Seguridad"]
    assert "\n1\n" not in doc.text and not doc.text.rstrip().endswith("2")  # page numbers dropped
    assert_segments_match_words(doc)
    start = doc.text.index("BACKGROUND INFORMATION")
    page, bbox = doc.locate(start, start + 10)
    assert page == 2 and bbox is not None and bbox[0] == pytest.approx(54, abs=1)


def test_sideways_margin_text_skipped_with_warning() -> None:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.text(60, 100, "Upright body text.")
    with pdf.rotation(90, x=30, y=400):
        pdf.text(30, 400, "Sideways margin note")
    doc = read_bytes(bytes(pdf.output()), "side.pdf")
    assert doc.text == "Upright body text."
    assert any("sideways" in w and "page(s) 1" in w for w in doc.warnings)


PROSE = ("Amnesty International is gravely concerned for the safety of the human rights defender, who "
         "was detained without charge and is held incommunicado at an unknown location, where he is "
         "at risk of torture and other ill-treatment. His family have not been told where he is. ")


def test_wrapped_one_column_prose_is_not_split(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    for _ in range(4):
        pdf.multi_cell(0, 12, PROSE * 2)
        pdf.ln(12)
    doc = read_bytes(bytes(pdf.output()), "prose.pdf")
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) == 4
    assert all(" ".join(p.split()) == " ".join((PROSE * 2).split()) for p in paragraphs)


def test_two_column_paragraphs_with_footer(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.set_xy(50, 50)
    pdf.cell(495, 12, "URGENT ACTION - FULL WIDTH TITLE OF THIS TWO COLUMN DOCUMENT PAGE")
    for x, label in ((50, "LEFT"), (310, "RIGHT")):
        pdf.set_xy(x, 90)
        pdf.multi_cell(235, 12, f"{label}START " + PROSE + f"{label}END.")
        pdf.set_x(x)
        pdf.ln(12)
        pdf.set_x(x)
        pdf.multi_cell(235, 12, f"{label}SECOND " + PROSE)
    pdf.text(290, 810, "1")
    doc = read_bytes(bytes(pdf.output()), "cols.pdf")
    order = [doc.text.index(k) for k in ("URGENT ACTION", "LEFTSTART", "LEFTEND", "LEFTSECOND",
                                         "RIGHTSTART", "RIGHTEND", "RIGHTSECOND")]
    assert order == sorted(order)
    assert "LEFTEND.\n\nLEFTSECOND" in doc.text and not doc.text.rstrip().endswith("1")
    assert_segments_match_words(doc)


def test_mojibake_is_repaired_with_a_warning(tmp_path):
    """A page saved after its UTF-8 was read as cp1252 ('AcciÃ³n Urgente'): read as written first."""
    page = tmp_path / "au.txt"
    page.write_text("AcciÃ³n Urgente AU 312/02\n\nSeÃ±or Ministro, 6Âª Calle â€“ Zona 1\n", "utf-8")
    doc = read_path(str(page))
    assert doc.text == "Acción Urgente AU 312/02\n\nSeñor Ministro, 6ª Calle – Zona 1\n"
    assert any("mojibake repaired" in w for w in doc.warnings)
    plain = tmp_path / "plain.txt"
    plain.write_text("São Paulo, Zürich and Ação stay as they are.\n", "utf-8")
    assert read_path(str(plain)).text.startswith("São Paulo") and read_path(str(plain)).warnings == []


_EML = (b"Return-Path: <list@example.ca>\nMessage-ID: <1@example.ca>\nDate: Fri, 14 Mar 2008 20:30:51 -0400\n"
        b"Subject: =?ISO-8859-1?Q?AU_72/08_-_deux_journalistes_d=E9tenus?=\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=\"XX\"\n\nThis is a multi-part message in MIME format.\n--XX\n"
        b"Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
        b"Bonjour =E0 toutes, voici l'action urgente transmi=\nse hier.\n--XX\nContent-Type: text/x-vcard\n\n"
        b"begin:vcard\nend:vcard\n--XX--\n")


def test_a_saved_mail_is_read_with_its_headers_and_its_body_decoded(tmp_path):
    doc = read_path(write(tmp_path, "ua.txt", _EML))
    assert "Subject: AU 72/08 - deux journalistes détenus" in doc.text
    assert "Bonjour à toutes, voici l'action urgente transmise hier." in doc.text and "vcard" not in doc.text
    assert any("saved mail" in w for w in doc.warnings)
    pasted = b"From: Ana <a@example.org>\nSent: Friday, March 4, 2022\nSubject: FW: UA 23/22\n\nD=E9tails as typed.\n"
    assert read_path(write(tmp_path, "fw.txt", pasted)).text == pasted.decode()  # no MIME headers: a text
