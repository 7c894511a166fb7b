"""The public API: extract(path), extract_text(text), extract_many(paths)."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator

from extractor.assemble import assemble
from extractor.document import Document
from extractor.errors import ExtractionError, InternalError, TooLarge, Undecodable, Unreadable
from extractor.hashing import file_sha256
from extractor.ingest import read_path
from extractor.ingest.text import check_chars
from extractor.nlp import annotate, load_pipeline
from extractor.segment import reading_view
from extractor.settings import Settings
from extractor.version import describe, model_version
from models import ErrorEntry, UrgentAction

PathLike = str | os.PathLike[str]


def extract(path: PathLike, settings: Settings | None = None) -> UrgentAction:
    """One file (text or PDF, sniffed by content; "-" for stdin) to one record; raises ExtractionError."""
    settings = settings or Settings.from_env()
    doc = read_path(os.fspath(path), settings.limits)
    if doc.path != "-":
        doc.resolved = os.path.realpath(doc.path)  # which file it was, whatever the spelling or working directory
    return extract_document(doc, settings)


def extract_text(text: str, *, path: str = "<text>", settings: Settings | None = None) -> UrgentAction:
    """A string already in memory (a notebook cell, a database column) to one record. The limits of
    ``settings.limits`` apply as to files; raises ExtractionError (TooLarge, Undecodable, ...)."""
    settings = settings or Settings.from_env()
    try:
        return extract_document(_text_document(text, path, settings), settings)
    except ExtractionError as exc:
        exc.path = exc.path or path
        raise


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_document(text: str, path: str, settings: Settings) -> Document:
    if not isinstance(text, str):
        raise Undecodable(f"extract_text takes a str, not {type(text).__name__}; for bytes use extract() on a file")
    check_chars(len(text), settings.limits)  # before encoding: a huge text is refused at no cost
    warnings: list[str] = []
    lone = _LONE_SURROGATE.search(text)
    if lone:  # e.g. from bytes decoded with surrogateescape: one U+FFFD each, so offsets hold
        count = len(_LONE_SURROGATE.findall(text))
        warnings.append(f"text: {count} lone surrogate(s) (first U+{ord(lone.group(0)):04X} at character "
                        f"{lone.start()}) replaced by U+FFFD; decode the source bytes properly to keep them")
        text = _LONE_SURROGATE.sub("\ufffd", text)
    data = text.encode("utf-8")
    sha256 = hashlib.sha256(data).hexdigest()
    if len(data) > settings.limits.max_bytes:
        raise TooLarge(f"text is larger than the limit of {settings.limits.max_bytes} bytes ({len(data)} bytes "
                       "as UTF-8); raise it with --max-bytes", sha256=sha256)
    return Document(path=path, sha256=sha256, media_type="text/plain", text=text, warnings=warnings)


def extract_document(doc: Document, settings: Settings) -> UrgentAction:
    pipe = load_pipeline(settings.model, settings.rules_only)
    sdoc = annotate(pipe.nlp, reading_view(doc.text))  # same length as doc.text: offsets are the document's
    record = assemble(doc, sdoc._.ua_context, model=pipe.model, notes=pipe.warnings)
    version = pipe.nlp.meta.get("version") if pipe.model != "blank" else None
    record.extractor_version = describe(pipe.model, model_version(pipe.model) or version, settings.rules_only)
    return record


def extract_many(paths: Iterable[PathLike], settings: Settings | None = None) -> Iterator[UrgentAction | ErrorEntry]:
    """A record or an error entry per input, in order, in this process; the model loads once for the
    whole run. (``ua-extract extract`` adds workers, resuming and an errors file: ``extractor.batch``.)"""
    settings = settings or Settings.from_env()
    for path in paths:
        yield extract_or_error(path, settings)


def extract_or_error(path: PathLike, settings: Settings) -> UrgentAction | ErrorEntry:
    """One input to one record or one error entry; never raises for a bad document. Error entries
    carry the input's sha256 whenever it is a regular file that can be read at all."""
    path = os.fspath(path)
    try:
        return extract(path, settings)
    except ExtractionError as exc:
        entry = exc.entry(path)
    except OSError as exc:
        entry = Unreadable(f"cannot read file: {exc.strerror or exc}").entry(path)
    except Exception as exc:  # noqa: BLE001 - a bug on one document must not cost the batch
        entry = InternalError(f"extractor bug ({type(exc).__name__}: {exc}); please report it with this file").entry(path)
    if entry.sha256 is None and path != "-":
        entry.sha256 = file_sha256(path)
    return entry
