"""Two officials printed side by side and flattened row by row."""
from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from extractor.normalise.countries import address_country
from extractor.normalise.phones import to_e164
from extractor.patterns import Pattern
from extractor.recognisers.base import Context
from extractor.recognisers.contacts import EMAIL, NUMBER_PART, salutation_text
from extractor.recognisers.names import clean_name, strip_honorifics
from extractor.recognisers.recipient_blocks import SENTENCE, Seg, prose, segments, tail_after_sentences
from extractor.spans import Span

_EMBASSY_HONORIFICS = ("h.e.", "his excellency", "her excellency", "excellency", "ambassador")


_US_STYLE_ADDRESS = re.compile(
    r"\b\d{1,5}\s+[A-Z][^,]{2,40},(?:\s+[^,]{2,30},)?\s+[A-Z][A-Za-z .]+?\s+(?:[A-Z]{2}|D\.?C\.?)\s+\d{5}\b")


def side_by_side(ctx: Context, start: int, end: int, labels: list[Pattern], group: Iterator[int],
                  hint: str | None) -> list[Span]:
    """Two officials printed side by side and flattened row by row ('Police General Oscar Albayalde
    H.E. Jose Manuel G. Romualdez Chief, Philippine National Police Embassy of ...'). The cells can no
    longer be told apart, so only what can be attributed is read: the two names, each number by its
    country (the official's country or the embassy's), the embassy's street address and salutation."""
    segs = list(segments(ctx, start, end, labels))
    head = next((s for s in segs if s.kind == "text" and not prose(ctx.text[s.start:s.end].strip())), None)
    if head is None:
        return []
    if len(ctx.text[head.start:head.end]) > 150:  # instructions run into the names ('... Urgent Action 61.19. General')
        tail = tail_after_sentences(ctx, head)
        if tail is not None or SENTENCE.search(ctx.text[head.start:head.end]):
            head = tail
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
    embassy_country = address_country(address.group(0)) if address else None
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
            for part in NUMBER_PART.finditer(raw):
                for num in to_e164(part.group(0), embassy_country or hint):
                    owner = official if phonenumbers.parse(num).country_code == home_code else embassy
                    out.append(ctx.span(f"recipient.{seg.kind}", seg.start + part.start(), seg.start + part.end(),
                                        f"recipient.{seg.kind}", 0.7, value=num, group=owner, attrs=dict(attrs)))
        elif seg.kind == "email":
            for m in EMAIL.finditer(raw):
                owner = embassy if re.search(r"emb|mission", m.group(0).split("@")[-1], re.IGNORECASE) else official
                out.append(ctx.span("recipient.email", seg.start + m.start(), seg.start + m.end(), "recipient.email",
                                    0.7, value=m.group(0), group=owner, attrs=dict(attrs)))
        elif seg.kind == "salutation":
            value = salutation_text(raw)
            owner = embassy if re.search(r"ambassador|excellen", value, re.IGNORECASE) else official
            if value:
                off = seg.start + raw.find(value)
                out.append(ctx.span("recipient.salutation", off, off + len(value), "recipient.salutation", 0.8,
                                    value=value, group=owner, attrs=dict(attrs)))
    return out


def _two_names(ctx: Context, seg: Seg) -> tuple[tuple[int, int, str | None], tuple[int, int, str | None]] | None:
    """'Police General Oscar Albayalde H.E. Jose Manuel G. Romualdez ...': two titled names in a row."""
    text = ctx.text[seg.start:seg.end].rstrip()  # offsets below count from the end of this text
    found: list[tuple[int, int, str | None]] = []
    pos = 0
    for _ in range(2):
        if pos and (text[:pos].rstrip().endswith((",", ";")) or text[pos:].lstrip(" \t").startswith((",", ";"))):
            return None  # 'Ms Ruth Adler, Director, Legal Aid ...': one official and her title, not two in a row
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
