"""Throughput of `ua-extract extract` (the real CLI, in subprocesses) against bare spaCy, on unique inputs.

Not a test: it prints figures. In one run, on the same inputs, it measures:

- two corpora of unique files (each copy gets its own last line: the batch runner extracts a content
  once and copies its line to the other paths with the same bytes, so plain copies would cost
  nothing): "dev-length", COPIES copies of every text in samples/ and ../shared/corpus/dev (about
  2,000 characters each), and "full-length", FULL documents of 7,000-10,000 characters, the length of
  the seed archive's UAs, each made of dev texts put one after another in its own order;
- for each: docs/s of `ua-extract extract DIR -o OUT --force --workers 1` and `--workers 2` (wall time,
  start-up and model load included; "steady" subtracts the wall time of a run of one document per
  worker, which starts up the same way), and of
  bare spaCy `nlp.pipe` with the same model and the entity recogniser alone (spacy.load, every other
  component excluded, spaCy's default batch size), in a child process;
- peak RSS of the CLI process, of the fork server that holds the model, and of the largest worker,
  with the worker's peak USS (the memory that is its own, not shared with the fork server);
- the per-stage breakdown of one process (tokenizer, NER, language, rules, assemble, JSON) in ms/doc;
- the projected time for 11,000 full-length UAs with 2 workers on this machine.

    .venv/bin/python benchmarks/throughput.py [--copies 3] [--full 240]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(os.environ.get("UA_BENCH_ROOT") or Path(__file__).resolve().parents[1])  # another checkout: its code
CORPORA = [ROOT / "samples", ROOT.parent / "shared" / "corpus" / "dev"]
CLI = [sys.executable, "-m", "extractor.cli"]
ARCHIVE = 11_000
MB = 1024 * 1024


def source_texts() -> list[str]:
    return [p.read_text("utf-8", errors="replace") for c in CORPORA if c.is_dir() for p in sorted(c.glob("*.txt"))]


def build_dev(folder: Path, copies: int) -> list[Path]:
    out = []
    for k in range(copies):
        for n, text in enumerate(source_texts()):
            dst = folder / f"{k:03d}-{n:03d}.txt"
            dst.write_text(f"{text.rstrip()}\n\nBenchmark copy {k}.\n", "utf-8")
            out.append(dst)
    return out


def build_full(folder: Path, count: int) -> list[Path]:
    texts = [t.strip() for t in source_texts() if 800 <= len(t) <= 6000]
    rng = random.Random(16)
    out = []
    for k in range(count):
        parts: list[str] = []
        while sum(map(len, parts)) < 7000:
            parts.append(rng.choice(texts))
        body = "\n\n".join(parts)[:10_000]
        dst = folder / f"full-{k:04d}.txt"
        dst.write_text(f"{body}\n\nBenchmark document {k}.\n", "utf-8")
        out.append(dst)
    return out


def run_measured(cmd: list[str]) -> dict[str, float]:
    """Wall and CPU seconds of one command, and peak memory (bytes) of its processes, sampled with
    psutil every 50 ms: the CLI process, the fork server, the largest worker (RSS and USS)."""
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak = {"cli": 0, "server": 0, "worker": 0, "worker_uss": 0, "workers": 0}
    tick = 0
    while proc.poll() is None:
        tick += 1
        try:
            family = proc.children(recursive=True)
        except psutil.Error:
            family = []
        workers = 0
        for p in [proc, *family]:
            try:
                line = " ".join(p.cmdline())
                rss = p.memory_info().rss
                if p.pid == proc.pid:
                    role = "cli"
                elif "resource_tracker" in line:
                    continue
                elif "forkserver" in line and p.ppid() == proc.pid:
                    role = "server"
                else:
                    role = "worker"
                    workers += 1
                    if tick % 4 == 0:  # USS reads /proc/PID/smaps: not every tick
                        peak["worker_uss"] = max(peak["worker_uss"], p.memory_full_info().uss)
                peak[role] = max(peak[role], rss)
            except psutil.Error:
                pass
        peak["workers"] = max(peak["workers"], workers)
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out, err = proc.stdout.read().decode(), proc.stderr.read().decode()
    if proc.returncode not in (0, 1) or "Traceback" in err:  # 1: some inputs failed, which is fine here
        raise SystemExit(f"{cmd[2:5]} failed ({proc.returncode}): {err[-2000:]}")
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "out": out, **peak}  # type: ignore[dict-item]


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


def bare_ner(folder: str, model: str) -> None:
    """Child mode: stock spaCy, the entity recogniser alone, over the texts; prints load and pipe seconds."""
    import spacy

    from extractor.nlp import load_pipeline

    name = load_pipeline(model).model  # the package `auto` resolves to
    texts = [p.read_text("utf-8", errors="replace") for p in sorted(Path(folder).glob("*.txt"))]
    t0 = time.perf_counter()
    nlp = spacy.load(name, exclude=[p for p in spacy.load(name).pipe_names if p != "ner"])
    t1 = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    print(t1 - t0, time.perf_counter() - t1)


def stages(folder: str, model: str) -> None:
    """Child mode: ms/doc of each stage in one process, the way extract_batch runs them (NER in shared
    batches of BATCH_DOCUMENTS documents), after the fork server's warm-up; prints JSON."""
    import contextlib

    from extractor.assemble import assemble
    from extractor.batch.outcome import Outcome
    from extractor.ingest import read_path
    from extractor.nlp import load_pipeline
    from extractor.segment import reading_view

    try:
        from extractor.api import BATCH_DOCUMENTS
        from extractor.nlp import _one_blas_thread
    except ImportError:  # a checkout from before batching (UA_BENCH_ROOT): one document at a time
        BATCH_DOCUMENTS, _one_blas_thread = 1, contextlib.nullcontext

    pipe = load_pipeline(model)
    nlp = pipe.nlp
    try:  # as the fork server does before any worker: compile the patterns once, outside the figures
        from extractor.batch.preload import WARM_UP
    except ImportError:  # an older checkout (UA_BENCH_ROOT)
        WARM_UP = ()
    for text in WARM_UP:
        nlp(text)
    paths = sorted(Path(folder).glob("*.txt"))
    total = dict.fromkeys(("read", "tokenizer", "NER", "language", "rules", "assemble", "JSON"), 0.0)
    ner = [component for name, component in nlp.pipeline if name not in ("ua_language", "ua_rules")]
    language, rules = nlp.get_pipe("ua_language"), nlp.get_pipe("ua_rules")

    def clock(stage: str, start: float) -> float:
        now = time.process_time()
        total[stage] += now - start
        return now

    for i in range(0, len(paths), BATCH_DOCUMENTS):
        t = time.process_time()
        docs = [read_path(str(p)) for p in paths[i:i + BATCH_DOCUMENTS]]
        t = clock("read", t)
        sdocs = []
        for d in docs:
            view = reading_view(d.text)
            sdocs.append(nlp.make_doc(view))
            if sdocs[-1].has_extension("ua_text"):
                sdocs[-1]._.ua_text = view  # as recognise keeps the text it was given
        t = clock("tokenizer", t)
        with _one_blas_thread():
            for component in ner:
                sdocs = list(component.pipe(sdocs, batch_size=len(sdocs)))
        t = clock("NER", t)
        for doc, sdoc in zip(docs, sdocs, strict=True):
            language(sdoc)
            t = clock("language", t)
            try:
                rules(sdoc, span_group=False)  # as extraction runs it
            except TypeError:  # before batching
                rules(sdoc)
            t = clock("rules", t)
            record = assemble(doc, sdoc._.ua_context, model=pipe.model, notes=pipe.warnings)
            t = clock("assemble", t)
            Outcome.of(record)
            t = clock("JSON", t)
    print(json.dumps({k: 1000 * v / len(paths) for k, v in total.items()}))


def measure(label: str, files: list[Path], tmp: Path, model: str) -> dict[str, dict[str, float]]:
    folder = files[0].parent
    n = len(files)

    def cli(where: Path, workers: str) -> dict[str, float]:
        return run_measured(CLI + ["extract", str(where), "-o", str(tmp / "out.jsonl"), "--force", "-q",
                                   "--model", model, "--workers", workers])

    rows: dict[str, dict[str, float]] = {}
    for workers in ("1", "2"):
        # start-up in the same mode: as many documents as workers, so --workers 2 starts its pool (one
        # document alone runs in the parent, which would leave the pool's start-up in "steady")
        k = int(workers)
        first = tmp / f"first-{label}-{workers}"
        first.mkdir()
        for f in files[:k]:
            shutil.copyfile(f, first / f.name)
        start_s = cli(first, workers)["seconds"]
        row = cli(folder, workers)
        row["steady"] = (n - k) / max(row["seconds"] - start_s, 1e-9)
        row["start"] = start_s
        rows[f"CLI --workers {workers}"] = row
    row = run_measured([sys.executable, __file__, "--bare-ner", str(folder), "--model", model])
    _load_s, pipe_s = map(float, str(row["out"]).split())
    row["steady"], row["start"] = n / pipe_s, row["seconds"] - pipe_s
    rows["bare spaCy nlp.pipe, NER only"] = row
    for row in rows.values():
        row["docs_s"] = n / row["seconds"]
    return rows


def report(label: str, n: int, chars: float, rows: dict[str, dict[str, float]]) -> None:
    print(f"\n{label}: {n} unique documents, {chars:.0f} characters on average")
    print(f"{'mode':32} {'seconds':>8} {'docs/s':>7} {'steady':>7} {'start s':>7} {'CPU s':>6} "
          f"{'RSS CLI':>8} {'server':>7} {'worker':>7} {'w. USS':>7}")
    for name, r in rows.items():
        print(f"{name:32} {r['seconds']:8.2f} {r['docs_s']:7.1f} {r['steady']:7.1f} {r['start']:7.1f} {r['cpu']:6.1f} "
              f"{r['cli'] / MB:5.0f} MB {r['server'] / MB:4.0f} MB {r['worker'] / MB:4.0f} MB {r['worker_uss'] / MB:4.0f} MB")
    w1, w2, bare = rows["CLI --workers 1"], rows["CLI --workers 2"], rows["bare spaCy nlp.pipe, NER only"]
    print(f"CLI 1 worker / bare NER:  {w1['docs_s'] / bare['docs_s']:.2f} (wall)  {w1['steady'] / bare['steady']:.2f} (steady)"
          "   [target >= 0.9]")
    print(f"CLI 2 workers / 1 worker: {w2['docs_s'] / w1['docs_s']:.2f} (wall)  {w2['steady'] / w1['steady']:.2f} (steady)"
          "   [target >= 1.8]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=3, help="copies of each dev-length text (default 3)")
    ap.add_argument("--full", type=int, default=240, help="full-length documents (default 240)")
    ap.add_argument("--model", default="auto")
    ap.add_argument("--bare-ner", metavar="DIR", help=argparse.SUPPRESS)  # child modes
    ap.add_argument("--stages", metavar="DIR", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.bare_ner:
        return bare_ner(a.bare_ner, a.model)
    if a.stages:
        return stages(a.stages, a.model)
    with tempfile.TemporaryDirectory(prefix="ua-bench-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "dev").mkdir()
        (tmp / "full").mkdir()
        dev, full = build_dev(tmp / "dev", a.copies), build_full(tmp / "full", a.full)
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start, model {a.model}; "
              f"parallel capacity (2 CPU-bound processes vs 1): {parallel_capacity():.2f}")
        results = {}
        for label, files in (("dev-length", dev), ("full-length", full)):
            results[label] = measure(label, files, tmp, a.model)
            chars = sum(f.stat().st_size for f in files) / len(files)
            report(label, len(files), chars, results[label])
        print("(docs/s: wall time including interpreter start-up and model load; steady: start-up excluded, i.e. "
              "minus a run of one document per worker, or for bare spaCy the pipe() call alone; RSS/USS: peaks)")
        for label, files in (("dev-length", dev), ("full-length", full)):
            out = subprocess.run([sys.executable, __file__, "--stages", str(files[0].parent), "--model", a.model],
                                 capture_output=True, text=True, check=True, cwd=ROOT).stdout
            ms = json.loads(out)
            total = sum(ms.values())
            print(f"\nstages, {label}, one process (CPU ms/doc): " + ", ".join(
                f"{k} {v:.1f} ({100 * v / total:.0f}%)" for k, v in ms.items()) + f"; total {total:.1f}")
        w2 = results["full-length"]["CLI --workers 2"]
        projected = ARCHIVE / w2["steady"] + w2["start"]
        print(f"\nprojected for {ARCHIVE:,} full-length UAs with --workers 2: {projected / 60:.1f} minutes "
              f"({w2['steady']:.1f} docs/s steady + {w2['start']:.1f} s start-up)   [target < 15, goal 10]")
        print(f"load average at the end {os.getloadavg()[0]:.2f}; parallel capacity now {parallel_capacity():.2f} "
              "(other work on the machine skews the figures)")


if __name__ == "__main__":
    main()
