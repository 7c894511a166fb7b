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
from models import Evidence, UrgentAction

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


# --- issue 14: readable in 80 columns, paged on a terminal, a colour per field, a legend on pages ---

def _render(doc: Path, settings, width: int = 80, **kw) -> tuple[str, UrgentAction]:
    from extractor.api import extract
    from extractor.show import print_record
    from extractor.sources import document_text

    record = extract(str(doc), settings)
    console = Console(width=width, record=True, color_system=None)
    print_record(console, record, document_text(record), **kw)
    return console.export_text(), record


@pytest.mark.parametrize("name", ["ua-212-03-asa330402003.pdf", "ua-057-16-eur4636432016.txt",
                                  "au-077-12-afr440062012-fr.txt"])
def test_evidence_table_fits_80_columns_with_every_offset_whole(settings, name: str) -> None:
    out, record = _render(SAMPLES / name, settings)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    table = out[out.rindex("evidence ("):]
    tokens = set(table.split())
    for e in record.evidence:
        assert f"{e.start}-{e.end}" in tokens, e  # each offset pair on one line, uncut
        if e.bbox is not None:
            x0, top, x1, bottom = e.bbox
            assert f"{x0:g}-{x1:g}" in tokens and f"{top:g}-{bottom:g}" in tokens, e
        for word in e.text.split():  # the text wraps between words, never inside one that fits
            if len(word) <= 20 and e.field != "kind":
                assert word in table, (e.field, word)
    for field in {e.field for e in record.evidence}:  # a long path breaks before a '.', never inside a name
        assert field in tokens or all(part in tokens for part in field.replace(".", " .").split()), field


def test_kind_evidence_shows_the_label_line_not_just_the_number(settings) -> None:
    out, record = _render(SAMPLES / "ua-057-16-eur4636432016.txt", settings, width=120)
    [kind] = [e for e in record.evidence if e.field == "kind"]
    assert kind.text == "57/16"  # the span the assembler cites is the number ...
    row = next(line for line in out[out.rindex("evidence ("):].splitlines() if line.lstrip().startswith("kind"))
    assert "UA: 57/16 Index" in row  # ... the table shows the label line around it


def test_fields_option_prints_only_the_record_table(tmp_path: Path) -> None:
    r = run(str(SAMPLES / "ua-057-16-eur4636432016.txt"), "--fields")
    assert r.returncode == 0, r.stderr
    assert "Bastrykin" in r.stdout and "57/16" in r.stdout
    assert "source text" not in r.stdout and "evidence (" not in r.stdout


def _run_on_a_terminal(tmp_path: Path, *args: str) -> tuple[str, str | None]:
    """``ua-extract show`` with standard input and output on a pseudo-terminal, $PAGER a script
    that copies what it is given to a file: (what the terminal got, what the pager got or None)."""
    import pty

    paged = tmp_path / "paged.txt"
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ncat > '{paged}'\n", encoding="utf-8")
    pager.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR", "MANPAGER")}
    env.update(PAGER=str(pager), TERM="xterm-256color", COLUMNS="80", LINES="24")
    main, sub = pty.openpty()
    proc = subprocess.Popen([_script(), "show", *args], stdin=sub, stdout=sub, stderr=subprocess.PIPE, env=env)
    os.close(sub)
    chunks = []
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the terminal closed: the command is done
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(main)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    return b"".join(chunks).decode("utf-8", "replace"), paged.read_text("utf-8") if paged.exists() else None


def test_show_pages_long_output_on_a_terminal(tmp_path: Path) -> None:
    screen, paged = _run_on_a_terminal(tmp_path, str(SAMPLES / "ua-212-03-asa330402003.pdf"))
    assert paged is not None and "Shaukat Ali Mirza" in paged and "evidence (" in paged
    assert "evidence (" not in screen  # it went to the pager, not straight to the terminal


def test_no_pager_prints_straight_to_the_terminal(tmp_path: Path) -> None:
    screen, paged = _run_on_a_terminal(tmp_path, str(SAMPLES / "ua-212-03-asa330402003.pdf"), "--no-pager")
    assert paged is None and "evidence (" in screen


def test_piped_output_is_never_paged(tmp_path: Path) -> None:
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ntouch '{tmp_path / 'paged'}'\ncat\n", encoding="utf-8")
    pager.chmod(0o755)
    env = {**os.environ, "PAGER": str(pager)}
    r = subprocess.run([_script(), "show", str(SAMPLES / "ua-057-16-eur4636432016.txt")], capture_output=True,
                       text=True, env=env, timeout=300, check=False)
    assert r.returncode == 0 and "evidence (" in r.stdout and not (tmp_path / "paged").exists()


def test_page_images_carry_a_legend_in_the_box_colours(tmp_path: Path) -> None:
    from PIL import Image

    from models.display import box_rgb, field_group

    out_dir = tmp_path / "pages"
    r = run(str(SAMPLES / "ua-212-03-asa330402003.pdf"), "--page-images", str(out_dir), "--fields")
    assert r.returncode == 0, r.stderr
    data = json.loads(run(str(SAMPLES / "ua-212-03-asa330402003.pdf"), "--json").stdout)
    import pdfplumber

    with pdfplumber.open(SAMPLES / "ua-212-03-asa330402003.pdf") as pdf:
        page_height = round(float(pdf.pages[0].height) * 100 / 72)  # --page-images renders at 100 dpi
    for number in (1, 2):
        image = Image.open(out_dir / f"ua-212-03-asa330402003-p{number}.png").convert("RGB")
        assert image.height > page_height + 10  # the legend band below the page
        band = image.crop((0, page_height + 1, image.width, image.height))
        colours = {c for _, c in band.getcolors(maxcolors=1 << 16) or []}
        groups = {field_group(e["field"]) for e in data["evidence"] if e["page"] == number}
        assert groups and all(box_rgb(g) in colours for g in groups), groups
