"""The Urgent Action record: the single source of truth for the output schema (see CONTRACT.md).

This package knows nothing of spaCy or PDFs; databases, notebooks and other systems depend only on it.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

# one direction only: models.html needs this module's classes for type annotations alone
from models.html import record_html

#: Bumped on any breaking change of the layout below.
SCHEMA_VERSION = "1.0"

Kind = Literal["urgent_action", "further_information", "other"]
Gender = Literal["male", "female"]
Role = Literal["addressee", "copy"]
#: Why an input has no record of its own (``ErrorEntry.error``). Stable: machines branch on these.
ErrorCode = Literal[
    "empty", "too_large", "undecodable", "unsupported_format",  # the bytes cannot be a document
    "corrupt_pdf", "encrypted_pdf", "no_text_layer",  # PDFs we cannot read text from
    "unreadable", "not_a_file",  # the file system: missing, no permission, a FIFO or device
    "timeout", "worker_crashed", "internal_error",  # the run: over the time limit, a dead worker, a bug
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ContainerPart(_Model):
    """Where a record's document sits in a container: a file holding several documents (a digest or
    concatenated archive of UAs, an mbox of UA mails). Each part is extracted as a document of its own,
    and ``Source.chars`` and every evidence offset of the record refer to the part's text (what
    ``extractor.read_part`` returns), not to the container's."""

    container: Literal["digest", "mbox"] = Field(description="'digest': text split on separator lines and UA "
                                                 "headers; 'mbox': one part per mail")
    number: int = Field(ge=1, description="1-based position of the part in the container")
    start: int = Field(ge=0, description="where the part starts in the container: a character offset into the "
                       "container's text for a digest, a byte offset into the file for an mbox (a mail's body "
                       "may be encoded, so its characters are not the file's)")
    end: int = Field(ge=0, description="where the part ends (exclusive), in the same unit as start")
    container_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the whole container file")
    mail_date: str | None = Field(default=None, description="an mbox part's Date header as written: when the "
                                  "mail was sent, never taken as the UA's issue date")
    mail_subject: str | None = Field(default=None, description="an mbox part's Subject header, decoded")


class Source(_Model):
    path: str = Field(description="the input path exactly as given ('-' for stdin)")
    resolved: str | None = Field(default=None, description="the real absolute path of the file when it was read "
                                 "(links resolved; null for stdin and text in memory): resume and the notebook "
                                 "find the file by it whatever the working directory")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the input bytes (of a container "
                        "part: of the part's own bytes in the container; the file's is part.container_sha256)")
    media_type: Literal["text/plain", "application/pdf", "text/html"]
    pages: int | None = Field(default=None, ge=0, description="PDF page count, else null")
    chars: int = Field(ge=0, description="length of the extracted text (of a container part: of the part's text)")
    part: ContainerPart | None = Field(default=None, description="set when the input is a container (a digest, "
                                       "an mbox): which part of it this record is; null for a one-document file")


class Subject(_Model):
    name: str = Field(min_length=1, description="as written; ALL-CAPS surnames title-cased")
    gender: Gender | None = None
    description: str | None = Field(default=None, description="role, age, as stated")


class Recipient(_Model):
    role: Role
    name: str | None = Field(default=None, description="person's name, or the office if no person is named")
    title: str | None = None
    organization: str | None = None
    address_lines: list[str] = Field(default_factory=list)
    country: str | None = None
    fax: list[str] = Field(default_factory=list, description="E.164: '+' and digits")
    phone: list[str] = Field(default_factory=list, description="E.164: '+' and digits")
    email: list[str] = Field(default_factory=list)
    twitter: list[str] = Field(default_factory=list)
    salutation: str | None = None


class DateMention(_Model):
    text: str = Field(description="as written")
    date: dt.date | None = Field(description="ISO date; year inferred from context when the text omits it")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    year_inferred: bool = False


class Mention(_Model):
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: str = Field(description="the model's entity label (PERSON, ORG, GPE, LOC, ...)")


class Mentions(_Model):
    persons: list[Mention] = Field(default_factory=list)
    organizations: list[Mention] = Field(default_factory=list)
    places: list[Mention] = Field(default_factory=list)


class Evidence(_Model):
    """Where one extracted value came from.

    ``field`` is a path into the record: ``ua_number``, ``subjects[2].name``, ``recipients[0].fax[1]``.
    ``start``/``end`` are character offsets into the document text (the text a reader or
    ``ua-extract show`` displays), ``text`` is that slice, ``rule`` names the pattern or model that
    produced it. ``page`` (1-based) and ``bbox`` (x0, top, x1, bottom in PDF points, origin top-left)
    are set for PDFs.
    """

    field: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    rule: str
    score: float = Field(ge=0.0, le=1.0)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


class UrgentAction(_Model):
    """One document in, one record out."""

    schema_version: str = SCHEMA_VERSION
    extractor_version: str | None = Field(
        default=None, description="the extractor that made this record: 'ua-extract/VERSION MODEL/VERSION' "
                                  "('blank' when no model ran, ' rules-only' when its NER was off); null in "
                                  "records made before this field existed")
    source: Source
    kind: Kind
    language: str = Field(description="ISO 639-1 code of the UA text ('und' when undetermined)")
    ua_series: Literal["UA", "EXTRA"] | None = None
    ua_number: str | None = Field(default=None, pattern=r"^\d+/\d{2}$", description="canonical N/YY")
    update_number: int | None = Field(default=None, ge=1)
    ai_index: str | None = Field(default=None, pattern=r"^[A-Z]{3} \d{2}/\d{3,4}/\d{4}$")
    issue_date: dt.date | None = None
    appeal_deadline: dt.date | None = None
    title: str | None = None
    country: str | None = None
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    subjects: list[Subject] = Field(default_factory=list)
    recipients: list[Recipient] = Field(default_factory=list)
    related_ua_numbers: list[str] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    mentions: Mentions = Field(default_factory=Mentions)
    evidence: list[Evidence] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def evidence_for(self, field: str) -> list[Evidence]:
        """Evidence of one field path, and of everything beneath it (``recipients[0]`` -> its parts).
        Raises ValueError for a path that names no field of the record (a typo would otherwise read
        as "no evidence"); the message lists the valid ones."""
        check_field_path(field)
        return [e for e in self.evidence if e.field == field or e.field.startswith((field + ".", field + "["))]

    def _repr_html_(self) -> str:
        return record_html(self)


#: Top-level fields an evidence path can start with, and the parts of their list items.
EVIDENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "kind": (), "language": (), "ua_series": (), "ua_number": (), "update_number": (), "ai_index": (),
    "issue_date": (), "appeal_deadline": (), "title": (), "country": (), "country_code": (),
    "subjects": tuple(Subject.model_fields), "recipients": tuple(Recipient.model_fields),
    "related_ua_numbers": (), "dates": tuple(DateMention.model_fields),
}
_PATH = re.compile(r"^(?P<top>[a-z_]+)(?:\[\d+\](?:\.(?P<part>[a-z_]+)(?:\[\d+\])?)?)?$")


def check_field_path(field: str) -> None:
    """Raise ValueError unless ``field`` is an evidence path: ``ua_number``, ``subjects[2]``,
    ``recipients[0].fax`` or ``recipients[0].fax[1]``."""
    m = _PATH.match(field)
    parts = EVIDENCE_FIELDS.get(m["top"]) if m else None
    if m is None or parts is None or (m["part"] is not None and m["part"] not in parts) or \
            ("[" in field and not parts and m["top"] != "related_ua_numbers"):
        listed = ", ".join(f"{k}[i]" if k == "related_ua_numbers" else f"{k}[i].<{'|'.join(v)}>" if v else k
                           for k, v in EVIDENCE_FIELDS.items())
        raise ValueError(f"{field!r} is not a field path of the record; valid: {listed}")


class ErrorEntry(_Model):
    """An input that yielded no record: records + errors = inputs."""

    path: str
    sha256: str | None = None
    error: ErrorCode = Field(description="stable error code, e.g. corrupt_pdf, encrypted_pdf, empty")
    reason: str = Field(description="human-readable reason and, where possible, how to fix it")
    part: ContainerPart | None = Field(default=None, description="the container part that failed (one line per "
                                       "part); left out of the line for a whole file")

    @model_serializer(mode="wrap")
    def _without_empty_part(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """An error line of a whole file keeps its four keys (path, sha256, error, reason)."""
        data: dict[str, object] = handler(self)
        if data.get("part") is None:
            data.pop("part", None)
        return data


#: JSON Schema dialect of both schemas (what pydantic emits)
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict[str, object]:
    """The record's JSON Schema (one line of ``ua-extract extract -o OUT``)."""
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": f"urn:ua-extract:schema:record:{SCHEMA_VERSION}",
            **UrgentAction.model_json_schema()}


def error_json_schema() -> dict[str, object]:
    """The error line's JSON Schema (one line of ``OUT.errors.jsonl``; no ``source`` key, an ``error`` key)."""
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": f"urn:ua-extract:schema:error-line:{SCHEMA_VERSION}",
            **ErrorEntry.model_json_schema()}
