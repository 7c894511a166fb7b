from __future__ import annotations

import os
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
