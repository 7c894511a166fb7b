"""The segmenting stage: a document's text -> its sections, from headings kept as data
(``recognisers/patterns/sections.json``).

A UA is written in sections: the case (header, title, the names, what happened), what to ask
for, the officials to write to and who gets copies, background, a sample letter, and around it
a site's chrome. The text before the first heading is the case; each heading's section runs to
the next heading. Recognisers declare which sections they read, so each one works inside its
part of the document instead of re-deriving the layout.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from extractor import ocr_confusions
from extractor.patterns import SectionKind, load_patterns
from extractor.prefilter import fold_for_needs


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    start: int  # where the section's own text starts (after its heading)
    end: int  # exclusive
    heading_start: int  # == start for the case section, which has no heading
    rule: str  # the heading's pattern id, or "section.case"
    role: str | None = None  # for addressees and copies: the recipients' role


@dataclass(frozen=True)
class Sections:
    items: tuple[Section, ...]

    def of(self, *kinds: SectionKind) -> list[Section]:
        return [s for s in self.items if s.kind in kinds]

    def ranges(self, *kinds: SectionKind) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.of(*kinds)]

    @cached_property
    def _heading_starts(self) -> list[int]:
        return [s.heading_start for s in self.items]

    def at(self, offset: int) -> Section:
        """The section holding offset (a heading belongs to the section it opens)."""
        return self.items[max(bisect.bisect_right(self._heading_starts, offset) - 1, 0)]

    def kind_at(self, offset: int) -> SectionKind:
        return self.at(offset).kind


@dataclass(frozen=True)
class _Heading:
    start: int
    end: int
    score: float
    kind: SectionKind
    rule: str
    role: str | None
    then: SectionKind | None = None


def _headings(text: str, language: str, folded: str) -> list[_Heading]:
    found = []
    for pat in load_patterns("sections")["heading"]:
        langs = pat.meta.get("languages")
        if langs and language not in langs:
            continue
        for m in pat.scan(text, folded):
            if m.end() > m.start():
                found.append(_Heading(m.start(), m.end(), pat.score, pat.meta["section"], pat.id, pat.meta.get("role"),
                                      pat.meta.get("then")))
    return _without_overlaps(found)


def _without_overlaps(found: Iterable[_Heading]) -> list[_Heading]:
    """Where headings overlap ('PLEASE SEND APPEALS TO:' is an action phrase and an addressee
    heading) the higher score wins, then the earlier and longer one."""
    kept: list[_Heading] = []
    for h in sorted(found, key=lambda h: (-h.score, h.start, -(h.end - h.start))):
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def segment(text: str, language: str = "en", folded: str | None = None) -> Sections:
    """The sections of ``text``; ``folded`` is ``fold_for_needs(text)`` when the caller has it."""
    heads = _headings(text, language, fold_for_needs(text) if folded is None else folded)
    items: list[Section] = []
    first = heads[0].start if heads else len(text)
    items.append(Section("case", 0, first, 0, "section.case"))
    for i, h in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else len(text)
        if h.then:  # the heading is a section of its own ("From: ... Subject: ..."), then the text goes on
            items.append(Section(h.kind, h.start, h.end, h.start, h.rule, h.role))
            items.append(Section(h.then, h.end, max(end, h.end), h.end, f"{h.rule}.then"))
        else:
            items.append(Section(h.kind, h.end, max(end, h.end), h.start, h.rule, h.role))
    return Sections(tuple(items))


_QUOTED = re.compile(r"^(?:[ \t]*>)+", re.MULTILINE)


def reading_view(text: str) -> str:
    """The text as the rules read it: a mail archive's quote marks ('>UA 109/99 ...', '> > GUATEMALA')
    blanked to spaces when most lines carry them; an XML transcription's tags, a framed paragraph's bars and
    Markdown's bold markers blanked; and OCR's letters for digits read as digits (``ocr_confusions``:
    'AMR 29/l2/88'). Same length, so every offset holds in the original text too."""
    text = ocr_confusions.repair(text)
    if _marked_up(text):
        text = _TAG.sub(lambda m: " " * len(m.group(0)), text)
    if "|" in text:
        text = _FRAMED.sub(lambda m: f" {m.group(1)} ", text)
    if "**" in text and len(_BOLD.findall(text)) >= 4:  # Markdown from html2text: '**In Malaysia, ... copies to:**'
        text = _MARKDOWN.sub(lambda m: " " * len(m.group(0)), text)
    if "''" in text and len(_WIKI_MARKUP.findall(text)) >= 4:  # wikitext: "'''Minister:'''", '=== Appeals to ==='
        text = _WIKI_MARKUP.sub(lambda m: " " * len(m.group(0)), text)
    if "<" in text:  # a page's line breaks kept as tags ('Office of the President<br />Hargeisa'): lines again
        text = _LINE_BREAK_TAG.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), text)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    quoted = sum(1 for ln in lines if ln.lstrip().startswith(">"))
    if not lines or quoted * 2 < len(lines):
        return text
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


# An XML or SGML tag on one line ('<lb/>', '<persName ref="#p1">', '</p>'), blanked in a marked-up text
_TAG = re.compile(r"</?[A-Za-z?!][^<>\n]{0,300}>")


def _marked_up(text: str) -> bool:
    """A transcription in XML (TEI) or SGML saved as text: tags through the text, not a few in a page."""
    head = text.lstrip()[:200]
    if head.startswith(("<?xml", "<TEI")):
        return True
    tags = len(_TAG.findall(text, 0, 50_000)) if "<" in text else 0
    return tags >= 30 and tags * 3 >= text.count("\n", 0, 50_000)


# Markdown's strong emphasis and a heading's hashes at a line's start
_BOLD = re.compile(r"(?<!\*)\*\*(?!\*)")  # two asterisks, not a rule of them ('*****')
_MARKDOWN = re.compile(rf"{_BOLD.pattern}|^#{{1,6}}(?=[ \t])", re.MULTILINE)


# Wikitext's bold and italic quotes and a heading's equals signs ('=== Appeals to ===')
_WIKI_MARKUP = re.compile(r"'{2,3}|^={2,6}(?=[ \t]*[^=\s])|(?<=[^=\s])[ \t]*={2,6}[ \t]*$", re.MULTILINE)
# An HTML line break left in text ('<br>', '<br/>', '<BR />')
_LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


# Text, three spaces or more, text: two columns' pieces side by side on one line
GUTTER = re.compile(r"\S[ \t]{3,}\S")


def columns_run_together(text: str) -> bool:
    """A two-column page flattened line by line ('Tendai MUKONI (m), aged 34   Tendai Mukoni and Blessing'):
    most lines hold a piece of each column. Tables and labelled header lines are too few to count."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return len(lines) >= 15 and sum(1 for ln in lines if GUTTER.search(ln)) >= 0.4 * len(lines)


# A framed paragraph's line as a Word converter draws it ('|42, rue de Prony          |'): one cell, its
# bars blanked, so the line reads as what it holds. A row of several cells keeps its bars (a table).
_FRAMED = re.compile(r"^[ \t]*\|([^|\n]*)\|(?=[ \t]*$)", re.MULTILINE)
