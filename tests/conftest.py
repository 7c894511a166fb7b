from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED = Path(os.environ.get("UA_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="session")
def settings():
    from extractor.settings import Settings

    return Settings()


def needs_dev_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not (DEV / "gold").is_dir(), reason="../shared/corpus/dev is not beside the project")


def require_tesseract(*langs: str) -> None:
    """Skip when tesseract, pytesseract or a language pack is missing; in CI (CI=true, where
    ci/tesseract.sh installs them) that is a failure, as for PostgreSQL."""
    from extractor.ingest.ocr import ocr_unavailable

    missing = ocr_unavailable()
    if missing is None and langs:
        have = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout.split()
        absent = [lang for lang in langs if lang not in have]
        missing = f"tesseract language pack(s) {', '.join(absent)} not installed" if absent else None
    if missing:
        why = f"OCR: {missing} (run ci/tesseract.sh, or apt-get install tesseract-ocr tesseract-ocr-spa tesseract-ocr-fra)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed ``ua-extract`` console script (beside this interpreter), run in ``cwd``."""
    exe = Path(sys.executable).with_name("ua-extract")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "extractor.cli"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, cwd=cwd, timeout=900, check=False,
                          env={**os.environ, "COLUMNS": "200"})


@pytest.fixture(scope="session")
def quickstart_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quick start's own output: ``ua-extract extract samples -o .../samples.jsonl`` run in the
    project, so every ``source.path`` is relative to the project ('samples/...'); the file itself is
    written to a temporary folder (the tests never write out/ in the checkout)."""
    out = tmp_path_factory.mktemp("quickstart") / "out" / "samples.jsonl"
    out.parent.mkdir()  # as `make run` does: extract does not create the output's folder
    # one worker: lines in input order, so a seeded sample of them is the same every run
    p = run_cli("extract", "samples", "-o", str(out), "--workers", "1", "-q", cwd=ROOT)
    assert p.returncode == 0, p.stderr
    return out


@pytest.fixture(scope="session")
def elsewhere_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Records made in another directory: a copy of the samples in SITE/docs, extracted in SITE with
    relative paths ('docs/...') to SITE/out/records.jsonl; nothing under the project has those paths."""
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(SAMPLES, site / "docs")
    (site / "out").mkdir()
    p = run_cli("extract", "docs", "-o", "out/records.jsonl", "--workers", "1", "-q", cwd=site)
    assert p.returncode == 0, p.stderr
    return site / "out" / "records.jsonl"
