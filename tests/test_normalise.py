"""Unit tests for extractor.normalise: every example from the spec plus the tricky cases."""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from importlib.resources import files

import pycountry
import pytest

from extractor.normalise import (
    CITY_COUNTRY,
    DATE_PATTERNS,
    ORDINALS,
    Number,
    canonical_index,
    canonical_ua_number,
    city_country,
    demonym_country,
    detect_language,
    find_dates,
    find_numeric_dates,
    index_country,
    infer_year,
    ordinal_value,
    parse_date,
    parse_index,
    read_numbers,
    resolve_country,
    to_e164,
)

D = dt.date


def _data(name: str) -> dict:
    return json.loads(files("extractor.data").joinpath(name).read_text(encoding="utf-8"))


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word.casefold()) if not unicodedata.combining(c))


# --------------------------------------------------------------------------- dates: parse_date

@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("31 March 2016", "en", D(2016, 3, 31)),
        ("03 November 2003", "en", D(2003, 11, 3)),
        ("1er octobre 2012", "fr", D(2012, 10, 1)),
        ("25 de septiembre de 2009", "es", D(2009, 9, 25)),
        ("12 NOVEMBRE 2012", "fr", D(2012, 11, 12)),
        ("June 1 2023", "en", D(2023, 6, 1)),
        ("September 2, 2021", "en", D(2021, 9, 2)),
        ("29 March, 2018", "en", D(2018, 3, 29)),
        ("May 12, 2023", "en", D(2023, 5, 12)),
        ("Sunday, October 31, 2010", "en", D(2010, 10, 31)),
        ("le 12 novembre 2012", "fr", D(2012, 11, 12)),
        ("13 de septiembre de 2011", "es", D(2011, 9, 13)),
        ("5 July 2017", "en", D(2017, 7, 5)),
        ("Sep 9, 1994", "en", D(1994, 9, 9)),
        # accents optional, damaged and abbreviated forms, weekdays in es/fr, ordinals
        ("3 fevrier 2010", "fr", D(2010, 2, 3)),
        ("3 février 2010", "fr", D(2010, 2, 3)),
        ("3 fvrier 2010", "fr", D(2010, 2, 3)),
        ("15 août 2012", "fr", D(2012, 8, 15)),
        ("15 aout 2012", "fr", D(2012, 8, 15)),
        ("24 décembre 1999", "fr", D(1999, 12, 24)),
        ("24 decembre 1999", "fr", D(1999, 12, 24)),
        ("14 febrero 2001", "es", D(2001, 2, 14)),
        ("domingo, 31 de octubre de 2010", "es", D(2010, 10, 31)),
        ("dimanche 31 octobre 2010", "fr", D(2010, 10, 31)),
        ("1º de mayo de 2010", "es", D(2010, 5, 1)),
        ("5 de julio del 2015", "es", D(2015, 7, 5)),
        ("20 dic. 2010", "es", D(2010, 12, 20)),
        ("2 juil. 2014", "fr", D(2014, 7, 2)),
        ("the 2nd of June 2014", "en", D(2014, 6, 2)),
        ("12 MAY 2016", "en", D(2016, 5, 12)),
        ("03/04/2010", "en", D(2010, 4, 3)),  # day first when ambiguous
        ("2016-04-03", "en", D(2016, 4, 3)),
        # language only orders the lookup: an English date in a Spanish document still parses
        ("9 March 2016", "es", D(2016, 3, 9)),
    ],
)
def test_parse_date(text: str, language: str, expected: dt.date) -> None:
    assert parse_date(text, language=language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("9 March", "en", D(2020, 3, 9)),
        ("14 September", "en", D(2020, 9, 14)),
        ("2 de noviembre", "es", D(2020, 11, 2)),
        ("le 9 mars", "fr", D(2020, 3, 9)),
        ("29 February", "en", D(2020, 2, 29)),
    ],
)
def test_parse_date_without_year_uses_default_year(text: str, language: str, expected: dt.date) -> None:
    assert parse_date(text, language=language, default_year=2020) == expected
    assert parse_date(text, language=language) is None  # never guess a year


@pytest.mark.parametrize(
    "text",
    [
        "", "2016", "1994", "105005", "12:30", "10.30", "March 2016", "mars 2016", "Amnesty",
        "31 February 2016", "31 April 2016", "32 March 2016", "hello 9 March 2016", "9 Marchy 2016",
        "0 March 2016", "120516", "Moscow", "9 March 2016 " + "x" * 100,
        "9 March 2016 2017", "9 9 March", "March 9 9", "9 March 99999", "123 March 2016",
    ],
)
def test_parse_date_rejects_non_dates(text: str) -> None:
    assert parse_date(text, default_year=2020) is None


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("3O March 2016", "en", dt.date(2016, 3, 30)),  # a letter O for a zero, typed or read by OCR
    ("2O avril 2011", "fr", dt.date(2011, 4, 20)),
    ("1O de mayo de 2010", "es", None),  # the 10th, or the 1º? Null rather than a guess
    ("3o March 2016", "en", None),  # a Spanish ordinal 'o' in English text: '30' mistyped, or the 3rd
    ("1o de mayo de 2010", "es", dt.date(2010, 5, 1)),
])
def test_parse_date_letter_o_after_a_day(text: str, language: str, expected: dt.date | None) -> None:
    assert parse_date(text, language=language) == expected


def test_parse_date_29_february_in_non_leap_default_year_is_none() -> None:
    assert parse_date("29 February", default_year=2019) is None


# --------------------------------------------------------------------------- dates: infer_year

@pytest.mark.parametrize(
    ("day_month", "reference", "after", "expected"),
    [
        ((9, 3), D(2016, 3, 1), False, D(2016, 3, 9)),
        ((9, 3), D(2016, 3, 20), False, D(2016, 3, 9)),  # without after: the reference's year
        ((9, 3), D(2016, 3, 20), True, D(2017, 3, 9)),  # a deadline before the document: next year
        ((15, 1), D(2016, 12, 20), True, D(2017, 1, 15)),
        ((20, 12), D(2016, 12, 20), True, D(2016, 12, 20)),  # same day is not "before"
        ((31, 12), D(2016, 1, 1), True, D(2016, 12, 31)),
        ((29, 2), D(2017, 1, 10), True, D(2020, 2, 29)),  # the next year that has the day
    ],
)
def test_infer_year(day_month: tuple[int, int], reference: dt.date, after: bool, expected: dt.date) -> None:
    assert infer_year(day_month, reference, after=after) == expected


def test_infer_year_impossible_day_raises() -> None:
    with pytest.raises(ValueError):
        infer_year((31, 4), D(2016, 1, 1))
    with pytest.raises(ValueError):
        infer_year((29, 2), D(2017, 1, 1))


# --------------------------------------------------------------------------- dates: find_dates

@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("arrested on 9 March 2016 in", "en", ["9 March 2016"]),
        ("arrested on 9 March in", "en", ["9 March"]),
        ("arrested on March 9, 2016 in", "en", ["March 9, 2016"]),
        ("arrested on March 9 in", "en", ["March 9"]),
        ("detenido el 9 de marzo de 2016 en", "es", ["9 de marzo de 2016"]),
        ("detenido el 9 de marzo en", "es", ["9 de marzo"]),
        ("arrêté le 1er octobre 2012 à", "fr", ["1er octobre 2012"]),
        ("arrêté le 9 mars à", "fr", ["9 mars"]),
        ("DATE: 12 MAY 2016", "en", ["12 MAY 2016"]),
        ("le 20 FEVRIER 2011 et le 20 février 2011", "fr", ["20 FEVRIER 2011", "20 février 2011"]),
        ("on Sunday, October 31, 2010 at", "en", ["Sunday, October 31, 2010"]),
        ("from 19-20 March", "en", ["20 March"]),
        ("Sep 9, 1994", "en", ["Sep 9, 1994"]),
        ("Sep. 9, 1994", "en", ["Sep. 9, 1994"]),
        ("on 9 Sept. 1994", "en", ["9 Sept. 1994"]),
        ("on 9 Sept. He was", "en", ["9 Sept"]),  # a full stop ends the sentence, not the date
        ("29 March, 2018", "en", ["29 March, 2018"]),
        ("el 5 de julio del 2015", "es", ["5 de julio del 2015"]),
        # English boilerplate in a Spanish document, Spanish dates in an English one
        ("Fecha: 9 de marzo. Date: 10 March 2016", "es", ["9 de marzo", "10 March 2016"]),
        ("quoted: 9 de marzo de 2016", "en", ["9 de marzo de 2016"]),
        # not dates: bare years, times, numbers, month without day
        ("in 2016 and 1994", "en", []),
        ("at 10:30 on", "en", []),
        ("1234 March 5", "en", ["March 5"]),  # not "34 March" inside 1234
        ("March 2016", "en", []),
        ("March 1990", "en", []),
        ("105005 Moscow", "en", []),
        ("Marching 9 times", "en", []),
        ("they may also be", "en", []),
    ],
)
def test_find_dates(text: str, language: str, expected: list[str]) -> None:
    found = find_dates(text, language)
    assert [m for _, _, m in found] == expected
    for start, end, matched in found:
        assert text[start:end] == matched


def test_a_servers_stamp_with_a_two_figure_year_is_a_date() -> None:
    found = find_dates("Last updated: Wednesday, 13-May-98 14:22:10 EDT; mirrored 3-Jan-2001", "en")
    assert [(m, str(parse_date(m))) for *_, m in found] == [("13-May-98", "1998-05-13"), ("3-Jan-2001", "2001-01-03")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Revisión ....... equipo de archivo, 21/02/2014", ["2014-02-21"]),  # a number over 12 settles day first
    ("Envoi du 22/10/97 - à diffuser", ["1997-10-22"]),  # a two-figure year
    ("Dernière mise à jour : 31.03.2006", ["2006-03-31"]),
    ("Last updated 5/13/98 by the webmaster", ["1998-05-13"]),  # month first, settled by the 13
    ("dc.date.accessioned   2015-03-17T10:42:08Z", ["2015-03-17"]),  # ISO, a timestamp's date
    ("Posted 03/04/2016", []),  # both ways readable and nothing else to settle it: left out
    ("Posted 03/04/2016, revised 25/12/2016", ["2016-04-03", "2016-12-25"]),  # the text's own order
    ("Posted 03/04/2016, revised 25/12/2016 and 12/25/2016", ["2016-12-25", "2016-12-25"]),  # orders disagree
    ("see MDE 12/19/98 and Mde 12/02/91", []),  # an index's figures
    ("ZCZC 12.4.77 1532, version 1.2.10, tel 12-34-56", []),
])
def test_find_numeric_dates(text: str, expected: list[str]) -> None:
    found = find_numeric_dates(text)
    assert [d.isoformat() for *_, d in found] == expected
    assert all(text[s:e] == written for s, e, written, _ in found)


def test_find_dates_spans_are_sorted_and_disjoint() -> None:
    text = "9 March 2016, 10 de marzo, le 11 mars 2017 and April 3, 2018"
    found = find_dates(text, "en")
    assert [(s, e) for s, e, _ in found] == [(0, 12), (14, 25), (30, 42), (47, 60)]
    assert [parse_date(m, default_year=2000) for _, _, m in found] == [
        D(2016, 3, 9), D(2000, 3, 10), D(2017, 3, 11), D(2018, 4, 3)
    ]


def test_abbreviations_only_for_document_language() -> None:
    # "ago" (agosto) is a Spanish abbreviation: found in Spanish documents, not English ones.
    assert [m for _, _, m in find_dates("el 3 ago 2010", "es")] == ["3 ago 2010"]
    assert find_dates("some 3 ago 2010", "en") == []


def test_date_patterns_are_regex_sources_per_language() -> None:
    """Each language's sources, compiled as find_dates() does, find dates written in all three
    languages (pages mix them), and find nothing in bare years, times or numbers."""
    assert set(DATE_PATTERNS) == {"en", "es", "fr"}
    for lang, sources in DATE_PATTERNS.items():
        assert not any(re.search(r"\{[a-z_]+\}", s) for s in sources), lang  # "{month}" placeholders expanded
        compiled = [re.compile(s, re.IGNORECASE) for s in sources]
        for written in ("31 March 2016", "March 31, 2016", "1er octobre 2012", "25 de septiembre de 2009",
                        "17 DE MAYO DE 2013"):
            assert any(c.fullmatch(written) for c in compiled), (lang, written)
        for not_a_date in ("in 2016 at 19:00", "UA 57/16", "aged 34", "EUR 46/3643/2016"):
            assert not any(c.search(not_a_date) for c in compiled), (lang, not_a_date)


# --------------------------------------------------------------------------- phones

@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("+7499 265 90 77/ +7499 265 97 75", None, ["+74992659077", "+74992659775"]),
        ("202 467 9300 I 202 467 9366", "US", ["+12024679300", "+12024679366"]),
        ("202 467 9300 | 202 467 9366", "US", ["+12024679300", "+12024679366"]),
        ("202 467 9300; 202 467 9366", "US", ["+12024679300", "+12024679366"]),
        ("202 467 9300/202 467 9366", "US", ["+12024679300", "+12024679366"]),
        ("202 467 9300 or 202 467 9366", "US", ["+12024679300", "+12024679366"]),
        ("202 467 9300 202 467 9366", "US", ["+12024679300", "+12024679366"]),
        ("(00 202) 2577 4716", "EG", ["+20225774716"]),
        ("(00 202) 2577 4716", None, ["+20225774716"]),
        ("+202 2391 1441", None, ["+20223911441"]),
        ("020 7229 3620", "GB", ["+442072293620"]),
        ("0207 229 6412", "GB", ["+442072296412"]),
        ("(202) 342-3800", "US", ["+12023423800"]),
        ("+966 11 403 3125 (please keep trying)", None, ["+966114033125"]),
        ("+632 724 8749", None, ["+6327248749"]),  # outdated Manila number: kept
        ("+44 (0)20 7413 5500", None, ["+442074135500"]),
        ("00 44 20 7413 5500", None, ["+442074135500"]),
        ("+44 20 7413 5500 +44 20 7956 1157", None, ["+442074135500", "+442079561157"]),
        ("Fax: +1 202 467 9300", "RU", ["+12024679300"]),  # explicit "+" beats the region
        ("+7 495 123-45-67; +7 (495) 765 43 21", None, ["+74951234567", "+74957654321"]),
        ("+7 495 123-45-67 / +7 495 123-45-67", None, ["+74951234567"]),  # duplicates once
        ("gb region lower case: 020 7229 3620", "gb", ["+442072293620"]),
    ],
)
def test_to_e164(raw: str, region: str | None, expected: list[str]) -> None:
    assert to_e164(raw, region) == expected


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("020 7229 3620", None),  # national number, no region: never guessed
        ("(202) 342-3800", None),
        ("105005", "RU"),  # postcode
        ("Moscow 105005, Russia", "RU"),
        ("12/05/2016", "GB"),
        ("12.05.2016", "GB"),
        ("2016-05-12", "GB"),
        ("1994-2016", "US"),
        ("2016", "US"),
        ("", "US"),
        ("please keep trying", "US"),
    ],
)
def test_to_e164_rejects(raw: str, region: str | None) -> None:
    assert to_e164(raw, region) == []


# Every country code in the dev corpus gold (+1, +7, +20, +44, +63, +966) and the samples (+57, +90,
# +92, +234, +249), each in the shapes UAs write them: international, "00", national with the trunk
# prefix, bracketed area codes. Expected values are the numbering plans' own (ITU national plans),
# with ``current`` False for numbers right in their year that today's plan no longer has.
@pytest.mark.parametrize(
    ("raw", "region", "e164", "current"),
    [
        # +1 United States: "1" is the US trunk prefix; brackets round the area code
        ("+1 202 342 3800", None, "+12023423800", True),
        ("(202) 342-3800", "US", "+12023423800", True),
        ("1-202-342-3800", "US", "+12023423800", True),
        ("212.687.2020", "US", "+12126872020", True),
        # +7 Russia: trunk "8", never a "0" after +7
        ("+7 499 265 90 77", None, "+74992659077", True),
        ("8 (499) 265-90-77", "RU", "+74992659077", True),
        ("(495) 987 58 41", "RU", "+74959875841", True),
        # +20 Egypt
        ("+20 2 2577 4716", None, "+20225774716", True),
        ("(00 202) 2391 1441", None, "+20223911441", True),
        ("02 2577 4716", "EG", "+20225774716", True),
        # +44 United Kingdom: the trunk 0 goes, written "(0)" or not
        ("+44 (0)20 7229 3620", None, "+442072293620", True),
        ("+44 020 7727 8625", None, "+442077278625", True),
        ("0207 229 6412", "GB", "+442072296412", True),
        ("+44 171 245 9547", None, "+441712459547", False),  # London before 2000 (0171): kept, flagged
        ("0171 245 9547", "GB", "+441712459547", False),
        # +63 Philippines: 7-digit Manila numbers before 2019
        ("+63 2 724 8749", None, "+6327248749", False),
        ("+632 724 8749", None, "+6327248749", False),
        ("(02) 724 8749", "PH", "+6327248749", False),
        ("+63 2 8724 8749", None, "+63287248749", True),
        # +966 Saudi Arabia: Riyadh "01" became "011" in 2007
        ("+966 11 403 3125", None, "+966114033125", True),
        ("011 403 3125", "SA", "+966114033125", True),
        ("+966 1 403 3125", None, "+96614033125", False),
        # +57 Colombia: Bogotá "1" became "601" in 2021
        ("+57 1 596 0631", None, "+5715960631", False),
        ("(1) 570 2022", "CO", "+5715702022", False),
        ("+57 601 596 0631", None, "+576015960631", True),
        # +90 Turkey
        ("+90 312 418 1795", None, "+903124181795", True),
        ("(0312) 417 39 54", "TR", "+903124173954", True),
        # +92 Pakistan, "+ 92" with a space as 2003 sheets write it
        ("+92 51 920 2624", None, "+92519202624", True),
        ("+ 92 81 920 1868", None, "+92819201868", True),
        ("051 920 2624", "PK", "+92519202624", True),
        # +234 Nigeria: 7-digit Abuja numbers before the 2000s plan
        ("+234 9 523 0582", None, "+23495230582", False),
        # +249 Sudan
        ("+249 183 770 883", None, "+249183770883", True),
        ("0183 774 215", "SD", "+249183774215", True),
        # the trunk rule beyond the corpus: France, Germany drop the 0; Italy keeps its leading 0
        ("+33 (0)1 23 45 67 89", None, "+33123456789", True),
        ("+33 01 23 45 67 89", None, "+33123456789", True),
        ("01 23 45 67 89", "FR", "+33123456789", True),
        ("+49 030 1234567", None, "+49301234567", True),
        ("030 1234567", "DE", "+49301234567", True),
        ("+39 06 1234 5678", None, "+390612345678", True),
        ("06 1234 5678", "IT", "+390612345678", True),
        # Brasília: 7-digit numbers (area 061) before 8-digit ones
        ("(061) 321 4567", "BR", "+55613214567", False),
        ("+55 61 321 4567", None, "+55613214567", False),
        ("+55 61 3214 5678", None, "+556132145678", True),
    ],
)
def test_numbers_by_country(raw: str, region: str | None, e164: str, current: bool) -> None:
    assert read_numbers(raw, region) == [Number(e164, current)]
    assert to_e164(raw, region) == [e164]
    assert (read_numbers(raw, region)[0].warning is None) == current


def test_e164_never_carries_a_trunk_zero() -> None:
    # +44, +33, +49 and +7 national numbers never start with 0; only Italy's plan keeps it
    for raw, region in [("0171 245 95", "GB"), ("+44 017124595", None), ("+7 0495 123 4567", None),
                        ("0171 245 95 47 11", "GB")]:
        assert [n for n in to_e164(raw, region) if re.match(r"\+(?:44|33|49|7)0", n)] == [], raw
    assert to_e164("0171 245 95", "GB") == []


@pytest.mark.parametrize(
    ("raw", "region"),
    [
        ("70150-900", "BR"),  # a Brasília postcode (CEP)
        ("CEP 70150-900, Brasília", "BR"),
        ("20005-1234", "US"),  # ZIP+4
        ("P.O. Box 1234567", "CM"),
        ("B.P. 1234567", "CM"),
        ("BP 23456789", "CM"),
        ("Apartado Postal 1234567", "CO"),
        ("PO Box 2345 6789", "NG"),
        ("1234567", "CM"),  # a bare run too short for Cameroon's plan
        ("70150900", "BR"),  # a bare run today's plan does not know, without trunk or area brackets
        ("12 05 1995", "GB"),  # a date with spaces
        ("25.04.1995", "TR"),
        ("0171 245 95", "GB"),  # trunk 0 and too short: not "+44017124595"
    ],
)
def test_never_a_number(raw: str, region: str) -> None:
    assert read_numbers(raw, region) == []


def test_a_box_number_beside_a_telephone_leaves_the_telephone() -> None:
    assert to_e164("P.O. Box 23456789, Tel: 0803 123 4567", "NG") == ["+2348031234567"]
    assert to_e164("B.P. 1234567 Tel. 0803 123 4567", "NG") == ["+2348031234567"]  # one part, read on


def test_number_lengths_at_the_edges() -> None:
    assert read_numbers("+683 4002", None) == [Number("+6834002", True)]  # Niue: 7 digits in all is E.164
    assert read_numbers("0044 20 7413 5500", None) == [Number("+442074135500", True)]  # "00" glued on


def test_numbers_run_together_keep_their_own_marks() -> None:
    assert read_numbers("+44 20 7413 5500 +44 20 7956 1157 +44 171 245 9547", None) == [
        Number("+442074135500", True), Number("+442079561157", True), Number("+441712459547", False)]


# --------------------------------------------------------------------------- codes

@pytest.mark.parametrize(
    ("num", "year", "expected"),
    [("057", "16", "57/16"), ("182", "17", "182/17"), ("1", "1993", "1/93"), ("5", "3", "5/03"), ("300", "2001", "300/01")],
)
def test_canonical_ua_number(num: str, year: str, expected: str) -> None:
    assert canonical_ua_number(num, year) == expected


@pytest.mark.parametrize(("num", "year"), [("x", "16"), ("57", "sixteen"), ("", "16")])
def test_canonical_ua_number_rejects(num: str, year: str) -> None:
    with pytest.raises(ValueError):
        canonical_ua_number(num, year)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("EUR", "44", "27", "93"), "EUR 44/027/1993"),
        (("EUR", "46", "3643", "2016"), "EUR 46/3643/2016"),
        (("ASA", "35", "0273", "2019"), "ASA 35/0273/2019"),
        (("afr", "53", "64", "90"), "AFR 53/064/1990"),
        (("AMR", "51", "1", "60"), "AMR 51/001/1960"),
        (("AMR", "51", "1", "59"), "AMR 51/001/2059"),
        (("MDE", "13", "002", "05"), "MDE 13/002/2005"),
        (("ACT", "3", "12", "1999"), "ACT 03/012/1999"),
    ],
)
def test_canonical_index(args: tuple[str, str, str, str], expected: str) -> None:
    assert canonical_index(*args) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EUR 44/27/93", "EUR 44/027/1993"),
        ("AMR 34/43/92", "AMR 34/043/1992"),
        ("ASA35/0273/2019", "ASA 35/0273/2019"),
        ("  EUR 46/3643/2016 ", "EUR 46/3643/2016"),
        ("AI Index: MDE 13/2222/2020", "MDE 13/2222/2020"),
        ("AI Index No: EUR 44/27/93", "EUR 44/027/1993"),
        ("Índice AI: AMR 41/001/2012", "AMR 41/001/2012"),
        ("Index AI : AMR 41/001/2012", "AMR 41/001/2012"),
        ("eur 44 / 27 / 93", "EUR 44/027/1993"),
        ("EUR 44/27", None),
        ("UA 57/16", None),
        ("see EUR 44/27/93", None),  # the whole string, not a search
        ("EUR 44/27/993", None),
        ("", None),
    ],
)
def test_parse_index(text: str, expected: str | None) -> None:
    assert parse_index(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("first", 1), ("Second", 2), ("THIRD", 3), ("fourth", 4), ("fifth", 5), ("sixth", 6),
        ("seventh", 7), ("eighth", 8), ("ninth", 9), ("tenth", 10), ("twelfth", 12),
        ("primera", 1), ("primer", 1), ("segunda", 2), ("tercera", 3), ("cuarta", 4), ("quinta", 5),
        ("séptima", 7), ("septima", 7), ("décima", 10),
        ("premier", 1), ("première", 1), ("deuxième", 2), ("deuxieme", 2), ("troisième", 3),
        ("quatrième", 4), ("dixième", 10), ("dix-septième", 17),
        ("2nd", 2), ("3rd", 3), ("11th", 11), ("2ª", 2), ("2º", 2), ("1er", 1), ("2e", 2), ("2ème", 2),
        ("update", None), ("", None), ("0th", None), ("two", None),
    ],
)
def test_ordinal_value(word: str, expected: int | None) -> None:
    assert ordinal_value(word) == expected


def test_ordinals_table_is_data() -> None:
    assert ORDINALS["segunda"] == 2 and ORDINALS["deuxieme"] == 2 and ORDINALS["tenth"] == 10


# --------------------------------------------------------------------------- countries

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NEPAL", ("Nepal", "NP")),
        ("Russian Federation", ("Russia", "RU")),
        ("TURKEY", ("Turkey", "TR")),
        ("Türkiye", ("Turkey", "TR")),
        ("SOUTH AFRICA", ("South Africa", "ZA")),
        ("USA", ("USA", "US")),
        ("U.S.A.", ("USA", "US")),
        ("United States of America", ("USA", "US")),
        ("US", ("USA", "US")),
        ("Iran", ("Iran", "IR")),
        ("Islamic Republic of Iran", ("Iran", "IR")),
        ("Occupied Palestinian Territories", ("Palestine", "PS")),
        ("Mxico", ("Mexico", "MX")),
        ("México", ("Mexico", "MX")),
        ("M?xico", ("Mexico", "MX")),
        ("MÃ©xico", ("Mexico", "MX")),  # UTF-8 read as Latin-1
        ("Viet Nam", ("Vietnam", "VN")),
        ("Burma", ("Myanmar", "MM")),
        ("Syria", ("Syria", "SY")),
        ("South Korea", ("South Korea", "KR")),
        ("North Korea", ("North Korea", "KP")),
        ("DR Congo", ("DR Congo", "CD")),
        ("Democratic Republic of the Congo", ("DR Congo", "CD")),
        ("Kingdom of Saudi Arabia", ("Saudi Arabia", "SA")),
        ("Guatemala", ("Guatemala", "GT")),
        ("Honduras", ("Honduras", "HN")),
        ("Colombia", ("Colombia", "CO")),
        ("Brazil", ("Brazil", "BR")),
        ("Belarus", ("Belarus", "BY")),
        ("Philippines", ("Philippines", "PH")),
        ("the Philippines", ("Philippines", "PH")),
        ("Sri Lanka", ("Sri Lanka", "LK")),
        ("Egypt", ("Egypt", "EG")),
        ("Sudan", ("Sudan", "SD")),
        ("Arab Republic of Egypt", ("Egypt", "EG")),
        ("Colombie", ("Colombia", "CO")),
        ("Mexique", ("Mexico", "MX")),
        ("Égypte", ("Egypt", "EG")),
        ("EGYPTE", ("Egypt", "EG")),
        ("Turquía", ("Turkey", "TR")),
        ("Rusia", ("Russia", "RU")),
        ("Russie", ("Russia", "RU")),
        ("Estados Unidos", ("USA", "US")),
        ("États-Unis", ("USA", "US")),
        ("Filipinas", ("Philippines", "PH")),
        ("Brésil", ("Brazil", "BR")),
        ("Corée du Sud", ("South Korea", "KR")),
        ("Arabie saoudite", ("Saudi Arabia", "SA")),
        ("Sudán del Sur", ("South Sudan", "SS")),
        ("Côte d’Ivoire", ("Côte d'Ivoire", "CI")),
        ("Ivory Coast", ("Côte d'Ivoire", "CI")),
        ("Perú", ("Peru", "PE")),
        ("Congo", ("Congo", "CG")),
        ("Kosovo", ("Kosovo", "XK")),
        ("Mexico,", ("Mexico", "MX")),
    ],
)
def test_resolve_country(text: str, expected: tuple[str, str]) -> None:
    assert resolve_country(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Amnesty", "Moscow", "", "us",  # lower-case "us" is a pronoun
        "Per",  # "Perú" with the accent dropped: too short to trust
        "land",  # "Åland" with the letter dropped: too short to trust
        "Korea", "Corée",  # ambiguous between North and South
        "Urgent Action", "Guinea-Bissau-Conakry",
    ],
)
def test_resolve_country_rejects(text: str) -> None:
    assert resolve_country(text) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Egyptian", ("Egypt", "EG")), ("Egyptians", ("Egypt", "EG")), ("Russian", ("Russia", "RU")),
        ("Iranian", ("Iran", "IR")), ("Belarusian", ("Belarus", "BY")),
        ("Saudi Arabian", ("Saudi Arabia", "SA")), ("Saudi", ("Saudi Arabia", "SA")),
        ("Chechen", ("Russia", "RU")), ("Guatemalan", ("Guatemala", "GT")),
        ("guatemalteca", ("Guatemala", "GT")), ("Honduran", ("Honduras", "HN")),
        ("hondurien", ("Honduras", "HN")), ("Turkish", ("Turkey", "TR")), ("Nepali", ("Nepal", "NP")),
        ("Nepalese", ("Nepal", "NP")), ("Colombian", ("Colombia", "CO")), ("Mexican", ("Mexico", "MX")),
        ("mexicano", ("Mexico", "MX")), ("mexicanos", ("Mexico", "MX")), ("Brazilian", ("Brazil", "BR")),
        ("Philippine", ("Philippines", "PH")), ("Filipino", ("Philippines", "PH")),
        ("Sudanese", ("Sudan", "SD")), ("sudaneses", ("Sudan", "SD")), ("Sri Lankan", ("Sri Lanka", "LK")),
        ("Chinese", ("China", "CN")), ("Indian", ("India", "IN")), ("Pakistani", ("Pakistan", "PK")),
        ("Syrian", ("Syria", "SY")), ("Iraqi", ("Iraq", "IQ")), ("Israeli", ("Israel", "IL")),
        ("Palestinian", ("Palestine", "PS")), ("Kenyan", ("Kenya", "KE")), ("Nigerian", ("Nigeria", "NG")),
        ("Ethiopian", ("Ethiopia", "ET")), ("Vietnamese", ("Vietnam", "VN")), ("Cuban", ("Cuba", "CU")),
        ("Venezuelan", ("Venezuela", "VE")), ("Peruvian", ("Peru", "PE")), ("Chilean", ("Chile", "CL")),
        ("Argentinian", ("Argentina", "AR")), ("Bahraini", ("Bahrain", "BH")),
        ("Emirati", ("United Arab Emirates", "AE")), ("Azerbaijani", ("Azerbaijan", "AZ")),
        ("Uzbek", ("Uzbekistan", "UZ")), ("Kazakh", ("Kazakhstan", "KZ")), ("Ukrainian", ("Ukraine", "UA")),
        ("Georgian", ("Georgia", "GE")), ("égyptien", ("Egypt", "EG")), ("EGYPTIEN", ("Egypt", "EG")),
        ("iraníes", ("Iran", "IR")), ("South African", ("South Africa", "ZA")),
    ],
)
def test_demonym_country(word: str, expected: tuple[str, str]) -> None:
    assert demonym_country(word) == expected


@pytest.mark.parametrize("word", ["Amnesty", "Kurdish", "English", "", "us"])
def test_demonym_country_rejects(word: str) -> None:
    assert demonym_country(word) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Moscow", "RU"), ("London", "GB"), ("Washington", "US"), ("Washington D.C.", "US"), ("New York", "US"),
        ("Cairo", "EG"), ("Tehran", "IR"), ("Riyadh", "SA"), ("Minsk", "BY"), ("Manila", "PH"),
        ("Quezon City", "PH"), ("Kathmandu", "NP"), ("Ankara", "TR"), ("Istanbul", "TR"),
        ("Diyarbakir", "TR"), ("Diyarbakır", "TR"), ("Tegucigalpa", "HN"), ("Guatemala City", "GT"),
        ("Bogotá", "CO"), ("BOGOTA", "CO"), ("Mexico City", "MX"), ("Brasília", "BR"), ("Brasilia", "BR"),
        ("Rio de Janeiro", "BR"), ("Khartoum", "SD"), ("Colombo", "LK"), ("Beijing", "CN"),
        ("Moscou", "RU"), ("Le Caire", "EG"), ("Ciudad de México", "MX"),
        ("Narnia", None), ("", None), ("Amnesty", None),
    ],
)
def test_city_country(name: str, expected: str | None) -> None:
    assert city_country(name) == expected


def test_city_table_size() -> None:
    assert len(CITY_COUNTRY) >= 150


@pytest.mark.parametrize(
    ("region", "cc", "expected"),
    [
        ("AFR", "53", ("South Africa", "ZA")), ("AFR", "54", ("Sudan", "SD")), ("AMR", "19", ("Brazil", "BR")),
        ("AMR", "23", ("Colombia", "CO")), ("AMR", "34", ("Guatemala", "GT")), ("AMR", "37", ("Honduras", "HN")),
        ("AMR", "41", ("Mexico", "MX")), ("AMR", "51", ("USA", "US")), ("ASA", "31", ("Nepal", "NP")),
        ("ASA", "35", ("Philippines", "PH")), ("ASA", "37", ("Sri Lanka", "LK")), ("EUR", "44", ("Turkey", "TR")),
        ("EUR", "46", ("Russia", "RU")), ("MDE", "12", ("Egypt", "EG")), ("MDE", "13", ("Iran", "IR")),
        ("MDE", "23", ("Saudi Arabia", "SA")), ("EUR", "49", ("Belarus", "BY")),
        ("eur", " 46 ", ("Russia", "RU")), ("AFR", "62", ("DR Congo", "CD")),
        ("AFR", "01", None), ("ACT", "50", None), ("EUR", "x", None), ("", "", None),
    ],
)
def test_index_country(region: str, cc: str, expected: tuple[str, str] | None) -> None:
    assert index_country(region, cc) == expected


# --------------------------------------------------------------------------- data-file integrity

def test_country_data_codes_are_iso_or_declared() -> None:
    declared = set(_data("country_aliases.json")["short_names"])
    iso = {c.alpha_2 for c in pycountry.countries} | declared
    for name, table in [
        ("demonyms.json", _data("demonyms.json")["demonyms"]),
        ("capitals.json", _data("capitals.json")["cities"]),
        ("ai_index_countries.json", _data("ai_index_countries.json")["codes"]),
    ]:
        bad = {k: v for k, v in table.items() if v not in iso}
        assert bad == {}, name
    assert set(_data("country_aliases.json")["aliases"]) <= iso


def test_ai_index_keys_are_well_formed() -> None:
    for key in _data("ai_index_countries.json")["codes"]:
        assert re.fullmatch(r"(AFR|AMR|ASA|EUR|MDE) \d\d", key), key


def test_demonym_table_size() -> None:
    assert len(_data("demonyms.json")["demonyms"]) >= 100


def test_stopword_lists_are_disjoint() -> None:
    raw = _data("stopwords.json")
    sets = {lang: {_fold(w) for w in raw[lang]} for lang in ("en", "es", "fr")}
    assert not sets["en"] & sets["es"]
    assert not sets["en"] & sets["fr"]
    assert not sets["es"] & sets["fr"]
    assert all(len(s) >= 50 for s in sets.values())


def test_months_tables_cover_twelve_months_per_language() -> None:
    months = _data("months.json")["months"]
    for lang in ("en", "es", "fr"):
        assert set(months[lang]["names"].values()) == set(range(1, 13))


# --------------------------------------------------------------------------- language

EN = ("The human rights defender was arrested by police on 9 March and has been held without "
      "charge. His family have not been told where he is and they fear that he is at risk of torture.")
ES = ("El defensor de los derechos humanos fue detenido por la policía el 9 de marzo y está recluido "
      "sin cargos. Su familia no sabe dónde se encuentra y teme que esté en peligro de tortura.")
FR = ("Le défenseur des droits humains a été arrêté par la police le 9 mars et il est détenu sans "
      "inculpation. Sa famille ne sait pas où il se trouve et craint qu'il ne soit torturé.")
CHROME_EN = "Home | About us | Contact | Donate | Cookies | Privacy | Search the site | Join us"


@pytest.mark.parametrize(("text", "expected"), [(EN, "en"), (ES, "es"), (FR, "fr")])
def test_detect_language(text: str, expected: str) -> None:
    lang, confidence = detect_language(text)
    assert lang == expected
    assert confidence == 1.0


def test_detect_language_majority_wins_over_site_chrome() -> None:
    lang, confidence = detect_language(CHROME_EN + "\n" + ES + "\n" + ES)
    assert lang == "es"
    assert 0.5 < confidence < 1.0


def test_detect_language_upper_case_and_unaccented() -> None:
    assert detect_language(FR.upper())[0] == "fr"
    assert detect_language("le defenseur a ete arrete et il est detenu dans une prison")[0] == "fr"


@pytest.mark.parametrize("text", ["", "Hola", "9 March 2016", "UA 57/16 EUR 46/3643/2016", "Amnesty International"])
def test_detect_language_too_little_text(text: str) -> None:
    assert detect_language(text) == ("und", 0.0)


def test_detect_language_is_deterministic() -> None:
    mixed = EN + " " + ES
    assert detect_language(mixed) == detect_language(mixed)
    # a tie goes to the first language in (en, es, fr)
    assert detect_language("the and of el los las") == ("en", 0.5)


# ---- one definition of folding and index comparison (issue 18)

def test_text_helpers_fold_keeps_offsets_and_fold_key_compares() -> None:
    from extractor.text_helpers import fold, fold_key

    s = "Kémal Yaklav, Ṣaḥīḥ ﬁle"
    assert len(fold(s)) == len(s) and fold(s).startswith("Kemal")
    assert fold_key("  Kémal   YAKLAV ") == fold_key("kemal yaklav") == "kemal yaklav"
    assert fold_key("ﬁle") == "file"  # compatibility forms fold too (not length-preserving)
    assert fold_key("O'Brien, J.", drop_punctuation=True) == "o brien j."


def test_normalise_dates_still_exports_the_helpers() -> None:
    from extractor import text_helpers
    from extractor.normalise import dates

    assert dates.fold is text_helpers.fold and dates.load_json is text_helpers.load_json


def test_index_key_compares_indexes_by_meaning_with_the_year_pivot() -> None:
    from extractor import evaluate
    from extractor.normalise.codes import canonical_index, index_key

    assert index_key("EUR 44/27/93") == index_key("EUR 44/027/1993") == index_key("eur 44/0027/1993") \
        == "EUR 44/027/1993"
    assert index_key("ASA 35/0273/19") == "ASA 35/273/2019"
    assert index_key("AFR 01/001/59") == "AFR 01/001/2059" and index_key("AFR 01/001/60") == "AFR 01/001/1960"
    assert canonical_index("AFR", "1", "1", "60").endswith("/1960")  # the same pivot in both
    assert index_key("not an index") is None
    # evaluate grades with the same rule
    rep = evaluate.score([{"id": "x", "graded": ["ai_index"], "ai_index": "EUR 44/027/1993"}],
                         {"x": {"ai_index": "EUR 44/27/93"}})
    assert rep.fields["ai_index"].tp == 1
