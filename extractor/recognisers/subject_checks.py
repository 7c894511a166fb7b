"""Checks that drop a subject candidate: the context says it is not a person at risk (a
headline, an official, a spokesperson, someone killed, a medium, an organisation or a place)."""
from __future__ import annotations

import re
from functools import cache

from extractor.patterns import load_words
from extractor.recognisers.base import Context
from extractor.spans import Span
from extractor.text_helpers import word_alternation


@cache
def people_words() -> dict[str, list[str]]:
    return load_words("people")  # type: ignore[return-value]


@cache
def of_org_re() -> re.Pattern[str]:
    words = set(people_words()["org_words"]) | set(people_words()["title_words"]) | set(people_words()["part_of_words"])
    alt = word_alternation(words, space=" ")
    return re.compile(rf"\b(?:{alt})\s+(?:of|de|du|des|del)\s+(?:the\s+|la\s+|l[’']|el\s+)?$", re.IGNORECASE)


_DEAD = re.compile(r"(?:killing|murder|assassination|death|funeral|shooting|execution)\b[^.()]{0,40}\bof\s+"
                   r"(?:[\w-]+,?\s+){0,4}$|"
                   r"(?:killed|murdered|assassinated)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


@cache
def _risk_or_role() -> frozenset[str]:
    return frozenset(people_words()["risk_words"]) | {t.lower() for t in people_words()["subject_triggers"]}


def plausible(ctx: Context, sp: Span) -> bool:
    """Not a headline word pair ('Reports Ill-Treatment') and not someone the text says was killed:
    a UA is about people still at risk. Several sources offer the same candidate: the answer is kept
    per document."""
    key = ("plausible", sp.start, sp.end, sp.value)
    if key not in ctx.memo:
        ctx.memo[key] = _plausible(ctx, sp)
    return bool(ctx.memo[key])


_POSSESSIVE = re.compile(r"[’']s$")
_MEDIUM_BEFORE = re.compile(r"\b(?:Radio|radio|Télévision|TV|newspaper|daily|weekly|journal|magazine|station|emisora|"
                            r"cha[iî]ne)\s+(?:[a-zà-ÿ]+\s+)?$", re.IGNORECASE)
_SAID_BEFORE = re.compile(r"\b(?:said|says|according\s+to|told)\s+$")
_SPOKESPERSON_AFTER = re.compile(r",\s+(?:the\s+)?(?:\w+\s+){0,2}(?:Director|Secretary|spokesperson|researcher|Head|Chair)")
_NEXT_WORD = re.compile(r"\s+(\w+)")
_ARTICLE_BEFORE = re.compile(r"\b(?:the|The|los|las|les|Los|Las|Les)\s+$")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|near|across|throughout|en|à|au|aux|dans)\s+(?:the\s+|el\s+|la\s+|le\s+)?$",
                           re.IGNORECASE)


def _plausible(ctx: Context, sp: Span) -> bool:
    if any(tok.lower() in _risk_or_role() for tok in sp.value.split()):
        return False  # "Militia Abuses Journalist Prosper Ndoukassa": a headline around the name
    if sp.value.split()[0].lower().strip(".") in ("rue", "avenue", "calle", "avenida", "boulevard", "plaza", "place",
                                                  "street", "po", "p.o", "apartado", "casilla"):
        return False  # "Rue de la Régence 48", "[Street address or PO Box]": an address, not a person
    if any(len(t) > 2 and t.endswith(".") for t in sp.value.split()[:-1]):
        return False  # "Myanmar. Une": a sentence boundary, not a name
    if any(_POSSESSIVE.search(t) for t in sp.value.split()):
        return False  # "Lebanon’s General Security": a possessive, not a name
    if _MEDIUM_BEFORE.search(ctx.text[max(0, sp.start - 25):sp.start]):
        return False  # "Radio Feon’ny Atsinanana", "the daily X": a medium's name
    if sp.value[:1].islower():
        return False  # "al-Nahar al-Jadid": a newspaper; a person's name starts with a given name
    if _SAID_BEFORE.search(ctx.text[max(0, sp.start - 20):sp.start]) or _SPOKESPERSON_AFTER.match(
            ctx.text[sp.end:sp.end + 60]):
        return False  # "said Malcolm Hartley, Deputy Director of ...": a spokesperson, not a person at risk
    following = _NEXT_WORD.match(ctx.text[sp.end:sp.end + 40])
    if following and following.group(1)[:1].isupper() and following.group(1).lower() in people_words()["org_words"]:
        return False  # "Green Mekong" of "Green Mekong Youth": the start of an organisation's name
    if _PLACE_BEFORE.search(ctx.text[max(0, sp.start - 16):sp.start]):
        return False  # "in the North Caucasus", "arrested in Hai Phong": a place
    if _ARTICLE_BEFORE.search(ctx.text[max(0, sp.start - 8):sp.start]):
        return False  # "before the Special Courts": a person's name takes no article
    if of_org_re().search(ctx.text, max(0, sp.start - 40), sp.start):
        return False  # "member of Diyarbakır HRA", "branch of ...": an organisation or a place
    if _MAILBOX_AFTER.match(ctx.text, sp.end, min(len(ctx.text), sp.end + 80)):
        return False  # "Lucía Ferrer <lucia.ferrer@example.es>": a mail's sender or addressee
    if _KILLED_AFTER.match(ctx.text, sp.end, min(len(ctx.text), sp.end + 200)):
        return False  # "... Natalia Estemirova were among those who received such threats and were later killed"
    return not _DEAD.search(ctx.text[max(0, sp.start - 60):sp.start])


_MAILBOX_AFTER = re.compile(r"[ \t]*(?:<|\[mailto:|\()[^\s<>()@]+@[^\s<>()]+[>)\]]")
# the rest of the sentence says the person was killed or died
_KILLED_AFTER = re.compile(r"[^.;]*?\b(?:(?:was|were|had\s+been|has\s+been)\s+(?:later\s+|subsequently\s+|then\s+)?"
                           r"(?:killed|murdered|assassinated|shot\s+dead)|died)\b", re.IGNORECASE)


def shouted(ctx: Context, sp: Span) -> bool:
    """A name read from an all-capitals headline ('LÍDERES QUE RECLAMAN TIERRAS') that the text never
    writes in ordinary case: headline words, not a person."""
    letters = [c for c in sp.text if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return False
    return sp.value not in ctx.text and not capitals_text(ctx)


def capitals_text(ctx: Context) -> bool:
    """A text written in capitals throughout (a telex, a teleprinter bulletin): there a name in capitals
    is the ordinary case, not a headline's."""
    key = ("capitals_text",)
    if key not in ctx.memo:
        sample = ctx.text[:20_000]
        upper = sum(1 for c in sample if c.isupper())
        lower = sum(1 for c in sample if c.islower())
        ctx.memo[key] = upper >= 200 and lower < 0.05 * (upper + lower)
    return bool(ctx.memo[key])


def headline(line: str) -> bool:
    """Title Case Lines Like This One: capitalised words there say nothing about names."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", line) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def sentence_at(text: str, pos: int) -> str:
    left = max(text.rfind(". ", 0, pos), text.rfind("\n\n", 0, pos))
    right_candidates = [i for i in (text.find(". ", pos), text.find("\n\n", pos)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1: right]


def in_title(ctx: Context, pos: int) -> bool:
    return any(t.start <= pos < t.end for t in ctx.labelled("title"))


@cache
def _relation_re() -> re.Pattern[str]:
    rel = word_alternation(people_words()["relation_words"], space=" ")
    return re.compile(rf"\b(?:his|her|their|its|su|sus|son|sa|ses|leur|leurs|a\s+court-appointed|the\s+family['’]s)\s+"
                      rf"(?:[\w-]+\s+){{0,2}}?(?:{rel})s?\s*,?\s*$", re.IGNORECASE)


def someones_relation(ctx: Context, sp: Span) -> bool:
    """'His lawyer, Behrouz Ahmadi', 'su madre, Rosa Pérez', 'a court-appointed lawyer, X': named as
    somebody else's lawyer or relative, so not on their own a person the UA is about."""
    return bool(_relation_re().search(ctx.text, max(0, sp.start - 50), sp.start))
