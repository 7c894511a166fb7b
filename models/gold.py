"""The gold file (``docs/gold-format.md``): one document's correct values, as a model.

One loader for everyone: ``ua-extract eval`` (``extractor.evaluate``), the reviewer's verdicts
(``extractor.review``) and the tests read gold files through :func:`load_gold` and
:func:`load_gold_folder`. The samples keep theirs beside the document as ``<id>.expected.json``;
held-out and corpus sets as ``gold/<id>.json``.

Validation messages say what is wrong in the guide's words ("is not canonical N/YY"), and a
:class:`pydantic.ValidationError` is a ``ValueError``, so callers catch one error for any bad file.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

__all__ = ["GOLD_FIELDS", "GRADABLE", "Gold", "GoldRecipient", "load_gold", "load_gold_folder", "problems"]

#: Keys of a gold file, in the guide's order; ``dates`` is the one optional key.
GOLD_FIELDS = ("id", "language", "kind", "ua_series", "ua_number", "update_number", "ai_index", "issue_date",
               "appeal_deadline", "country", "subjects", "recipients", "related_ua_numbers", "dates", "graded",
               "notes")
RECIPIENT_PARTS = ("name", "title", "organization", "address", "fax", "phone", "email", "salutation")
#: What a gold file can list under "graded".
GRADABLE = GOLD_FIELDS[1:-2] + tuple(f"recipients.{p}" for p in RECIPIENT_PARTS)
_OPTIONAL = {"dates"}

_UA = re.compile(r"^\d+/\d{2}$")
_INDEX = re.compile(r"^[A-Z]{3} \d{2}/\d{3,4}/\d{4}$")
_PHONE = re.compile(r"^\+\d{4,17}$")
_ID = re.compile(r"^[\w][\w.\-]*$")


def _iso(value: str | None, what: str) -> str | None:
    if value is not None:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{what} {value!r} is not an ISO date (YYYY-MM-DD)") from None
    return value


class _Strict(BaseModel):
    # strict: a gold file is data written by hand; "3" is not an update number, 1 is not a name
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class GoldRecipient(_Strict):
    name: str | None
    # optional keys (gold files older than them lack them; eval scores them only where present)
    title: str | None = None
    organization: str | None = None
    role: Literal["addressee", "copy"]
    address: list[str]
    fax: list[str]
    phone: list[str]
    email: list[str]
    salutation: str | None

    @field_validator("fax", "phone")
    @classmethod
    def _e164(cls, v: list[str]) -> list[str]:
        bad = [x for x in v if not _PHONE.match(x)]
        if bad:
            raise ValueError(f"not E.164 ('+' and digits): {', '.join(map(repr, bad))}")
        return v


class Gold(_Strict):
    """One gold file. Every key of the guide is required (null or [] for none) except ``dates``."""

    id: str = Field(description="the document file's stem")
    language: str | None
    kind: Literal["urgent_action", "further_information", "other"]
    ua_series: Literal["UA", "EXTRA"] | None
    ua_number: str | None
    update_number: int | None = Field(ge=1)
    ai_index: str | None
    issue_date: str | None
    appeal_deadline: str | None
    country: str | None
    subjects: list[str]
    recipients: list[GoldRecipient]
    related_ua_numbers: list[str]
    dates: list[str] | None = None
    graded: list[str]
    notes: str

    @model_validator(mode="before")
    @classmethod
    def _keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("a gold file holds one JSON object")  # noqa: TRY004 - pydantic wants ValueError
        missing = [k for k in GOLD_FIELDS if k not in data and k not in _OPTIONAL]
        extra = sorted(set(data) - set(GOLD_FIELDS))
        if missing or extra:
            said = ([f"missing keys: {', '.join(missing)}"] if missing else []) + \
                   ([f"unknown keys: {', '.join(extra)}"] if extra else [])
            raise ValueError("; ".join(said))
        return data

    @field_validator("id")
    @classmethod
    def _file_stem(cls, v: str) -> str:
        if not _ID.match(v) or v in (".", ".."):
            raise ValueError(f"id {v!r} is not a file stem (letters, digits, '_', '-', '.')")
        return v

    @field_validator("ua_number")
    @classmethod
    def _ua(cls, v: str | None) -> str | None:
        if v is not None and not _UA.match(v):
            raise ValueError(f"ua_number {v!r} is not canonical N/YY")
        return v

    @field_validator("related_ua_numbers")
    @classmethod
    def _related(cls, v: list[str]) -> list[str]:
        bad = [n for n in v if not _UA.match(n)]
        if bad:
            raise ValueError(f"related_ua_numbers not canonical N/YY: {', '.join(map(repr, bad))}")
        return v

    @field_validator("ai_index")
    @classmethod
    def _index(cls, v: str | None) -> str | None:
        if v is not None and not _INDEX.match(v):
            raise ValueError(f"ai_index {v!r} is not canonical 'REG CC/NNN/YYYY'")
        return v

    @field_validator("issue_date", "appeal_deadline")
    @classmethod
    def _date(cls, v: str | None, info: ValidationInfo) -> str | None:
        return _iso(v, str(info.field_name))

    @field_validator("dates")
    @classmethod
    def _dates(cls, v: list[str] | None) -> list[str] | None:
        for d in v or []:
            _iso(d, "dates item")
        return v

    @field_validator("graded")
    @classmethod
    def _graded(cls, v: list[str]) -> list[str]:
        bad = [g for g in v if g not in GRADABLE]
        if bad:
            raise ValueError(f"graded lists only fields of {', '.join(GRADABLE)}; not {', '.join(map(repr, bad))}")
        return v

    def as_dict(self) -> dict[str, Any]:
        """The file's JSON object (``dates`` left out when the file had none), as the scorer reads it."""
        # exclude_unset: a recipient's title/organization stay absent when the file has none (every
        # other key is required, so always set)
        return self.model_dump(mode="json", exclude={"dates"} if self.dates is None else None, exclude_unset=True)


def problems(exc: ValidationError) -> str:
    """A ValidationError as one line: ``ua_number: ua_number '57-16' is not canonical N/YY; ...``."""
    out = []
    for e in exc.errors(include_url=False):
        where = ".".join(str(p) for p in e["loc"])
        msg = str(e["msg"]).removeprefix("Value error, ")
        out.append(f"{where}: {msg}" if where else msg)
    return "; ".join(out)


def load_gold(path: str | os.PathLike[str]) -> Gold:
    """Read and validate one gold file; ValueError names the file and every problem."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{p}: not JSON ({exc})") from None
    try:
        return Gold.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{p}: {problems(exc)}") from None


def gold_id(path: Path) -> str:
    """``ua-1.json`` and ``ua-1.expected.json`` (a sample's, beside its document) are both gold for ``ua-1``."""
    return path.name.removesuffix(".json").removesuffix(".expected")


def load_gold_folder(folder: str | os.PathLike[str]) -> list[Gold]:
    """Every gold file in a folder (``<id>.json`` or ``<id>.expected.json``), sorted by file name.
    Other JSON files (without a ``graded`` key) are not gold and are passed over."""
    out = []
    for p in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ValueError(f"{p}: not JSON ({exc})") from None
        if isinstance(data, dict) and "graded" in data:
            gold = load_gold(p)
            if gold.id != gold_id(p):
                raise ValueError(f"{p}: id {gold.id!r} is not the file's stem {gold_id(p)!r}")
            out.append(gold)
    return out
