"""The people a UA is about: candidates from every source, each checked.

Structured sources (a labelled list, the header name block, a catalogue title list, a line of
names, a name marked '(m)'/'(f)' or with an age, the UA's own statement of concern) are read
here; loose ones (names beside role words or risk verbs, and every PERSON entity of the
statistical model) in ``loose_subjects``, with the context cues that support them. The checks
that drop a candidate (an official's title before it, a spokesperson, someone killed, an
organisation or place) are ``subject_checks``. The assembler weighs the candidates and decides
who is a subject."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from extractor.recognisers.base import Context, Line
from extractor.recognisers.names import clean_name, split_names
from extractor.recognisers.subject_checks import of_org_re, people_words, plausible, shouted
from extractor.spans import Span
from extractor.text_helpers import word_alternation

# How sure each source is on its own that a name is a subject. Loose sources start low: their
# cues decide (extractor.assemble weighs them).
STRATEGY_SCORE = {"labelled_list": 1.0, "header_block": 0.9, "table": 0.9, "marked": 0.88, "concern": 0.86, "title_list": 0.85,
                  "names_line": 0.75, "narrative": 0.45, "entity": 0.3}


STRUCTURED = frozenset({"labelled_list", "marked", "concern", "header_block", "title_list", "names_line", "table"})


# The list may wrap onto following lines, up to a blank line or the next "Label:".
# 'Name and pronouns:', 'NOM, GENRE ET PRONOM À UTILISER :', 'Nombre, género y pronombres:'
_LABELLED = re.compile(r"^[ \t]*(?i:Names?|Nombres?|Noms?)(?i:[ \t]+(?:of|de|des)[ \t]+(?:the[ \t]+|las?[ \t]+|los[ \t]+)?"
                       r"(?:victims?|v[ií]ctimas?|detainees?|detenid[oa]s?|d[ée]tenu[e]?s?|persons?|people|personas?|personnes?))?(?i:(?:[ \t]*,[ \t]*(?:gender|g[ée]nero|genre))?[ \t]+(?:and|y|et)[ \t]+"
                       r"(?:preferred[ \t]+)?(?:pronouns?|pronombres?|pronoms?)(?:[ \t]+(?:to[ \t]+use|[àa][ \t]+utiliser|"
                       r"a[ \t]+utilizar))?)?[ \t]*:[ \t]*(?P<list>.+(?:\n(?![ \t]*\n)(?![ \t]*[\w /]{1,25}:).+)*)",
                       re.MULTILINE)


GENDER = re.compile(r"\((?P<g>m|f|h|male|female|man|woman|hombre|mujer|homme|femme|she/her|he/him|they/them|ella|él|elle|il|iel)\)", re.IGNORECASE)


_CUT = re.compile(r"\s*(?:[,(}]|\baged\b|\bage\b|\s-\s|;|\bdied\b)")


_LINE_LABEL = re.compile(r"^(?:(?:also\s+)?released|still\s+(?:held|detained)|also|and|new\s+names?|from\s+[^:]{1,40})\s*:\s*", re.IGNORECASE)


_UNKNOWN = re.compile(r"name\s+(?:unknown|not\s+known)|family\s+name\s+not", re.IGNORECASE)


# a Turkic patronymic closes a name in lower case ('Azamat Nurlan uulu', 'Aigerim Bolot kyzy')
PATRONYMIC = "|".join(map(re.escape, people_words()["patronymic_suffixes"]))
# 'y' joins two surnames ('Pérez y Gómez') only when a capital follows: in '... Quispe y de Rosa' it
# joins two people. A name's words are one or two spaces apart: more is a column's gutter ('OCCUPIED      Ziad').
_NAME = (r"[A-ZÀ-ÖØ-ÞĀ-ſ_][\w’'.-]+(?:[ \t]{1,2}(?:y[ ](?=[A-ZÀ-ÖØ-ÞĀ-ſ]))?"
         r"(?:(?:al|el|bin|ibn|de|del|da|dos|das|la|van|von|der|ould|mint)[ -])*"
         r"[’']?[A-ZÀ-ÖØ-ÞĀ-ſ_][\w’'-]+){1,4}"
         rf"(?:[ \t](?:{PATRONYMIC})(?![\w’'-]))?")


NAME_LIST = rf"(?P<list>{_NAME}(?:\s*,\s*{_NAME})*(?:\s*,?\s+(?:and|y|et)\s+(?:(?:of|de|d[’'])\s*)?{_NAME})?)"


def narrative_line(line: str) -> bool:
    words = line.split()
    verbs = set(people_words()["narrative_verbs"])
    if GENDER.search(line) or re.search(r"\baged?\s+\d", line):
        return False
    return (len(words) > 7 and any(w.lower() in verbs for w in words)) or len(line) > 160


def subject_span(ctx: Context, start: int, end: int, name: str, strategy: str, line: str = "") -> Span:
    g = GENDER.search(line)
    gender = None
    if g:
        mark = g.group("g").lower()
        gender = None if mark in ("they/them", "elle/iel", "iel") else "female" if mark in (
            "f", "female", "woman", "mujer", "femme", "she/her", "ella", "elle") else "male"
    desc = None
    rest = line[line.find(ctx.text[start:end]) + (end - start):] if line else ""
    rest = GENDER.sub("", rest).strip(" ,}{;:-")
    if rest and len(rest) < 120 and not narrative_line(rest):
        desc = re.sub(r"\s+", " ", rest.replace("}", " ")).strip(" ,") or None
    return ctx.span("subject", start, end, f"subjects.{strategy}", STRATEGY_SCORE[strategy], value=name,
                    attrs={"strategy": strategy, "gender": gender, "description": desc, "cues": []})


_CHUNK_CUT = re.compile(r"[(),;:]|\s(?:and|y|et)\s")


def _chunks(ctx: Context, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Offsets of the pieces of a list 'A (x), B and C: D', parentheses kept with their piece."""
    depth, piece = 0, start
    for m in _CHUNK_CUT.finditer(ctx.text, start, end):
        ch = m.group(0)
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            yield piece, m.start()
            piece = m.end()
    yield piece, end


_OF_LEAD = re.compile(r"\s*(?:of|de|d[’'])\s*(?=[A-ZÀ-ÞĀ-ſ])")


@cache
def _trigger_words() -> frozenset[str]:
    return frozenset(t.lower() for t in people_words()["subject_triggers"])


def names_in(ctx: Context, start: int, end: int, strategy: str) -> list[Span]:
    out = []
    triggers = _trigger_words()
    for s, e in _chunks(ctx, start, end):
        of = _OF_LEAD.match(ctx.text, s, e)  # "... de Marco Huamán y de Rosa Chávez": the second 'de'
        if of:
            s = of.end()
        lead = re.match(r"\s*(\S+)\s+", ctx.text[s:e])
        if strategy == "narrative" and lead and lead.group(1).lower() in triggers:
            s += lead.end()  # "Blogger Le Dinh Quang has been held": the role is not part of the name
        raw = ctx.text[s:e]
        head = re.sub(r"\([^)]*\)", "", raw)
        name = clean_name(head)
        if name:
            first = name.split()[0]
            off = max(raw.find(first[:3]), 0)
            last = head.strip(" .,").split()[-1]
            e2 = s + raw.rfind(last) + len(last)
            desc = re.search(r"\(([^)]*)\)", raw)
            sp = subject_span(ctx, s + off, e2, name, strategy, raw)  # '(she/her)', '(f)': the gender
            if desc and not GENDER.fullmatch(desc.group(0)):
                sp.attrs["description"] = desc.group(1)
            out.append(sp)
    return out


def labelled_list(ctx: Context) -> Iterator[Span]:
    for m in _LABELLED.finditer(ctx.text):
        yield from names_in(ctx, m.start("list"), m.end("list"), "labelled_list")


# the left column of a header's line: a country's words in capitals, wrapped, then a gutter before the names
_LEFT_COLUMN = re.compile(r"[ \t]*[A-ZÀ-Þ][A-ZÀ-Þ’' &/.-]{0,30}?[ \t]{3,}(?=\S)")


def header_block(ctx: Context) -> Iterator[Span]:
    """Name lines after the country on the UA header: 'NEPAL Dinesh Nepali (m), aged 22'."""
    starts = [c for c in ctx.labelled("country")
              if c.rule in ("country.caps_line_prefix", "country.line_prefix", "country.caps_inline")]
    blocks = 0
    for c in sorted(starts, key=lambda s: s.start):
        li = ctx.line_index_at(c.start)
        if len(ctx.lines[li].text) > 300:
            flat = list(_flattened_names(ctx, c.end))
            if flat:
                yield from _numbered(flat, blocks)
                blocks += 1
            continue
        found: list[Span] = []
        misses = 0
        first = True
        for line in ctx.lines[li: li + 40]:
            if line.blank:
                continue
            offset = c.end if first else line.start
            left = _LEFT_COLUMN.match(ctx.text, offset, line.end)
            if left and not first:
                offset = left.end()  # 'OCCUPIED            Ziad Mahmoud Sawalha': the country's column, wrapped
            seg = ctx.text[offset:line.end].lstrip(" \t:")
            seg_start = line.end - len(seg)
            if found and narrative_line(seg):
                break
            got = _name_line(ctx, seg_start, line, first)
            first = False
            if got:
                found.extend(got)
                misses = 0
            elif not (_UNKNOWN.search(seg) or re.fullmatch(r"[^:]{1,40}:\s*", seg)):
                misses += 1  # an unnamed person or a "From Nusaybin:" heading keeps the block open
                if misses >= 3 or (not found and narrative_line(seg)):
                    break
        if found:
            yield from _numbered(found, blocks)
            blocks += 1


_FLAT_RUN = re.compile(r"[ \t:]*((?:[A-ZÀ-ÖØ-ÞĀ-ſ_][\w’'-]*[ \t]+){2,16}?)(?=(?:Those|These|The|They|He|She|All|Amnesty)\s+[a-z])")


_CAPS_SURNAME = re.compile(r"(?<![\w-])([A-ZÀ-ÞĀ-ſ][a-zà-ÿā-ſ]+(?:[- ][A-ZÀ-ÞĀ-ſ][a-zà-ÿā-ſ]+){0,3})\s+([A-ZÀ-ÞĀ-ſ_][A-ZÀ-Þ_'’-]+)(?![\w’'-])")


_FLAT_SENTENCE = re.compile(r"\b(?:Amnesty International|Those|These|The|They|He|She|All|It)\s+[a-z]")


def _flattened_names(ctx: Context, start: int) -> Iterator[Span]:
    """Names in a whitespace-flattened header, up to its first sentence. Written 'Jean-Robert DÉSIR,
    aged 40, ...' (surnames in capitals, the bulletins' convention) they are read as such; a bare run
    'Hinan _ren Ali Keskin Nuri Gültekin' is read as given-name/surname pairs."""
    stop = _FLAT_SENTENCE.search(ctx.text, start, start + 1500)
    end = stop.start() if stop else min(len(ctx.text), start + 600)
    caps = [m for m in _CAPS_SURNAME.finditer(ctx.text, start, end) if len(m.group(2).strip("_")) >= 2]
    if caps:
        for m in caps:
            given = m.group(1).split()
            # a longer capitalised run ran in from the previous entry ("journalist, Radio Solèy Leve
            # Marie-Claude ÉTIENNE"): only the word before the surname is surely a given name
            keep = given if len(given) <= 2 else given[-1:]
            first = m.start(1) + m.group(1).rfind(keep[0]) if len(keep) < len(given) else m.start(1)
            name = clean_name(" ".join(keep + [m.group(2)]))
            if name:
                yield subject_span(ctx, first, m.end(), name, "header_block")
        return
    yield from _flattened_pairs(ctx, start)


def _flattened_pairs(ctx: Context, start: int) -> Iterator[Span]:
    """An even run of capitalised words before the first sentence ('Hinan _ren Ali Keskin Nuri
    Gültekin Hikmet Aygo Those named above') read as given-name/surname pairs, the commonest shape of
    these lists; any other run is left alone."""
    m = _FLAT_RUN.match(ctx.text, start)
    if not m:
        return
    words = list(re.finditer(r"\S+", m.group(1)))
    if len(words) % 2 or len(words) < 4:
        return
    base = m.start(1)
    for a, b in zip(words[::2], words[1::2]):
        name = clean_name(f"{a.group(0)} {b.group(0)}")
        if not name:
            return
        yield subject_span(ctx, base + a.start(), base + b.end(), name, "header_block")


_MARKED_NAME = re.compile(rf"(?P<name>{_NAME})\s*,?\s*\((?:m|f|male|female)\)")


def _name_line(ctx: Context, start: int, line: Line, first: bool = False) -> list[Span]:
    seg = ctx.text[start:line.end]
    marked = list(_MARKED_NAME.finditer(ctx.text, start, line.end))
    if len(marked) >= 2:  # two entries run together by a PDF: "... council worker Shomsher Rupakheti (m), aged 31"
        return [subject_span(ctx, m.start("name"), m.end("name"), name, "header_block", ctx.text[m.start():
                         (marked[i + 1].start() if i + 1 < len(marked) else line.end)])
                for i, m in enumerate(marked) if (name := clean_name(m.group("name")))]
    if _UNKNOWN.search(seg):
        return []
    lab = _LINE_LABEL.match(seg)
    if lab:
        start += lab.end()
        seg = seg[lab.end():]
    if seg[:1].islower() and first:
        return []  # the header line itself: "TURKEY: 17 members of an extended family:"
    if seg[:1].islower():  # "his uncle and aunt, Ahmet and Nicuda Demir (female)"
        comma = seg.find(",")
        if comma < 0:
            return []
        start += comma + 1
        seg = seg[comma + 1:]
    cut = _CUT.search(seg)
    head = seg[: cut.start()] if cut else seg
    person_marked = bool(GENDER.search(line.text) or re.search(r"\baged?\s+\d", line.text))
    out = []
    for piece in split_names(head):
        piece = re.sub(r"^(?:[a-z]+\s+)+(?=[A-ZÀ-ÞĀ-ſ_])", "", piece)  # "his brother Nurlan ASANOV"
        name = clean_name(piece, allow_single=person_marked)
        if name:
            pos = ctx.text.find(piece, start, line.end)
            end = pos + len(piece)
            if pos < 0:  # a name rebuilt from "Ahmet and Nicuda Demir": the evidence is the whole phrase
                pos = ctx.text.find(head.strip(), start, line.end)
                end = pos + len(head.strip())
            sp = subject_span(ctx, pos, end, name, "header_block", line.text)
            out.append(sp)
    return out


def _numbered(spans: list[Span], block: int) -> list[Span]:
    """Which of a strategy's blocks the names came from (0: the first); the assembler keeps the first."""
    for sp in spans:
        sp.attrs["block"] = block
    return spans


def title_list(ctx: Context) -> Iterator[Span]:
    """Catalogue titles: 'UA 95/94 - Sudan: fear of torture / legal concern: A, B, Dr C'."""
    blocks = 0
    for line in ctx.lines[:12]:
        if line.text.count(":") >= 2 and len(line.text) < 400:
            colon = line.text.rfind(": ")
            if colon < 0 or re.search(r"\S[ \t]{3,}\S", line.text[:colon]):
                continue  # 'Related cases:    1996/0233      Caseworker:    J. Whitfield': a form's fields in columns
            spans = names_in(ctx, line.start + colon + 1, line.end, "title_list")
            if spans:
                yield from _numbered(spans, blocks)
                blocks += 1


def names_line(ctx: Context) -> Iterator[Span]:
    """A line that is nothing but two or more names: 'Solafa Magdy, Hossam el-Sayed and Mohamed Salah'."""
    blocks = [(b.start, b.end) for b in ctx.labelled("recipient_block")]
    for line in ctx.lines:
        if any(s <= line.start < e for s, e in blocks):
            continue  # "Sangkat Chaktomuk, Khan Daun Penh" is an address line, not two people
        if not line.blank and len(line.text) < 200 and not line.stripped.endswith(":"):
            pieces = list(_chunks(ctx, line.start, line.end))
            if len(pieces) < 2:
                continue
            spans: list[Span] = []
            for s, e in pieces:  # every piece a name, so the first that is not ends the line's reading
                got = names_in(ctx, s, e, "names_line")
                if not got:
                    break
                spans.extend(got)
            else:
                if not any(shouted(ctx, sp) for sp in spans):
                    yield from spans  # 'DEUX BLOGUEURS LIBÉRÉS, LES POURSUITES ABANDONNÉES' is a headline


# A table's header row: a name column first, then at least one more ('| Name | Age | Occupation |',
# 'Name      Age   Occupation'), cells apart by bars or by two spaces or more
_TABLE_HEAD = re.compile(r"^[ \t|]*(?:(?:Full\s+)?names?|nombres?(?:\s+completo)?|noms?(?:\s+complet)?)"
                         r"(?:[ ]*\|[ \t]*|[ ]*\t[ \t]*|[ ]{2,}[ \t]*)\w",
                         re.IGNORECASE | re.MULTILINE)
_TABLE_RULE = re.compile(r"[ \t]*[-+=|_:][-+=|_: \t]{2,}")  # '+------+-----+', '------  ---'
_TABLE_ROWS = 60


def table(ctx: Context) -> Iterator[Span]:
    """The first cell of each row under a table's 'Name' column heading."""
    for m in _TABLE_HEAD.finditer(ctx.text):
        first = ctx.line_index_at(m.start())
        barred = "|" in ctx.lines[first].text
        for line in ctx.lines[first + 1:first + 1 + _TABLE_ROWS]:
            if line.blank:
                break
            if _TABLE_RULE.fullmatch(line.text):
                continue
            start = line.start + len(line.text) - len(line.text.lstrip(" \t|"))
            cut = re.search(r"\|" if barred else r"\t|[ ]{2,}", ctx.text[start:line.end])
            end = start + cut.start() if cut else line.end
            for sp in names_in(ctx, start, end, "table"):
                if plausible(ctx, sp):
                    yield subject_span(ctx, sp.start, sp.end, sp.value, "table", ctx.text[sp.start:end])


def listed(ctx: Context) -> Iterator[Span]:
    """Names the text lists or marks as people, inside the declared sections, outside the
    recipient blocks."""
    regions = ctx.regions()
    blocks = [(b.start, b.end) for b in ctx.labelled("recipient_block")]

    def readable(sp: Span) -> bool:
        return (any(s <= sp.start < e for s, e in regions) and not any(s <= sp.start < e for s, e in blocks)
                and not of_org_re().search(ctx.text, max(0, sp.start - 40), sp.start))

    for source in (labelled_list, header_block, table, title_list, names_line, marked, concern):
        for sp in source(ctx):
            if readable(sp):
                yield sp


# 'Timothy Adams (m), aged 42', 'WARTINI (f)', 'Ahmed Ali, aged 34', 'María López, de 23 años'
_MARKED = re.compile(
    rf"(?P<name>{_NAME})(?:\s*,?\s*\((?:m|f|h|male|female|(?i:aged?|âgée?\s+de)\s+\d{{1,3}})\)|,\s*\d{{1,3}}\s+(?:ans|años|years\s+old)\b|,\s*(?:aged|age|âgée?\s+de|de)\s+\d{{1,3}}\b(?!\s*(?:de\s+)?(?:"
    r"January|February|March|April|May|June|July|August|September|October|November|December|enero|febrero|marzo|abril|"
    r"mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janvier|février|mars|avril|mai|juin|juillet|août|"
    r"septembre|octobre|novembre|décembre)))")


@cache
def _concern_re() -> re.Pattern[str]:
    lead = word_alternation(people_words()["concern_phrases"], space=" ")
    return re.compile(rf"(?i:{lead})\s+{NAME_LIST}")


def concern(ctx: Context) -> Iterator[Span]:
    """'Amnesty International is concerned for the safety of Deepak Kumar Chaudhary': the UA's own
    statement of whom it is about."""
    for start, end in ctx.regions():
        for m in _concern_re().finditer(ctx.text, start, end):
            yield from (sp for sp in names_in(ctx, m.start("list"), m.end("list"), "concern") if plausible(ctx, sp))


def marked(ctx: Context) -> Iterator[Span]:
    """A name the text marks as a person: a gender mark or an age right after it."""
    for start, end in ctx.regions():
        for m in _MARKED.finditer(ctx.text, start, end):
            for sp in names_in(ctx, m.start("name"), m.end("name"), "marked"):
                if plausible(ctx, sp):
                    line = ctx.line_at(sp.start)
                    yield subject_span(ctx, sp.start, sp.end, sp.value, "marked", ctx.text[sp.start:line.end])
