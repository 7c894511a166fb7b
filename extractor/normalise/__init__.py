"""Pure normalisation functions: dates, phone numbers, codes, countries, language.

No models and no I/O beyond the small data files in ``extractor/data`` (each loaded once).
"""
from __future__ import annotations

from .codes import ORDINALS, canonical_index, canonical_ua_number, ordinal_value, parse_index
from .countries import CITY_COUNTRY, city_country, demonym_country, index_country, resolve_country
from .dates import DATE_PATTERNS, find_dates, find_numeric_dates, infer_year, parse_date
from .language import detect_language
from .phones import Number, read_numbers, to_e164

__all__ = [
    "CITY_COUNTRY",
    "DATE_PATTERNS",
    "ORDINALS",
    "Number",
    "canonical_index",
    "canonical_ua_number",
    "city_country",
    "demonym_country",
    "detect_language",
    "find_dates",
    "find_numeric_dates",
    "index_country",
    "infer_year",
    "ordinal_value",
    "parse_date",
    "parse_index",
    "read_numbers",
    "resolve_country",
    "to_e164",
]
