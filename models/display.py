"""What every view of a record shares: one colour per field, and the characters never shown raw.

Used by the HTML view (``models.html``, notebooks) and the terminal view (``extractor.show``), so a
field has the same colour everywhere and the same characters are neutralised everywhere.
"""
from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable

__all__ = ["FIELD_COLOURS", "OTHER_COLOUR", "UNSAFE", "box_rgb", "escape_char", "evidence_context", "field_colour",
           "field_group", "legend", "visible"]

#: Background colour per top-level field (the part of an evidence path before '.' or '['): one
#: colour each, the same in the terminal, the HTML view and on page images (``box_rgb``: the same hue,
#: darker). Pale tints (lightness 0.8) of hues 24 degrees apart, ordered so fields that often share a
#: line (the AI index and the country read from it, the UA number and the kind) sit far apart; no two
#: merge when rich downgrades them for a 256-colour terminal (tests/test_display.py).
FIELD_COLOURS: dict[str, str] = {
    "kind": "#d0d0d0", "language": "#ff99c2", "ua_series": "#ebff99", "ua_number": "#ffeb99",
    "update_number": "#eb99ff", "ai_index": "#99c2ff", "issue_date": "#99ff99", "appeal_deadline": "#ff9999",
    "title": "#c299ff", "country": "#ffc299", "country_code": "#c2ff99", "subjects": "#ff99eb",
    "recipients": "#99ebff", "related_ua_numbers": "#99ffc2", "dates": "#99ffeb",
}
OTHER_COLOUR = "#e0e0e0"

#: C0 controls except tab and newline, DEL, C1 controls, and the bidi controls: embeddings and
#: overrides (U+202A-U+202E), isolates (U+2066-U+2069) and the marks (U+200E, U+200F, U+061C).
#: ESC can drive a terminal; a right-to-left override reorders what an analyst reads.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def field_group(field: str) -> str:
    """``recipients[0].fax[1]`` -> ``recipients``."""
    for i, ch in enumerate(field):
        if ch in ".[":
            return field[:i]
    return field


def field_colour(field: str) -> str:
    return FIELD_COLOURS.get(field_group(field), OTHER_COLOUR)


def legend(fields: Iterable[str]) -> list[tuple[str, str]]:
    """(top-level field, colour) for each field group among ``fields`` (evidence paths), in the
    record's field order: what a legend beside a highlighted view lists."""
    groups = {field_group(f) for f in fields}
    known = [g for g in FIELD_COLOURS if g in groups]
    return [(g, FIELD_COLOURS[g]) for g in known] + [(g, OTHER_COLOUR) for g in sorted(groups - set(known))]


def evidence_context(text: str, start: int, end: int) -> str:
    """The whole line(s) of ``text`` around ``[start, end)``, whitespace collapsed: for evidence whose
    own span is not the value itself (``kind`` points at the number of the 'UA 57/16' label that
    decided it), this shows the words that decided it."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return " ".join(text[a:b if b != -1 else len(text)].split())


def box_rgb(field: str) -> tuple[int, int, int]:
    """The field's colour for outlines on a page image: its hue, saturated and darkened (the pale
    background would vanish on paper, and simply darkening pales makes them all olive)."""
    hex_ = field_colour(field).lstrip("#")
    r, g, b = (int(hex_[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    rgb = colorsys.hls_to_rgb(h, 0.38, 0.9 if s > 0.05 else 0.0)
    return tuple(round(c * 255) for c in rgb)  # type: ignore[return-value]


def visible(text: str) -> str:
    """``text`` with each unsafe character written as its Python escape (ESC -> ``\\x1b``, RLO ->
    ``\\u202e``), so it is seen and cannot act. The length changes; views that keep offsets (the
    terminal) replace one for one instead."""
    return UNSAFE.sub(lambda m: escape_char(m.group()), text)


def escape_char(ch: str) -> str:
    """One character as its Python escape: ESC -> ``\\x1b``, U+202E -> ``\\u202e``."""
    c = ord(ch)
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
