"""Loose subject candidates: names beside role words or risk verbs, and every PERSON entity of
the statistical model, each with the context cues that support it (``attrs["cues"]``)."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from extractor.prefilter import TailAnchored, first_char_guard
from extractor.recognisers.base import Context
from extractor.recognisers.names import clean_name, first_honorific, name_key
from extractor.recognisers.subject_checks import (
    headline,
    in_title,
    people_words,
    plausible,
    sentence_at,
    shouted,
    someones_relation,
)
from extractor.recognisers.subjects import NAME_LIST, PATRONYMIC, names_in, subject_span
from extractor.spans import Span
from extractor.text_helpers import word_alternation

# "the arrest of X", "paradero de X", "detuvieron a X": an event that happened to the people named.
_EVENT_OF = (r"(?i:(?:the\s+)?(?:arrest|detention|abduction|disappearance|whereabouts|release)\s+of|"
             r"(?:el\s+)?(?:paradero|arresto|detención|secuestro)\s+de|detuvieron\s+a|arrestaron\s+a|"
             r"secuestraron\s+a|amenazaron\s+a|l.arrestation\s+de|la\s+détention\s+de)\s+")


# How far before its role word or risk verb a list of names may start: the longest in the corpora is
# under 100 characters, eight full names about 300. Each tail's stretch is searched once more, so a
# longer reach costs time.
_LIST_REACH = 300


@cache
def _trigger_res() -> tuple[re.Pattern[str], TailAnchored, TailAnchored]:
    trig = word_alternation(people_words()["subject_triggers"], space=" ")
    before = first_char_guard(re.compile(rf"\b(?:(?i:{trig})s?,?\s+(?:[a-záéíóúñç]+\s+){{0,5}}?|{_EVENT_OF}){NAME_LIST}"))
    role_after = (rf",\s+(?:(?:a|an|the|un|una|une|el|la|le)\s+)?(?:(?i:{trig})\b|"
                  r"(?i:members?|miembros?|membres?)\s+(?:of|del?|du|de\s+la)\b)")
    aux = word_alternation(people_words()["auxiliaries"], space=r"\s+").replace("'", "[’']")
    done = word_alternation(people_words()["risk_participles"], space=" ")
    risk_verb = rf"(?:{aux})\s+(?:[a-zà-ÿā-ſ]+\s+)?(?:{done})(?!\w)"
    # both open with the list of names, which would be tried at every capital letter: they run only
    # before a role word or a risk verb
    after = TailAnchored(re.compile(NAME_LIST + role_after), re.compile(role_after), _LIST_REACH)
    verbs = TailAnchored(re.compile(rf"{NAME_LIST}\s+(?:[a-zà-ÿā-ſ]+\s+){{0,5}}?{risk_verb}"),
                         re.compile(rf"\b{risk_verb}"), _LIST_REACH)
    return before, after, verbs


def loose(ctx: Context) -> Iterator[Span]:
    """Names beside role words or risk verbs and the model's PERSON entities, in the sections
    that tell what happened (not the background, which tells of other people too)."""
    regions = ctx.regions()
    blocks = [(b.start, b.end) for b in ctx.labelled("recipient_block")]
    for source in (narrative, entities):
        for sp in source(ctx):
            if (any(s <= sp.start < e for s, e in regions) and not any(s <= sp.start < e for s, e in blocks)
                    and not shouted(ctx, sp) and not someones_relation(ctx, sp)):
                yield sp


def narrative(ctx: Context) -> Iterator[Span]:
    """Names next to role words ('human rights defender Narges Mohammadi') or risk verbs."""
    persons = [(s, e) for s, e, label in ctx.entities if label == "PERSON"]
    before, after, verbs = _trigger_res()
    for start, end in ctx.regions():
        for rx in (before, after, verbs):
            for m in rx.finditer(ctx.text, start, end):
                for sp in filter(lambda sp: plausible(ctx, sp),
                                 names_in(ctx, m.start("list"), m.end("list"), "narrative")):
                    # after a role word, a capitalised headline ("Activist Reports Ill-Treatment") looks
                    # like a name: keep it when the model finds that very name, it recurs, or there is
                    # no model
                    if rx is not before or not headline(ctx.line_at(sp.start).text) or not ctx.entities \
                            or ctx.text.count(sp.text) >= 2 or any(
                            abs(s - sp.start) <= 1 and abs(e - sp.end) <= 1 for s, e in persons):
                        yield _with_cues(ctx, sp, "role" if rx is not verbs else "risk_verb")


def entities(ctx: Context) -> Iterator[Span]:
    """Every PERSON the statistical model found, with the cues of its context; the checks of
    ``plausible`` and an official's title before it drop the ones that are not people at risk."""
    titles, triggers, role_words = _entity_words()
    for ent_start, ent_end, label in ctx.entities:
        if label != "PERSON":
            continue
        # an entity across a line break runs two entries together ("'Awad bin Hubaysh\nFaysal")
        start, end = ent_start, ent_end
        cut = ctx.text.find("\n", start, end)
        if cut >= 0:
            end = cut
        closing = _PATRONYMIC_AFTER.match(ctx.text, end)
        if closing:
            end = closing.end()  # 'Kanybek Almaz uulu': the model stops before the patronymic's lower-case word
        if _PLACE_BEFORE.search(ctx.text[max(0, start - 6):start]):
            continue  # "arrested in Hai Phong": a place the model took for a person
        lead = _LEAD_WORD.match(ctx.text[start:end])
        if lead and (lead.group(1).lower() in triggers or lead.group(1).lower().rstrip("s") in triggers
                     or _GERUND.fullmatch(lead.group(1))):
            start += lead.end()  # "Blogger Le Dinh Quang", "Noting Thomas Arthur": not part of the name
        as_found = clean_name(ctx.text[start:end])
        if not as_found or not plausible(ctx, subject_span(ctx, start, end, as_found, "entity")):
            continue
        prev = _GIVEN_NAME_BEFORE.search(ctx.text[max(0, start - 30):start])
        if (prev and clean_name(f"{prev.group(1)} {ctx.text[start:end]}") and prev.group(1).lower() not in role_words
                and not first_honorific(prev.group(1)) and prev.group(1).lower() not in titles
                and not _GERUND.fullmatch(prev.group(1))):
            start -= len(prev.group(0))  # "y Xinia Figueroa Morales": a given name the model left out
        preceding = ctx.text[max(0, start - 30):start].lower().rstrip()
        if preceding.endswith(titles):
            continue  # "President Rodrigo Duterte": an official, not a person at risk
        name = clean_name(ctx.text[start:end])
        if name:
            sp = subject_span(ctx, start, end, name, "entity")
            if plausible(ctx, sp):
                yield _with_cues(ctx, sp)


@cache
def _entity_words() -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """(official titles, role words, role words and their last words), built once."""
    triggers = frozenset(t.lower() for t in people_words()["subject_triggers"])
    return tuple(people_words()["title_words"]), triggers, triggers | {t.split()[-1] for t in triggers}


_PATRONYMIC_AFTER = re.compile(rf"[ \t](?:{PATRONYMIC})(?![\w’'-])")
_GERUND = re.compile(r"[A-Z][a-z]{3,}ing")  # "Noting", "Calling", "Urging" open a bullet, not a name
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|near|to|en|à|au)\s+$")
_LEAD_WORD = re.compile(r"(\S+)\s+")
_GIVEN_NAME_BEFORE = re.compile(r"(?<![.!?:]\s)\b([A-ZÀ-ÞĀ-ſ][a-zà-ÿā-ſ]+)\s+$")


def _with_cues(ctx: Context, sp: Span, *given: str) -> Span:
    """The context cues that say a loose candidate is a person at risk: a risk word in its
    sentence, a role word beside it, a place in the title, how often the text names them."""
    cues = list(given)
    sentence = sentence_at(ctx.text, sp.start).lower()
    if _risk_word_re().search(sentence):
        cues.append("risk_sentence")
    line = ctx.line_at(sp.start)
    if in_title(ctx, sp.start) or (ctx.line_index_at(sp.start) < 3 and len(line.text) < 200):
        cues.append("title")  # not the first line of a page flattened into one
    if ctx.sections.kind_at(sp.start) == "letter":
        cues.append("letter")  # a sample letter names lawyers and officials too
    if _beside_role(ctx, sp):
        cues.append("role")
    if ctx.word_count(name_key(sp.value.split()[-1])) >= 2:
        cues.append("repeated")
    sp.attrs["cues"] = sorted(set(cues))
    return sp


@cache
def _risk_word_re() -> re.Pattern[str]:
    """Any risk word inside a (lower-cased) sentence, as a substring: one search, not one test per word."""
    return re.compile("|".join(re.escape(w) for w in sorted(people_words()["risk_words"], key=len, reverse=True)))


def _beside_role(ctx: Context, sp: Span) -> bool:
    """'journalist Marcela Turati', 'Marfa Rabkova is a Belarusian human rights defender',
    'Luz Marina Hache, une défenseure ...': a role word right before or just after the name."""
    before_rx, after_rx = _role_res()
    return bool(before_rx.search(ctx.text, max(0, sp.start - 40), sp.start)
                or after_rx.match(ctx.text, sp.end, min(len(ctx.text), sp.end + 90)))


@cache
def _role_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    trig = word_alternation(people_words()["subject_triggers"], space=" ")
    before = re.compile(rf"\b(?:{trig})(?:e?s)?,?[ \t]*$", re.IGNORECASE)
    after = re.compile(rf"[ \t]*(?:\([^()]{{0,40}}\)[ \t]*)?,?[ \t]*(?:(?:is|was|has\s+been|es|est|fue)\s+)?"
                       rf"(?:(?:an?|the|un|una|une|el|la|le)\s+)?(?:[\w’'-]+\s+){{0,3}}?(?:{trig})", re.IGNORECASE)
    return before, after
