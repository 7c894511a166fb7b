"""OCR for PDFs without a text layer (scans), with tesseract through pytesseract — both optional.

When they are installed, every page is rendered at 300 dpi with pypdfium2 (already installed with
pdfplumber), tesseract reads the words and their boxes, and the boxes are turned into PDF points
(origin top-left, like pdfplumber's), so the Document has the same shape as one from a text layer:
words in reading order (the same column, header/footer and hyphenation handling) with a Segment
(page + box) per word, so evidence from a scan carries the page and box of tesseract's word boxes,
plus the warning "text from OCR (tesseract, languages eng; mean word confidence 91 of 100 over 212
words)": the mean of tesseract's confidences of the words kept. When they are not installed,
NoTextLayer says exactly what to install.

Languages: ``UA_EXTRACT_OCR_LANG`` (default ``eng``), e.g. ``eng+spa+fra`` for Spanish and French
sheets, which need Debian's ``tesseract-ocr-spa`` and ``tesseract-ocr-fra`` (``ci/tesseract.sh``
installs all three).
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
from collections.abc import Iterator
from typing import Any

from extractor.document import Document
from extractor.errors import ExtractionError, NoTextLayer
from extractor.ingest.layout import Page, Word, order_lines, to_text
from extractor.ingest.pdf_errors import NO_TEXT_REASON
from extractor.ingest.text import check_chars
from extractor.settings import Limits

__all__ = ["OCR_WARNING", "install_hint", "ocr_pdf", "ocr_unavailable"]

OCR_WARNING = "text from OCR"
DPI = 300
MIN_CONFIDENCE = 30  # tesseract word confidence (0-100); lower is mostly specks read as letters
LANG_ENV = "UA_EXTRACT_OCR_LANG"  # tesseract languages, e.g. "eng+spa+fra" (default "eng")


def install_hint() -> str:
    return ("install OCR support to read it: pip install 'ua-extract[ocr]' and apt-get install "
            "tesseract-ocr (or brew install tesseract); or OCR the file first, e.g. `ocrmypdf in.pdf out.pdf`")


def ocr_unavailable() -> str | None:
    """Why OCR cannot run here (what is missing), or None when it can."""
    missing = []
    if importlib.util.find_spec("pytesseract") is None:
        missing.append("the pytesseract package")
    if shutil.which("tesseract") is None:
        missing.append("the tesseract program")
    return " and ".join(missing) + " not installed" if missing else None


def ocr_pdf(data: bytes, path: str, sha256: str, limits: Limits) -> Document:
    """OCR every page of a PDF that has no text layer; NoTextLayer when OCR is not installed or
    finds no words."""
    missing = ocr_unavailable()
    if missing:
        raise NoTextLayer(f"{NO_TEXT_REASON} and {missing}; {install_hint()}")
    pytesseract = importlib.import_module("pytesseract")
    lang = os.environ.get(LANG_ENV, "eng")
    pages: list[Page] = []
    chars = 0
    confidences: list[float] = []
    try:
        for number, width, height, words in _ocr_pages(data, pytesseract, lang, confidences):
            pages.append(Page(number, width, height, order_lines(words, width)))
            chars += sum(len(w.text) + 1 for w in words)
            check_chars(chars, limits)
    except ExtractionError:
        raise
    except Exception as exc:
        raise NoTextLayer(f"PDF has no text layer and OCR failed ({type(exc).__name__}: {exc})") from exc
    if not any(p.lines for p in pages):
        raise NoTextLayer("PDF has no text layer and OCR found no words in it (blank or unreadable scan?)")
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    warnings = [(f"{OCR_WARNING} (tesseract, languages {lang}; mean word confidence {mean:.0f} of 100 over "
                 f"{len(confidences)} words)")]
    empty = [p.number for p in pages if not p.lines]
    if empty:
        warnings.append(f"OCR found no words on page(s) {', '.join(map(str, empty))}")
    text, segments = to_text(pages)
    return Document(path=path, sha256=sha256, media_type="application/pdf", text=text,
                    pages=len(pages), segments=segments, warnings=warnings)


def _ocr_pages(data: bytes, pytesseract: Any, lang: str,
               confidences: list[float]) -> Iterator[tuple[int, float, float, list[Word]]]:
    import pypdfium2 as pdfium

    scale = DPI / 72.0  # pixels per PDF point
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            image = page.render(scale=scale).to_pil()
            table = pytesseract.image_to_data(image, lang=lang, output_type=pytesseract.Output.DICT)
            yield index + 1, float(width), float(height), _words(table, scale, confidences)
            page.close()
    finally:
        document.close()


def _words(table: dict[str, list[Any]], scale: float, confidences: list[float]) -> list[Word]:
    """tesseract's word rows (level 5) with text and a fair confidence, boxes in PDF points; the
    confidences of the words kept are appended to ``confidences``."""
    words = []
    for i, text in enumerate(table.get("text", [])):
        text = str(text).strip()
        if not text or int(table["level"][i]) != 5:
            continue
        try:
            confidence = float(table["conf"][i])
        except (TypeError, ValueError):
            confidence = -1.0
        if confidence < MIN_CONFIDENCE:
            continue
        confidences.append(confidence)
        left, top = float(table["left"][i]) / scale, float(table["top"][i]) / scale
        right = left + float(table["width"][i]) / scale
        bottom = top + float(table["height"][i]) / scale
        words.append(Word(text, left, top, right, bottom))
    return words
