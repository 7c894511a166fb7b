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
