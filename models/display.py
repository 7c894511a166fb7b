"""What every view of a record shares: one colour per field, and the characters never shown raw.

Used by the HTML view (``models.html``, notebooks) and the terminal view (``extractor.show``), so a
field has the same colour everywhere and the same characters are neutralised everywhere.
"""
from __future__ import annotations

import re

__all__ = ["FIELD_COLOURS", "OTHER_COLOUR", "UNSAFE", "box_rgb", "escape_char", "field_colour", "field_group", "visible"]

#: Background colour per top-level field (the part of an evidence path before '.' or '[').
FIELD_COLOURS: dict[str, str] = {
    "ua_number": "#ffe08a", "ua_series": "#ffe08a", "kind": "#ffe08a", "update_number": "#ffe08a",
    "ai_index": "#b8e0ff", "issue_date": "#c8f0c0", "appeal_deadline": "#ffc8c8", "title": "#e6d8ff",
    "country": "#ffd8b0", "country_code": "#ffd8b0", "subjects": "#ffb8e8", "recipients": "#d8f4f4",
    "related_ua_numbers": "#f0e8a0",
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


def box_rgb(field: str) -> tuple[int, int, int]:
    """The field's colour darkened for outlines on a page image (the pale fill would vanish on paper)."""
    hex_ = field_colour(field).lstrip("#")
    return tuple(int(int(hex_[i:i + 2], 16) * 0.6) for i in (0, 2, 4))  # type: ignore[return-value]


def visible(text: str) -> str:
    """``text`` with each unsafe character written as its Python escape (ESC -> ``\\x1b``, RLO ->
    ``\\u202e``), so it is seen and cannot act. The length changes; views that keep offsets (the
    terminal) replace one for one instead."""
    return UNSAFE.sub(lambda m: escape_char(m.group()), text)


def escape_char(ch: str) -> str:
    """One character as its Python escape: ESC -> ``\\x1b``, U+202E -> ``\\u202e``."""
    c = ord(ch)
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
