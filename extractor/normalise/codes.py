"""Canonical forms of UA numbers ("57/16"), AI index numbers ("EUR 44/027/1993") and ordinals."""
from __future__ import annotations

import re
from functools import cache

from extractor.text_helpers import fold, load_json

__all__ = ["ORDINALS", "canonical_index", "canonical_ua_number", "index_key", "ordinal_value", "parse_index"]


def _two_digit_year(year: str) -> str:
    y = year.strip()
    if not y.isdigit():
        raise ValueError(f"not a year: {year!r}")
    return f"{int(y) % 100:02d}"


def _four_digit_year(year: str) -> str:
    y = year.strip()
    if not y.isdigit() or len(y) not in (1, 2, 4):
        raise ValueError(f"not a year: {year!r}")
    if len(y) == 4:
        return y
    # AI indexes started in the 1960s: "93" is 1993, "16" is 2016.
    n = int(y)
    return str(1900 + n if n >= 60 else 2000 + n)


def canonical_ua_number(num: str, year: str) -> str:
    """("057", "16") -> "57/16"; ("182", "1993") -> "182/93"; ("1", "3") -> "1/03"."""
    n = num.strip()
    if not n.isdigit():
        raise ValueError(f"not a UA number: {num!r}")
    return f"{int(n)}/{_two_digit_year(year)}"


def canonical_index(region: str, country: str, number: str, year: str) -> str:
    """("EUR", "44", "27", "93") -> "EUR 44/027/1993". Document numbers shorter than three
    digits are zero-padded; four-digit ones (2010s numbering, e.g. "0273") are kept as written."""
    reg, cc, num = region.strip().upper(), country.strip(), number.strip()
    if not (len(reg) == 3 and reg.isalpha() and cc.isdigit() and num.isdigit()):
        raise ValueError(f"not an index: {region!r} {country!r}/{number!r}/{year!r}")
    num = num if len(num) >= 4 else num.zfill(3)
    return f"{reg} {int(cc):02d}/{num}/{_four_digit_year(year)}"


# The whole string, optionally after an "AI Index:" style label (en/es/fr).
_INDEX = re.compile(
    r"^\s*(?:(?:AI\s+)?(?:Index|[IÍ]ndice)(?:\s+AI)?\s*(?:no\.?|number)?\s*:?\s*)?"
    r"([A-Za-z]{3})\s*(\d{1,2})\s*/\s*(\d{1,4})\s*/\s*(\d{4}|\d{2})\s*$",
    re.IGNORECASE,
)


def parse_index(text: str) -> str | None:
    """"EUR 44/27/93" -> "EUR 44/027/1993"; "ASA35/0273/2019" -> "ASA 35/0273/2019"; else None."""
    m = _INDEX.match(text or "")
    if not m:
        return None
    return canonical_index(*m.groups())


def index_key(text: str) -> str | None:
    """The index by meaning, for comparing two: "EUR 44/27/93", "EUR 44/027/1993" and "EUR 44/0027/1993"
    are one index (document number without leading zeros, padded to three); None when not an index."""
    m = _INDEX.match(text or "")
    if not m:
        return None
    reg, cc, num, year = m.groups()
    return f"{reg.upper()} {int(cc):02d}/{int(num):03d}/{_four_digit_year(year)}"


@cache
def _ordinals() -> dict[str, int]:
    raw = load_json("ordinals.json")
    return {_key(word): value for lang in ("en", "es", "fr") for word, value in raw[lang].items()}


def _key(word: str) -> str:
    return fold(word).casefold().strip(" .")


#: Numeric ordinals: "2nd", "3rd", "2a", "2º", "2e", "2ème", "1er", "1re".
_NUMERIC_ORDINAL = re.compile(r"^(\d{1,3})\s*(?:st|nd|rd|th|er|re|eme|e|a|o|º|ª|°)$")

ORDINALS: dict[str, int] = _ordinals()


def ordinal_value(word: str) -> int | None:
    """"second" / "segunda" / "deuxième" / "2nd" / "2ª" -> 2; None for anything else."""
    key = _key(word or "")
    if key in ORDINALS:
        return ORDINALS[key]
    m = _NUMERIC_ORDINAL.match(key)
    if m and int(m.group(1)) > 0:
        return int(m.group(1))
    return None
