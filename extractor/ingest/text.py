"""Plain-text reader: bytes -> Document, decoding carefully and changing nothing but line endings.

Offsets into the returned text are the evidence shown to users, so the only edits made are the
removal of a leading byte-order mark and CRLF / lone CR -> LF.
"""
from __future__ import annotations

import codecs
import re
import unicodedata

from extractor.document import Document
from extractor.errors import TooLarge, Undecodable, UnsupportedFormat
from extractor.settings import Limits

# Magic numbers of formats people mistake for text; named so the error says what the file is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (a .docx/.odt? save it as PDF or plain text)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE file (a .doc? save it as PDF or plain text)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
)

_UTF32_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
)
_UTF16_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings charset-normalizer may propose for Western text; for those we prefer cp1252, because
# the detector often calls short Spanish/French/Turkish-name text "cp1250" and would turn ñ into ń.
_WESTERN = {"ascii", "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1257",
            "iso8859_10", "iso8859_9", "cp1254", "mac_roman", "mac_latin2", "mac_iceland",
            "mac_turkish", "cp775", "cp850", "cp852", "cp857", "cp858", "cp437", "cp1258"}
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v", "\x1a"}  # \x1a: DOS end-of-file marker


def read_text(data: bytes, path: str, sha256: str) -> Document:
    """Decode ``data`` into a text Document (line endings normalised to "\\n")."""
    text, warnings = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, repaired = repair_mojibake(text)
    if repaired:
        warnings.append(f"mojibake repaired: UTF-8 once read as cp1252 or latin-1 ('AcciÃ³n' read as 'Acción'), "
                        f"{repaired} characters fewer; evidence offsets are into the repaired text")
    return Document(path=path, sha256=sha256, media_type="text/plain", text=text,
                    pages=None, segments=[], warnings=warnings)


def repair_mojibake(text: str) -> tuple[str, int]:
    """The text with mojibake undone (ftfy's ``fix_encoding``, which changes only what reads as UTF-8 decoded
    in a single-byte codepage), and how many characters fewer it has; (text, 0) when there is none."""
    if not _MOJIBAKE_HINT.search(text):
        return text, 0  # most texts: no 'Ã', 'Â' or 'â€' pair at all, and ftfy is not asked
    import ftfy

    fixed = ftfy.fix_encoding(text)
    return (fixed, len(text) - len(fixed)) if fixed != text else (text, 0)


# The lead bytes of UTF-8's two- and three-byte letters and punctuation as cp1252 or latin-1 shows them
_MOJIBAKE_HINT = re.compile(r"[ÃÂ][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|â€")


def decode(data: bytes) -> tuple[str, list[str]]:
    """Return (text, warnings). UTF-8 first; BOMs respected; cp1252/latin-1 as a warned fallback."""
    _reject_known_binary(data)
    text, encoding = _decode_by_bom(data) or _decode_utf16_without_bom(data) or _decode_utf8(data) \
        or _decode_fallback(data)
    text = text.removeprefix("\ufeff")
    _reject_binary_text(text)
    warnings = [] if encoding in {"utf-8", "utf-8-sig", "utf-16", "utf-32"} else \
        [f"decoded as {encoding} (input is not valid UTF-8)"]
    return text, warnings


def _reject_known_binary(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormat(f"not a text or PDF file: looks like {what} (starts with {data[:8]!r})")


def _decode_by_bom(data: bytes) -> tuple[str, str] | None:
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            return None  # a lying BOM: let the fallbacks have it
    for bom, codec in _UTF32_BOMS + _UTF16_BOMS:  # UTF-32 first: its LE BOM begins like UTF-16's
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec.split("-le")[0].split("-be")[0]
            except UnicodeDecodeError as exc:
                raise Undecodable(f"starts with a {codec.upper()} byte-order mark but is not valid "
                                  f"{codec.upper()}: {exc.reason} at byte {exc.start}") from exc
    return None


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Mostly-ASCII UTF-16 has a NUL in every other byte; that pattern is unmistakable."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0) / (len(sample) / 2)
    odd_nuls = sample[1::2].count(0) / (len(sample) / 2)
    if odd_nuls > 0.6 and even_nuls < 0.1:
        codec = "utf-16-le"
    elif even_nuls > 0.6 and odd_nuls < 0.1:
        codec = "utf-16-be"
    else:
        return None
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return None


def _decode_utf8(data: bytes) -> tuple[str, str] | None:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return None


def _decode_fallback(data: bytes) -> tuple[str, str]:
    """Not UTF-8: a non-Latin legacy encoding if the detector is sure, else cp1252, else latin-1."""
    if data.count(0) > len(data) // 100:  # NULs outside UTF-16 mean binary, whatever the bytes decode to
        raise Undecodable(f"looks like binary data, not text ({data.count(0)} NUL bytes); "
                          "expected UTF-8/UTF-16/cp1252 text or a PDF")
    guess = _detector_guess(data)
    if guess is not None:
        return guess
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _detector_guess(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's answer when it is a non-Western encoding that yields non-Latin letters."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional help only
        return None
    best = from_bytes(data).best()
    if best is None or best.encoding in _WESTERN:
        return None
    text = str(best)
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    if not letters or latin / len(letters) > 0.5:
        return None
    return text, best.encoding


def _reject_binary_text(text: str) -> None:
    """Bytes that decode but are mostly control characters are a binary file, not a UA."""
    sample = text[:65536]
    if not sample:
        return
    controls = sum(1 for c in sample
                   if c not in _ALLOWED_CONTROLS and unicodedata.category(c) in {"Cc", "Cs"})
    if controls > max(8, len(sample) // 20):
        raise Undecodable(f"looks like binary data, not text ({controls} control characters in the "
                          f"first {len(sample)}); expected UTF-8/UTF-16/cp1252 text or a PDF")


def check_chars(count: int, limits: Limits) -> None:
    """Shared by both readers: extracted text longer than ``limits.max_chars`` is refused."""
    if count > limits.max_chars:
        raise TooLarge(f"extracted text has at least {count} characters, over the limit of {limits.max_chars} "
                       "(raise it with --max-chars)")
