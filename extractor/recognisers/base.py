"""What a recogniser is and what it sees.

A ``Recogniser`` is declared: the sections it reads, the span labels it requires (from earlier
recognisers) and provides, and its patterns file. It sees a ``Context``: the text, its lines and
sections, the language, the model's entities and the spans found so far (read-only). It returns
new spans and never touches the record; choosing between them is the assembler's job."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from extractor.patterns import SectionKind
from extractor.prefilter import fold_for_needs
from extractor.recognisers.names import fold_names
from extractor.segment import Sections, segment
from extractor.spans import Label, Span, make_span


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # exclusive, before the newline
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def _in_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_’'-"


@dataclass
class Context:
    text: str
    language: str = "en"  # the language the rules read the text in
    spans: list[Span] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, label) from the model
    notes: list[str] = field(default_factory=list)  # warnings for the record
    detected_language: str = ""  # what the text is ("de", "und", ...), when it differs from the rules' language
    scope: tuple[SectionKind, ...] | None = None  # the running recogniser's declared sections
    memo: dict[tuple[Any, ...], object] = field(default_factory=dict)  # checks' answers for this text

    @cached_property
    def _name_folded(self) -> str:
        # the whole text folded at once, as name_key folds one name (per word it cost more than the rest of a
        # recogniser); words of scripts with combining marks may split otherwise, Latin names do not
        return fold_names(self.text)

    def word_count(self, key: str) -> int:
        """How often a (folded, ``name_key``) word occurs as a word: a name the text keeps repeating is what
        it is about. Counted for the words asked about, not for every word of the text."""
        memo_key = ("word_count", key)
        if memo_key not in self.memo:
            text, count = self._name_folded, 0
            at = text.find(key) if key else -1
            while at >= 0:  # substring hits, kept where no word character touches them ('ali' is not in 'alignment')
                end = at + len(key)
                if not (at and _in_word(text[at - 1])) and not (end < len(text) and _in_word(text[end])):
                    count += 1
                at = text.find(key, at + 1)
            self.memo[memo_key] = count
        return self.memo[memo_key]  # type: ignore[return-value]

    @cached_property
    def folded(self) -> str:
        """The text case-folded, for the patterns' literal prefilter (``Pattern.scan``)."""
        return fold_for_needs(self.text)

    @cached_property
    def sections(self) -> Sections:
        """The segmenting stage, run once per document before the recognisers read it."""
        return segment(self.text, self.language, self.folded)

    def regions(self) -> list[tuple[int, int]]:
        """The [start, end) ranges of the running recogniser's sections (the whole text when it
        reads all of them), adjacent ranges merged."""
        if self.scope is None:
            return [(0, len(self.text))]
        out: list[tuple[int, int]] = []
        for sec in self.sections.items:
            if sec.kind in self.scope:
                start = sec.start  # not the heading: 'Dear Mr Jahangir,' opens a letter, it is not in it
                if out and out[-1][1] >= start:
                    out[-1] = (out[-1][0], sec.end)
                else:
                    out.append((start, sec.end))
        return out

    @cached_property
    def lines(self) -> list[Line]:
        out, pos = [], 0
        for raw in self.text.split("\n"):
            out.append(Line(pos, pos + len(raw), raw))
            pos += len(raw) + 1
        return out

    def line_index_at(self, offset: int) -> int:
        lo, hi = 0, len(self.lines) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.lines[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def line_at(self, offset: int) -> Line:
        return self.lines[self.line_index_at(offset)]

    def labelled(self, *labels: str) -> list[Span]:
        return [s for s in self.spans if s.label in labels]

    def best(self, label: str) -> Span | None:
        """Highest-scoring span of a label, earliest on ties."""
        cands = self.labelled(label)
        return max(cands, key=lambda s: (s.score, -s.start)) if cands else None

    def span(self, label: str, start: int, end: int, rule: str, score: float = 1.0, **kw: Any) -> Span:
        return make_span(self.text, label, start, end, rule, score, **kw)


Find = Callable[[Context], Iterable[Span]]


@dataclass(frozen=True)
class Recogniser:
    """A recogniser's declaration (after Presidio's recognisers and spaCy's SpanRuler)."""

    name: str
    find: Find
    provides: frozenset[Label]
    requires: frozenset[Label] = frozenset()
    sections: tuple[SectionKind, ...] | None = None  # None: the whole text
    patterns: str | None = None  # its file in patterns/

_WS = re.compile(r"\s+")


def squash(s: str) -> str:
    """One space between words: flattened and wrapped text compare alike."""
    return _WS.sub(" ", s).strip()


def inside_brackets(text: str, pos: int, reach: int = 400) -> bool:
    """True when pos sits inside an open '(' of its paragraph: bracketed codes and dates cite other
    documents ('Further information on UA 278/03 (ASA 31/037/2003, 26 September 2003)', '(see\nUA 123/92')."""
    start = max(text.rfind("\n\n", 0, pos) + 2, pos - reach, 0)
    depth = 0
    for ch in text[start:pos]:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    return depth > 0
