"""Countries: names (en/es/fr, aliases, damaged spellings), demonyms, cities and AI index codes
resolved to (English short name, ISO 3166-1 alpha-2).

Built on pycountry (names, common and official names, and the Spanish and French translations it
ships) plus data files in ``extractor/data`` for aliases, short names, demonyms and cities.
"""
from __future__ import annotations

import functools
import gettext
import re
from functools import cache

import pycountry

from extractor.text_helpers import fold, load_json

__all__ = [
    "CITY_COUNTRY",
    "UK_POSTCODE",
    "US_ZIP",
    "address_country",
    "city_country",
    "country_for_code",
    "demonym_country",
    "index_country",
    "may_start_place",
    "resolve_country",
    "us_context",
    "us_state",
]

Country = tuple[str, str]  # (English short name, ISO alpha-2)

_MIN_DROPPED_LEN = 5  # accent-dropped matching only for names this long: short ones collide ("Per")


@functools.lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "U.S.A." -> "usa", "Côte d'Ivoire" -> "cote d ivoire"."""
    k = fold(text).casefold().replace(".", "").replace("&", " and ")
    k = re.sub(r"[^\w]+", " ", k).strip()
    return re.sub(r"^the ", "", k)


def _dropped_key(text: str) -> str:
    """Key of a name whose non-ASCII letters were lost in extraction: "México" -> "mxico"."""
    return _key("".join(ch for ch in text if ch.isascii()))


def _variants(name: str) -> list[str]:
    """pycountry writes some names inverted ("Iran, Islamic Republic of"): also the natural order."""
    out = [name]
    if ", " in name:
        head, tail = name.split(", ", 1)
        sep = "" if tail.endswith("'") else " "  # French "d'" elides: "République islamique d'Iran"
        out.append(f"{tail}{sep}{head}")
    return out


@cache
def _short_names() -> dict[str, str]:
    overrides: dict[str, str] = load_json("country_aliases.json")["short_names"]
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names.update(overrides)
    return names


def _country(code: str) -> Country | None:
    name = _short_names().get(code)
    return (name, code) if name else None


@cache
def _indexes() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(key -> code, accent-dropped key -> code, exact case-sensitive alias -> code).

    Sources rank: data-file aliases, then pycountry's English names, then its es/fr translations,
    then the head of an inverted name ("Corée" of "Corée, République de"). A key claimed by two
    countries at the same rank is ambiguous and dropped (unless a better rank settles it)."""
    ranked: dict[str, tuple[int, str | None]] = {}
    originals: dict[str, list[str]] = {}

    def add(name: str, code: str, rank: int) -> None:
        k = _key(name)
        if not k:
            return
        originals.setdefault(k, []).append(name)
        old = ranked.get(k)
        if old is None or rank < old[0]:
            ranked[k] = (rank, code)
        elif rank == old[0] and old[1] != code:
            ranked[k] = (rank, None)  # ambiguous at this rank

    data = load_json("country_aliases.json")
    for code, aliases in data["aliases"].items():
        for alias in aliases:
            add(alias, code, 0)
    translators = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                   for lang in ("es", "fr")]
    for c in pycountry.countries:
        english = [n for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)) if n]
        for name in english:
            for v in _variants(name):
                add(v, c.alpha_2, 1)
            if ", " in name:
                add(name.split(", ", 1)[0], c.alpha_2, 3)
        for tr in translators:
            for name in english:
                local = tr.gettext(name)
                if local == name:
                    continue
                for v in _variants(local):
                    add(v, c.alpha_2, 2)
                if ", " in local:
                    add(local.split(", ", 1)[0], c.alpha_2, 3)
    index = {k: code for k, (_, code) in ranked.items() if code}

    dropped: dict[str, str | None] = {}
    for k, code in index.items():
        for original in originals[k]:
            if original.isascii() or len(original) < _MIN_DROPPED_LEN:
                continue
            dk = _dropped_key(original)
            if len(dk) < _MIN_DROPPED_LEN or dk in index:  # "Åland" -> "land": too short to trust
                continue  # a real name wins over a damaged reading of another
            dropped[dk] = code if dropped.get(dk, code) == code else None
    exact = {alias: code for code, aliases in data["case_sensitive_aliases"].items() for alias in aliases}
    return index, {k: v for k, v in dropped.items() if v}, exact


def _repair(text: str) -> str:
    """Undo UTF-8 read as Latin-1 ("MÃ©xico" -> "México"); leave anything else alone."""
    if "Ã" in text or "Â" in text:
        try:
            return text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text
    return text


@functools.lru_cache(maxsize=65536)
def resolve_country(text: str) -> Country | None:
    """A country name, alias or damaged spelling -> (English short name, alpha-2), else None.
    "NEPAL" -> ("Nepal", "NP"); "Russian Federation" -> ("Russia", "RU"); "Mxico" -> ("Mexico", "MX")."""
    if not text or len(text) > 100:
        return None
    index, dropped, exact = _indexes()
    raw = _repair(text.strip().strip(",;:"))
    if raw in exact:
        return _country(exact[raw])
    k = _key(raw)
    if k in index:
        return _country(index[k])
    # Damaged extraction: a lost accented letter ("Mxico") or a replacement mark ("M?xico").
    damaged = _key(re.sub(r"[?\ufffd]", "", raw))
    if damaged in dropped:
        return _country(dropped[damaged])
    return None


@cache
def _demonyms() -> dict[str, str]:
    return {_key(word): code for word, code in load_json("demonyms.json")["demonyms"].items()}


def demonym_country(word: str) -> Country | None:
    """"Egyptian" -> ("Egypt", "EG"); "Chechen" -> ("Russia", "RU"); "guatemalteca" -> Guatemala.
    A plural ending ("Egyptians", "mexicanos", "sudaneses") is tolerated."""
    table = _demonyms()
    k = _key(word or "")
    for candidate in (k, k[:-1] if k.endswith("s") else "", k[:-2] if k.endswith("es") else ""):
        if candidate and candidate in table:
            return _country(table[candidate])
    return None


@cache
def _cities() -> dict[str, str]:
    return {_key(name): code for name, code in load_json("capitals.json")["cities"].items()}


#: City name (folded key) -> alpha-2, from extractor/data/capitals.json.
CITY_COUNTRY: dict[str, str] = _cities()


def country_for_code(code: str) -> Country | None:
    """"MG" -> ("Madagascar", "MG")."""
    return _country(code.upper()) if code else None


def city_country(name: str) -> str | None:
    """"Moscow" -> "RU"; "Bogotá"/"BOGOTA" -> "CO"; unknown -> None."""
    return CITY_COUNTRY.get(_key(name or ""))


@cache
def _first_words() -> frozenset[str]:
    """The first word of every key a country, demonym or city can be found by."""
    index, dropped, exact = _indexes()
    keys = [*index, *dropped, *(_key(a) for a in exact), *_demonyms(), *CITY_COUNTRY]
    return frozenset(k.split()[0] for k in keys if k) | {"the"}


@functools.lru_cache(maxsize=65536)
def may_start_place(word: str) -> bool:
    """False when no country name, demonym or city begins with ``word`` (as written, any case or
    damage): a scan of the text for places can skip it. True says only "maybe"."""
    raw = _repair(re.sub(r"[’']s$", "", word))
    firsts = _first_words()
    for variant in (raw, re.sub(r"[?\ufffd]", "", raw)):
        k = _key(variant)
        head = k.split()[0] if k else ""
        if head in firsts or (head.endswith("s") and (head[:-1] in firsts or head[:-2] in firsts)):
            return True
    return False


@cache
def _us_states() -> frozenset[str]:
    return frozenset(_key(s) for s in load_json("us_states.json")["states"])


def us_state(name: str) -> bool:
    """"Georgia", "TEXAS" -> True: a state of the United States (never a country of its own)."""
    return _key(name or "") in _us_states()


_US_CUE = re.compile(r"\b(?:United\s+States|USA|U\.S\.A?\.|[A-Z]{2}\s+\d{5}(?:-\d{4})?|[A-Z][a-z]+,?\s+\d{5}-\d{4})\b")


def us_context(text: str) -> bool:
    """The text places itself in the United States: 'United States', 'USA', a ZIP code, or a state
    that is no country's name ('Alabama', 'Texas')."""
    if _US_CUE.search(text):
        return True
    states = _us_states()
    return any(_key(m.group(0)) in states and not resolve_country(m.group(0))
               for m in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\b", text))


@cache
def _index_codes() -> dict[str, str]:
    return dict(load_json("ai_index_countries.json")["codes"])


def index_country(region: str, cc: str) -> Country | None:
    """AI index region + country code -> country: ("EUR", "46") -> ("Russia", "RU")."""
    reg, num = (region or "").strip().upper(), (cc or "").strip()
    if not num.isdigit():
        return None
    code = _index_codes().get(f"{reg} {int(num):02d}")
    return _country(code) if code else None


UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
US_ZIP = re.compile(r"\b(?:[A-Z]{2}|DC|D\.C\.)\s+\d{5}(?:-\d{4})?\b")


def address_country(piece: str) -> str | None:
    """The country an address line is in: its last part naming a country or a known city, else a UK
    postcode or a US ZIP code ('105005 Moscow, Russian Federation' -> 'RU'; 'London W8 4QP' -> 'GB')."""
    parts = [p.strip() for p in re.split(r"[,\n]", piece) if p.strip()]
    for p in reversed(parts):
        hit = resolve_country(p)
        if hit:
            return hit[1]
        words = p.split()
        for n in range(len(words), 0, -1):
            for i in range(len(words) - n + 1):
                city = city_country(" ".join(words[i:i + n]))
                if city:
                    return city
    if UK_POSTCODE.search(piece):
        return "GB"
    if US_ZIP.search(piece) or "Washington" in piece:
        return "US"
    return None
