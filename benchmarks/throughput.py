"""Throughput of `ua-extract extract` (the real CLI, in subprocesses) against bare spaCy.

Not a test: it prints figures. It builds a corpus of COPIES copies of every text in samples/ (and
/work/shared/corpus/dev when present) in a temporary folder, then measures, in one run:

- docs/s of `ua-extract extract DIR -o OUT --force` with --workers 1 and --workers 2 (wall time,
  model loading included; "steady" subtracts the start-up time of a one-document run);
- docs/s of `--rules-only --workers 1` (statistical NER disabled);
- docs/s of bare `nlp.pipe` over the same texts, with the same model and components
  (`load_pipeline(model).nlp`: NER + the project's ua_language/ua_rules components), in a child
  process, with spaCy's default batch size and with batch_size=16;
- peak RSS: of the largest process (CLI or one worker) and of the whole process tree, sampled with psutil.

    .venv/bin/python benchmarks/throughput.py --copies 5
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [ROOT / "samples", Path("/work/shared/corpus/dev")]
CLI = [sys.executable, "-m", "extractor.cli"]


def build_corpus(folder: Path, copies: int) -> list[Path]:
    texts = sorted(p for c in CORPORA if c.is_dir() for p in c.glob("*.txt"))
    out = []
    for k in range(copies):
        for p in texts:
            dst = folder / f"{k:03d}-{p.parent.name}-{p.name}"
            shutil.copyfile(p, dst)
            out.append(dst)
    return out


def run_measured(cmd: list[str]) -> tuple[float, float, int, int, str]:
    """(wall seconds, CPU seconds, peak RSS of the largest process, peak RSS of the process tree, stdout)
    of one command; RSS in bytes, sampled every 50 ms with psutil."""
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak_one = peak_tree = 0
    while proc.poll() is None:
        rss = []
        try:
            for p in [proc] + proc.children(recursive=True):
                try:
                    rss.append(p.memory_info().rss)
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak_one, peak_tree = max(peak_one, max(rss, default=0)), max(peak_tree, sum(rss))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers joined by the CLI are included
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    if proc.returncode not in (0, 1) or "Traceback" in err:  # 1: some inputs failed, which is fine here
        raise SystemExit(f"{cmd[2:4]} failed ({proc.returncode}): {err[-2000:]}")
    return seconds, cpu, peak_one, peak_tree, out


def parallel_capacity() -> float:
    """How many cores this machine gives us right now: the speed-up of two CPU-bound processes over
    one (2.0 on an idle machine with two free cores; less when other work competes)."""
    spin = [sys.executable, "-c", "sum(i * i for i in range(12_000_000))"]

    def timed(k: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen(spin) for _ in range(k)]
        for p in procs:
            p.wait()
        return time.perf_counter() - start

    return 2 * timed(1) / timed(2)


def bare_pipe(folder: str, model: str, batch_size: int | None) -> None:
    """Child mode: print the load and pipe seconds of load_pipeline(model).nlp.pipe over the texts."""
    from extractor.nlp import load_pipeline

    texts = [p.read_text("utf-8", errors="replace") for p in sorted(Path(folder).glob("*.txt"))]
    t0 = time.perf_counter()
    nlp = load_pipeline(model).nlp
    t1 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    print(t1 - t0, time.perf_counter() - t1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=5, help="copies of each text (default 5)")
    ap.add_argument("--model", default="auto")
    ap.add_argument("--bare-pipe", metavar="DIR", help=argparse.SUPPRESS)  # child mode, see bare_pipe()
    ap.add_argument("--batch-size", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.bare_pipe:
        return bare_pipe(a.bare_pipe, a.model, a.batch_size)
    mb = 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="ua-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        files = build_corpus(corpus, a.copies)
        n = len(files)
        one = Path(tmp) / "one"
        one.mkdir()
        shutil.copyfile(files[0], one / files[0].name)
        print(f"corpus: {n} documents ({sum(f.stat().st_size for f in files) / 1024:.0f} KiB), "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start, model {a.model}")

        def cli(folder: Path, *extra: str) -> tuple[float, float, int, int, str]:
            return run_measured(CLI + ["extract", str(folder), "-o", str(Path(tmp) / "out.jsonl"), "--force", "-q",
                                       "--model", a.model, *extra])

        capacity_before = parallel_capacity()
        rows = []
        for label, extra in [("CLI --workers 1", ["--workers", "1"]),
                             ("CLI --workers 2", ["--workers", "2"]),
                             ("CLI --rules-only --workers 1", ["--rules-only", "--workers", "1"])]:
            start_s = cli(one, *extra)[0]
            secs, cpu, peak_one, peak_tree, _ = cli(corpus, *extra)
            steady = (n - 1) / max(secs - start_s, 1e-9)
            rows.append((label, secs, n / secs, steady, cpu, peak_one, peak_tree))
        for bs in (None, 16):
            secs, cpu, peak_one, peak_tree, out = run_measured(
                [sys.executable, __file__, "--bare-pipe", str(corpus), "--model", a.model]
                + (["--batch-size", str(bs)] if bs else []))
            _load_s, pipe_s = map(float, out.split())
            label = f"bare nlp.pipe, batch_size={bs or 'default'}"
            rows.append((label, secs, n / secs, n / pipe_s, cpu, peak_one, peak_tree))
        print(f"\n{'mode':34} {'seconds':>8} {'docs/s':>7} {'steady':>7} {'CPU s':>6} {'peak RSS/proc':>14} "
              f"{'peak RSS tree':>14}")
        for label, secs, dps, steady, cpu, p1, pt in rows:
            print(f"{label:34} {secs:8.2f} {dps:7.1f} {steady:7.1f} {cpu:6.1f} {p1 / mb:11.0f} MB {pt / mb:11.0f} MB")
        print("(docs/s: wall time including interpreter start-up and model load; steady: start-up excluded, i.e. "
              "minus a one-document run, or for nlp.pipe the pipe() call alone)")
        w1, w2, rules, bare, bare16 = rows
        print(f"\nCLI 1 worker / bare nlp.pipe:  {w1[2] / bare[2]:.2f} (wall)   {w1[3] / bare[3]:.2f} (steady)   "
              f"vs batch_size=16: {w1[2] / bare16[2]:.2f} (wall)   {w1[3] / bare16[3]:.2f} (steady)")
        print(f"CLI 2 workers / 1 worker:      {w2[2] / w1[2]:.2f} (wall)   {w2[3] / w1[3]:.2f} (steady)   "
              f"CPU seconds 2 workers / 1 worker: {w2[4] / w1[4]:.2f} (about 1: no parallel overhead)")
        print(f"rules-only / CLI 1 worker:     {rules[2] / w1[2]:.2f} (wall)   {rules[3] / w1[3]:.2f} (steady)")
        print(f"parallel capacity (2 CPU-bound processes vs 1): {capacity_before:.2f} before, "
              f"{parallel_capacity():.2f} after; load average at the end {os.getloadavg()[0]:.1f} "
              "(other work on the machine skews the figures)")


if __name__ == "__main__":
    main()
