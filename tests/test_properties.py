"""Property tests: whatever bytes are in a file, named .txt or .pdf, the pipeline gives a record or an
error entry, never an exception; and the command line accounts for every input of a folder of them."""
from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractor import batch, errors
from extractor.api import extract_or_error
from extractor.cli import main as cli_main
from extractor.ingest import read_path
from extractor.nlp import load_pipeline
from extractor.settings import Settings
from models import ErrorEntry, UrgentAction

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SAMPLE_PDF = (SAMPLES / "ua-212-03-asa330402003.pdf").read_bytes()
SAMPLE_TEXT = (SAMPLES / "ua-057-16-eur4636432016.txt").read_text("utf-8")
SETTINGS = Settings()
EXAMPLES = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

suffixes = st.sampled_from([".txt", ".pdf"])
texts = st.one_of(
    st.text(max_size=2000),
    # pieces of a real UA between arbitrary text, so the recognisers see near-misses too
    st.builds(lambda a, i, j, b: a + SAMPLE_TEXT[min(i, j):max(i, j)] + b,
              st.text(max_size=200), st.integers(0, len(SAMPLE_TEXT)), st.integers(0, len(SAMPLE_TEXT)),
              st.text(max_size=200)),
)
encoded_texts = st.builds(lambda t, enc: t.encode(enc, errors="replace"), texts,
                          st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]))


@st.composite
def damaged_pdfs(draw: st.DrawFn) -> bytes:
    """The sample PDF cut short and/or with some bytes overwritten."""
    data = bytearray(SAMPLE_PDF[: draw(st.integers(8, len(SAMPLE_PDF)))])
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


contents = st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda b: b"%PDF-1.4\n" + b, st.binary(max_size=2000)),
    encoded_texts,
    damaged_pdfs(),
)


@pytest.fixture(scope="module", autouse=True)
def model() -> None:
    load_pipeline(SETTINGS.model, SETTINGS.rules_only)  # once for the module: the examples then run fast


ERROR_CODES = {cls.code for cls in [errors.ExtractionError, *errors.ExtractionError.__subclasses__()]}


def check_one(data: bytes, suffix: str) -> UrgentAction | ErrorEntry:
    """Whatever the bytes: a record that is true to them, or an error entry with a stable code."""
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / f"input{suffix}")
        Path(path).write_bytes(data)
        result = extract_or_error(path, SETTINGS)  # must not raise
        text = read_path(path).text if isinstance(result, UrgentAction) else None
    assert isinstance(result, (UrgentAction, ErrorEntry))
    if isinstance(result, ErrorEntry):
        assert result.path == path and result.reason.strip()
        assert result.error in ERROR_CODES, result.error
        assert result.sha256 in (None, hashlib.sha256(data).hexdigest())
        return result
    assert text is not None
    assert result.source.path == path and result.source.sha256 == hashlib.sha256(data).hexdigest()
    assert result.source.chars == len(text) > 0
    assert result.kind in ("urgent_action", "further_information", "other")
    for ev in result.evidence:  # every value points at the text it came from
        assert 0 <= ev.start <= ev.end <= len(text) and text[ev.start:ev.end] == ev.text, ev
    for d in result.dates:
        assert text[d.start:d.end] == d.text, d
    assert UrgentAction.model_validate_json(result.model_dump_json()) == result
    return result


@EXAMPLES
@given(data=st.binary(max_size=4000), suffix=suffixes)
def test_arbitrary_bytes_give_a_record_or_an_error(data: bytes, suffix: str) -> None:
    check_one(data, suffix)


@EXAMPLES
@given(data=encoded_texts, suffix=suffixes)
def test_arbitrary_text_gives_a_record_or_an_error(data: bytes, suffix: str) -> None:
    check_one(data, suffix)


@EXAMPLES
@given(data=st.one_of(damaged_pdfs(), st.builds(lambda b: b"%PDF-1.7\n" + b, st.binary(max_size=2000))),
       suffix=suffixes)
def test_damaged_pdfs_give_a_record_or_an_error(data: bytes, suffix: str) -> None:
    check_one(data, suffix)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.tuples(contents, suffixes), min_size=1, max_size=6))
def test_the_cli_accounts_for_every_input_of_a_folder(files: list[tuple[bytes, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        paths = []
        for i, (data, suffix) in enumerate(files):
            paths.append(folder / f"{i:02d}{suffix}")
            paths[-1].write_bytes(data)
        out = Path(tmp) / "out.jsonl"
        rc = cli_main(["extract", str(folder), "-o", str(out), "--workers", "1", "-q"])
        records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        errors = [json.loads(line) for line in batch.errors_path(out).read_text("utf-8").splitlines()]
        assert len(records) + len(errors) == len(files)
        assert sorted([r["source"]["path"] for r in records] + [e["path"] for e in errors]) == \
            sorted(str(p) for p in paths)
        assert rc == (1 if errors else 0)
