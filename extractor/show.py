"""``ua-extract show FILE``: one record on the terminal, its values highlighted in the source text.

Document text never goes through rich console markup: it is wrapped in ``rich.text.Text`` and styled
with ``Text.stylize`` at the evidence offsets, so ``[bold red]boom[/]`` in a document prints as those
characters. Terminal control characters in the document (ESC, other C0/C1 controls, bidi overrides)
are replaced one-for-one with visible stand-ins (``\\x1b`` -> ``␛``) before printing, which keeps
every evidence offset valid.
"""
from __future__ import annotations

import io
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box as rich_box
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
from models.display import UNSAFE, box_rgb, evidence_context, field_colour, field_group, legend

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

__all__ = ["literal", "page_images", "page_pngs", "render_pages", "show", "source_text", "with_legend",
           "write_page_images"]

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
         as_json: bool = False, out: Console | None = None, fields_only: bool = False, pager: bool = False,
         reword: Callable[[str], str] = str) -> int:
    """Extract one document and print it; errors go to ``console`` as one red line (exit status 1).
    ``out`` receives the view (default: ``console``); ``as_json`` prints the record as JSON on stdout
    instead; ``fields_only`` prints the record table alone; ``pager`` sends the view through rich's
    pager (``$PAGER``, else ``less``; the caller decides: only when standard output is a terminal);
    ``page_images`` is a folder for one PNG per PDF page with the evidence boxes drawn; ``reword``
    rewrites the library's reasons (the CLI names its flags)."""
    out = out or console
    with out.pager(styles=True) if pager and not as_json else nullcontext():
        return _show(path, settings, console, out, page_images=page_images, as_json=as_json,
                     fields_only=fields_only, reword=reword)


def _show(path: str, settings: Settings, console: Console, out: Console, *, page_images: str | None,
          as_json: bool, fields_only: bool, reword: Callable[[str], str]) -> int:
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
        print_record(out, record, doc.text, fields_only=fields_only)
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

def print_record(console: Console, record: UrgentAction, text: str, *, fields_only: bool = False) -> None:
    console.print(fields_table(record))
    if fields_only:
        return
    console.print(Rule("source text (values highlighted)"))
    console.print(legend_line(e.field for e in record.evidence))
    console.print(highlighted(text, record.evidence))
    console.print(Rule())
    console.print(evidence_table(record.evidence, text, width=console.width))


def legend_line(fields: Iterable[str]) -> Text:
    """One swatch per field group present, in its colour."""
    return Text(" ").join(Text(f" {g} ", style=f"black on {c}") for g, c in legend(fields))


def fields_table(rec: UrgentAction) -> Table:
    src = rec.source
    pages = f", {src.pages} pages" if src.pages is not None else ""
    t = Table(caption=_t(f"{src.path} ({src.media_type}, {src.chars} chars{pages})"), caption_justify="left",
              expand=True)
    t.add_column("field", no_wrap=True)
    t.add_column("value", ratio=1, overflow="fold")  # wraps at spaces; fold only cuts a word wider than the column
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
    # the last style applied shows: wider spans first, and on equal spans the value cited first last
    # (the AI index over the country read from its code), as in the HTML view
    ranked = sorted(enumerate(usable), key=lambda ie: (-(ie[1].end - ie[1].start), -ie[0]))
    for e in (e for _, e in ranked):
        out.stylize(Style(underline=True) if _ITEM.match(e.field) else _style(e.field), e.start, e.end)
    return out


def _break_path(path: str, width: int) -> str:
    """A field path or rule name too long for its column, broken before a '.' (kept whole otherwise):
    rich wraps only at spaces, and a path cut mid-name reads as two names."""
    if len(path) <= width or "." not in path:
        return path
    lines: list[str] = []
    for part in re.split(r"(?=\.)", path):
        if lines and len(lines[-1]) + len(part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return "\n".join(lines)


def _where(e: Evidence) -> str:
    """Offsets, then page and box on lines of their own, so no number is ever cut."""
    lines = [f"{e.start}-{e.end}"]
    if e.page is not None:
        lines.append(f"p{e.page}")
    if e.bbox is not None:
        x0, top, x1, bottom = e.bbox
        lines += [f"x {x0:g}-{x1:g}", f"y {top:g}-{bottom:g}"]
    return "\n".join(lines)


def evidence_table(evidence: list[Evidence], text: str | None = None, *, width: int = 80) -> Table:
    """The evidence, fitted to ``width`` columns: field, the text (wrapped at spaces) with its rule
    and score under it, and where (offsets; page and box for PDFs), each number whole. ``kind``'s
    text is its line in ``text``: the label that decided it, not just the number its span covers."""
    cap = max(14, width // 4)
    fw = max((len(line) for e in evidence for line in _break_path(e.field, cap).splitlines()), default=5)
    where = [_where(e) for e in evidence]
    ww = max((len(line) for w in where for line in w.splitlines()), default=5)
    tw = max(12, width - fw - ww - 7)  # 7: the borders and padding of a three-column simple table
    t = Table(title=_t(f"evidence ({len(evidence)})"), box=rich_box.SIMPLE_HEAD, expand=True, pad_edge=False, leading=1)
    t.add_column("field", no_wrap=True, width=fw)
    t.add_column("text  (rule, score)", ratio=1, overflow="fold", min_width=tw)
    t.add_column("where", no_wrap=True, width=ww)
    for e, w in zip(evidence, where):
        shown = e.text
        if field_group(e.field) == "kind" and text is not None and text[e.start:e.end] == e.text:
            shown = evidence_context(text, e.start, e.end)
        cell = Text.assemble(_t(shown), "\n", _t(f"{_break_path(e.rule, tw)} {e.score:.2f}", "dim"))
        t.add_row(_t(_break_path(e.field, cap), _style(e.field)), cell, _t(w))
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
    """Render pages of ``pdf_path`` (all, or the 1-based ``pages``) with the evidence boxes drawn and
    a legend below, as ``<folder>/<stem>-p<N>.png``. With ``doc`` (its segments), a span crossing a
    page break is boxed on both pages; without, each evidence's own page/bbox is used."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    stem = Path(pdf_path).stem
    for number, image in page_images(pdf_path, evidence, doc=doc, resolution=resolution, pages=pages):
        target = folder / f"{stem}-p{number}.png"
        image.save(target)
        written.append(target)
    return written


def page_pngs(record: UrgentAction, search: Iterable[str | os.PathLike[str]] = (), *, pages: Iterable[int] = (1,),
              resolution: int = 72) -> list[bytes]:
    """PNG bytes of pages of a record's source PDF (found as ``extractor.locate_source`` does) with the
    evidence boxed and a legend: for ``IPython.display.Image(data=...)`` in a notebook."""
    from extractor.sources import read_source

    doc = read_source(record, search)
    out = []
    for _, image in page_images(doc.path, record.evidence, doc=doc, resolution=resolution, pages=pages):
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        out.append(buf.getvalue())
    return out


def page_images(pdf_path: str, evidence: Iterable[Evidence], *, doc: Document | None = None, resolution: int = 100,
                pages: Iterable[int] | None = None) -> Iterator[tuple[int, PILImage]]:
    """(page number, PIL image) for pages of ``pdf_path`` with the evidence boxes and a legend."""
    import pdfplumber

    by_page: dict[int, list[tuple[str, BBox]]] = defaultdict(list)
    for ev in evidence:
        boxes = page_boxes(doc, ev) if doc is not None else (
            {ev.page: ev.bbox} if ev.page is not None and ev.bbox is not None else {})
        for page, bbox in boxes.items():
            by_page[page].append((ev.field, bbox))
    wanted = set(pages) if pages is not None else None
    with pdfplumber.open(pdf_path) as pdf:
        for number, pdf_page in enumerate(pdf.pages, start=1):
            if wanted is not None and number not in wanted:
                continue
            image = pdf_page.to_image(resolution=resolution)
            on_page = by_page.get(number, [])
            for field, bbox in sorted(on_page, key=lambda fb: -_area(fb[1])):  # big boxes first
                rgb = box_rgb(field)
                whole_item = bool(_ITEM.match(field))
                image.draw_rects([bbox], stroke=rgb + (255,), fill=rgb + ((0,) if whole_item else (50,)),
                                 stroke_width=1 if whole_item else 2)
            yield number, with_legend(image.annotated, [f for f, _ in on_page])


def with_legend(page: PILImage, fields: Iterable[str]) -> PILImage:
    """``page`` with a band below it: a swatch in each field's box colour and the field's name, for
    every field group boxed on the page (wrapped to the page's width)."""
    from PIL import Image, ImageDraw, ImageFont

    entries = legend(fields)
    font = ImageFont.load_default()
    probe = ImageDraw.Draw(page)
    swatch, gap, line = 12, 10, 18
    rows: list[list[tuple[str, int]]] = [[]]
    x = gap
    for group, _ in entries:
        w = swatch + 4 + int(probe.textlength(group, font=font)) + gap
        if rows[-1] and x + w > page.width:
            rows.append([])
            x = gap
        rows[-1].append((group, x))
        x += w
    band = (line * len(rows) + gap) if entries else 0
    canvas = Image.new("RGB", (page.width, page.height + band), "white")
    canvas.paste(page.convert("RGB"), (0, 0))
    draw = ImageDraw.Draw(canvas)
    if entries:
        draw.line([(0, page.height), (page.width, page.height)], fill=(160, 160, 160), width=1)
    for r, row in enumerate(rows):
        y = page.height + gap // 2 + r * line + 2
        for group, x in row:
            draw.rectangle([x, y, x + swatch, y + swatch], fill=box_rgb(group), outline=box_rgb(group))
            draw.text((x + swatch + 4, y), group, fill=(0, 0, 0), font=font)
    return canvas


def _area(box: BBox) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])
