"""The public API: extract(path), extract_parts(path), extract_text(text), extract_many(paths).

A container (a digest of several UAs, an mbox; see ``extractor.ingest.containers``) gives one record
per part: ``extract_parts`` and ``extract_many`` yield them; ``extract``, which promises one record,
raises ``IsContainer`` (an UnsupportedFormat) naming how many parts the file has, rather than
quietly returning one of them."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator

from extractor.assemble import assemble
from extractor.document import Document
from extractor.errors import EmptyInput, ExtractionError, InternalError, TooLarge, Undecodable, Unreadable
from extractor.hashing import file_sha256
from extractor.ingest import read_path
from extractor.ingest.containers import ContainerKind, IsContainer, PartPath, container_kind, iter_parts, read_part
from extractor.ingest.text import check_chars
from extractor.nlp import annotate, load_pipeline
from extractor.segment import reading_view
from extractor.settings import Settings
from extractor.version import describe, model_version
from models import ErrorEntry, UrgentAction

PathLike = str | os.PathLike[str]


def extract(path: PathLike, settings: Settings | None = None) -> UrgentAction:
    """One file (text, PDF or HTML, sniffed by content; "-" for stdin) to one record; raises
    ExtractionError, and IsContainer for a file that holds several documents (use extract_parts)."""
    settings = settings or Settings.from_env()
    path = os.fspath(path)
    if isinstance(path, PartPath):
        return _extract_part(path, settings)
    kind = _container(path)
    if kind is not None:
        count = sum(1 for _part in iter_parts(path, kind, "0" * 64))
        raise IsContainer(f"holds {count} documents ({'an mbox' if kind == 'mbox' else 'a digest'}): one record "
                          "each with extractor.extract_parts(path) or extract_many([path]), or ua-extract extract",
                          path=path, sha256=file_sha256(path))
    doc = read_path(path, settings.limits)
    if doc.path != "-":
        doc.resolved = os.path.realpath(doc.path)  # which file it was, whatever the spelling or working directory
    return extract_document(doc, settings)


def extract_parts(path: PathLike, settings: Settings | None = None) -> Iterator[UrgentAction | ErrorEntry]:
    """Every document in a file, in order: one record (or error entry) per part of a container, or
    the one record of a one-document file. Each record's ``source.part`` says where its part sits;
    the container is read part by part, never whole. An mbox without a single mail gives one error."""
    settings = settings or Settings.from_env()
    path = os.fspath(path)
    kind = _container(path)
    if kind is None:
        yield extract_or_error(path, settings)
        return
    sha = file_sha256(path)
    if sha is None:
        yield extract_or_error(path, settings)
        return
    count = 0
    for part in iter_parts(path, kind, sha):
        count += 1
        yield extract_or_error(part, settings)
    if count == 0:
        yield EmptyInput(f"an {kind} without a single document in it", path=path, sha256=sha).entry()


def _container(path: str) -> ContainerKind | None:
    """The container kind of a regular file (None for stdin, other files, and what cannot be opened:
    reading it then reports why)."""
    if path == "-":
        return None
    try:
        return container_kind(path) if os.path.isfile(path) else None
    except OSError:
        return None


def _extract_part(part: PartPath, settings: Settings) -> UrgentAction:
    doc = read_part(part, settings.limits)
    doc.resolved = os.path.realpath(str(part))
    record = extract_document(doc, settings)
    record.source.part = part.part
    return record


def read_container_part(path: PathLike, number: int, settings: Settings | None = None) -> Document:
    """The Document of part ``number`` (1-based) of a container: the text its record's offsets point into."""
    settings = settings or Settings.from_env()
    path = os.fspath(path)
    kind = _container(path)
    if kind is None:
        raise ValueError(f"{path} is not a container (a digest or an mbox)")
    for part in iter_parts(path, kind, file_sha256(path) or "0" * 64):
        if part.part.number == number:
            return read_part(part, settings.limits)
    raise ValueError(f"{path} has no part {number}")


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
    """A record or an error entry per input, in order, in this process (one per part of a container,
    as ``extract_parts``); the model loads once for the whole run. (``ua-extract extract`` adds
    workers, resuming and an errors file: ``extractor.batch``.)"""
    settings = settings or Settings.from_env()
    for path in paths:
        yield from extract_parts(path, settings)


def extract_or_error(path: PathLike, settings: Settings) -> UrgentAction | ErrorEntry:
    """One input to one record or one error entry; never raises for a bad document. Error entries
    carry the input's sha256 whenever it is a regular file that can be read at all."""
    path = os.fspath(path)
    part = path.part if isinstance(path, PartPath) else None
    try:
        return extract(path, settings)
    except ExtractionError as exc:
        entry = exc.entry(str(path))
    except OSError as exc:
        entry = Unreadable(f"cannot read file: {exc.strerror or exc}").entry(str(path))
    except Exception as exc:  # noqa: BLE001 - a bug on one document must not cost the batch
        entry = InternalError(f"extractor bug ({type(exc).__name__}: {exc}); please report it with this file").entry(
            str(path))
    if entry.sha256 is None and path != "-":
        entry.sha256 = file_sha256(path)
    entry.part = part
    return entry
