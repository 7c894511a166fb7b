"""Which files a batch reads: arguments resolved once, folders walked, every left-out file named.

- A file named on the command line is read whatever its name; a folder walk reads ``SUFFIXES``
  (any case) and reports every other file, and every link to a folder (not followed), as not read.
- Paths are kept as given (the record contract: ``source.path`` is the input path exactly as given; a
  walked file is the folder as given joined with its name). Two paths that resolve to one real file
  (``os.path.realpath``: ``inbox`` and ``/abs/inbox``, a folder and a file inside it, a link) are one
  input, counted once (``Inputs.named_again`` says how many), and resume matches lines by real path,
  so a rerun with another spelling neither redoes nor duplicates anything.
- File names that are not valid UTF-8 stay ``str`` with surrogate escapes (as ``os.walk`` gives them).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from extractor.errors import UnsupportedFormat
from models import ErrorEntry

# What a folder walk picks up; files named on the command line are read whatever their name.
SUFFIXES = (".txt", ".text", ".pdf", ".html", ".htm", ".mbox")
NOT_READ = ("not read: a folder walk reads only .txt, .text, .pdf, .html, .htm and .mbox files; "
            "name the file itself to read it anyway")
LINK_NOT_FOLLOWED = "not read: a link to a folder, which a folder walk does not follow; name it to read it"


@dataclass
class Inputs:
    files: list[str] = field(default_factory=list)  # to read, in order ("-" is standard input)
    not_read: list[ErrorEntry] = field(default_factory=list)  # found by walks but left out, with why
    named_again: int = 0  # paths that were the same real file as an earlier one
    _real: dict[str, int] = field(default_factory=dict, repr=False)  # realpath -> index in files (-1: not read)

    def all_paths(self) -> set[str]:
        """Every path this run writes a line for."""
        return set(self.files) | {e.path for e in self.not_read}

    def add(self, path: str) -> None:
        if path == "-":
            if "-" not in self._real:  # first: standard input is read by this process before any worker starts
                self._real["-"] = 0
                self.files.insert(0, "-")
            else:
                self.named_again += 1
            return
        real = os.path.realpath(path)
        if self._real.get(real) == -1:  # walked past and left out, now named itself: read it
            self.not_read = [e for e in self.not_read if os.path.realpath(e.path) != real]
            del self._real[real]
            self.named_again += 1
        self._add_once(path, real)

    def leave_out(self, path: str, reason: str) -> None:
        real = os.path.realpath(path)
        if real in self._real:
            self.named_again += 1
            return
        self._real[real] = -1
        self.not_read.append(UnsupportedFormat(reason).entry(path))

    def _add_once(self, path: str, real: str) -> None:
        if real in self._real:
            self.named_again += 1
            return
        self._real[real] = len(self.files)
        self.files.append(path)


def find_inputs(paths: Iterable[str | os.PathLike[str]]) -> Inputs:
    """Files as given, folders walked recursively (sorted, so runs repeat), overlaps removed."""
    found = Inputs()
    for arg in paths:
        p = os.fspath(arg)
        if p != "-" and os.path.isdir(p):
            _walk(p, found)
        else:
            found.add(p)
    return found


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The files :func:`find_inputs` would read."""
    return find_inputs(paths).files


def _walk(top: str, found: Inputs) -> None:
    def unlisted(exc: OSError) -> None:  # a subfolder we may not list is reported, not skipped silently
        found.leave_out(exc.filename or top, f"not read: cannot list this folder ({exc.strerror or exc})")

    for root, dirs, files in os.walk(top, onerror=unlisted):
        dirs.sort()
        links = [d for d in dirs if os.path.islink(os.path.join(root, d))]  # listed here by some Pythons
        for name in sorted(files + links):
            path = os.path.join(root, name)
            if os.path.isdir(path):  # a link to a folder (os.walk does not follow links)
                found.leave_out(path, LINK_NOT_FOLLOWED)
            elif name.lower().endswith(SUFFIXES):
                found.add(path)
            else:
                found.leave_out(path, NOT_READ)
