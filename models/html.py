"""A record as a self-contained HTML snippet, for notebooks (``UrgentAction._repr_html_``) and reports.

Everything that comes from a document (its text, extracted values, evidence) is escaped with
``html.escape(..., quote=True)``, so a document that contains markup shows that markup as text.
This module knows nothing of the extractor: a caller that wants the source text highlighted passes
the text in (``record_html(record, text)``; ``extractor.document_text(record)`` re-reads it).

    >>> from IPython.display import HTML, display          # doctest: +SKIP
    >>> display(HTML(record_html(record, text)))           # doctest: +SKIP
    >>> record_view(record, text)                          # doctest: +SKIP  (same, as a cell's value)
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from models.display import UNSAFE, escape_char, evidence_context, field_colour, field_group, legend, visible

if TYPE_CHECKING:  # record.py imports this module at run time; these names are only annotations here
    from models.record import Evidence, Recipient, UrgentAction

__all__ = ["RecordView", "agreement_html", "evidence_segments", "html_text", "legend_html", "record_html",
           "record_view"]

_ITEM = re.compile(r"^\w+\[\d+\]$")

# Scoped under .ua-record with a type selector more than Jupyter's own table rules (JupyterLab and
# nbconvert right-align cells and fix the table layout, which squeezes columns until words break), so
# the view reads the same in the notebook and in exported HTML. The source text has no height limit:
# a scroll box would hide the highlights below its first screen in exported HTML.
_STYLE = """<style>
.ua-record{font-family:system-ui,sans-serif;font-size:13px;line-height:1.4;max-width:100%}
.ua-record table{border-collapse:collapse;margin:4px 0 12px 0;table-layout:auto;width:auto}
.ua-record table th,.ua-record table td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top;
 white-space:normal;word-break:normal;overflow-wrap:normal;hyphens:none}
.ua-record table th{background:#f4f4f4;white-space:nowrap}
.ua-record table td.ua-nowrap{white-space:nowrap}
.ua-record .ua-empty{color:#999}
.ua-record .ua-warn{color:#a05000}
.ua-record .ua-ok{color:#060}
.ua-record .ua-wrong{color:#b00;font-weight:bold}
.ua-record .ua-how{color:#555;font-size:11px;white-space:nowrap}
.ua-record pre.ua-text{white-space:pre-wrap;word-break:normal;overflow-wrap:break-word;border:1px solid #ddd;
 padding:8px;font-size:12px;background:#fff;color:#000;text-align:left}
.ua-record mark{padding:0;border-radius:2px;color:inherit}
.ua-record mark.ua-nested{box-shadow:inset 0 -2px 0 #555}
.ua-record .ua-legend span{display:inline-block;padding:0 4px;margin:0 4px 2px 0;border-radius:2px}
.ua-record .ua-ctrl{color:#b00;background:#fee;font-family:monospace}
</style>"""


def _e(value: Any) -> str:
    """Escape anything for HTML text (attributes: ``_attr``); control and bidi characters become
    visible escapes (``\\u202e``) in a marked span, so they can neither act nor reorder what is read."""
    s = "" if value is None else str(value)
    if not UNSAFE.search(s):
        return html.escape(s, quote=True)
    out: list[str] = []
    pos = 0
    for m in UNSAFE.finditer(s):
        out.append(html.escape(s[pos:m.start()], quote=True))
        out.append(f'<span class="ua-ctrl" title="U+{ord(m.group()):04X}">{escape_char(m.group())}</span>')
        pos = m.end()
    out.append(html.escape(s[pos:], quote=True))
    return "".join(out)


def html_text(value: Any) -> str:
    """Any value (a path, a reason) as safe HTML text: escaped, control and bidi characters made visible."""
    return _e(value)


def _attr(value: Any) -> str:
    """For attribute values: the same escapes, without markup (a span cannot sit in an attribute)."""
    return html.escape(visible("" if value is None else str(value)), quote=True)


def _cell(value: Any) -> str:
    if value is None or value == [] or value == "":
        return '<span class="ua-empty">&mdash;</span>'
    if isinstance(value, (list, tuple)):
        return "<br>".join(_e(v) for v in value)
    return _e(value)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    evidence: tuple[Evidence, ...]  # covering evidence, narrowest first


def evidence_segments(evidence: Iterable[Evidence], text: str) -> tuple[list[_Span], list[Evidence]]:
    """Split ``text`` at every evidence boundary so overlapping spans become disjoint pieces, each
    with the evidence covering it (narrowest first). Returns (covered pieces, evidence that could not
    be placed: empty, out of range, or whose ``text`` differs from the slice it points at)."""
    placed: list[Evidence] = []
    unplaced: list[Evidence] = []
    order: dict[int, int] = {}
    for i, ev in enumerate(evidence):
        order[id(ev)] = i
        if 0 <= ev.start < ev.end <= len(text) and text[ev.start:ev.end] == ev.text:
            placed.append(ev)
        else:
            unplaced.append(ev)
    cuts = sorted({0, len(text), *(e.start for e in placed), *(e.end for e in placed)})
    pieces: list[_Span] = []
    for a, b in pairwise(cuts):
        covering = [e for e in placed if e.start <= a and e.end >= b]
        if covering:
            # narrowest first; on equal spans the value cited first (the AI index before the country
            # read from its code) is the one shown, as in the terminal view
            covering.sort(key=lambda e: (e.end - e.start, order[id(e)]))
            pieces.append(_Span(a, b, tuple(covering)))
    return pieces, unplaced


def _highlighted(text: str, pieces: list[_Span]) -> str:
    out: list[str] = []
    pos = 0
    for p in pieces:
        if p.start > pos:
            out.append(_e(text[pos:p.start]))
        labels = "; ".join(f"{e.field} ({e.rule}, {e.score:.2f})" for e in p.evidence)
        fields = " ".join(dict.fromkeys(e.field for e in p.evidence))
        cls = ' class="ua-nested"' if len(p.evidence) > 1 else ""
        top = p.evidence[0].field
        # a whole list item (recipients[0]) is shaded lightly so the values inside it stand out
        bg = field_colour(top) + ("55" if _ITEM.match(top) else "")
        out.append(f'<mark{cls} style="background:{bg}" title="{_attr(labels)}" '
                   f'data-fields="{_attr(fields)}">{_e(text[p.start:p.end])}</mark>')
        pos = p.end
    out.append(_e(text[pos:]))
    return "".join(out)


def _how(rec: UrgentAction, path: str) -> str:
    """The rule, score and offsets of the evidence for exactly ``path``, visible without hovering."""
    evs = [e for e in rec.evidence if e.field == path]
    if not evs:
        return '<span class="ua-empty">&mdash;</span>'
    return "<br>".join(f'<span class="ua-how">{_e(e.rule)} {e.score:.2f} @{e.start}&ndash;{e.end}</span>'
                       for e in evs)


def _recipient_rows(rec: UrgentAction, i: int, r: Recipient) -> str:
    parts = [("role", r.role), ("name", r.name), ("title", r.title), ("organization", r.organization),
             ("address_lines", r.address_lines), ("country", r.country), ("fax", r.fax), ("phone", r.phone),
             ("email", r.email), ("twitter", r.twitter), ("salutation", r.salutation)]
    rows = "".join(f"<tr><th>{k}</th><td>{_cell(v)}</td><td>{_how(rec, f'recipients[{i}].{k}')}</td></tr>"
                   for k, v in parts if v not in (None, [], ""))
    return f"<table>{rows}</table>"


def _swatch(field: str, label: str | None = None) -> str:
    return f'<span style="background:{field_colour(field)}">{_e(label or field)}</span>'


def _fields_table(rec: UrgentAction) -> str:
    src = rec.source
    scalars: list[tuple[str, Any]] = [
        ("kind", rec.kind), ("language", rec.language), ("ua_series", rec.ua_series),
        ("ua_number", rec.ua_number), ("update_number", rec.update_number), ("ai_index", rec.ai_index),
        ("issue_date", rec.issue_date), ("appeal_deadline", rec.appeal_deadline), ("title", rec.title),
        ("country", rec.country), ("country_code", rec.country_code),
    ]
    source = f"{src.path} ({src.media_type}, {src.chars} chars" + (f", {src.pages} pages)" if src.pages is not None
                                                                     else ")")
    rows = ['<tr><th>field</th><th>value</th><th>rule, score, offsets</th></tr>',
            f'<tr><th>source</th><td colspan="2" data-field="source">{_e(source)}</td></tr>']
    rows += [f'<tr><th>{_swatch(name)}</th><td data-field="{name}">{_cell(value)}</td><td>{_how(rec, name)}</td></tr>'
             for name, value in scalars]
    if rec.subjects:
        subj = "".join(f"<tr><td>{_cell(s.name)}</td><td>{_cell(s.gender)}</td><td>{_cell(s.description)}</td>"
                       f"<td>{_how(rec, f'subjects[{i}].name')}</td></tr>" for i, s in enumerate(rec.subjects))
        subj_html = f"<table><tr><th>name</th><th>gender</th><th>description</th><th>rule</th></tr>{subj}</table>"
    else:
        subj_html = _cell(None)
    rows.append(f'<tr><th>{_swatch("subjects", f"subjects ({len(rec.subjects)})")}</th>'
                f'<td data-field="subjects" colspan="2">{subj_html}</td></tr>')
    recips = "".join(f"<li>{_recipient_rows(rec, i, r)}</li>" for i, r in enumerate(rec.recipients))
    rows.append(f'<tr><th>{_swatch("recipients", f"recipients ({len(rec.recipients)})")}</th>'
                f'<td data-field="recipients" colspan="2">'
                + (f'<ol style="margin:0;padding-left:1.5em">{recips}</ol>' if recips else _cell(None)) + "</td></tr>")
    related = "<br>".join(f"{_e(n)} {_how(rec, f'related_ua_numbers[{i}]')}"
                          for i, n in enumerate(rec.related_ua_numbers)) or _cell(None)
    rows.append(f'<tr><th>{_swatch("related_ua_numbers")}</th><td data-field="related_ua_numbers" colspan="2">'
                f"{related}</td></tr>")
    warn = "<br>".join(f'<span class="ua-warn">{_e(w)}</span>' for w in rec.warnings) or _cell(None)
    rows.append(f'<tr><th>warnings ({len(rec.warnings)})</th><td data-field="warnings" colspan="2">{warn}</td></tr>')
    return '<table class="ua-fields">' + "".join(rows) + "</table>"


def _evidence_table(rec: UrgentAction, text: str | None) -> str:
    if not rec.evidence:
        return '<p class="ua-empty">no evidence</p>'
    head = "".join(f"<th>{h}</th>" for h in ("field", "text", "rule", "score", "start&ndash;end", "page", "bbox"))
    rows = []
    for ev in rec.evidence:
        bbox = ", ".join(f"{v:g}" for v in ev.bbox) if ev.bbox else None
        shown = _cell(ev.text)
        if field_group(ev.field) == "kind" and text is not None and text[ev.start:ev.end] == ev.text:
            # kind is decided by a label ('UA 57/16') whose span is the number: show its line
            shown = f"{_e(evidence_context(text, ev.start, ev.end))}<br><span class=\"ua-how\">at {_e(ev.text)}</span>"
        rows.append(f'<tr><td class="ua-nowrap">{_swatch(ev.field)}</td>'
                    f'<td>{shown}</td><td class="ua-nowrap">{_e(ev.rule)}</td><td>{ev.score:.2f}</td>'
                    f'<td class="ua-nowrap">{ev.start}&ndash;{ev.end}</td><td>{_cell(ev.page)}</td>'
                    f'<td class="ua-nowrap">{_cell(bbox)}</td></tr>')
    return f'<table class="ua-evidence"><tr>{head}</tr>{"".join(rows)}</table>'


def legend_html(fields: Iterable[str]) -> str:
    """A line of colour swatches, one per field group among ``fields`` (evidence paths)."""
    return '<p class="ua-legend">' + "".join(f'<span style="background:{c}">{_e(g)}</span>'
                                             for g, c in legend(fields)) + "</p>"


def record_html(record: UrgentAction, text: str | None = None) -> str:
    """The record as an HTML snippet: fields (each with its rule, score and offsets), then (when
    ``text`` is the document text the record was extracted from, ``extractor.document_text(record)``)
    that whole text with every evidence span highlighted in its field's colour and a legend, then the
    evidence table. Hover a highlight to see all the evidence covering it."""
    title = record.ua_number or record.ai_index or record.source.path
    parts = [_STYLE, '<div class="ua-record">', f"<h4>Urgent Action record: {_e(title)}</h4>", _fields_table(record)]
    if text is not None:
        pieces, unplaced = evidence_segments(record.evidence, text)
        parts.append("<h4>Source text</h4>")
        parts.append(legend_html(e.field for e in record.evidence))
        if unplaced:
            parts.append(f'<p class="ua-warn">{len(unplaced)} evidence span(s) do not match this text and are not '
                         "highlighted (was the document changed after extraction?)</p>")
        parts.append(f'<pre class="ua-text">{_highlighted(text, pieces)}</pre>')
    parts.append(f"<h4>Evidence ({len(record.evidence)})</h4>")
    parts.append(_evidence_table(record, text))
    parts.append("</div>")
    return "\n".join(parts)


def agreement_html(rows: Iterable[tuple[str, Any, Any, bool]], title: str = "Against gold") -> str:
    """Value-by-value agreement of a record with its gold file: rows of (field, gold value, extracted
    value, agree), e.g. ``[(j.field, j.gold, j.pred, j.ok) for j in extractor.judge(gold, record)]``."""
    body = "".join(f"<tr><th>{_e(f)}</th><td>{_cell(g)}</td><td>{_cell(p)}</td>"
                   f"<td class=\"{'ua-ok' if ok else 'ua-wrong'}\">{'agrees' if ok else 'DIFFERS'}</td></tr>"
                   for f, g, p, ok in rows)
    return (f'{_STYLE}<div class="ua-record"><h4>{_e(title)}</h4><table class="ua-agreement"><tr><th>field</th>'
            f"<th>gold</th><th>extracted</th><th></th></tr>{body}</table></div>")


@dataclass(frozen=True)
class RecordView:
    """A record (with its text) that renders itself in Jupyter: make it a cell's value or ``display`` it."""

    record: UrgentAction
    text: str | None = None

    def _repr_html_(self) -> str:
        return record_html(self.record, self.text)

    def __str__(self) -> str:
        return record_html(self.record, self.text)


def record_view(record: UrgentAction, text: str | None = None) -> RecordView:
    """``display(record_view(rec, text))``: the same as ``display(HTML(record_html(rec, text)))``
    without importing IPython here."""
    return RecordView(record, text)
