"""Phone and fax numbers in E.164, via the ``phonenumbers`` library (no hand-rolled rules).

A raw field value may hold several numbers separated by "/", "|", ";", ",", " I " (a pipe read
as a capital I by PDF extraction) or " or "/" o "/" ou ".
"""
from __future__ import annotations

import re

import phonenumbers

__all__ = ["to_e164"]

_SEPARATORS = re.compile(r"\s*(?:/|\||;|,|\s+I\s+|\s+(?:or|o|ou|and|y|et)\s+)\s*")
# A run that could be one number: optional "+", digits with spaces, dots, dashes and brackets.
_CANDIDATE = re.compile(r"\+?\(?\+?\d[\d\s().\-]*\d\)?")
_TRUNK_IN_BRACKETS = re.compile(r"\(\s*0\s*\)")  # "+44 (0)20 ..." – the 0 is not dialled from abroad
# Things that look numeric but are not phone numbers.
_DATE_LIKE = re.compile(
    r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$"  # 12/05/2016, 12.05.16
    r"|^\d{4}[./-]\d{1,2}[./-]\d{1,2}$"  # 2016-05-12
    r"|^(?:1[89]|20)\d\d\s*[-–]\s*(?:1[89]|20)?\d\d$"  # 1994-2016, 2015-16
)
_MIN_DIGITS, _MAX_DIGITS = 7, 15  # E.164 allows at most 15 digits; shorter runs are postcodes etc.


def _normalise_prefix(candidate: str) -> str:
    """Turn "(00 202) ..." / "00 44 ..." into "+202 ..." / "+44 ...": "00" is the international
    prefix almost everywhere, and it lets numbers parse without a default region."""
    cand = _TRUNK_IN_BRACKETS.sub(" ", candidate)
    cand = cand.replace("(", " ").replace(")", " ").strip()
    if cand.startswith("00") and len(cand) > 2 and cand[2] not in "0":
        cand = "+" + cand[2:]
    elif re.match(r"^00\s+[1-9]", cand):
        cand = "+" + cand[2:].lstrip()
    return cand


def _matcher(text: str, region: str | None) -> list[str]:
    """Several numbers run together with only spaces between them: let phonenumbers split them,
    else try each space as the boundary between two valid numbers."""
    leniency = phonenumbers.Leniency.POSSIBLE
    found = [m.number for m in phonenumbers.PhoneNumberMatcher(text, region or "ZZ", leniency=leniency)]
    if not found:
        for gap in (m.start() for m in re.finditer(r"\s+", text)):
            halves = [_parse(text[:gap].strip(), region), _parse(text[gap:].strip(), region)]
            if all(h is not None and phonenumbers.is_valid_number(h) for h in halves):
                found = [h for h in halves if h is not None]
                break
    return [phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164) for n in found]


def _parse(cand: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    if not cand.startswith("+") and region is None:
        return None  # a national number with no known country: never guess
    try:
        return phonenumbers.parse(cand, None if cand.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None


def _one(candidate: str, region: str | None) -> list[str]:
    if _DATE_LIKE.match(candidate.strip()):
        return []
    digits = re.sub(r"\D", "", candidate)
    if len(digits) < _MIN_DIGITS:
        return []
    if len(digits) > _MAX_DIGITS + 2:  # +2: "00" prefix or a trunk "0" in brackets
        return _matcher(_normalise_prefix(candidate), region)
    single = _single(candidate, region)
    return [single] if single else []


def _single(candidate: str, region: str | None) -> str | None:
    cand = _normalise_prefix(candidate)
    number = _parse(cand, region)
    if number is None:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if phonenumbers.is_possible_number(number):
        return e164
    # Old UAs carry international numbers that numbering-plan changes have made impossible
    # (e.g. 7-digit Manila numbers): keep those when written with "+"/"00" and of E.164 length.
    # A national number must at least be possible, so stray digit runs are not promoted.
    if cand.startswith("+") and _MIN_DIGITS <= len(e164) - 1 <= _MAX_DIGITS:
        return e164
    return None


def to_e164(raw: str, default_region: str | None) -> list[str]:
    """All numbers in one raw field value, in E.164, in order, without duplicates.

    ``default_region`` (ISO alpha-2) is used for numbers written without "+" or "00"; without
    it such numbers are dropped."""
    region = default_region.upper() if default_region else None
    out: list[str] = []
    for part in _SEPARATORS.split(raw or ""):
        for match in _CANDIDATE.finditer(part):
            for e164 in _one(match.group(0), region):
                if e164 not in out:
                    out.append(e164)
    return out
