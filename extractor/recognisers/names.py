"""Person names as UAs write them: honorifics off, ALL-CAPS surnames title-cased, shape checked."""
from __future__ import annotations

import functools
import re
from functools import cache

from extractor.normalise.countries import demonym_country, resolve_country
from extractor.patterns import load_words
from extractor.text_helpers import fold, fold_key

# A capitalised word ('_ahid' where a letter was lost, "'Awad" after an ayn mark), a particle-joined
# word ('al-Mahdi', "al-'Amudi") or an initial.
_TOKEN_OK = re.compile(r"^(?:[’']?[A-ZÀ-ÖØ-ÞĀ-ſ_][\w’'.-]*|[a-z]{1,4}-[’']?[A-ZÀ-ÖØ-ÞĀ-ſ][\w’'-]*|[A-Z]\.)$")
_PUNCT = " \t,;:.}{)(|*•-–—"


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A name folded for comparison: accents, case, spacing and apostrophes ignored ('Çağer' ~
    'cager', "'Awad" ~ 'Awad'), the dotless ı read as i."""
    return fold_names(name)


def fold_names(text: str) -> str:
    """``name_key`` of any text, uncached (for whole documents)."""
    return fold_key(re.sub(r"[’'`‘]", "", text.replace("ı", "i")))


@cache
def _words() -> dict[str, frozenset[str]]:
    w = load_words("people")
    return {k: frozenset(v) for k, v in w.items() if isinstance(v, list)}


def first_honorific(s: str) -> str | None:
    """The one honorific or title at the start of s ('Mayor' of 'Mayor Prosecutor General ...')."""
    m = _honorific_re().match(s)
    return m.group(0) if m else None


@cache
def _honorific_re() -> re.Pattern[str]:
    """One honorific at the start, longest first; a word honorific ends at a word's end ('Mr' not 'Mrs')."""
    # the words of a rank are written apart or hyphenated alike ('Lieutenant General', 'Flight-Lieutenant')
    alts = [re.sub(r"\\[ -]", r"[\\s-]+", re.escape(h)) + ("" if h.endswith(".") else r"(?![^\W_])")
            for h in sorted(_with_unaccented(_words()["honorifics"]), key=len, reverse=True)]
    return re.compile("|".join(alts), re.IGNORECASE)


def _with_unaccented(words: frozenset[str]) -> set[str]:
    """Each word as listed and without its accents: typewriters and OCR drop them ('General de Division')."""
    return set(words) | {fold(w) for w in words}


def strip_honorifics(s: str) -> tuple[str, str | None]:
    """('His Majesty King Salman bin Abdul Aziz', ...) -> ('Salman bin Abdul Aziz', 'His Majesty King')."""
    removed: list[str] = []
    rest = s.strip()
    while rest and (m := _honorific_re().match(rest)):
        removed.append(m.group(0))
        rest = rest[m.end():].lstrip(" .")
    return rest, (" ".join(removed) or None)


# Particles written small inside a name; Arabic ones are left capitalised ('Al Saud', 'Bin Faisal'), as sources differ
_SMALL_PARTICLES = frozenset({"de", "del", "della", "di", "da", "das", "do", "dos", "du", "des", "la", "las", "los", "le",
                              "van", "von", "der", "den", "ter", "ten", "y"})


def title_case_caps(name: str) -> str:
    """'Yusuf MOHAMED' -> 'Yusuf Mohamed'; initials and mixed-case tokens are kept."""
    def fix(i: int, tok: str) -> str:
        letters = [c for c in tok if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters):
            if i and tok.lower() in _SMALL_PARTICLES:
                return tok.lower()  # 'LANDABURU DE BERTOLDI': a Romance or Dutch particle inside a name is small
            return "-".join(p[:1] + p[1:].lower() for p in tok.split("-"))
        return tok
    return " ".join(fix(i, t) for i, t in enumerate(name.split()))


@functools.lru_cache(maxsize=16384)  # pure, and every recogniser of people asks it about the same strings
def clean_name(raw: str, *, allow_single: bool = False) -> str | None:
    """A person's name from a candidate string, or None when it is not shaped like one.
    ``allow_single`` admits a one-word name ('WARTINI (f), aged 22') where the context marks a person."""
    s = re.sub(r"(?<=\w-)\s+", "", raw.strip(_PUNCT))  # "al-\nBusaidi" wrapped at its hyphen
    # "...INDÍGENA EN ARGENTINAAurelio Quintana": a capitals headline glued to the name when line breaks
    # were lost; the name starts inside the glued word
    glued = list(re.finditer(r"(?:^|\s)[A-ZÀ-ÞĀ-ſ]{2,}(?=[A-ZÀ-ÞĀ-ſ][a-zà-ÿā-ſ]{2,}\s)", s))
    if glued:
        s = s[glued[-1].end():]
    s, _ = strip_honorifics(s)
    s = _without_lead_in(s)
    s = s.strip(_PUNCT)
    if not s or any(ch.isdigit() for ch in s) or "@" in s:
        return None
    tokens = s.split()
    if allow_single and len(tokens) == 1 and re.fullmatch(r"[A-ZÀ-ÖØ-ÞĀ-ſ][^\W\d_]{2,}", tokens[0]):
        low = tokens[0].lower()
        words = _words()
        return None if low in words["not_name_words"] | words["org_words"] else title_case_caps(tokens[0])
    if not 2 <= len(tokens) <= 6:
        return None
    words = _words()
    particles, stop = words["name_particles"], _stop_words()
    if resolve_country(s) or demonym_country(s) or demonym_country(tokens[0]):
        return None  # "Saudi Arabia", "Sri Lankan": a country or its people, not a person
    real = 0
    for i, tok in enumerate(tokens):
        low = tok.lower().strip(",")
        if low in particles or (i == len(tokens) - 1 and i >= 2 and low in words["patronymic_suffixes"]):
            continue  # 'de', 'al-'; a closing 'uulu' or 'kyzy' ('son of', 'daughter of')
        if low in stop or not _TOKEN_OK.match(tok):
            return None
        real += 1
    if real < 2 and not (real == 1 and len(tokens) >= 3):
        return None
    if tokens[0] in particles or tokens[-1].lower() in particles:
        return None  # "de Souza" alone is a surname fragment; "Le Dinh Quang" is a name
    return title_case_caps(s)


@cache
def _stop_words() -> frozenset[str]:
    """Words no name holds: not-name words, organisations, risk words and role nouns, singular or
    plural ('Trade Unionists', 'Human Rights Defenders')."""
    words = _words()
    roles = {t.split()[-1] for t in words["subject_triggers"]}
    return words["not_name_words"] | words["org_words"] | words["risk_words"] | roles | {f"{t}s" for t in roles}


def _without_lead_in(s: str) -> str:
    """'Both Akash Lama', 'NEPAL Ek Nath Chaulagain', 'Écrire Luz Marina Hache': a capitalised
    sentence word, page-title word or the header's country (in capitals: 'Mauricio', 'Georgia' and 'Jordan'
    are given names too) ran into the name. Dropped while at least two words remain."""
    lead_ins = _words()["sentence_words"] | _words()["not_name_words"]
    while True:
        tokens = s.split()
        if len(tokens) < 3:
            return s
        first = tokens[0].strip(",:")
        if first[:1].isupper() and (first.lower() in lead_ins or (first.isupper() and resolve_country(first))):
            s = s[s.find(tokens[0]) + len(tokens[0]):].lstrip(" ,:")
            continue
        return s


def split_names(chunk: str) -> list[str]:
    """'Ahmet and Nicuda Demir' -> both with the shared surname; 'A, B and C' -> three."""
    chunk = re.sub(r"\([^)]*\)", " ", chunk)
    m = re.fullmatch(r"\s*([A-Z][\w-]+)\s+(?:and|y|et)\s+([A-Z][\w-]+)\s+([A-Z][\w’'-]+)\s*", chunk)
    if m:
        return [f"{m.group(1)} {m.group(3)}", f"{m.group(2)} {m.group(3)}"]
    parts = re.split(r"\s*(?:,|;|\band\b|\by\b|\bet\b)\s*", chunk)
    return [p for p in (p.strip() for p in parts) if p]


_CONNECTORS = frozenset({"of", "the", "for", "and", "de", "del", "la", "du", "des", "d'", "y", "et", "in", "on", "to"})


def split_title_name(s: str) -> tuple[str, str] | None:
    """'Public Prosecutor Hamada al-Sawi' -> ('Public Prosecutor', 'Hamada al-Sawi'); 'Attorney General
    of Mexico Alejandro Gertz Manero' -> ('Attorney General of Mexico', 'Alejandro Gertz Manero').
    The title holds an office word and ends with one (or with the office's country); the rest is a
    name as written, nothing dropped from it. None when the string is not so shaped."""
    words = _words()
    # an office ends with an office word or its portfolio ('Minister of Defence Moshe Levanon')
    offices = words["title_words"] | words["org_words"] | words["portfolio_words"]
    tokens = s.split()
    for k in range(1, len(tokens) - 1):
        head, tail = tokens[:k], " ".join(tokens[k:])
        low = [re.sub(r"[’']s$", "", t).strip(",.").lower() for t in head]
        if not any(t in words["title_words"] for t in low):
            continue  # an office holder's title, not an organisation's name ('Organización Campesina ...')
        if not (low[-1] in offices or resolve_country(" ".join(head[-2:])) or resolve_country(head[-1])):
            continue
        if any(t not in offices and t not in _CONNECTORS and not head[i][:1].isupper() for i, t in enumerate(low)):
            continue
        name = clean_name(tail)
        written = strip_honorifics(tail)[0].split()  # 'State President Mr Hendrik THERON': an honorific may follow
        if name and written and name.split()[0].lower() == written[0].lower().strip(",") and tokens[k][:1].isupper() \
                and not any(t.lower().strip(",.") in offices for t in tokens[k:]):
            return " ".join(head), tail
    return None
