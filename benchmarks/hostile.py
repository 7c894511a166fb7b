"""What hostile and pathological inputs cost: seconds and peak RSS of one child process per case.

Not a test: it prints figures (issue 13). Each case runs in its own process with a memory cap
(RLIMIT_AS, default 6 GiB) and a time cap (default 90 s), so a case that is not bounded shows up
as "killed" or "MemoryError" instead of taking the machine down. Cases:

- PDF decompression bombs (tests/hostile_pdfs.py): Flate, [/ASCIIHexDecode /FlateDecode],
  RunLength, ASCII85 'z', [/FlateDecode /LZWDecode], an object stream, the xref stream;
  read with ``extractor.ingest.read_path``;
- texts through ``extractor.extract_text`` (the library, model loaded): runs of '(' (spaCy's
  tokenizer suffix search), a real UA repeated to 480,000 characters (worker memory), 800,000
  characters (over ``max_chars``), a lone surrogate;
- standard input: ``ua-extract extract -`` fed from /dev/zero (never ends).

    .venv/bin/python benchmarks/hostile.py            # all cases
    .venv/bin/python benchmarks/hostile.py -k paren   # cases whose name contains "paren"
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile_pdfs  # the builders live beside the tests that use them

SAMPLE = ROOT / "samples" / "ua-057-16-eur4636432016.txt"
READ_PDF = """
import sys
from extractor.errors import ExtractionError
from extractor.ingest import read_path
try:
    doc = read_path(sys.argv[1])
    print("document,", len(doc.text), "chars")
except ExtractionError as exc:
    print(exc.code + ":", exc.reason[:110])
"""
EXTRACT_TEXT = """
import sys
import extractor
from extractor.errors import ExtractionError
text = open(sys.argv[1], encoding="utf-8", errors="surrogatepass").read()
extractor.extract_text("UA 1/20")  # load the model first: its cost is not the case's
try:
    record = extractor.extract_text(text)
    print("record,", record.ua_number, len(record.evidence), "evidence")
except ExtractionError as exc:
    print(exc.code + ":", exc.reason[:110])
except Exception as exc:
    print("raised", type(exc).__name__)
"""


def texts() -> dict[str, str]:
    ua = SAMPLE.read_text("utf-8")
    head = "UA 12/20 Fear of torture\n\n"
    return {
        "16,000 '(' (extract_text)": head + "(" * 16_000,
        "200,000 '(' (extract_text)": head + "(" * 200_000,
        "real UA x 480k chars (extract_text)": (ua * (480_000 // len(ua) + 1))[:480_000],
        "800k chars (extract_text)": (ua * (800_000 // len(ua) + 1))[:800_000],
        "lone surrogate (extract_text)": head + "caf\udce9 " + ua,
        "25 KB of blank lines before a UA (extract_text)": "\n" * 25_000 + ua,
        "50 KB of blank lines before a UA (extract_text)": "\n" * 50_000 + ua,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", default="", help="only cases whose name contains this")
    parser.add_argument("--seconds", type=float, default=90.0, help="time cap per case")
    parser.add_argument("--memory", type=float, default=6.0, help="memory cap per case, GiB")
    a = parser.parse_args()
    cap = int(a.memory * hostile_pdfs.GiB)
    env = {"PYTHONPATH": str(ROOT)}
    print(f"{'case':40} {'seconds':>8} {'peak RSS':>10}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        cases: list[tuple[str, list[str], object]] = []
        for name, build in hostile_pdfs.BOMBS.items():
            if a.k in f"PDF {name}":
                path = Path(tmp) / "bomb.pdf"
                cases.append((f"PDF {name}", [sys.executable, "-c", READ_PDF, str(path)], (path, build)))
        for name, text in texts().items():
            if a.k in name:
                path = Path(tmp) / f"text{len(cases)}.txt"
                path.write_text(text, "utf-8", errors="surrogatepass")
                cases.append((name, [sys.executable, "-c", EXTRACT_TEXT, str(path)], None))
        stdin_case = "stdin from /dev/zero (extract -)"
        if a.k in stdin_case:
            cases.append((stdin_case, [sys.executable, "-m", "extractor.cli", "extract", "-", "-o",
                                       str(Path(tmp) / "out.jsonl"), "-q", "--workers", "1"], "stdin"))
        for name, args, extra in cases:
            stdin = None
            if isinstance(extra, tuple):
                extra[0].write_bytes(extra[1]())
            elif extra == "stdin":
                stdin = open("/dev/zero", "rb")  # noqa: SIM115 - closed below
            rc, out, seconds, peak = hostile_pdfs.run_measured(args, stdin=stdin.fileno() if stdin else None,
                                                               timeout=a.seconds, memory_cap=cap, env=env)
            if stdin:
                stdin.close()
                errors = Path(tmp) / "out.errors.jsonl"
                out = errors.read_text()[:160] if errors.exists() else out
            lines = [line for line in out.strip().splitlines() if line.strip()]
            outcome = f"killed after {a.seconds:g} s" if rc is None else (lines[-1][:110] if lines else f"exit {rc}")
            if "MemoryError" in out:
                outcome = f"MemoryError (over the {a.memory:g} GiB cap)"
            print(f"{name:40} {seconds:8.1f} {peak / 2**20:8.0f} MB  {outcome}", flush=True)


if __name__ == "__main__":
    main()
