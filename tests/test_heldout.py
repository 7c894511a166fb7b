"""The held-out documents (tests/heldout/, written without looking at the extractor) as a
regression floor: a change that loses ground on formats it once read fails here."""
from __future__ import annotations

import pytest
from conftest import ROOT

from extractor import evaluate
from extractor.api import extract

HELDOUT_SETS = sorted(p for p in (ROOT / "tests").glob("heldout*") if (p / "gold").is_dir())


@pytest.mark.parametrize("folder", HELDOUT_SETS, ids=lambda p: p.name)
def test_heldout_documents_score_at_least_their_floor(folder, settings):
    golds = evaluate.load_gold(folder / "gold")
    assert len(golds) >= 12
    preds = {g["id"]: extract(str(folder / f"{g['id']}.txt"), settings).model_dump(mode="json") for g in golds}
    report = evaluate.score(golds, preds)
    misses = "\n".join(f"{i} {f}: gold={g!r} pred={p!r}" for i, f, g, p in report.misses)
    assert report.macro_f1 >= 0.97, misses
    for name in ("kind", "ua_number", "ai_index", "issue_date", "country"):
        assert report.fields[name].f1 == 1.0, misses
