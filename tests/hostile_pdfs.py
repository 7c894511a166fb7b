"""Hand-made hostile PDFs, written byte by byte (no binary fixtures in the repository), and a way to
measure what reading one costs in a separate process.

Each builder returns a small PDF whose streams decode to ``size`` bytes through a given filter
chain: a page's content stream, an object stream holding the page's resources, or the
cross-reference stream itself. The payloads are compressed in chunks, so building a 1 GiB bomb
costs the test a few megabytes. ``python tests/hostile_pdfs.py DIR`` writes them all to DIR.
"""
from __future__ import annotations

import binascii
import os
import resource
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path

GiB = 1 << 30
_CHUNK = 1 << 20
TEXT = b"BT /F1 12 Tf 72 720 Td (UA 12/20 Fear of torture) Tj ET\n"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>")


# ----------------------------------------------------------------------------- encoders


def deflate_repeat(unit: bytes, size: int, prefix: bytes = b"") -> bytes:
    """zlib data that inflates to ``prefix`` followed by ``unit`` repeated up to ``size`` bytes."""
    comp = zlib.compressobj(9)
    out = [comp.compress(prefix)]
    block = unit * (_CHUNK // len(unit))
    left = size - len(prefix)
    while left > 0:
        piece = block[:left]
        out.append(comp.compress(piece))
        left -= len(piece)
    out.append(comp.flush())
    return b"".join(out)


def runlength_repeat(byte: bytes, size: int, prefix: bytes = b"") -> bytes:
    """RunLengthDecode data: ``prefix`` as literal runs, then runs of 128 copies of ``byte``."""
    out = bytearray()
    for i in range(0, len(prefix), 128):
        piece = prefix[i:i + 128]
        out += bytes([len(piece) - 1]) + piece
    out += (b"\x81" + byte) * ((size - len(prefix)) // 128)
    return bytes(out + b"\x80")


def ascii85_zeros(size: int) -> bytes:
    """ASCII85Decode data of ``size`` zero bytes: each 'z' stands for four."""
    return b"z" * (size // 4) + b"~>"


def lzw_encode(data: bytes) -> bytes:
    """LZWDecode data (codes of 9 to 12 bits, EarlyChange 1, a clear code when the table is full)."""
    return _lzw(data)[0]


def lzw_periodic(byte: bytes, run: int) -> tuple[bytes, bytes, int]:
    """LZW data for many runs of ``run`` copies of ``byte`` in one bit stream, each starting with a
    clear code (pdfminer reads on past end-of-data codes): (head, period, bytes per period). After
    the first run every run has the same bits, so eight of them fill whole bytes: ``head + period * k``
    decodes to ``(1 + 8 * (k + 1)) * run`` bytes."""
    _, l1 = _lzw(byte * run, 9)
    second, l2 = _lzw(byte * run, 17)
    assert l1 % 8 == l2 % 8
    return second[:l1 // 8], second[l1 // 8:l2 // 8], 8 * run


def _lzw(data: bytes, runs: int = 1) -> tuple[bytes, int]:
    """``data`` encoded ``runs`` times in one bit stream: (bytes, length in bits)."""
    out = bytearray()
    acc, nbits, width = 0, 0, 9

    def emit(code: int) -> None:
        nonlocal acc, nbits
        acc = (acc << width) | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append((acc >> nbits) & 0xFF)
        acc &= (1 << nbits) - 1

    for _ in range(runs):
        emit(256)  # at the width the decoder is reading, then both start afresh
        width, next_code = 9, 258
        table = {bytes([i]): i for i in range(256)}
        word = b""
        for byte in data:
            grown = word + bytes([byte])
            if grown in table:
                word = grown
                continue
            emit(table[word])
            table[grown] = next_code
            next_code += 1
            if next_code == 1 << width:  # the decoder's table is one entry behind: EarlyChange
                if width == 12:
                    emit(256)
                    table = {bytes([i]): i for i in range(256)}
                    width, next_code = 9, 258
                else:
                    width += 1
            word = bytes([byte])
        if word:
            emit(table[word])
        emit(257)
    total = len(out) * 8 + nbits
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    return bytes(out), total


# ----------------------------------------------------------------------------- files


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (entries, len(data)) + data + b"\nendstream"


def classic_pdf(objects: list[bytes]) -> bytes:
    """Objects 1..n (1 is the catalog) with a classic cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def content_bomb(filters: list[str], payload: bytes) -> bytes:
    """One page whose content stream is ``payload`` with the /Filter chain ``filters``."""
    names = b" ".join(b"/" + f.encode() for f in filters)
    return classic_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE,
        _stream(b"/Filter [%s]" % names, payload),
        FONT,
    ])


def hex_flate_bomb(size: int = GiB) -> bytes:
    """[/ASCIIHexDecode /FlateDecode]: the guard used to stop counting at the first filter."""
    deflated = deflate_repeat(b" ", size, prefix=TEXT)
    return content_bomb(["ASCIIHexDecode", "FlateDecode"], binascii.hexlify(deflated) + b">")


def flate_bomb(size: int = GiB) -> bytes:
    return content_bomb(["FlateDecode"], deflate_repeat(b" ", size, prefix=TEXT))


def runlength_bomb(size: int = GiB // 4) -> bytes:
    return content_bomb(["RunLengthDecode"], runlength_repeat(b" ", size, prefix=TEXT))


def ascii85_bomb(size: int = 192 << 20) -> bytes:
    return content_bomb(["ASCII85Decode"], ascii85_zeros(size))


def lzw_bomb(size: int = GiB) -> bytes:
    """[/FlateDecode /LZWDecode]: copies of one LZW run, deflated, so a small file decodes to ``size``."""
    head, period, run = lzw_periodic(b" ", 1 << 13)
    return content_bomb(["FlateDecode", "LZWDecode"],
                        deflate_repeat(period, len(head) + len(period) * (size // run), prefix=head))


def _xref_stream_pdf(plain: dict[int, bytes], packed: dict[int, int], objstm: int,
                     xref_filter: bytes = b"", xref_pad: int = 0) -> bytes:
    """A PDF 1.5 file: ``plain`` objects at offsets, ``packed`` objects (number -> index) inside
    object stream ``objstm``, and a cross-reference stream (W [1 4 2]) as the last object, its
    data optionally deflated and padded with ``xref_pad`` zero bytes (a bomb when large)."""
    out = bytearray(b"%PDF-1.5\n")
    offsets: dict[int, int] = {}
    for number in sorted(plain):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + plain[number] + b"\nendobj\n"
    xref_number = max([*plain, *packed]) + 1
    offsets[xref_number] = len(out)
    rows = bytearray(b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big"))
    for number in range(1, xref_number + 1):
        if number in packed:
            rows += b"\x02" + objstm.to_bytes(4, "big") + packed[number].to_bytes(2, "big")
        else:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
    if xref_filter:
        data = deflate_repeat(b"\x00", len(rows) + xref_pad, prefix=bytes(rows))
        entries = b"/Filter /FlateDecode "
    else:
        data, entries = bytes(rows), b""
    out += b"%d 0 obj\n" % xref_number + _stream(
        entries + b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % (xref_number + 1), data) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def objstm_bomb(size: int = GiB) -> bytes:
    """The page's font dictionary sits in an object stream that inflates to ``size`` bytes."""
    body = FONT + b" "
    header = b"5 0 "
    first = len(header)
    payload = deflate_repeat(b" ", size, prefix=header + body)
    return _xref_stream_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: PAGE,
        4: _stream(b"", TEXT),
        6: _stream(b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % first, payload),
    }, {5: 0}, objstm=6)


def xref_stream_bomb(size: int = GiB) -> bytes:
    """The cross-reference stream itself inflates to ``size`` bytes (decoded when the file opens)."""
    return _xref_stream_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: PAGE,
        4: _stream(b"", TEXT),
        5: FONT,
    }, {}, objstm=0, xref_filter=b"/FlateDecode", xref_pad=size)


def small_valid_pdf() -> bytes:
    """The same shapes with honest sizes: each must still read as 'UA 12/20 Fear of torture'."""
    return objstm_bomb(size=len(b"5 0 ") + len(FONT) + 1)


BOMBS: dict[str, Callable[[], bytes]] = {
    "flate (1 GiB)": flate_bomb,
    "asciihex+flate (1 GiB)": hex_flate_bomb,
    "runlength (256 MiB)": runlength_bomb,
    "ascii85 z (192 MiB)": ascii85_bomb,
    "flate+lzw (1 GiB)": lzw_bomb,
    "object stream (1 GiB)": objstm_bomb,
    "xref stream (1 GiB)": xref_stream_bomb,
}


# ----------------------------------------------------------------------------- measuring


def run_measured(args: list[str], *, stdin: bytes | int | None = None, timeout: float = 120.0,
                 memory_cap: int | None = None, env: dict[str, str] | None = None
                 ) -> tuple[int | None, str, float, int]:
    """Run ``args`` as a child: (exit status or None when killed at ``timeout``, output, seconds, peak
    RSS in bytes). The peak is that child's own (``os.wait4``), not the maximum over every child
    this process ever had. ``memory_cap`` sets RLIMIT_AS in the child, so a runaway stops there."""
    def limit() -> None:
        if memory_cap:
            resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    start = time.perf_counter()
    proc = subprocess.Popen(args, stdin=subprocess.PIPE if isinstance(stdin, bytes) else stdin,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=limit,  # noqa: PLW1509 - only setrlimit runs there, before exec
                            env={**os.environ, **(env or {})})
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        proc.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read() if proc.stdout else b""))
    reader.start()
    if isinstance(stdin, bytes) and proc.stdin:
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except BrokenPipeError:  # the child stopped reading: that is what a bounded reader does
            pass
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    if proc.stdin and not proc.stdin.closed:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    return (None if killed.is_set() else proc.returncode), b"".join(chunks).decode(errors="replace"), \
        seconds, usage.ru_maxrss * 1024


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    target.mkdir(parents=True, exist_ok=True)
    for name, build in BOMBS.items():
        path = target / (name.split(" (")[0].replace("+", "-").replace(" ", "-") + ".pdf")
        path.write_bytes(build())
        print(f"{path}  {path.stat().st_size:>10} bytes  {name}")
