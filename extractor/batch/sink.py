"""Where lines go: JSON Lines files that a killed run can resume, owned by one run at a time.

Records go to the output, every other line (errors, files not read) to
``<output stem>.errors.jsonl``. Each line is written with one ``write()`` of the complete line on an
unbuffered descriptor and the files are fsynced every FSYNC_SECONDS, so a killed run leaves at most
one partial last line, which the next run cuts off. ``<output>.lock`` holds an exclusive ``flock``
for the whole run: a second run on the same output refuses instead of interleaving or renaming
files under the first (the kernel drops the lock when a run dies, even by kill -9).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from extractor.batch.outcome import Outcome, Reword, json_line
from extractor.ingest import claims_pdf
from models.io import errors_path

__all__ = ["FSYNC_SECONDS", "OutputLocked", "Resume", "RunError", "Sink", "errors_path", "lock_path"]
FSYNC_SECONDS = 2.0  # at most this much written output rests only in the OS cache


class RunError(RuntimeError):
    """The batch cannot run at all (the model does not load, dask is missing, no scheduler at the
    address, the output cannot be written). Per-document problems never raise: they become lines."""


class OutputLocked(RunError):
    """Another run is writing the same output."""


def real_path(path: str) -> str:
    """The file a path names, whatever its spelling ('-' is standard input)."""
    return path if path == "-" else os.path.realpath(path)


def lock_path(output: Path) -> Path:
    return output.with_name(output.name + ".lock")


def content_key(path: str, sha256: str) -> tuple[str, bool]:
    """What makes two inputs the same: their bytes, and whether the name claims a PDF (a text named
    .pdf is refused where the same text named .txt is read, so those two are not duplicates)."""
    return sha256, claims_pdf(path)


#: Where a line was written: (in the errors file?, byte offset). Kept instead of the line itself,
#: so that remembering every content's first line costs a few bytes, not the record.
LinePlace = tuple[bool, int]


@dataclass
class Resume:
    """What an earlier run on this output left: the (real path, sha256) of every record (so another
    spelling of the same file matches), and for each content the first path that has a record of it
    and where that record is. A record of a container's part (``source.part``) counts in
    ``done_parts`` only, as (real path, the container's sha256, part number): the container is done
    part by part, and a part is never the first path of a content."""

    done: set[tuple[str, str]] = field(default_factory=set)
    first_of: dict[tuple[str, bool], tuple[str, LinePlace]] = field(default_factory=dict)
    done_parts: set[tuple[str, str, int]] = field(default_factory=set)

    @classmethod
    def read(cls, output: Path) -> Resume:
        """A partial last line (a run killed while writing it) is cut off first."""
        state = cls()
        _cut_partial_line(output)
        offset = 0
        with open(output, "rb") as handle:
            for raw in handle:
                at, offset = offset, offset + len(raw)
                try:
                    source = json.loads(raw)["source"]
                    path, sha, resolved = source["path"], source["sha256"], source.get("resolved")
                except (ValueError, KeyError, TypeError):
                    continue  # not a record of ours: never counted as done, so its input is redone
                part = source.get("part") if isinstance(source, dict) else None
                if isinstance(part, dict) and isinstance(path, str):
                    container, number = part.get("container_sha256"), part.get("number")
                    if isinstance(container, str) and isinstance(number, int):
                        state.done_parts.add((resolved if isinstance(resolved, str) else real_path(path), container,
                                              number))
                    continue
                if isinstance(path, str) and isinstance(sha, str):
                    state.done.add((resolved if isinstance(resolved, str) else real_path(path), sha))
                    state.first_of.setdefault(content_key(path, sha), (path, (False, at)))
        return state


class Sink:
    """For files: one ``write()`` per complete line, fsync every FSYNC_SECONDS and at the end. Any
    OSError (full disk, read-only folder) becomes a one-line RunError: the run stops, resumable."""

    def __init__(self, out: IO[Any], errors: IO[Any], resume: Resume, *, files: bool,
                 reword: Reword | None = None, lock: int | None = None, names: tuple[str, str] = ("", "")) -> None:
        self.out, self.errors, self.resume, self.files = out, errors, resume, files
        self.reword, self.lock, self.names = reword, lock, names
        self.synced = time.monotonic()

    @classmethod
    def open(cls, output: Path | None, *, force: bool, run_paths: set[str], reword: Reword | None = None,
             stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> Sink:
        if output is None:
            return cls(stdout or sys.stdout, stderr or sys.stderr, Resume(), files=False, reword=reword)
        err = errors_path(output)
        with _as_run_error(output):
            output.parent.mkdir(parents=True, exist_ok=True)
            lock = _lock(lock_path(output))
        try:
            with _as_run_error(output):
                for p in (output, err):
                    _check_regular(p)
                    if force or not p.exists():
                        open(p, "wb").close()
                resume = Resume.read(output)
                _drop_lines_of(err, run_paths)
                out = open(output, "ab", buffering=0)  # noqa: SIM115 - the sink's to close
                errors = open(err, "ab", buffering=0)  # noqa: SIM115 - likewise
        except BaseException:
            os.close(lock)
            raise
        return cls(out, errors, resume, files=True, reword=reword, lock=lock, names=(str(output), str(err)))

    def write(self, outcome: Outcome) -> LinePlace | None:
        """Write one line; where it went (None without files)."""
        target = self.errors if outcome.to_errors_file else self.out
        line = json_line(outcome.entry, self.reword) if outcome.entry is not None else outcome.line
        if not self.files:
            target.write(line)
            target.flush()
            return None
        with _as_run_error(self.names[outcome.to_errors_file]):
            at = target.tell()  # the end: we are the only writer (the lock) and append
            data = memoryview(line.encode("utf-8"))
            written = target.write(data)  # unbuffered: one write() of the whole line...
            while written < len(data):  # ...unless the disk is nearly full; a rerun cuts a partial line
                written += target.write(data[written:])
            if time.monotonic() - self.synced > FSYNC_SECONDS:
                self.sync()
        return outcome.to_errors_file, at

    def read(self, place: LinePlace) -> bytes:
        """The line written at ``place`` (written lines are never moved while we hold the lock)."""
        errors, at = place
        with _as_run_error(self.names[errors]), open(self.names[errors], "rb") as handle:
            handle.seek(at)
            return handle.readline()

    def sync(self) -> None:
        for f in (self.out, self.errors):
            os.fsync(f.fileno())
        self.synced = time.monotonic()

    def close(self) -> None:
        if not self.files:
            return
        try:
            with _as_run_error(self.names[0]):
                self.sync()
        finally:
            for f in (self.out, self.errors):
                with contextlib.suppress(OSError):  # a full disk already reported by write()
                    f.close()
            if self.lock is not None:
                os.close(self.lock)  # releases the flock


@contextlib.contextmanager
def _as_run_error(name: str | Path) -> Any:
    try:
        yield
    except OSError as exc:
        where = exc.filename or name
        raise RunError(f"cannot write {where}: {exc.strerror or exc}") from exc


def _lock(path: Path) -> int:
    """An exclusive, non-blocking flock on ``path``, with our pid in it for the other run's message."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
        os.close(fd)
        raise OutputLocked(f"{path.with_suffix('')} is being written by another run (pid {holder}); "
                           "wait for it to finish or choose another output") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _check_regular(path: Path) -> None:
    """Outputs must be regular files: resuming reads them back (a device could feed zeros forever)."""
    with contextlib.suppress(FileNotFoundError):
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise RunError(f"{path} is not a regular file; write to a file, or leave out the output "
                           "to write to standard output")


def _cut_partial_line(path: Path) -> None:
    """Truncate ``path`` after its last newline (nothing if it ends with one or is empty)."""
    with open(path, "r+b") as handle:
        end = handle.seek(0, os.SEEK_END)
        pos, keep = end, 0
        while pos > 0:
            step = min(1 << 16, pos)
            handle.seek(pos - step)
            nl = handle.read(step).rfind(b"\n")
            if nl >= 0:
                keep = pos - step + nl + 1
                break
            pos -= step
        if keep != end:
            handle.truncate(keep)


def _drop_lines_of(err: Path, paths: set[str]) -> None:
    """Rewrite the errors file without the lines of this run's inputs (they are redone: retried,
    or written again as copies for duplicates and files not read) and without a partial last line; lines of
    other inputs stay. Atomic (a temp file and a rename), and safe: we hold the output's lock."""
    tmp = err.with_name(err.name + ".tmp")
    reals = {real_path(p) for p in paths}
    with open(err, "rb") as src, open(tmp, "wb") as dst:
        for raw in src:
            if not raw.endswith(b"\n"):
                continue  # partial line of a killed run
            try:
                path = json.loads(raw).get("path")
            except (ValueError, AttributeError):
                path = None
            if not isinstance(path, str) or real_path(path) not in reals:
                dst.write(raw)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(tmp, err)
