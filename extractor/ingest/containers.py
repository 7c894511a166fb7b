"""Containers: one file holding many documents, split into parts that are extracted one by one.

Two kinds are recognised, by content (never by name):

- **mbox** (the file starts with an mbox ``From `` line and mail headers): one part per mail, found
  with the standard library's ``mailbox``; a part's text is the mail's body (MIME and
  quoted-printable/base64 decoded; an HTML-only body read like a saved page). The mail's Date and
  Subject are kept in ``source.part`` as metadata, never as the UA's issue date.
- **digest** (a text file with more than one UA in it: a bulletin digest, a BBS or CD-ROM ``.TXT``,
  a Lotus Notes export): split on the separator lines real archives use and, where there is none,
  at the start of a new UA header.

Splitting a digest asks for strong evidence, because one UA often carries its number twice (a
header and a footer), repeats ``URGENT ACTION`` at the top of its second page, or cites another
UA's number. The file is cut into chunks at candidate boundaries:

- *strong* ones: dashed, starred or ``=`` rules (ten or more), ``-- End of bulletin --`` style
  lines, Lotus Notes ``$File`` lines;
- *weak* ones: form feeds (page breaks) and a UA header line (``URGENT ACTION``, ``UA 123/97``,
  ``EXTRA 45/96``, ``AI Index:``, ``PUBLIC ... AI Index``, ``Further information on UA``) after two
  or more blank lines.

A chunk starts a new part only when it and the part before it are substantial (at least
``MIN_PART_CHARS`` non-blank characters), both begin with a UA header (in their first
``HEAD_LINES`` non-blank lines; a preamble without one, such as a BBS file header, joins the UA
after it), and the two are not the same document: their own AI indexes (those
after an ``Index:`` label) differ or, when one has none, their UA numbers share nothing. Behind a
strong boundary a chunk without numbers may start a part, after a part that has numbers (a part
with none is a preamble, such as 'URGENT ACTION OF THE WEEK' over a chapter's note); behind a weak
one both must have numbers that differ. Everything else joins the part before it (a preamble joins the first UA), so
no text is lost and a single UA is not cut in two. A file that gives fewer than two parts is not a
container: it is read as one document.

Streaming: a container is never loaded whole. Finding its parts reads it line by line, keeping only
a few numbers per chunk, and each part is then read on its own from its byte range (so the size
limits of ``Limits`` apply per part, and a container may be larger than ``max_bytes``). Lines are
decoded as UTF-8, or cp1252 (latin-1 where cp1252 has no character) when a line is not UTF-8, with
a warning on the part; CRLF and lone CR become LF.

A part as a batch input is a :class:`PartPath`: a ``str`` equal to the container's path (so the
batch's stat, hashing and error lines see the file) that carries which part it is and pickles
across worker processes.
"""
from __future__ import annotations

import email
import email.parser
import email.policy
import hashlib
import mailbox
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Literal, Self

from extractor.document import Document
from extractor.errors import EmptyInput, TooLarge, UnsupportedFormat
from extractor.ingest.mail import mail_body
from extractor.ingest.text import check_chars
from extractor.settings import Limits
from models import ContainerPart

__all__ = ["HEAD_LINES", "MIN_PART_CHARS", "ContainerKind", "IsContainer", "PartPath", "container_kind", "iter_parts",
           "read_part"]

ContainerKind = Literal["digest", "mbox"]
MIN_PART_CHARS = 300  # non-blank characters a part needs to stand on its own
HEAD_LINES = 12  # a new part's UA header must be within its first this many non-blank lines
_SNIFF = 1 << 16

_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"PK\x03\x04",
                 b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"\x7fELF", b"MZ",
                 b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_HTML = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|head|body|meta|!--)", re.IGNORECASE)
# an mbox "From " line: sender, then a date with a time and a year ("From a@b Tue Oct 14 09:12:44 1997"),
# so a text that starts "From Amnesty International: ..." is not taken for a mailbox
_MBOX_FROM = re.compile(rb"^From \S+ +.*\b\d{1,2}:\d{2}(?::\d{2})?\b.*\b\d{4}\b")
_MAIL_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:")

_RULE = re.compile(r"^[ \t]*([-=*_~#+])(?:[ \t]?\1){9,}[ \t]*$")
_END = re.compile(r"^\W*end\s+of\s+(?:the\s+)?(?:bulletin|digest|document|message|mail|urgent\s+action|ua|file|item)"
                  r"\b[\w\s]*\W*$", re.IGNORECASE)
_LOTUS = re.compile(r"^\$File\b", re.IGNORECASE)
_HEAD = re.compile(r"""^[\s>*]*(?:
      (?-i:URGENT\s+ACTION)\b
    | (?:UA|EXTRA)\s*:?\s*\d{1,4}\s*/\s*\d{2}\b
    | (?:EXTERNAL|PUBLIC)\b.*\bIndex\b
    | AI\s+Index\s*:
    | Further\s+information\s+on\s+(?:UA|EXTRA)\b
    )""", re.IGNORECASE | re.VERBOSE)
_AI = re.compile(r"(?:\bIndex|\bindex|d'index)\s*(?:AI\s*)?(?::|no\.?)\s*([A-Z]{3})\s*(\d{2})\s*/\s*(\d{2,4})\s*/\s*(\d{4}|\d{2})\b")
_UA = re.compile(r"\b(UA|EXTRA|AU|FI)\s*:?\s*(?:No\.?\s*)?(\d{1,4})\s*/\s*(\d{2})\b")


class IsContainer(UnsupportedFormat):
    """A single-document call (``extract``) on a file that holds several documents."""


class PartPath(str):
    """A container part as a batch input: equal to the container's path, carrying the part."""

    part: ContainerPart
    byte_start: int
    byte_end: int

    def __new__(cls, path: str, part: ContainerPart, byte_start: int, byte_end: int) -> Self:
        self = super().__new__(cls, path)
        self.part, self.byte_start, self.byte_end = part, byte_start, byte_end
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return PartPath, (str(self), self.part, self.byte_start, self.byte_end)


# ----------------------------------------------------------------------------------------- sniffing


def container_kind(path: str) -> ContainerKind | None:
    """'mbox', 'digest' (a text with two or more UAs, see the module docstring) or None (one
    document). Reads the file's head, and for a text the whole file line by line."""
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF)
    if not head.strip() or head.lstrip(b" \t\r\n\f\xef\xbb\xbf").startswith(_BINARY_MAGIC) or b"\x00" in head:
        return None
    if _is_mbox(head):
        return "mbox"
    if _HTML.match(head):
        return None
    parts = _digest_spans(path, "0" * 64)
    found = sum(1 for _ in zip(range(2), parts, strict=False))
    parts.close()
    return "digest" if found >= 2 else None


def _is_mbox(head: bytes) -> bool:
    lines = head.split(b"\n", 12)
    if not _MBOX_FROM.match(lines[0]):
        return False
    return any(_MAIL_HEADER.match(line) for line in lines[1:-1])


def iter_parts(path: str, kind: ContainerKind, container_sha256: str) -> Iterator[PartPath]:
    """The parts of a container, in order, streamed (their texts are read by :func:`read_part`)."""
    if kind == "mbox":
        yield from _mbox_spans(path, container_sha256)
    else:
        yield from _digest_spans(path, container_sha256)


# ----------------------------------------------------------------------------------------- digests


@dataclass
class _Chunk:
    char_start: int
    byte_start: int
    strong: bool  # the boundary before it is a strong separator
    char_end: int = 0
    byte_end: int = 0
    size: int = 0  # non-blank characters
    head: bool = False  # a UA header line among its first HEAD_LINES non-blank lines
    lines_seen: int = 0
    ai: set[tuple[str, int, int, int]] = field(default_factory=set)
    ua: set[tuple[str, int, int]] = field(default_factory=set)

    def add(self, line: str) -> None:
        stripped = line.strip()
        if stripped:
            self.size += len(stripped)
            if self.lines_seen < HEAD_LINES and _HEAD.match(stripped.lstrip("\f")):
                self.head = True
            self.lines_seen += 1
        if "ndex" in line:
            for m in _AI.finditer(line):
                year = int(m[4]) if len(m[4]) == 4 else 1900 + int(m[4]) if int(m[4]) >= 50 else 2000 + int(m[4])
                self.ai.add((m[1], int(m[2]), int(m[3]), year))
        for m in _UA.finditer(line):
            self.ua.add(("EXTRA" if m[1] == "EXTRA" else "UA", int(m[2]), int(m[3])))

    def merge(self, other: _Chunk) -> None:
        self.char_end, self.byte_end = other.char_end, other.byte_end
        self.size += other.size
        self.head = self.head or other.head
        self.ai |= other.ai
        self.ua |= other.ua


def _different(a: _Chunk, b: _Chunk, *, unknown: bool) -> bool:
    """Two different documents? ``unknown``: the answer when one of them has no numbers at all."""
    if a.ai and b.ai:
        return not a.ai & b.ai
    if a.ua and b.ua:
        return not a.ua & b.ua
    return unknown


def _starts_new_part(part: _Chunk, chunk: _Chunk) -> bool:
    if chunk.size < MIN_PART_CHARS or part.size < MIN_PART_CHARS or not (chunk.head and part.head):
        return False
    # behind a strong rule a chunk without numbers may be a UA of its own, but a part before it that has
    # none is a page's preamble ('URGENT ACTION OF THE WEEK', a chapter's note), which joins the UA after it
    return _different(part, chunk, unknown=chunk.strong and bool(part.ai or part.ua))


def decode_lines(raw_lines: Iterator[bytes]) -> Iterator[tuple[str, int, bool]]:
    """(text, bytes it came from, decoded as cp1252/latin-1?) per line; CRLF and CR become LF."""
    first = True
    for raw in raw_lines:
        fallback = False
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            fallback = True
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
        if first:
            text, first = text.removeprefix("\ufeff"), False
        yield text.replace("\r\n", "\n").replace("\r", "\n"), len(raw), fallback


def _chunks(path: str) -> Iterator[_Chunk]:
    chars = nbytes = blanks = 0
    chunk = _Chunk(0, 0, strong=False)
    with open(path, "rb") as handle:
        for text, size, _ in decode_lines(iter(handle)):
            stripped = text.strip()
            before = None
            if chunk.lines_seen or chunk.size:
                if text.lstrip(" \t").startswith("\f"):
                    before = False
                elif _LOTUS.match(stripped):
                    before = True
                elif blanks >= 2 and _HEAD.match(stripped):
                    before = False
            if before is not None:
                chunk.char_end, chunk.byte_end = chars, nbytes
                yield chunk
                chunk = _Chunk(chars, nbytes, strong=before)
            chunk.add(text)
            chars += len(text)
            nbytes += size
            blanks = 0 if stripped.strip("\f") else blanks + 1
            after = None
            if _RULE.match(stripped) or _END.match(stripped):
                after = True
            elif text.rstrip("\n").endswith("\f") and stripped.strip("\f"):
                after = False
            if after is not None:
                chunk.char_end, chunk.byte_end = chars, nbytes
                yield chunk
                chunk = _Chunk(chars, nbytes, strong=after)
                blanks = 2  # a header right after a separator counts as after blank lines
    chunk.char_end, chunk.byte_end = chars, nbytes
    if chunk.char_end > chunk.char_start:
        yield chunk


def _digest_spans(path: str, container_sha256: str) -> Generator[PartPath, None, None]:
    part: _Chunk | None = None
    number = 0
    for chunk in _chunks(path):
        if part is None:
            part = chunk
        elif _starts_new_part(part, chunk):
            number += 1
            yield _digest_part(path, part, number, container_sha256)
            part = chunk
        else:
            part.merge(chunk)
    if part is not None:
        yield _digest_part(path, part, number + 1, container_sha256)


def _digest_part(path: str, part: _Chunk, number: int, sha: str) -> PartPath:
    return PartPath(path, ContainerPart(container="digest", number=number, start=part.char_start, end=part.char_end,
                                        container_sha256=sha), part.byte_start, part.byte_end)


# ----------------------------------------------------------------------------------------- mbox


def _mbox_spans(path: str, container_sha256: str) -> Iterator[PartPath]:
    box = mailbox.mbox(path, create=False)
    try:
        keys = box.keys()  # scans the file once for "From " lines: offsets only, no message kept
        toc: dict[str, tuple[int, int]] = getattr(box, "_toc", {})
        for number, key in enumerate(keys, 1):
            start, stop = toc[key]
            headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(
                _strip_from_line(_read_range(path, start, stop, None)))
            yield PartPath(path, ContainerPart(container="mbox", number=number, start=start, end=stop,
                                               container_sha256=container_sha256,
                                               mail_date=_header(headers, "Date"),
                                               mail_subject=_header(headers, "Subject")), start, stop)
    finally:
        box.close()


def _header(message: Any, name: str) -> str | None:
    value = message.get(name)
    return " ".join(str(value).split()) or None if value is not None else None


def _strip_from_line(data: bytes) -> bytes:
    return data.split(b"\n", 1)[1] if data.startswith(b"From ") and b"\n" in data else data


# ----------------------------------------------------------------------------------------- reading a part


def _read_range(path: str, start: int, end: int, limits: Limits | None) -> bytes:
    size = end - start
    if limits is not None and size > limits.max_bytes:
        raise TooLarge(f"part is larger than the limit of {limits.max_bytes} bytes ({size} bytes); "
                       "raise it with --max-bytes")
    with open(path, "rb") as handle:
        handle.seek(start)
        return handle.read(size)


def read_part(part: PartPath, limits: Limits) -> Document:
    """One part's Document: its text (what its evidence offsets point into), ``sha256`` of the part's
    bytes, ``part`` saying where it sits. Raises the typed errors (TooLarge, EmptyInput ...) with
    the container's path."""
    data = _read_range(str(part), part.byte_start, part.byte_end, limits)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        return _part_document(part, data, sha256, limits)
    except (TooLarge, EmptyInput, UnsupportedFormat) as exc:
        exc.path, exc.sha256 = str(part), sha256
        raise


def _part_document(part: PartPath, data: bytes, sha256: str, limits: Limits) -> Document:
    warnings = [f"part {part.part.number} of a container ({part.part.container})"]
    media_type = "text/plain"
    if part.part.container == "mbox":
        text, media_type, notes = _mail_body(_strip_from_line(data))
        warnings.extend(notes)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        decoded = list(decode_lines(iter(data.splitlines(keepends=True))))
        text = "".join(t for t, _, _ in decoded)
        if any(f for _, _, f in decoded):
            warnings.append("decoded as cp1252 (some lines of the container are not valid UTF-8)")
    if not text.strip():
        raise EmptyInput("container part is empty" + (" (a mail without a text body)"
                                                       if part.part.container == "mbox" else ""))
    check_chars(len(text), limits)
    return Document(path=str(part), sha256=sha256, media_type=media_type, text=text, warnings=warnings,
                    part=part.part)


def _mail_body(data: bytes) -> tuple[str, str, list[str]]:
    """The text of a mail: its text/plain body, else its HTML body as a saved page is read."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return mail_body(message)
