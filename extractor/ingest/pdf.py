"""PDF reader: words from pdfminer's characters (via pdfplumber), put in reading order by
``layout.py``, with a Segment (page + box) per word.

Guards: encryption, corrupt files, page count, extracted characters, and a bound on the bytes
decoded from the file's streams (``decompression.py``), active from the moment the file is opened,
so the cross-reference and object streams pdfminer reads first are bounded too. A PDF without a
text layer raises NoTextLayer; ``ingest/__init__.py`` decides whether OCR reads it instead.
"""
from __future__ import annotations

import io
import math
from collections.abc import Iterator
from itertools import groupby
from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdftypes import resolve1

from extractor.document import Document
from extractor.errors import EmptyInput, ExtractionError, NoTextLayer, TooLarge, UnsupportedFormat
from extractor.ingest.decompression import StreamBudget
from extractor.ingest.layout import Page, Word, order_lines, to_text
from extractor.ingest.pdf_errors import NO_TEXT_REASON, classify_parser_error
from extractor.ingest.text import check_chars
from extractor.settings import Limits

__all__ = ["read_pdf"]


def read_pdf(data: bytes, path: str, sha256: str, limits: Limits) -> Document:
    """Extract text in reading order with one Segment per word. Raises the typed errors
    (NoTextLayer for a PDF without text: the caller may try OCR)."""
    budget = StreamBudget(limits.max_stream_bytes)
    try:
        with budget.active():
            pages, page_count, warnings = _extract_pages(data, limits, budget)
    except ExtractionError:
        raise
    except MemoryError as exc:
        raise TooLarge("PDF needs more memory than is available to parse") from exc
    except Exception as exc:  # any parser failure is a corrupt PDF, never a crash
        budget.check()  # unless the budget ran out on the way (pdfminer may have wrapped it)
        raise classify_parser_error(exc) from exc
    text, segments = to_text(pages)
    return Document(path=path, sha256=sha256, media_type="application/pdf", text=text,
                    pages=page_count, segments=segments, warnings=warnings)


def _extract_pages(data: bytes, limits: Limits, budget: StreamBudget) -> tuple[list[Page], int, list[str]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:  # decodes the cross-reference stream: bounded
        budget.check()
        _check_page_count(_declared_page_count(pdf), limits)
        plumber_pages = pdf.pages
        _check_page_count(len(plumber_pages), limits)
        pages: list[Page] = []
        warnings: list[str] = []
        chars = 0
        rotated: list[int] = []
        for page in plumber_pages:
            words, skipped = _page_words(page)
            budget.check()  # a refusal pdfminer caught while parsing the page still stands
            if skipped:
                rotated.append(page.page_number)
            pages.append(Page(page.page_number, float(page.width), float(page.height),
                               order_lines(words, float(page.width))))
            chars += sum(len(w.text) + 1 for w in words)
            check_chars(chars, limits)  # stop early on text bombs, before building the string
    if not pages:
        raise EmptyInput("PDF has no pages")
    empty = [p.number for p in pages if not p.lines]
    if len(empty) == len(pages):
        if rotated:
            raise UnsupportedFormat("PDF text is all sideways (rotated pages); turn the pages upright "
                                    "first, e.g. qpdf --rotate=+90 in.pdf out.pdf")
        raise NoTextLayer(NO_TEXT_REASON)
    if empty:
        warnings.append(f"no text layer on page(s) {_page_list(empty)} (scanned images?); "
                        "their content is missing")
    if rotated:
        warnings.append(f"sideways (rotated) text skipped on page(s) {_page_list(rotated)}")
    return pages, len(pages), warnings


def _page_list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _declared_page_count(pdf: Any) -> int:
    """The /Count the page tree declares: lets a million-page file fail before pages are built."""
    try:
        tree = resolve1(pdf.doc.catalog.get("Pages"))
        return int(resolve1(tree.get("Count", 0)))
    except Exception:  # noqa: BLE001 - a broken tree is reported by pdfplumber itself
        return 0


def _check_page_count(count: int, limits: Limits) -> None:
    if count > limits.max_pages:
        raise TooLarge(f"PDF has {count} pages, over the limit of {limits.max_pages} "
                       "(raise it with --max-pages)")


def _page_words(page: Any) -> tuple[list[Word], int]:
    """Upright words of one page, and how many rotated (sideways) characters were left out: with
    the plain word extraction, sideways text comes apart letter by letter, so it is not mixed in.

    Words are built straight from pdfminer's characters (``page.layout``), the way pdfplumber's
    ``extract_words`` builds them (runs of upright characters, clustered into lines by top within
    3 pt, sorted left to right, split at blanks and at gaps over 3 pt, ligatures expanded), but
    without turning every character into a dict of resolved attributes first: that conversion
    alone took two thirds of pdfplumber's time."""
    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    chars: list[tuple[str, float, float, float, float, bool]] = []
    stack: list[Iterator[Any]] = [iter(page.layout)]
    while stack:  # depth first, in content-stream order (forms and figures nest characters)
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
        elif isinstance(obj, LTChar):
            chars.append((obj.get_text(), obj.x0 + mb_x0, height - obj.y1 + mb_top,
                          obj.x1 + mb_x0, height - obj.y0 + mb_top, bool(obj.upright)))
        elif isinstance(obj, LTContainer):
            stack.append(iter(obj))
    words: list[Word] = []
    sideways = 0
    for upright, run in groupby(chars, key=lambda c: c[5]):
        if not upright:
            sideways += sum(1 for c in run if not c[0].isspace())
            continue
        for line in _char_lines(list(run)):
            words.extend(_line_words(line))
    return words, sideways


_LIGATURES = {"\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb01": "fi", "\ufb02": "fl",
              "\ufb06": "st", "\ufb05": "st"}
_TOLERANCE = 3.0  # pt: pdfplumber's default x and y tolerance


def _char_lines(chars: list[tuple[str, float, float, float, float, bool]]
                ) -> Iterator[list[tuple[str, float, float, float, float, bool]]]:
    """Characters clustered by top (successive tops within the tolerance), each line by x0."""
    line: list[tuple[str, float, float, float, float, bool]] = []
    last_top = -math.inf
    for char in sorted(chars, key=lambda c: c[2]):
        if line and char[2] - last_top > _TOLERANCE:
            yield sorted(line, key=lambda c: c[1])
            line = []
        line.append(char)
        last_top = char[2]
    if line:
        yield sorted(line, key=lambda c: c[1])


def _line_words(line: list[tuple[str, float, float, float, float, bool]]) -> Iterator[Word]:
    word: list[tuple[str, float, float, float, float, bool]] = []
    for char in line:
        if char[0].isspace():
            if word:
                yield _merge(word)
            word = []
            continue
        if word:
            prev = word[-1]
            if char[1] < prev[1] or char[1] > prev[3] + _TOLERANCE or abs(char[2] - prev[2]) > _TOLERANCE:
                yield _merge(word)
                word = []
        word.append(char)
    if word:
        yield _merge(word)


def _merge(chars: list[tuple[str, float, float, float, float, bool]]) -> Word:
    text = "".join(_LIGATURES.get(c[0], c[0]) for c in chars)
    return Word(text, min(c[1] for c in chars), min(c[2] for c in chars),
                 max(c[3] for c in chars), max(c[4] for c in chars))
