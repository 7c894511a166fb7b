"""Running many documents: input discovery, one record or one error line per input, a summary.

Three ways to run the same per-document function, :func:`process`:

- in this process (``workers=1``), with the per-document time limit enforced by ``SIGALRM``;
- a pool of spawned worker processes on this machine (``workers>1``): each loads the model once,
  takes one path at a time (paths travel, never file contents), and is killed and replaced when a
  document runs over the time limit or the worker dies (out of memory, a crash in native code);
- a Dask cluster (``scheduler="tcp://..."``), for more than one machine.

Every input ends as exactly one line: a record in the output file or an entry in
``<output stem>.errors.jsonl`` (path, sha256, error, reason). Lines are written as documents finish
(so with several workers their order is not the input order; each line names its source path), each
with a single ``write()`` of the complete line, and the files are fsynced every few seconds. A run
that is killed therefore leaves at most one partial last line, which the next run cuts off.

Resuming: running again with the same output skips every input whose content (sha256 of its bytes)
already has a record in the output, whatever its path; inputs that failed before are tried again
(their old error lines are dropped, and they get a new one if they fail again). ``force=True``
starts both files afresh.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import IO, Any

from extractor.api import extract_document, extract_or_error
from extractor.errors import ExtractionError
from extractor.ingest import read_stdin
from extractor.nlp import load_pipeline
from extractor.settings import Settings
from models import ErrorEntry, UrgentAction

# What a folder walk picks up; files named on the command line are read whatever their name.
SUFFIXES = (".txt", ".text", ".pdf")
#: Record fields the summary counts (how many records found each).
SUMMARY_FIELDS = ("ua_number", "ai_index", "issue_date", "appeal_deadline", "country", "subjects", "recipients")
FSYNC_SECONDS = 2.0  # at most this much written output rests only in the OS cache


# Characters JSON leaves raw that str.splitlines() and many JSON Lines readers take for line breaks.
_LINE_BREAKERS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(result: UrgentAction | ErrorEntry) -> str:
    """One JSON Lines line: a document's U+2028 or NEL stays inside its string, escaped."""
    return result.model_dump_json().translate(_LINE_BREAKERS) + "\n"


class RunError(RuntimeError):
    """The batch cannot run at all (the model does not load, dask is missing, no scheduler at the
    address). Per-document problems never raise: they become error entries."""


def discover(paths: Iterable[str]) -> list[str]:
    """Files as given, folders walked recursively for .txt and .pdf (sorted, so runs repeat)."""
    out: list[str] = []
    for p in paths:
        if p == "-" or not os.path.isdir(p):
            out.append(p)
            continue
        for root, dirs, files in os.walk(p):
            dirs.sort()
            for f in sorted(files):
                if f.lower().endswith(SUFFIXES):
                    out.append(os.path.join(root, f))
    return out


def process(path: str, settings: Settings) -> UrgentAction | ErrorEntry:
    """One input to one record or one error entry; never raises for a bad document. Error entries
    carry the input's sha256 whenever the file can be read at all."""
    if path == "-":
        try:
            return extract_document(read_stdin(settings.limits), settings)
        except ExtractionError as exc:
            return ErrorEntry(path="-", sha256=exc.sha256, error=exc.code, reason=exc.reason)
    result = extract_or_error(path, settings)
    if isinstance(result, ErrorEntry) and result.sha256 is None:
        result.sha256 = file_sha256(path)
    return result


def file_sha256(path: str) -> str | None:
    """sha256 of a file's bytes, streamed; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    """One finished input as the writer needs it: the complete JSON line and what the summary counts.
    Worker processes send these (small, already serialised) rather than the Pydantic objects."""

    path: str
    line: str  # one JSON object and "\n"
    error: str | None = None  # the error code, None for a record
    fields: tuple[str, ...] = ()  # SUMMARY_FIELDS this record has

    @classmethod
    def of(cls, result: UrgentAction | ErrorEntry) -> Outcome:
        line = json_line(result)
        if isinstance(result, ErrorEntry):
            return cls(result.path, line, error=result.error)
        return cls(result.source.path, line, fields=tuple(f for f in SUMMARY_FIELDS if getattr(result, f)))


@dataclass
class Summary:
    """``inputs == records + errors + skipped`` at the end of a run."""

    inputs: int = 0
    records: int = 0
    errors: int = 0
    skipped: int = 0  # already had a record in the output (resumed run)
    fields_found: dict[str, int] = field(default_factory=dict)
    error_codes: dict[str, int] = field(default_factory=dict)

    def add(self, result: Outcome | UrgentAction | ErrorEntry | None) -> None:
        """Count one input: a finished one, or None for one skipped as already done."""
        self.inputs += 1
        if result is None:
            self.skipped += 1
            return
        outcome = result if isinstance(result, Outcome) else Outcome.of(result)
        if outcome.error is not None:
            self.errors += 1
            self.error_codes[outcome.error] = self.error_codes.get(outcome.error, 0) + 1
            return
        self.records += 1
        for name in outcome.fields:
            self.fields_found[name] = self.fields_found.get(name, 0) + 1


def errors_path(output: Path) -> Path:
    return output.with_name(output.stem + ".errors.jsonl")


# --------------------------------------------------------------------------------------------------
# The run


def run(paths: list[str], settings: Settings, output: Path | None = None, *, force: bool = False,
        scheduler: str | None = None, stdout: IO[str] | None = None, stderr: IO[str] | None = None,
        on_result: Callable[[Outcome | None], None] | None = None) -> Summary:
    """Extract every path; records to ``output`` (JSON Lines), errors beside it in
    ``errors_path(output)``. Without ``output`` records go to ``stdout`` and error lines to
    ``stderr`` (no resuming). ``settings.workers`` > 1 runs a local process pool; ``scheduler``
    (a dask.distributed address) runs on a Dask cluster instead. ``on_result`` is called once per
    input, with None for an input skipped because it is already done."""
    summary = Summary()
    sink = _Sink.open(output, force=force, run_paths=paths, stdout=stdout, stderr=stderr)
    try:
        stdin_first = [p for p in paths if p == "-"]
        files = [p for p in paths if p != "-"]
        todo = _skip_done(files, sink.done, summary, on_result)
        first = next(todo, None)  # nothing left to do (a finished run resumed): start no workers
        todo = _chain(iter([first]), todo) if first is not None else iter(())
        if first is None:
            outcomes: Iterator[Outcome] = iter(())
        elif scheduler:
            outcomes = _run_dask(todo, settings, scheduler)
        elif min(settings.workers, len(files)) > 1:
            outcomes = _run_pool(todo, settings, min(settings.workers, len(files)))
        else:
            outcomes = _run_here(todo, settings)
        if stdin_first:  # standard input can only be read here, whatever the backend
            outcomes = _chain(_run_here(iter(stdin_first), settings), outcomes)
        try:
            for outcome in outcomes:
                sink.write(outcome)
                summary.add(outcome)
                if on_result:
                    on_result(outcome)
        finally:
            close = getattr(outcomes, "close", None)
            if close:
                close()  # stops the workers even when writing failed or the user pressed Ctrl-C
    finally:
        sink.close()
    return summary


def iter_results(paths: list[str], settings: Settings) -> Iterator[UrgentAction | ErrorEntry]:
    """In order, in this process: for callers that want the objects (``ua-extract eval``)."""
    for path in paths:
        yield process(path, settings)


def _chain(*iterators: Iterator[Any]) -> Iterator[Any]:
    try:
        for it in iterators:
            yield from it
    finally:
        for it in iterators:
            close = getattr(it, "close", None)
            if close:
                close()


def _skip_done(paths: list[str], done: set[str], summary: Summary,
               on_result: Callable[[Outcome | None], None] | None) -> Iterator[str]:
    """The paths still to do, lazily: an input is hashed only when the output already holds records,
    and only as it comes up, so hashing overlaps with the workers' extraction."""
    for path in paths:
        if done and file_sha256(path) in done:
            summary.add(None)
            if on_result:
                on_result(None)
            continue
        yield path


# --------------------------------------------------------------------------------------------------
# Output: resumable JSON Lines


class _Sink:
    """Where lines go. For files: one ``write()`` per complete line on an unbuffered descriptor,
    fsync every FSYNC_SECONDS and at the end."""

    def __init__(self, out: IO[Any], errors: IO[Any], done: set[str], files: bool) -> None:
        self.out, self.errors, self.done, self.files = out, errors, done, files
        self.synced = time.monotonic()

    @classmethod
    def open(cls, output: Path | None, *, force: bool, run_paths: list[str],
             stdout: IO[str] | None, stderr: IO[str] | None) -> _Sink:
        if output is None:
            return cls(stdout or sys.stdout, stderr or sys.stderr, set(), files=False)
        err = errors_path(output)
        done: set[str] = set()
        if force:
            for p in (output, err):
                with open(p, "wb"):
                    pass
        else:
            done = _resume_output(output)
            _drop_errors_of(err, set(run_paths))
        return cls(open(output, "ab", buffering=0), open(err, "ab", buffering=0), done, files=True)

    def write(self, outcome: Outcome) -> None:
        target = self.errors if outcome.error is not None else self.out
        if self.files:
            data = memoryview(outcome.line.encode("utf-8"))
            written = target.write(data)  # unbuffered: one write() of the whole line...
            while written < len(data):  # ...unless the disk is nearly full; a rerun cuts a partial line
                written += target.write(data[written:])
            if time.monotonic() - self.synced > FSYNC_SECONDS:
                self.sync()
        else:
            target.write(outcome.line)
            target.flush()

    def sync(self) -> None:
        for f in (self.out, self.errors):
            os.fsync(f.fileno())
        self.synced = time.monotonic()

    def close(self) -> None:
        if self.files:
            try:
                self.sync()
            finally:
                self.out.close()
                self.errors.close()


def _resume_output(output: Path) -> set[str]:
    """The sha256 of every record already in ``output``; a partial last line (a run killed while
    writing it) is cut off first. A missing file is an empty one."""
    if not output.exists():
        return set()
    _cut_partial_line(output)
    done: set[str] = set()
    with open(output, "rb") as handle:
        for raw in handle:
            try:
                sha = json.loads(raw)["source"]["sha256"]
            except (ValueError, KeyError, TypeError):
                continue  # not a record of ours: never counted as done, so its input is redone
            if isinstance(sha, str):
                done.add(sha)
    return done


def _cut_partial_line(path: Path) -> None:
    """Truncate ``path`` after its last newline (nothing if it ends with one or is empty)."""
    with open(path, "r+b") as handle:
        end = handle.seek(0, os.SEEK_END)
        pos = end
        while pos > 0:
            step = min(1 << 16, pos)
            handle.seek(pos - step)
            chunk = handle.read(step)
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                keep = pos - step + nl + 1
                break
            pos -= step
        else:
            keep = 0
        if keep != end:
            handle.truncate(keep)


def _drop_errors_of(err: Path, paths: set[str]) -> None:
    """Rewrite the errors file without the entries of this run's inputs (they are retried) and
    without a partial last line; entries of other inputs stay. Atomic: a temp file and a rename."""
    if not err.exists():
        return
    tmp = err.with_name(err.name + ".tmp")
    with open(err, "rb") as src, open(tmp, "wb") as dst:
        for raw in src:
            if not raw.endswith(b"\n"):
                continue  # partial line of a killed run
            try:
                path = json.loads(raw).get("path")
            except (ValueError, AttributeError):
                path = None
            if path not in paths:
                dst.write(raw)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(tmp, err)


# --------------------------------------------------------------------------------------------------
# Backend 1: this process


class _Deadline(BaseException):
    """Raised by SIGALRM in the middle of a document. A BaseException, so that no ``except Exception``
    inside a reader or recogniser can swallow it."""


def timeout_entry(path: str, seconds: float) -> ErrorEntry:
    return ErrorEntry(path=path, sha256=file_sha256(path) if path != "-" else None, error="timeout",
                      reason=f"took longer than the limit of {seconds:g} s per document; "
                             "raise it with --seconds-per-document")


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """SIGALRM after ``seconds`` on the main thread (where the platform has it); else no limit.
    It interrupts Python code; a native call that never returns is only stopped by the pool."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Deadline()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _load(settings: Settings) -> str:
    try:
        return load_pipeline(settings.model, settings.rules_only).model
    except ValueError as exc:
        raise RunError(str(exc)) from exc


def _run_here(paths: Iterator[str], settings: Settings) -> Iterator[Outcome]:
    _load(settings)
    limit = settings.limits.seconds_per_document
    for path in paths:
        try:
            with _time_limit(limit):
                result = process(path, settings)
        except _Deadline:
            result = timeout_entry(path, limit)
        yield Outcome.of(result)


# --------------------------------------------------------------------------------------------------
# Backend 2: a pool of worker processes on this machine


def _worker_main(conn: Connection, settings: Settings) -> None:
    """A worker: load the model once, then one path in, one Outcome out, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        model = load_pipeline(settings.model, settings.rules_only).model
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops the run
        conn.send(("init_error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", model))
    while True:
        try:
            path = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if path is None:
            return
        conn.send(("done", Outcome.of(process(path, settings))))


class _Worker:
    def __init__(self, ctx: Any, settings: Settings) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, settings), daemon=True,
                                name="ua-extract-worker")
        self.proc.start()
        child.close()
        self.ready = False
        self.path: str | None = None  # the document it is working on
        self.deadline = float("inf")

    def give(self, path: str, limit: float) -> None:
        self.conn.send(path)
        self.path = path
        self.deadline = time.monotonic() + limit if limit > 0 else float("inf")

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def _run_pool(paths: Iterator[str], settings: Settings, n: int) -> Iterator[Outcome]:
    """Up to ``n`` spawned workers, one document each at a time; Outcomes as they finish. A worker
    over the time limit is killed (its document becomes a ``timeout`` entry) and replaced, as is
    one that dies (``worker_crashed``); the batch goes on."""
    ctx = multiprocessing.get_context("spawn")  # no fork of a process with threads; same on every OS
    limit = settings.limits.seconds_per_document
    workers = [_Worker(ctx, settings) for _ in range(n)]
    deaths_before_ready = 0
    exhausted = False
    try:
        while True:
            for w in workers:
                if w.ready and w.path is None and not exhausted:
                    path = next(paths, None)
                    if path is None:
                        exhausted = True
                    else:
                        w.give(path, limit)
            if exhausted and all(w.path is None for w in workers):
                return
            now = time.monotonic()
            soonest = min((w.deadline for w in workers), default=float("inf"))
            timeout = None if soonest == float("inf") else max(0.0, soonest - now)
            wait([w.conn for w in workers] + [w.proc.sentinel for w in workers], timeout)
            for i, w in enumerate(workers):
                replace, outcome = False, None
                try:
                    while w.conn.poll():
                        kind, value = w.conn.recv()
                        if kind == "ready":
                            w.ready = True
                        elif kind == "init_error":
                            raise RunError(f"a worker could not load the model: {value}")
                        else:
                            outcome, w.path, w.deadline = value, None, float("inf")
                            yield outcome
                except (EOFError, OSError):
                    replace = True
                if not replace and not w.proc.is_alive():
                    replace = True
                if replace:
                    if w.path is not None:
                        code = w.proc.exitcode
                        yield Outcome.of(ErrorEntry(
                            path=w.path, sha256=file_sha256(w.path), error="worker_crashed",
                            reason=f"the worker process died (exit code {code}) on this document, "
                                   "perhaps out of memory; try it alone with --workers 1"))
                    elif not w.ready:
                        deaths_before_ready += 1
                        if deaths_before_ready > 2 * n:
                            raise RunError("worker processes keep dying before the model is loaded "
                                           f"(last exit code {w.proc.exitcode})")
                    w.kill()
                    workers[i] = _Worker(ctx, settings)
                elif w.path is not None and time.monotonic() >= w.deadline:
                    path = w.path
                    w.kill()
                    workers[i] = _Worker(ctx, settings)
                    yield Outcome.of(timeout_entry(path, limit))
    finally:
        for w in workers:
            if w.ready and w.path is None:
                with contextlib.suppress(OSError):
                    w.conn.send(None)  # idle: let it exit on its own
            elif w.proc.is_alive():
                w.proc.kill()  # busy or still loading (the run stopped early): no point waiting
        for w in workers:
            w.proc.join(5)
            w.kill()


# --------------------------------------------------------------------------------------------------
# Backend 3: Dask


def _warm(model: str, rules_only: bool) -> str:
    """Run on every Dask worker before the documents: one model load each, and a fast failure."""
    return load_pipeline(model, rules_only).model


def _run_dask(paths: Iterator[str], settings: Settings, address: str) -> Iterator[Outcome]:
    """The same :func:`process` on a dask.distributed cluster; Outcomes as they finish, with at most
    a few tasks per worker thread in flight (inputs are streamed). The input paths must be readable
    by the workers (absolute paths on a shared file system). Dask cannot stop a running task, so
    the per-document time limit is not enforced here."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError as exc:
        raise RunError("--scheduler needs dask.distributed: pip install 'ua-extract[dask]'") from exc
    try:
        client = Client(address, timeout=10)
    except Exception as exc:
        raise RunError(f"cannot connect to a Dask scheduler at {address}: {type(exc).__name__}: {exc}") from exc
    try:
        try:
            client.run(_warm, settings.model, settings.rules_only)
        except ValueError as exc:
            raise RunError(f"a Dask worker could not load the model: {exc}") from exc
        window = max(4, 2 * sum(client.nthreads().values()))
        pending: dict[Any, str] = {}
        queue = as_completed()

        def submit(path: str) -> None:
            future = client.submit(process, path, settings, pure=False)
            pending[future] = path
            queue.add(future)

        for path in paths:
            submit(path)
            if len(pending) >= window:
                break
        for future in queue:
            path = pending.pop(future)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker must not cost the batch
                result = ErrorEntry(path=path, sha256=file_sha256(path), error="worker_crashed",
                                    reason=f"the Dask task failed ({type(exc).__name__}: {exc})")
            yield Outcome.of(result)
            nxt = next(paths, None)
            if nxt is not None:
                submit(nxt)
    finally:
        client.close()
