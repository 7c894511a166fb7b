"""Reading the JSON Lines that ``ua-extract extract`` writes: the one place that tells a record line
from an error line.

``OUT`` holds records, ``OUT.errors.jsonl`` (:func:`errors_path`) error entries; either reader accepts
both kinds anywhere. A line is an **error line** when it is a JSON object with an ``error`` key and no
``source`` key, a **record line** otherwise; blank lines are passed over. A line that is neither
(invalid JSON, not UTF-8, a record that does not validate) raises :class:`JsonlError` naming the file
and line.

    >>> for n, item in read_jsonl("out.jsonl"):               # doctest: +SKIP
    ...     if isinstance(item, UrgentAction): ...
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, overload

from pydantic import ValidationError

from models.record import ErrorEntry, UrgentAction

__all__ = ["JsonlError", "Line", "errors_path", "is_error_line", "parse_line", "read_jsonl", "read_results"]

Line = UrgentAction | ErrorEntry


class JsonlError(ValueError):
    """A line that is neither a record nor an error entry; the message reads ``FILE:LINE: why``."""

    def __init__(self, message: str, *, path: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def errors_path(output: str | os.PathLike[str]) -> Path:
    """``out.jsonl`` -> ``out.errors.jsonl``: where ``extract -o out.jsonl`` puts its error lines."""
    p = Path(output)
    return p.with_name(p.stem + ".errors.jsonl")


def is_error_line(obj: Any) -> bool:
    return isinstance(obj, dict) and "error" in obj and "source" not in obj


def parse_line(line: str | bytes) -> Line | None:
    """One line -> a record, an error entry, or None (blank). Raises ValueError (pydantic's
    ValidationError is one) for anything else."""
    text = line.decode("utf-8") if isinstance(line, bytes) else line
    if not text.strip():
        return None
    obj = json.loads(text)
    if is_error_line(obj):
        return ErrorEntry.model_validate(obj)
    # validated from the JSON text, not the parsed dict: JSON-mode rules (dates as ISO strings) apply
    return UrgentAction.model_validate_json(text)


@overload
def read_jsonl(path: str | os.PathLike[str]) -> Iterator[tuple[int, Line]]: ...
@overload
def read_jsonl(path: str | os.PathLike[str], *, blanks: Literal[True]) -> Iterator[tuple[int, Line | None]]: ...


def read_jsonl(path: str | os.PathLike[str], *, blanks: bool = False) -> Iterator[tuple[int, Any]]:
    """(line number, record or error entry) for every non-blank line of ``path``, streamed; with
    ``blanks``, also (line number, None) for each blank line (a loader counts them)."""
    name = str(path)
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                item = parse_line(raw)
            except UnicodeDecodeError:
                raise JsonlError(f"{name}:{n}: not UTF-8 text (expected JSON Lines)", path=name, line=n) from None
            except ValidationError as exc:
                kind = "error entry" if exc.title == "ErrorEntry" else "UrgentAction record"
                raise JsonlError(f"{name}:{n}: not a valid {kind}: {_summary(exc)}", path=name, line=n) from None
            except ValueError as exc:  # json.JSONDecodeError
                raise JsonlError(f"{name}:{n}: not JSON ({exc})", path=name, line=n) from None
            if item is not None or blanks:
                yield n, item


def read_results(output: str | os.PathLike[str]) -> list[Line]:
    """Every record of ``output`` and every error entry of it and of its ``.errors.jsonl`` (when present)."""
    out = [item for _, item in read_jsonl(output)]
    errs = errors_path(output)
    if errs.exists():
        out.extend(item for _, item in read_jsonl(errs))
    return out


def _summary(exc: ValidationError) -> str:
    errs = exc.errors(include_url=False)
    first = errs[0]
    where = ".".join(str(p) for p in first["loc"]) or "(line)"
    more = f" (and {len(errs) - 1} more errors)" if len(errs) > 1 else ""
    return f"{where}: {first['msg']}{more}"
