"""Dates as written in UA documents (en/es/fr): parse one, find them in running text, infer years.

Month names, weekdays and the finding patterns are data (``extractor/data/months.json`` and
``extractor/data/date_patterns.json``); this module only glues them to python-dateutil.
"""
from __future__ import annotations

import datetime as _dt
import re
from functools import cache, lru_cache

from dateutil import parser as _dateparser

# fold and load_json moved to extractor.text_helpers; re-exported here for the modules that import them from here
from extractor.text_helpers import fold, load_json, word_alternation

__all__ = ["DATE_PATTERNS", "find_dates", "find_numeric_dates", "fold", "infer_year", "is_month_word", "load_json",
           "parse_date", "weekday_named", "year_by_weekday"]

_LANGUAGES = ("en", "es", "fr")
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


@cache
def _weekday_numbers() -> dict[str, int]:
    """Folded weekday word -> Monday 0: a language's first seven distinct names are the week in order, and
    each other word (an abbreviation) is the day whose name it begins ('tues' -> Tuesday)."""
    raw = load_json("months.json")
    out: dict[str, int] = {}
    for lang in _LANGUAGES:
        words = list(dict.fromkeys(_key(w) for w in raw["weekdays"][lang]))
        week, rest = words[:7], words[7:]
        out.update({w: i for i, w in enumerate(week)})
        for w in rest:
            day = next((i for i, full in enumerate(week) if full.startswith(w)), None)
            if day is not None:
                out[w] = day
    return out


_WEEKDAY_WORD = re.compile(r"([^\W\d_]+)\.?,?\s+(?:(?:the|el|le)\s+)?\S*$")


def weekday_named(before: str) -> int | None:
    """The weekday (Monday 0) a date's text names just before its day ('sábado 19', 'Saturday, the 19',
    'le samedi 19'), or None. ``before`` is the text up to the date's day."""
    m = _WEEKDAY_WORD.search(before[-30:])
    return _weekday_numbers().get(_key(m.group(1))) if m else None


def year_by_weekday(day: int, month: int, weekday: int, years: list[int]) -> int | None:
    """The only one of ``years`` in which that day falls on that weekday, or None (none or several)."""
    fits = []
    for year in years:
        try:
            if _dt.date(year, month, day).weekday() == weekday:
                fits.append(year)
        except ValueError:
            continue
    return fits[0] if len(fits) == 1 else None


def _key(word: str) -> str:
    return fold(word).casefold().strip(".")


@cache
def _tables() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]], frozenset[str], frozenset[str]]:
    """(full names per language, abbreviations per language, weekdays, filler words), folded keys."""
    raw = load_json("months.json")
    names = {lang: {_key(k): v for k, v in raw["months"][lang]["names"].items()} for lang in _LANGUAGES}
    abbrs = {lang: {_key(k): v for k, v in raw["months"][lang]["abbreviations"].items()} for lang in _LANGUAGES}
    weekdays = frozenset(_key(w) for lang in _LANGUAGES for w in raw["weekdays"][lang])
    fillers = frozenset(_key(w) for w in raw["filler_words"])
    return names, abbrs, weekdays, fillers


def _month_number(word: str, language: str) -> int | None:
    names, abbrs, _, _ = _tables()
    key = _key(word)
    # The document's language first, then the others: real pages mix languages.
    order = (language,) + tuple(lang for lang in _LANGUAGES if lang != language)
    for lang in order:
        for table in (names.get(lang, {}), abbrs.get(lang, {})):
            if key in table:
                return table[key]
    return None


def is_month_word(word: str) -> bool:
    """A month's name or abbreviation in any of the rule languages ('April', 'abr.', 'août')."""
    return _month_number(word, "en") is not None  # every language's tables are looked up


_TOKEN = re.compile(r"\d+[º°]|\w+\.?|[^\w\s]")
LETTER_O_DAY = re.compile(r"^([1-3])O$")
_ORDINAL_SUFFIX = re.compile(r"^(\d{1,2})(?:er|re|eme|ème|e|st|nd|rd|th|º|°|o)\.?$", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"^\s*(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})|(\d{4}-\d{1,2}-\d{1,2}))\s*$")
# Two different defaults: a field that differs between the two parses was missing from the text.
_DEFAULT_A = _dt.datetime(2000, 1, 1)
_DEFAULT_B = _dt.datetime(2004, 2, 2)  # leap year, so "29 February" without a year is still parseable


def _to_english(text: str, language: str) -> tuple[str, bool] | None:
    """Rewrite a written date with English month names and no weekdays/filler words.

    Returns (rewritten text, has_month_name), or None when a word is not part of a date.
    """
    _, _, weekdays, fillers = _tables()
    out: list[str] = []
    has_month = False
    for tok in _TOKEN.findall(text):
        zero = LETTER_O_DAY.match(tok)
        if zero:  # a typist's or the OCR's letter O for a zero ('3O April'), not an ordinal 'o'
            if language == "es" and zero.group(1) == "1":
                return None  # '1O de mayo': the 10th, or the 1º?
            out.append(zero.group(1) + "0")
            continue
        m = _ORDINAL_SUFFIX.match(tok)
        if m and tok[-1] == "o" and language != "es":
            return None  # '3o March': a Spanish ordinal in an English or French text is more likely '30' mistyped
        if m:  # "1er", "2nd", "1º" -> the bare number
            out.append(m.group(1))
            continue
        if tok[0].isdigit():
            out.append(tok)
            continue
        if not tok[0].isalpha():
            out.append(tok)
            continue
        month = _month_number(tok, language)
        if month is not None:
            out.append(_EN_MONTHS[month - 1])
            has_month = True
            continue
        key = _key(tok)
        if key in weekdays or key in fillers:
            continue  # the date's meaning does not depend on them, and dateutil trips on es/fr ones
        return None  # an unknown word: this is not (just) a date
    return " ".join(out), has_month


def _plausible_numbers(numbers: list[str]) -> bool:
    """With a month name: a 1-2 digit day, optionally a 4-digit year before or after it.
    Anything else ("9 9 March", "9 March 2016 2017") is noise, not a date as written."""
    lengths = [len(n) for n in numbers]
    return lengths in ([1], [2], [1, 4], [2, 4], [4, 1], [4, 2])


_DASHED_SHORT_YEAR = re.compile(r"^(\d{1,2}-[^\W\d_]{3,9}\.?)-(\d{2})$")


def parse_date(text: str, *, language: str = "en", default_year: int | None = None) -> _dt.date | None:
    """Parse one date as written ("31 March 2016", "1er octobre 2012", "25 de septiembre de 2009",
    "Sep 9, 1994", "9 March"). Day first when ambiguous. A date without a year uses
    ``default_year``, or gives None when there is none (never guess). Never raises."""
    return _parse_date(text, language, default_year)


@lru_cache(maxsize=8192)  # a text repeats its dates, and dateutil parses each one twice
def _parse_date(text: str, language: str, default_year: int | None) -> _dt.date | None:
    try:
        if not text or len(text) > 80:
            return None
        numeric = _NUMERIC_DATE.match(text)
        dashed = _DASHED_SHORT_YEAR.match(text.strip())
        if dashed:  # a server's stamp, '13-May-98': the two-figure year as Urgent Actions count them
            yy = int(dashed.group(2))
            text = f"{dashed.group(1)} {(1900 if yy >= 70 else 2000) + yy}"
        if numeric:
            clean = text.strip()
        else:
            rewritten = _to_english(text.strip(), language)
            if rewritten is None or not rewritten[1]:
                return None  # unknown words, or no month name: bare numbers, years, times
            clean = rewritten[0]
            if not _plausible_numbers(re.findall(r"\d+", clean)):
                return None
            read = _day_month_year(clean)
            if read:  # nearly every written date: no need for dateutil's two parses
                day, month, year = read
                if year is None and default_year is None:
                    return None
                return _dt.date(year or default_year, month, day)  # type: ignore[arg-type]
        dayfirst = not (numeric and numeric.group(1))  # ISO 2016-04-03 is year-month-day
        a: _dt.datetime = _dateparser.parse(clean, dayfirst=dayfirst, default=_DEFAULT_A)
        b: _dt.datetime = _dateparser.parse(clean, dayfirst=dayfirst, default=_DEFAULT_B)
        if a.day != b.day or a.month != b.month:
            return None  # "March 2016": no day (or no month) in the text
        if a.year != b.year:  # no year in the text
            if default_year is None:
                return None
            return _dt.date(default_year, a.month, a.day)
        return a.date()
    except (ValueError, OverflowError, TypeError, _dateparser.ParserError):
        return None


_MONTH_NUMBER = {name: n for n, name in enumerate(_EN_MONTHS, 1)}


def _day_month_year(clean: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) of a rewritten date made of one English month name, a day and at most
    a four-figure year, with commas and full stops between; None for any other shape (dateutil reads it)."""
    day = month = year = None
    for tok in clean.split():
        if tok in (",", "."):
            continue
        if tok in _MONTH_NUMBER and month is None:
            month = _MONTH_NUMBER[tok]
        elif tok.isascii() and tok.isdigit() and len(tok) <= 2 and day is None:
            day = int(tok)
        elif tok.isascii() and tok.isdigit() and len(tok) == 4 and year is None:
            year = int(tok)
        else:
            return None
    return (day, month, year) if day is not None and month is not None else None


def infer_year(day_month: tuple[int, int], reference: _dt.date, *, after: bool = False) -> _dt.date:
    """Give a year-less (day, month) the reference's year. With ``after`` (deadlines, which are
    never in the past of the document) a result before the reference moves to the next year.
    Raises ValueError for a (day, month) that exists in no year considered."""
    day, month = day_month
    year = reference.year
    if not after:
        return _dt.date(year, month, day)
    for y in range(year, year + 9):  # 9 years covers 29 February after a non-leap year
        try:
            candidate = _dt.date(y, month, day)
        except ValueError:
            continue
        if candidate >= reference:
            return candidate
    raise ValueError(f"no date {day}/{month} on or after {reference}")


def _alternation(words: set[str]) -> str:
    # Longest first so "mars" wins over "mar" and "septiembre" over "sept"; as a trie, for speed.
    return word_alternation(words)


@cache
def _pattern_sources() -> dict[str, tuple[str, ...]]:
    """Per document language: every language's patterns (pages mix languages: English chrome
    on Spanish pages, Spanish quotes in English UAs), with that language's month alternation."""
    raw = load_json("date_patterns.json")
    names, abbrs, weekdays, _ = _tables()
    parts = dict(raw["parts"])
    parts["weekday"] = _alternation(set(weekdays))
    out: dict[str, tuple[str, ...]] = {}
    for lang in _LANGUAGES:
        # Full names of every language, abbreviations only of this language and English:
        # short words such as "ago" or "dic" are too risky in other languages' prose.
        month_words = {w for table in names.values() for w in table}
        month_words |= set(abbrs[lang]) | set(abbrs["en"])
        parts["month"] = _alternation(month_words)
        families = [lang] + [other for other in _LANGUAGES if other != lang]
        out[lang] = tuple(src.format(**parts) for fam in families for src in raw["patterns"][fam])
    return out


@cache
def _compiled(language: str) -> tuple[re.Pattern[str], ...]:
    sources = _pattern_sources()
    return tuple(re.compile(src, re.IGNORECASE) for src in sources.get(language, sources["en"]))


@cache
def _month_word(language: str) -> re.Pattern[str]:
    """Any month word of the language's patterns, not inside a word: every written date holds one."""
    names, abbrs, _, _ = _tables()
    words = {w for table in names.values() for w in table} | set(abbrs[language]) | set(abbrs["en"])
    return re.compile(r"(?<!\w)" + word_alternation(words), re.IGNORECASE)


# A date is a few words around its month: at most a weekday, "the", a day and "of"/"de" before it
# ("Wednesday, the 3rd of", "mercredi 3"), and a day and a year after it ("3, 2016", "de 2016").
_WORDS_BEFORE = 5
_WORDS_AFTER = re.compile(r"\S*(?:\s+\S+){0,4}")
_REACH = 200  # characters looked at on either side of a month word


def _words_back(text: str, pos: int, count: int, floor: int) -> int:
    """Where the ``count``-th word before ``pos`` starts (not before ``floor``)."""
    for _ in range(count):
        while pos > floor and text[pos - 1].isspace():
            pos -= 1
        while pos > floor and not text[pos - 1].isspace():
            pos -= 1
    return pos


def _windows(folded: str, language: str) -> list[tuple[int, int]]:
    """Ranges of the text that can hold a date: the words around each month word, merged. The
    patterns run there only: most of a text is far from any month name, and a scan of every
    position of it with five patterns cost more than the rest of the date recogniser."""
    out: list[tuple[int, int]] = []
    for m in _month_word(language).finditer(folded):
        lo = _words_back(folded, m.start(), _WORDS_BEFORE, max(0, m.start() - _REACH))
        after = _WORDS_AFTER.match(folded, m.end(), min(len(folded), m.end() + _REACH))
        hi = after.end() if after else m.end()
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def find_dates(text: str, language: str = "en") -> list[tuple[int, int, str]]:
    """Find written dates in running text: (start, end, matched text), sorted, non-overlapping.
    Month names match in any case, with or without accents. Bare years and times never match."""
    folded = fold(text)  # same length as text, so spans carry over
    spans: list[tuple[int, int]] = []
    windows = _windows(folded, language)
    for pattern in _compiled(language):
        for lo, hi in windows:  # a window ends at a word's end, so the patterns' look-ahead sees what follows
            spans.extend(m.span() for m in pattern.finditer(folded, lo, hi))
    return non_overlapping(spans, text)


def non_overlapping(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int, str]]:
    """The dates to keep among overlapping matches: earliest, then longest, except that a reading that
    gives a year beats an earlier one that does not ('Mar 26 Avr 2005', mardi 26 avril, is not March 26)."""
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for start, end in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start >= last_end:
            out.append((start, end, text[start:end]))
            last_end = end
        elif _YEAR.search(text, start, end) and not _YEAR.search(out[-1][2]):
            out[-1] = (start, end, text[start:end])
            last_end = end
    return out


_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")


# A date in figures: ISO (also a timestamp's date, '2015-03-17T10:42:08Z'), or day, month and year apart
# by '/', '.' or '-' ('21/02/2014', '31.03.2006', '22/10/97'). Not inside a longer run of figures.
_NUMERIC = re.compile(r"(?<![\w/.:-])(?:(?P<iso>(?:19|20)\d{2})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?=T\d)|"
                      r"(?:(?P<iy>(?:19|20)\d{2})-(?P<im2>[01]\d)-(?P<id2>[0-3]\d)|"
                      r"(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d{2}|\d{2}))"
                      r"(?![\w/]|[.:-]\d))")
# an index's figures ('MDE 12/19/98', 'Mde 12/02/91') are no date
_INDEX_BEFORE = re.compile(r"\b(?:AFR|AMR|ASA|EUR|MDE|IOR|ACT|POL|ORG|NWS|FIN|PRE|DOC)\s?$", re.IGNORECASE)


def find_numeric_dates(text: str) -> list[tuple[int, int, str, _dt.date]]:
    """Dates written in figures: (start, end, as written, date), sorted. ISO is year-month-day. Otherwise
    the order is the text's: a number over 12 settles it for that date ('21/02/2014' day first,
    '5/13/98' month first), and a date both ways readable ('03/04/2016') takes the order its text's
    settled dates share, or is left out when they settle none or disagree (a wrong date is worse than
    none). A two-figure year is 19yy from 70 on, else 20yy (Urgent Actions began in 1973)."""
    found: list[tuple[int, int, str, tuple[int, int, int] | None, tuple[int, int, int] | None]] = []
    for m in _NUMERIC.finditer(text):
        if _INDEX_BEFORE.search(text, max(0, m.start() - 5), m.start()):
            continue
        if m.group("a") is None:
            y, mo, d = (int(m.group(k)) for k in (("iso", "im", "id") if m.group("iso") else ("iy", "im2", "id2")))
            found.append((m.start(), m.end(), m.group(0), (y, mo, d), (y, mo, d)))
            continue
        a, b, yy = int(m.group("a")), int(m.group("b")), m.group("y")
        year = int(yy) if len(yy) == 4 else (1900 if int(yy) >= 70 else 2000) + int(yy)
        found.append((m.start(), m.end(), m.group(0), (year, b, a), (year, a, b)))  # day first, month first
    valid = [(s, e, t, _real(df), _real(mf)) for s, e, t, df, mf in found]
    day_first = sum(1 for *_, df, mf in valid if df and not mf)
    month_first = sum(1 for *_, df, mf in valid if mf and not df)
    out = []
    for s, e, t, df, mf in valid:
        if df and mf and df != mf:  # both ways readable: the text's own order, when it has one
            value = df if day_first and not month_first else mf if month_first and not day_first else None
        else:
            value = df or mf
        if value is not None:
            out.append((s, e, t, value))
    return out


def _real(ymd: tuple[int, int, int] | None) -> _dt.date | None:
    try:
        return _dt.date(*ymd) if ymd else None
    except ValueError:
        return None


#: Regex sources per language (month/weekday alternations expanded), for re.IGNORECASE on
#: accent-folded text; find_dates() applies them.
DATE_PATTERNS: dict[str, tuple[str, ...]] = _pattern_sources()
