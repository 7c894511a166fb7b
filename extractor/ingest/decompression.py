"""Decompression-bomb guard: a bound on the bytes pdfminer decodes from the streams of one PDF.

pdfminer decodes a stream (``PDFStream.decode``) the first time anything reads it: the
cross-reference stream when the file opens, object streams when an object inside them is first
resolved, then each page's content streams, forms, fonts and CMaps as the page is parsed. Its
decoders have no size limit, and some are far worse than their output: RunLengthDecode builds a
list of ints (8 bytes per byte; 20 MB in, 11.7 GB used), ASCII85 'z' quadruples, and the guard
this replaces stopped counting at the first filter that was not Flate or LZW.

So while a budget is active (``with budget.active():``), every stream is decoded here instead, for
every filter pdfminer knows and any chain of them, each step stopping one byte past what is left
of the budget: nothing larger than the budget is ever allocated, whatever path asked for the
stream. Past the budget, TooLarge says which stream was refused and which setting raises the bound.
Outside a budget pdfminer's own decoder runs, unchanged (other code using pdfminer is unaffected).
"""
from __future__ import annotations

import contextlib
import re
import zlib
from base64 import a85decode
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from io import BytesIO
from typing import Any

from pdfminer import settings as pdfminer_settings
from pdfminer.ascii85 import asciihexdecode, end_re, start_re
from pdfminer.ccitt import CCITTFaxDecoder
from pdfminer.lzw import LZWDecoder
from pdfminer.pdfexceptions import PDFException, PDFNotImplementedError
from pdfminer.pdftypes import (
    LITERAL_CRYPT,
    LITERALS_ASCII85_DECODE,
    LITERALS_ASCIIHEX_DECODE,
    LITERALS_CCITTFAX_DECODE,
    LITERALS_DCT_DECODE,
    LITERALS_FLATE_DECODE,
    LITERALS_JBIG2_DECODE,
    LITERALS_JPX_DECODE,
    LITERALS_LZW_DECODE,
    LITERALS_RUNLENGTH_DECODE,
    PDFStream,
    int_value,
)
from pdfminer.psparser import PSLiteral
from pdfminer.utils import apply_png_predictor, apply_tiff_predictor

from extractor.errors import TooLarge

__all__ = ["StreamBudget"]

_ACTIVE: ContextVar[StreamBudget | None] = ContextVar("ua_stream_budget", default=None)
_A85_PIECE = 1 << 20  # characters per a85decode call (a multiple of 5): its lists stay small
_Z_RUN = re.compile(rb"z+")


class _Over(Exception):
    """A decoding step would pass the budget (internal: StreamBudget turns it into TooLarge)."""


class StreamBudget:
    """Decoded bytes allowed for all the streams of one document together."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.refused: TooLarge | None = None  # kept: pdfminer swallows some errors, the reader re-raises

    @contextlib.contextmanager
    def active(self) -> Iterator[StreamBudget]:
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def check(self) -> None:
        """Raise the refusal, if any, even when pdfminer caught it on the way out."""
        if self.refused is not None:
            raise self.refused

    def decode(self, stream: PDFStream) -> None:
        """pdfminer's ``PDFStream.decode``, bounded: sets ``stream.data`` or raises TooLarge."""
        self.check()
        data = stream.rawdata or b""
        if stream.decipher and stream.objid is not None and stream.genno is not None:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        filters = stream.get_filters()
        try:
            for f, params in filters:
                data = _decode_one(f, params or {}, data, self.limit - self.used)
                if params and "Predictor" in params:
                    data = _predict(params, data, self.limit - self.used)
                if len(data) > self.limit - self.used:
                    raise _Over
        except _Over:
            self.refused = TooLarge(_reason(stream, filters, self.limit))
            raise self.refused from None
        self.used += len(data)
        stream.data = data
        stream.rawdata = None


def _reason(stream: PDFStream, filters: list[tuple[Any, Any]], limit: int) -> str:
    kind = {"ObjStm": "object stream", "XRef": "cross-reference stream"}.get(_name(stream.attrs.get("Type")) or "",
                                                                          "stream")
    chain = ", ".join(_name(f) or "?" for f, _ in filters) or "no filter"
    where = f" (object {stream.objid})" if stream.objid is not None else ""
    return (f"PDF {kind}{where} filtered [{chain}] decodes past the limit of {limit} bytes for all "
            "streams of a document; refusing a possible decompression bomb (the setting is "
            "Limits.max_stream_bytes; raise it with --max-stream-bytes)")


def _name(obj: object) -> str | None:
    if not isinstance(obj, PSLiteral):
        return None
    return obj.name if isinstance(obj.name, str) else obj.name.decode("latin-1")


# --------------------------------------------------------------------------------------------
# One filter, at most ``room + 1`` bytes of output (one byte over is enough to refuse)


def _decode_one(f: object, params: dict[str, Any], data: bytes, room: int) -> bytes:
    if f in LITERALS_FLATE_DECODE:
        return _inflate(data, room)
    if f in LITERALS_LZW_DECODE:
        return _lzw(data, room)
    if f in LITERALS_ASCII85_DECODE:
        return _ascii85(data, room)
    if f in LITERALS_ASCIIHEX_DECODE:
        return asciihexdecode(data)  # half its input: never more than what is already held
    if f in LITERALS_RUNLENGTH_DECODE:
        return _runlength(data, room)
    if f in LITERALS_CCITTFAX_DECODE:
        return _ccittfax(data, params, room)
    if f in LITERALS_DCT_DECODE or f in LITERALS_JBIG2_DECODE or f in LITERALS_JPX_DECODE:
        return data  # images: pdfminer leaves them encoded too
    if f == LITERAL_CRYPT:
        raise PDFNotImplementedError("/Crypt filter is unsupported")
    raise PDFNotImplementedError(f"Unsupported filter: {f!r}")


def _inflate(data: bytes, room: int) -> bytes:
    """zlib, as pdfminer reads it: a truncated stream gives what it has; a bad checksum (an error
    within the last three bytes) keeps the output, an error before that gives nothing."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, room + 1)
    except zlib.error as exc:
        if pdfminer_settings.STRICT:
            raise PDFException(f"Invalid zlib bytes: {exc!r}") from exc
        return _inflate_corrupted(data, room)
    if inflater.unconsumed_tail:
        raise _Over
    return out


def _inflate_corrupted(data: bytes, room: int) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = bytearray(inflater.decompress(data[:-3], room + 1))
    except zlib.error:
        return b""
    if inflater.unconsumed_tail:
        raise _Over
    for i in range(max(len(data) - 3, 0), len(data)):  # byte by byte: keep what came before the error
        try:
            out += inflater.decompress(data[i:i + 1], room + 1 - len(out))
        except zlib.error:
            break
        if inflater.unconsumed_tail or len(out) > room:
            raise _Over
    return bytes(out)


def _lzw(data: bytes, room: int) -> bytes:
    out = bytearray()
    for chunk in LZWDecoder(BytesIO(data)).run():
        out += chunk
        if len(out) > room:
            raise _Over
    return bytes(out)


def _ascii85(data: bytes, room: int) -> bytes:
    """pdfminer's trimming, then base64.a85decode in pieces ('z' runs expanded here, counted first)."""
    data = end_re.sub(b"", start_re.sub(b"", data))
    data = data.translate(None, b" \t\n\r\v")  # what a85decode ignores
    out = bytearray()
    pos = 0
    while pos < len(data):
        zs = _Z_RUN.match(data, pos)
        if zs:
            if len(out) + 4 * len(zs.group()) > room:
                raise _Over
            out += b"\0" * (4 * len(zs.group()))
            pos = zs.end()
            continue
        z = data.find(b"z", pos)
        end = len(data) if z == -1 else z
        if z != -1 and (end - pos) % 5:
            raise ValueError("z inside Ascii85 5-tuple")
        for i in range(pos, end, _A85_PIECE):
            out += a85decode(data[i:min(i + _A85_PIECE, end)])
            if len(out) > room:
                raise _Over
        pos = end
    return bytes(out)


def _runlength(data: bytes, room: int) -> bytes:
    """RunLengthDecode (PDF 1.7, 7.4.5) into a bytearray; a truncated last run keeps what is there."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        length = data[i]
        if length == 128:  # end of data
            break
        if length < 128:
            out += data[i + 1:i + 2 + length]
            i += 2 + length
        else:
            out += data[i + 1:i + 2] * (257 - length)
            i += 2
        if len(out) > room:
            raise _Over
    return bytes(out)


class _BoundedCCITT(CCITTFaxDecoder):
    room = 0

    def output_line(self, y: int, bits: Any) -> None:
        super().output_line(y, bits)
        if len(self._buf) > self.room:
            raise _Over


def _ccittfax(data: bytes, params: dict[str, Any], room: int) -> bytes:
    """pdfminer's CCITT G4 decoder, stopped when its output passes the budget; its line buffers
    are ``Columns`` long, so that is bounded first."""
    if params.get("K") != -1:
        raise ValueError(params.get("K"))
    columns = int_value(params.get("Columns", 1728))
    if columns // 8 > room:
        raise _Over
    decoder = _BoundedCCITT(columns, bytealign=bool(params.get("EncodedByteAlign")),
                            reversed=bool(params.get("BlackIs1")))
    decoder.room = room
    decoder.feedbytes(data)
    return decoder.close()


def _predict(params: dict[str, Any], data: bytes, room: int) -> bytes:
    """pdfminer's predictors: their output is no larger than their input, but they hold it as a list
    of ints (8 bytes a byte) and a row of ``Columns`` ints: both are counted against the budget."""
    pred = int_value(params["Predictor"])
    if pred == 1:
        return data
    colors = int_value(params.get("Colors", 1))
    columns = int_value(params.get("Columns", 1))
    bits = int_value(params.get("BitsPerComponent", 8))
    if 8 * (len(data) + colors * columns) > room:
        raise _Over
    if pred == 2:
        return apply_tiff_predictor(colors, columns, bits, data)
    if pred >= 10:
        return apply_png_predictor(pred, colors, columns, bits, data)
    raise PDFNotImplementedError(f"Unsupported predictor: {pred!r}")


# --------------------------------------------------------------------------------------------
# The hook. pdfminer creates its streams deep inside ``pdfplumber.open`` and offers no way to
# pass a decoder in, so ``PDFStream.decode`` is wrapped once: with no budget active in this
# context (thread, task) it is pdfminer's own code.

_pdfminer_decode: Callable[[PDFStream], None] = PDFStream.decode


def _decode(self: PDFStream) -> None:
    budget = _ACTIVE.get()
    if budget is None:
        _pdfminer_decode(self)
    else:
        budget.decode(self)


if getattr(PDFStream.decode, "__module__", None) != __name__:
    PDFStream.decode = _decode  # type: ignore[method-assign]
