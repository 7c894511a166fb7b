"""The parent's decision for each input, before any worker sees it: read it, skip it, or write its
line straight away. The parent only stats, opens and hashes regular files (a FIFO, device or socket
gets a ``not_a_file`` line at once and never blocks the run), and hashes at most ``max_bytes``.

An input's identity is its path and its content. In input order, the first path with a given
content (see ``content_key``) is extracted; every later path with that content gets a ``duplicate``
line naming the first one, as does any path whose content already has a record in the output under
another path. The rule depends only on the inputs and the output's records, never on timing, so an
interrupted and resumed run ends with exactly the lines of an uninterrupted one.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator

from extractor.batch.outcome import Outcome
from extractor.batch.sink import Resume, content_key
from extractor.errors import Duplicate, NotAFile, Unreadable
from extractor.hashing import file_sha256, kind_of
from extractor.settings import Limits
from models import ErrorEntry

Emit = Callable[[Outcome | None], None]  # a line decided here, or None for "already done"


class Planner:
    def __init__(self, resume: Resume, limits: Limits, emit: Emit) -> None:
        self.resume, self.limits, self.emit = resume, limits, emit
        self.first_of = dict(resume.first_of)

    def todo(self, paths: Iterable[str]) -> Iterator[str]:
        """The paths to extract, lazily (hashing overlaps with the workers' extraction); the lines of
        the others are emitted as they come up."""
        for path in paths:
            if self._needs_extraction(path):
                yield path

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
        if info.st_size > self.limits.max_bytes:
            return True  # refused as too_large where it is extracted; not worth hashing here
        sha = file_sha256(path, self.limits.max_bytes)
        if sha is None:
            return True  # changed or vanished since the stat: extraction says what it is now
        if (path, sha) in self.resume.done:
            self.emit(None)
            return False
        first = self.first_of.setdefault(content_key(path, sha), path)
        if first != path:
            entry = Duplicate(f"same content (sha256) as {first}, whose line stands for this file too").entry(path)
            entry.sha256 = sha
            return self._line(entry)
        return True

    def _line(self, entry: ErrorEntry) -> bool:
        self.emit(Outcome.of(entry))
        return False
