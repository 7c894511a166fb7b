"""Spans: what every recogniser emits and the assembler consumes (lossless low level).

The labels are a closed list (``LABELS``), as spaCy's SpanRuler declares ``.labels`` and
usaddress its ``LABELS``: a recogniser declares which of them it provides, and a span with any
other label is refused. ``ATTRS`` documents the attributes each label carries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

Label = Literal[
    "ua_number", "update_number", "ai_index", "date", "issue_date", "appeal_deadline",
    "kind_marker", "title", "country", "subject", "recipient_block",
    "recipient.name", "recipient.title", "recipient.organization", "recipient.address", "recipient.country",
    "recipient.fax", "recipient.phone", "recipient.email", "recipient.twitter", "recipient.salutation",
]
LABELS: frozenset[str] = frozenset(get_args(Label))

# What ``attrs`` holds per label (all optional unless a recogniser says otherwise).
ATTRS: dict[str, dict[str, str]] = {
    "ua_number": {"role": "own | mention", "series": "UA | EXTRA", "update": "int | None", "kind": "str | None",
                  "match": "(start, end) of the whole match", "ordinal": "int | None", "listed": "bool"},
    "ai_index": {"in_brackets": "bool", "region": "str", "cc": "str"},
    "date": {"year_less": "bool", "in_brackets": "bool", "future": "bool: the sentence puts a year-less date ahead",
             "reads_as": "str: the first day of a range written out in full ('11' of '11 au 13 décembre 2012' reads "
                         "'11 décembre 2012'); only on such spans"},
    "appeal_deadline": {"year_less": "bool"},
    "subject": {"strategy": "str", "gender": "male | female | None", "description": "str | None",
                "cues": "list of the context cues that support it",
                "block": "int: which of its strategy's blocks it came from (header blocks, title lines)"},
    "recipient_block": {"role": "addressee | copy"},
    "recipient.name": {"role": "addressee | copy", "honorific": "str | None"},
    "recipient.fax": {"role": "addressee | copy", "warning": "str | None: a number today's plan does not know"},
    "recipient.phone": {"role": "addressee | copy", "warning": "str | None: a number today's plan does not know"},
}


@dataclass(frozen=True)
class Span:
    """A labelled stretch of document text [start, end) found by one rule.

    ``value`` is the normalised value when the rule can already tell (a canonical UA number, a
    date); ``group`` ties spans of one structure together (the parts of one recipient block);
    ``attrs`` carries the label's attributes (``ATTRS``).
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

    def __post_init__(self) -> None:
        if self.label not in LABELS:
            raise ValueError(f"unknown span label {self.label!r} (rule {self.rule})")


def make_span(text: str, label: str, start: int, end: int, rule: str, score: float = 1.0, **kw: Any) -> Span:
    """Span over text[start:end], trimmed of surrounding whitespace so evidence shows the value itself."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(label=label, start=start, end=end, text=text[start:end], rule=rule, score=score, **kw)
