"""The per-document function every backend runs, and the simplest backend: this process, with the
per-document time limit enforced by ``SIGALRM``. Documents go BATCH_DOCUMENTS at a time
(``extract_batch``: their NER shares batches); a batch gets one document's time limit, and one that
runs over it is done again one document at a time, each with the whole limit, so that only a document
over the limit on its own becomes a ``timeout`` line."""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from extractor.api import BATCH_DOCUMENTS, extract_batch, extract_or_error
from extractor.batch.outcome import Outcome
from extractor.batch.sink import RunError
from extractor.errors import TimedOut
from extractor.hashing import file_sha256
from extractor.nlp import load_pipeline
from extractor.settings import Settings
from models import ErrorEntry, UrgentAction

#: The per-document function of every backend: one input to one record or one error entry.
process = extract_or_error


class _Deadline(BaseException):
    """Raised by SIGALRM in the middle of a document. A BaseException, so that no ``except Exception``
    inside a reader or recogniser can swallow it."""


def timeout_entry(path: str, seconds: float) -> ErrorEntry:
    entry = TimedOut(f"took longer than the limit of {seconds:g} s per document; raise it with "
                     "the setting limits.seconds_per_document").entry(path)
    entry.sha256 = file_sha256(path) if path != "-" else None  # regular files only: never blocks
    entry.part = getattr(path, "part", None)  # a container's part (a PartPath): which one timed out
    return entry


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
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


def load(settings: Settings) -> str:
    """Load the model once, up front: a model that cannot load stops the run, not each document."""
    try:
        return load_pipeline(settings.model, settings.rules_only).model
    except ValueError as exc:
        raise RunError(str(exc)) from exc


def process_with_limit(path: str, settings: Settings) -> UrgentAction | ErrorEntry:
    limit = settings.limits.seconds_per_document
    try:
        with time_limit(limit):
            return process(path, settings)
    except _Deadline:
        return timeout_entry(path, limit)


def process_chunk_with_limit(paths: Sequence[str], settings: Settings) -> list[UrgentAction | ErrorEntry]:
    """A result per path, in order: together within one document's time limit, else one at a time."""
    if len(paths) > 1:
        try:
            with time_limit(settings.limits.seconds_per_document):
                return extract_batch(paths, settings)
        except _Deadline:
            pass  # one at a time below: only a document over the limit alone times out
    return [process_with_limit(path, settings) for path in paths]


def chunks(paths: Iterator[str], size: int = BATCH_DOCUMENTS) -> Iterator[list[str]]:
    while chunk := list(islice(paths, size)):
        yield chunk


def run_here(paths: Iterator[str], settings: Settings) -> Iterator[Outcome]:
    load(settings)
    for chunk in chunks(paths):
        for result in process_chunk_with_limit(chunk, settings):
            yield Outcome.of(result)
