"""Typed errors: every input that cannot become a record becomes one of these, with a reason.

Each class is one ``ErrorCode`` (models/record.py); ``entry`` turns any of them into the
``ErrorEntry`` line a batch writes, so no code is spelled as a loose string elsewhere.
"""
from __future__ import annotations

from models import ErrorCode, ErrorEntry


class ExtractionError(Exception):
    """An input that yields no record. ``code`` is stable (for machines), ``reason`` is for people."""

    code: ErrorCode = "internal_error"

    def __init__(self, reason: str, *, path: str | None = None, sha256: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.sha256 = sha256

    def entry(self, path: str | None = None) -> ErrorEntry:
        """The error line for this input at ``path`` (default: the path the exception carries)."""
        return ErrorEntry(path=path or self.path or "-", sha256=self.sha256, error=self.code, reason=self.reason)


class EmptyInput(ExtractionError):
    code = "empty"


class TooLarge(ExtractionError):
    code = "too_large"


class Undecodable(ExtractionError):
    code = "undecodable"


class UnsupportedFormat(ExtractionError):
    code = "unsupported_format"


class CorruptPDF(ExtractionError):
    code = "corrupt_pdf"


class EncryptedPDF(ExtractionError):
    code = "encrypted_pdf"


class NoTextLayer(ExtractionError):
    code = "no_text_layer"


class Unreadable(ExtractionError):
    """The file system refused: missing, no permission, an I/O error."""

    code = "unreadable"


class NotAFile(ExtractionError):
    """A FIFO, device, socket or folder: reading it could block forever or never end."""

    code = "not_a_file"


class TimedOut(ExtractionError):
    code = "timeout"


class WorkerCrashed(ExtractionError):
    code = "worker_crashed"


class InternalError(ExtractionError):
    """A bug in the extractor on this input; the batch goes on."""

    code = "internal_error"

