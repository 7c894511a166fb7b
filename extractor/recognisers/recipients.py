"""Addressees and copies-to: blocks of name, title, organisation, address lines and contacts.

The segmenting stage finds the addressee and copy sections; here they are cut into blocks
(``recipient_blocks``), each block's head read as name, title, organisation and address
(``recipient_head``) and its contact fields read (``contacts``). Officials printed side by side
and flattened row by row have their own reader (``side_by_side``).
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from extractor.normalise.countries import address_country, resolve_country
from extractor.patterns import load_patterns
from extractor.recognisers.base import Context
from extractor.recognisers.contacts import read_contacts
from extractor.recognisers.recipient_blocks import (
    Block,
    letter_head_regions,
    place_line,
    prose_blocks,
    read_blocks,
    salutation_regions,
)
from extractor.recognisers.recipient_head import read_head
from extractor.recognisers.side_by_side import side_by_side
from extractor.segment import GUTTER, columns_run_together
from extractor.spans import Span


def recipients(ctx: Context) -> Iterator[Span]:
    labels = load_patterns("recipients")["contact_label"]
    regions = [(sec.start, sec.end, sec.role or "addressee", sec.rule.replace("section.", "recipients."))
               for sec in ctx.sections.of("addressees", "copies") if sec.end > sec.start]
    regions += salutation_regions(ctx, regions, labels)
    if not any(role == "addressee" for _, _, role, _ in regions):  # copies alone: the letter names the addressee
        regions += [r for r in letter_head_regions(ctx) if not any(s < r[1] and r[0] < e for s, e, _, _ in regions)]
    regions.sort()
    mixed = columns_run_together(ctx.text)
    if mixed and regions:
        ctx.notes.append("layout: the text reads as two columns run together line by line; recipients whose lines "
                         "mix both columns were left out, so some may be missing")
    country_hint = ctx.best("country")
    hint = country_hint.value[1] if country_hint and country_hint.score >= 0.8 else None
    group = itertools.count()
    tables = False
    for start, end, role, rule in regions:
        pair = side_by_side(ctx, start, end, labels, group, hint)
        if pair:
            yield from pair
            continue
        local = _readers_country(ctx, start) if role == "copy" else None
        blocks = prose_blocks(ctx, start, end, role) if rule.endswith("_in_a_sentence") else \
            read_blocks(ctx, start, end, role, labels)
        for block in blocks:
            if mixed and any(GUTTER.search(ctx.line_at(t.start).text.strip()) for t in block.texts):
                continue  # 'Rudo Chiweshe was released on 9 April on a   Commissioner of Police': both columns
            if any(_TABLE_ROW.search(ctx.line_at(t.start).text) for t in block.texts):
                tables = True  # '│Abdelbasit Hamad el-Nur │Ministry of Justice │+249 11 788 941 │': cells of a row
                continue  # side by side, each wrapped in its column: which line goes with which cannot be told
            spans = list(_read_block(ctx, block, next(group), rule, hint, local))
            head = next((s for s in spans if s.label in ("recipient.name", "recipient.organization", "recipient.title")), None)
            if head and _PUBLISHER.match(str(head.value or "")):
                continue  # 'Amnesty International Sénégal · Sacré-Cœur 3, ... · Tél': the publisher's contact, no recipient
            if head and head.label != "recipient.name" and _TWO_SENTENCES.search(str(head.value or "")):
                continue  # "Stall at the Freshers' Fair? No - that's September. ...": a comment, not an office
            located = any(s.label == "recipient.address" and (re.search(r"\d", s.text) or place_line(s.text + ",")
                          or address_country(s.text)) for s in spans)
            # a labelled contact counts even where its number could not be read ('Fax: 020 ...' of an embassy)
            if (located or block.contacts or any(s.label in ("recipient.fax", "recipient.phone", "recipient.email",
                               "recipient.salutation") for s in spans)) and any(
                    s.label in ("recipient.name", "recipient.organization", "recipient.title") for s in spans):
                yield from spans
    if tables:
        ctx.notes.append("layout: recipients set out in a table (cells side by side, each wrapped in its column) "
                         "were not read, so some are missing")


# a table's row of three cells or more ('│Name │Address │Fax │', '| Minister | PO Box 1 | +249 ... |')
_TABLE_ROW = re.compile(r"[│┃|][^│┃|\n]*\S[^│┃|\n]*[│┃|][^│┃|\n]*\S[^│┃|\n]*[│┃|]")
# a comment or a sentence where an office should be: two sentences (not "Excmo. Sr. Embajador"), or a verb
_TWO_SENTENCES = re.compile(r"[a-z]{3,}[.!?]\s+[A-Z][a-z]+[\s-]+[a-z]|\b(?:are|is|were|was|have|has|they|you|we)\b")
_PUBLISHER = re.compile(r"(?:Amnesty\s+International|Amnist[ií]a\s+Internacional|Amnistie\s+internationale)\b", re.IGNORECASE)


def _readers_country(ctx: Context, start: int) -> str | None:
    """The reader's country a copies heading names ('In Australia, please also send copies to:', 'Pour la
    France :'): its national numbers are dialled there."""
    line = ctx.text[ctx.text.rfind("\n", 0, max(start - 1, 0)) + 1:start]
    for pat in load_patterns("recipients")["readers_country"]:
        m = pat.regex.search(line)
        hit = resolve_country(m.group("country").strip()) if m else None
        if hit:
            return hit[1]
    return None


def _read_block(ctx: Context, block: Block, gid: int, rule: str, hint: str | None,
                readers: str | None = None) -> Iterator[Span]:
    attrs = {"role": block.role}
    if block.texts:
        first, last = block.texts[0], (block.contacts or block.texts)[-1]
        yield ctx.span("recipient_block", first.start, last.end, rule, 0.9, group=gid, attrs=dict(attrs))
    head = list(read_head(ctx, block, gid, attrs, hint))
    yield from head
    country = next((s.value for s in head if s.label == "recipient.country"), None)
    # a copy goes to an embassy in the reader's country, not to the UA's: a national number there takes the
    # block's own country, or the one its heading names ('In Australia, ...'), or none (left out), never the UA's
    yield from read_contacts(ctx, block, gid, attrs, country or (hint if block.role != "copy" else readers))
