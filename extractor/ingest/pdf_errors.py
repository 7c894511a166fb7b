"""Why a PDF could not be read, in words that say how to fix it: pdfminer's and pdfplumber's many
exception types turned into the project's typed errors."""
from __future__ import annotations

from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

from extractor.errors import CorruptPDF, EncryptedPDF, ExtractionError

__all__ = ["ENCRYPTED_REASON", "NO_TEXT_REASON", "classify_parser_error"]

ENCRYPTED_REASON = "PDF is encrypted (password protected); decrypt it first, e.g. qpdf --decrypt in.pdf out.pdf"
NO_TEXT_REASON = "PDF has no text layer (scanned image?)"  # the OCR fallback adds what to install to read it


def classify_parser_error(exc: Exception) -> ExtractionError:
    """pdfplumber wraps pdfminer's errors (``PdfminerException(inner)``): judge the inner one. One of
    our own errors raised inside pdfminer (the stream budget) comes back as itself."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    if isinstance(inner, ExtractionError):
        return inner
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)):
        return EncryptedPDF(ENCRYPTED_REASON)
    message = str(inner) or type(inner).__name__
    return CorruptPDF(f"cannot parse PDF (corrupt or truncated?): {type(inner).__name__}: {message}")
