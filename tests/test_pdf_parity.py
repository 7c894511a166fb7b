"""PDF parity: a UA read from a PDF must score (nearly) as well as the same UA read as text.

Every text is rendered with tools/render_pdf.py as a one-column and as a two-column PDF named
after the text's stem (so the same gold file grades it), the real CLI extracts the text folder
and both PDF folders, and the scorer compares the three: each PDF run must reach 0.97 times the
text run's macro F1. Once on the dev corpus (../shared, skipped when absent, graded by
../shared/tools/ua_score.py) and once on the project's samples (always; graded by that scorer
when present, else by extractor.evaluate, the project's port of it).
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import DEV, ROOT, SAMPLES, SHARED

RATIO = 0.97
CLI = Path(sys.executable).with_name("ua-extract")
SCORER = SHARED / "tools" / "ua_score.py"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


render_pdf = _load("render_pdf", ROOT / "tools" / "render_pdf.py").render_pdf


def build_folders(texts: list[Path], tmp: Path) -> dict[str, Path]:
    """text/ (the texts), pdf1/ and pdf2/ (<stem>.pdf in one and two columns)."""
    folders = {name: tmp / name for name in ("text", "pdf1", "pdf2")}
    for folder in folders.values():
        folder.mkdir()
    for text in texts:
        shutil.copy(text, folders["text"] / text.name)
        source = text.read_text(encoding="utf-8")
        render_pdf(source, folders["pdf1"] / f"{text.stem}.pdf", columns=1)
        render_pdf(source, folders["pdf2"] / f"{text.stem}.pdf", columns=2)
    return folders


def extract_all(folders: dict[str, Path], tmp: Path) -> dict[str, Path]:
    """Run ``ua-extract extract FOLDER -o OUT.jsonl`` on every folder at once (separate processes)."""
    cli = [str(CLI)] if CLI.exists() else [sys.executable, "-m", "extractor.cli"]
    outs = {name: tmp / f"{name}.jsonl" for name in folders}
    runs = {name: subprocess.Popen([*cli, "extract", str(folder), "-o", str(outs[name]), "-q"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name, folder in folders.items()}
    for name, run in runs.items():
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode in (0, 1), f"ua-extract on {name} crashed:\n{stdout}\n{stderr}"
        assert outs[name].exists(), f"ua-extract on {name} wrote nothing:\n{stderr}"
    return outs


def macro_f1(gold: Path, pred: Path) -> tuple[float, dict]:
    """Macro F1 (and the per-field table) with the shared scorer, or the project's port of it."""
    if SCORER.is_file():
        scorer = _load("ua_score", SCORER)
        table, _misses, _n_gold, _n_pred = scorer.score(gold, scorer.load_preds(pred))
        macro = sum(r["f1"] for r in table.values()) / len(table) if table else 0.0
        return macro, {field: round(row["f1"], 3) for field, row in table.items()}
    from extractor import evaluate

    preds = {}
    for line in pred.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            source = record.get("source") or {}
            if isinstance(source, dict) and source.get("path"):
                preds[Path(source["path"]).stem] = record
    report = evaluate.score(evaluate.load_gold(gold), preds)
    return report.macro_f1, {f: round(s.f1, 3) for f, s in report.fields.items() if s.tp + s.fp + s.fn}


def assert_parity(texts: list[Path], gold: Path, tmp: Path) -> None:
    outs = extract_all(build_folders(texts, tmp), tmp)
    scores = {name: macro_f1(gold, out) for name, out in outs.items()}
    text_macro = scores["text"][0]
    assert text_macro > 0.5, f"text run scores too low to compare against: {scores['text']}"
    for name in ("pdf1", "pdf2"):
        macro, fields = scores[name]
        assert macro >= RATIO * text_macro, (
            f"{name}: macro F1 {macro:.4f} < {RATIO} x text {text_macro:.4f}\n"
            f"  {name}: {fields}\n  text: {scores['text'][1]}")


@pytest.mark.skipif(not (DEV / "gold").is_dir() or not SCORER.is_file(),
                    reason="the dev corpus and scorer (../shared) are not beside the project")
def test_dev_corpus_pdfs_score_like_their_texts(tmp_path: Path) -> None:
    assert_parity(sorted(DEV.glob("*.txt")), DEV / "gold", tmp_path)


def test_sample_pdfs_score_like_their_texts(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    for expected in SAMPLES.glob("*.expected.json"):
        shutil.copy(expected, gold / (expected.name.removesuffix(".expected.json") + ".json"))
    texts = sorted(t for t in SAMPLES.glob("*.txt") if (gold / f"{t.stem}.json").exists())
    assert len(texts) >= 5
    work = tmp_path / "work"
    work.mkdir()
    assert_parity(texts, gold, work)
