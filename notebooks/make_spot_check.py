"""Writes spot_check.ipynb (outputs stripped). Edit the cells here, then: python notebooks/make_spot_check.py"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

INTRO = """\
# Spot check: extracted Urgent Action records next to their source

Draws a seeded random sample of records, shows each one with its evidence highlighted in the
document text (hover a highlight for the field, rule and score) and, for PDFs, the first page with
the evidence boxes; then a summary of the whole batch, and how to record a reviewer's verdicts as a
gold file for `ua-extract eval --gold DIR`.

Paths are relative to this notebook's folder (`notebooks/`); the repository root is its parent.
Set the parameters in the next cell (or with papermill: the cell is tagged `parameters`)."""

PARAMETERS = """\
RECORDS = None      # None: run the extractor over the repository's samples/ folder;
                    # or a JSON Lines file of records (`ua-extract extract DIR -o out.jsonl`), relative to this folder
SAMPLE_SIZE = 3     # records to look at
SEED = 7            # same seed, same sample
VERDICT_DIR = None  # where verdicts become gold files; None: a fresh temporary folder"""

SETUP = """\
import io
import json
import random
import tempfile
from collections import Counter
from pathlib import Path

import pdfplumber
from IPython.display import HTML, Image, display
from matplotlib.figure import Figure

from extractor.api import extract_or_error
from extractor.batch import discover
from extractor.errors import ExtractionError
from extractor.ingest import read_path
from extractor.review import load_gold, verdicts_to_gold, write_gold
from extractor.settings import Settings
from models import ErrorEntry, UrgentAction
from models.display import box_rgb, visible
from models.html import html_text, record_html
from models.io import read_results

HERE = Path.cwd()  # Jupyter runs a notebook in its own folder
ROOT = HERE.parent if (HERE.parent / "samples").is_dir() else HERE"""

LOAD = """\
if RECORDS is None:
    settings = Settings.from_env()
    paths = [p for p in discover([str(ROOT / "samples")]) if p.lower().endswith((".txt", ".pdf"))]
    results = [extract_or_error(p, settings) for p in paths]
else:
    results = read_results(HERE / RECORDS)  # its records, and the error lines of it and of RECORDS.errors.jsonl

records = [r for r in results if isinstance(r, UrgentAction)]
errors = [r for r in results if isinstance(r, ErrorEntry)]
print(f"{len(results)} inputs: {len(records)} records, {len(errors)} errors")"""

SAMPLE = """\
rng = random.Random(SEED)
sample = rng.sample(records, min(SAMPLE_SIZE, len(records)))
for rec in sample:
    print(visible(rec.source.path))  # document-supplied text: control and bidi characters shown as escapes"""

SHOW_MD = """\
## The sample

Each record is shown by `models.html.record_html(record, text)`, with the text re-read from the
source file (`extractor.ingest.read_path`; skipped when the file changed since extraction, as the
offsets would no longer fit). Everything from the document is HTML-escaped, and control and bidi
characters (ESC, BEL, U+202E ...) are shown as escapes such as `\\u202e`: they cannot reorder
what you read."""

SHOW = """\
def reread(rec):
    \"\"\"The document a record came from, or None when it is gone or changed since extraction.\"\"\"
    try:
        doc = read_path(rec.source.path)
    except (OSError, ExtractionError) as exc:  # moved, deleted, unreadable, no longer a document
        print(visible(f"cannot re-read {rec.source.path}: {exc}"))
        return None
    return doc if doc.sha256 == rec.source.sha256 else None


def first_page_image(rec, resolution=72):
    \"\"\"The first PDF page with the evidence boxes on it drawn, as a PNG for display.\"\"\"
    with pdfplumber.open(rec.source.path) as pdf:
        image = pdf.pages[0].to_image(resolution=resolution)
        on_page = [ev for ev in rec.evidence if ev.page == 1 and ev.bbox]
        blocks = [ev.bbox for ev in on_page if ev.field.endswith("]")]  # a whole recipient: outlined only
        values = [ev.bbox for ev in on_page if not ev.field.endswith("]")]
        image.draw_rects(blocks, stroke=box_rgb("recipients") + (255,), fill=(0, 0, 0, 0), stroke_width=1)
        image.draw_rects(values, stroke=box_rgb("subjects") + (255,), fill=box_rgb("subjects") + (40,), stroke_width=1)
        buf = io.BytesIO()
        image.save(buf, format="PNG")
    return Image(data=buf.getvalue())


for rec in sample:
    display(HTML(f"<h3>{html_text(rec.source.path)}</h3>"))
    doc = reread(rec)
    display(HTML(record_html(rec, doc.text if doc else None)))
    if doc and rec.source.media_type == "application/pdf":
        display(HTML("<h4>First page, evidence boxed</h4>"))
        display(first_page_image(rec))"""

SUMMARY_MD = """\
## The whole batch"""

FOUND = ("ua_number", "ai_index", "issue_date", "appeal_deadline", "country", "subjects", "recipients")

SUMMARY = f"""\
FIELDS = {FOUND!r}


cell = html_text  # escaped, control and bidi characters visible

rows = []
for r in results:
    if isinstance(r, ErrorEntry):
        rows.append(f"<tr><td>{{cell(r.path)}}</td><td colspan='4' style='color:#b00'>"
                    f"error {{cell(r.error)}}: {{cell(r.reason)}}</td></tr>")
        continue
    found = [f for f in FIELDS if getattr(r, f)]
    rows.append(f"<tr><td>{{cell(r.source.path)}}</td><td>{{cell(r.kind)}}</td><td>{{cell(r.ua_number)}}</td>"
                f"<td>{{len(found)}}/{{len(FIELDS)}}</td><td>{{'<br>'.join(cell(w) for w in r.warnings)}}</td></tr>")
display(HTML("<table><tr><th>document</th><th>kind</th><th>ua_number</th><th>fields found</th><th>warnings</th></tr>"
             + "".join(rows) + "</table>"))

counts = Counter(f for r in records for f in FIELDS if getattr(r, f))
fig = Figure(figsize=(7, 3))
ax = fig.add_subplot()
ax.bar(FIELDS, [counts[f] for f in FIELDS], color="#4a7ab0")
ax.axhline(len(records), color="#999", linestyle="--", linewidth=1)
ax.set_ylabel("records with the field")
ax.set_title(f"fields found in {{len(records)}} records ({{len(errors)}} errors)")
ax.tick_params(axis="x", labelrotation=30)
fig.tight_layout()
buf = io.BytesIO()
fig.savefig(buf, format="png", dpi=90)  # a Figure renders with Agg: no GUI backend, no pyplot state
display(Image(data=buf.getvalue()))"""

VERDICT_MD = """\
## Recording verdicts

Judge a record field by field: `{"ok": True}` when the value is right, `{"ok": False, "correction": value}`
when it is not (`None` or `[]` when the document has none). `verdicts_to_gold` turns the record plus the
verdicts into a gold file (the GOLD-GUIDE format; only judged fields are listed under `graded`), and
`write_gold` saves it as `<id>.json`. Then `ua-extract eval --gold DIR samples/` scores the extractor
against every spot check so far. The default run writes to a temporary folder."""

VERDICT = """\
verdict_dir = Path(VERDICT_DIR) if VERDICT_DIR else Path(tempfile.mkdtemp(prefix="ua-verdicts-"))
if sample:
    rec = sample[0]
    verdicts = {  # example: the reviewer accepts these three fields as extracted
        "kind": {"ok": True},
        "ua_number": {"ok": True},
        "issue_date": {"ok": True},
        # a correction looks like: "appeal_deadline": {"ok": False, "correction": "2003-08-29"},
    }
    gold = verdicts_to_gold(rec, verdicts, notes="spot check from notebooks/spot_check.ipynb")
    written = write_gold(gold, verdict_dir)
    assert load_gold(written) == gold
    print(visible(f"wrote {written}"))
    print(visible(json.dumps(gold, indent=2, ensure_ascii=False)))"""


def build() -> nbformat.NotebookNode:
    params = new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]})
    cells = [new_markdown_cell(INTRO), params, new_code_cell(SETUP), new_code_cell(LOAD), new_code_cell(SAMPLE),
             new_markdown_cell(SHOW_MD), new_code_cell(SHOW), new_markdown_cell(SUMMARY_MD), new_code_cell(SUMMARY),
             new_markdown_cell(VERDICT_MD), new_code_cell(VERDICT)]
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    })
    for i, c in enumerate(nb.cells):  # stable ids: regenerating gives an identical file
        c["id"] = f"cell-{i:02d}"
    return nb


if __name__ == "__main__":
    target = Path(__file__).with_name("spot_check.ipynb")
    nb = build()
    nbformat.validate(nb)
    nbformat.write(nb, str(target))
    print(f"wrote {target}")
