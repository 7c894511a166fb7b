#!/usr/bin/env python3
"""Rewrite the samples' full golden records (samples/*.golden.json) from what the extractor gives now.

    .venv/bin/python tools/update_golden.py            # rewrite every expected file
    .venv/bin/python tools/update_golden.py --diff     # only print what would change

Every field of the record contract is written (mentions aside: they are the statistical model's,
not the rules'). The samples' *.expected.json stay in the gold annotation guide's format (the one
the review notebook writes and `ua-extract eval` scores); *.golden.json pins all the rest. Values a reviewer found wrong are listed in the file's "known_wrong" (path ->
what the extractor gives and why it is wrong); those keep their reviewed, correct value, and
tests/test_golden.py expects them to fail until the extractor is fixed. After an update, read
each changed value against the sample text before committing: the extractor is not the judge.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

SCALARS = ["language", "kind", "ua_series", "ua_number", "update_number", "ai_index", "issue_date",
           "appeal_deadline", "title", "country", "country_code"]
SUBJECT_FIELDS = ["name", "gender", "description"]
RECIPIENT_FIELDS = ["role", "name", "title", "organization", "address_lines", "country", "fax", "phone",
                    "email", "twitter", "salutation"]


def golden_view(record: dict[str, Any]) -> dict[str, Any]:
    """The part of a record (model_dump(mode="json")) that a golden file pins."""
    out: dict[str, Any] = {k: record.get(k) for k in SCALARS}
    out["subjects"] = [{k: s.get(k) for k in SUBJECT_FIELDS} for s in record.get("subjects") or []]
    out["recipients"] = [{k: r.get(k) for k in RECIPIENT_FIELDS} for r in record.get("recipients") or []]
    out["related_ua_numbers"] = list(record.get("related_ua_numbers") or [])
    out["dates"] = [{"text": d["text"], "date": d.get("date")} for d in record.get("dates") or []]
    return out


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def steps(path: str) -> list[str | int]:
    """'recipients[2].title' -> ['recipients', 2, 'title']."""
    return [int(i) if i else name for name, i in _STEP.findall(path)]


def get_path(obj: Any, path: str) -> Any:
    for step in steps(path):
        obj = obj[step]
    return obj


def set_path(obj: Any, path: str, value: Any) -> None:
    *head, last = steps(path)
    for step in head:
        obj = obj[step]
    obj[last] = value


def documents() -> list[Path]:
    """One document per stem: the text (a PDF shares its text's stem and expected record)."""
    stems: dict[str, Path] = {}
    for p in sorted(SAMPLES.iterdir()):
        if p.suffix in (".txt", ".pdf") and (p.stem not in stems or p.suffix == ".txt"):
            stems[p.stem] = p
    return [stems[s] for s in sorted(stems)]


def address_words(lines: list[str]) -> list[str]:
    """An address as its words in order: where a flattened address is cut into lines, or which
    comma ends a line, is layout, not content (the project's scorer compares addresses so too)."""
    return re.findall(r"\w+", " ".join(lines).casefold())


def updated(old: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    new = golden_view(record)
    for o, n in zip(old.get("recipients") or [], new["recipients"]):
        if address_words(o.get("address_lines") or []) == address_words(n["address_lines"]):
            n["address_lines"] = o.get("address_lines")  # keep the reviewer's line division
    order = [s.get("name") for s in old.get("subjects") or []]  # the list is a set: keep the file's order
    new["subjects"].sort(key=lambda s: order.index(s["name"]) if s["name"] in order else len(order))
    known_wrong = old.get("known_wrong") or {}
    for path in (p for p in known_wrong if ":" not in p):  # "pdf:PATH" shares the text's expected value
        set_path(new, path, get_path(old, path))  # the reviewed value stays until the extractor gives it
    out = {"id": old.get("id")}
    out.update(new)
    out["known_wrong"] = known_wrong
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--diff", action="store_true", help="print the changes, write nothing")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from extractor.api import extract
    from extractor.settings import Settings

    settings = Settings()
    changed = 0
    for doc in documents():
        target = SAMPLES / f"{doc.stem}.golden.json"
        old = json.loads(target.read_text("utf-8")) if target.exists() else {"id": doc.stem}
        new = updated(old, extract(str(doc), settings).model_dump(mode="json"))
        if new == old:
            continue
        changed += 1
        if args.diff:
            for key in new:
                if new.get(key) != old.get(key):
                    print(f"{target.name}: {key}: {json.dumps(old.get(key), ensure_ascii=False)}"
                          f" -> {json.dumps(new.get(key), ensure_ascii=False)}")
        else:
            target.write_text(json.dumps(new, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"{changed} expected file(s) {'would change' if args.diff else 'rewritten'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
