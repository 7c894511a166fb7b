"""Ingest: any input file -> ``Document`` (text + offset -> page/box map), or a typed error.

Text, PDF (OCR for scans, ``ocr.py``) and saved HTML pages (``html.py``). Files that hold several
documents (digests, mboxes) are split by ``containers.py`` before any of this is called.

The format is sniffed from the content, never trusted from the file name. Every error raised
carries ``path`` and ``sha256`` so a batch can report exactly which input failed and why.
"""
from __future__ import annotations

import hashlib
import os
import stat
import sys
from typing import BinaryIO

from extractor.document import Document
from extractor.errors import EmptyInput, ExtractionError, NoTextLayer, TooLarge, UnsupportedFormat
from extractor.hashing import file_sha256
from extractor.ingest.html import is_html, read_html
from extractor.ingest.mail import is_mail, read_mail
from extractor.ingest.ocr import ocr_pdf
from extractor.ingest.pdf import read_pdf
from extractor.ingest.text import check_chars, read_text
from extractor.settings import Limits

__all__ = ["claims_pdf", "is_html", "is_pdf", "read_bytes", "read_path", "read_stdin"]

DEFAULT_LIMITS = Limits()
_CHUNK = 1 << 20
_LEADING = b" \t\r\n\f\xef\xbb\xbf"  # whitespace and UTF-8 BOM bytes some tools put before %PDF-


def read_path(path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a file ("-" for stdin) into a Document. The size is checked before reading, so a
    huge file is never loaded; OSError (missing file, permissions) propagates unchanged."""
    if path == "-":
        return read_stdin(limits)
    info = os.stat(path)
    if stat.S_ISREG(info.st_mode) and info.st_size > limits.max_bytes:
        raise _too_big(info.st_size, limits, path, file_sha256(path))
    with os.fdopen(_open_without_waiting(path), "rb") as handle:  # capped: pipes and devices have no trustworthy size
        data = _read_capped(handle, limits.max_bytes)
    if not data and stat.S_ISFIFO(info.st_mode):
        raise EmptyInput("is a named pipe (FIFO) that no program was writing to when it was opened: nothing to "
                         "read (it is not waited for)", path=path)
    return read_bytes(data, path, limits)


def _open_without_waiting(path: str) -> int:
    """A blocking read descriptor of ``path``, opened without waiting: a plain open() of a named pipe
    waits for a writer, for ever if none comes. Opened with O_NONBLOCK, a pipe without a writer reads
    as empty (an empty-input error); one with a writer is then read as it writes."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    os.set_blocking(fd, True)
    return fd


def read_stdin(limits: Limits = DEFAULT_LIMITS, stream: BinaryIO | None = None) -> Document:
    """Standard input (or ``stream``) into a Document, read in chunks and never past
    ``limits.max_bytes`` + 1 bytes: an endless or huge stream is refused once that much has come,
    without reading the rest (its sha256 is then unknown, so the error carries none)."""
    data = _read_capped(stream or sys.stdin.buffer, limits.max_bytes)
    if len(data) > limits.max_bytes:
        raise TooLarge(f"standard input is larger than the limit of {limits.max_bytes} bytes (stopped reading "
                       f"after {len(data)}); raise it with --max-bytes", path="-")
    return read_bytes(data, "-", limits)


def read_bytes(data: bytes, path: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Turn input bytes into a Document; ``path`` is only the label kept in ``Document.path``."""
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        return _read(data, path, sha256, limits)
    except ExtractionError as exc:
        exc.path, exc.sha256 = path, sha256
        raise


def is_pdf(data: bytes) -> bool:
    """PDF by content: ``%PDF-`` after optional whitespace / byte-order mark."""
    return data[:1024].lstrip(_LEADING).startswith(b"%PDF-")


def claims_pdf(path: str) -> bool:
    """Named .pdf: such a file must be a PDF (a text named .pdf is refused, not read as text)."""
    return path.lower().endswith(".pdf")


def _read(data: bytes, path: str, sha256: str, limits: Limits) -> Document:
    if len(data) > limits.max_bytes:
        raise _too_big(len(data), limits, path, sha256)
    if not data.strip():
        raise EmptyInput("input is empty" if not data else "input contains only whitespace")
    if is_pdf(data):
        try:
            document = read_pdf(data, path, sha256, limits)
        except NoTextLayer:  # a scan: OCR when installed, else NoTextLayer says what to install
            document = ocr_pdf(data, path, sha256, limits)
    elif claims_pdf(path):
        raise UnsupportedFormat(f"named .pdf but is not a PDF (starts with {data[:16]!r})")
    elif is_html(data):
        document = read_html(data, path, sha256)
    elif is_mail(data):
        document = read_mail(data, path, sha256)
    else:
        document = read_text(data, path, sha256)
    if not document.text.strip():
        raise EmptyInput("input contains only whitespace")
    check_chars(len(document.text), limits)
    return document


def _too_big(size: int, limits: Limits, path: str, sha256: str | None) -> TooLarge:
    return TooLarge(f"input is larger than the limit of {limits.max_bytes} bytes ({size} bytes seen); "
                    "raise it with --max-bytes", path=path, sha256=sha256)


def _read_capped(handle: BinaryIO, cap: int) -> bytes:
    """Read at most cap + 1 bytes: one byte over is enough to know the input is too large."""
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        chunk = handle.read(min(_CHUNK, cap + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)

