"""Recognisers: one module per thing recognised, patterns as data in ``patterns/``.

``REGISTRY`` declares each recogniser: the sections it reads, what it requires and provides.
They run in registry order after the segmenting stage; ``check_registry`` (run at import) refuses
a recogniser that requires a label no earlier one provides, and ``run`` refuses a span whose label
its recogniser did not declare. Choosing between spans is left to ``extractor.assemble``.
"""
from __future__ import annotations

from extractor.patterns import SectionKind
from extractor.recognisers import codes, dates, document_facts, loose_subjects, recipients, subjects
from extractor.recognisers.base import Context, Recogniser

# The case and everything a reader would still take as the UA: not site chrome.
_UA_TEXT: tuple[SectionKind, ...] = ("case", "action", "addressees", "copies", "background", "letter", "other")
_STORY: tuple[SectionKind, ...] = ("case", "action", "addressees", "copies", "letter")

REGISTRY: tuple[Recogniser, ...] = (
    Recogniser("ua_number", codes.ua_numbers, frozenset({"ua_number"}), patterns="codes"),
    Recogniser("update_number", codes.update_numbers, frozenset({"update_number"}), patterns="codes"),
    Recogniser("ai_index", codes.ai_indexes, frozenset({"ai_index"}), patterns="codes"),
    Recogniser("dates", dates.all_dates, frozenset({"date"})),
    Recogniser("issue_date", dates.issue_dates, frozenset({"issue_date"}), frozenset({"date", "ua_number"}),
               sections=_UA_TEXT, patterns="dates"),
    Recogniser("appeal_deadline", dates.deadlines, frozenset({"appeal_deadline"}), frozenset({"date"}),
               patterns="dates"),
    Recogniser("kind", document_facts.kind_markers, frozenset({"kind_marker"}), patterns="document"),
    Recogniser("title", document_facts.titles, frozenset({"title"}), frozenset({"ua_number", "issue_date"}),
               patterns="document"),
    Recogniser("country", document_facts.countries, frozenset({"country"}), frozenset({"ai_index"}), patterns="document"),
    Recogniser("recipients", recipients.recipients,
               frozenset({"recipient_block", "recipient.name", "recipient.title", "recipient.organization",
                          "recipient.address", "recipient.country", "recipient.fax", "recipient.phone",
                          "recipient.email", "recipient.twitter", "recipient.salutation"}),
               frozenset({"country", "ua_number", "ai_index"}), sections=_UA_TEXT, patterns="recipients"),
    Recogniser("subjects.listed", subjects.listed, frozenset({"subject"}),
               frozenset({"country", "recipient_block"}), sections=(*_STORY, "background", "other"), patterns="people"),
    Recogniser("subjects.loose", loose_subjects.loose, frozenset({"subject"}),
               frozenset({"title", "recipient_block"}), sections=_STORY, patterns="people"),
)


def check_registry(registry: tuple[Recogniser, ...] = REGISTRY) -> None:
    provided: set[str] = set()
    for rec in registry:
        missing = rec.requires - provided
        if missing:
            raise ValueError(f"recogniser {rec.name!r} requires {sorted(missing)}, which no earlier recogniser provides")
        provided |= rec.provides


def run(ctx: Context, registry: tuple[Recogniser, ...] = REGISTRY) -> Context:
    """Segment (``ctx.sections``, computed once), then every recogniser in order."""
    for rec in registry:
        ctx.scope = rec.sections
        for span in rec.find(ctx):
            if span.label not in rec.provides:
                raise ValueError(f"recogniser {rec.name!r} emitted {span.label!r}, which it does not declare")
            ctx.spans.append(span)
    ctx.scope = None
    return ctx


check_registry()

__all__ = ["REGISTRY", "Context", "Recogniser", "check_registry", "run"]
