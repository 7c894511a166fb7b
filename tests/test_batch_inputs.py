"""Issue 12: every input accounted for, whatever the file system does. Real files, FIFOs, devices,
links, file names that are not UTF-8, concurrent runs, full and read-only disks, Ctrl-C and SIGTERM,
each through the real command line (or the library where the issue is about the library)."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_batch import CLI, ROOT, SAMPLE_TEXTS, SAMPLES, accounted, lines, ua_extract

import extractor
from extractor import batch, errors
from extractor.settings import Settings
from models import ErrorCode, ErrorEntry, UrgentAction

BLANK = ("--model", "blank")  # rules only: these tests are about accounting, not extraction


def summary_of(proc: subprocess.CompletedProcess[str]) -> str:
    return " ".join(proc.stderr.split())


def by_path(out: Path) -> dict[str, list[dict]]:
    """Every line of both files, grouped by the path it names (one entry per path when all is well)."""
    seen: dict[str, list[dict]] = {}
    for rec in lines(out):
        seen.setdefault(rec["source"]["path"], []).append(rec)
    for entry in lines(batch.errors_path(out)):
        seen.setdefault(entry["path"], []).append(entry)
    return seen


def copies_folder(folder: Path, distinct: int, copies: int) -> list[Path]:
    """``distinct`` different texts, each at ``copies`` paths, interleaved so duplicates come between
    first occurrences."""
    folder.mkdir(parents=True)
    made = []
    for c in range(copies):
        for i in range(distinct):
            src = SAMPLE_TEXTS[i % len(SAMPLE_TEXTS)]
            path = folder / f"{c}-{i:02d}.txt"
            path.write_text(src.read_text("utf-8") + f"\n[text {i}]\n", "utf-8")
            made.append(path)
    return made


def start(*args: str | Path, **kw: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(CLI + [str(a) for a in args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, **kw)  # type: ignore[call-overload]


def wait_for_lines(out: Path, proc: subprocess.Popen[bytes], n: int = 1) -> None:
    """Until ``n`` lines are written (to either file) or the run ends."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        written = sum(p.read_bytes().count(b"\n") for p in (out, batch.errors_path(out)) if p.exists())
        if written >= n:
            return
        time.sleep(0.01)


# --------------------------------------------------------------------------------------------------
# The same content at several paths


def test_identical_copies_are_extracted_once_and_each_gets_its_own_record(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        shutil.copyfile(SAMPLE_TEXTS[0], folder / f"copy{i:02d}.txt")
    out = tmp_path / "out.jsonl"
    proc = ua_extract("extract", folder, "-o", out, "--workers", "2", *BLANK)
    assert proc.returncode == 0, proc.stderr
    assert accounted(out) == {str(p): 1 for p in folder.iterdir()}
    records = {r["source"]["path"]: r for r in lines(out)}
    first = records.pop(str(folder / "copy00.txt"))  # the first in input order is the one extracted
    assert not any("same content" in w for w in first["warnings"])
    assert len(records) == 39
    for rec in records.values():  # each copy: its own path, the first one's values, a warning naming it
        assert rec["warnings"][-1].startswith(f"same content (sha256) as {folder / 'copy00.txt'}")
        assert {k: v for k, v in rec.items() if k not in ("source", "warnings")} == \
            {k: v for k, v in first.items() if k not in ("source", "warnings")}
    text = summary_of(proc)
    assert "records │ 1 │" in text and "duplicates (line copied, not extracted) │ 39 │" in text

    again = ua_extract("extract", folder, "-o", out, "--workers", "2", *BLANK)
    assert again.returncode == 0 and accounted(out) == {str(p): 1 for p in folder.iterdir()}
    assert "skipped (already done) │ 40 │" in summary_of(again)


def test_a_copy_in_another_folder_copies_the_record_of_an_earlier_run(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copyfile(SAMPLE_TEXTS[0], tmp_path / "a" / "x.txt")
    shutil.copyfile(SAMPLE_TEXTS[0], tmp_path / "b" / "y.txt")
    out = tmp_path / "out.jsonl"
    ua_extract("extract", tmp_path / "a", "-o", out, "--workers", "1", *BLANK)
    proc = ua_extract("extract", tmp_path / "b", "-o", out, "--workers", "1", *BLANK)
    assert proc.returncode == 0
    assert "duplicates (line copied, not extracted) │ 1 │" in summary_of(proc)
    copy = lines(out)[1]
    assert copy["source"]["path"] == str(tmp_path / "b" / "y.txt")
    assert str(tmp_path / "a" / "x.txt") in copy["warnings"][-1]


def test_copies_of_a_failed_input_fail_too(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_bytes(b"")
    out = tmp_path / "out.jsonl"
    proc = ua_extract("extract", folder, "-o", out, "--workers", "1", *BLANK)
    assert proc.returncode == 1
    errs = {Path(e["path"]).name: e for e in lines(batch.errors_path(out))}
    assert {n: e["error"] for n, e in errs.items()} == {"a.txt": "empty", "b.txt": "empty", "c.txt": "empty"}
    assert str(folder / "a.txt") in errs["c.txt"]["reason"]
    assert "errors │ 1 │" in summary_of(proc) and "duplicates (line copied, not extracted) │ 2 │" in summary_of(proc)


def test_a_text_named_pdf_keeps_its_error_line_beside_the_same_text_named_txt(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SAMPLE_TEXTS[0], folder / "a.pdf")  # first in order: refused (named .pdf, not a PDF)
    shutil.copyfile(SAMPLE_TEXTS[0], folder / "b.txt")  # same bytes: read, not a duplicate of a failure
    out = tmp_path / "out.jsonl"
    for _ in range(3):  # the first run and every re-run
        proc = ua_extract("extract", folder, "-o", out, "--workers", "1", *BLANK)
        assert proc.returncode == 1
        assert accounted(out) == {str(folder / "a.pdf"): 1, str(folder / "b.txt"): 1}
        [err] = lines(batch.errors_path(out))
        assert (Path(err["path"]).name, err["error"]) == ("a.pdf", "unsupported_format")


def test_kill_and_resume_with_duplicates_gives_the_lines_of_an_uninterrupted_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    files = copies_folder(folder, distinct=15, copies=3)
    (folder / "9-empty.txt").write_bytes(b"")
    (folder / "9-empty-too.txt").write_bytes(b"")  # the same (empty) content, failing: a duplicate of it
    whole = tmp_path / "whole.jsonl"
    assert ua_extract("extract", folder, "-o", whole, "--workers", "2").returncode == 1

    out = tmp_path / "out.jsonl"
    kills = 0
    for n in (1, 20):  # kill the first run after its first line, then the resumed one later on
        proc = start("extract", folder, "-o", out, "--workers", "2", "-q")
        wait_for_lines(out, proc, n)
        kills += proc.poll() is None
        proc.kill()
        proc.wait()
    assert kills >= 1, "every run finished before it could be killed"
    resumed = ua_extract("extract", folder, "-o", out, "--workers", "2")
    assert resumed.returncode == 1
    assert accounted(out) == {str(p): 1 for p in files + [folder / "9-empty.txt", folder / "9-empty-too.txt"]}
    key = json.dumps
    assert sorted(map(key, lines(out))) == sorted(map(key, lines(whole)))
    assert sorted(map(key, lines(batch.errors_path(out)))) == sorted(map(key, lines(batch.errors_path(whole))))


# Property: any interleaving of interruptions (Ctrl-C after any line, and a partial last line as a
# kill -9 in the middle of a write leaves it) and resumptions, over any mix of duplicates, failures
# and files not read, ends with exactly the lines of one uninterrupted run.
CONTENTS = [p.read_bytes() for p in SAMPLE_TEXTS[:3]] + [b"", bytes(range(256)) * 8]
BLANK_SETTINGS = Settings(model="blank", workers=1)


class _Stop(KeyboardInterrupt):
    pass


def _interrupted_run(folder: Path, out: Path, after: int, chop: int) -> None:
    count = 0

    def on_result(_: object) -> None:
        nonlocal count
        count += 1
        if count == after:
            raise _Stop()  # what Ctrl-C does: the run stops between two lines

    try:
        batch.run([str(folder)], BLANK_SETTINGS, out, on_result=on_result)
    except _Stop:
        pass
    for f in (out, batch.errors_path(out)):  # then cut into the last line, as kill -9 mid-write would
        if f.exists() and f.stat().st_size and chop:
            with open(f, "r+b") as handle:
                handle.truncate(max(0, f.stat().st_size - chop))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.tuples(st.integers(0, len(CONTENTS) - 1), st.sampled_from([".txt", ".pdf", ".html"])),
                      min_size=1, max_size=10),
       stops=st.lists(st.tuples(st.integers(1, 12), st.integers(0, 40)), max_size=4))
def test_any_interleaving_of_interrupts_and_resumes_equals_an_uninterrupted_run(
        files: list[tuple[int, str]], stops: list[tuple[int, int]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i, (content, suffix) in enumerate(files):
            (folder / f"{i:02d}{suffix}").write_bytes(CONTENTS[content])
        whole, out = Path(tmp) / "whole.jsonl", Path(tmp) / "out.jsonl"
        batch.run([str(folder)], BLANK_SETTINGS, whole)
        for after, chop in stops:
            _interrupted_run(folder, out, after, chop)
        summary = batch.run([str(folder)], BLANK_SETTINGS, out)
        assert sorted(map(json.dumps, lines(out))) == sorted(map(json.dumps, lines(whole)))
        assert sorted(map(json.dumps, lines(batch.errors_path(out)))) == \
            sorted(map(json.dumps, lines(batch.errors_path(whole))))
        assert accounted(out) == {str(p): 1 for p in folder.iterdir()}
        assert summary.inputs == len(files) == (summary.records + summary.errors + summary.duplicates
                                                + summary.not_read + summary.skipped)


# --------------------------------------------------------------------------------------------------
# Overlapping arguments


def test_overlapping_arguments_and_spellings_are_one_input(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    for i, p in enumerate(SAMPLE_TEXTS[:4]):
        shutil.copyfile(p, (inbox if i % 2 else inbox / "sub") / p.name)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "link.txt").symlink_to(inbox / "empty.txt")  # the same real file, a third spelling
    out = tmp_path / "out.jsonl"
    args = ["extract", "inbox", "inbox/sub", "inbox/empty.txt", str(inbox), "-o", "out.jsonl", "--workers", "1",
            *BLANK]
    proc = subprocess.run(CLI + args, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1, proc.stderr  # empty.txt failed
    expected = {f"inbox/sub/{SAMPLE_TEXTS[0].name}", f"inbox/sub/{SAMPLE_TEXTS[2].name}",
                f"inbox/{SAMPLE_TEXTS[1].name}", f"inbox/{SAMPLE_TEXTS[3].name}", "inbox/empty.txt"}
    assert accounted(out) == {p: 1 for p in expected}  # each file once, its path as first given (the contract)

    def by_file(counts: dict[str, int]) -> dict[str, int]:
        return {os.path.realpath(tmp_path / p): n for p, n in counts.items()}
    text = summary_of(proc)
    assert "inputs │ 5 │" in text and "records │ 4 │" in text and "errors │ 1 │" in text
    assert "named more than once (counted once) │ 10 │" in text  # link, 2 in sub, empty.txt, 6 absolute

    resumed = ua_extract("extract", inbox, "-o", out, "--workers", "1", *BLANK)  # the absolute spelling now
    assert resumed.returncode == 1
    assert by_file(accounted(out)) == {os.path.realpath(tmp_path / p): 1 for p in expected}  # replaced, not duplicated
    assert "skipped (already done) │ 4 │" in summary_of(resumed)


# --------------------------------------------------------------------------------------------------
# Files a folder walk does not read


def test_a_folder_walk_reports_every_file_it_does_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "deeper").mkdir(parents=True)
    shutil.copyfile(SAMPLE_TEXTS[0], folder / "ua.txt")
    for name in ("page.odt", "seed.TXT.bak", "README.md", ".hidden", "deeper/notes.docx"):
        (folder / name).write_text("UA 12/20 Fear of torture\n", "utf-8")
    (folder / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    out = tmp_path / "out.jsonl"
    proc = ua_extract("extract", folder, "-o", out, "--workers", "1", *BLANK)
    assert proc.returncode == 0, proc.stderr  # nothing failed: files not read are reported, not failures
    not_read = {Path(e["path"]).name: e for e in lines(batch.errors_path(out))}
    assert set(not_read) == {"page.odt", "seed.TXT.bak", "README.md", ".hidden", "notes.docx", "elsewhere"}
    assert {e["error"] for e in not_read.values()} == {"unsupported_format"}
    assert all(e["reason"].startswith("not read:") for e in not_read.values())
    assert "link to a folder" in not_read["elsewhere"]["reason"]
    text = summary_of(proc)
    assert "inputs │ 7 │" in text and "records │ 1 │" in text and "not read (not .txt/.text/.pdf/.html/.htm/.mbox) │ 6 │" in text

    named = ua_extract("extract", folder, folder / "page.odt", "-o", out, "--workers", "1", *BLANK)
    assert "page.odt" not in {Path(e["path"]).name for e in lines(batch.errors_path(out))}  # read when named
    assert any(r["source"]["path"] == str(folder / "page.odt") for r in lines(out))
    assert accounted(out) == {str(p): 1 for p in folder.rglob("*") if p.is_file() or p.is_symlink()}
    assert named.returncode == 0


# --------------------------------------------------------------------------------------------------
# FIFOs, devices, sockets


@pytest.mark.parametrize("workers", ["1", "2"])
def test_fifos_devices_and_sockets_get_a_line_and_never_hang(tmp_path: Path, workers: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SAMPLE_TEXTS[0], folder / "ua.txt")
    os.mkfifo(folder / "x.txt")  # nobody ever writes to it: opening it for reading would block forever
    (folder / "zero.txt").symlink_to("/dev/zero")  # endless
    (folder / "null.pdf").symlink_to("/dev/null")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "s.txt"))
    out = tmp_path / "out.jsonl"
    try:
        for _ in range(2):  # the first run and a resume (which used to hash, and hang on, every input)
            proc = ua_extract("extract", folder, "-o", out, "--workers", workers, "--seconds-per-document", "0",
                              *BLANK, timeout=90)  # no time limit: nothing but the stat check can save us
            assert proc.returncode == 1, proc.stderr
            assert accounted(out) == {str(folder / n): 1 for n in ("ua.txt", "x.txt", "zero.txt", "null.pdf", "s.txt")}
            kinds = {Path(e["path"]).name: (e["error"], e["reason"].split(",")[0]) for e in lines(batch.errors_path(out))}
            assert kinds == {"x.txt": ("not_a_file", "is a named pipe (FIFO)"),
                             "zero.txt": ("not_a_file", "is a character device"),
                             "null.pdf": ("not_a_file", "is a character device"),
                             "s.txt": ("not_a_file", "is a socket")}
        named = ua_extract("extract", folder / "x.txt", "-o", tmp_path / "fifo.jsonl", *BLANK, timeout=90)
        assert named.returncode == 1 and lines(batch.errors_path(tmp_path / "fifo.jsonl"))[0]["error"] == "not_a_file"
    finally:
        sock.close()


def test_the_library_reads_a_named_pipe_without_waiting_for_a_writer(tmp_path: Path) -> None:
    """extract() on a FIFO nobody writes to used to block in open(); now it is an empty-input error at
    once, and a FIFO that a program is writing to is read as it writes."""
    import threading

    from extractor import extract
    from extractor.errors import EmptyInput

    fifo = tmp_path / "f.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    reader = threading.Thread(target=lambda: outcome.append(pytest.raises(EmptyInput, extract, fifo).value), daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "extract() blocked on a FIFO without a writer"
    assert "named pipe" in str(outcome[0])

    ready = threading.Event()

    def write() -> None:
        with open(fifo, "wb") as sink:  # blocks until the reader below has opened its end
            ready.set()
            sink.write(SAMPLE_TEXTS[0].read_bytes())

    writer = threading.Thread(target=write, daemon=True)
    # the writer's open waits for a reader, so open a reader first to let it through, then read for real
    keep = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    writer.start()
    assert ready.wait(10)
    record = extract(fifo)
    os.close(keep)
    writer.join(10)
    assert record.ua_number and record.source.sha256 == __import__("hashlib").sha256(SAMPLE_TEXTS[0].read_bytes()).hexdigest()


def test_the_shared_hash_never_opens_a_fifo_or_reads_a_device(tmp_path: Path) -> None:
    from extractor.hashing import file_sha256

    os.mkfifo(tmp_path / "f")
    assert file_sha256(str(tmp_path / "f")) is None  # returns at once: O_NONBLOCK, then fstat
    assert file_sha256("/dev/zero") is None
    assert file_sha256(str(SAMPLE_TEXTS[0])) == __import__("hashlib").sha256(SAMPLE_TEXTS[0].read_bytes()).hexdigest()
    assert file_sha256(str(SAMPLE_TEXTS[0]), max_bytes=10) is None  # bounded


# --------------------------------------------------------------------------------------------------
# File names that are not UTF-8


def test_file_names_that_are_not_utf8_are_kept_losslessly(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good, bad = b"caf\xe9.txt", b"\xff\xfe-empty.txt"
    with open(os.fsencode(folder) + b"/" + good, "wb") as f:
        f.write(SAMPLE_TEXTS[0].read_bytes())
    with open(os.fsencode(folder) + b"/" + bad, "wb"):
        pass
    shutil.copyfile(SAMPLE_TEXTS[1], folder / "plain.txt")
    out = tmp_path / "out.jsonl"
    proc = ua_extract("extract", folder, "-o", out, "--workers", "2", *BLANK)
    assert proc.returncode == 1, proc.stderr  # the empty one failed; the batch went on
    raw = out.read_bytes() + batch.errors_path(out).read_bytes()
    raw.decode("utf-8")  # the files stay valid UTF-8 ...
    names = {os.path.basename(os.fsencode(p)) for p in accounted(out)}
    assert names == {good, bad, b"plain.txt"}  # ... and give back the exact bytes of each name
    [err] = lines(batch.errors_path(out))
    assert os.fsencode(err["path"]).endswith(bad) and err["error"] == "empty"
    before = out.read_bytes()
    again = ua_extract("extract", folder, "-o", out, "--workers", "1", *BLANK)
    assert out.read_bytes() == before and "skipped (already done) │ 2 │" in summary_of(again)
    assert len(lines(batch.errors_path(out))) == 1


# --------------------------------------------------------------------------------------------------
# Two runs on one output


def test_a_second_run_on_a_locked_output_refuses_with_exit_status_2(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"")
    with open(batch.lock_path(out), "w") as held:  # another process (this one) owns the output
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write("4242\n")
        held.flush()
        proc = ua_extract("extract", SAMPLE_TEXTS[0], "-o", out, *BLANK)
    assert proc.returncode == 2
    assert "another run (pid 4242)" in proc.stderr and "Traceback" not in proc.stderr
    assert out.read_bytes() == b"" and not batch.errors_path(out).exists()  # nothing touched


def test_two_runs_started_together_write_each_line_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    files = copies_folder(folder, distinct=80, copies=1)
    out = tmp_path / "out.jsonl"
    first = start("extract", folder, "-o", out, "--workers", "1", "-q")
    wait_for_lines(out, first)
    running = first.poll() is None
    second = ua_extract("extract", folder, "-o", out, "--workers", "1", "-q")
    first.wait(120)
    if not running:
        pytest.skip("the first run finished before the second started")
    assert second.returncode == 2 and "being written by another run" in second.stderr
    assert first.returncode == 0
    assert accounted(out) == {str(p): 1 for p in files}


# --------------------------------------------------------------------------------------------------
# Environment errors: one line, exit status 2; interrupts: 130 / 143, resumable


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real small file system of our own (needs root and mount permission; else the test skips)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mnt)]
    if subprocess.run(mount, capture_output=True, check=False).returncode:
        pytest.skip("cannot mount a tmpfs here (not root, or no mount permission)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_output_into_a_missing_folder_creates_it(tmp_path: Path) -> None:
    out = tmp_path / "new" / "deeper" / "out.jsonl"
    proc = ua_extract("extract", SAMPLE_TEXTS[0], "-o", out, *BLANK)
    assert proc.returncode == 0, proc.stderr
    assert len(lines(out)) == 1


def test_a_read_only_output_folder_is_one_line_and_exit_status_2(tmpfs: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    proc = ua_extract("extract", SAMPLE_TEXTS[0], "-o", tmpfs / "out.jsonl", *BLANK)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "Read-only file system" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_full_disk_is_one_line_exit_status_2_and_resumable(tmpfs: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    files = copies_folder(folder, distinct=30, copies=1)
    out = tmpfs / "out.jsonl"
    proc = ua_extract("extract", folder, "-o", out, "--workers", "1", "-q", *BLANK)
    assert proc.returncode == 2, proc.stderr
    assert "No space left on device" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    subprocess.run(["mount", "-o", "remount,size=8m", str(tmpfs)], check=True)  # space freed
    resumed = ua_extract("extract", folder, "-o", out, "--workers", "1", "-q", *BLANK)
    assert resumed.returncode == 0, resumed.stderr
    assert accounted(out) == {str(p): 1 for p in files}  # also: every line complete, valid JSON


@pytest.mark.parametrize(("sig", "code", "workers"), [(signal.SIGINT, 130, "1"), (signal.SIGINT, 130, "2"),
                                                      (signal.SIGTERM, 143, "2")])
def test_an_interrupted_run_says_how_to_resume_and_resumes(tmp_path: Path, sig: int, code: int, workers: str) -> None:
    folder = tmp_path / "in"
    files = copies_folder(folder, distinct=30, copies=1)
    out = tmp_path / "out.jsonl"
    proc = start("extract", folder, "-o", out, "--workers", workers, "-q", start_new_session=True)
    wait_for_lines(out, proc)
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C in a terminal: the whole process group, workers too
    else:
        proc.send_signal(sig)  # a service manager stopping the parent
    _, stderr = proc.communicate(timeout=60)
    message = stderr.decode("utf-8", "replace")
    assert proc.returncode == code, message
    assert message.strip() == "interrupted: run the same command again to resume"  # no traceback, no BrokenPipe
    assert len(lines(out)) < len(files)
    resumed = ua_extract("extract", folder, "-o", out, "--workers", workers)
    assert resumed.returncode == 0
    assert accounted(out) == {str(p): 1 for p in files}


def test_help_and_readme_document_the_exit_statuses() -> None:
    from extractor.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command").choices["extract"]  # type: ignore[index]
    text = " ".join(sub.format_help().split())
    readme = " ".join((ROOT / "README.md").read_text("utf-8").split())
    for phrase in ("0 every input", "1 some input failed", "2 usage or environment error", "130 interrupted",
                   "143 terminated", "OUT.lock", "duplicate", "not read", "not_a_file", "\\udcNN"):
        assert phrase in text, phrase
    for phrase in ("`0`", "`1`", "`2`", "`130`", "`143`", "duplicate", "not read", "not_a_file", "\\udcNN",
                   ".lock"):
        assert phrase in readme, phrase


# --------------------------------------------------------------------------------------------------
# API and settings


def test_the_api_takes_path_objects(tmp_path: Path) -> None:
    record = extractor.extract(SAMPLE_TEXTS[0], Settings(model="blank"))
    assert isinstance(record, UrgentAction) and record.source.path == str(SAMPLE_TEXTS[0])
    pdf = extractor.extract(SAMPLES / "ua-212-03-asa330402003.pdf", Settings(model="blank"))
    assert pdf.source.media_type == "application/pdf"
    got = list(extractor.extract_many([SAMPLE_TEXTS[1], tmp_path / "missing.txt"], Settings(model="blank")))
    assert isinstance(got[0], UrgentAction)
    assert isinstance(got[1], ErrorEntry) and (got[1].path, got[1].error) == (str(tmp_path / "missing.txt"), "unreadable")
    assert [type(r) for r in batch.iter_results([SAMPLE_TEXTS[1]], Settings(model="blank"))] == [UrgentAction]


def test_the_cli_starts_from_the_environments_settings(tmp_path: Path) -> None:
    proc = subprocess.run(CLI + ["extract", str(SAMPLE_TEXTS[0]), "-o", str(tmp_path / "o.jsonl")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "UA_EXTRACT_MODEL": "no_such_model_pkg"})
    assert proc.returncode == 2 and "no_such_model_pkg" in proc.stderr and "Traceback" not in proc.stderr
    from extractor.cli import build_parser

    args = build_parser().parse_args(["extract", "x"])
    assert args.workers == Settings().workers == Settings.from_env().workers  # one default, one place


def test_library_reasons_name_settings_and_the_cli_names_flags(tmp_path: Path) -> None:
    entry = batch.timeout_entry(str(SAMPLE_TEXTS[0]), 3)
    assert "the setting limits.seconds_per_document" in entry.reason and "--" not in entry.reason
    from extractor.cli import reword

    assert "--seconds-per-document" in reword(entry.reason)


def test_every_error_code_has_its_class_and_no_class_is_left_over() -> None:
    def classes(c: type[errors.ExtractionError]) -> list[type[errors.ExtractionError]]:
        return [c] + [d for s in c.__subclasses__() for d in classes(s)]

    codes = {c.code for c in classes(errors.ExtractionError)}
    assert codes == set(get_args(ErrorCode))
    with pytest.raises(ValueError):
        ErrorEntry(path="x", error="not_urgent_action", reason="never raised, so removed")  # type: ignore[arg-type]


def test_the_batch_package_has_no_complex_function() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    if not ruff.exists():
        pytest.skip("ruff is not installed here (pip install -e '.[dev]')")
    proc = subprocess.run([str(ruff), "check", "--select", "C901", "--config", "lint.mccabe.max-complexity=10",
                           "extractor/batch"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout
