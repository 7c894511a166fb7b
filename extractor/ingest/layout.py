"""Page layout shared by the PDF and the OCR readers: words (with boxes) -> text in reading order,
with a Segment (page + box) per word.

Handled: paragraphs (blank line where the vertical gap is clearly larger than the leading), lines
wrapped only because they filled their column (rejoined with a space, so a long source line, a
wrapped code such as "AI Index: EUR" / "44/106/95" or a header line reads as one line again, while
short lines such as an address block stay lines), two-column pages (left column, then right; a
title over the columns may cross the gutter), running headers/footers and page numbers (dropped; a
repeated footer's first occurrence goes after the last page instead of cutting a paragraph), text
running on over a column or page end (no paragraph break when the column or page was full), words
hyphenated across a line end (joined).
"""
from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import groupby, pairwise
from typing import NamedTuple

from extractor.document import BBox, Segment

__all__ = ["Line", "Page", "Word", "drop_running_lines", "order_lines", "serialise", "to_text"]

MARGIN_BAND = 0.12  # top/bottom share of the page where running headers, footers and numbers live
MARGIN_LINES = 2  # only the outermost lines at each end can be headers/footers
_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?[-–—]?\s*\d{1,3}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,3})?", re.IGNORECASE)
_PAGE_OF = re.compile(r"\bpage\s+\d{1,3}(?:\s+of\s+\d{1,3})?\b", re.IGNORECASE)
_PAGE_TAIL = re.compile(r"\bpage\s+\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_HYPHENATED = re.compile(r"[^\W\d_]-$")  # a letter, then the hyphen, at the end of a line


@dataclass
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


class _Gutter(NamedTuple):
    x0: float  # right edge of the left column
    x1: float  # left edge of the right column
    bridge: float  # gaps narrower than this inside a line are word spaces, not the gutter


class Line:
    """Words on one baseline, left to right; the box is computed once (lines are never edited)."""

    __slots__ = ("bottom", "col", "gutter", "run", "top", "words", "x0", "x1")

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.top = min(w.top for w in words)
        self.bottom = max(w.bottom for w in words)
        self.x0 = words[0].x0
        self.x1 = max(w.x1 for w in words)
        self.col = 0  # 0: full width, 1: left column, 2: right column
        self.gutter: _Gutter | None = None  # of the column run the line belongs to
        self.run: tuple[float, float] | None = None  # top and bottom of that column run

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]


def to_text(pages: list[Page]) -> tuple[str, list[Segment]]:
    """Running lines dropped (a repeated footer's first occurrence put at the end), then serialised."""
    return serialise(pages, drop_running_lines(pages))


# --------------------------------------------------------------------------------------------
# Lines and reading order


def _group_lines(words: Iterable[Word]) -> list[Line]:
    """Words whose boxes overlap vertically by half the smaller height form one line."""
    groups: list[list[Word]] = []
    anchor: Word | None = None
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if anchor is not None:
            overlap = min(anchor.bottom, word.bottom) - max(anchor.top, word.top)
            if overlap >= 0.5 * min(anchor.height, word.height):
                groups[-1].append(word)
                continue
        groups.append([word])
        anchor = word
    return [Line(sorted(group, key=lambda w: w.x0)) for group in groups]


def order_lines(words: list[Word], page_width: float) -> list[Line]:
    """Lines in reading order: on a two-column page, each run of column rows is read left column
    first, then right; full-width rows (a header above, a footer below) stay where they are."""
    rows = _group_lines(words)
    gutter = _find_gutter(rows, page_width)
    if gutter is None:
        return rows
    ordered: list[Line] = []
    for spanning, run in groupby(rows, key=lambda r: _crosses(r, gutter.x0, gutter.x1, gutter.bridge)):
        if spanning:
            ordered.extend(run)
            continue
        run_lines = list(run)
        extent = (min(r.top for r in run_lines), max(r.bottom for r in run_lines))
        run_words = [w for r in run_lines for w in r.words]
        for col, lines in ((1, _group_lines(w for w in run_words if w.x1 <= gutter.x0)),
                           (2, _group_lines(w for w in run_words if w.x1 > gutter.x0))):
            for line in lines:
                line.col, line.gutter, line.run = col, gutter, extent
            ordered.extend(lines)
    return ordered


def _spans(line: Line, bridge: float) -> list[tuple[float, float]]:
    """The line's inked stretches: words merged across gaps narrower than ``bridge``."""
    spans: list[tuple[float, float]] = []
    for w in line.words:
        if spans and w.x0 - spans[-1][1] < bridge:
            spans[-1] = (spans[-1][0], max(spans[-1][1], w.x1))
        else:
            spans.append((w.x0, w.x1))
    return spans


def _crosses(line: Line, g0: float, g1: float, bridge: float) -> bool:
    return any(a < g1 and b > g0 for a, b in _spans(line, bridge))


def _find_gutter(rows: list[Line], page_width: float) -> _Gutter | None:
    """A vertical strip in the middle of the text that (nearly) no line crosses, with prose
    columns on both sides; None for ordinary one-column pages and label/value forms."""
    words = [w for r in rows for w in r.words]
    if len(rows) < 4:
        return None
    left_edge = min(w.x0 for w in words)
    right_edge = max(w.x1 for w in words)
    span = right_edge - left_edge
    if span < page_width * 0.3:
        return None
    bridge = max(6.0, statistics.median(w.height for w in words))
    stretches = [s for r in rows for s in _spans(r, bridge)]
    # A few rows may cross the gutter (a header's last, shorter line): allow for them.
    strip = _emptiest_strip(stretches, left_edge + 0.25 * span, left_edge + 0.75 * span,
                            slack=max(1, len(rows) // 10))
    if strip is None or strip[1] - strip[0] < bridge:
        return None
    # The strip's right side is sharp (the right column's lines all start there), its left side
    # ragged (a few left-column lines reach into it): only rows crossing its right part span.
    strip = (strip[1] - bridge, strip[1])
    column_rows = [r for r in rows if not _crosses(r, strip[0], strip[1], bridge)]
    if len(column_rows) < 0.5 * len(rows):  # most lines must have the gap
        return None
    left = _group_lines(w for r in column_rows for w in r.words if w.x1 <= strip[0])
    right = _group_lines(w for r in column_rows for w in r.words if w.x0 >= strip[1])
    if len(left) < 3 or len(right) < 3:
        return None
    g0 = max(l.words[-1].x1 for l in left)
    g1 = min(l.words[0].x0 for l in right)
    left_width, right_width = g0 - left_edge, right_edge - g1
    # Columns are substantial and wider than the gutter; prose fills its column, while a form's
    # short labels beside values do not. Two columns of one width are a page design: there, lists
    # and address blocks (short lines) may fill much of both.
    if min(left_width, right_width) < 0.2 * span or g1 - g0 > 0.5 * min(left_width, right_width):
        return None
    fill = 0.3 if abs(left_width - right_width) <= 0.1 * max(left_width, right_width) else 0.5
    if statistics.median(l.width for l in left) < fill * left_width:
        return None
    if statistics.median(l.width for l in right) < fill * right_width:
        return None
    return _Gutter(g0, g1, bridge)


def _emptiest_strip(stretches: list[tuple[float, float]], lo: float, hi: float, step: float = 0.5,
                    slack: int = 0) -> tuple[float, float] | None:
    """Widest run of x positions in [lo, hi] covered by at most ``slack`` more stretches than the
    fewest any position has (difference array)."""
    cells = int((hi - lo) / step) + 1
    if cells < 2:
        return None
    diff = [0] * (cells + 1)
    for x0, x1 in stretches:
        a = max(math.floor((x0 - lo) / step), 0)
        b = min(math.floor((x1 - lo) / step) + 1, cells)
        if a < b:
            diff[a] += 1
            diff[b] -= 1
    counts: list[int] = []
    running = 0
    for d in diff[:cells]:
        running += d
        counts.append(running)
    most = min(counts) + slack
    best: tuple[int, int] | None = None
    for is_min, run in groupby(enumerate(counts), key=lambda ic: ic[1] <= most):
        cells_run = [i for i, _ in run]
        if is_min and (best is None or cells_run[-1] - cells_run[0] > best[1] - best[0]):
            best = (cells_run[0], cells_run[-1])
    assert best is not None
    return lo + best[0] * step, lo + (best[1] + 1) * step


# --------------------------------------------------------------------------------------------
# Running headers, footers and page numbers


def _margin_lines(page: Page) -> tuple[list[Line], list[Line]]:
    """The outermost lines at the top and at the bottom of a page, if they sit in the margin band."""
    by_top = sorted(page.lines, key=lambda l: l.top)
    head = [l for l in by_top[:MARGIN_LINES] if l.bottom <= page.height * MARGIN_BAND]
    foot = [l for l in by_top[-MARGIN_LINES:] if l.top >= page.height * (1 - MARGIN_BAND)
            and all(l is not h for h in head)]
    return head, foot


def _running_key(line: Line) -> str:
    # "Page 2 of 3" inside a footer must not stop the footer counting as repeated.
    return _PAGE_OF.sub("page #", " ".join(line.text.split())).casefold()


def _is_page_number(text: str) -> bool:
    """"3", "- 3 -", "Page 3 of 4", and a label carrying nothing else: "Amnesty International - Page 3"
    (a footer such as "AI Index: EUR 44/106/95 Page 2" carries a code, so it is not one)."""
    text = text.strip()
    if _PAGE_NUMBER.fullmatch(text):
        return True
    tail = _PAGE_TAIL.search(text)
    return tail is not None and len(text.split()) <= 8 and not any(c.isdigit() for c in text[:tail.start()])


def drop_running_lines(pages: list[Page]) -> list[tuple[int, Line]]:
    """Drop page-number lines in the margins, and margin lines repeated on 2+ pages after the
    first occurrence (running headers and footers). A repeated footer's first occurrence is taken
    out of the flow and returned (page number, line), to be put after the last page: left at the
    foot of its page it would cut in two a paragraph or an address block running over the page."""
    margins = {p.number: _margin_lines(p) for p in pages}
    pages_with: dict[str, set[int]] = {}
    for number, (head, foot) in margins.items():
        for line in head + foot:
            pages_with.setdefault(_running_key(line), set()).add(number)
    last_page = max((p.number for p in pages if p.lines), default=0)
    moved: list[tuple[int, Line]] = []
    for page in pages:
        head, foot = margins[page.number]
        drop: list[Line] = []
        for line in head + foot:
            seen_on = pages_with[_running_key(line)]
            if _is_page_number(line.text) or (len(seen_on) >= 2 and page.number != min(seen_on)):
                drop.append(line)
            elif len(seen_on) >= 2 and any(line is f for f in foot) and page.number != last_page:
                drop.append(line)
                moved.append((page.number, line))
        page.lines = [l for l in page.lines if all(l is not d for d in drop)]
    return moved


# --------------------------------------------------------------------------------------------
# Text and segments


class _Builder:
    """Accumulates text and per-word segments together so offsets cannot drift."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.segments: list[Segment] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def add_line(self, line: Line, page: int) -> None:
        for i, word in enumerate(line.words):
            if i:
                self.add(" ")
            self.segments.append(Segment(self.length, self.length + len(word.text), page, word.bbox))
            self.add(word.text)

    def drop_trailing_hyphen(self) -> None:
        """Join "protec-" + "tion": the first word's segment now ends before the hyphen."""
        self.parts[-1] = self.parts[-1][:-1]
        self.length -= 1
        self.segments[-1] = replace(self.segments[-1], end=self.segments[-1].end - 1)

    def text(self) -> str:
        return "".join(self.parts)


class _Layout:
    """Where text may run on the pages of one document: the body's left and right edges, and its
    top and bottom, so that a line filling its column (a soft wrap) and a page or column ending
    full (the paragraph goes on) can be told from a real line or paragraph break."""

    def __init__(self, pages: list[Page]) -> None:
        lines = [l for p in pages for l in p.lines]
        self.left = min(l.x0 for l in lines)
        self.max_x1 = max(l.x1 for l in lines)
        # The lowest line of any page, at least three quarters down: pages that all stop high up
        # (a short note per page) are not full pages.
        self.bottom = max(max(l.bottom for l in lines), 0.75 * max(p.height for p in pages))
        tops = [min(l.top for l in p.lines) for p in pages[1:]] or [min(l.top for l in pages[0].lines)]
        self.top = min(tops)

    def edges(self, line: Line, page: Page) -> tuple[float, float]:
        """Left and right edge of the text block (page body or column) the line sits in. The right
        edge is the furthest any line reaches, or the left margin mirrored, whichever is further."""
        right = max(self.max_x1, page.width - self.left)
        if line.gutter is None:
            return self.left, right
        if line.col == 1:  # columns are as wide as each other
            return self.left, max(line.gutter.x0, self.left + right - line.gutter.x1)
        return line.gutter.x1, right

    def reaches_bottom(self, line: Line) -> bool:
        """The line is the last one the page had room for: its text may go on on the next page."""
        return line.bottom >= self.bottom - 0.5 * line.height


def serialise(pages: list[Page], moved: list[tuple[int, Line]] | None = None) -> tuple[str, list[Segment]]:
    out = _Builder()
    pages = [p for p in pages if p.lines]
    if pages:
        layout = _Layout(pages)
        prev: tuple[Page, Line] | None = None
        normal = 0.0
        for page in pages:
            normal = _normal_gap(page.lines)
            for line in page.lines:
                if prev is not None:
                    _join(out, prev[0], prev[1], page, line, layout, normal)
                out.add_line(line, page.number)
                prev = (page, line)
    for number, line in moved or []:
        out.add("\n\n")
        out.add_line(line, number)
    return out.text(), out.segments


def _join(out: _Builder, prev_page: Page, prev: Line, page: Page, line: Line, layout: _Layout,
          normal_gap: float) -> None:
    """Put between two successive lines: a paragraph break, a line break, nothing (a hyphenated
    word rejoined), or a space (a line that was wrapped only because it filled its column)."""
    if page is not prev_page:
        flows = layout.reaches_bottom(prev) and line.top <= layout.top + 0.5 * line.height
    elif line.top < prev.top:  # moved up: the next column
        flows = _column_ends_full(prev)
    else:
        flows = _separator(prev, line, normal_gap) == "\n"
    if not flows:
        out.add("\n\n")
    elif _continues_hyphenated(prev, line):
        out.drop_trailing_hyphen()
    else:
        out.add(_wrap(prev, layout.edges(prev, prev_page), line, layout.edges(line, page)))


def _column_ends_full(prev: Line) -> bool:
    """The text goes on from the foot of one column to the head of the next: the first column
    reaches the bottom of the run (balanced columns may end a line apart, so one line short is
    still full). The next column's head is not checked: a short title over the first column
    would make it look low."""
    return prev.run is None or prev.bottom >= prev.run[1] - 1.5 * prev.height


def _wrap(prev: Line, prev_edges: tuple[float, float], line: Line, edges: tuple[float, float]) -> str:
    """" " when ``prev`` ends only because the first word of ``line`` would not fit after it in its
    column (the line was wrapped), "" for a word too long for the column broken mid-way, else "\n"."""
    left, right = prev_edges
    width = right - left
    height = min(prev.height, line.height)
    if width <= 0 or line.x0 > edges[0] + max(2.0, 0.3 * height):  # indented: a line of its own
        return "\n"
    if prev.x1 - left < 0.6 * width or _has_tab_gap(prev):  # short line, or a tabbed row
        return "\n"
    first, last = line.words[0], prev.words[-1]
    if prev.x1 + _space(prev) + (first.x1 - first.x0) <= right + 0.25:  # it would have fitted
        return "\n"
    if _SENTENCE_END.search(last.text) and first.text[:1].isupper():
        return "\n"  # may be a wrap, but a block after a full last line of a paragraph is likelier
    if last.x1 - last.x0 > 0.6 * width and right - prev.x1 < 0.6 * prev.height:
        return ""  # a URL or similar, cut where the column ends
    if last.text.endswith("-") and len(last.text) >= 2 and last.text[-2].isalpha():
        return ""  # a hyphenated compound broken at its hyphen: "anti-" + "war"
    return " "


def _space(line: Line) -> float:
    """Width of a word space on this line: its narrowest gap between words, else a quarter em."""
    gaps = [b.x0 - a.x1 for a, b in pairwise(line.words) if b.x0 > a.x1]
    return min(gaps) if gaps else 0.25 * line.height


def _has_tab_gap(line: Line) -> bool:
    """A gap between words far wider than a space: tab stops or right-aligned text, not prose."""
    limit = 2.0 * line.height
    return any(b.x0 - a.x1 > limit for a, b in pairwise(line.words))


def _normal_gap(lines: list[Line]) -> float:
    """The page's ordinary leading: the lower quartile of gaps between successive lines, capped
    so a page made only of separated one-line paragraphs still gets its blank lines."""
    gaps = sorted(b.top - a.bottom for a, b in pairwise(lines) if b.top >= a.top)
    if not gaps:
        return 0.0
    cap = 0.6 * statistics.median(l.height for l in lines)
    return min(max(gaps[len(gaps) // 4], 0.0), cap)


def _separator(previous: Line, line: Line, normal_gap: float) -> str:
    height = min(previous.height, line.height)
    gap = line.top - previous.bottom
    return "\n\n" if gap > max(0.75 * height, normal_gap + 0.5 * height) else "\n"


def _continues_hyphenated(previous: Line, line: Line) -> bool:
    last = previous.words[-1].text
    return len(last) >= 2 and bool(_HYPHENATED.search(last)) and line.words[0].text[:1].islower()
