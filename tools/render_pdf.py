#!/usr/bin/env python3
"""Render an Urgent Action text file as an A4 PDF, so the project can make its own PDF samples.

    python tools/render_pdf.py samples/ua-212-03-asa330402003.txt samples/ua-212-03-asa330402003.pdf
    python tools/render_pdf.py samples/ua-095-17-mde1350122017.txt samples/ua-095-17-mde1350122017.pdf --columns 2

The text is set in the PDF core font Helvetica, which only covers latin-1: characters outside
latin-1 are transliterated to a close latin-1 equivalent (curly quotes to straight ones, dashes to
'-', 'ş' to 's' ...), latin-1 accents are kept. In two-column mode the first line(s) of the text
(up to the first blank line, at most two lines) run across the full width as a header and the rest
flows into two columns, newspaper style, balanced on the last page (so a short text fills both
columns, as typeset two-column pages do, rather than only the left one). Every page carries the footer
"Amnesty International - Page N". The output is deterministic (fixed creation date), so a
re-render of an unchanged text gives the same bytes.

Only fpdf2 is needed (a development dependency; the extractor itself does not import this module).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import sys
import unicodedata
from pathlib import Path

from fpdf import FPDF

__all__ = ["render_pdf", "to_latin1"]

FONT = "Helvetica"
BODY_SIZE = 10.0
HEADER_SIZE = 12.0
LINE_HEIGHT = 1.25  # multiple of the font size
GUTTER_MM = 8.0
MARGIN_MM = 18.0
FOOTER_TEXT = "Amnesty International - Page {page}"  # latin-1 safe form of "Amnesty International – Page N"
FIXED_DATE = _dt.datetime(2024, 1, 1, tzinfo=_dt.UTC)
MAX_HEADER_LINES = 2

# Characters outside latin-1 that NFKD does not reduce to something sensible.
_TRANSLIT = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2022": "-", "\u2023": "-", "\u2043": "-", "\u25cf": "-", "\u25aa": "-",
    "\u2026": "...", "\u20ac": "EUR", "\u2122": "(TM)", "\u2116": "No.",
    "\u2009": " ", "\u200a": " ", "\u2002": " ", "\u2003": " ", "\u202f": " ", "\u2007": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    "\u0131": "i", "\u0130": "I", "\u0142": "l", "\u0141": "L", "\u0111": "d", "\u0110": "D",
    "\u0153": "oe", "\u0152": "OE", "\u0127": "h", "\u0126": "H", "\u0192": "f",
    "\t": "    ",
}


def to_latin1(text: str) -> str:
    """Map text onto latin-1: keep latin-1 characters, transliterate the rest, '?' if nothing fits."""
    out: list[str] = []
    for ch in text:
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        elif ord(ch) < 256:
            out.append(ch)
        else:
            # NFKD first, then recompose what latin-1 has precomposed (ş -> s, ǹ -> n, ﬁ -> fi).
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            base = unicodedata.normalize("NFC", base)
            out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


class _UAPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, FOOTER_TEXT.format(page=self.page_no()), align="C")
        self.set_text_color(0, 0, 0)


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    """Leading non-blank lines up to the first blank line (at most MAX_HEADER_LINES) form the header."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    header: list[str] = []
    while i < len(lines) and lines[i].strip() and len(header) < MAX_HEADER_LINES:
        header.append(lines[i])
        i += 1
    return header, lines[i:]


def render_pdf(text: str, out_path: Path, *, columns: int = 1, title_line_full_width: bool = True) -> Path:
    """Render `text` into an A4 PDF at `out_path` (one or two columns) and return the path."""
    if columns not in (1, 2):
        raise ValueError(f"columns must be 1 or 2, not {columns!r}")
    out_path = Path(out_path)
    lines = to_latin1(text.replace("\r\n", "\n").replace("\r", "\n")).rstrip("\n").split("\n")

    pdf = _UAPdf(orientation="P", unit="mm", format="A4")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_creator("ua-extract tools/render_pdf.py")
    pdf.set_producer("fpdf2")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    pdf.add_page()

    body = lines
    if columns == 2 and title_line_full_width:
        header, body = _split_header(lines)
        if header:
            pdf.set_title(header[-1].strip()[:200])
        pdf.set_font(FONT, "B", HEADER_SIZE)
        for line in header:
            pdf.multi_cell(0, HEADER_SIZE * LINE_HEIGHT * 0.3528, line.strip(), new_x="LMARGIN", new_y="NEXT")
        if header:
            pdf.ln(3)
        while body and not body[0].strip():
            body = body[1:]
    elif lines:
        pdf.set_title(lines[0].strip()[:200])

    pdf.set_font(FONT, "", BODY_SIZE)
    with pdf.text_columns(
        ncols=columns, gutter=GUTTER_MM, line_height=LINE_HEIGHT, text_align="LEFT", balance=columns > 1
    ) as cols:
        for line in body:
            cols.write(line + "\n")
    pdf.output(str(out_path))
    return out_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Render a UA text file as an A4 PDF (Helvetica, latin-1).",
        epilog="example: python tools/render_pdf.py IN.txt OUT.pdf --columns 2",
    )
    parser.add_argument("input", type=Path, help="UTF-8 text file")
    parser.add_argument("output", type=Path, help="PDF file to write")
    parser.add_argument("--columns", type=int, choices=(1, 2), default=1, help="1 (default) or 2")
    parser.add_argument(
        "--no-full-width-title", dest="full_width", action="store_false",
        help="in two-column mode, let the first lines flow into the columns too",
    )
    args = parser.parse_args(argv)
    try:
        text = args.input.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"render_pdf: cannot read {args.input}: {exc}", file=sys.stderr)
        return 2
    out = render_pdf(text, args.output, columns=args.columns, title_line_full_width=args.full_width)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
