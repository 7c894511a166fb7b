"""Document-level facts: kind markers, the title and where the text names its country."""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from extractor.normalise.countries import (
    city_country,
    country_for_code,
    demonym_country,
    index_country,
    may_start_place,
    resolve_country,
    us_context,
    us_state,
)
from extractor.patterns import load_patterns
from extractor.recognisers.base import Context
from extractor.spans import Span


def kind_markers(ctx: Context) -> Iterator[Span]:
    pats = load_patterns("document")
    for group in ("further_information", "urgent_action", "urgent_action_cue", "not_urgent_action", "catalogue_page",
                  "document_header"):
        for pat in pats[group]:
            for m in pat.scan(ctx.text, ctx.folded):
                yield ctx.span("kind_marker", m.start(), m.end(), pat.id, pat.score, value=group)
                break  # one piece of evidence per rule is enough to decide the kind


def titles(ctx: Context) -> Iterator[Span]:
    for pat in load_patterns("document")["title"]:
        m = next(pat.scan(ctx.text, ctx.folded), None)
        if m:
            yield ctx.span("title", m.start("title"), m.end("title"), pat.id, pat.score)
    # "UA 315/03 Fear for safety/possible "disappearance" 03 November 2003": between number and date
    for code in ctx.labelled("ua_number"):
        if code.attrs["role"] != "own":
            continue
        for d in ctx.labelled("issue_date"):
            if d.rule == "issue_date.ua_header_line" and 0 < d.start - code.end <= 160:
                seg = ctx.text[code.end:d.start]
                lead = len(seg) - len(seg.lstrip(" \t-:"))
                words = re.findall(r"[^\W\d_]{3,}", seg)
                if len(words) >= 2 and not re.search(r"\b[A-Z]{3}\s?\d{2}/", seg):
                    yield ctx.span("title", code.end + lead, d.start, "title.ua_header_line", 0.8)


def countries(ctx: Context) -> Iterator[Span]:
    """Every place the text names its country, with a US state read as the United States where
    the text places itself there ('Atlanta, Georgia 30334')."""
    in_us: bool | None = None
    for sp in _country_spans(ctx):
        if us_state(re.sub(r"[’']s$", "", sp.text)):
            in_us = us_context(ctx.text) if in_us is None else in_us
            if in_us:
                yield ctx.span("country", sp.start, sp.end, "country.us_state", sp.score, value=("United States", "US"))
                continue
        yield sp


def _country_spans(ctx: Context) -> Iterator[Span]:
    for pat in load_patterns("document")["country_header"]:
        for m in pat.scan(ctx.text, ctx.folded):
            if "max_line" in pat.meta and ctx.line_index_at(m.start()) >= pat.meta["max_line"]:
                continue  # a page title sits at the top, not in a teaser further down
            yield from _resolved(ctx, m.start("country"), m.group("country"), pat.id, pat.score)
    for idx in ctx.labelled("ai_index"):
        if idx.score >= 0.8:
            hit = index_country(idx.attrs["region"], idx.attrs["cc"])
            if hit:
                yield ctx.span("country", idx.start, idx.end, "country.ai_index_code", 0.8, value=hit)
    yield from _mentions(ctx)


def _resolved(ctx: Context, start: int, raw: str, rule: str, score: float) -> Iterator[Span]:
    """Longest leading run of words that names a country ('SOUTH AFRICA Yusuf' -> South Africa)."""
    words = raw.split()
    for n in range(min(len(words), 4), 0, -1):
        name = " ".join(words[:n])
        hit = resolve_country(name)
        if hit:
            end = start + raw.find(words[n - 1]) + len(words[n - 1])
            yield ctx.span("country", start, end, rule, score, value=hit)
            return


_SECTION_NAME = re.compile(r"\b(?:Amnesty(?:\s+International)?|Amnist[ií]a(?:\s+Internacional)?|Amnistie(?:\s+internationale)?)"
                           r"(?:\s+of)?\s+(?:the\s+)?$", re.IGNORECASE)
_JOINER = re.compile(r"\s+(?:of\s+|the\s+|and\s+)?")  # between the words of one name ('Republic of the Philippines')
_CAP = re.compile(r"[A-ZÁÉÍÓÚÀ-ÞĀ-ſ][\w’'-]*")


def _mentions(ctx: Context) -> Iterator[Span]:
    """Country names, demonyms and known cities anywhere: a weak vote, used when no header names the
    country. Runs of capitalised words are tried at every start, longest first ('Écrire Madagascar',
    'Republic of the Philippines', 'Juba')."""
    tokens = list(_CAP.finditer(ctx.text))
    i = 0
    while i < len(tokens):
        if not may_start_place(tokens[i].group(0)):
            i += 1  # most capitalised words begin no place name: no need to try the runs they start
            continue
        for n in range(min(4, len(tokens) - i), 0, -1):
            run = tokens[i:i + n]
            if any(not _JOINER.fullmatch(ctx.text, a.end(), b.start())
                   for a, b in itertools.pairwise(run)):
                continue
            start, end = run[0].start(), run[-1].end()
            cand = re.sub(r"[’']s$", "", ctx.text[start:end])
            hit, rule, score = _country_words(cand, n)
            if hit and _SECTION_NAME.search(ctx.text, max(0, start - 30), start):
                hit = None  # 'Amnesty International Netherlands', 'Amnistía Internacional México': the section that publishes
            if hit:
                yield ctx.span("country", start, end, rule, score, value=hit)
                i += n - 1
                break
        i += 1


def _country_words(cand: str, n: int) -> tuple[tuple[str, str] | None, str, float]:
    if n > 1 or len(cand) > 3 or cand.isupper():
        hit = resolve_country(cand)
        if hit:
            return hit, "country.mention", 0.4
    if n == 1:
        hit = demonym_country(cand)
        if hit:
            return hit, "country.demonym", 0.4
    code = city_country(cand)
    return (country_for_code(code), "country.city", 0.3) if code else (None, "", 0.0)
