"""The spot-check notebook runs end to end in a real Jupyter kernel (so it cannot rot)."""
from __future__ import annotations

import json
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
    assert html_out.count('class="ua-record"') == 3  # SAMPLE_SIZE records, each with its evidence
    assert "<mark" in html_out
    assert len(_outputs(executed, "image/png")) >= 1  # the bar chart (and any PDF first page)
    text = "\n".join("".join(o.get("text", "")) for c in executed.cells for o in c.get("outputs", [])
                     if o.get("output_type") == "stream")
    assert "wrote " in text and ".json" in text and '"graded"' in text


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
