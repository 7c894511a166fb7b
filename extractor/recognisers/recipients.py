"""Addressees and copies-to: blocks of name, title, organisation, address lines and contacts.

A block is read as segments: each line, and inside a line each labelled contact field
('Fax: ...', 'Email: ...'), so flattened one-line blocks read like stacked ones.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import phonenumbers

from extractor.normalise.countries import city_country, demonym_country, resolve_country
from extractor.normalise.phones import to_e164
from extractor.patterns import Pattern, load_patterns, load_words
from extractor.recognisers.base import Context
from extractor.recognisers.names import clean_name, first_honorific, split_title_name, strip_honorifics
from extractor.spans import Span

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_TWITTER = re.compile(r"@\w{1,30}")
_PHONEISH = re.compile(r"(?:\+|\(?\b00)?\(?\d[\d ()./-]{6,}\d")
# An unlabelled number after the address ("London, W8 4QP 0207 229 6412") is written in groups;
# a postcode is one run of digits ("Tehran 1116713711"), so a separator is required.
_TRAILING_PHONE = re.compile(r"[ \t,]+((?:\+|00)?\(?\d{2,5}\)?[ \t-]?\d{3,4}[ \t-]\d{3,4})[ \t]*$")
_ZIP_PLUS_4 = re.compile(r"\b\d{5}-\d{4}[ \t]*$")  # "Atlanta, Georgia 30334-4909": a ZIP code, not a phone
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_US_ZIP = re.compile(r"\b(?:[A-Z]{2}|DC|D\.C\.)\s+\d{5}(?:-\d{4})?\b")
_STREET_START = re.compile(r"\s(?=\d+[\w/-]*\s+[A-Z])")
_SENTENCE = re.compile(r"[a-z]{2}[.!?]\s+[A-Z]|\b(?:I|we|you)\s+(?:am|are|urge|call)\b")


@dataclass
class _Seg:
    start: int
    end: int
    kind: str  # "text" or a contact field name
    line: int


@dataclass
class _Block:
    role: str
    texts: list[_Seg] = field(default_factory=list)
    contacts: list[_Seg] = field(default_factory=list)
    closed: bool = False


@cache
def _building_words() -> frozenset[str]:
    return frozenset(load_words("people")["building_words"])


@cache
def _org_title_words() -> tuple[frozenset[str], frozenset[str]]:
    w = load_words("people")
    return frozenset(w["org_words"]), frozenset(w["title_words"])


def recipients(ctx: Context) -> Iterator[Span]:
    labels = load_patterns("recipients")["contact_label"]
    regions = [(sec.start, sec.end, sec.role or "addressee", sec.rule.replace("section.", "recipients."))
               for sec in ctx.sections.of("addressees", "copies") if sec.end > sec.start]
    regions += _salutation_regions(ctx, regions, labels)
    if not regions:
        regions = list(_letter_head_regions(ctx))
    regions.sort()
    country_hint = ctx.best("country")
    hint = country_hint.value[1] if country_hint and country_hint.score >= 0.8 else None
    group = itertools.count()
    for start, end, role, rule in regions:
        pair = _side_by_side(ctx, start, end, labels, group, hint)
        if pair:
            yield from pair
            continue
        for block in _blocks(ctx, start, end, role, labels):
            spans = list(_read_block(ctx, block, next(group), rule, hint))
            located = any(s.label == "recipient.address" and (re.search(r"\d", s.text) or _place_line(s.text + ",")
                          or _address_country(s.text)) for s in spans)
            if (located or any(s.label in ("recipient.fax", "recipient.phone", "recipient.email",
                               "recipient.salutation") for s in spans)) and any(
                    s.label in ("recipient.name", "recipient.organization", "recipient.title") for s in spans):
                yield from spans


_EMBASSY_HONORIFICS = ("h.e.", "his excellency", "her excellency", "excellency", "ambassador")
_US_STYLE_ADDRESS = re.compile(
    r"\b\d{1,5}\s+[A-Z][^,]{2,40},(?:\s+[^,]{2,30},)?\s+[A-Z][A-Za-z .]+?\s+(?:[A-Z]{2}|D\.?C\.?)\s+\d{5}\b")


def _side_by_side(ctx: Context, start: int, end: int, labels: list[Pattern], group: Iterator[int],
                  hint: str | None) -> list[Span]:
    """Two officials printed side by side and flattened row by row ('Police General Oscar Albayalde
    H.E. Jose Manuel G. Romualdez Chief, Philippine National Police Embassy of ...'). The cells can no
    longer be told apart, so only what can be attributed is read: the two names, each number by its
    country (the official's country or the embassy's), the embassy's street address and salutation."""
    segs = list(_segments(ctx, start, end, labels))
    head = next((s for s in segs if s.kind == "text" and not _prose(ctx.text[s.start:s.end].strip())), None)
    if head is None:
        return []
    if len(ctx.text[head.start:head.end]) > 150 and _SENTENCE.search(ctx.text[head.start:head.end]):
        head = _tail_after_sentences(ctx, head)
    names = _two_names(ctx, head) if head else None
    if not names:
        return []
    (a_s, a_e, a_hon), (b_s, b_e, b_hon) = names
    if (a_hon or "").lower() in _EMBASSY_HONORIFICS and (b_hon or "").lower() not in _EMBASSY_HONORIFICS:
        (a_s, a_e, a_hon), (b_s, b_e, b_hon) = (b_s, b_e, b_hon), (a_s, a_e, a_hon)
    official, embassy = next(group), next(group)
    attrs = {"role": "addressee"}
    region = ctx.text[start:end]
    address = _US_STYLE_ADDRESS.search(region)
    embassy_country = _address_country(address.group(0)) if address else None
    if embassy_country is None and re.search(r"Washington,?\s+D\.?C\.?\s+\d{5}", region):
        embassy_country = "US"  # the address itself was cut into cells, but its city and ZIP say where
    out = [ctx.span("recipient_block", a_s, end, "recipients.side_by_side", 0.7, group=official, attrs=dict(attrs)),
           ctx.span("recipient_block", b_s, end, "recipients.side_by_side", 0.7, group=embassy, attrs=dict(attrs)),
           ctx.span("recipient.name", a_s, a_e, "recipient.name", 0.8, value=clean_name(ctx.text[a_s:a_e]),
                    group=official, attrs={"honorific": a_hon, **attrs}),
           ctx.span("recipient.name", b_s, b_e, "recipient.name", 0.8, value=clean_name(ctx.text[b_s:b_e]),
                    group=embassy, attrs={"honorific": b_hon, **attrs})]
    if address:
        out.append(ctx.span("recipient.address", start + address.start(), start + address.end(),
                            "recipient.side_by_side_address", 0.6, value=address.group(0), group=embassy,
                            attrs={"line": ctx.line_index_at(start + address.start()), **attrs}))
    home_code = phonenumbers.country_code_for_region(hint) if hint else 0
    if not home_code:  # no country for the UA yet: the official's is that of a number the embassy's is not
        away = phonenumbers.country_code_for_region(embassy_country) if embassy_country else 0
        written = [n for m in re.finditer(r"\+\s?\d[\d ()-]{6,}\d", region) for n in to_e164(m.group(0), None)]
        home_code = next((c for c in (phonenumbers.parse(n).country_code or 0 for n in written) if c != away), 0)
    for seg in segs:
        raw = ctx.text[seg.start:seg.end]
        if seg.kind in ("fax", "phone"):
            for part in _NUMBER_PART.finditer(raw):
                for num in to_e164(part.group(0), embassy_country or hint):
                    owner = official if phonenumbers.parse(num).country_code == home_code else embassy
                    out.append(ctx.span(f"recipient.{seg.kind}", seg.start + part.start(), seg.start + part.end(),
                                        f"recipient.{seg.kind}", 0.7, value=num, group=owner, attrs=dict(attrs)))
        elif seg.kind == "email":
            for m in _EMAIL.finditer(raw):
                owner = embassy if re.search(r"emb|mission", m.group(0).split("@")[-1], re.IGNORECASE) else official
                out.append(ctx.span("recipient.email", seg.start + m.start(), seg.start + m.end(), "recipient.email",
                                    0.7, value=m.group(0), group=owner, attrs=dict(attrs)))
        elif seg.kind == "salutation":
            value = _salutation(raw)
            owner = embassy if re.search(r"ambassador|excellen", value, re.IGNORECASE) else official
            if value:
                off = seg.start + raw.find(value)
                out.append(ctx.span("recipient.salutation", off, off + len(value), "recipient.salutation", 0.8,
                                    value=value, group=owner, attrs=dict(attrs)))
    return out


def _two_names(ctx: Context, seg: _Seg) -> tuple[tuple[int, int, str | None], tuple[int, int, str | None]] | None:
    """'Police General Oscar Albayalde H.E. Jose Manuel G. Romualdez ...': two titled names in a row."""
    text = ctx.text[seg.start:seg.end].rstrip()  # offsets below count from the end of this text
    found: list[tuple[int, int, str | None]] = []
    pos = 0
    for _ in range(2):
        lead = len(text) - len(text[pos:].lstrip()) if pos == 0 else pos + len(text[pos:]) - len(text[pos:].lstrip())
        rest, hon = strip_honorifics(text[lead:])
        if hon is None:
            return None
        start = len(text) - len(rest)
        words = list(re.finditer(r"\S+", text[start:]))
        taken: list[re.Match[str]] = []
        for w in words[:5]:
            if taken and strip_honorifics(text[start + w.start():])[1] is not None:
                break  # the next official's title begins
            taken.append(w)
        while taken and not clean_name(text[start:start + taken[-1].end()]):
            taken.pop()
        if len(taken) < 2:
            return None
        end = start + taken[-1].end()
        found.append((seg.start + start, seg.start + end, hon))
        pos = end
    return found[0], found[1]


def _salutation_regions(ctx: Context, regions: list[tuple[int, int, str, str]],
                        labels: list[Pattern]) -> list[tuple[int, int, str, str]]:
    """A 'Salutation:' line no heading announced closes an addressee block all the same: the short
    lines above it, up to a blank line or a sentence, are that block."""
    salutation = next(p for p in labels if p.meta["field"] == "salutation")
    out = []
    for m in salutation.regex.finditer(ctx.text):
        if any(s <= m.start() < e for s, e, _, _ in regions):
            continue
        li = ctx.line_index_at(m.start())
        first = li
        for j in range(li - 1, max(-1, li - 15), -1):
            line = ctx.lines[j]
            if line.blank or len(line.stripped) > 100 or _prose(line.stripped):
                break
            first = j
        if first < li:
            out.append((ctx.lines[first].start, ctx.lines[li].end, "addressee", "recipients.salutation_block"))
    return out


def _letter_head_regions(ctx: Context) -> Iterator[tuple[int, int, str, str]]:
    """No appeal heading: the block of short lines just above a letter's 'Dear ...,' line."""
    opening = next((sec for sec in ctx.sections.of("letter") if sec.rule == "section.letter.opening"), None)
    if opening is None:
        return
    li = ctx.line_index_at(opening.heading_start)
    first, last = li, li
    for j in range(li - 1, -1, -1):
        line = ctx.lines[j]
        if line.blank:
            continue
        if len(line.stripped) > 90 or (_SENTENCE.search(line.text) and not _labels_in(line.text)):
            break
        first = j
    # a short group just above the salutation with no address in it is the letter's subject line
    # ('Nasrin Sotoudeh'), not the addressee's block
    groups = _line_groups(ctx, first, li)
    while len(groups) > 1 and not any(re.search(r"\d", ctx.lines[k].text) or _labels_in(ctx.lines[k].text)
                                      for k in groups[-1]):
        groups.pop()
    # a heading above the block ('Our Petition', 'Sign the Petition'): a short line, no comma, no digit
    while len(groups) > 1 and len(groups[0]) == 1 and not re.search(r"[,\d]", ctx.lines[groups[0][0]].text) \
            and len(ctx.lines[groups[0][0]].text.split()) <= 3:
        groups.pop(0)
    if groups:
        first, last = groups[0][0], groups[-1][-1] + 1
    if first < last:
        yield ctx.lines[first].start, ctx.lines[last].start, "addressee", "recipients.letter_head"


def _line_groups(ctx: Context, first: int, stop: int) -> list[list[int]]:
    """Runs of non-blank lines between first and stop."""
    groups: list[list[int]] = []
    for k in range(first, stop):
        if ctx.lines[k].blank:
            if groups and groups[-1]:
                groups.append([])
            continue
        if not groups:
            groups.append([])
        groups[-1].append(k)
    return [g for g in groups if g]


def _labels_in(s: str) -> bool:
    return any(p.regex.search(s) for p in load_patterns("recipients")["contact_label"])


def _segments(ctx: Context, start: int, end: int, labels: list[Pattern]) -> Iterator[_Seg]:
    for li in range(ctx.line_index_at(start), len(ctx.lines)):
        line = ctx.lines[li]
        if line.start >= end:
            break
        ls, le = max(line.start, start), min(line.end, end)
        if not ctx.text[ls:le].strip():
            continue
        marker = _LIST_MARKER.match(ctx.text, ls, le)
        if marker:  # "1) Minister of the Interior"
            ls = marker.end()
        cuts = sorted((m.start(), m.end(), p.meta["field"]) for p in labels for m in p.regex.finditer(ctx.text, ls, le))
        kept: list[tuple[int, int, str]] = []
        for c in cuts:  # one label per position: the first that matched there wins
            if not kept or c[0] >= kept[-1][1]:
                kept.append(c)
        pos, kind = ls, "text"
        for cs, ce, fieldname in kept:
            if ctx.text[pos:cs].strip(" \tI|;,"):
                yield from _split_salutation(ctx, _Seg(pos, cs, kind, li), le - ls)
            pos, kind = ce, fieldname
        if ctx.text[pos:le].strip(" \tI|;,") or kind != "text":
            yield from _split_salutation(ctx, _Seg(pos, le, kind, li), le - ls)


_LIST_MARKER = re.compile(r"[ \t]*(?:\d{1,2}[.)]|[a-z][.)]|[-•*–])[ \t]+")
# The end of a sentence (not of "S. E." or "Ave."): a lower-case word, a stop, a capital next.
_SENTENCE_END = re.compile(r"(?:(?<=[a-zà-ÿā-ſ]{3})|(?<=\d))[.;:!?]\s+(?=[A-ZÀ-ÞĀ-ſ])")


# Words a title or office wraps onto a line of their own ("Minister Responsible for Foreign / Affairs").
_TITLE_TAILS = frozenset({"affairs", "justice", "security", "defence", "defense", "interior", "police", "affaires",
                          "étrangères", "exteriores", "relations", "rights", "development", "office"})


def _continues(raw: str) -> bool:
    """A head line cut short: it ends with a hyphen ('Saif bin Hamad al-') or a word that needs a next."""
    return bool(re.search(r"(?:\w-|\b(?:of|for|the|and|de|del|de la|du|des|of the))\s*$", raw.rstrip(), re.IGNORECASE))


def _prose(raw: str) -> bool:
    """A sentence of instructions ('You can also email, fax, call or Tweet them.'), not a block line."""
    return bool(re.search(r"\b[a-z]{2,}[.!?]$", raw)) and len(raw.split()) >= 5 and not _labels_in(raw)


_INSTRUCTION = re.compile(r"\b(?:please|only|send|sending|mail|note|due\s+to|you|your|if|veuillez|envoyez|uniquement|"
                          r"merci|por\s+favor|env[ií]en|s[oó]lo|solamente)\b", re.IGNORECASE)


def _instruction(raw: str) -> bool:
    """A note inside a block ('Due to postal restrictions caused by COVID-19, please only send
    physical mail to the Embassy'): mostly lower-case words, no label."""
    words = raw.split()
    if len(words) < 8 or sum(1 for w in words if w[:1].islower()) < 0.6 * len(words) or _labels_in(raw):
        return False
    return bool(_INSTRUCTION.search(raw))  # not a long office title ('Ministre de la Justice et procureur ...')


def _split_salutation(ctx: Context, seg: _Seg, line_length: int) -> Iterator[_Seg]:
    """On a flattened line a salutation runs on into the next block: 'Formule d'appel : Monsieur le
    Procureur général, Président du Comité ... Nurlan Abdrakhmanov 33 avenue ...'. Its comma ends it."""
    if seg.kind != "salutation":
        yield seg
        return
    raw = ctx.text[seg.start:seg.end]
    cut = _salutation_title_run(raw) if line_length >= 200 else None
    if cut is not None:  # "Dear Mayor Prosecutor General Oleksandr ...": the next block starts with its title
        yield _Seg(seg.start, seg.start + cut, "salutation", seg.line)
        yield _Seg(seg.start + cut, seg.end, "text", seg.line)
        return
    m = re.search(r"\s+\d{1,2}\)\s+(?=[A-ZÀ-ÞĀ-ſ])", raw)  # "Mon Général / Dear General 2) Military Commander"
    if not m and line_length >= 200:
        m = re.search(r",\s+(?=[A-ZÀ-ÞĀ-ſ])", raw)
    if not m or len(raw) - m.end() < 20:
        yield seg
        return
    yield _Seg(seg.start, seg.start + m.start(), "salutation", seg.line)
    yield _Seg(seg.start + m.end(), seg.end, "text", seg.line)


def _salutation_title_run(raw: str) -> int | None:
    """Offset where a second title follows the salutation's own ('Dear Mayor | Prosecutor General')."""
    fixed = re.match(r"\s*Your\s+(?:Excellency|Majesty|Royal\s+Highness|Highness|Honou?r)\b", raw)
    if fixed:  # "Your Excellency Minister for Home Affairs ... Mr Kwek Siew Hoon"
        after = fixed.end()
    else:
        m = re.match(r"\s*(?:Dear|Estimad[oa]|Señor[a]?|Monsieur|Madame)\s+", raw)
        first = first_honorific(raw[m.end():]) if m else None
        if not m or not first:
            return None
        after = m.end() + len(first)
    nxt = len(raw) - len(raw[after:].lstrip())
    return nxt if first_honorific(raw[nxt:]) else None


def _tail_after_sentences(ctx: Context, seg: _Seg) -> _Seg | None:
    """Instructions and narrative run into the first block on a flattened page: keep what follows
    the last full sentence ('... de sa famille. Procureur général Serik Zhumabekov ...')."""
    raw = ctx.text[seg.start:seg.end].rstrip()
    ends = list(_SENTENCE_END.finditer(raw))
    if not ends or re.search(r"[a-zà-ÿ)”\"][.!?]$", raw):
        return None  # prose to its end: no block in it
    tail = seg.start + ends[-1].end()
    return _Seg(tail, seg.end, seg.kind, seg.line) if seg.end - tail >= 10 else None


def _blocks(ctx: Context, start: int, end: int, role: str, labels: list[Pattern]) -> Iterator[_Block]:
    cur = _Block(role)
    for seg in _segments(ctx, start, end, labels):
        raw = ctx.text[seg.start:seg.end].strip()
        if seg.kind == "text":
            if _prose(raw):
                if cur.texts or cur.contacts:
                    break  # a paragraph after the blocks ("and to diplomatic representatives ..."): the region is over
                continue
            if _instruction(raw):
                continue
            if len(raw) > 150 and _SENTENCE.search(raw) and not cur.texts:
                tail = _tail_after_sentences(ctx, seg)
                if tail is None:
                    continue  # instructions between the heading and the first block
                seg, raw = tail, ctx.text[tail.start:tail.end].strip()
            if cur.contacts and (_PHONEISH.fullmatch(re.sub(r"\([^)]*\)", "", raw).strip())
                                 or re.fullmatch(r"[\s,;]*(?:\[email[^\]]*\]|\S+@\S+|https?://\S+)[\s,;]*", raw)):
                cur.contacts.append(_Seg(seg.start, seg.end, cur.contacts[-1].kind, seg.line))
                continue  # a number, address or link on the line after its label ('Fax: (via Ministry of Interior)')
            starts_new = cur.closed or bool(cur.contacts) or (
                strip_honorifics(raw)[1] is not None and clean_name(strip_honorifics(raw)[0]) is not None
                and bool(cur.texts) and seg.line != cur.texts[-1].line and any(_is_address_text(ctx, t) for t in cur.texts))
            if starts_new and (cur.texts or cur.contacts):
                yield cur
                cur = _Block(role)
            if cur.texts and cur.texts[-1].line == seg.line - 1 and (
                    _continues(ctx.text[cur.texts[-1].start:cur.texts[-1].end])
                    or raw.lower() in _TITLE_TAILS):
                cur.texts[-1] = _Seg(cur.texts[-1].start, seg.end, "text", seg.line)  # "Minister Responsible for Foreign / Affairs"
                continue
            cur.texts.append(seg)
        else:
            cur.contacts.append(seg)
            if seg.kind == "salutation":
                cur.closed = True
    if cur.texts or cur.contacts:
        yield cur


def _is_address_text(ctx: Context, seg: _Seg) -> bool:
    raw = ctx.text[seg.start:seg.end]
    return bool(re.search(r"\d", raw)) or _place_line(raw)


def _read_block(ctx: Context, block: _Block, gid: int, rule: str, hint: str | None) -> Iterator[Span]:
    attrs = {"role": block.role}
    if block.texts:
        first, last = block.texts[0], (block.contacts or block.texts)[-1]
        yield ctx.span("recipient_block", first.start, last.end, rule, 0.9, group=gid, attrs=dict(attrs))
    head = list(_read_head(ctx, block, gid, attrs, hint))
    yield from head
    country = next((s.value for s in head if s.label == "recipient.country"), None)
    yield from _read_contacts(ctx, block, gid, attrs, country or hint)


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


def _read_head(ctx: Context, block: _Block, gid: int, attrs: dict[str, str], hint: str | None) -> Iterator[Span]:
    """Name, title, organisation and address lines, in the order a block writes them."""
    country: str | None = None
    address_started = name_done = org_seen = False
    previous_line = -1
    flat = len(block.texts) == 1 and len(ctx.text[block.texts[0].start:block.texts[0].end].strip()) > 40
    pieces = _flat_pieces(ctx, block.texts[0]) if flat else list(_head_pieces(ctx, block.texts))
    persons = [(ps, pe) for ps, pe, label in ctx.entities if label == "PERSON"]
    for i, (s, e, line_no, forced) in enumerate(pieces):
        piece = " ".join(ctx.text[s:e].split()).strip(" ,;")  # a wrapped line reads as one
        if not piece:
            continue
        kind = forced or _classify(piece, address_started, name_done or (org_seen and not strip_honorifics(piece)[1]))
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
        previous_line = line_no
        if kind == "name":
            name_done = True
            rest, hon = strip_honorifics(piece)
            off = max(ctx.text.find(rest.split()[0], s, e), s) if rest else s
            end = len(ctx.text[:e].rstrip(" ,;\n"))
            yield ctx.span("recipient.name", off, max(end, off), "recipient.name", 0.85,
                           value=clean_name(rest) or rest.strip(" ,"), group=gid, attrs={"honorific": hon, **attrs})
        elif kind == "address":
            address_started = True
            place = _address_country(piece)
            phone = None if _ZIP_PLUS_4.search(piece) else _TRAILING_PHONE.search(piece)
            if phone and len(re.sub(r"\D", "", phone.group(1))) >= 9:
                ps = s + ctx.text[s:e].find(phone.group(1))
                for num in to_e164(phone.group(1), country or place or hint):
                    yield ctx.span("recipient.phone", ps, ps + len(phone.group(1)), "recipient.unlabelled_number",
                                   0.7, value=num, group=gid, attrs=dict(attrs))
                e = ps
                piece = " ".join(ctx.text[s:e].split()).strip(" ,;")  # a wrapped line reads as one
                place = _address_country(piece)
            if not country and place:
                country = place
                yield ctx.span("recipient.country", s, e, "recipient.address_country", 0.7, value=country,
                               group=gid, attrs=dict(attrs))
            yield ctx.span("recipient.address", s, e, "recipient.address_line", 0.8, value=piece, group=gid,
                           attrs={"line": line_no, **attrs})
        else:
            yield ctx.span(f"recipient.{kind}", s, e, f"recipient.{kind}_line", 0.75, value=piece, group=gid,
                           attrs=dict(attrs))


# Several numbers in one field: "+7499 265 90 77/ +7499 265 97 75", "202 467 9300 I 202 467 9366"
_NUMBER_PART = re.compile(r"(?:[^|;/,]|/(?=\d))+?(?=\s+I\s+|\s+or\s+|[|;,]|/\s*(?:\+|\d{3})|$)")


def _read_contacts(ctx: Context, block: _Block, gid: int, attrs: dict[str, str], region: str | None) -> Iterator[Span]:
    for c in block.contacts:
        raw = ctx.text[c.start:c.end]
        for m in _EMAIL.finditer(raw):
            yield ctx.span("recipient.email", c.start + m.start(), c.start + m.end(), "recipient.email", 0.95,
                           value=m.group(0), group=gid, attrs=dict(attrs))
        if c.kind in ("fax", "phone", "phonefax"):
            numbers = re.sub(r"\+\s+(?=\d)", lambda m: " " * (len(m.group(0)) - 1) + "+", _EMAIL.sub(" ", raw))
            for part in _NUMBER_PART.finditer(numbers):  # "+ 244 2 39 51 28": same length, offsets hold
                for num in _e164(part.group(0), region):
                    for kind in (("phone", "fax") if c.kind == "phonefax" else (c.kind,)):  # "Tel/Fax: ..."
                        yield ctx.span(f"recipient.{kind}", c.start + part.start(), c.start + part.end(),
                                       f"recipient.{c.kind}", 0.9, value=num, group=gid, attrs=dict(attrs))
        elif c.kind == "twitter":
            for m in _TWITTER.finditer(raw):
                yield ctx.span("recipient.twitter", c.start + m.start(), c.start + m.end(), "recipient.twitter",
                               0.9, value=m.group(0), group=gid, attrs=dict(attrs))
        elif c.kind == "salutation":
            value = _salutation(raw)
            if not value:  # "Formule d'appel :" with the salutation on the next line
                nxt = ctx.lines[c.line + 1] if c.line + 1 < len(ctx.lines) else None
                if nxt is not None and 0 < len(nxt.stripped) < 80 and not _labels_in(nxt.text):
                    c, raw = _Seg(nxt.start, nxt.end, "salutation", c.line + 1), nxt.text
                    value = _salutation(raw)
            if value:
                off = c.start + raw.find(value)
                yield ctx.span("recipient.salutation", off, off + len(value), "recipient.salutation", 0.95,
                               value=value, group=gid, attrs=dict(attrs))


def _e164(raw: str, region: str | None) -> list[str]:
    """Numbers as a US page writes foreign ones ('011 998 71 139 53 25', '1 202 293 6804') are dialled
    from the US whatever the recipient's country."""
    if re.match(r"\s*(?:011[\s.-]*\d|1[\s.-]+\d{3}[\s.-]+\d{3}[\s.-]+\d{4}\b)", raw):
        return to_e164(raw, "US")
    return to_e164(raw, region)


def _salutation(raw: str) -> str:
    value = raw.strip(" \t:,")
    if value.count("Dear ") > 1:  # a flattened page runs on into the letter: "Dear Ambassador Dear General X,"
        value = re.split(r"\s+(?=Dear\s)", value)[0]
    # a joined line: "Your Excellency PREFERRED LANGUAGE TO ADDRESS TARGET: Persian"
    value = re.split(r"\s+(?=[A-Z]{2,}(?:\s+[A-Z’']{2,})+\s*:)", value)[0].strip(" ,")
    return value


_STREET_WORDS = frozenset({
    "avenue", "ave", "ave.", "av", "av.", "avenida", "rue", "calle", "carrera", "street", "road", "boulevard",
    "blvd", "blvd.", "ul.", "vul.", "prospekt", "pr.", "plaza", "jalan", "jl.", "rua", "via", "chemin", "no.",
    "apartado", "p.o.", "po", "box", "bp", "b.p.", "casilla", "square", "place", "allée", "quai", "calzada",
    "paseo", "rambla", "avda.", "plot", "km", "way", "drive", "lane", "crescent", "highway"})


def _flat_pieces(ctx: Context, seg: _Seg) -> list[tuple[int, int, int, str | None]]:
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
        if tok in _STREET_WORDS or (re.match(r"\d", tok) and (nxt[:1].isupper() or nxt.lower() in _STREET_WORDS
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


def _head_pieces(ctx: Context, texts: list[_Seg]) -> Iterator[tuple[int, int, int, str | None]]:
    """Pieces of the block's text lines. A line holding several comma parts, or a flattened block,
    is cut at commas, before an organisation word, and before a street number."""
    for seg in texts:
        raw = ctx.text[seg.start:seg.end]
        if _place_line(raw):
            yield seg.start, seg.end, seg.line, "address"
            continue
        pos = seg.start
        for part in re.split(r"(,)", raw):
            if part == ",":
                pos += 1
                continue
            yield from _split_piece(ctx, pos, pos + len(part), seg.line)
            pos += len(part)


def _split_piece(ctx: Context, s: int, e: int, line: int) -> Iterator[tuple[int, int, int, str | None]]:
    text = ctx.text[s:e]
    orgs, titles = _org_title_words()
    rest, _hon = strip_honorifics(text)
    lead = len(text) - len(text.lstrip()) + (len(text.strip()) - len(rest))
    words = list(re.finditer(r"\S+", text))
    # a name run at the start followed by organisation/title words: "Dmitry Basik Embassy of Belarus ..."
    cut_at = None
    for i, w in enumerate(words):
        if w.start() < lead:
            continue
        word = w.group(0).lower().strip(",.")
        nxt = words[i + 1].group(0).lower().strip(",.") if i + 1 < len(words) else ""
        if i > 0 and w.group(0)[:1].isupper() and (
                word in orgs | titles or (word in ("the", "el", "la", "le", "les", "los") and nxt in orgs | titles)):
            head = text[lead:w.start()].strip()
            if head and clean_name(head):
                cut_at = w.start()
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
                        re.search(r"\d", rest) or words[k].group(0).lower() in _STREET_WORDS):
                    return words[k].start()
    return None


def _place_line(raw: str) -> bool:
    """'Royal Court, Riyadh' or '105005 Moscow, Russian Federation': a short comma line naming a place."""
    if "," not in raw or len(raw.strip()) > 60:
        return False
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) < 2:
        return False
    return any(city_country(p) or resolve_country(p) for p in parts) or bool(re.match(r"^\s*\d", raw))


def _classify(piece: str, address_started: bool, name_done: bool) -> str:
    if address_started:
        return "address"
    if re.match(r"c/o\b", piece, re.IGNORECASE):
        return "organization"  # "c/o Permanent Mission of Iran ...": who passes the letter on, not the address
    orgs, titles = _org_title_words()
    low = [re.sub(r"[’']s$", "", w).strip(".,").lower() for w in piece.split()]
    if re.search(r"\d", piece) or resolve_country(piece) or city_country(piece) or _UK_POSTCODE.search(piece):
        return "address"
    if low and (low[0] in _STREET_WORDS or low[-1] in _building_words()):
        return "address"  # "Avenida Central, Edificio Encuentro"; "Police Headquarters", "Government Buildings"
    rest, hon = strip_honorifics(piece)
    if not name_done and not any(w in orgs or w in titles for w in rest.lower().split()) and (
            clean_name(rest) or (hon and _loose_name(rest))):
        return "name"
    if low and low[0] in orgs and low[0] not in titles:
        return "organization"  # "Department of Justice", "Office of the President"
    if any(w in titles for w in low) and not any(w in ("office", "ministry", "embassy", "mission") for w in low):
        return "title"
    if any(w in orgs for w in low):
        return "organization"
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


def _address_country(piece: str) -> str | None:
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
    if _UK_POSTCODE.search(piece):
        return "GB"
    if _US_ZIP.search(piece) or "Washington" in piece:
        return "US"
    return None
