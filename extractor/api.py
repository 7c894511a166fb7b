"""The public API: extract(path), extract_parts(path), extract_text(text), extract_many(paths).

A container (a digest of several UAs, an mbox; see ``extractor.ingest.containers``) gives one record
per part: ``extract_parts`` and ``extract_many`` yield them; ``extract``, which promises one record,
raises ``IsContainer`` (an UnsupportedFormat) naming how many parts the file has, rather than
quietly returning one of them."""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from extractor.assemble import assemble
from extractor.document import Document
from extractor.errors import EmptyInput, ExtractionError, InternalError, TooLarge, Undecodable, Unreadable
from extractor.hashing import file_sha256
from extractor.ingest import read_path
from extractor.ingest.containers import ContainerKind, IsContainer, PartPath, container_kind, iter_parts, read_part
from extractor.ingest.text import check_chars
from extractor.nlp import Pipeline, finish, load_pipeline, recognise
from extractor.segment import reading_view
from extractor.settings import Settings
from extractor.version import describe, model_version
from models import ErrorEntry, UrgentAction

if TYPE_CHECKING:
    from spacy.tokens import Doc

PathLike = str | os.PathLike[str]
Result = UrgentAction | ErrorEntry

#: Documents read together by ``extract_many`` and the batch workers (``extract_batch``): their
#: statistical NER runs in shared batches (``extractor.nlp.recognise``).
BATCH_DOCUMENTS = 8


def extract(path: PathLike, settings: Settings | None = None) -> UrgentAction:
    """One file (text, PDF or HTML, sniffed by content; "-" for stdin) to one record; raises
    ExtractionError, and IsContainer for a file that holds several documents (use extract_parts)."""
    settings = settings or Settings.from_env()
    path = os.fspath(path)
    return _with_part(extract_document(_read(path, settings), settings), path)


def _read(path: str, settings: Settings) -> Document:
    """The Document of a file, of stdin ("-") or of a container's part (a PartPath); IsContainer for
    a whole container."""
    if isinstance(path, PartPath):
        doc = read_part(path, settings.limits)
    else:
        kind = _container(path)
        if kind is not None:
            count = sum(1 for _part in iter_parts(path, kind, "0" * 64))
            raise IsContainer(f"holds {count} documents ({'an mbox' if kind == 'mbox' else 'a digest'}): one "
                              "record each with extractor.extract_parts(path) or extract_many([path]), or "
                              "ua-extract extract", path=path, sha256=file_sha256(path))
        doc = read_path(path, settings.limits)
    if doc.path != "-":
        doc.resolved = os.path.realpath(str(path))  # which file it was, whatever the spelling or working directory
    return doc


def _with_part(record: UrgentAction, path: str) -> UrgentAction:
    if isinstance(path, PartPath):
        record.source.part = path.part
    return record


def extract_parts(path: PathLike, settings: Settings | None = None) -> Iterator[UrgentAction | ErrorEntry]:
    """Every document in a file, in order: one record (or error entry) per part of a container, or
    the one record of a one-document file. Each record's ``source.part`` says where its part sits;
    the container is read part by part, never whole. An mbox without a single mail gives one error."""
    return extract_many([path], settings)


def _documents(path: PathLike) -> Iterator[str | ErrorEntry]:
    """The documents of one input: the input itself, or each part of a container (a PartPath), or
    the error of a container without any."""
    path = os.fspath(path)
    kind = _container(path)
    sha = file_sha256(path) if kind is not None else None
    if kind is None or sha is None:
        yield path
        return
    count = 0
    for part in iter_parts(path, kind, sha):
        count += 1
        yield part
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
    return _record(doc, recognise(pipe.nlp, [reading_view(doc.text)])[0], pipe, settings.rules_only)


def _record(doc: Document, sdoc: Doc, pipe: Pipeline, rules_only: bool) -> UrgentAction:
    """The record of ``doc`` from the Doc of its reading view (same length as doc.text: offsets are the
    document's) with the statistical annotations on."""
    sdoc = finish(pipe.nlp, sdoc, span_group=False)
    record = assemble(doc, sdoc._.ua_context, model=pipe.model, notes=pipe.warnings)
    version = pipe.nlp.meta.get("version") if pipe.model != "blank" else None
    record.extractor_version = describe(pipe.model, model_version(pipe.model) or version, rules_only)
    return record


def extract_many(paths: Iterable[PathLike], settings: Settings | None = None) -> Iterator[UrgentAction | ErrorEntry]:
    """A record or an error entry per input, in order, in this process (one per part of a container,
    as ``extract_parts``); the model loads once for the whole run, and BATCH_DOCUMENTS documents at a
    time share their NER batches. (``ua-extract extract`` adds workers, resuming and an errors file:
    ``extractor.batch``.)"""
    settings = settings or Settings.from_env()
    chunk: list[str] = []
    for path in paths:
        for document in _documents(path):
            if isinstance(document, ErrorEntry):
                yield from extract_batch(chunk, settings)
                chunk = []
                yield document
                continue
            chunk.append(document)
            if len(chunk) == BATCH_DOCUMENTS:
                yield from extract_batch(chunk, settings)
                chunk = []
    yield from extract_batch(chunk, settings)


def extract_batch(paths: Sequence[str], settings: Settings) -> list[Result]:
    """``extract_or_error`` of each path, in order, with the statistical NER of the documents run in
    shared batches: the same records as one at a time (the entities of each text are its own). Never
    raises for a bad document: one that cannot be read, or whose rules or assembly fail, is its own
    error entry; should the shared NER itself fail, each document is done alone, so only the one at
    fault gets the error."""
    results: list[Result | None] = [None] * len(paths)
    docs: list[tuple[int, Document]] = []
    for k, path in enumerate(paths):
        try:
            docs.append((k, _read(path, settings)))
        except Exception as exc:  # noqa: BLE001 - a bad document must not cost the batch
            results[k] = _error_entry(path, exc)
    if docs:
        pipe = load_pipeline(settings.model, settings.rules_only)
        try:
            sdocs = recognise(pipe.nlp, [reading_view(doc.text) for _, doc in docs])
        except Exception:  # noqa: BLE001 - then one at a time, below
            sdocs = None
        for n, (k, doc) in enumerate(docs):
            try:
                if sdocs is None:
                    record = extract_document(doc, settings)
                else:
                    record = _record(doc, sdocs[n], pipe, settings.rules_only)
                results[k] = _with_part(record, paths[k])
            except Exception as exc:  # noqa: BLE001 - likewise
                results[k] = _error_entry(paths[k], exc)
    return [r for r in results if r is not None]


def extract_or_error(path: PathLike, settings: Settings) -> UrgentAction | ErrorEntry:
    """One input to one record or one error entry; never raises for a bad document. Error entries
    carry the input's sha256 whenever it is a regular file that can be read at all."""
    path = os.fspath(path)
    try:
        return extract(path, settings)
    except Exception as exc:  # noqa: BLE001 - a bug on one document must not cost the batch
        return _error_entry(path, exc)


def _error_entry(path: str, exc: Exception) -> ErrorEntry:
    if isinstance(exc, ExtractionError):
        entry = exc.entry(str(path))
    elif isinstance(exc, OSError):
        entry = Unreadable(f"cannot read file: {exc.strerror or exc}").entry(str(path))
    else:
        entry = InternalError(f"extractor bug ({type(exc).__name__}: {exc}); please report it with this file").entry(
            str(path))
    if entry.sha256 is None and path != "-":
        entry.sha256 = file_sha256(path)
    entry.part = path.part if isinstance(path, PartPath) else None
    return entry
