"""Typed errors: every input that cannot become a record becomes one of these, with a reason."""
from __future__ import annotations


class ExtractionError(Exception):
    """An input that yields no record. ``code`` is stable (for machines), ``reason`` is for people."""

    code = "error"

    def __init__(self, reason: str, *, path: str | None = None, sha256: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.sha256 = sha256


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


class TimedOut(ExtractionError):
    code = "timeout"


class NotUrgentAction(ExtractionError):
    code = "not_urgent_action"
