"""Recipient sections cut into blocks. A block is read as segments: each line, and inside a
line each labelled contact field ('Fax: ...', 'Email: ...'), so flattened one-line blocks read
like stacked ones. Also the regions no heading announced: a 'Salutation:' line's block and a
letter head above 'Dear ...,'."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from extractor.normalise.countries import city_country, resolve_country
from extractor.patterns import Pattern, load_patterns
from extractor.recognisers.base import Context
from extractor.recognisers.names import clean_name, first_honorific, strip_honorifics

STREET_WORDS = frozenset({
    "avenue", "ave", "ave.", "av", "av.", "avenida", "rue", "calle", "carrera", "street", "road", "boulevard",
    "blvd", "blvd.", "ul.", "vul.", "prospekt", "pr.", "plaza", "jalan", "jl.", "rua", "via", "chemin", "no.",
    "apartado", "p.o.", "po", "box", "bp", "b.p.", "casilla", "square", "place", "allée", "quai", "calzada",
    "paseo", "rambla", "avda.", "plot", "km", "way", "drive", "lane", "crescent", "highway"})


_PHONEISH = re.compile(r"(?:\+|\(?\b00)?\(?\d[\d ()./-]{6,}\d")


# a sentence's end and the next one's start; a street's abbreviation ('vul. Internatsyianalnaya 22') is none
_ABBREVIATED_STREET = "|".join(re.escape(w[:-1]) for w in sorted(STREET_WORDS) if w.endswith(".") and w[:-1].isalpha())
SENTENCE = re.compile(rf"(?<![^\W\d_])(?!(?i:{_ABBREVIATED_STREET})\.)[^\W\d_]*[a-z]{{2}}[.!?]\s+[A-Z]|"
                      r"\b(?:I|we|you)\s+(?:am|are|urge|call)\b")


@dataclass
class Seg:
    start: int
    end: int
    kind: str  # "text" or a contact field name
    line: int


@dataclass
class Block:
    role: str
    texts: list[Seg] = field(default_factory=list)
    contacts: list[Seg] = field(default_factory=list)
    closed: bool = False
    prose: bool = False  # written in a sentence ('... to Premier Li Dongfang, Office of the Premier, Beijing, and to ...')


def salutation_regions(ctx: Context, regions: list[tuple[int, int, str, str]],
                        labels: list[Pattern]) -> list[tuple[int, int, str, str]]:
    """A 'Salutation:' line no heading announced closes an addressee block all the same: the short
    lines above it, up to a blank line or a sentence, are that block."""
    salutation = next(p for p in labels if p.meta["field"] == "salutation")
    out = []
    for m in salutation.scan(ctx.text, ctx.folded):
        li = ctx.line_index_at(m.start())
        if any(s <= m.start() < e for s, e, _, _ in regions) or any(s <= ctx.lines[li].start < e for s, e, _, _ in out):
            continue  # inside a block already: a heading's, or an earlier match's on the same line
        first = li
        for j in range(li - 1, max(-1, li - 15), -1):
            line = ctx.lines[j]
            if line.blank or len(line.stripped) > 100 or prose(line.stripped):
                break
            first = j
        if first < li:
            out.append((ctx.lines[first].start, ctx.lines[li].end, "addressee", "recipients.salutation_block"))
    return out


def letter_head_regions(ctx: Context) -> Iterator[tuple[int, int, str, str]]:
    """No appeal heading: the block of short lines just above a letter's 'Dear ...,' line."""
    opening = next((sec for sec in ctx.sections.of("letter") if sec.rule == "section.letter.opening"), None)
    if opening is None:
        return
    li = ctx.line_index_at(opening.heading_start)
    first, last = li, li
    above = ctx.sections.at(max(opening.heading_start - 1, 0))
    floor = ctx.line_index_at(above.start)  # not across a heading, nor on its line ('TAKE ACTION: WRITE ...')
    if above.start > ctx.lines[floor].start and ctx.text[ctx.lines[floor].start:above.start].strip():
        floor += 1
    for j in range(li - 1, floor - 1, -1):
        line = ctx.lines[j]
        if line.blank:
            continue
        if len(line.stripped) > 90 or (SENTENCE.search(line.text) and not labels_in(line.text)):
            break
        first = j
    # a short group just above the salutation with no address in it is the letter's subject line
    # ('Nasrin Sotoudeh'), not the addressee's block
    groups = _line_groups(ctx, first, li)
    while len(groups) > 1 and not any(re.search(r"\d", ctx.lines[k].text) or labels_in(ctx.lines[k].text)
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


def labels_in(s: str) -> bool:
    return any(p.regex.search(s) for p in load_patterns("recipients")["contact_label"])


def segments(ctx: Context, start: int, end: int, labels: list[Pattern]) -> Iterator[Seg]:
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
                yield from _split_salutation(ctx, Seg(pos, cs, kind, li), le - ls)
            pos, kind = ce, fieldname
        if ctx.text[pos:le].strip(" \tI|;,") or kind != "text":
            yield from _split_salutation(ctx, Seg(pos, le, kind, li), le - ls)


_LIST_MARKER = re.compile(r"[ \t]*(?:\d{1,2}[.)]|[a-z][.)]|[-•*–])[ \t]+")


# The end of a sentence (not of "S. E." or "Ave."): a lower-case word, a stop, a capital next.
_SENTENCE_END = re.compile(r"(?:(?<=[a-zà-ÿā-ſ]{3})|(?<=\d))[.;:!?]\s+(?=[A-ZÀ-ÞĀ-ſ])")


# Words a title or office wraps onto a line of their own ("Minister Responsible for Foreign / Affairs").
_TITLE_TAILS = frozenset({"affairs", "justice", "security", "defence", "defense", "interior", "police", "affaires",
                          "étrangères", "exteriores", "relations", "rights", "development", "office"})


# a line that opens with a connecting word goes on with the line above ('..., Embassy / of the Socialist Republic')
_CONNECTOR_START = re.compile(r"(?:of|for|and|de|del|du|des|y|et)\s")


def _wrapped_after_instruction(ctx: Context, texts: list[Seg]) -> bool:
    """'... please also send a copy of your appeal to Ambassador Paulo / Tarso Freitas, Embassy of Brazil': a block
    that starts inside a wrapped paragraph's line, after its instruction, goes on on the next line."""
    if len(texts) != 1:
        return False
    line = ctx.lines[texts[0].line]
    head = ctx.text[texts[0].start:texts[0].end].rstrip()
    return (len(line.text) >= 60 and bool(ctx.text[line.start:texts[0].start].strip())
            and bool(re.search(r"[^\W\d_]$", head)) and len(head.split()) <= 4)


def _continues(raw: str) -> bool:
    """A head line cut short: it ends with a hyphen ('Saif bin Hamad al-') or a word that needs a next."""
    return bool(re.search(r"(?:\w-|\b(?:of|for|the|and|de|del|de la|du|des|of the))\s*$", raw.rstrip(), re.IGNORECASE))


def prose(raw: str) -> bool:
    """A sentence of instructions ('You can also email, fax, call or Tweet them.'), not a block line."""
    return bool(re.search(r"\b[a-z]{2,}[.!?]$", raw)) and len(raw.split()) >= 5 and not labels_in(raw)


_INSTRUCTION = re.compile(r"\b(?:please|only|send|sending|mail|note|due\s+to|you|your|if|veuillez|envoyez|uniquement|"
                          r"merci|por\s+favor|env[ií]en|s[oó]lo|solamente)\b", re.IGNORECASE)


_LOWER_LEADS = frozenset({"c/o", "al", "al-", "el", "el-", "de", "del", "della", "di", "da", "van", "von", "bin", "ibn", "s/n"})


def _aside(raw: str) -> bool:
    """A piece of a sentence between or after the blocks ('y a los representantes diplomaticos de El Salvador
    acreditados en su' / 'pais.', 'country. [NZ network: ... please'): it opens with a lower-case word that
    starts no name, office or street, and runs on or ends a sentence. Block lines start with a capital or
    a number."""
    words = raw.lstrip("([").split()  # '(adresse ci-dessus). Tarif lettre ...': a bracket opens the sentence
    first = words[0].lower().rstrip(",") if words else ""
    if not words or not words[0][:1].islower() or first in _LOWER_LEADS or first in STREET_WORDS:
        return False
    return len(words) >= 4 or raw.rstrip()[-1:] in ".!?:"


def _instruction(raw: str) -> bool:
    """A note inside a block ('Due to postal restrictions caused by COVID-19, please only send
    physical mail to the Embassy'): mostly lower-case words, no label."""
    words = raw.split()
    if len(words) < 8 or sum(1 for w in words if w[:1].islower()) < 0.6 * len(words) or labels_in(raw):
        return False
    return bool(_INSTRUCTION.search(raw))  # not a long office title ('Ministre de la Justice et procureur ...')


def _split_salutation(ctx: Context, seg: Seg, line_length: int) -> Iterator[Seg]:
    """On a flattened line a salutation runs on into the next block: 'Formule d'appel : Monsieur le
    Procureur général, Président du Comité ... Nurlan Abdrakhmanov 33 avenue ...'. Its comma ends it."""
    if seg.kind != "salutation":
        yield seg
        return
    raw = ctx.text[seg.start:seg.end]
    cut = _salutation_title_run(raw) if line_length >= 200 else None
    if cut is not None:  # "Dear Mayor Prosecutor General Oleksandr ...": the next block starts with its title
        yield Seg(seg.start, seg.start + cut, "salutation", seg.line)
        yield Seg(seg.start + cut, seg.end, "text", seg.line)
        return
    m = re.search(r"\s+\d{1,2}\)\s+(?=[A-ZÀ-ÞĀ-ſ])", raw)  # "Mon Général / Dear General 2) Military Commander"
    if not m and line_length >= 200:
        m = re.search(r",\s+(?=[A-ZÀ-ÞĀ-ſ])", raw)
    if not m or len(raw) - m.end() < 20:
        yield seg
        return
    yield Seg(seg.start, seg.start + m.start(), "salutation", seg.line)
    yield Seg(seg.start + m.end(), seg.end, "text", seg.line)


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


def tail_after_sentences(ctx: Context, seg: Seg) -> Seg | None:
    """Instructions and narrative run into the first block on a flattened page: keep what follows
    the last full sentence ('... de sa famille. Procureur général Serik Zhumabekov ...')."""
    raw = ctx.text[seg.start:seg.end].rstrip()
    ends = list(_SENTENCE_END.finditer(raw))
    if not ends or re.search(r"[a-zà-ÿ)”\"][.!?]$", raw):
        return None  # prose to its end: no block in it
    tail = seg.start + ends[-1].end()
    return Seg(tail, seg.end, seg.kind, seg.line) if seg.end - tail >= 10 else None


def read_blocks(ctx: Context, start: int, end: int, role: str, labels: list[Pattern]) -> Iterator[Block]:
    cur = Block(role)
    for seg in segments(ctx, start, end, labels):
        raw = ctx.text[seg.start:seg.end].strip()
        if seg.line in _code_lines(ctx):
            if cur.texts or cur.contacts:
                break  # 'UA: 88/16 Index: AMR 23/3902/2016 Issue Date: ...': the UA's footer, after the blocks
            continue
        if seg.kind == "text":
            if prose(raw):
                if cur.texts or cur.contacts:
                    break  # a paragraph after the blocks ("and to diplomatic representatives ..."): the region is over
                continue
            if _instruction(raw):
                continue
            if not re.search(r"[^\W_]", raw):
                continue  # a stray mark on its own line ('.', '~'): nothing to read
            if raw.startswith("(") and raw.endswith(")") and "(" not in raw[1:-1]:
                continue  # '(In the subject line write: FAO ...)': a note to the writer, in the block it is about
            if cur.texts and not cur.contacts and cur.texts[-1].line == seg.line - 1 and _CONNECTOR_START.match(raw) \
                    and not re.search(r"[.!?:;]\s*$", ctx.text[cur.texts[-1].start:cur.texts[-1].end]):
                cur.texts[-1] = Seg(cur.texts[-1].start, seg.end, "text", seg.line)  # '..., Embassy / of the ...'
                continue
            if _aside(raw):
                cur.closed = bool(cur.texts or cur.contacts)  # what follows is another block
                continue
            if len(raw) > 150 and SENTENCE.search(raw) and not cur.texts:
                tail = tail_after_sentences(ctx, seg)
                if tail is None:
                    continue  # instructions between the heading and the first block
                seg, raw = tail, ctx.text[tail.start:tail.end].strip()
            if cur.contacts and (_PHONEISH.fullmatch(re.sub(r"\([^)]*\)", "", raw).strip())
                                 or re.fullmatch(r"[\s,;]*(?:\[email[^\]]*\]|\S+@\S+|https?://\S+)[\s,;]*", raw)):
                cur.contacts.append(Seg(seg.start, seg.end, cur.contacts[-1].kind, seg.line))
                continue  # a number, address or link on the line after its label ('Fax: (via Ministry of Interior)')
            located = any(_is_address_text(ctx, t) for t in cur.texts)
            # lines written without blank lines between them: a blank line after the address ends the block
            # ('... RSFSR, USSR' / '' / 'Minister of ...'); where every line has one, it ends nothing
            tight = len(cur.texts) >= 2 and all(b.line - a.line <= 1 for a, b in zip(cur.texts, cur.texts[1:]))
            starts_new = cur.closed or bool(cur.contacts) or (
                strip_honorifics(raw)[1] is not None and clean_name(strip_honorifics(raw)[0]) is not None
                and bool(cur.texts) and seg.line != cur.texts[-1].line and located) or (
                tight and located and seg.line > cur.texts[-1].line + 1)
            if starts_new and (cur.texts or cur.contacts):
                yield cur
                cur = Block(role)
            if cur.texts and cur.texts[-1].line == seg.line - 1 and (
                    _continues(ctx.text[cur.texts[-1].start:cur.texts[-1].end])
                    or raw.lower() in _TITLE_TAILS or _wrapped_after_instruction(ctx, cur.texts)):
                cur.texts[-1] = Seg(cur.texts[-1].start, seg.end, "text", seg.line)  # "Minister Responsible for Foreign / Affairs"
                continue
            cur.texts.append(seg)
        else:
            cur.contacts.append(seg)
            if seg.kind == "salutation":
                cur.closed = True
    if cur.texts or cur.contacts:
        yield cur


def _code_lines(ctx: Context) -> frozenset[int]:
    """Short lines opening with a UA number or an Amnesty index ('UA: 88/16 Index: ...'): the UA's header
    or footer, never a recipient's line. (A flattened page's one long line holds everything.)"""
    key = ("code_lines",)
    if key not in ctx.memo:
        found: set[int] = set()
        for s in ctx.labelled("ua_number", "ai_index"):
            line = ctx.line_at(s.start)
            lead = len(line.text) - len(line.text.lstrip())
            if len(line.text) <= 160 and s.start - (line.start + lead) <= 12:
                found.add(ctx.line_index_at(s.start))
        ctx.memo[key] = frozenset(found)
    lines: frozenset[int] = ctx.memo[key]  # type: ignore[assignment]
    return lines


def _is_address_text(ctx: Context, seg: Seg) -> bool:
    raw = ctx.text[seg.start:seg.end]
    return bool(re.search(r"\d", raw)) or place_line(raw)


def place_line(raw: str) -> bool:
    """'Royal Court, Riyadh' or '105005 Moscow, Russian Federation': a short comma line naming a place."""
    if "," not in raw or len(raw.strip()) > 60:
        return False
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if len(parts) < 2:
        return False
    return any(city_country(p) or resolve_country(p) for p in parts) or bool(re.match(r"^\s*\d", raw))


# Where a sentence of recipients ends ('..., People's Republic of China. Copies of appeals ...'), and where
# one recipient gives way to the next (', and to Governor Ma Qingyuan, ...'; '; Minister ...')
_PROSE_END = re.compile(r"(?<=[^\W\d_]{3})\.(?=\s+[A-Z])|\.?[ \t]*\n[ \t]*\n")
_PROSE_NEXT = re.compile(r",?\s+and\s+(?:also\s+)?to\s+|;\s*(?:and\s+)?(?:to\s+)?")
_DIPLOMATS = re.compile(r"\bdiplomatic\s+representatives?\b|\brepr[ée]sentants?\s+diplomatiques\b|"
                        r"\brepresentantes?\s+diplom[aá]tic", re.IGNORECASE)


def prose_blocks(ctx: Context, start: int, end: int, role: str) -> Iterator[Block]:
    """Recipients written as a sentence, as 1970s and 1980s UAs did: 'Please send your appeals to Premier Li
    Dongfang, Office of the Premier, Zhongnanhai, Beijing, People's Republic of China, and to Governor Ma
    Qingyuan, ...'. The sentence ends the run; 'and to' and semicolons part the recipients; the diplomatic
    representatives in the reader's country are nobody's address."""
    stop = _PROSE_END.search(ctx.text, start, end)
    run_end = stop.start() if stop else end
    pos = start
    for cut in [*_PROSE_NEXT.finditer(ctx.text, start, run_end), None]:
        part_end = cut.start() if cut else run_end
        raw = ctx.text[pos:part_end]
        if raw.strip() and not _DIPLOMATS.search(raw):
            lead = len(raw) - len(raw.lstrip())
            yield Block(role, texts=[Seg(pos + lead, part_end, "text", ctx.line_index_at(pos + lead))], prose=True)
        if cut is None:
            break
        pos = cut.end()
