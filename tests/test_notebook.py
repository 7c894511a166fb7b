"""The spot-check notebook runs end to end in a real Jupyter kernel (so it cannot rot)."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
kernelspec = pytest.importorskip("ipykernel.kernelspec")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
KERNEL = "ua-extract-test"


@pytest.fixture(scope="session")
def kernel_name(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A kernelspec in a temporary prefix that starts THIS interpreter (the venv under test), found
    through JUPYTER_PATH; nothing is installed into the user's home, so a fresh CI venv works."""
    prefix = tmp_path_factory.mktemp("jupyter")
    kernelspec.install(kernel_name=KERNEL, prefix=str(prefix))
    spec = json.loads((prefix / "share" / "jupyter" / "kernels" / KERNEL / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable  # the kernel is the interpreter running the tests
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    mp.setenv("JUPYTER_RUNTIME_DIR", str(prefix / "runtime"))
    mp.setenv("IPYTHONDIR", str(prefix / "ipython"))
    mp.setenv("MPLBACKEND", "Agg")
    yield KERNEL
    mp.undo()


def _outputs(nb, mime: str) -> list[str]:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if mime in data:
                out.append(data[mime] if isinstance(data[mime], str) else "".join(data[mime]))
    return out


@pytest.fixture(scope="module")
def executed(kernel_name: str):
    nb = nbformat.read(NOTEBOOKS / "spot_check.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name=kernel_name, timeout=600,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    return nb


def test_notebook_runs_without_errors(executed) -> None:
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    assert all(c.get("execution_count") for c in executed.cells if c.cell_type == "code")


def test_notebook_shows_records_summary_chart_and_verdict(executed) -> None:
    html_out = "\n".join(_outputs(executed, "text/html"))
    assert "57/16" in html_out  # the seed sample's number, in the batch summary
    assert html_out.count('<pre class="ua-text">') == 3  # SAMPLE_SIZE records, each with its text
    assert html_out.count('class="ua-agreement"') == 3  # ... and its agreement with the gold beside it
    assert "<mark" in html_out
    assert len(_outputs(executed, "image/png")) >= 1  # the bar chart (and any PDF page)
    text = _streams(executed)
    assert "VERDICTS = {" in text and "# 'appeal_deadline': True" in text  # the template to fill in
    assert "no verdicts yet" in text and "gold/spot-checks" in text  # the default folder: in the project


def _streams(nb) -> str:
    return "\n".join("".join(o.get("text", "")) for c in nb.cells for o in c.get("outputs", [])
                     if o.get("output_type") == "stream")


def _execute(kernel_name: str, **params: object):
    """The notebook with parameters set (as papermill would: the cell tagged `parameters`), run in
    notebooks/ on a real kernel; fails on any cell's error."""
    nb = nbformat.read(NOTEBOOKS / "spot_check.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    lines = cell.source.splitlines()
    for name, value in params.items():
        i = next(i for i, line in enumerate(lines) if line.startswith(f"{name} = "))
        lines[i] = f"{name} = {value!r}"
    cell.source = "\n".join(lines)
    nbclient.NotebookClient(nb, kernel_name=kernel_name, timeout=600,
                            resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    return nb


def _sampled(nb, records: list) -> list:
    by_path = {r.source.path: r for r in records}
    cell = next(c for c in nb.cells if "sample = rng.sample" in c.source)
    return [by_path[line] for line in "".join(o.get("text", "") for o in cell.outputs).splitlines() if line]


def _assert_highlighted(nb, records: list, records_file: Path) -> None:
    """Every sampled record's whole text is shown, each value highlighted in it, with its rule and
    score in the field table; the source text sits in no scroll box and cells are left-aligned."""
    import html

    import extractor

    out = "\n".join(_outputs(nb, "text/html"))
    plain = re.sub(r"<[^>]+>", "", out)  # the markup of the highlights taken out
    assert "no source text" not in _streams(nb)
    sampled = _sampled(nb, records)
    assert len(sampled) == 3 and out.count('<pre class="ua-text">') == 3
    for rec in sampled:
        deadline = [e for e in rec.evidence if e.field == "appeal_deadline"]
        for ev in deadline:
            assert f'data-fields="appeal_deadline">{html.escape(ev.text)}</mark>' in out, rec.source.path
            assert f"{ev.rule} {ev.score:.2f} @{ev.start}&ndash;{ev.end}" in out  # visible, not on hover
        names = [e for e in rec.evidence if e.field.startswith("subjects[")]
        for ev in names:
            assert f"{html.escape(ev.text)}</mark>" in out, (rec.source.path, ev.text)
        # the whole text is shown, highlights and all (a newsletter has no values to highlight)
        assert html.escape(extractor.document_text(rec, [records_file.parent])) in plain, rec.source.path
    assert sum(len(r.evidence) for r in sampled) > 20 and out.count("<mark") > 20
    style = out[out.index("<style>"):out.index("</style>")]
    assert "max-height" not in style and "overflow:auto" not in style  # no scroll box hides the highlights
    assert "text-align:left" in style and "table-layout:auto" in style and "word-break:normal" in style


def test_notebook_on_the_quick_start_output(kernel_name: str, quickstart_jsonl: Path) -> None:
    """`extract samples -o OUT` run in the project; the notebook runs in notebooks/ (issue 14: every
    record printed 'cannot re-read samples/...')."""
    from models import UrgentAction, read_jsonl

    records = [r for _, r in read_jsonl(quickstart_jsonl) if isinstance(r, UrgentAction)]
    nb = _execute(kernel_name, RECORDS=str(quickstart_jsonl))
    _assert_highlighted(nb, records, quickstart_jsonl)
    out = "\n".join(_outputs(nb, "text/html"))
    assert out.count("fields agree") == 3  # each sampled sample's gold file, found beside it
    assert "11 documents scored against 9 gold files" in out  # the batch against gold, .pdf twins included
    assert "agree" in out and "differs:" in out  # correctness per document, not presence


def test_notebook_on_records_made_in_another_directory(kernel_name: str, elsewhere_jsonl: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Records from $UA_EXTRACT_RECORDS whose paths ('docs/...') are relative to another directory:
    found through the records file's folder."""
    from models import UrgentAction, read_jsonl

    monkeypatch.setenv("UA_EXTRACT_RECORDS", str(elsewhere_jsonl))
    records = [r for _, r in read_jsonl(elsewhere_jsonl) if isinstance(r, UrgentAction)]
    assert all(r.source.path.startswith("docs/") for r in records)
    nb = _execute(kernel_name)
    assert str(elsewhere_jsonl) in _streams(nb)
    _assert_highlighted(nb, records, elsewhere_jsonl)


def test_verdicts_become_gold_that_eval_scores(kernel_name: str, quickstart_jsonl: Path, tmp_path: Path) -> None:
    """Plain-Python verdicts for one record, written to the folder given, scored in the notebook and
    by `ua-extract eval` alike."""
    import json

    from conftest import ROOT, run_cli

    path = "samples/ua-212-03-asa330402003.pdf"
    verdicts = {path: {"ua_number": True, "country": True, "appeal_deadline": "2003-09-01",
                       "recipients.title": ["Minister of Interior", "Chief Minister of Balochistan",
                                            "High Commissioner for Pakistan"]}}
    gold_dir = tmp_path / "verdicts"
    nb = _execute(kernel_name, RECORDS=str(quickstart_jsonl), VERDICT_DIR=str(gold_dir), VERDICTS=verdicts)
    written = gold_dir / "ua-212-03-asa330402003.json"
    gold = json.loads(written.read_text(encoding="utf-8"))
    assert gold["graded"] == ["ua_number", "appeal_deadline", "country", "recipients.title"]
    assert gold["appeal_deadline"] == "2003-09-01"
    assert [r["title"] for r in gold["recipients"]][2] == "High Commissioner for Pakistan"
    text = _streams(nb)
    assert f"wrote {written}: 4 fields judged" in text
    assert "against 1 gold files" in text and "appeal_deadline" in text
    p = run_cli("eval", "--gold", str(gold_dir), "--pred", str(quickstart_jsonl), "--json", cwd=ROOT)
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert report["predicted"] == 2  # the gold is the .txt's and the .pdf's
    assert report["fields"]["ua_number"]["tp"] == 2 and report["fields"]["appeal_deadline"]["tp"] == 0
    assert {m["field"] for m in report["misses"]} >= {"appeal_deadline", "recipients.title"}


def test_notebook_uses_only_the_public_api() -> None:
    import ast

    nb = nbformat.read(NOTEBOOKS / "spot_check.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom):
                assert node.module in (None, "pathlib", "IPython.display", "matplotlib.figure", "models"), node.module
            elif isinstance(node, ast.Import):
                assert all(a.name in ("io", "os", "random", "extractor") for a in node.names)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "extractor":
                import extractor

                assert node.attr in extractor.__all__, node.attr


def test_committed_notebook_matches_its_generator() -> None:
    """spot_check.ipynb is written by make_spot_check.py; the two must not drift apart."""
    sys.path.insert(0, str(NOTEBOOKS))
    try:
        import make_spot_check
    finally:
        sys.path.remove(str(NOTEBOOKS))
    committed = nbformat.read(NOTEBOOKS / "spot_check.ipynb", as_version=4)
    assert [c.source for c in committed.cells] == [c.source for c in make_spot_check.build().cells]
    assert not any(c.get("outputs") for c in committed.cells if c.cell_type == "code")


def test_notebook_output_shows_control_characters_as_escapes(kernel_name: str, tmp_path: Path) -> None:
    """A batch whose documents carry ESC, BEL and bidi overrides: no output of the notebook holds
    one of those characters raw (HTML and printed text alike); they appear as escapes."""
    from extractor.api import extract
    from extractor.settings import Settings
    from models.display import UNSAFE
    from models.io import errors_path

    doc = tmp_path / "ua-hostile.txt"  # a bidi override in a file name is no gold id: the verdict cell refuses it
    doc.write_text("PUBLIC AI Index: ASA 33/040/2003\n\nUA 212/03 Fear of torture \x1b[31m\x07\u202eevil\u2069 "
                   "18 July 2003\n\nPAKISTAN Farooq Baloch\u202e (m), aged 34\n", encoding="utf-8")
    records = tmp_path / "out.jsonl"
    records.write_text(extract(str(doc), Settings()).model_dump_json() + "\n", encoding="utf-8")
    errors_path(records).write_text(
        '{"path": "bad\\u202e.pdf", "sha256": null, "error": "corrupt_pdf", "reason": "\\u001b[2J broken"}\n',
        encoding="utf-8")
    nb = nbformat.read(NOTEBOOKS / "spot_check.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = params.source.replace("RECORDS = None", f"RECORDS = {str(records)!r}", 1) \
        .replace("VERDICT_DIR = None", f"VERDICT_DIR = {str(tmp_path / 'gold')!r}", 1)
    nbclient.NotebookClient(nb, kernel_name=kernel_name, timeout=600,
                            resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = _outputs(nb, "text/html") + ["".join(o.get("text", "")) for c in nb.cells
                                             for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    joined = "\n".join(outputs)
    assert "1 records" in joined or "2 inputs: 1 records, 1 errors" in joined
    assert not UNSAFE.search(joined), sorted({hex(ord(c)) for c in UNSAFE.findall(joined)})
    assert "\\u202e" in joined and "\\x1b" in joined and 'class="ua-record"' in joined
