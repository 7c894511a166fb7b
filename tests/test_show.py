"""`ua-extract show` through the installed console script: literal output, page images, JSON, errors."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES
from rich.console import Console

from extractor.show import highlighted, literal, show
from models import Evidence

HOSTILE = ("PUBLIC AI Index: ASA 33/040/2003\n\n"
           "UA 212/03 Fear of torture [bold red]boom[/] \x1b[2J 18 July 2003\n\n"
           "PAKISTAN Farooq Baloch (m), aged 34, journalist\n\n"
           "Clear the screen \x1b[2J, ring \x07, rewrite\r the line, [link=https://evil.example]click[/link],\n"
           "a bidi override \u202eevil\u202c, a C1 CSI \x9b2J and :smiley: emoji codes.\n")


def _script() -> str:
    beside = Path(sys.executable).with_name("ua-extract")
    found = str(beside) if beside.exists() else shutil.which("ua-extract")
    if not found:
        pytest.fail("the ua-extract console script is not installed (pip install -e .)")
    return found


def run(*args: str, colour: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "TERM")}
    env["COLUMNS"] = "120"
    if colour:
        env["FORCE_COLOR"] = "1"  # rich writes ANSI styles as on a terminal
        env["TERM"] = "xterm-256color"
    return subprocess.run([_script(), "show", *args], check=False, capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=300)


@pytest.fixture()
def hostile_file(tmp_path: Path) -> Path:
    p = tmp_path / "hostile.txt"
    p.write_text(HOSTILE, encoding="utf-8")
    return p


def test_show_sample(tmp_path: Path) -> None:
    r = run(str(SAMPLES / "ua-057-16-eur4636432016.txt"))
    assert r.returncode == 0, r.stderr
    for value in ("57/16", "EUR 46/3643/2016", "Russia", "Bastrykin", "recipients[0].fax", "source text"):
        assert value in r.stdout
    assert "\x1b" not in r.stdout  # not a terminal: plain text


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "forced-colour"])
def test_show_prints_document_text_literally(hostile_file: Path, colour: bool) -> None:
    r = run(str(hostile_file), colour=colour)
    assert r.returncode == 0, r.stderr
    out = r.stdout + r.stderr
    assert "[bold red]boom[/]" in r.stdout
    assert r.stdout.count("[bold red]boom[/] \u241b[2J") >= 2  # in the source text and in the extracted title
    assert "[link=https://evil.example]click[/link]" in r.stdout
    assert ":smiley:" in r.stdout
    assert "\x1b[2J" not in out and "\x9b" not in out and "\x07" not in out and "\r" not in out
    assert "\u202e" not in out
    assert "\u241b[2J" in r.stdout  # ESC shown as a visible stand-in, the rest kept
    if colour:
        assert "\x1b[" in r.stdout  # the styles themselves are still there
    else:
        assert "\x1b" not in r.stdout


def test_show_json(tmp_path: Path) -> None:
    r = run(str(SAMPLES / "ua-212-03-asa330402003.txt"), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["ua_number"] == "212/03" and data["evidence"]


def test_show_hostile_json_is_plain_json(hostile_file: Path) -> None:
    r = run(str(hostile_file), "--json")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\\u001b[2J" in r.stdout
    assert json.loads(r.stdout)["title"].endswith("[bold red]boom[/] \x1b[2J")  # JSON escapes it


def test_show_page_images(tmp_path: Path) -> None:
    out_dir = tmp_path / "pages"
    r = run(str(SAMPLES / "ua-212-03-asa330402003.pdf"), "--page-images", str(out_dir))
    assert r.returncode == 0, r.stderr
    pngs = sorted(out_dir.glob("*.png"))
    assert [p.name for p in pngs] == ["ua-212-03-asa330402003-p1.png", "ua-212-03-asa330402003-p2.png"]
    for p in pngs:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert str(p) in r.stdout


def test_show_page_images_on_text_explains(tmp_path: Path) -> None:
    r = run(str(SAMPLES / "ua-212-03-asa330402003.txt"), "--page-images", str(tmp_path / "pages"))
    assert r.returncode == 0
    assert "not a PDF" in r.stdout and not (tmp_path / "pages").exists()


def test_show_empty_file_fails_clearly(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = run(str(empty))
    assert r.returncode == 1
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "error" in lines[0] and "empty" in lines[0] and "empty.txt" in lines[0]


def test_show_missing_file_fails_clearly(tmp_path: Path) -> None:
    r = run(str(tmp_path / "nope.txt"))
    assert r.returncode == 1
    assert "cannot read file" in r.stderr and "Traceback" not in r.stderr


def test_literal_keeps_offsets_and_makes_controls_visible() -> None:
    s = "a\x1b[2Jb\x00c\x7fd\x9be\u202ef\tg\nh\ri"
    out = literal(s)
    assert len(out) == len(s)
    assert out == "a\u241b[2Jb\u2400c\u2421d\ufffde\ufffdf\tg\nh\u240di"


def test_highlight_styles_sit_at_the_evidence_offsets() -> None:
    text = "x \x1b y 57/16 z"
    ev = Evidence(field="ua_number", start=6, end=11, text="57/16", rule="r", score=1.0)
    t = highlighted(text, [ev])
    assert t.plain[6:11] == "57/16" and [(s.start, s.end) for s in t.spans] == [(6, 11)]


def test_show_in_process_to_a_recording_console(settings, hostile_file: Path) -> None:
    console = Console(record=True, width=120, force_terminal=True, color_system="truecolor")
    assert show(str(hostile_file), settings, console) == 0
    text = console.export_text()
    assert "[bold red]boom[/]" in text and "\x1b[2J" not in text
