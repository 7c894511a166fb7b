"""Running many documents: input discovery, one record or one error line per input, a summary."""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from extractor.api import extract_document, extract_or_error
from extractor.errors import ExtractionError
from extractor.ingest import read_bytes
from extractor.settings import Settings
from models import ErrorEntry, UrgentAction

SUFFIXES = (".txt", ".pdf", ".text", ".md")


def discover(paths: Iterable[str]) -> list[str]:
    """Files as given, folders walked recursively for .txt and .pdf (sorted, so runs repeat)."""
    out: list[str] = []
    for p in paths:
        if p == "-" or not os.path.isdir(p):
            out.append(p)
            continue
        for root, dirs, files in os.walk(p):
            dirs.sort()
            for f in sorted(files):
                if f.lower().endswith(SUFFIXES) and not f.endswith(".expected.json"):
                    out.append(os.path.join(root, f))
    return out


def process(path: str, settings: Settings) -> UrgentAction | ErrorEntry:
    if path == "-":
        try:
            return extract_document(read_bytes(sys.stdin.buffer.read(), "-", settings.limits), settings)
        except ExtractionError as exc:
            return ErrorEntry(path="-", sha256=exc.sha256, error=exc.code, reason=exc.reason)
    return extract_or_error(path, settings)


@dataclass
class Summary:
    inputs: int = 0
    records: int = 0
    errors: int = 0
    fields_found: dict[str, int] = field(default_factory=dict)
    error_codes: dict[str, int] = field(default_factory=dict)

    def add(self, result: UrgentAction | ErrorEntry) -> None:
        self.inputs += 1
        if isinstance(result, ErrorEntry):
            self.errors += 1
            self.error_codes[result.error] = self.error_codes.get(result.error, 0) + 1
            return
        self.records += 1
        for name in ("ua_number", "ai_index", "issue_date", "appeal_deadline", "country", "subjects", "recipients"):
            if getattr(result, name):
                self.fields_found[name] = self.fields_found.get(name, 0) + 1


def errors_path(output: Path) -> Path:
    return output.with_name(output.stem + ".errors.jsonl")


def run(paths: list[str], settings: Settings, out: TextIO, errors: TextIO,
        on_result: Callable[[UrgentAction | ErrorEntry], None] | None = None) -> Summary:
    summary = Summary()
    for result in iter_results(paths, settings):
        line = result.model_dump_json() + "\n"
        (errors if isinstance(result, ErrorEntry) else out).write(line)
        summary.add(result)
        if on_result:
            on_result(result)
    return summary


def iter_results(paths: list[str], settings: Settings) -> Iterator[UrgentAction | ErrorEntry]:
    for path in paths:
        yield process(path, settings)


def to_json(result: UrgentAction | ErrorEntry) -> str:
    return json.dumps(result.model_dump(mode="json"), ensure_ascii=False)
