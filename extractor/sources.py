"""A record's source document, found again wherever the record is read: ``read``, ``locate_source``,
``read_source`` and ``document_text``, so an analyst can check ``text[start:end]`` without internals.

``source.path`` is the input path exactly as given to ``extract`` (the record contract), so a relative
path is relative to the directory ``extract`` ran in, which the record does not carry. It is found
again by trying, in order:

1. the path itself when it is absolute;
2. each folder given (``search=``; a notebook passes the records file's folder), then each of its
   parents, nearest first (``out/samples.jsonl`` written in the project: its parent is the project);
3. the current directory, then each of its parents (a notebook in ``notebooks/`` finds ``samples/``).

A candidate counts only when its bytes have the record's ``sha256``, so a guess is never a different
document: a file that is there but changed since extraction is reported as changed (its offsets
would no longer fit), never used.

    >>> text = extractor.document_text(record, search=["out"])     # doctest: +SKIP
    >>> ev = record.evidence_for("appeal_deadline")[0]            # doctest: +SKIP
    >>> text[ev.start:ev.end] == ev.text                          # doctest: +SKIP
    True
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from extractor.document import Document
from extractor.ingest import read_path
from extractor.settings import Limits
from models import UrgentAction

__all__ = ["SourceChanged", "SourceNotFound", "document_text", "locate_source", "read", "read_source"]

PathLike = str | os.PathLike[str]


class SourceNotFound(FileNotFoundError):
    """No file with the record's path and content was found; the message lists where it looked."""


class SourceChanged(SourceNotFound):
    """A file is at the record's path but its content (sha256) is not the one extracted."""


def read(path: PathLike, limits: Limits | None = None) -> Document:
    """A file (text or PDF, sniffed by content) as the extractor reads it: ``.text`` (what evidence
    offsets point into) and, for PDFs, ``.segments`` / ``.locate(start, end)`` (page and box).
    Raises ExtractionError for an unreadable input, OSError for a missing one."""
    return read_path(os.fspath(path), limits or Limits())


def _candidates(path: str, search: Iterable[PathLike]) -> Iterator[Path]:
    p = Path(path)
    if p.is_absolute():
        yield p
        return
    seen: set[Path] = set()
    for base in [*search, Path.cwd()]:
        folder = Path(base).resolve()
        for d in (folder, *folder.parents):
            if d not in seen:
                seen.add(d)
                yield d / p


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def locate_source(record: UrgentAction, search: Iterable[PathLike] = ()) -> Path:
    """The file a record was extracted from (see the module docstring for the order tried).
    Raises SourceChanged when only files with other content are there, SourceNotFound otherwise."""
    path = record.source.path
    if path in ("-", "<text>"):
        raise SourceNotFound(f"{path}: the record was made from standard input or a string; there is no file")
    changed: list[Path] = []
    tried: list[Path] = []
    part = record.source.part
    want = part.container_sha256 if part is not None else record.source.sha256  # a part: its container's
    resolved = [Path(record.source.resolved)] if record.source.resolved else []  # where it was read, first
    for candidate in [*resolved, *_candidates(path, list(search))]:
        tried.append(candidate)
        if candidate.is_file():
            if _sha256(candidate) == want:
                return candidate
            changed.append(candidate)
    if changed:
        raise SourceChanged(f"{path}: {changed[0]} changed since it was extracted (sha256 differs); "
                            "extract it again")
    where = ", ".join(str(t.parent) for t in tried[:4]) + (" ..." if len(tried) > 4 else "")
    raise SourceNotFound(f"{path}: not found (looked in {where}); pass the folder extract ran in as search=")


def read_source(record: UrgentAction, search: Iterable[PathLike] = (), limits: Limits | None = None) -> Document:
    """The record's source document (``locate_source``, then ``read``); ``Document.path`` is where it was found.
    For a part of a container (``source.part``), the part's Document, whose text the offsets point into."""
    found = locate_source(record, search)
    if record.source.part is not None:
        from extractor.api import read_container_part
        from extractor.settings import Settings

        return read_container_part(found, record.source.part.number, Settings(limits=limits or Limits()))
    return read(found, limits)


def document_text(path_or_record: PathLike | UrgentAction, search: Iterable[PathLike] = (),
                  limits: Limits | None = None) -> str:
    """The text evidence offsets point into: of a file, or of the source of a record (found as
    ``locate_source`` does, content checked), so ``text[ev.start:ev.end] == ev.text``."""
    if isinstance(path_or_record, UrgentAction):
        return read_source(path_or_record, search, limits).text
    return read(path_or_record, limits).text
