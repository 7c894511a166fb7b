"""``ua-extract show FILE``: one record on the terminal, its values highlighted in the source text.

Document text never goes through rich console markup: it is wrapped in ``rich.text.Text`` and styled
with ``Text.stylize`` at the evidence offsets, so ``[bold red]boom[/]`` in a document prints as those
characters. Terminal control characters in the document (ESC, other C0/C1 controls, bidi overrides)
are replaced one-for-one with visible stand-ins (``\\x1b`` -> ``␛``) before printing, which keeps
every evidence offset valid.
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from rich.console import Console
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from extractor.api import extract_document
from extractor.document import BBox, Document
from extractor.errors import ExtractionError
from extractor.ingest import read_path
from extractor.settings import Limits, Settings
from models import Evidence, UrgentAction
from models.display import UNSAFE, box_rgb, field_colour

__all__ = ["literal", "render_pages", "show", "source_text", "write_page_images"]

_ITEM = re.compile(r"^\w+\[\d+\]$")


def literal(s: str) -> str:
    """``s`` made safe to print: each unsafe control character replaced by one visible character
    (C0 -> its Unicode control picture, e.g. ESC -> '␛'; DEL -> '␡'; C1 and bidi controls -> '�')."""
    return UNSAFE.sub(_picture, s)


def _picture(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c < 0x20:
        return chr(0x2400 + c)
    if c == 0x7F:
        return "\u2421"
    return "\ufffd"


def _t(value: object, style: str = "") -> Text:
    """Any value as literal, safe rich Text (never parsed as markup)."""
    return Text("" if value is None else literal(str(value)), style=style)


def _style(field: str) -> str:
    return f"black on {field_colour(field)}"  # the colours of models.display, as in the HTML view


def source_text(record: UrgentAction, limits: Limits | None = None) -> str:
    """Re-read the document a record came from, for highlighting (``record_html(record, text)``).
    Raises ValueError when the file changed since extraction (its offsets would be wrong)."""
    doc = read_path(record.source.path, limits or Limits())
    if doc.sha256 != record.source.sha256:
        raise ValueError(f"{record.source.path} changed since it was extracted (sha256 differs); extract it again")
    return doc.text


def show(path: str, settings: Settings, console: Console, *, page_images: str | None = None,
         as_json: bool = False, out: Console | None = None, reword: Callable[[str], str] = str) -> int:
    """Extract one document and print it; errors go to ``console`` as one red line (exit status 1).
    ``out`` receives the view (default: ``console``); ``as_json`` prints the record as JSON on stdout
    instead; ``page_images`` is a folder for one PNG per PDF page with the evidence boxes drawn;
    ``reword`` rewrites the library's reasons (the CLI names its flags)."""
    out = out or console
    try:
        doc = read_path(path, settings.limits)
        record = extract_document(doc, settings)
    except ExtractionError as exc:
        return _fail(console, path, f"{exc.code}: {reword(exc.reason)}")
    except OSError as exc:
        return _fail(console, path, f"cannot read file: {exc.strerror or exc}")
    except ValueError as exc:  # e.g. a --model that cannot be loaded
        return _fail(console, path, reword(str(exc)))
    if as_json:
        sys.stdout.write(record.model_dump_json(indent=2) + "\n")
        sys.stdout.flush()
    else:
        print_record(out, record, doc.text)
    if page_images is not None:
        target = console if as_json else out
        if doc.media_type != "application/pdf":
            target.print(_t(f"--page-images: {path} is not a PDF; no page images written", "yellow"))
        elif path == "-":
            target.print(_t("--page-images: needs a file path, not standard input; no page images written", "yellow"))
        else:
            try:
                written = write_page_images(doc, record, Path(page_images))
            except Exception as exc:  # noqa: BLE001 - rendering trouble must not hide the record
                return _fail(console, path, f"page images could not be written ({type(exc).__name__}: {exc})")
            target.print(_t(f"page images ({len(written)}):", "bold"))
            for p in written:
                target.print(_t(str(p)))
    return 0


def _fail(console: Console, path: str, reason: str) -> int:
    console.print(Text.assemble(("error: ", "bold red"), (literal(f"{path}: {reason}"), "red")))
    return 1


# --- the terminal view ---------------------------------------------------------------------------

def print_record(console: Console, record: UrgentAction, text: str) -> None:
    console.print(fields_table(record))
    console.print(Rule("source text (values highlighted)"))
    console.print(highlighted(text, record.evidence))
    console.print(Rule())
    console.print(evidence_table(record.evidence))


def fields_table(rec: UrgentAction) -> Table:
    src = rec.source
    pages = f", {src.pages} pages" if src.pages is not None else ""
    t = Table(caption=_t(f"{src.path} ({src.media_type}, {src.chars} chars{pages})"), caption_justify="left")
    t.add_column("field", no_wrap=True)
    t.add_column("value", overflow="fold")
    for name in ("kind", "language", "ua_series", "ua_number", "update_number", "ai_index", "issue_date",
                 "appeal_deadline", "title", "country", "country_code"):
        value = getattr(rec, name)
        t.add_row(_t(name, _style(name)), _t(value) if value is not None else _t("-", "dim"))
    for i, s in enumerate(rec.subjects):
        extra = ", ".join(x for x in (s.gender, s.description) if x)
        value = Text.assemble(_t(s.name), _t(f"  ({extra})" if extra else "", "dim"))
        t.add_row(_t(f"subjects[{i}]", _style("subjects")), value)
    if not rec.subjects:
        t.add_row(_t("subjects", _style("subjects")), _t("-", "dim"))
    for i, r in enumerate(rec.recipients):
        lines = [("role", r.role), ("name", r.name), ("title", r.title), ("organization", r.organization),
                 ("address", " / ".join(r.address_lines)), ("country", r.country), ("fax", ", ".join(r.fax)),
                 ("phone", ", ".join(r.phone)), ("email", ", ".join(r.email)), ("twitter", ", ".join(r.twitter)),
                 ("salutation", r.salutation)]
        cell = Text("\n").join(Text.assemble(_t(f"{k}: ", "dim"), _t(v)) for k, v in lines if v)
        t.add_row(_t(f"recipients[{i}]", _style("recipients")), cell)
    if not rec.recipients:
        t.add_row(_t("recipients", _style("recipients")), _t("-", "dim"))
    t.add_row(_t("related_ua_numbers", _style("related_ua_numbers")),
              _t(", ".join(rec.related_ua_numbers)) if rec.related_ua_numbers else _t("-", "dim"))
    for w in rec.warnings:
        t.add_row(_t("warning", "yellow"), _t(w, "yellow"))
    return t


def highlighted(text: str, evidence: Iterable[Evidence]) -> Text:
    """The document text (made literal) with each evidence span styled; wider spans first, so a
    part (``recipients[0].fax``) shows on top of its whole (``recipients[0]``)."""
    out = Text(literal(text))
    usable = [e for e in evidence if 0 <= e.start < e.end <= len(text) and text[e.start:e.end] == e.text]
    for e in sorted(usable, key=lambda e: -(e.end - e.start)):
        out.stylize(Style(underline=True) if _ITEM.match(e.field) else _style(e.field), e.start, e.end)
    return out


def evidence_table(evidence: list[Evidence]) -> Table:
    t = Table(title=_t(f"evidence ({len(evidence)})"))
    for name, kw in (("field", {"no_wrap": True}), ("text", {"overflow": "fold", "max_width": 40}),
                     ("rule", {"overflow": "fold"}), ("score", {"justify": "right"}), ("chars", {}),
                     ("page", {"justify": "right"}), ("bbox", {"overflow": "fold"})):
        t.add_column(name, **kw)  # type: ignore[arg-type]
    for e in evidence:
        bbox = ", ".join(f"{v:g}" for v in e.bbox) if e.bbox else "-"
        t.add_row(_t(e.field, _style(e.field)), _t(e.text), _t(e.rule), _t(f"{e.score:.2f}"),
                  _t(f"{e.start}-{e.end}"), _t(e.page if e.page is not None else "-"), _t(bbox))
    return t


# --- page images ---------------------------------------------------------------------------------

def page_boxes(doc: Document, ev: Evidence) -> dict[int, BBox]:
    """Page -> box of an evidence span, split by page when the span crosses a page break."""
    hits: dict[int, list[BBox]] = defaultdict(list)
    for seg in doc.segments:
        if seg.start >= ev.end:
            break
        if seg.end > ev.start:
            hits[seg.page].append(seg.bbox)
    if not hits:
        return {ev.page: ev.bbox} if ev.page is not None and ev.bbox is not None else {}
    return {page: (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                   max(b[3] for b in boxes)) for page, boxes in hits.items()}


def write_page_images(doc: Document, record: UrgentAction, folder: Path, *, resolution: int = 100) -> list[Path]:
    """One PNG per page of a PDF with every evidence box drawn; returns the paths written."""
    return render_pages(doc.path, record.evidence, folder, doc=doc, resolution=resolution)


def render_pages(pdf_path: str, evidence: Iterable[Evidence], folder: Path, *, doc: Document | None = None,
                resolution: int = 100, pages: Iterable[int] | None = None) -> list[Path]:
    """Render pages of ``pdf_path`` (all, or the 1-based ``pages``) with the evidence boxes drawn,
    as ``<folder>/<stem>-p<N>.png``. With ``doc`` (its segments), a span crossing a page break is
    boxed on both pages; without, each evidence's own page/bbox is used."""
    import pdfplumber

    folder.mkdir(parents=True, exist_ok=True)
    by_page: dict[int, list[tuple[str, BBox]]] = defaultdict(list)
    for ev in evidence:
        boxes = page_boxes(doc, ev) if doc is not None else (
            {ev.page: ev.bbox} if ev.page is not None and ev.bbox is not None else {})
        for page, box in boxes.items():
            by_page[page].append((ev.field, box))
    wanted = set(pages) if pages is not None else None
    written: list[Path] = []
    stem = Path(pdf_path).stem
    with pdfplumber.open(pdf_path) as pdf:
        for number, pdf_page in enumerate(pdf.pages, start=1):
            if wanted is not None and number not in wanted:
                continue
            image = pdf_page.to_image(resolution=resolution)
            for field, box in sorted(by_page.get(number, []), key=lambda fb: -_area(fb[1])):  # big boxes first
                rgb = box_rgb(field)
                whole_item = bool(_ITEM.match(field))
                image.draw_rects([box], stroke=rgb + (255,), fill=rgb + ((0,) if whole_item else (50,)),
                                 stroke_width=1 if whole_item else 2)
            target = folder / f"{stem}-p{number}.png"
            image.save(target)
            written.append(target)
    return written


def _area(box: BBox) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])
