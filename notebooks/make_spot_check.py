"""Writes spot_check.ipynb (outputs stripped). Edit the cells here, then: python notebooks/make_spot_check.py"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

INTRO = """\
# Spot check: extracted Urgent Action records next to their source

Draws a seeded random sample of a batch's records and shows each one whole: its fields (with the rule
and score behind each value), its document text with every value highlighted in its field's colour,
the evidence table, for PDFs the pages with the evidence boxed, and, where a gold file exists, value by
value agreement. Then the whole batch against its gold files, and your verdicts recorded as gold files
for `ua-extract eval --gold DIR`.

Set the parameters in the next cell (or with papermill: the cell is tagged `parameters`), or point
`UA_EXTRACT_RECORDS` at a records file. Relative paths are relative to the folder Jupyter runs the
notebook in (this one, `notebooks/`).

**Where the documents are found.** A record keeps its input path as it was given to `extract`. An
absolute path is used as it is; a relative one is looked for in `SOURCE_DIRS`, the records file's
folder, this folder, and each of their parents (so `out/samples.jsonl` made in the project finds
`samples/`), and a file counts only if its content (sha256) is the one extracted.
`extractor.locate_source` says where it looked when nothing fits: add that folder to `SOURCE_DIRS`."""

PARAMETERS = """\
RECORDS = None      # a JSON Lines file of records (`ua-extract extract DIR -o out.jsonl`); None: $UA_EXTRACT_RECORDS,
                    # and without it the extractor is run over the project's samples/ folder
SOURCE_DIRS = []    # more folders to find the documents in (the folder `extract` ran in, when it is elsewhere)
GOLD_DIRS = []      # folders of gold files (<stem>.json or <stem>.expected.json); a document's own folder is always searched
SAMPLE_SIZE = 3     # records to look at
SEED = 7            # same seed, same sample
VERDICT_DIR = None  # where your verdicts become gold files; None: $UA_EXTRACT_VERDICTS, else <project>/gold/spot-checks
VERDICTS = {}       # your verdicts, keyed by source path: see "Recording verdicts" below"""

SETUP = """\
import io
import os
import random
from pathlib import Path

from IPython.display import HTML, Image, display
from matplotlib.figure import Figure

import extractor
from models import UrgentAction, agreement_html, html_text, read_results, record_html, visible

HERE = Path.cwd()  # Jupyter runs a notebook in its own folder
ROOT = HERE.parent if (HERE.parent / "samples").is_dir() else HERE  # the project"""

LOAD = """\
records_file = RECORDS or os.environ.get("UA_EXTRACT_RECORDS")
if records_file:
    records_file = Path(records_file).expanduser().resolve()
    results = read_results(records_file)  # its records, and the error lines of it and of its .errors.jsonl
    search = [*SOURCE_DIRS, records_file.parent]
else:
    paths = sorted(str(p) for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".pdf"))
    results = list(extractor.extract_many(paths))
    search = list(SOURCE_DIRS)

records = [r for r in results if isinstance(r, UrgentAction)]
errors = [r for r in results if not isinstance(r, UrgentAction)]
print(visible(f"{len(results)} inputs: {len(records)} records, {len(errors)} errors"
              + (f" (from {records_file})" if records_file else " (the samples, extracted now)")))"""

SAMPLE = """\
rng = random.Random(SEED)
sample = rng.sample(records, min(SAMPLE_SIZE, len(records)))
for rec in sample:
    print(visible(rec.source.path))  # document-supplied text: control and bidi characters shown as escapes"""

SHOW_MD = """\
## The sample

Each record is shown by `models.record_html(record, text)`, with the text re-read from its source
(`extractor.document_text(record, search)`: refused when the file changed since extraction, as the
offsets would no longer fit). Everything from the document is HTML-escaped, and control and bidi
characters (ESC, BEL, U+202E ...) are shown as escapes such as `\\u202e`: they cannot reorder
what you read. Hover a highlight to see every value it belongs to."""

SHOW = """\
def gold_of(rec):
    \"\"\"The record's gold file, from GOLD_DIRS or beside its document; None when there is none.\"\"\"
    try:
        beside = [extractor.locate_source(rec, search).parent]
    except extractor.SourceNotFound:
        beside = []
    return extractor.gold_for(rec, [*GOLD_DIRS, *beside])


for rec in sample:
    display(HTML(f"<h3>{html_text(rec.source.path)}</h3>"))
    try:
        text = extractor.document_text(rec, search)
    except (extractor.SourceNotFound, extractor.ExtractionError) as exc:
        print(visible(f"no source text: {exc}"))
        text = None
    display(HTML(record_html(rec, text)))
    gold = gold_of(rec)
    if gold is not None:
        rows = [(j.field, j.gold, j.pred, j.ok) for j in extractor.judge(gold, rec)]
        agree = sum(ok for *_, ok in rows)
        display(HTML(agreement_html(rows, title=f"Against its gold file: {agree}/{len(rows)} fields agree")))
    if text is not None and rec.source.media_type == "application/pdf":
        pages = sorted({ev.page for ev in rec.evidence if ev.page})
        display(HTML(f"<h4>Pages {', '.join(map(str, pages))}, evidence boxed</h4>"))
        for png in extractor.page_pngs(rec, search, pages=pages):
            display(Image(data=png))"""

SUMMARY_MD = """\
## The whole batch

Each document against its gold file where one exists (`GOLD_DIRS`, or beside the document as the
samples keep theirs): how many graded fields agree and which differ; then the batch's per-field
precision, recall and F1, as `ua-extract eval` computes them."""

SUMMARY = """\
cell = html_text  # escaped, control and bidi characters visible
golds = {}
rows = []
for r in results:
    if not isinstance(r, UrgentAction):
        rows.append(f"<tr><td>{cell(r.path)}</td><td colspan='4' style='color:#b00'>"
                    f"error {cell(r.error)}: {cell(r.reason)}</td></tr>")
        continue
    gold = gold_of(r)
    if gold is None:
        verdict = "<span style='color:#999'>no gold file</span>"
    else:
        golds[gold["id"]] = gold
        judged = extractor.judge(gold, r)
        wrong = [j.field for j in judged if not j.ok]
        verdict = (f"{len(judged) - len(wrong)}/{len(judged)} agree"
                   + (f"; <b style='color:#b00'>differs: {cell(', '.join(wrong))}</b>" if wrong else ""))
    rows.append(f"<tr><td>{cell(r.source.path)}</td><td>{cell(r.kind)}</td><td>{cell(r.ua_number)}</td>"
                f"<td>{verdict}</td><td>{'<br>'.join(cell(w) for w in r.warnings)}</td></tr>")
style = "<style>.ua-batch td,.ua-batch th{text-align:left;vertical-align:top}</style>"
display(HTML(style + "<table class='ua-batch'><tr><th>document</th><th>kind</th><th>ua_number</th>"
             "<th>against gold</th><th>warnings</th></tr>" + "".join(rows) + "</table>"))

report = extractor.score_records(records, golds.values())
scored = {f: s for f, s in report.fields.items() if s.tp + s.fp + s.fn}
if scored:
    table = "".join(f"<tr><td>{f}</td><td>{s.precision:.3f}</td><td>{s.recall:.3f}</td><td>{s.f1:.3f}</td>"
                    f"<td>{s.tp}/{s.fp}/{s.fn}</td></tr>" for f, s in scored.items())
    display(HTML(style + f"<h4>{report.predicted} documents scored against {len(golds)} gold files: "
                 f"macro F1 {report.macro_f1:.3f}</h4><table class='ua-batch'><tr><th>field</th><th>P</th>"
                 f"<th>R</th><th>F1</th><th>tp/fp/fn</th></tr>{table}</table>"))
    fig = Figure(figsize=(8, 3))
    ax = fig.add_subplot()
    ax.bar(list(scored), [s.f1 for s in scored.values()], color="#4a7ab0")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("F1 against gold")
    ax.set_title(f"per-field F1, {report.predicted} documents ({len(errors)} errors)")
    ax.tick_params(axis="x", labelrotation=60, labelsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)  # a Figure renders with Agg: no GUI backend, no pyplot state
    display(Image(data=buf.getvalue()))
else:
    print("no gold files for this batch: set GOLD_DIRS, or record verdicts below")"""

VERDICT_MD = """\
## Recording verdicts

No widgets needed: the next cell prints a `VERDICTS` template for the sample, every judgeable field
commented out with its extracted value. Copy it into the parameters cell (or a new cell), uncomment
the fields you checked and write `True` where the value is right, or the correct value where it is
not (`None` or `[]` when the document has none; for `recipients.<part>` a list with one value per
recipient). Run the notebook again: the cell after writes one gold file per document,
`VERDICT_DIR/<stem>.json` (docs/gold-format.md; only the fields you judged are graded; the `.txt` and
`.pdf` of one document share one), and scores the batch against that folder, as
`ua-extract eval --gold VERDICT_DIR --pred RECORDS` does. By default the folder is
`gold/spot-checks/` in the project, so your verdicts stay with it."""

TEMPLATE = """\
JUDGEABLE = ["kind", "ua_series", "ua_number", "update_number", "ai_index", "issue_date", "appeal_deadline",
             "country", "subjects", "related_ua_numbers", "recipients.name", "recipients.title",
             "recipients.organization", "recipients.address", "recipients.fax", "recipients.phone",
             "recipients.email", "recipients.salutation"]


def current(rec, field):
    if field.startswith("recipients."):
        part = field.split(".", 1)[1]
        return [getattr(r, "address_lines" if part == "address" else part) for r in rec.recipients]
    if field == "subjects":
        return [s.name for s in rec.subjects]
    value = getattr(rec, field)
    return value.isoformat() if hasattr(value, "isoformat") else value


lines = ["VERDICTS = {"]
for rec in sample:
    lines.append(f"    {rec.source.path!r}: {{")
    lines += [f"        # {f!r}: True,  # extracted: {current(rec, f)!r}" for f in JUDGEABLE]
    lines.append("    },")
lines.append("}")
print(visible("\\n".join(lines)))"""

VERDICT = """\
verdict_dir = Path(VERDICT_DIR or os.environ.get("UA_EXTRACT_VERDICTS") or ROOT / "gold" / "spot-checks")
by_path = {r.source.path: r for r in records}
for path, marks in VERDICTS.items():
    if path not in by_path:
        raise KeyError(f"{path!r} is not a record of this batch (keys are source paths, as the template prints them)")
    written = extractor.record_verdicts(by_path[path], marks, verdict_dir,
                                        notes="spot check from notebooks/spot_check.ipynb")
    print(visible(f"wrote {written}: {len(marks)} fields judged"))
if VERDICTS:
    checked = extractor.gold_files(verdict_dir)
    report = extractor.score_records(records, checked)
    print(f"against {len(checked)} gold files in {visible(str(verdict_dir))}: macro F1 {report.macro_f1:.3f}")
    for doc, field, gold, pred in report.misses:
        print(visible(f"  differs: {doc} {field}: gold {gold!r}, extracted {pred!r}"))
else:
    print(visible(f"no verdicts yet; they will be written to {verdict_dir}"))"""


def build() -> nbformat.NotebookNode:
    params = new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]})
    cells = [new_markdown_cell(INTRO), params, new_code_cell(SETUP), new_code_cell(LOAD), new_code_cell(SAMPLE),
             new_markdown_cell(SHOW_MD), new_code_cell(SHOW), new_markdown_cell(SUMMARY_MD), new_code_cell(SUMMARY),
             new_markdown_cell(VERDICT_MD), new_code_cell(TEMPLATE), new_code_cell(VERDICT)]
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
