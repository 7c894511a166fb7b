"""The people a UA is about: candidates from every source, each checked.

Structured sources (a labelled list, the header name block, a catalogue title list, a line of
names, a name marked '(m)'/'(f)' or with an age) and loose ones (names beside role words or risk
verbs, and every PERSON entity of the statistical model) all propose names inside the sections
this recogniser reads. A candidate is dropped when its context says it is not a person at risk
(an official's title before it, a spokesperson, someone killed, an organisation or place). The
loose ones carry the context cues that support them (``attrs["cues"]``); the assembler weighs
those and decides who is a subject."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from extractor.patterns import load_words
from extractor.recognisers.base import Context, Line
from extractor.recognisers.names import clean_name, first_honorific, name_key, split_names
from extractor.spans import Span

# How sure each source is on its own that a name is a subject. Loose sources start low: their
# cues decide (extractor.assemble weighs them).
STRATEGY_SCORE = {"labelled_list": 1.0, "header_block": 0.9, "marked": 0.88, "concern": 0.86, "title_list": 0.85,
                  "names_line": 0.75, "narrative": 0.45, "entity": 0.3}
STRUCTURED = frozenset({"labelled_list", "marked", "concern", "header_block", "title_list", "names_line"})

# The list may wrap onto following lines, up to a blank line or the next "Label:".
_LABELLED = re.compile(r"^[ \t]*(?:Names?|Nombres?|Noms?)[ \t]*:[ \t]*(?P<list>.+(?:\n(?![ \t]*\n)(?![ \t]*[\w /]{1,25}:).+)*)",
                       re.MULTILINE)
_GENDER = re.compile(r"\((?P<g>m|f|h|male|female|man|woman|hombre|mujer|homme|femme)\)", re.IGNORECASE)
_CUT = re.compile(r"\s*(?:[,(}]|\baged\b|\bage\b|\s-\s|;|\bdied\b)")
_LINE_LABEL = re.compile(r"^(?:(?:also\s+)?released|still\s+(?:held|detained)|also|and|new\s+names?|from\s+[^:]{1,40})\s*:\s*", re.IGNORECASE)
_UNKNOWN = re.compile(r"name\s+(?:unknown|not\s+known)|family\s+name\s+not", re.IGNORECASE)
# 'y' joins two surnames ('Pérez y Gómez') only when a capital follows: in '... Quispe y de Rosa' it
# joins two people
_NAME = (r"[A-ZÀ-ÖØ-ÞĀ-ſ_][\w’'.-]+(?:[ \t]+(?:y[ ](?=[A-ZÀ-ÖØ-ÞĀ-ſ]))?"
         r"(?:(?:al|el|bin|ibn|de|del|da|dos|das|la|van|von|der|ould|mint)[ -])*"
         r"[’']?[A-ZÀ-ÖØ-ÞĀ-ſ_][\w’'-]+){1,4}")
_NAME_LIST = rf"(?P<list>{_NAME}(?:\s*,\s*{_NAME})*(?:\s*,?\s+(?:and|y|et)\s+(?:(?:of|de|d[’'])\s*)?{_NAME})?)"


@cache
def _people_words() -> dict[str, list[str]]:
    return load_words("people")  # type: ignore[return-value]


# "the arrest of X", "paradero de X", "detuvieron a X": an event that happened to the people named.
_EVENT_OF = (r"(?i:(?:the\s+)?(?:arrest|detention|abduction|disappearance|whereabouts|release)\s+of|"
             r"(?:el\s+)?(?:paradero|arresto|detención|secuestro)\s+de|detuvieron\s+a|arrestaron\s+a|"
             r"secuestraron\s+a|amenazaron\s+a|l.arrestation\s+de|la\s+détention\s+de)\s+")


@cache
def _trigger_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    trig = "|".join(sorted((re.escape(t) for t in _people_words()["subject_triggers"]), key=len, reverse=True))
    before = re.compile(rf"\b(?:(?i:{trig})s?,?\s+(?:[a-záéíóúñç]+\s+){{0,5}}?|{_EVENT_OF}){_NAME_LIST}")
    after = re.compile(rf"{_NAME_LIST},\s+(?:(?:a|an|the|un|una|une|el|la|le)\s+)?(?:(?i:{trig})\b|"
                       r"(?i:members?|miembros?|membres?)\s+(?:of|del?|du|de\s+la)\b)")
    aux = "|".join(re.escape(a).replace(r"\ ", r"\s+").replace("'", "[’']") for a in _people_words()["auxiliaries"])
    done = "|".join(sorted(map(re.escape, _people_words()["risk_participles"]), key=len, reverse=True))
    verbs = re.compile(rf"{_NAME_LIST}\s+(?:[a-zà-ÿā-ſ]+\s+){{0,5}}?(?:{aux})\s+(?:[a-zà-ÿā-ſ]+\s+)?(?:{done})(?!\w)")
    return before, after, verbs


def _narrative_line(line: str) -> bool:
    words = line.split()
    verbs = set(_people_words()["narrative_verbs"])
    if _GENDER.search(line) or re.search(r"\baged?\s+\d", line):
        return False
    return (len(words) > 7 and any(w.lower() in verbs for w in words)) or len(line) > 160


def _subject(ctx: Context, start: int, end: int, name: str, strategy: str, line: str = "") -> Span:
    g = _GENDER.search(line)
    gender = None
    if g:
        gender = "female" if g.group("g").lower() in ("f", "female", "woman", "mujer", "femme") else "male"
    desc = None
    rest = line[line.find(ctx.text[start:end]) + (end - start):] if line else ""
    rest = _GENDER.sub("", rest).strip(" ,}{;:-")
    if rest and len(rest) < 120 and not _narrative_line(rest):
        desc = re.sub(r"\s+", " ", rest.replace("}", " ")).strip(" ,") or None
    return ctx.span("subject", start, end, f"subjects.{strategy}", STRATEGY_SCORE[strategy], value=name,
                    attrs={"strategy": strategy, "gender": gender, "description": desc, "cues": []})


_CHUNK_CUT = re.compile(r"[(),;:]| (?:and|y|et) ")


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


def _names_in(ctx: Context, start: int, end: int, strategy: str) -> list[Span]:
    out = []
    triggers = {t.lower() for t in _people_words()["subject_triggers"]}
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
            sp = _subject(ctx, s + off, e2, name, strategy)
            if desc:
                sp.attrs["description"] = desc.group(1)
            out.append(sp)
    return out


def labelled_list(ctx: Context) -> Iterator[Span]:
    for m in _LABELLED.finditer(ctx.text):
        yield from _names_in(ctx, m.start("list"), m.end("list"), "labelled_list")


def header_block(ctx: Context) -> Iterator[Span]:
    """Name lines after the country on the UA header: 'NEPAL Dinesh Nepali (m), aged 22'."""
    starts = [c for c in ctx.labelled("country")
              if c.rule in ("country.caps_line_prefix", "country.line_prefix", "country.caps_inline")]
    for c in sorted(starts, key=lambda s: s.start):
        li = ctx.line_index_at(c.start)
        if len(ctx.lines[li].text) > 300:
            flat = list(_flattened_names(ctx, c.end))
            if flat:
                yield from flat
                return
            continue
        found: list[Span] = []
        misses = 0
        first = True
        for line in ctx.lines[li: li + 40]:
            if line.blank:
                continue
            offset = c.end if first else line.start
            seg = ctx.text[offset:line.end].lstrip(" \t:")
            seg_start = line.end - len(seg)
            if found and _narrative_line(seg):
                break
            got = _name_line(ctx, seg_start, line, first)
            first = False
            if got:
                found.extend(got)
                misses = 0
            elif not (_UNKNOWN.search(seg) or re.fullmatch(r"[^:]{1,40}:\s*", seg)):
                misses += 1  # an unnamed person or a "From Nusaybin:" heading keeps the block open
                if misses >= 3 or (not found and _narrative_line(seg)):
                    break
        if found:
            yield from found
            return


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
                yield _subject(ctx, first, m.end(), name, "header_block")
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
        yield _subject(ctx, base + a.start(), base + b.end(), name, "header_block")


_MARKED_NAME = re.compile(rf"(?P<name>{_NAME})\s*,?\s*\((?:m|f|male|female)\)")


def _name_line(ctx: Context, start: int, line: Line, first: bool = False) -> list[Span]:
    seg = ctx.text[start:line.end]
    marked = list(_MARKED_NAME.finditer(ctx.text, start, line.end))
    if len(marked) >= 2:  # two entries run together by a PDF: "... council worker Shomsher Rupakheti (m), aged 31"
        return [_subject(ctx, m.start("name"), m.end("name"), name, "header_block", ctx.text[m.start():
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
    person_marked = bool(_GENDER.search(line.text) or re.search(r"\baged?\s+\d", line.text))
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
            sp = _subject(ctx, pos, end, name, "header_block", line.text)
            out.append(sp)
    return out


def title_list(ctx: Context) -> Iterator[Span]:
    """Catalogue titles: 'UA 95/94 - Sudan: fear of torture / legal concern: A, B, Dr C'."""
    for line in ctx.lines[:12]:
        if line.text.count(":") >= 2 and len(line.text) < 400:
            colon = line.text.rfind(": ")
            if colon < 0:
                continue
            spans = _names_in(ctx, line.start + colon + 1, line.end, "title_list")
            if spans:
                yield from spans
                return


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
            spans = _names_in(ctx, line.start, line.end, "names_line")
            if len(spans) == len(pieces):
                yield from spans


@cache
def _of_org_re() -> re.Pattern[str]:
    words = set(_people_words()["org_words"]) | set(_people_words()["title_words"]) | set(_people_words()["part_of_words"])
    alt = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})\s+(?:of|de|du|des|del)\s+(?:the\s+|la\s+|l[’']|el\s+)?$", re.IGNORECASE)


def listed(ctx: Context) -> Iterator[Span]:
    """Names the text lists or marks as people, inside the declared sections, outside the
    recipient blocks."""
    regions = ctx.regions()
    blocks = [(b.start, b.end) for b in ctx.labelled("recipient_block")]

    def readable(sp: Span) -> bool:
        return (any(s <= sp.start < e for s, e in regions) and not any(s <= sp.start < e for s, e in blocks)
                and not _of_org_re().search(ctx.text, max(0, sp.start - 40), sp.start))

    for source in (labelled_list, header_block, title_list, names_line, marked, concern):
        for sp in source(ctx):
            if readable(sp):
                yield sp


def loose(ctx: Context) -> Iterator[Span]:
    """Names beside role words or risk verbs and the model's PERSON entities, in the sections
    that tell what happened (not the background, which tells of other people too)."""
    regions = ctx.regions()
    blocks = [(b.start, b.end) for b in ctx.labelled("recipient_block")]
    for source in (narrative, entities):
        for sp in source(ctx):
            if (any(s <= sp.start < e for s, e in regions) and not any(s <= sp.start < e for s, e in blocks)
                    and not _shouted(ctx, sp)):
                yield sp


# 'Timothy Adams (m), aged 42', 'WARTINI (f)', 'Ahmed Ali, aged 34', 'María López, de 23 años'
_MARKED = re.compile(
    rf"(?P<name>{_NAME})(?:\s*,?\s*\((?:m|f|h|male|female)\)|,\s*(?:aged|age|âgée?\s+de|de)\s+\d{{1,3}}\b(?!\s*(?:de\s+)?(?:"
    r"January|February|March|April|May|June|July|August|September|October|November|December|enero|febrero|marzo|abril|"
    r"mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janvier|février|mars|avril|mai|juin|juillet|août|"
    r"septembre|octobre|novembre|décembre)))")


@cache
def _concern_re() -> re.Pattern[str]:
    lead = "|".join(sorted(map(re.escape, _people_words()["concern_phrases"]), key=len, reverse=True))
    return re.compile(rf"(?i:{lead})\s+{_NAME_LIST}")


def concern(ctx: Context) -> Iterator[Span]:
    """'Amnesty International is concerned for the safety of Deepak Kumar Chaudhary': the UA's own
    statement of whom it is about."""
    for start, end in ctx.regions():
        for m in _concern_re().finditer(ctx.text, start, end):
            yield from (sp for sp in _names_in(ctx, m.start("list"), m.end("list"), "concern") if _plausible(ctx, sp))


def marked(ctx: Context) -> Iterator[Span]:
    """A name the text marks as a person: a gender mark or an age right after it."""
    for start, end in ctx.regions():
        for m in _MARKED.finditer(ctx.text, start, end):
            for sp in _names_in(ctx, m.start("name"), m.end("name"), "marked"):
                if _plausible(ctx, sp):
                    line = ctx.line_at(sp.start)
                    yield _subject(ctx, sp.start, sp.end, sp.value, "marked", ctx.text[sp.start:line.end])


def narrative(ctx: Context) -> Iterator[Span]:
    """Names next to role words ('human rights defender Narges Mohammadi') or risk verbs."""
    persons = [(s, e) for s, e, label in ctx.entities if label == "PERSON"]
    before, after, verbs = _trigger_res()
    for start, end in ctx.regions():
        for rx in (before, after, verbs):
            for m in rx.finditer(ctx.text, start, end):
                for sp in filter(lambda sp: _plausible(ctx, sp),
                                 _names_in(ctx, m.start("list"), m.end("list"), "narrative")):
                    # after a role word, a capitalised headline ("Activist Reports Ill-Treatment") looks
                    # like a name: keep it when the model finds that very name, it recurs, or there is
                    # no model
                    if rx is not before or not _headline(ctx.line_at(sp.start).text) or not ctx.entities \
                            or ctx.text.count(sp.text) >= 2 or any(
                            abs(s - sp.start) <= 1 and abs(e - sp.end) <= 1 for s, e in persons):
                        yield _with_cues(ctx, sp, "role" if rx is not verbs else "risk_verb")


def entities(ctx: Context) -> Iterator[Span]:
    """Every PERSON the statistical model found, with the cues of its context; the checks of
    ``_plausible`` and an official's title before it drop the ones that are not people at risk."""
    titles = tuple(_people_words()["title_words"])
    triggers = {t.lower() for t in _people_words()["subject_triggers"]}
    role_words = triggers | {t.split()[-1] for t in triggers}
    for ent_start, ent_end, label in ctx.entities:
        if label != "PERSON":
            continue
        # an entity across a line break runs two entries together ("'Awad bin Hubaysh\nFaysal")
        start, end = ent_start, ent_end
        cut = ctx.text.find("\n", start, end)
        if cut >= 0:
            end = cut
        if re.search(r"\b(?:in|at|from|near|to|en|à|au)\s+$", ctx.text[max(0, start - 6):start]):
            continue  # "arrested in Hai Phong": a place the model took for a person
        lead = re.match(r"(\S+)\s+", ctx.text[start:end])
        if lead and (lead.group(1).lower() in triggers or lead.group(1).lower().rstrip("s") in triggers
                     or _GERUND.fullmatch(lead.group(1))):
            start += lead.end()  # "Blogger Le Dinh Quang", "Noting Thomas Arthur": not part of the name
        as_found = clean_name(ctx.text[start:end])
        if not as_found or not _plausible(ctx, _subject(ctx, start, end, as_found, "entity")):
            continue
        prev = re.search(r"(?<![.!?:]\s)\b([A-ZÀ-ÞĀ-ſ][a-zà-ÿā-ſ]+)\s+$", ctx.text[max(0, start - 30):start])
        if (prev and clean_name(f"{prev.group(1)} {ctx.text[start:end]}") and prev.group(1).lower() not in role_words
                and not first_honorific(prev.group(1)) and prev.group(1).lower() not in titles
                and not _GERUND.fullmatch(prev.group(1))):
            start -= len(prev.group(0))  # "y Xinia Figueroa Morales": a given name the model left out
        preceding = ctx.text[max(0, start - 30):start].lower().rstrip()
        if any(preceding.endswith(t) for t in titles):
            continue  # "President Rodrigo Duterte": an official, not a person at risk
        name = clean_name(ctx.text[start:end])
        if name:
            sp = _subject(ctx, start, end, name, "entity")
            if _plausible(ctx, sp):
                yield _with_cues(ctx, sp)


_GERUND = re.compile(r"[A-Z][a-z]{3,}ing")  # "Noting", "Calling", "Urging" open a bullet, not a name


def _shouted(ctx: Context, sp: Span) -> bool:
    """A name read from an all-capitals headline ('LÍDERES QUE RECLAMAN TIERRAS') that the text never
    writes in ordinary case: headline words, not a person."""
    letters = [c for c in sp.text if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return False
    return sp.value not in ctx.text


def _with_cues(ctx: Context, sp: Span, *given: str) -> Span:
    """The context cues that say a loose candidate is a person at risk: a risk word in its
    sentence, a role word beside it, a place in the title, how often the text names them."""
    cues = list(given)
    sentence = _sentence(ctx.text, sp.start).lower()
    if any(w in sentence for w in _people_words()["risk_words"]):
        cues.append("risk_sentence")
    line = ctx.line_at(sp.start)
    if _in_title(ctx, sp.start) or (ctx.line_index_at(sp.start) < 3 and len(line.text) < 200):
        cues.append("title")  # not the first line of a page flattened into one
    if ctx.sections.kind_at(sp.start) == "letter":
        cues.append("letter")  # a sample letter names lawyers and officials too
    if _beside_role(ctx, sp):
        cues.append("role")
    if ctx.word_counts.get(name_key(sp.value.split()[-1]), 0) >= 2:
        cues.append("repeated")
    sp.attrs["cues"] = sorted(set(cues))
    return sp


def _beside_role(ctx: Context, sp: Span) -> bool:
    """'journalist Marcela Turati', 'Marfa Rabkova is a Belarusian human rights defender',
    'Luz Marina Hache, une défenseure ...': a role word right before or just after the name."""
    before_rx, after_rx = _role_res()
    return bool(before_rx.search(ctx.text, max(0, sp.start - 40), sp.start)
                or after_rx.match(ctx.text, sp.end, min(len(ctx.text), sp.end + 90)))


@cache
def _role_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    trig = "|".join(sorted((re.escape(t) for t in _people_words()["subject_triggers"]), key=len, reverse=True))
    before = re.compile(rf"\b(?:{trig})(?:e?s)?,?[ \t]*$", re.IGNORECASE)
    after = re.compile(rf"[ \t]*(?:\([^()]{{0,40}}\)[ \t]*)?,?[ \t]*(?:(?:is|was|has\s+been|es|est|fue)\s+)?"
                       rf"(?:(?:an?|the|un|una|une|el|la|le)\s+)?(?:[\w’'-]+\s+){{0,3}}?(?:{trig})", re.IGNORECASE)
    return before, after


_DEAD = re.compile(r"(?:killing|murder|assassination|death|funeral|shooting|execution)\b[^.()]{0,40}\bof\s+"
                   r"(?:[\w-]+,?\s+){0,4}$|"
                   r"(?:killed|murdered|assassinated)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


@cache
def _risk_or_role() -> frozenset[str]:
    return frozenset(_people_words()["risk_words"]) | {t.lower() for t in _people_words()["subject_triggers"]}


def _plausible(ctx: Context, sp: Span) -> bool:
    """Not a headline word pair ('Reports Ill-Treatment') and not someone the text says was killed:
    a UA is about people still at risk."""
    if any(tok.lower() in _risk_or_role() for tok in sp.value.split()):
        return False  # "Militia Abuses Journalist Prosper Ndoukassa": a headline around the name
    if sp.value.split()[0].lower() in ("rue", "avenue", "calle", "avenida", "boulevard", "plaza", "place", "street"):
        return False  # "Rue de la Régence 48": an address in a page footer
    if any(len(t) > 2 and t.endswith(".") for t in sp.value.split()[:-1]):
        return False  # "Myanmar. Une": a sentence boundary, not a name
    if any(re.search(r"[’']s$", t) for t in sp.value.split()):
        return False  # "Lebanon’s General Security": a possessive, not a name
    if re.search(r"\b(?:Radio|Télévision|TV|newspaper|daily|weekly|journal|magazine|station)\s+$",
                 ctx.text[max(0, sp.start - 25):sp.start], re.IGNORECASE):
        return False  # "Radio Feon’ny Atsinanana", "the daily X": a medium's name
    if sp.value[:1].islower():
        return False  # "al-Nahar al-Jadid": a newspaper; a person's name starts with a given name
    if re.search(r"\b(?:said|says|according\s+to|told)\s+$", ctx.text[max(0, sp.start - 20):sp.start]) or re.match(
            r",\s+(?:the\s+)?(?:\w+\s+){0,2}(?:Director|Secretary|spokesperson|researcher|Head|Chair)",
            ctx.text[sp.end:sp.end + 60]):
        return False  # "said Malcolm Hartley, Deputy Director of ...": a spokesperson, not a person at risk
    following = re.match(r"\s+(\w+)", ctx.text[sp.end:sp.end + 40])
    if following and following.group(1)[:1].isupper() and following.group(1).lower() in _people_words()["org_words"]:
        return False  # "Green Mekong" of "Green Mekong Youth": the start of an organisation's name
    if re.search(r"\b(?:in|at|from|near|across|throughout|en|à|au|aux|dans)\s+(?:the\s+|el\s+|la\s+|le\s+)?$",
                 ctx.text[max(0, sp.start - 16):sp.start], re.IGNORECASE):
        return False  # "in the North Caucasus", "arrested in Hai Phong": a place
    if _of_org_re().search(ctx.text, max(0, sp.start - 40), sp.start):
        return False  # "member of Diyarbakır HRA", "branch of ...": an organisation or a place
    if _KILLED_AFTER.match(ctx.text, sp.end, min(len(ctx.text), sp.end + 200)):
        return False  # "... Natalia Estemirova were among those who received such threats and were later killed"
    return not _DEAD.search(ctx.text[max(0, sp.start - 60):sp.start])


# the rest of the sentence says the person was killed or died
_KILLED_AFTER = re.compile(r"[^.;]*?\b(?:(?:was|were|had\s+been|has\s+been)\s+(?:later\s+|subsequently\s+|then\s+)?"
                           r"(?:killed|murdered|assassinated|shot\s+dead)|died)\b", re.IGNORECASE)


def _headline(line: str) -> bool:
    """Title Case Lines Like This One: capitalised words there say nothing about names."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", line) if len(w) > 3]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _sentence(text: str, pos: int) -> str:
    left = max(text.rfind(". ", 0, pos), text.rfind("\n\n", 0, pos))
    right_candidates = [i for i in (text.find(". ", pos), text.find("\n\n", pos)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1: right]


def _in_title(ctx: Context, pos: int) -> bool:
    return any(t.start <= pos < t.end for t in ctx.labelled("title"))
