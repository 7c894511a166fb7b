"""What one finished input leaves behind (a JSON line) and what the run counts."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from pydantic_core import PydanticSerializationError

from models import ErrorEntry, UrgentAction

#: Record fields the summary counts (how many records found each).
SUMMARY_FIELDS = ("ua_number", "ai_index", "issue_date", "appeal_deadline", "country", "subjects", "recipients")

# Characters JSON leaves raw that str.splitlines() and many JSON Lines readers take for line breaks.
_LINE_BREAKERS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
# A file name that is not valid UTF-8 reaches us with each bad byte as a lone surrogate U+DC80..U+DCFF
# (Python's surrogateescape); written as the JSON escape \udcNN it reads back to the very same str.
_SURROGATE = re.compile("[\ud800-\udfff]")

Kind = Literal["record", "error", "not_read"]
Reword = Callable[[str], str]


def json_line(result: UrgentAction | ErrorEntry, reword: Reword | None = None) -> str:
    """One JSON Lines line: a document's U+2028 or NEL stays inside its string, escaped; a path that
    is not valid UTF-8 is kept losslessly (``os.fsencode(json.loads(line)["path"])`` gives its bytes).
    ``reword`` rewrites an error's reason (the CLI names its flags where the library names settings)."""
    if reword is not None and isinstance(result, ErrorEntry):
        result = result.model_copy(update={"reason": reword(result.reason)})
    try:
        text = result.model_dump_json()
    except PydanticSerializationError:  # a lone surrogate in a path: JSON can carry it, UTF-8 cannot
        text = json.dumps(result.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
        text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.translate(_LINE_BREAKERS) + "\n"


@dataclass(frozen=True)
class Outcome:
    """One finished input as the writer needs it. A record travels as its complete JSON line (made
    where it was extracted, so workers send small strings, not Pydantic objects); an error line is
    made by the writer, which may reword it."""

    path: str
    kind: Kind
    line: str = ""  # a record's JSON line, "\n"-terminated
    entry: ErrorEntry | None = None  # for every kind but "record"
    fields: tuple[str, ...] = ()  # SUMMARY_FIELDS this record has
    copied: bool = False  # a duplicate's copy of its first path's line, not extracted again

    @classmethod
    def of(cls, result: UrgentAction | ErrorEntry) -> Outcome:
        if isinstance(result, UrgentAction):
            return cls(result.source.path, "record", json_line(result),
                       fields=tuple(f for f in SUMMARY_FIELDS if getattr(result, f)))
        return cls(result.path, "error", entry=result)

    @classmethod
    def not_read(cls, entry: ErrorEntry) -> Outcome:
        return cls(entry.path, "not_read", entry=entry)

    @property
    def to_errors_file(self) -> bool:
        return self.kind != "record"


@dataclass
class Summary:
    """``inputs == records + errors + duplicates + not_read + skipped`` at the end of a run."""

    inputs: int = 0
    records: int = 0  # extracted
    errors: int = 0  # extracted and failed
    duplicates: int = 0  # same content as another input: its line copied (a record or an error), not extracted
    duplicate_errors: int = 0  # of those, copies of an error (they failed too)
    not_read: int = 0  # found by a folder walk but not of SUFFIXES (or a link to a folder)
    skipped: int = 0  # already had a record in the output (resumed run)
    named_again: int = 0  # paths named more than once (overlapping arguments): counted once, not in inputs
    fields_found: dict[str, int] = field(default_factory=dict)
    error_codes: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: Outcome | None) -> None:
        """Count one input: a finished one, or None for one skipped as already done."""
        self.inputs += 1
        if outcome is None:
            self.skipped += 1
        elif outcome.copied:
            self.duplicates += 1
            self.duplicate_errors += outcome.kind == "error"
        elif outcome.kind == "record":
            self.records += 1
            for name in outcome.fields:
                self.fields_found[name] = self.fields_found.get(name, 0) + 1
        elif outcome.kind == "not_read":
            self.not_read += 1
        else:
            self.errors += 1
            code = outcome.entry.error if outcome.entry else "internal_error"
            self.error_codes[code] = self.error_codes.get(code, 0) + 1

    @property
    def failed(self) -> int:
        """Inputs without a record because they failed (duplicates of a failed input included)."""
        return self.errors + self.duplicate_errors
