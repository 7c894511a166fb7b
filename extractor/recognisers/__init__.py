"""Recognisers: one module per thing recognised, patterns as data in ``patterns/``.

``CHAIN`` is the order they run in: later recognisers may read the spans of earlier ones
(the issue date looks for the UA number's header line; subjects skip the addressee blocks).
"""
from __future__ import annotations

from extractor.recognisers import codes, dates, document, recipients, subjects
from extractor.recognisers.base import Context, Recogniser

CHAIN: list[tuple[str, Recogniser]] = [
    ("ua_number", codes.ua_numbers),
    ("update_number", codes.update_numbers),
    ("ai_index", codes.ai_indexes),
    ("dates", dates.all_dates),
    ("issue_date", dates.issue_dates),
    ("appeal_deadline", dates.deadlines),
    ("kind", document.kind_markers),
    ("title", document.titles),
    ("country", document.countries),
    ("recipients", recipients.recipients),
    ("subjects.labelled_list", subjects.labelled_list),
    ("subjects.header_block", subjects.header_block),
    ("subjects.title_list", subjects.title_list),
    ("subjects.names_line", subjects.names_line),
    ("subjects.narrative", subjects.narrative),
]


def run_chain(ctx: Context) -> Context:
    for _name, recogniser in CHAIN:
        ctx.spans.extend(recogniser(ctx))
    return ctx


__all__ = ["CHAIN", "Context", "run_chain"]
