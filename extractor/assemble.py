"""Spans -> one validated record. The only place that decides between competing spans, so the
precision policy lives here: a value the text does not clearly support is left null."""
from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import re
from collections.abc import Iterable
from typing import Any

from extractor.document import Document
from extractor.normalise.dates import infer_year, parse_date, weekday_named, year_by_weekday
from extractor.ocr_confusions import repaired_count
from extractor.recognisers.base import Context
from extractor.recognisers.names import name_key
from extractor.recognisers.recipient_head import NOTE, PROSE_IN_NAME
from extractor.recognisers.subjects import STRUCTURED
from extractor.spans import Span
from models import (
    DateMention,
    Evidence,
    Mention,
    Mentions,
    Recipient,
    Source,
    Subject,
    UrgentAction,
)

_OWN_MIN = 0.7  # a UA number must come from a header-like rule to be the document's own
_INDEX_MIN = 0.8
_COUNTRY_HEADER_MIN = 0.8
_COUNTRY_VOTE = {"country.demonym": 0.5, "country.city": 0.75}  # other mentions count 1


class _Record:
    """Collects field values with their evidence while the record is built."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.values: dict[str, Any] = {}
        self.evidence: list[Evidence] = []
        self.warnings: list[str] = list(doc.warnings)

    def cite(self, field: str, span: Span) -> None:
        page, bbox = self.doc.locate(span.start, span.end)
        text = self.doc.text[span.start:span.end]  # the document's own characters, even where rules read a cleaned view
        self.evidence.append(Evidence(field=field, start=span.start, end=span.end, text=text,
                                      rule=span.rule, score=round(span.score, 3), page=page, bbox=bbox))


def assemble(doc: Document, ctx: Context, *, model: str, notes: Iterable[str] = ()) -> UrgentAction:
    rec = _Record(doc)
    rec.warnings.extend(notes)
    rec.warnings.extend(ctx.notes)
    confused = repaired_count(doc.text, ctx.text)
    if confused:
        rec.warnings.append(f"text: {confused} character(s) that OCR or a typist confuses ('l' or 'O' among digits, "
                            "'ln' for 'In') were read as the digits or letters they stand for; evidence shows them as written")
    own = _ua_number(ctx, rec)
    _ai_index(ctx, rec)
    issue = _issue_date(ctx, rec)
    _deadline(ctx, rec, issue)
    _kind(ctx, rec, own)
    _title(ctx, rec)
    _country(ctx, rec)
    recipients = _recipients(ctx, rec)
    _subjects(ctx, rec, recipients)
    v = rec.values
    return UrgentAction(
        source=Source(path=doc.path, resolved=doc.resolved, sha256=doc.sha256, media_type=doc.media_type,  # type: ignore[arg-type]
                      pages=doc.pages, chars=len(doc.text)),
        kind=v["kind"], language=ctx.detected_language or ctx.language, ua_series=v.get("ua_series"), ua_number=v.get("ua_number"),
        update_number=v.get("update_number"), ai_index=v.get("ai_index"), issue_date=issue,
        appeal_deadline=v.get("appeal_deadline"), title=v.get("title"), country=v.get("country"),
        country_code=v.get("country_code"), subjects=v.get("subjects", []), recipients=recipients,
        related_ua_numbers=_related(ctx, rec, own), dates=_dates(ctx, issue, _own_year(v)),
        mentions=_mentions(ctx), evidence=rec.evidence, warnings=_unique(rec.warnings),
    )


def _best(spans: list[Span]) -> Span | None:
    return max(spans, key=lambda s: (s.score, -s.start)) if spans else None


def _ua_number(ctx: Context, rec: _Record) -> Span | None:
    own = [s for s in ctx.labelled("ua_number") if s.attrs["role"] == "own" and s.score >= _OWN_MIN]
    best = _best(own)
    if not best:
        return None
    rec.values.update(ua_number=best.value, ua_series=best.attrs["series"])
    rec.cite("ua_number", best)
    rec.cite("ua_series", best)
    updates = [s for s in own if s.value == best.value and s.attrs.get("update")]
    if updates:
        rec.values["update_number"] = updates[0].attrs["update"]
        rec.cite("update_number", updates[0])
    others = {s.value for s in own if s.score >= 0.9} - {best.value}
    if others:
        rec.warnings.append(f"ua_number: header-like numbers disagree ({best.value} kept; also {', '.join(sorted(others))})")
    return best


def _related(ctx: Context, rec: _Record, own: Span | None) -> list[str]:
    out: list[str] = []
    for s in sorted(ctx.labelled("ua_number"), key=lambda s: s.start):
        if s.attrs.get("listed"):
            continue
        if (own is None or s.value != own.value) and s.value not in out:
            out.append(s.value)
            rec.cite(f"related_ua_numbers[{len(out) - 1}]", s)
    return out


def _ai_index(ctx: Context, rec: _Record) -> None:
    cands = [s for s in ctx.labelled("ai_index") if s.score >= _INDEX_MIN and not s.attrs["in_brackets"]]
    best = _best(cands)
    if not best:
        return
    rec.values["ai_index"] = best.value
    rec.cite("ai_index", best)
    others = {s.value for s in cands} - {best.value}
    if others:
        rec.warnings.append(f"ai_index: more than one own index ({best.value} kept; also {', '.join(sorted(others))})")


def _issue_date(ctx: Context, rec: _Record) -> dt.date | None:
    best = _best([s for s in ctx.labelled("issue_date") if s.value is not None])
    if not best:
        return None
    rec.cite("issue_date", best)
    return best.value  # type: ignore[no-any-return]


def _deadline(ctx: Context, rec: _Record, issue: dt.date | None) -> None:
    for s in sorted(ctx.labelled("appeal_deadline"), key=lambda s: (-s.score, s.start)):
        value = s.value
        if value is None and issue is not None:
            value = _year_less(s.text, issue, after=True)
            if value is not None:
                rec.warnings.append(f"appeal_deadline: year inferred from the issue date ({s.text!r})")
        if value is not None:
            rec.values["appeal_deadline"] = value
            rec.cite("appeal_deadline", s)
            return


def _day_month(text: str) -> tuple[int, int] | None:
    """Day and month of a date written without its year."""
    probe = parse_date(text, default_year=2000)  # a leap year, so 29 February parses
    return (probe.day, probe.month) if probe else None


def _year_less(text: str, ref: dt.date, *, after: bool) -> dt.date | None:
    """A date without its year, in the year a reader infers from ``ref`` (the issue date)."""
    day_month = _day_month(text)
    try:
        return infer_year(day_month, ref, after=after) if day_month else None
    except ValueError:
        return None


_UA_CUES_MIN = 1.2  # weak cues of an Urgent Action without a number: two of them, or one strong
_UA_CUE_STRONG = 0.8


def _ua_cues(ctx: Context) -> Span | None:
    """The strongest cue when the weak cues of a UA ('Fear for safety' as a title, 'the people named
    above', 'No further action is needed', RECOMMENDED ACTION) add up; else None."""
    cues = {s.rule: s for s in ctx.labelled("kind_marker") if s.value == "urgent_action_cue"}
    if not cues:
        return None
    best = max(cues.values(), key=lambda s: s.score)
    return best if best.score >= _UA_CUE_STRONG or sum(s.score for s in cues.values()) >= _UA_CUES_MIN else None


def _kind(ctx: Context, rec: _Record, own: Span | None) -> None:
    why: Span | None
    markers = {s.value: s for s in sorted(ctx.labelled("kind_marker"), key=lambda s: -s.start)}
    fi = markers.get("further_information")
    if own is not None and own.attrs.get("kind") == "further_information":
        kind, why = "further_information", own
    elif fi is not None:
        kind, why = "further_information", fi
    elif "not_urgent_action" in markers:  # 'This is not a new Urgent Action': a circular, a news item, a reply
        kind, why = "other", markers["not_urgent_action"]
    elif "catalogue_page" in markers and "document_header" not in markers:
        kind, why = "other", markers["catalogue_page"]
    elif own is not None and own.attrs.get("ordinal") == 1:
        kind, why = "urgent_action", own
    elif own is not None or "urgent_action" in markers:
        kind, why = "urgent_action", own or markers.get("urgent_action")
    elif (cues := _ua_cues(ctx)) is not None:
        kind, why = "urgent_action", cues
    else:
        kind, why = "other", None
    rec.values["kind"] = kind
    if why is not None:
        rec.cite("kind", why)
    said = _best(ctx.labelled("update_number"))
    if kind == "further_information" and said and rec.values.get("update_number") is None:
        rec.values["update_number"] = said.value
        rec.cite("update_number", said)


def _title(ctx: Context, rec: _Record) -> None:
    best = _best(ctx.labelled("title"))
    if best:
        rec.values["title"] = re.sub(r"\s+", " ", best.text).strip(" -:")
        rec.cite("title", best)


def _country(ctx: Context, rec: _Record) -> None:
    spans = ctx.labelled("country")
    header = [s for s in spans if s.score >= _COUNTRY_HEADER_MIN]
    best = _best(header)
    if best is None:
        # names weigh more than cities, cities more than demonyms: 'Kosovo Albanians' are in Kosovo
        votes: dict[tuple[str, str], float] = {}
        for s in spans:
            votes[s.value] = votes.get(s.value, 0.0) + _COUNTRY_VOTE.get(s.rule, 1.0)
        if not votes:
            return
        (top, n), *rest = sorted(votes.items(), key=lambda kv: -kv[1])
        if rest and rest[0][1] == n:
            return  # a tie is no answer
        if n < 2 and len(votes) > 1:
            return
        best = next(s for s in spans if s.value == top)
    rec.values["country"], rec.values["country_code"] = best.value
    rec.cite("country", best)
    rec.cite("country_code", best)


# Loose candidates (names beside role words, the model's PERSON entities) start from their
# source's score; each context cue adds its weight. A subject needs _SUBJECT_MIN, or
# _SUBJECT_MIN_BESIDE_LIST when a structured source (a names list, '(m)', the header block)
# already named the UA's people: then a loose name is more often a lawyer, a relative or an official.
_CUE_WEIGHT = {"risk_sentence": 0.3, "role": 0.3, "risk_verb": 0.2, "title": 0.2, "repeated": 0.15, "letter": -0.2}
_SUBJECT_MIN = 0.6
_SUBJECT_MIN_BESIDE_LIST = 0.8


def _subject_score(s: Span) -> float:
    if s.attrs["strategy"] in STRUCTURED:
        return s.score
    return min(0.99, s.score + sum(_CUE_WEIGHT.get(c, 0.0) for c in s.attrs.get("cues", ())))


@functools.lru_cache(maxsize=65536)
def _same_person(a: str, b: str) -> bool:
    """'Julio Eduardo' and 'Julio Eduardo Arango Escobar'; 'Gürsel _ahin' and 'Gursel Sahin' (a
    letter the text layer lost, written '_', or written without its accent)."""
    ta, tb = a.split(), b.split()
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(short) >= 2 and all(any(_same_word(t, u) for u in long_) for t in short)


@functools.lru_cache(maxsize=65536)  # a long text compares the same few words over and over
def _same_word(a: str, b: str) -> bool:
    """One word of a name as the text spells it twice: a lost letter ('_ahin'), or a long word
    one letter apart or two swapped ('Fattah' / 'Fatah', 'Sotoudeh' / 'Sotodueh')."""
    if a == b:
        return True
    if len(a) == len(b) and ("_" in a or "_" in b):
        return all(x == y or "_" in (x, y) for x, y in zip(a, b, strict=True))
    if min(len(a), len(b)) < 5:
        return False
    matcher = difflib.SequenceMatcher(None, a, b)
    # the quick ratios are upper bounds of ratio(): most pairs of words fail them at no cost
    return matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def _score_ok(s: Span) -> bool:
    """A loose form of a name the structured sources settled: found by the model or a role word, not a guess."""
    return _subject_score(s) >= _SUBJECT_MIN


def _subjects(ctx: Context, rec: _Record, recipients: list[Recipient]) -> None:
    addressees = [name_key(r.name) for r in recipients if r.name]
    people: list[list[Span]] = []  # candidates grouped by person, in text order
    # of a strategy's blocks (header blocks, title lines) the first that names anyone is the document's
    for s in sorted((s for s in ctx.labelled("subject") if not s.attrs.get("block")), key=lambda s: s.start):
        key = name_key(s.value)
        if any(_same_person(key, a) for a in addressees):
            continue
        group = next((g for g in people if any(_same_person(key, name_key(x.value)) for x in g)), None)
        if group is None:
            people.append([s])
        else:
            group.append(s)
    structured = any(s.attrs["strategy"] in STRUCTURED for g in people for s in g)
    bar = _SUBJECT_MIN_BESIDE_LIST if structured else _SUBJECT_MIN  # for loose candidates
    subjects: list[Subject] = []
    for group in people:
        qualified = [s for s in group if _subject_score(s) >= (_SUBJECT_MIN if s.attrs["strategy"] in STRUCTURED
                                                                 else bar)]
        if not qualified:
            continue
        # the fullest form of the name, as the text first writes it
        best = min(qualified, key=lambda s: (s.attrs["strategy"] not in STRUCTURED,
                                             -s.score if s.attrs["strategy"] in STRUCTURED else 0.0,
                                             -len(s.value.split()), s.start))
        # a list names 'Ihar Zhuk'; the story 'Ihar Mikalayevich Zhuk': the person is settled, the fuller form kept
        words = best.value.split()
        fuller = [s for s in group if len(s.value.split()) > len(words) and s.value.split()[0] == words[0]
                  and s.value.split()[-1] == words[-1] and _score_ok(s)]
        if fuller:
            best = min(fuller, key=lambda s: (-len(s.value.split()), s.start))
        rec.cite(f"subjects[{len(subjects)}].name", best)
        gender = best.attrs.get("gender") or next((s.attrs["gender"] for s in group if s.attrs.get("gender")), None)
        desc = best.attrs.get("description") or next((s.attrs["description"] for s in group
                                                      if s.attrs.get("description")), None)
        subjects.append(Subject(name=best.value, gender=gender, description=desc))
    rec.values["subjects"] = subjects


def _recipients(ctx: Context, rec: _Record) -> list[Recipient]:
    groups: dict[int, list[Span]] = {}
    for s in ctx.spans:
        if s.label.startswith("recipient") and s.group is not None:
            groups.setdefault(s.group, []).append(s)
    out: list[Recipient] = []
    for gid in sorted(groups):
        spans = groups[gid]
        i = len(out)
        first = {lab: next((s for s in spans if s.label == lab), None)
                 for lab in ("recipient.name", "recipient.title", "recipient.organization",
                             "recipient.salutation", "recipient.country")}
        office = _office_line(ctx, spans) if not first["recipient.name"] else None
        lines: dict[int, list[Span]] = {}
        for s in spans:
            if s.label == "recipient.address":
                lines.setdefault(s.attrs["line"], []).append(s)
        # pieces of one line are re-read from the text, so "Carrera 8 No.7-26" stays as written (a marked-up
        # transcription's tags, blanked in the reading view, stay out)
        address = [_as_written(ctx, rec, min(x.start for x in parts), max(x.end for x in parts))
                   for _, parts in sorted(lines.items())]
        role = spans[0].attrs.get("role", "addressee")
        r = Recipient(
            role=role, name=first["recipient.name"].value if first["recipient.name"] else office,
            title=first["recipient.title"].value if first["recipient.title"] else None,
            organization=first["recipient.organization"].value if first["recipient.organization"] else None,
            address_lines=address, country=first["recipient.country"].value if first["recipient.country"] else None,
            fax=_values(spans, "recipient.fax"), phone=_values(spans, "recipient.phone"),
            email=_values(spans, "recipient.email"), twitter=_values(spans, "recipient.twitter"),
            salutation=first["recipient.salutation"].value if first["recipient.salutation"] else None,
        )
        out.append(r)
        for s in spans:
            part = s.label.split(".", 1)[1] if "." in s.label else "block"
            if part == "block":
                rec.cite(f"recipients[{i}]", s)
            elif part == "address":
                rec.cite(f"recipients[{i}].address_lines", s)
            elif part in ("fax", "phone", "email", "twitter"):
                rec.cite(f"recipients[{i}].{part}", s)
                if s.attrs.get("warning"):  # a number today's plan does not know, kept as written
                    rec.warnings.append(f"recipients[{i}].{part}: {s.attrs['warning']}")
            else:
                rec.cite(f"recipients[{i}].{part}", s)
    return out


def _as_written(ctx: Context, rec: _Record, start: int, end: int) -> str:
    raw = rec.doc.text[start:end]
    if "<" in raw and raw != ctx.text[start:end]:
        raw = ctx.text[start:end]
    return re.sub(r"\s+([,;])", r"\1", " ".join(raw.split()))


def _office_line(ctx: Context, spans: list[Span]) -> str | None:
    """No person named: the office is the name, as its first line writes it ('The Director General,
    Gambia Prison Service')."""
    heads = [s for s in spans if s.label in ("recipient.title", "recipient.organization")]
    if not heads:
        return None
    first = min(heads, key=lambda s: s.start)
    line = ctx.line_at(first.start)
    # a block on one line ('Somaliland Human Rights Commission, Street 6, Hargeisa. Email: ...'): up to its address
    end = min([s.start for s in spans if s.label != "recipient_block" and s.label not in ("recipient.title",
               "recipient.organization") and first.start < s.start < line.end], default=line.end)
    if end < line.end:  # the whole block on one line: its office is its first piece ('Military Commander, IDF ..., Beit El')
        end = first.end
    text = NOTE.sub("", ctx.text[first.start:end]) if len(line.text) <= 120 else first.text
    text = _COURTESY.sub("", " ".join(text.split()).strip(" ,;:"), count=1)  # 'Son Excellence Monsieur l'Ambassadeur ...'
    return None if PROSE_IN_NAME.search(text) else text or None  # a sentence run in from another column: none


_COURTESY = re.compile(r"^(?:(?:Son|Sa|Su|His|Her)\s+(?:Excellence|Excelencia|Excellency)\s+|"
                       r"(?:Excelent[íi]sim[oa]|Ilustr[íi]sim[oa])\s+)?(?:(?:Monsieur|Madame|Señor|Señora)\s+)?"
                       r"(?:l[’']|le\s+|la\s+|el\s+)?(?=[A-ZÀ-Þ])")


def _values(spans: list[Span], label: str) -> list[str]:
    out: list[str] = []
    for s in spans:
        if s.label == label and s.value not in out:
            out.append(s.value)
    return out


def _previous_year(d: dt.date) -> dt.date | None:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return None


def _dates(ctx: Context, issue: dt.date | None, own_year: int | None) -> list[DateMention]:
    spans = sorted(ctx.labelled("date"), key=lambda s: s.start)
    # dates that give their year in words: a stamp in figures is often the wrapper's, decades after the UA
    written = [(s.start, s.value) for s in spans if s.value is not None and not s.attrs.get("numeric")]
    starts = [start for start, _ in written]
    deadlines = {d.start for d in ctx.labelled("appeal_deadline")}  # a deadline is never in the document's past
    out = []
    for s in spans:
        value, inferred = s.value, False
        ahead = bool(s.attrs.get("future")) or s.start in deadlines
        if value is None and issue is not None:
            value, inferred = _year_less(s.attrs.get("reads_as", s.text), issue, after=False), True
            if value is not None and value.month > issue.month and not ahead:
                # a reader takes a past event later in the year than the document for last year's
                # ('20 November' in a February 2004 update); 'will appear on 1 May' stays ahead
                value = _previous_year(value)
        elif value is None:
            # no issue date: the year of the story told around it ('On 19 September 2020 ... on 23
            # September'), the nearest written date before it, else after it, else the UA's own year
            first_at, after_at = bisect.bisect_left(starts, s.start), bisect.bisect_right(starts, s.start)
            before = written[first_at - 1][1] if first_at else None  # the nearest written dates either side
            after = written[after_at][1] if after_at < len(written) else None
            year = before.year if before else after.year if after else own_year
            value, inferred = (_in_year(s.attrs.get("reads_as", s.text), year) if year else None), True
            if value is not None and not before and after and value > after and not ahead:
                value = _previous_year(value)  # '23 July ... 29 March 2018': told before it, so the July before
        if inferred and value is not None:
            value = _by_weekday(ctx, s, value)
        out.append(DateMention(text=s.text, date=value, start=s.start, end=s.end, year_inferred=inferred and value is not None))
    return out


def _by_weekday(ctx: Context, s: Span, value: dt.date) -> dt.date:
    """A year-less date that names its weekday ('el sábado 19 de agosto') takes the year, of the one
    inferred and those either side, in which that day is that weekday, when only one fits."""
    digit = next((i for i, ch in enumerate(s.text) if ch.isdigit()), 0)
    weekday = weekday_named(ctx.text[max(0, s.start - 30):s.start] + s.text[:digit])
    if weekday is None:
        return value
    year = year_by_weekday(value.day, value.month, weekday, [value.year, value.year - 1, value.year + 1])
    return value.replace(year=year) if year else value


def _in_year(text: str, year: int) -> dt.date | None:
    day_month = _day_month(text)
    try:
        return dt.date(year, day_month[1], day_month[0]) if day_month else None
    except ValueError:  # 29 February in a common year
        return None


def _own_year(values: dict[str, object]) -> int | None:
    """The year of the UA's own number ('95/94') or index ('AFR 54/005/1994')."""
    index = values.get("ai_index")
    if isinstance(index, str) and index[-4:].isdigit():
        return int(index[-4:])
    number = values.get("ua_number")
    if isinstance(number, str) and "/" in number:
        yy = int(number.rsplit("/", 1)[1])
        return 1900 + yy if yy >= 70 else 2000 + yy  # Urgent Actions began in 1973
    return None


def _mentions(ctx: Context) -> Mentions:
    m = Mentions()
    for start, end, label in ctx.entities:
        item = Mention(text=ctx.text[start:end], start=start, end=end, label=label)
        if label == "PERSON":
            m.persons.append(item)
        elif label in ("ORG", "NORP"):
            m.organizations.append(item)
        elif label in ("GPE", "LOC", "FAC"):
            m.places.append(item)
    return m


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
