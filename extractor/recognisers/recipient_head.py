"""The head of a recipient block: name, title, organisation and address lines, in the order the
block writes them, stacked or flattened onto one line."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from extractor.normalise.countries import UK_POSTCODE, address_country, city_country, demonym_country, resolve_country
from extractor.normalise.phones import to_e164
from extractor.patterns import load_words
from extractor.recognisers.base import Context
from extractor.recognisers.names import clean_name, split_title_name, strip_honorifics
from extractor.recognisers.recipient_blocks import STREET_WORDS, Block, Seg, place_line
from extractor.spans import Span

# An unlabelled number after the address ("London, W8 4QP 0207 229 6412") is written in groups;
# a postcode is one run of digits ("Tehran 1116713711"), so a separator is required.
_TRAILING_PHONE = re.compile(r"[ \t,]+((?:\+|00)?\(?\d{2,5}\)?[ \t-]?\d{3,4}[ \t-]\d{3,4})[ \t]*$")


_ZIP_PLUS_4 = re.compile(r"\b\d{5}-\d{4}[ \t]*$")  # "Atlanta, Georgia 30334-4909": a ZIP code, not a phone


_STREET_START = re.compile(r"\s(?=\d+[\w/-]*\s+[A-Z])")


@cache
def _building_words() -> frozenset[str]:
    return frozenset(load_words("people")["building_words"])


@cache
def _org_title_words() -> tuple[frozenset[str], frozenset[str]]:
    w = load_words("people")
    return frozenset(w["org_words"]), frozenset(w["title_words"])


def _person_below(ctx: Context, below: list[tuple[int, int, int, str | None]], persons: list[tuple[int, int]],
                  here: tuple[int, int]) -> bool:
    """The model finds a person on the next head line and not on this one."""
    named = {" ".join(ctx.text[ps:pe].split()) for ps, pe in persons}

    def is_person(s: int, e: int) -> bool:  # the model found them here, or wherever the text names them
        return any(ps < e and s < pe for ps, pe in persons) or " ".join(ctx.text[s:e].split()).strip(" ,;") in named
    if is_person(*here):
        return False
    return any(forced is None and is_person(s, e) and clean_name(ctx.text[s:e])
               and _classify(" ".join(ctx.text[s:e].split()), False, False) == "name" for s, e, _, forced in below)


_ACRONYM = re.compile(r"[A-Z]{2,8}")
_ADDRESS_DIGIT = re.compile(r"(?<![^\W\d_]-)\d")
NOTE = re.compile(r"\s*\((?:[a-zà-ÿ][^()\n]*|NGO|ONG|non-governmental)\)[ \t,;]*$", re.MULTILINE)


_LINK = re.compile(r"\]\(|://|^www\.")
_PROSE_ADDRESS = re.compile(r"\b(?:we|you|our|they|wrote)\b")  # a sentence's words, in lower case
_PLACEHOLDER = re.compile(r".*\[[^\]]*\].*|\*[^*]+\*")  # 'His Excellency [full name]'; '*Addressing the official*'


def read_head(ctx: Context, block: Block, gid: int, attrs: dict[str, str], hint: str | None) -> Iterator[Span]:
    """Name, title, organisation and address lines, in the order a block writes them."""
    country: str | None = None
    address_started = name_done = org_seen = False
    previous_line, previous_kind = -1, None
    flat = not block.prose and len(block.texts) == 1 and len(ctx.text[block.texts[0].start:block.texts[0].end].strip()) > 40
    pieces = _flat_pieces(ctx, block.texts[0]) if flat else list(_head_pieces(ctx, block.texts))
    persons = [(ps, pe) for ps, pe, label in ctx.entities if label == "PERSON"]
    for i, (s, e, line_no, forced) in enumerate(pieces):
        whole = " ".join(ctx.text[s:e].split()).strip(" ,;")  # a wrapped line reads as one
        note = NOTE.search(ctx.text, s, e)
        if note and note.start() > s:
            e = note.start()  # 'Comisión de Derechos Humanos (no gubernamental)': what it is, not its name
        piece = " ".join(ctx.text[s:e].split()).strip(" ,;")
        if not piece or _LINK.search(piece) or _PLACEHOLDER.fullmatch(piece):
            continue  # '[Tłumaczenie PL](Tlumaczenie%20PL.md)', 'https://...', '[Street address or PO Box]': a page's
            # link or a template's placeholder, no part of an address
        # the note still says what the line is: 'Sawt al-Janub (weekly newspaper)' is no person
        kind = forced or _classify(whole, address_started, name_done or (org_seen and not strip_honorifics(piece)[1]))
        if kind == "title" and not forced and previous_kind == "organization" and line_no == previous_line \
                and not any(w in _org_title_words()[1] for w in whole.lower().split()):
            kind = "address"  # 'Military Commander, IDF Central Command, Beit El': after the body, its place
        if kind == "name" and not forced and strip_honorifics(piece)[1] is None \
                and _person_below(ctx, pieces[i + 1:i + 2], persons, (s, e)):
            kind = "title"  # 'Oberste Justizautorität' above 'Ebrahim Raisi': the office, then its holder
        if kind in ("title", "organization") and not forced and not name_done:
            split = split_title_name(piece)
            if split:  # "Public Prosecutor Hamada al-Sawi", "Attorney General of Mexico Alejandro Gertz Manero"
                name = split[1]
                ns = ctx.text.find(name.split()[0], s, e)
                if ns > s:
                    yield ctx.span("recipient.title", s, ns, "recipient.title_before_name", 0.8,
                                   value=" ".join(ctx.text[s:ns].split()).strip(" ,;"), group=gid, attrs=dict(attrs))
                    yield ctx.span("recipient.name", ns, len(ctx.text[:e].rstrip(" ,;\n")), "recipient.name_after_title",
                                   0.8, value=clean_name(name), group=gid, attrs={"honorific": None, **attrs})
                    name_done = True
                    continue
        # a line that is an organisation and nothing else ("Organización Campesina Ñemity") comes after
        # the person, if any: a name-like line below it is a place ("Colonia Yvy Pytã")
        org_seen = org_seen or (kind == "organization" and line_no != previous_line)
        previous_line, previous_kind = line_no, kind
        if kind == "name":
            rest, hon = strip_honorifics(piece)
            if not rest.strip(" ,."):
                continue  # 'Excelentísimo Señor' alone on its line: the courtesy before the office below it
            name_done = True
            person = clean_name(rest)
            value = person or rest.strip(" ,")
            if not person and PROSE_IN_NAME.search(value):
                continue  # '"base" by the group, and that ...', 'Prière d'intervenir immédiatement. Au-delà': a
                # sentence or a label where an addressee's name should be (two columns run together); none
            off = max(ctx.text.find(rest.split()[0], s, e), s) if rest else s
            end = len(ctx.text[:e].rstrip(" ,;\n"))
            yield ctx.span("recipient.name", off, max(end, off), "recipient.name", 0.85,
                           value=value, group=gid, attrs={"honorific": hon, **attrs})
        elif kind == "address":
            if _PROSE_ADDRESS.search(piece):
                continue  # 'Yes. In 2005, members of our network wrote ...': a paragraph after the block, no address
            address_started = True
            place = address_country(piece)
            phone = None if _ZIP_PLUS_4.search(piece) else _TRAILING_PHONE.search(piece)
            if phone and len(re.sub(r"\D", "", phone.group(1))) >= 9:
                ps = s + ctx.text[s:e].find(phone.group(1))
                for num in to_e164(phone.group(1), country or place or hint):
                    yield ctx.span("recipient.phone", ps, ps + len(phone.group(1)), "recipient.unlabelled_number",
                                   0.7, value=num, group=gid, attrs=dict(attrs))
                e = ps
                piece = " ".join(ctx.text[s:e].split()).strip(" ,;")  # a wrapped line reads as one
                place = address_country(piece)
            if not country and place:
                country = place
                yield ctx.span("recipient.country", s, e, "recipient.address_country", 0.7, value=country,
                               group=gid, attrs=dict(attrs))
            yield ctx.span("recipient.address", s, e, "recipient.address_line", 0.8, value=piece, group=gid,
                           attrs={"line": line_no, **attrs})
        else:
            yield ctx.span(f"recipient.{kind}", s, e, f"recipient.{kind}_line", 0.75, value=piece, group=gid,
                           attrs=dict(attrs))




def _flat_pieces(ctx: Context, seg: Seg) -> list[tuple[int, int, int, str | None]]:
    """A block written on one line: 'Minister of Public Security Nguyen Van Khiem Ministry of Public
    Security 44 Yet Kieu Street, Ha Noi, Viet Nam'. The address starts at the first street number or
    street word; the name is the run of capitalised words that is not title, organisation or a word
    the line repeats ('Public Security'); what stands before and after it is title or organisation."""
    text = ctx.text[seg.start:seg.end]
    words = list(re.finditer(r"[^\s,]+,?", text))
    addr = len(words)
    for i, w in enumerate(words[1:], 1):
        tok = w.group(0).rstrip(",").lower()
        nxt = words[i + 1].group(0) if i + 1 < len(words) else ""
        if tok in STREET_WORDS or (re.match(r"\d", tok) and (nxt[:1].isupper() or nxt.lower() in STREET_WORDS
                                                              or re.fullmatch(r"\d+(?:st|nd|rd|th)", nxt))):
            addr = i
            break
    # "Head of Judiciary Ebrahim Raisi c/o H.E. Majid Takht Ravanchi Permanent Mission ...": the person
    # after "care of" only passes the letter on; the addressee is named before it
    care_of = next((i for i, w in enumerate(words[:addr]) if w.group(0).lower().rstrip(",") in ("c/o", "c/o.")), None)
    name = (_name_run(ctx, seg.start, words[:care_of]) if care_of else None) or _name_run(ctx, seg.start, words[:addr])
    out: list[tuple[int, int, int, str | None]] = []
    cursor = seg.start
    if name:
        ns, ne = name
        if ctx.text[cursor:ns].strip(" ,;"):
            out.append((cursor, ns, seg.line, None))
        out.append((ns, ne, seg.line, "name"))
        cursor = ne
    addr_start = seg.start + words[addr].start() if addr < len(words) else seg.end
    if ctx.text[cursor:addr_start].strip(" ,;"):
        out.append((cursor, addr_start, seg.line, None if name else "organization"))
    if addr_start < seg.end:
        out.append((addr_start, seg.end, seg.line, "address"))
    return out


_PERSON_HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "h.e.", "sr.", "sra.", "mme",
                                "mme.", "m.", "prof.", "dame", "sir"})


# In what should be a name or an office: a sentence's end, a label, a square bracket, a clause (quotes may
# name an organisation: 'Centro de Derechos Humanos "Xuajin Me'phaa"')
PROSE_IN_NAME = re.compile(r"[.!?;:]\s+\S|[\[\]]|\b(?:that|which|who|were|was|are|is|they|you|we)\b|(?<![^\W\d_])[a-z]{4,}\.$")
_JOINED_PARTICLE = re.compile(r"[a-z]{1,4}-[’']?[A-ZÀ-ÞĀ-ſ]")


def _name_run(ctx: Context, base: int, words: list[re.Match[str]]) -> tuple[int, int] | None:
    """Offsets of the person's name among a flattened block's words: runs of capitalised words cut at
    titles, organisations and honorifics, trimmed of words the line repeats; the model's PERSON wins."""
    orgs, titles = _org_title_words()
    particles = frozenset(load_words("people")["name_particles"])
    counts: dict[str, int] = {}
    for w in words:
        key = w.group(0).rstrip(",").lower()
        counts[key] = counts.get(key, 0) + 1
    runs: list[list[re.Match[str]]] = [[]]
    for w in words:
        tok = w.group(0).rstrip(",")
        low = re.sub(r"[’']s$", "", tok.lower())  # "Prosecutor’s Office"
        parts = set(low.split("-"))  # "Lieutenant-Général", "Commander-in-Chief"
        joined = bool(_JOINED_PARTICLE.match(tok))  # "al-Sawi", "el-Baqer"
        if low in orgs or low in titles or parts & titles or not (tok[:1].isupper() or low in particles
                                                                  or tok[:1] == "_" or joined):
            runs.append([])
            continue
        if low in _PERSON_HONORIFICS and runs[-1]:
            runs.append([])  # "Minister for Law Mr Kwek Siew Hoon": a name starts at its honorific
        runs[-1].append(w)
        if w.group(0).endswith(","):
            runs.append([])
    persons = [(s, e) for s, e, label in ctx.entities if label == "PERSON"]
    found: list[tuple[int, int]] = []
    for run in runs:
        # leading honorifics, countries and words the line repeats belong to titles and organisations
        while run and (counts[run[0].group(0).rstrip(",").lower()] > 1 or resolve_country(run[0].group(0).rstrip(","))
                       or run[0].group(0).rstrip(",").lower() in particles):
            run = run[1:]
        while run and (run[-1].group(0).rstrip(",").lower() in particles
                       or (len(run) > 2 and counts[run[-1].group(0).rstrip(",").lower()] > 1)
                       or (len(run) > 2 and demonym_country(run[-1].group(0).rstrip(",")))
                       or (len(run) > 2 and run[-1].group(0).lower() in ("public", "national", "federal", "general"))):
            run = run[:-1]  # "Pohorilyi Uzhhorod City Council": the city the line names again
        if not run:
            continue
        s, e = base + run[0].start(), base + run[-1].start() + len(run[-1].group(0).rstrip(","))
        rest, _hon = strip_honorifics(ctx.text[s:e])
        if not clean_name(rest) or resolve_country(rest):
            continue  # "Saudi Arabia" of "Royal Embassy of Saudi Arabia" is no person
        s = e - len(rest)
        if any(ps <= s < pe or s <= ps < e for ps, pe in persons):
            return s, e
        found.append((s, e))
    return found[0] if found else None


def _head_pieces(ctx: Context, texts: list[Seg]) -> Iterator[tuple[int, int, int, str | None]]:
    """Pieces of the block's text lines. A line holding several comma parts, or a flattened block,
    is cut at commas, before an organisation word, and before a street number."""
    for seg in texts:
        raw = ctx.text[seg.start:seg.end]
        if place_line(raw):
            yield seg.start, seg.end, seg.line, "address"
            continue
        pos = seg.start
        # a comma before a lower-case word goes on with the same piece ('Ministre de l'Intérieur, des
        # Collectivités locales', '27, rue des Frères'): the title or street it is part of. An office
        # as a label ('President of Somaliland: His Excellency ...') is a piece of its own too.
        for part in _PIECE_CUT.split(raw):
            if part is None:
                pos += 1  # the label's colon
                continue
            if part == ",":
                pos += 1
                continue
            yield from _split_piece(ctx, pos, pos + len(part), seg.line)
            pos += len(part)


# Where a head line is cut: at a comma, but not before a lower-case word nor before the last words of an
# office's enumeration ('Ministro de Relaciones Interiores, Justicia y Paz'); at an office label's colon.
_WORD = r"[A-ZÀ-ÞĀ-ſ][\w’'-]*"
_PIECE_CUT = re.compile(rf"(,)(?![ \t]*[a-zà-ÿ])(?![ \t]*{_WORD}(?:[ \t]+{_WORD})?[ \t]+(?:y|and|et|e)[ \t]+{_WORD}[ \t]*$)|"
                        r"(?<=[^\W\d_]):(?=[ \t]+\S)")


def _split_piece(ctx: Context, s: int, e: int, line: int) -> Iterator[tuple[int, int, int, str | None]]:
    text = ctx.text[s:e]
    orgs, titles = _org_title_words()
    rest, _hon = strip_honorifics(text)
    lead = len(text) - len(text.lstrip()) + (len(text.strip()) - len(rest))
    words = list(re.finditer(r"\S+", text))
    # a name run at the start followed by organisation/title words: "Dmitry Basik Embassy of Belarus ..."; not
    # the head of a title before its holder ("Adjunct Senior Commissioner Robert SIMATUPANG")
    cut_at = None
    for i, w in enumerate(words if not split_title_name(rest.strip()) else []):
        if w.start() < lead:
            continue
        word = w.group(0).lower().strip(",.")
        nxt = words[i + 1].group(0).lower().strip(",.") if i + 1 < len(words) else ""
        if i > 0 and w.group(0)[:1].isupper() and (
                word in orgs | titles or (word in ("the", "el", "la", "le", "les", "los") and nxt in orgs | titles)):
            head = text[lead:w.start()].strip()
            last = i == len(words) - 1 or not text[w.end():].strip(" ,.;")
            if head and clean_name(head) and not (last and word in orgs):
                cut_at = w.start()  # not 'IDF Central | Command': an organisation's name ends with its word
            break
    if cut_at is not None:
        yield s, s + cut_at, line, "name"
        s += cut_at
        text = ctx.text[s:e]
    after_country = _after_country(text)
    if after_country:  # "Prosecutor General of the Republic of Belarus Vul. Internatsianalnaya"
        yield s, s + after_country, line, None
        yield s + after_country, e, line, "address"
        return
    street = _STREET_START.search(text)
    if street and len(text[: street.start()].split()) >= 2 and not re.search(r"\d", text[: street.start()]):
        yield s, s + street.start(), line, None
        yield s + street.start(), e, line, "address"
        return
    yield s, e, line, None


def _after_country(text: str) -> int | None:
    """Offset just after '... of (the) <country>' when more words follow it on a flattened line."""
    words = list(re.finditer(r"\S+", text))
    for k in range(2, len(words)):
        if words[k - 1].group(0).lower() not in ("of", "the") and any(
                w.group(0).lower() == "of" for w in words[max(0, k - 5):k]):
            for j in range(max(1, k - 3), k):
                phrase = text[words[j].start():words[k - 1].end()]
                rest = text[words[k].start():]
                if words[j - 1].group(0).lower() in ("of", "the") and resolve_country(phrase) and (
                        re.search(r"\d", rest) or words[k].group(0).lower() in STREET_WORDS):
                    return words[k].start()
    return None




def _classify(piece: str, address_started: bool, name_done: bool) -> str:
    if address_started:
        return "address"
    if re.match(r"c/o\b", piece, re.IGNORECASE):
        return "organization"  # "c/o Permanent Mission of Iran ...": who passes the letter on, not the address
    orgs, titles = _org_title_words()
    low = [re.sub(r"[’']s$", "", w).strip(".,").lower() for w in re.split(r"\s+|-(?=[^\W\d_]{2,}|\d)", piece)]
    # a number in an office's name ('Secretary-1, SLORC') is no house number
    if _ADDRESS_DIGIT.search(piece) or resolve_country(piece) or city_country(piece) or UK_POSTCODE.search(piece):
        return "address"
    if low and (low[0] in STREET_WORDS or low[-1] in _building_words()):
        return "address"  # "Avenida Central, Edificio Encuentro"; "Police Headquarters", "Government Buildings"
    rest, hon = strip_honorifics(piece)
    if not name_done and not any(w in orgs or w in titles for w in rest.lower().split()) and (
            clean_name(rest) or (hon and _loose_name(rest))):
        return "name"
    if low and low[0] in orgs and low[0] not in titles:
        return "organization"  # "Department of Justice", "Office of the President"
    if any(w in titles for w in low) and not any(w in ("office", "ministry", "embassy", "mission") for w in low):
        return "title"
    if any(w in orgs for w in low) or _ACRONYM.fullmatch(piece):
        return "organization"  # 'SLORC', 'NPRC': a body's initials (a country's or city's were read above)
    if name_done:
        return "address"
    return "title"


def _loose_name(rest: str) -> bool:
    """After an honorific a name may carry a damaged word ('Sr. Julio Csar Montenegro brego', its
    accented capital lost): two to six words, the first capitalised, no digits."""
    words = rest.split()
    stop = set(load_words("people")["not_name_words"]) | {"for", "y", "et", "du", "des"}
    return (2 <= len(words) <= 6 and words[0][:1].isupper() and not re.search(r"\d|@", rest)
            and not any(w.lower() in stop for w in words))
