"""Hostile and pathological input stays bounded (issue 13): decompression bombs through every filter
pdfminer applies, in object and cross-reference streams too; standard input; ``extract_text``.

Memory is asserted on a real child process's peak RSS (``os.wait4``), never on timings: an
unguarded read of any of these bombs peaks above 2 GB, a guarded one near 200 MB.
"""
from __future__ import annotations

import base64
import binascii
import json
import sys
import zlib
from pathlib import Path

import pytest
from hostile_pdfs import (
    FONT,
    PAGE,
    TEXT,
    GiB,
    ascii85_bomb,
    classic_pdf,
    content_bomb,
    deflate_repeat,
    flate_bomb,
    hex_flate_bomb,
    lzw_bomb,
    lzw_encode,
    objstm_bomb,
    run_measured,
    runlength_bomb,
    runlength_repeat,
    small_valid_pdf,
    xref_stream_bomb,
)
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT

from extractor.errors import TooLarge
from extractor.ingest import read_bytes
from extractor.ingest.decompression import StreamBudget
from extractor.settings import Limits

ROOT = Path(__file__).resolve().parents[1]
PEAK_RSS = 450 * 2**20  # guarded reads peak near 200 MB; unguarded ones at 2 GB and more
READ = """
import sys
from extractor.errors import ExtractionError
from extractor.ingest import read_path
try:
    read_path(sys.argv[1])
    print("read")
except ExtractionError as exc:
    print(exc.code, exc.reason)
"""

BOMBS = {
    "flate": lambda: flate_bomb(GiB // 2),
    "asciihex+flate": lambda: hex_flate_bomb(GiB // 2),
    "runlength": lambda: runlength_bomb(GiB // 4),
    "ascii85 z": lambda: ascii85_bomb(192 << 20),
    "flate+lzw": lambda: lzw_bomb(GiB // 2),
    "object stream": lambda: objstm_bomb(GiB // 2),
    "xref stream": lambda: xref_stream_bomb(GiB // 2),
}
KINDS = {"object stream": "PDF object stream", "xref stream": "PDF cross-reference stream"}


@pytest.mark.parametrize("name", BOMBS)
def test_decompression_bomb_is_refused_in_bounded_memory(name: str, tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(BOMBS[name]())
    rc, out, _, peak = run_measured([sys.executable, "-c", READ, str(path)], timeout=120,
                                    env={"PYTHONPATH": str(ROOT)})
    assert rc == 0, out
    code, _, reason = out.strip().partition(" ")
    assert code == "too_large", out
    assert reason.startswith(KINDS.get(name, "PDF stream"))
    assert "Limits.max_stream_bytes" in reason and "--max-stream-bytes" in reason
    assert peak < PEAK_RSS, f"{name}: peak RSS {peak / 2**20:.0f} MB"


# Honest, small streams through each filter: read exactly as pdfminer reads them.
SMALL = {
    "flate": (["FlateDecode"], zlib.compress(TEXT)),
    "asciihex+flate": (["ASCIIHexDecode", "FlateDecode"], binascii.hexlify(zlib.compress(TEXT)) + b">"),
    "ascii85": (["ASCII85Decode"], base64.a85encode(TEXT) + b"~>"),
    "ascii85+flate": (["ASCII85Decode", "FlateDecode"], base64.a85encode(zlib.compress(TEXT)) + b"~>"),
    "runlength": (["RunLengthDecode"], runlength_repeat(b" ", 4096, prefix=TEXT)),
    "lzw": (["LZWDecode"], lzw_encode(TEXT + b" " * 5000)),
    "flate+lzw": (["FlateDecode", "LZWDecode"], zlib.compress(lzw_encode(TEXT))),
    "truncated flate": (["FlateDecode"], zlib.compress(TEXT + b" " * 200)[:-6]),
    "bad checksum": (["FlateDecode"], zlib.compress(TEXT)[:-1] + b"\x00"),
}


@pytest.mark.parametrize("name", SMALL)
def test_small_streams_read_through_every_filter(name: str) -> None:
    filters, payload = SMALL[name]
    doc = read_bytes(content_bomb(filters, payload), f"{name}.pdf")
    assert doc.text == "UA 12/20 Fear of torture"


@pytest.mark.parametrize("name", SMALL)
def test_bounded_decoder_gives_what_pdfminer_gives(name: str) -> None:
    filters, payload = SMALL[name]
    attrs = {"Filter": [LIT(f) for f in filters]}
    theirs, ours = PDFStream(dict(attrs), payload), PDFStream(dict(attrs), payload)
    with StreamBudget(1 << 20).active():
        got = ours.get_data()
    assert got == theirs.get_data()  # outside a budget: pdfminer's own decoder


def test_object_and_xref_streams_of_honest_size_are_read() -> None:
    assert read_bytes(small_valid_pdf(), "objstm.pdf").text == "UA 12/20 Fear of torture"
    assert read_bytes(xref_stream_bomb(1000), "xref.pdf").text == "UA 12/20 Fear of torture"


def test_the_bound_is_a_setting_and_a_flag(tmp_path: Path) -> None:
    data = runlength_bomb(1 << 20)
    with pytest.raises(TooLarge, match="decodes past the limit of 524288 bytes"):
        read_bytes(data, "rl.pdf", Limits(max_stream_bytes=1 << 19))
    assert read_bytes(data, "rl.pdf", Limits(max_stream_bytes=2 << 20)).text == "UA 12/20 Fear of torture"

    from extractor.cli import main

    path = tmp_path / "rl.pdf"
    path.write_bytes(data)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(path), "-o", str(out), "-q", "--workers", "1", "--model", "blank",
                 "--max-stream-bytes", str(1 << 19)]) == 1
    error = json.loads((tmp_path / "out.errors.jsonl").read_text("utf-8"))
    assert error["error"] == "too_large" and "--max-stream-bytes" in error["reason"]
    assert main(["extract", str(path), "-o", str(out), "-q", "--workers", "1", "--model", "blank",
                 "--max-stream-bytes", str(2 << 20)]) == 0


def test_many_small_streams_share_one_budget() -> None:
    """Two content streams, each under the bound, together over it: refused."""
    def stream(prefix: bytes) -> bytes:
        payload = deflate_repeat(b" ", 150_000, prefix=prefix)
        return b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream"

    data = classic_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE.replace(b"/Contents 4 0 R", b"/Contents [4 0 R 6 0 R]"),
        stream(TEXT), FONT, stream(b""),
    ])
    assert read_bytes(data, "two.pdf", Limits(max_stream_bytes=400_000)).text == "UA 12/20 Fear of torture"
    with pytest.raises(TooLarge, match="decodes past the limit of 200000 bytes"):
        read_bytes(data, "two.pdf", Limits(max_stream_bytes=200_000))
