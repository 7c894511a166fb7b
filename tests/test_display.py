"""models.display: one colour per field, distinct everywhere it is shown (issue 14)."""
from __future__ import annotations

import itertools

from rich.color import Color, ColorSystem

from models.display import FIELD_COLOURS, box_rgb, evidence_context, legend
from models.record import EVIDENCE_FIELDS


def test_every_field_has_its_own_colour() -> None:
    assert set(FIELD_COLOURS) == set(EVIDENCE_FIELDS)
    assert len(set(FIELD_COLOURS.values())) == len(FIELD_COLOURS)
    assert FIELD_COLOURS["ai_index"] != FIELD_COLOURS["country"]
    assert FIELD_COLOURS["kind"] != FIELD_COLOURS["ua_number"]


def test_colours_stay_distinct_on_a_256_colour_terminal() -> None:
    downgraded = {Color.parse(c).downgrade(ColorSystem.EIGHT_BIT).number for c in FIELD_COLOURS.values()}
    assert len(downgraded) == len(FIELD_COLOURS)


def test_page_outline_colours_are_distinct() -> None:
    boxes = {f: box_rgb(f) for f in FIELD_COLOURS}
    closest = min(sum((x - y) ** 2 for x, y in zip(boxes[a], boxes[b])) ** 0.5
                  for a, b in itertools.combinations(boxes, 2))
    assert closest > 40


def test_legend_lists_each_group_once_in_record_order() -> None:
    assert legend(["recipients[0].fax", "ua_number", "recipients[1]", "ai_index"]) == [
        ("ua_number", FIELD_COLOURS["ua_number"]), ("ai_index", FIELD_COLOURS["ai_index"]),
        ("recipients", FIELD_COLOURS["recipients"])]


def test_evidence_context_is_the_line() -> None:
    text = "head\nUA 57/16   Fear of torture\nnext"
    start = text.index("57/16")
    assert evidence_context(text, start, start + 5) == "UA 57/16 Fear of torture"
