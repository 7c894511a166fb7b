"""PDF regressions, each on a PDF rendered here with tools/render_pdf.py (or fpdf2 directly), plus
evidence boxes on the bundled sample PDF and the OCR fallback for PDFs without a text layer."""
from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, SAMPLES, require_tesseract
from fpdf import FPDF

from extractor.api import extract
from extractor.errors import NoTextLayer
from extractor.ingest import ocr as ocr_module
from extractor.ingest import read_bytes, read_path
from extractor.settings import Settings

_spec = importlib.util.spec_from_file_location("render_pdf", ROOT / "tools" / "render_pdf.py")
assert _spec and _spec.loader
render_module = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("render_pdf", render_module)
_spec.loader.exec_module(render_module)
render_pdf = render_module.render_pdf

SAMPLE_PDF = SAMPLES / "ua-212-03-asa330402003.pdf"
RULES = Settings(model="blank")  # the rules find codes, numbers and addressees without the model


def raw_lines(pdf_path: Path) -> list[list[str]]:
    """Each page's lines as pdfplumber sees them (words grouped by their top), no reordering."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            rows: dict[float, list[dict]] = {}
            for word in page.extract_words():
                rows.setdefault(round(word["top"]), []).append(word)
            pages.append([" ".join(w["text"] for w in sorted(r, key=lambda w: w["x0"]))
                          for _, r in sorted(rows.items())])
    return pages


def squash(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------------------- layout regressions


def test_code_wrapped_across_lines_is_rejoined(tmp_path: Path) -> None:
    """`AI Index: EUR` at the end of one line and `44/106/95` at the start of the next (the line
    wrapped there) must read as one code, as in the text."""
    for fillers in range(5, 60):
        head = "EXTERNAL " + "(for general distribution) " + "x " * fillers + "AI Index: EUR 44/106/95"
        text = f"{head}\nDistr: UA/SC\n\nUA 106/95 Fear of torture 12 May 1995\n\nTURKEY: Ahmet Yilmaz (m), student\n"
        path = render_pdf(text, tmp_path / "wrapped.pdf")
        first_page = raw_lines(path)[0]
        if first_page[0].endswith("AI Index: EUR") and first_page[1].startswith("44/106/95"):
            break
    else:
        pytest.fail("could not make the renderer wrap the line between 'EUR' and '44/106/95'")
    doc = read_path(str(path))
    assert "AI Index: EUR 44/106/95\nDistr: UA/SC" in doc.text
    assert "\n\nUA 106/95 Fear of torture 12 May 1995\n\n" in doc.text  # the header line stays a line
    record = extract(str(path), RULES)
    assert record.ai_index == "EUR 44/106/1995"  # canonical form of the index read across the wrap
    assert record.ua_number == "106/95"


def test_two_column_page_keeps_left_column_whole_before_right(tmp_path: Path) -> None:
    lines = [f"Line {i:02d} of the story, which is told in order." for i in range(1, 61)]
    path = render_pdf("URGENT ACTION\n\n" + "\n".join(lines) + "\n", tmp_path / "cols.pdf", columns=2)
    rows = raw_lines(path)[0]
    assert any("Line 01" in r and "Line " in r.split("Line 01", 1)[1] for r in rows), \
        "the renderer did not set two columns side by side"
    doc = read_path(str(path))
    body = [line for line in doc.text.split("\n") if line.startswith("Line ")]
    assert body == lines  # left column top to bottom, then right column: never interleaved
    assert doc.text.startswith("URGENT ACTION\n\n")
    right = doc.text.index("Line 31")
    page, box = doc.locate(right, right + 4)
    assert page == 1 and box is not None and box[0] > 290  # evidence points into the right column


def test_footer_page_number_not_glued_into_text(tmp_path: Path) -> None:
    """The renderer's footer "Amnesty International - Page N" sits between a paragraph's end on
    one page and its continuation on the next; it must vanish and the paragraph read on."""
    filler = [f"Filler line {i} before the long paragraph." for i in range(1, 57)]
    paragraph = " ".join(f"word{i}" for i in range(1, 120))
    text = "\n".join(filler) + "\n" + paragraph + "\nLast line.\n"
    path = render_pdf(text, tmp_path / "footer.pdf")
    pages = raw_lines(path)
    assert len(pages) == 2 and pages[0][-1] == "Amnesty International - Page 1"
    assert not pages[0][-2].startswith("Filler")  # the paragraph really runs over the page break
    doc = read_path(str(path))
    assert "Amnesty International" not in doc.text and "Page" not in doc.text
    assert doc.text == render_module.to_latin1(text).rstrip("\n")  # lines, breaks and words as in the text
    start = doc.text.index("Last line.")
    assert doc.locate(start, start + 4)[0] == 2


def test_single_page_footer_page_number_dropped(tmp_path: Path) -> None:
    path = render_pdf("UA 12/03 Fear for safety 1 May 2003\n\nSome text.\n", tmp_path / "one.pdf")
    assert read_path(str(path)).text == "UA 12/03 Fear for safety 1 May 2003\n\nSome text."


def test_hyphenated_word_joined(tmp_path: Path) -> None:
    text = "The authorities must guarantee the protec-\ntion of all human rights defenders.\n"
    path = render_pdf(text, tmp_path / "hyphen.pdf")
    doc = read_path(str(path))
    assert doc.text == "The authorities must guarantee the protection of all human rights defenders."
    first, second = (s for s in doc.segments if doc.text[s.start:s.end] in {"protec", "tion"})
    assert first.end == second.start and first.bbox[1] < second.bbox[1]  # two lines, one word


def test_soft_wrapped_prose_reads_as_one_line_but_short_lines_stay_lines(tmp_path: Path) -> None:
    address = ["Minister of Interior", "Mr Shaukat Ali Mirza", "Ministry of Interior", "Islamabad, Pakistan"]
    prose = ("Amnesty International is concerned for the safety of the three men, who were arrested "
             "by plain-clothed security personnel and are held incommunicado at an unknown place.")
    text = "URGENT ACTION\n\n" + prose + "\n\n" + "\n".join(address) + "\n"  # the title runs full width
    for columns in (1, 2):
        path = render_pdf(text, tmp_path / f"wrap{columns}.pdf", columns=columns)
        assert not any(prose in row for row in raw_lines(path)[0])  # the prose wrapped
        got, want = read_path(str(path)).text, text.rstrip("\n")
        if columns == 2:  # a blank line at the foot of a column leaves no trace: compare lines only
            got, want = got.replace("\n\n", "\n"), want.replace("\n\n", "\n")
        assert got == want


def test_pdf_named_txt_is_read_as_pdf(tmp_path: Path) -> None:
    text = SAMPLES.joinpath("ua-212-03-asa330402003.txt").read_text(encoding="utf-8")
    path = render_pdf(text, tmp_path / "ua-212-03-asa330402003.txt")
    assert path.read_bytes().startswith(b"%PDF-")
    doc = read_path(str(path))
    assert doc.media_type == "application/pdf" and doc.pages and doc.segments
    record = extract(str(path), RULES)
    assert (record.ua_number, record.ai_index) == ("212/03", "ASA 33/040/2003")


# ----------------------------------------------------------------------------- evidence boxes


def test_sample_pdf_evidence_has_page_and_box_around_its_text() -> None:
    record = extract(str(SAMPLE_PDF), RULES)
    doc = read_path(str(SAMPLE_PDF))
    wanted = [e for e in record.evidence
              if e.field in ("ua_number", "ai_index") or e.field.startswith("recipients[")]
    fields = {e.field for e in wanted}
    assert {"ua_number", "ai_index"} <= fields and any(f.startswith("recipients[") for f in fields)
    checked = 0
    with pdfplumber.open(SAMPLE_PDF) as pdf:
        for ev in wanted:
            assert ev.page is not None and ev.bbox is not None, ev
            x0, top, x1, bottom = ev.bbox
            assert 0 <= x0 < x1 and 0 <= top < bottom, ev
            if doc.locate(ev.end - 1, ev.end)[0] != ev.page:
                continue  # runs over a page break: the box covers its first page only
            page = pdf.pages[ev.page - 1]
            pad = 0.5  # the box is rounded to 1/100 pt
            crop = page.crop((x0 - pad, top - pad, x1 + pad, bottom + pad)).extract_text() or ""
            assert squash(ev.text) in squash(crop), (ev.field, ev.text, crop)
            checked += 1
    assert checked >= 5


# ----------------------------------------------------------------------------- scans (OCR)


def _scan_pdf() -> bytes:
    """A PDF whose only content is a picture of text: no text layer at all."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1240, 600), 255)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=44)
    except TypeError:  # Pillow < 10.1
        font = ImageFont.load_default()
    for i, line in enumerate(["UA 315/03 Fear for safety 03 November 2003", "AI Index: ASA 31/066/2003",
                              "Amnesty International is concerned for their safety."]):
        draw.text((80, 80 + i * 90), line, fill=0, font=font)
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.image(image, x=40, y=40, w=515)
    return bytes(pdf.output())


def test_scan_without_tesseract_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_module.shutil, "which", lambda name: None)
    with pytest.raises(NoTextLayer) as caught:
        read_bytes(_scan_pdf(), "scan.pdf")
    reason = caught.value.reason
    assert "no text layer" in reason and "tesseract program" in reason
    assert "pip install 'ua-extract[ocr]'" in reason and "apt-get install tesseract-ocr" in reason
    assert caught.value.path == "scan.pdf" and caught.value.sha256


def test_scan_ocr_words_become_segments_in_points(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OCR plumbing (render, tesseract's pixel boxes -> PDF points, reading order, warning)
    with tesseract's answer stubbed, so it runs where tesseract is not installed."""
    calls = []

    def image_to_data(image, lang, output_type):
        calls.append((image.size, lang))
        scale = 300 / 72
        words = [("UA", 100, 100), ("315/03", 180, 100), ("Fear", 400, 100), ("AI", 100, 155), ("Index:", 160, 155),
                 ("ASA", 330, 155), ("31/066/2003", 420, 155)]  # 55 px = 13.2 pt: the next line
        return {"level": [5] * len(words), "text": [w for w, _, _ in words], "conf": ["96"] * len(words),
                "left": [x for _, x, _ in words], "top": [y for _, _, y in words],
                "width": [int(len(w) * 10 * scale) // 2 for w, _, _ in words],
                "height": [int(10 * scale)] * len(words)}

    fake = types.SimpleNamespace(image_to_data=image_to_data, Output=types.SimpleNamespace(DICT="dict"))
    monkeypatch.setitem(sys.modules, "pytesseract", fake)
    monkeypatch.setattr(ocr_module, "ocr_unavailable", lambda: None)
    doc = read_bytes(_scan_pdf(), "scan.pdf")
    assert calls and calls[0][1] == "eng"
    assert calls[0][0] == pytest.approx((595.28 * 300 / 72, 841.89 * 300 / 72), abs=1.5)  # A4 at 300 dpi
    assert doc.text == "UA 315/03 Fear\nAI Index: ASA 31/066/2003"
    assert doc.warnings == ["text from OCR (tesseract, languages eng; mean word confidence 96 of 100 over 7 words)"]
    assert doc.pages == 1 and doc.media_type == "application/pdf"
    start = doc.text.index("ASA")
    page, box = doc.locate(start, start + 3)
    assert page == 1 and box == pytest.approx((330 * 72 / 300, 155 * 72 / 300, (330 + 62) * 72 / 300,
                                               (155 + 41) * 72 / 300), abs=0.05)


def test_scan_is_read_with_tesseract() -> None:
    require_tesseract("eng")
    doc = read_bytes(_scan_pdf(), "scan.pdf")
    assert doc.warnings[0].startswith("text from OCR (tesseract, languages eng; mean word confidence ")
    assert "315/03" in doc.text and "ASA 31/066/2003" in doc.text
    start = doc.text.index("315/03")
    page, box = doc.locate(start, start + 6)
    assert page == 1 and box is not None and 40 <= box[0] < box[2] <= 560
