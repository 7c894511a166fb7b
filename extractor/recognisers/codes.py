"""UA numbers (series, update number) and Amnesty indexes, own and mentioned."""
from __future__ import annotations

from collections.abc import Iterator

from extractor.normalise.codes import canonical_index, canonical_ua_number, ordinal_value
from extractor.patterns import Pattern, load_patterns
from extractor.recognisers.base import Context, inside_brackets
from extractor.spans import Span

_EXAMPLE_WINDOW = 12  # characters before a number that may mark it as an example ("ej: AU 25/99")


def _series(raw: str | None) -> str:
    return "EXTRA" if raw and raw.upper() == "EXTRA" else "UA"


def ua_numbers(ctx: Context) -> Iterator[Span]:
    pats = load_patterns("codes")
    examples = pats["ua_example_context"]
    listing = next((sec for sec in ctx.sections.of("chrome") if sec.rule == "section.chrome.listing"), None)
    listing_from = listing.heading_start if listing else len(ctx.text) + 1
    for pat in pats["ua_number"]:
        for m in pat.scan(ctx.text, ctx.folded):
            if "max_line" in pat.meta and ctx.line_index_at(m.start()) >= pat.meta["max_line"]:
                continue  # a title sits at the top
            lead = m.start("series") if m.groupdict().get("series") else m.start("num")
            before = ctx.text[max(0, lead - _EXAMPLE_WINDOW): lead]
            if any(e.regex.search(before) for e in examples):
                continue  # an example in boilerplate, not a reference
            value = canonical_ua_number(m.group("num"), m.group("yy"))
            groups = m.groupdict()
            update = int(groups["upd"]) if groups.get("upd") else None
            ordinal = ordinal_value(groups["ord"]) if groups.get("ord") else None
            if ordinal and (ordinal > 1 or pat.meta.get("ordinal_is_update")):
                # "THIRD UA 60/16" counts the UA itself (first = the original); "SECOND Further
                # Information on UA 198/04" and "primera actualización" count the updates
                update = update or ordinal
            role = pat.meta["role"]
            if role == "own" and not pat.meta.get("brackets_ok") and inside_brackets(ctx.text, m.start()):
                role = "mention"  # "(see\nUA 123/92, ...)": a reference that happens to start a line
            kind = pat.meta.get("kind")
            listed = _listed(ctx, m.start(), pats["ua_related_exclude"], listing_from)
            if m.start() >= listing_from:
                role = "mention"  # under "Highlights" or "Previous Posts": other UAs, not this one
            if update:
                kind = "further_information"
            yield ctx.span(
                "ua_number", m.start("num"), m.end("yy"), pat.id, pat.score, value=value,
                attrs={"role": role, "series": _series(groups.get("series")),
                       "update": update, "kind": kind, "match": (m.start(), m.end()),
                       "ordinal": ordinal, "listed": listed},
            )


def _listed(ctx: Context, pos: int, navigation: list[Pattern], listing_from: int) -> bool:
    """A number heading a line of a list of other UAs (a blog's sidebar, 'Next message: AI UA 164/97')
    is not a reference the text makes; one wrapped to a line start inside '(see ...' still is."""
    before = ctx.text[max(0, pos - 40):pos]
    if any(p.regex.search(before) for p in navigation):
        return True
    if pos >= listing_from:
        return True  # under a blog's "Previous Posts" or "Archives": a list of other UAs
    line_start = ctx.text.rfind("\n", 0, pos) + 1
    return not ctx.text[line_start:pos].strip(" \t•*-") and not inside_brackets(ctx.text, pos)


def update_numbers(ctx: Context) -> Iterator[Span]:
    """'This is the first update', 'primera actualización': the update's number, said in words."""
    for pat in load_patterns("codes")["update_number"]:
        for m in pat.scan(ctx.text, ctx.folded):
            value = ordinal_value(m.group("ord"))
            if value:
                yield ctx.span("update_number", m.start(), m.end(), pat.id, pat.score, value=value)


def ai_indexes(ctx: Context) -> Iterator[Span]:
    for pat in load_patterns("codes")["ai_index"]:
        for m in pat.scan(ctx.text, ctx.folded):
            value = canonical_index(m.group("reg"), m.group("cc"), m.group("no"), m.group("yr"))
            in_brackets = inside_brackets(ctx.text, m.start("reg")) and not pat.meta.get("brackets_ok")
            yield ctx.span(
                "ai_index", m.start("reg"), m.end("yr"), pat.id, pat.score * (0.3 if in_brackets else 1.0),
                value=value, attrs={"in_brackets": in_brackets, "region": m.group("reg"), "cc": m.group("cc")},
            )
