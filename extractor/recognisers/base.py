"""What a recogniser sees: the text, its lines, the language, the model's entities and the spans
found so far (read-only). A recogniser returns new spans and never touches the record."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from extractor.spans import Span, make_span


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


@dataclass
class Context:
    text: str
    language: str = "en"
    spans: list[Span] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, label) from the model
    notes: list[str] = field(default_factory=list)  # warnings for the record

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


Recogniser = Callable[[Context], Iterable[Span]]

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
