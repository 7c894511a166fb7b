"""Phone and fax numbers in E.164, via the ``phonenumbers`` library (no hand-rolled rules).

A raw field value may hold several numbers separated by "/", "|", ";", ",", " I " (a pipe read
as a capital I by PDF extraction) or " or "/" o "/" ou ".

For an archive, validity under *today's* numbering plan is not the test: a 1995 London fax
("+44 171 245 9547") or a 7-digit Brasília fax was right in its year. Such numbers are kept and
marked ``current=False`` (``read_numbers``) so the caller can warn. What is never a number: a
postcode ("70150-900"), a P.O. box, a date, a national trunk prefix left inside the number
("0171 245 95" is not "+44 0171..."), a bare national digit run that today's plan rejects.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

__all__ = ["Number", "read_as_written", "read_numbers", "to_e164"]


@dataclass(frozen=True)
class Number:
    """One number found in a field value."""

    e164: str  # "+" and digits
    current: bool  # valid under today's numbering plan (phonenumbers' metadata)

    @property
    def warning(self) -> str | None:
        """The reader's note for a number kept although today's plan does not know it."""
        if self.current:
            return None
        return f"{self.e164} is not a valid number under today's numbering plan (kept as written: plans change)"


_SEPARATORS = re.compile(r"\s*(?:/|\||;|,|\s+I\s+|\s+(?:or|o|ou|and|y|et)\s+)\s*")
# A run that could be one number: optional "+", digits with spaces, dots, dashes and brackets.
_CANDIDATE = re.compile(r"\+?\(?\+?\d[\d\s().\-]*\d\)?")
_AREA_IN_BRACKETS = re.compile(r"^\s*\(\s*\d{1,5}\s*\)\s*\d")  # "(1) 596 0631", "(0312) 418 17 95"
_TRUNK_IN_BRACKETS = re.compile(r"\(\s*0\s*\)")  # "+44 (0)20 ..." – the 0 is not dialled from abroad
# Things that look numeric but are not phone numbers.
_DATE_LIKE = re.compile(
    r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$"  # 12/05/2016, 12.05.16
    r"|^\d{1,2}\s+\d{1,2}\s+(?:19|20)\d\d$"  # 12 05 1995
    r"|^\d{4}[./-]\d{1,2}[./-]\d{1,2}$"  # 2016-05-12
    r"|^(?:1[89]|20)\d\d\s*[-–]\s*(?:1[89]|20)?\d\d$"  # 1994-2016, 2015-16
)
# Postcodes with a dash: Brazil's CEP "70150-900", a US ZIP+4 "20005-1234".
_POSTCODE_LIKE = re.compile(r"^\d{5}-\d{3,4}$")
# A number right after one of these is a box or postcode, not a telephone ("P.O. Box 1234567", "B.P. 1234").
_NOT_PHONE_BEFORE = re.compile(
    r"(?:\bP\.?\s*O\.?\s*Box|\bBox|\bB\.\s*P\.?|\bBP|\bC\.?\s*P\.?|\bCEP|\bApartado(?:\s+Postal)?|\bA\.\s*P\.?"
    r"|\bCasilla(?:\s+de\s+Correo)?|\bPostfach|\bCode\s+postal|\bPostcode|\bZIP)\s*(?:No\.?|N[°º]|#)?\s*:?\s*$",
    re.IGNORECASE,
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


def _matcher(text: str, region: str | None) -> list[Number]:
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
    return [Number(_format(n), phonenumbers.is_valid_number(n)) for n in found if not _trunk_left_in(n)]


def _parse(cand: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    if not cand.startswith("+") and region is None:
        return None  # a national number with no known country: never guess
    try:
        return phonenumbers.parse(cand, None if cand.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None


def _format(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _trunk_left_in(number: phonenumbers.PhoneNumber) -> bool:
    """phonenumbers keeps a leading 0 it could not strip as part of the number (its Italian
    leading zero). That is right only where the country's own plan starts numbers with 0 (Italy);
    elsewhere it is a trunk prefix left in a number too short or too long to be one: "0171 245 95"
    must not become "+44 017124595"."""
    if not number.italian_leading_zero:
        return False
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    meta = PhoneMetadata.metadata_for_region(region) if region != "ZZ" else None
    pattern = meta.general_desc.national_number_pattern if meta and meta.general_desc else None
    return not (pattern and re.fullmatch(pattern, phonenumbers.national_significant_number(number)))


def _one(candidate: str, region: str | None) -> list[Number]:
    bare = candidate.strip()
    if _DATE_LIKE.match(bare) or _POSTCODE_LIKE.match(bare):
        return []
    digits = re.sub(r"\D", "", candidate)
    if len(digits) < _MIN_DIGITS:
        return []
    if len(digits) > _MAX_DIGITS + 2:  # +2: "00" prefix or a trunk "0" in brackets
        return _matcher(_normalise_prefix(candidate), region)
    single = _single(candidate, region)
    return [single] if single else []


def _single(candidate: str, region: str | None) -> Number | None:
    cand = _normalise_prefix(candidate)
    number = _parse(cand, region)
    if number is None or _trunk_left_in(number):
        return None
    e164 = _format(number)
    if phonenumbers.is_valid_number(number):
        return Number(e164, current=True)
    if cand.startswith("+"):
        # Written in international form: the country is certain, so a number today's plan does not
        # know is an old one (7-digit Manila and Brasília numbers, London's 0171) if of E.164 length.
        return Number(e164, current=False) if _MIN_DIGITS <= len(e164) - 1 <= _MAX_DIGITS else None
    # Written nationally: only a trunk prefix ("(061) 321 4567", "0171 245 9547", "09 523 0582") or a
    # bracketed area code ("(1) 596 0631") shows a dialled number; a bare digit run is as likely a
    # postcode or a file number. Old plans had shorter numbers, so length is not today's either.
    meta = PhoneMetadata.metadata_for_region(region) if region else None
    trunk = meta.national_prefix if meta else None
    dialled = bool(trunk and re.sub(r"\D", "", candidate).startswith(trunk)) or bool(_AREA_IN_BRACKETS.match(candidate))
    nsn = phonenumbers.national_significant_number(number)
    if dialled and len(nsn) >= _MIN_DIGITS - 1 and len(e164) - 1 <= _MAX_DIGITS:
        return Number(e164, current=False)
    return None


def read_numbers(raw: str, default_region: str | None) -> list[Number]:
    """All numbers in one raw field value, in order, without duplicates, each marked whether
    today's numbering plan knows it (``Number.current``; ``Number.warning`` is the note to add).

    ``default_region`` (ISO alpha-2) is used for numbers written without "+" or "00"; without
    it such numbers are dropped."""
    region = default_region.upper() if default_region else None
    out: list[Number] = []
    raw = re.sub(r"\+\s+(?=\d)", "+", raw or "")  # "+ 92 51 ..." as 2003 sheets write it
    for part in _SEPARATORS.split(raw):
        for match in _CANDIDATE.finditer(part):
            if _NOT_PHONE_BEFORE.search(part[:match.start()]):
                continue
            for number in _one(match.group(0), region):
                if number.e164 not in {n.e164 for n in out}:
                    out.append(number)
    return out


def to_e164(raw: str, default_region: str | None) -> list[str]:
    """All numbers in one raw field value, in E.164, in order, without duplicates (see
    ``read_numbers`` for which of them today's numbering plan does not know)."""
    return [n.e164 for n in read_numbers(raw, default_region)]


# A US page writes foreign numbers as dialled from the US: the 011 exit code, or 1 and ten digits
_US_DIALLED = re.compile(r"\s*(?:011[\s.-]*\d|1[\s.-]+\d{3}[\s.-]+\d{3}[\s.-]+\d{4}\b)")


def read_as_written(raw: str, default_region: str | None) -> list[Number]:
    """``read_numbers`` for a contact field as the page wrote it: '011 998 71 139 53 25' and
    '1 202 293 6804' are dialled from the US whatever the recipient's country."""
    return read_numbers(raw, "US" if _US_DIALLED.match(raw or "") else default_region)
