"""Every date in the text, and the ones that are the issue date or the appeal deadline."""
from __future__ import annotations

import re
from collections.abc import Iterator

from extractor.normalise.dates import LETTER_O_DAY, find_dates, find_numeric_dates, parse_date
from extractor.patterns import load_patterns
from extractor.recognisers.base import Context, inside_brackets
from extractor.spans import Span

_CONTEXT = 90  # characters before a date searched for its label
_HEADER_REACH = 160  # a header's date follows its UA number within this many characters
# A weekday before the date marks a blog's or mailer's posting stamp, not the UA's own date line.
_WEEKDAY = re.compile(r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|lunes|martes|mi[eé]rcoles|jueves|viernes|"
                      r"s[aá]bado|domingo|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b", re.IGNORECASE)


def all_dates(ctx: Context) -> Iterator[Span]:
    future = load_patterns("dates")["future_context"][0].regex
    written = find_dates(ctx.text, ctx.language)
    # dates in figures: posting and revision stamps, mostly a wrapper's; listed, never the issue date or deadline
    for start, end, text, stamped in find_numeric_dates(ctx.text):
        if not any(s < end and start < e for s, e, _ in written):
            yield ctx.span("date", start, end, "date.numeric", 0.8, value=stamped,
                           attrs={"year_less": False, "in_brackets": inside_brackets(ctx.text, start), "future": False,
                                  "numeric": True})
    for start, end, text in written:
        value = parse_date(text, language=ctx.language)
        if value is not None and any(LETTER_O_DAY.match(w) for w in text.split()):
            ctx.notes.append(f"dates: {text!r} was read with its letter O as a zero ({value.isoformat()})")
        ahead = value is None and bool(future.search(ctx.text, max(0, start - 80), start))
        attrs = {"year_less": value is None, "in_brackets": inside_brackets(ctx.text, start), "future": ahead}
        yield from _range_starts(ctx, start, text, attrs)
        yield ctx.span("date", start, end, "date.find", 0.9, value=value, attrs=attrs)


# '11 au 13 décembre', 'between 25 and 26 October', 'del 3 al 5 de mayo', 'les 18 et 19', '11-13 March': the
# day before the connector is a date of the same month. Only a bare day number, right before.
_RANGE_START = re.compile(r"(?<![\d/.,:])\b(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?\s*(?:(?:and|to|au|et|al|y)\s+(?:(?:the|le|el)\s+)?|[-–]\s*)$",
                          re.IGNORECASE)
_LEADING_DAY = re.compile(r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th|º|°|o)?\b")


def _range_starts(ctx: Context, start: int, text: str, attrs: dict[str, bool]) -> Iterator[Span]:
    second = _LEADING_DAY.match(text)
    if not second:
        return
    m = _RANGE_START.search(ctx.text, max(0, start - 30), start)
    if not m or not 1 <= int(m.group("day")) < int(second.group("day")):
        return  # a range goes forward: '26 and 25 October' is no range
    reads_as = m.group("day") + text[second.end():]
    value = parse_date(reads_as, language=ctx.language)
    yield ctx.span("date", m.start("day"), m.end("day"), "date.range_start", 0.8, value=value,
                   attrs={**attrs, "year_less": value is None, "reads_as": reads_as})


def _label_before(ctx: Context, span: Span, group: str) -> tuple[str, float] | None:
    # a label may end the previous line when a PDF or a mailer wrapped it, but not across a paragraph
    para_start = ctx.text.rfind("\n\n", 0, span.start) + 2
    before = ctx.text[max(para_start, span.start - _CONTEXT): span.start]
    for pat in load_patterns("dates")[group]:
        if pat.regex.search(before):
            return pat.id, pat.score
    return None


def _label_after(ctx: Context, span: Span, group: str) -> tuple[str, float] | None:
    para_end = ctx.text.find("\n\n", span.end)
    after = ctx.text[span.end:min(span.end + 2 * _CONTEXT, para_end if para_end >= 0 else len(ctx.text))]
    for pat in load_patterns("dates")[group]:
        if pat.regex.search(after):
            return pat.id, pat.score
    return None


def issue_dates(ctx: Context) -> Iterator[Span]:
    regions = ctx.regions()
    dates = [d for d in ctx.labelled("date") if not d.attrs.get("in_brackets") and not d.attrs.get("reads_as")
             and not d.attrs.get("numeric") and any(s <= d.start < e for s, e in regions)]
    own_codes = [s for s in ctx.labelled("ua_number") if s.attrs["role"] == "own"]
    standalone_seen = False
    for d in dates:
        label = _label_before(ctx, d, "issue_date_label")
        if label:
            yield ctx.span("issue_date", d.start, d.end, label[0], label[1], value=d.value)
            continue
        line = ctx.line_at(d.start)
        if any(ctx.line_at(c.start) == line and 0 < d.start - c.end <= _HEADER_REACH
               and not _sentence_between(ctx.text[c.end:d.start]) for c in own_codes):
            yield ctx.span("issue_date", d.start, d.end, "issue_date.ua_header_line", 0.9, value=d.value)
            continue
        if not standalone_seen and _date_line(line.stripped.rstrip("."), d.text) and not _WEEKDAY.match(d.text):
            standalone_seen = True  # only the first date standing alone on its line heads the document
            yield ctx.span("issue_date", d.start, d.end, "issue_date.own_line", 0.75, value=d.value)


# before a date that is its line's only content: 'Le 3 juillet 2003', 'London, 3 July 2003', 'Madrid, el ...'
# ... or a site's label before a bar or a dot ('NEWS | 5 February 2024', 'Press release · 3 May 2019')
_DATE_LINE_LEAD = re.compile(r"(?:[A-ZÀ-Þ][\w'’ -]{1,30},\s*|[A-ZÀ-Þ][\w ]{1,25}?\s*[|·•]\s*)?(?:(?:le|el|the|on)\s+)?",
                             re.IGNORECASE)


def _date_line(line: str, date: str) -> bool:
    return line.endswith(date) and bool(_DATE_LINE_LEAD.fullmatch(line[:len(line) - len(date)]))


def _sentence_between(s: str) -> bool:
    """A full stop or a preposition before the date means it is a date in the narrative."""
    return bool(re.search(r"[.;]\s|\b(?:on|since|until|from|el|le|du|del)\s*$", s, re.IGNORECASE))


def deadlines(ctx: Context) -> Iterator[Span]:
    for d in ctx.labelled("date"):
        if d.attrs.get("reads_as") or d.attrs.get("numeric"):
            continue  # the first day of a range: an appeal runs to its last day; a stamp in figures
        label = _label_before(ctx, d, "deadline_label") or _label_after(ctx, d, "deadline_check_after")
        if label:
            yield ctx.span("appeal_deadline", d.start, d.end, label[0], label[1], value=d.value,
                           attrs={"year_less": d.value is None})
