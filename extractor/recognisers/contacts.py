"""A recipient block's contact fields: faxes and phones (E.164), emails, Twitter handles and the
salutation."""
from __future__ import annotations

import re
from collections.abc import Iterator

from extractor.normalise.phones import read_as_written
from extractor.recognisers.base import Context
from extractor.recognisers.recipient_blocks import Block, Seg, labels_in
from extractor.spans import Span

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


_TWITTER = re.compile(r"@\w{1,30}")


# Several numbers in one field: "+7499 265 90 77/ +7499 265 97 75", "202 467 9300 I 202 467 9366"
NUMBER_PART = re.compile(r"(?:[^|;/,]|/(?=\d))+?(?=\s+I\s+|\s+or\s+|[|;,]|/\s*(?:\+|\d{3})|$)")


def read_contacts(ctx: Context, block: Block, gid: int, attrs: dict[str, str], region: str | None) -> Iterator[Span]:
    for c in block.contacts:
        raw = ctx.text[c.start:c.end]
        for m in EMAIL.finditer(raw):
            yield ctx.span("recipient.email", c.start + m.start(), c.start + m.end(), "recipient.email", 0.95,
                           value=m.group(0), group=gid, attrs=dict(attrs))
        if c.kind in ("fax", "phone", "phonefax"):
            numbers = re.sub(r"\+\s+(?=\d)", lambda m: " " * (len(m.group(0)) - 1) + "+", EMAIL.sub(" ", raw))
            for part in NUMBER_PART.finditer(numbers):  # "+ 244 2 39 51 28": same length, offsets hold
                for num in read_as_written(part.group(0), region):
                    for kind in (("phone", "fax") if c.kind == "phonefax" else (c.kind,)):  # "Tel/Fax: ..."
                        yield ctx.span(f"recipient.{kind}", c.start + part.start(), c.start + part.end(),
                                       f"recipient.{c.kind}", 0.9, value=num.e164, group=gid,
                                       attrs={**attrs, "warning": num.warning})
        elif c.kind == "twitter":
            for m in _TWITTER.finditer(raw):
                yield ctx.span("recipient.twitter", c.start + m.start(), c.start + m.end(), "recipient.twitter",
                               0.9, value=m.group(0), group=gid, attrs=dict(attrs))
        elif c.kind == "salutation":
            value = salutation_text(raw)
            if not value:  # "Formule d'appel :" with the salutation on the next line
                nxt = ctx.lines[c.line + 1] if c.line + 1 < len(ctx.lines) else None
                if nxt is not None and 0 < len(nxt.stripped) < 80 and not labels_in(nxt.text):
                    c, raw = Seg(nxt.start, nxt.end, "salutation", c.line + 1), nxt.text
                    value = salutation_text(raw)
            if value:
                off = c.start + raw.find(value)
                yield ctx.span("recipient.salutation", off, off + len(value), "recipient.salutation", 0.95,
                               value=value, group=gid, attrs=dict(attrs))


def salutation_text(raw: str) -> str:
    value = raw.strip(" \t:,")
    if value.count("Dear ") > 1:  # a flattened page runs on into the letter: "Dear Ambassador Dear General X,"
        value = re.split(r"\s+(?=Dear\s)", value)[0]
    # a joined line: "Your Excellency PREFERRED LANGUAGE TO ADDRESS TARGET: Persian"
    value = re.split(r"\s+(?=[A-Z]{2,}(?:\s+[A-Z’']{2,})+\s*:)", value)[0].strip(" ,")
    if sum(ch.isdigit() for ch in value) >= 5:
        return ""  # '+251 11 551 7775': a column's number read where its salutation label is, no salutation
    if value.startswith("[") and value.endswith("]"):
        return ""  # '[for example Dear Minister]': a template's placeholder
    return value
