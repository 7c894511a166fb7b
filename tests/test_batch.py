"""The batch runner through the real command line: accounting, errors file, resume (also after
kill -9), --force, workers, time limits, size limits and the Dask backend, on folders built from the
bundled samples plus broken files."""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor import batch
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CLI = [sys.executable, "-m", "extractor.cli"]
SAMPLE_TEXTS = sorted(SAMPLES.glob("*.txt"))
BROKEN = {"empty.txt": "empty", "truncated.pdf": "corrupt_pdf", "junk.txt": "undecodable"}
N_RECORDS = len(SAMPLE_TEXTS) + 1  # of a mixed folder: the texts and the PDF named .txt


def ua_extract(*args: str | Path, timeout: float = 120, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(CLI + [str(a) for a in args], cwd=ROOT, capture_output=True, text=stdin is None,
                          input=stdin, timeout=timeout, check=False)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lines(path: Path) -> list[dict]:
    """Every line of a JSON Lines file, each of which must be complete, valid JSON."""
    if not path.exists():
        return []
    raw = path.read_bytes()
    assert not raw or raw.endswith(b"\n"), f"{path.name} ends with a partial line"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def accounted(out: Path) -> dict[str, int]:
    """How many times each input path appears across the records and the errors file."""
    seen: dict[str, int] = {}
    for rec in lines(out):
        seen[rec["source"]["path"]] = seen.get(rec["source"]["path"], 0) + 1
    for err in lines(batch.errors_path(out)):
        seen[err["path"]] = seen.get(err["path"], 0) + 1
    return seen


def make_mixed(folder: Path) -> dict[str, Path]:
    """The samples' texts, a PDF named .txt (a record: the format is sniffed) and three broken files."""
    folder.mkdir()
    for p in SAMPLE_TEXTS:
        shutil.copyfile(p, folder / p.name)
    shutil.copyfile(SAMPLES / "ua-095-17-mde1350122017.pdf", folder / "pdf-named.txt")
    (folder / "empty.txt").write_bytes(b"")
    pdf = (SAMPLES / "ua-212-03-asa330402003.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) * 3 // 4])
    junk = bytearray(random.Random(7).randbytes(4000))
    junk[::5] = bytes(len(junk[::5]))  # plenty of NULs: binary whatever the decoder tries
    (folder / "junk.txt").write_bytes(bytes(junk))
    return {p.name: p for p in folder.iterdir()}


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], Path, subprocess.CompletedProcess[str]]:
    """One in-process (--workers 1) run over the mixed folder, shared by the tests that only read it."""
    base = tmp_path_factory.mktemp("mixed")
    files = make_mixed(base / "in")
    out = base / "out.jsonl"
    return files, out, ua_extract("extract", base / "in", "-o", out, "--workers", "1")


def test_every_input_is_one_record_or_one_error(mixed_run) -> None:
    files, out, proc = mixed_run
    assert proc.returncode == 1, proc.stderr  # some inputs failed
    assert accounted(out) == {str(p): 1 for p in files.values()}
    records = lines(out)
    assert len(records) == N_RECORDS
    assert {r["source"]["sha256"] for r in records} == {sha(p) for n, p in files.items() if n not in BROKEN}
    pdf_named = next(r for r in records if r["source"]["path"].endswith("pdf-named.txt"))
    assert pdf_named["source"]["media_type"] == "application/pdf"
    summary = " ".join(proc.stderr.split())
    assert f"inputs │ {len(files)} │" in summary and f"records │ {len(records)} │" in summary
    assert "errors │ 3 │" in summary


def test_errors_file_names_path_hash_code_and_reason(mixed_run) -> None:
    files, out, _ = mixed_run
    errors = {Path(e["path"]).name: e for e in lines(batch.errors_path(out))}
    assert {n: e["error"] for n, e in errors.items()} == BROKEN
    for name, entry in errors.items():
        assert set(entry) == {"path", "sha256", "error", "reason"}
        assert entry["sha256"] == sha(files[name])
        assert entry["reason"]


def test_resume_skips_done_inputs_and_retries_errors(tmp_path: Path) -> None:
    files = make_mixed(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    ua_extract("extract", tmp_path / "in", "-o", out, "--workers", "1")
    before = out.read_bytes()
    again = ua_extract("extract", tmp_path / "in", "-o", out, "--workers", "1")
    assert again.returncode == 1  # the broken inputs were tried again and failed again
    assert out.read_bytes() == before  # nothing re-extracted, nothing appended
    assert accounted(out) == {str(p): 1 for p in files.values()}  # old error lines replaced, not duplicated
    assert f"skipped (already done) │ {N_RECORDS} │" in " ".join(again.stderr.split())

    new = tmp_path / "in" / "zz-new.txt"
    new.write_text(SAMPLE_TEXTS[0].read_text("utf-8") + "\nA later copy with a note.\n", "utf-8")
    (tmp_path / "in" / "empty.txt").unlink()  # fixed by its owner: its old error line goes too
    (tmp_path / "in" / "empty.txt").write_text(SAMPLE_TEXTS[1].read_text("utf-8") + "\nnow filled in\n", "utf-8")
    third = ua_extract("extract", tmp_path / "in", "-o", out, "--workers", "1")
    records = lines(out)
    assert len(records) == N_RECORDS + 2 and [r["source"]["path"] for r in records[N_RECORDS:]] == \
        [str(tmp_path / "in" / "empty.txt"), str(new)]
    assert accounted(out) == {str(p): 1 for p in (tmp_path / "in").iterdir()}
    assert "records │ 2 │" in " ".join(third.stderr.split())


def test_force_starts_afresh(tmp_path: Path) -> None:
    files = make_mixed(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    done = make_mixed(tmp_path / "done")  # an earlier run's records of the same contents
    out.write_text("".join(json.dumps({"source": {"path": str(p), "sha256": sha(p)}}) + "\n"
                           for p in done.values()))
    batch.errors_path(out).write_text('{"path": "elsewhere.txt", "error": "empty", "reason": "x"}\n')
    proc = ua_extract("extract", tmp_path / "in", "-o", out, "--workers", "1", "--force")
    assert proc.returncode == 1
    assert "skipped" not in proc.stderr
    assert accounted(out) == {str(p): 1 for p in files.values()}  # the old lines are gone


def test_resume_after_sigkill_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(30):  # distinct contents: resuming goes by content hash
        src = SAMPLE_TEXTS[i % len(SAMPLE_TEXTS)]
        (folder / f"{i:02d}-{src.name}").write_text(src.read_text("utf-8") + f"\n[copy {i}]\n", "utf-8")
    (folder / "15-empty.txt").write_bytes(b"")
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(CLI + ["extract", str(folder), "-o", str(out), "--workers", "1", "-q"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.stat().st_size > 0:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(out.read_bytes().splitlines()) if out.exists() else 0
    assert done_before < 31, "the run finished before it could be killed"
    with open(out, "ab") as f:  # what a kill in the middle of a write would leave: half a line
        f.write(b'{"schema_version":"1.0","source":{"path":"')
    resumed = ua_extract("extract", folder, "-o", out, "--workers", "1")
    assert resumed.returncode == 1
    assert accounted(out) == {str(p): 1 for p in folder.iterdir()}  # also: every line valid JSON
    assert len(lines(out)) == 30


def test_two_workers_give_the_same_records_as_one(mixed_run, tmp_path: Path) -> None:
    files, out1, _ = mixed_run
    out2 = tmp_path / "out.jsonl"
    proc = ua_extract("extract", *sorted(files.values()), "-o", out2, "--workers", "2")
    assert proc.returncode == 1, proc.stderr
    assert accounted(out2) == accounted(out1)
    key = lambda r: r["source"]["path"]
    assert sorted(lines(out2), key=key) == sorted(lines(out1), key=key)
    assert sorted(lines(batch.errors_path(out2)), key=lambda e: e["path"]) == \
        sorted(lines(batch.errors_path(out1)), key=lambda e: e["path"])


@pytest.fixture(scope="module")
def slow_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two samples and a 1,900,000-character text (allowed by --max-chars below): many seconds of NER."""
    folder = tmp_path_factory.mktemp("slow")
    for p in SAMPLE_TEXTS[:2]:
        shutil.copyfile(p, folder / p.name)
    text = SAMPLES.joinpath("ua-057-16-eur4636432016.txt").read_text("utf-8")
    (folder / "huge.txt").write_text((text * (1_900_000 // len(text) + 1))[:1_900_000], "utf-8")
    return folder


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_document_over_the_time_limit_becomes_a_timeout_error(slow_folder: Path, tmp_path: Path,
                                                                  workers: str) -> None:
    out = tmp_path / "out.jsonl"
    start = time.monotonic()
    proc = ua_extract("extract", slow_folder, "-o", out, "--workers", workers, "--seconds-per-document", "1.5",
                      "--max-chars", "2000000")
    assert time.monotonic() - start < 30
    assert proc.returncode == 1, proc.stderr
    [err] = lines(batch.errors_path(out))
    assert (Path(err["path"]).name, err["error"]) == ("huge.txt", "timeout")
    assert err["sha256"] == sha(slow_folder / "huge.txt") and "--seconds-per-document" in err["reason"]
    assert len(lines(out)) == 2  # the batch went on (with workers: on a replacement worker)


def test_a_40_mb_text_is_refused_quickly_within_bounded_memory(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    line = b"Amnesty International Urgent Action: please write to the authorities.\n"
    with open(big, "wb") as f:
        f.writelines(line for _ in range(40 * 1024 * 1024 // len(line)))
    assert big.stat().st_size > 39 * 1024 * 1024
    out = tmp_path / "out.jsonl"
    # a fresh parent, so that RUSAGE_CHILDREN is the peak of this run's CLI process alone
    probe = ("import resource, subprocess, sys, time; t = time.monotonic(); "
             f"r = subprocess.run({CLI + ['extract', str(big), '-o', str(out), '--workers', '1', '-q']!r}); "
             "print(r.returncode, time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    rc, seconds, maxrss_kb = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                                            text=True, check=True).stdout.split()
    assert rc == "1"
    [err] = lines(batch.errors_path(out))
    assert err["error"] == "too_large" and "--max-chars" in err["reason"] and err["sha256"] == sha(big)
    assert float(seconds) < 20
    assert int(maxrss_kb) * 1024 < 600 * 1024 * 1024
    assert lines(out) == []  # refused before parsing: no record, the one input is its error line


def test_standard_input_is_one_more_input(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = ua_extract("extract", "-", SAMPLE_TEXTS[0], "-o", out, "--workers", "1",
                      stdin=SAMPLE_TEXTS[1].read_bytes())
    assert proc.returncode == 0
    assert sorted(r["source"]["path"] for r in lines(out)) == sorted(["-", str(SAMPLE_TEXTS[0])])


def test_dask_backend_writes_the_same_lines(mixed_run, tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    files, out1, _ = mixed_run
    out = tmp_path / "out.jsonl"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  dashboard_address=None) as cluster:
        proc = ua_extract("extract", *sorted(files.values()), "-o", out, "--scheduler", cluster.scheduler_address)
        assert proc.returncode == 1, proc.stderr
        assert accounted(out) == {str(p): 1 for p in files.values()}
        key = lambda r: r["source"]["path"]
        assert sorted(lines(out), key=key) == sorted(lines(out1), key=key)
        resumed = ua_extract("extract", *sorted(files.values()), "-o", out, "--scheduler", cluster.scheduler_address)
        assert f"skipped (already done) │ {N_RECORDS} │" in " ".join(resumed.stderr.split())
        assert accounted(out) == {str(p): 1 for p in files.values()}


def test_cannot_run_is_exit_status_2_with_a_reason(tmp_path: Path) -> None:
    proc = ua_extract("extract", SAMPLE_TEXTS[0], "-o", tmp_path / "o.jsonl", "--workers", "2",
                      "--model", "no_such_model_pkg")
    assert proc.returncode == 2 and "no_such_model_pkg" in proc.stderr and "Traceback" not in proc.stderr


def test_help_documents_resume_order_and_limits() -> None:
    from extractor.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["extract"]  # type: ignore[index]
    text = " ".join(sub.format_help().split())
    for phrase in ("--workers", "--force", "--seconds-per-document", "--scheduler", "tried again",
                   "sha256 of its bytes", "not in input order", "kill -9"):
        assert phrase in text
    assert Settings().limits.seconds_per_document > 0
    assert os.cpu_count()


def test_a_folder_walk_takes_texts_and_pdfs_only(tmp_path: Path) -> None:
    for name in ("a.txt", "b.PDF", "README.md", "c.expected.json", "sub/d.text"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [Path(p).name for p in batch.discover([str(tmp_path)])] == ["a.txt", "b.PDF", "d.text"]


def test_unicode_line_separators_in_a_document_stay_inside_one_json_line(tmp_path: Path) -> None:
    doc = tmp_path / "odd.txt"
    doc.write_text("UA 12/20 Fear of torture 1 May 2020\u2028next\u0085line\u2029end", "utf-8")
    out = tmp_path / "out.jsonl"
    ua_extract("extract", doc, "-o", out, "--workers", "1")
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["ua_number"] == "12/20"
