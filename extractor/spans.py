"""Spans: what every recogniser emits and the assembler consumes (lossless low level)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A labelled stretch of document text [start, end) found by one rule.

    ``value`` is the normalised value when the rule can already tell (a canonical UA number, a
    date); ``group`` ties spans of one structure together (the parts of one recipient block);
    ``attrs`` carries rule-specific details (role of a UA number: own or mentioned, ...).
    """

    label: str
    start: int
    end: int
    text: str
    rule: str
    score: float = 1.0
    value: Any = None
    group: int | None = None
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def make_span(text: str, label: str, start: int, end: int, rule: str, score: float = 1.0, **kw: Any) -> Span:
    """Span over text[start:end], trimmed of surrounding whitespace so evidence shows the value itself."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(label=label, start=start, end=end, text=text[start:end], rule=rule, score=score, **kw)
