"""The parent's decision for each input, before any worker sees it: read it, skip it, or write its
line straight away. The parent only stats, opens and hashes regular files (a FIFO, device or socket
gets a ``not_a_file`` line at once and never blocks the run), and hashes at most ``max_bytes``.

An input's identity is its path and its content. In input order, the first path with a given
content (see ``content_key``) is extracted; every later path with that content, and any path whose
content already has a record in the output under another path, gets a copy of that first path's
line (a record whose ``source.path`` is its own, with a warning naming the first path, or the same
error) without being extracted again. A copy waits for its first path's line when that is still
being extracted. The rule depends only on the inputs and the output's records, never on timing, so
an interrupted and resumed run ends with exactly the lines of an uninterrupted one. Without an
output file (nothing to resume) every path is extracted.

A container (a digest or an mbox: ``extractor.ingest.containers``) is expanded here into its parts,
streamed: each part is an input of its own (a ``PartPath``), extracted unless the output already
has its record (same real path, container sha256 and part number). Containers take no part in
the duplicate copies; an mbox without a single mail gets one error line.
"""
from __future__ import annotations

import dataclasses
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator

from pydantic import ValidationError

from extractor.batch.outcome import Outcome
from extractor.batch.sink import LinePlace, Resume, content_key, real_path
from extractor.errors import EmptyInput, InternalError, NotAFile, Unreadable
from extractor.hashing import file_sha256, kind_of
from extractor.ingest.containers import ContainerKind, container_kind, iter_parts
from extractor.settings import Limits
from models import ErrorEntry, UrgentAction
from models.io import is_error_line

Emit = Callable[[Outcome | None], None]  # a line decided here, or None for "already done"
Key = tuple[str, bool]
First = tuple[str, LinePlace | None]  # the first path of a content, and where its line is (None: not yet)


def copy_of(line: bytes, path: str, first: str) -> Outcome:
    """The line of ``first`` as the line of ``path``, a file with the same content."""
    note = f"same content (sha256) as {first}: a copy of that input's line, not extracted again"
    data = json.loads(line)
    try:
        if not is_error_line(data):
            record = UrgentAction.model_validate(data)
            record.source.path = path
            record.source.resolved = real_path(path) if path != "-" else None
            record.warnings = [*record.warnings, note]
            return dataclasses.replace(Outcome.of(record), copied=True)
        entry = ErrorEntry.model_validate({**data, "path": path, "reason": f"{data.get('reason')} ({note})"})
    except ValidationError as exc:  # a line not written by this version: account for the input anyway
        entry = InternalError(f"cannot copy the line of {first} ({exc.error_count()} problems); "
                              "run again with force to extract every input afresh").entry(path)
    return dataclasses.replace(Outcome.of(entry), copied=True)


class Planner:
    def __init__(self, resume: Resume, limits: Limits, emit: Emit,
                 read_line: Callable[[LinePlace], bytes] | None) -> None:
        self.resume, self.limits, self.emit, self.read_line = resume, limits, emit, read_line
        self.first_of: dict[Key, First] = dict(resume.first_of)
        self.key_of: dict[str, Key] = {}  # first paths being extracted
        self.waiting: dict[Key, list[str]] = {}  # copies waiting for their first path's line
        self.parts: Iterator[str] | None = None  # the parts of the container just planned

    def todo(self, paths: Iterable[str]) -> Iterator[str]:
        """The paths to extract, lazily (hashing overlaps with the workers' extraction); the lines of
        the others are emitted as they come up."""
        for path in paths:
            if self._needs_extraction(path):
                yield path
            elif self.parts is not None:
                parts, self.parts = self.parts, None
                yield from parts

    def finished(self, outcome: Outcome, place: LinePlace | None) -> None:
        """An extracted input's line is written at ``place``: the copies waiting for it follow."""
        key = self.key_of.pop(outcome.path, None)
        if key is None or place is None:
            return
        self.first_of[key] = first = (outcome.path, place)
        for path in self.waiting.pop(key, []):
            self._copy(path, first)

    def _needs_extraction(self, path: str) -> bool:
        if path == "-":
            return True  # standard input: read (once) by the backend
        try:
            info = os.stat(path)
        except OSError as exc:
            return self._line(Unreadable(f"cannot read file: {exc.strerror or exc}").entry(path))
        if not stat.S_ISREG(info.st_mode):
            return self._line(NotAFile(
                f"is a {kind_of(info.st_mode)}, not a regular file, so it is not read (it could block or "
                "never end); to read such a stream, pipe it to standard input ('-')").entry(path))
        kind = _container(path)
        if kind is not None:  # before the size check: the limits apply per part
            self.parts = self._parts(path, kind)
            return False
        if info.st_size > self.limits.max_bytes:
            return True  # refused as too_large where it is extracted; not worth hashing here
        sha = file_sha256(path, self.limits.max_bytes)
        if sha is None:
            return True  # changed or vanished since the stat: extraction says what it is now
        if (real_path(path), sha) in self.resume.done:
            self.emit(None)
            return False
        return self.read_line is None or self._first_or_copy(path, content_key(path, sha))

    def _parts(self, path: str, kind: ContainerKind) -> Iterator[str]:
        sha = file_sha256(path)
        if sha is None:
            self._line(Unreadable("cannot read file: it changed or vanished while it was planned").entry(path))
            return
        real, count = real_path(path), 0
        try:
            for part in iter_parts(path, kind, sha):
                count += 1
                if (real, sha, part.part.number) in self.resume.done_parts:
                    self.emit(None)
                else:
                    yield part
        except OSError as exc:
            self._line(Unreadable(f"cannot read container after {count} parts: {exc.strerror or exc}",
                                  sha256=sha).entry(path))
            return
        if count == 0:
            self._line(EmptyInput(f"an {kind} without a single document in it", sha256=sha).entry(path))

    def _first_or_copy(self, path: str, key: Key) -> bool:
        first = self.first_of.setdefault(key, (path, None))
        if first[0] == path:
            self.key_of[path] = key
            return True
        if first[1] is None:
            self.waiting.setdefault(key, []).append(path)
            return False
        self._copy(path, first)
        return False

    def _copy(self, path: str, first: First) -> None:
        assert self.read_line is not None and first[1] is not None
        self.emit(copy_of(self.read_line(first[1]), path, first[0]))

    def _line(self, entry: ErrorEntry) -> bool:
        self.emit(Outcome.of(entry))
        return False


def _container(path: str) -> ContainerKind | None:
    try:
        return container_kind(path)
    except OSError:
        return None  # extraction reports what is wrong with the file
