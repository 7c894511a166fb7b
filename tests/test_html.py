"""models.html.record_html: everything from a document is escaped; highlights sit at the evidence offsets."""
from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from conftest import SAMPLES

from extractor.api import extract_text
from extractor.show import source_text
from models import Evidence, Recipient, Source, Subject, UrgentAction
from models.html import RecordView, evidence_segments, record_html, record_view

HOSTILE = """PUBLIC AI Index: ASA 33/040/2003

UA 212/03 Fear of torture <script>alert(1)</script> [bold red]boom[/] 18 July 2003

PAKISTAN Farooq Baloch (m), aged 34, journalist
Nasreen Bibi (f), aged 41, <img src=x onerror=alert(1)>

He wrote "<a href='javascript:alert(1)'>click</a>" & left. </pre></div><script>alert(2)</script>
"""

#: every tag record_html itself writes; anything else in the output came from a document
OWN_TAGS = {"style", "div", "h4", "table", "tr", "th", "td", "span", "pre", "mark", "br", "ol", "li", "p"}


class Tags(HTMLParser):
    """Collects tags and attributes, and for <pre class="ua-text"> the text with each <mark>'s offsets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.in_pre = False
        self.pre_text: list[str] = []
        self.marks: list[tuple[int, int, str, str]] = []  # start, end, data-fields, title
        self._mark: tuple[int, str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        a = dict(attrs)
        if tag == "pre" and a.get("class") == "ua-text":
            self.in_pre = True
        elif tag == "mark" and self.in_pre:
            self._mark = (self.pos, a.get("data-fields") or "", a.get("title") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.in_pre = False
        elif tag == "mark" and self._mark:
            start, fields, title = self._mark
            self.marks.append((start, self.pos, fields, title))
            self._mark = None

    def handle_data(self, data: str) -> None:
        if self.in_pre:
            self.pre_text.append(data)

    @property
    def pos(self) -> int:
        return sum(len(t) for t in self.pre_text)


def parse(snippet: str) -> Tags:
    p = Tags()
    p.feed(snippet)
    p.close()
    return p


@pytest.fixture(scope="module")
def hostile(settings) -> UrgentAction:
    return extract_text(HOSTILE, path="hostile.txt", settings=settings)


def test_document_markup_is_shown_as_text(hostile: UrgentAction) -> None:
    assert "<script>" in (hostile.title or "")  # the hostile markup reached an extracted value too
    out = record_html(hostile, HOSTILE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "<script" not in out.lower() and "<img" not in out.lower() and "<a " not in out.lower()
    assert "[bold red]boom[/]" in out  # not markup in HTML either: shown as is
    tags = parse(out).tags
    assert {t for t, _ in tags} <= OWN_TAGS
    assert not [(t, k) for t, attrs in tags for k, _ in attrs if k.lower().startswith("on") or k == "href"]


def test_hostile_text_round_trips_exactly(hostile: UrgentAction) -> None:
    p = parse(record_html(hostile, HOSTILE))
    assert "".join(p.pre_text) == HOSTILE  # escaped on the way out, identical once unescaped


def test_values_and_evidence_are_escaped_in_attributes_and_cells() -> None:
    evil = '"><script>alert(1)</script>'
    text = f"UA 1/23 {evil} end"
    start = text.index(evil)
    rec = UrgentAction(
        source=Source(path=f"x{evil}.txt", sha256="0" * 64, media_type="text/plain", chars=len(text)),
        kind="urgent_action", language="en", ua_number="1/23", title=evil, country=evil,
        subjects=[Subject(name=evil, description=evil)],
        recipients=[Recipient(role="addressee", name=evil, address_lines=[evil], email=[evil], salutation=evil)],
        warnings=[evil],
        evidence=[Evidence(field=f"title{evil}", start=start, end=start + len(evil), text=evil, rule=evil, score=0.5)],
    )
    for snippet in (record_html(rec, text), record_html(rec), rec._repr_html_()):
        assert "<script" not in snippet and '"><script' not in snippet
        assert html.escape(evil, quote=True) in snippet
        assert {t for t, _ in parse(snippet).tags} <= OWN_TAGS
    p = parse(record_html(rec, text))
    assert [(s, e) for s, e, _, _ in p.marks] == [(start, start + len(evil))]
    assert p.marks[0][3].startswith(f"title{evil} ({evil}")  # the attribute holds the value, unescaped by the parser


def test_repr_html_without_text_has_fields_and_evidence_but_no_source(hostile: UrgentAction) -> None:
    out = hostile._repr_html_()
    assert 'class="ua-fields"' in out and 'class="ua-evidence"' in out and "<pre" not in out
    assert "212/03" in out and "ASA 33/040/2003" in out
    view = record_view(hostile, HOSTILE)
    assert isinstance(view, RecordView) and view._repr_html_() == record_html(hostile, HOSTILE)


@pytest.mark.parametrize("name", ["ua-212-03-asa330402003.pdf", "ua-057-16-eur4636432016.txt"])
def test_highlights_sit_exactly_at_the_evidence_offsets(name: str, settings) -> None:
    from extractor.api import extract

    rec = extract(str(SAMPLES / name), settings)
    text = source_text(rec)
    assert rec.evidence
    p = parse(record_html(rec, text))
    assert "".join(p.pre_text) == text
    by_field: dict[str, set[int]] = {}
    for ev in rec.evidence:
        by_field.setdefault(ev.field, set()).update(range(ev.start, ev.end))
    marked: dict[str, set[int]] = {}
    for start, end, fields, _title in p.marks:
        assert start < end
        for f in fields.split(" "):
            marked.setdefault(f, set()).update(range(start, end))
    assert marked == by_field  # every evidence highlighted, nothing else
    first = next(e for e in rec.evidence if e.field == "ua_number")
    assert text[first.start:first.end] == first.text


def test_overlapping_spans_split_at_boundaries() -> None:
    text = "abcdefghij"
    a = Evidence(field="a", start=0, end=6, text="abcdef", rule="r", score=1.0)
    b = Evidence(field="b", start=3, end=9, text="defghi", rule="r", score=1.0)
    bad = Evidence(field="c", start=2, end=4, text="zz", rule="r", score=1.0)  # does not match the text
    pieces, unplaced = evidence_segments([a, b, bad], text)
    assert [(p.start, p.end, [e.field for e in p.evidence]) for p in pieces] == [
        (0, 3, ["a"]), (3, 6, ["a", "b"]), (6, 9, ["b"])]
    assert unplaced == [bad]


def test_evidence_that_does_not_fit_the_text_is_reported_not_highlighted(hostile: UrgentAction) -> None:
    out = record_html(hostile, "something else entirely")
    assert "do not match this text" in out and "<mark" not in out


# ---- control and bidi characters (issue 13): shown as visible escapes, never passed through

CONTROLS = "\x1b[2J\x07\u202e\u2066\u200f\x85"
HOSTILE_CONTROLS = f"""PUBLIC AI Index: ASA 33/040/2003

UA 212/03 Fear of torture {CONTROLS}evil txt.exe 18 July 2003

PAKISTAN Farooq Baloch{CONTROLS} (m), aged 34, journalist
"""


def test_control_and_bidi_characters_never_reach_the_html(settings) -> None:
    from models.display import UNSAFE

    rec = extract_text(HOSTILE_CONTROLS, path=f"ua{CONTROLS}.txt", settings=settings)
    assert CONTROLS in (rec.title or "") + rec.source.path  # they reached the record's values
    for out in (rec._repr_html_(), record_html(rec, HOSTILE_CONTROLS), str(record_view(rec, HOSTILE_CONTROLS))):
        assert not UNSAFE.search(out), [hex(ord(c)) for c in UNSAFE.findall(out)]
        for shown in ("\\x1b", "\\x07", "\\u202e", "\\u2066", "\\u200f", "\\x85"):
            assert shown in out
        assert '<span class="ua-ctrl" title="U+202E">\\u202e</span>' in out
    # the highlights still sit on the right text: the marked slices are the evidence texts, made visible
    p = parse(record_html(rec, HOSTILE_CONTROLS))
    pre = "".join(p.pre_text)
    assert "Fear of torture \\x1b[2J\\x07\\u202e" in pre and "\x1b" not in pre


def test_attributes_make_controls_visible_without_markup() -> None:
    text = "UA 1/23 x"
    rec = UrgentAction(
        source=Source(path="x.txt", sha256="0" * 64, media_type="text/plain", chars=len(text)),
        kind="urgent_action", language="en", ua_number="1/23",
        evidence=[Evidence(field="ua_number", start=3, end=7, text="1/23", rule="r\u202e1", score=1.0)])
    out = record_html(rec, text)
    assert 'title="ua_number (r\\u202e1, 1.00)"' in out and "\u202e" not in out
