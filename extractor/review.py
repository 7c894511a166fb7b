"""A reviewer's verdicts on a record -> a gold file (``docs/gold-format.md``), so spot checks become
regression data for ``ua-extract eval --gold DIR``.

    >>> gold = verdicts_to_gold(record, {
    ...     "ua_number": {"ok": True},
    ...     "appeal_deadline": {"ok": False, "correction": "2003-08-29"},
    ...     "subjects": {"ok": False, "correction": ["Farooq Ahmed Baloch", "Nasreen Bibi"]},
    ... }, notes="deadline is on the last line")          # doctest: +SKIP
    >>> write_gold(gold, "gold/")                          # doctest: +SKIP
    PosixPath('gold/ua-212-03-asa330402003.json')

A verdict is ``{"ok": True}`` (the extracted value is right) or ``{"ok": False, "correction": value}``
(``None``/``[]`` when the document really has none). Every judged field is listed under ``graded``;
fields nobody judged keep the extractor's value but are not graded, so ``eval`` ignores them.
Verdict keys are the gold fields below, or ``recipients.<part>`` (name, title, organization, address,
fax, phone, email, salutation) to judge one part of every recipient, whose correction is one value per
recipient.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models import UrgentAction
from models.gold import Gold, problems
from models.gold import load_gold as read_gold

__all__ = ["GOLD_KEYS", "GRADABLE", "RECIPIENT_KEYS", "load_gold", "record_verdicts", "validate_gold", "verdicts_to_gold",
           "write_gold"]

#: Keys of a gold file, in the guide's order.
GOLD_KEYS = ("id", "language", "kind", "ua_series", "ua_number", "update_number", "ai_index", "issue_date",
             "appeal_deadline", "country", "subjects", "recipients", "related_ua_numbers", "graded", "notes")
#: Keys of one recipient in a gold file, in the guide's order.
RECIPIENT_KEYS = ("name", "title", "organization", "role", "address", "fax", "phone", "email", "salutation")
_RECIPIENT_PARTS = ("name", "title", "organization", "address", "fax", "phone", "email", "salutation")
#: Fields a reviewer can judge (and a gold file can list under "graded").
GRADABLE = GOLD_KEYS[1:-2] + tuple(f"recipients.{p}" for p in _RECIPIENT_PARTS)



def record_to_gold(record: UrgentAction) -> dict[str, Any]:
    """The record's values in gold layout (nothing graded yet)."""
    return {
        "id": Path(record.source.path).stem,
        "language": record.language,
        "kind": record.kind,
        "ua_series": record.ua_series,
        "ua_number": record.ua_number,
        "update_number": record.update_number,
        "ai_index": record.ai_index,
        "issue_date": record.issue_date.isoformat() if record.issue_date else None,
        "appeal_deadline": record.appeal_deadline.isoformat() if record.appeal_deadline else None,
        "country": record.country,
        "subjects": [s.name for s in record.subjects],
        "recipients": [{"name": r.name, "title": r.title, "organization": r.organization, "role": r.role, "address": list(r.address_lines), "fax": list(r.fax),
                        "phone": list(r.phone), "email": list(r.email), "salutation": r.salutation}
                       for r in record.recipients],
        "related_ua_numbers": list(record.related_ua_numbers),
        "graded": [],
        "notes": "",
    }


def verdicts_to_gold(record: UrgentAction, verdicts: Mapping[str, Mapping[str, Any]], *, notes: str = "",
                     doc_id: str | None = None) -> dict[str, Any]:
    """A gold dict from a record and a reviewer's verdicts (see the module docstring).
    ``doc_id`` overrides the id (default: the stem of ``record.source.path``).
    Raises ValueError for an unknown field, a malformed verdict or a correction of the wrong shape."""
    gold = record_to_gold(record)
    if doc_id is not None:
        gold["id"] = doc_id
    unknown = sorted(set(verdicts) - set(GRADABLE))
    if unknown:
        raise ValueError(f"cannot judge {', '.join(unknown)}: verdict keys are {', '.join(GRADABLE)}")
    # whole fields first, so "recipients.fax" corrects the (possibly corrected) recipient list
    # ValueError throughout (also for wrong types): callers catch one error for any bad verdict or gold file
    for field in sorted(verdicts, key=lambda f: "." in f):
        verdict = verdicts[field]
        if not isinstance(verdict, Mapping) or not isinstance(verdict.get("ok"), bool):
            shape = "{'ok': True} or {'ok': False, 'correction': value}"
            raise ValueError(f"{field}: a verdict is {shape}, not {verdict!r}")  # noqa: TRY004
        if verdict["ok"]:
            if "correction" in verdict:
                raise ValueError(f"{field}: 'ok': True with a correction; set 'ok': False to correct it")
        else:
            if "correction" not in verdict:
                raise ValueError(f"{field}: 'ok': False needs a 'correction' (None or [] when the document has none)")
            _apply(gold, field, verdict["correction"])
    gold["graded"] = [f for f in GRADABLE if f in verdicts]
    gold["notes"] = notes
    validate_gold(gold)
    return gold


def _apply(gold: dict[str, Any], field: str, value: Any) -> None:
    if field.startswith("recipients."):
        part = field.split(".", 1)[1]
        recipients = gold["recipients"]
        if not isinstance(value, list) or len(value) != len(recipients):
            raise ValueError(f"{field}: the correction is a list with one value per recipient ({len(recipients)}); "
                             "correct 'recipients' as a whole to add or remove recipients")
        for r, v in zip(recipients, value):
            r[part] = _recipient_part(part, v, field)
        return
    gold[field] = _normalise(field, value)


def _normalise(field: str, value: Any) -> Any:
    if field in ("issue_date", "appeal_deadline"):
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError(f"{field}: {value!r} is not an ISO date (YYYY-MM-DD)") from None
    if field == "subjects":
        return _str_list(field, value)
    if field == "related_ua_numbers":
        return _str_list(field, value)
    if field == "recipients":
        if not isinstance(value, list):
            raise ValueError("recipients: the correction is a list of recipients (dicts)")
        return [_recipient(r, i) for i, r in enumerate(value)]
    if field == "update_number":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"update_number: {value!r} is not an integer")
        return value
    return None if value is None else str(value)


def _str_list(field: str, value: Any) -> list[str]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{field}: the correction is a list of non-empty strings, not {value!r}")
    return [v.strip() for v in value]


def _recipient(value: Any, i: int) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"recipients[{i}]: a recipient is a dict with {', '.join(RECIPIENT_KEYS)}")  # noqa: TRY004
    extra = sorted(set(value) - set(RECIPIENT_KEYS) - {"address_lines"})
    if extra:
        raise ValueError(f"recipients[{i}]: unknown keys {', '.join(extra)} (keys: {', '.join(RECIPIENT_KEYS)})")
    out: dict[str, Any] = {}
    for key in RECIPIENT_KEYS:
        raw = value.get(key, value.get("address_lines") if key == "address" else None)
        out[key] = value.get("role", "addressee") if key == "role" else _recipient_part(key, raw, f"recipients[{i}]")
    if out["role"] not in ("addressee", "copy"):
        raise ValueError(f"recipients[{i}]: role is 'addressee' or 'copy', not {out['role']!r}")
    return out


def _recipient_part(part: str, value: Any, where: str) -> Any:
    if part in ("name", "title", "organization", "salutation"):
        return None if value in (None, "") else str(value)
    items = [] if value is None else [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise ValueError(f"{where}.{part}: a list of strings, not {value!r}")
    return list(items)


def record_verdicts(record: UrgentAction, marks: Mapping[str, Any], folder: str | os.PathLike[str], *,
                    notes: str = "") -> Path:
    """The notebook's shorthand for verdicts, written as a gold file: ``True`` when the extracted
    value is right, any other value is the correct value (``None`` or ``[]`` when the document has
    none; for ``recipients.<part>`` one value per recipient). Returns the path written
    (``<folder>/<stem>.json``: the .txt and .pdf of one document share one gold file).

        >>> record_verdicts(rec, {"ua_number": True, "appeal_deadline": "2003-08-29"}, "gold/")  # doctest: +SKIP
    """
    verdicts: dict[str, dict[str, Any]] = {}
    for field, mark in marks.items():
        if mark is True:
            verdicts[field] = {"ok": True}
        elif mark is False:
            raise ValueError(f"{field}: write the correct value instead of False (None or [] when the document "
                             "has none)")
        else:
            verdicts[field] = {"ok": False, "correction": mark}
    return write_gold(verdicts_to_gold(record, verdicts, notes=notes), folder)


def validate_gold(gold: Mapping[str, Any]) -> None:
    """Raise ValueError unless ``gold`` is a gold file of the guide (``models.gold.Gold``, the one definition)."""
    try:
        Gold.model_validate(dict(gold))
    except ValidationError as exc:
        msg = problems(exc)
        if any(e["loc"] == ("id",) for e in exc.errors()):
            msg += "; pass doc_id= for a record of text without a file"
        raise ValueError(msg) from None


def write_gold(gold: Mapping[str, Any], folder: str | os.PathLike[str]) -> Path:
    """Validate ``gold`` and write it as ``<folder>/<id>.json`` (folder created; an existing file for
    the same document is replaced atomically). Returns the path written."""
    validate_gold(gold)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{gold['id']}.json"
    ordered = {k: gold[k] for k in GOLD_KEYS}
    fd, tmp = tempfile.mkstemp(prefix=f".{gold['id']}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(ordered, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load_gold(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and validate one gold file (``models.gold.load_gold``), as the dict ``write_gold`` wrote."""
    return read_gold(path).as_dict()
