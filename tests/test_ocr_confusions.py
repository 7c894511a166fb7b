"""The reading view's OCR repairs (``extractor.ocr_confusions``): letters OCR or a typist puts for
digits, and digits for letters, read as what they stand for, at the same length."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractor.ocr_confusions import repair, repaired_count


@pytest.mark.parametrize(("written", "read"), [
    ("AMR 29/l2/88", "AMR 29/12/88"),
    ("l4 de abril de l988", "14 de abril de 1988"),
    ("(see UA 3l/79, AMR 52/06/79)", "(see UA 31/79, AMR 52/06/79)"),
    ("born in l9O5", "born in 1905"),
    ("AI lndex: AMR", "AI Index: AMR"),
    ("Ministro del lnterior", "Ministro del Interior"),
    ("Ernesto MENDlBURU Olazabal", "Ernesto MENDIBURU Olazabal"),
    ("after 23 Apri1 1979", "after 23 April 1979"),
    ("0ctober, JU1Y, Ju1y", "October, JULY, July"),
])
def test_confusions_are_read_as_what_they_stand_for(written, read):
    assert repair(written) == read
    assert repaired_count(written, repair(written)) == sum(a != b for a, b in zip(written, read, strict=True))


@pytest.mark.parametrize("text", [
    "I-95 runs north", "Route I 95", "3O March",  # an O beside one digit may be an ordinal: left to the date reader
    "MDE30/004/2012", "Covid19 and page1", "Il a dit", "Calle 10 No 4-12", "ALl", "I am 1 of 2",
])
def test_text_that_only_looks_confused_is_left_alone(text):
    assert repair(text) == text


@given(st.text(alphabet=st.sampled_from("lIO01923/.- aAbMRlnNDEJuly\n"), max_size=80))
def test_the_view_keeps_every_offset(text):
    assert len(repair(text)) == len(text)
