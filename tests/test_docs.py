"""Docs are tested: every CLI command has help with examples, and the README's SQL is the tested SQL."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def _commands() -> list[str]:
    from extractor.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_with_an_example_and_is_in_the_readme(command):
    out = subprocess.run([sys.executable, "-m", "extractor.cli", command, "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert "example" in out.lower() and f"ua-extract {command}" in out
    assert f"ua-extract {command}" in README, f"README does not mention `ua-extract {command}`"


def test_readme_sql_is_the_sql_the_database_tests_run():
    docs = (ROOT / "docs" / "database.md").read_text("utf-8")
    tested = re.findall(r"```sql\n(.*?)```", docs, re.DOTALL)
    assert len(tested) >= 2
    for block in tested:
        assert block in README


def test_readme_quick_start_commands_exist():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "make run" in README and "make test" in README
    assert re.search(r"^run:", makefile, re.MULTILINE) and re.search(r"^test:", makefile, re.MULTILINE)
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_the_gold_format_is_documented_and_linked():
    guide = ROOT / "docs" / "gold-format.md"
    assert guide.is_file()
    text = guide.read_text("utf-8")
    from models.gold import GOLD_FIELDS, RECIPIENT_PARTS

    for key in (*GOLD_FIELDS, *RECIPIENT_PARTS):
        assert f"`{key}`" in text, key
    out = subprocess.run([sys.executable, "-m", "extractor.cli", "eval", "--help"], capture_output=True,
                         text=True, check=True).stdout
    assert "docs/gold-format.md" in out and "docs/gold-format.md" in README
    assert "GOLD-GUIDE" not in README and "GOLD-GUIDE" not in out


def test_the_gold_example_is_a_valid_gold_file(tmp_path):
    import json

    from models.gold import load_gold

    text = (ROOT / "docs" / "gold-format.md").read_text("utf-8")
    example = re.search(r"```json\n(.*?)```", text, re.DOTALL)
    assert example
    (tmp_path / "ua-212-03-asa330402003.json").write_text(example.group(1), encoding="utf-8")
    gold = load_gold(tmp_path / "ua-212-03-asa330402003.json")
    assert json.loads(example.group(1))["graded"] == list(gold.graded)
