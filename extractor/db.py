"""Load records into a relational database: SQLite by default, PostgreSQL (or any SQLAlchemy URL) for real.

SQLAlchemy Core only, parameterised statements only; every table and column name is fixed below and
never derived from document content. Tables are created when missing. Loading is idempotent: a
document is keyed by the SHA-256 of its input bytes, and a record whose JSON hashes the same as the
stored one (``documents.record_sha256``) is left alone without a single write. A different record of
the same document replaces the stored rows: document upsert, child delete, child insert, all inside
the one transaction of the load. The whole load is one transaction: a bad input line or a database
error leaves the database exactly as it was. See docs/database.md.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, make_url

from models import UrgentAction

DEFAULT_URL = "sqlite:///uas.db"
CONTACT_KINDS = ("fax", "phone", "email", "twitter")
_CHUNK = 500  # records whose stored hashes are looked up in one SELECT

metadata = MetaData()


def _fk() -> Column[str]:
    return Column("document_sha256", String(64), ForeignKey("documents.sha256", ondelete="CASCADE"),
                  nullable=False, index=True)


documents = Table(
    "documents", metadata,
    Column("sha256", String(64), primary_key=True, comment="SHA-256 of the input bytes"),
    Column("record_sha256", String(64), nullable=False, comment="SHA-256 of the record JSON; equal = unchanged"),
    Column("path", Text, nullable=False),
    Column("media_type", String(32), nullable=False),
    Column("pages", Integer),
    Column("chars", Integer, nullable=False),
    Column("schema_version", String(16), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("language", String(16), nullable=False),
    Column("ua_series", String(8)),
    Column("ua_number", String(16)),
    Column("update_number", Integer),
    Column("ai_index", String(32)),
    Column("issue_date", Date),
    Column("appeal_deadline", Date),
    Column("title", Text),
    Column("country", Text),
    Column("country_code", String(2)),
    Column("warnings", JSON, nullable=False),
    Column("loaded_at", DateTime(timezone=True), nullable=False),
    Index("ix_documents_ua_number", "ua_number"),
    Index("ix_documents_country_code", "country_code"),
    Index("ix_documents_appeal_deadline", "appeal_deadline"),
)

subjects = Table(
    "subjects", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _fk(),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("gender", String(8)),
    Column("description", Text),
)

recipients = Table(
    "recipients", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _fk(),
    Column("position", Integer, nullable=False),
    Column("role", String(16), nullable=False),
    Column("name", Text),
    Column("title", Text),
    Column("organization", Text),
    Column("address", Text, comment="address lines joined by newline"),
    Column("country", Text),
    Column("salutation", Text),
)

recipient_contacts = Table(
    "recipient_contacts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recipient_id", Integer, ForeignKey("recipients.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("position", Integer, nullable=False, comment="order within the recipient's values of this kind"),
    Column("value", Text, nullable=False),
    CheckConstraint("kind IN ('fax', 'phone', 'email', 'twitter')", name="ck_recipient_contacts_kind"),
)

related_ua_numbers = Table(
    "related_ua_numbers", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _fk(),
    Column("position", Integer, nullable=False),
    Column("ua_number", String(16), nullable=False, index=True),
)

dates = Table(
    "dates", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _fk(),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("date", Date),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("year_inferred", Boolean, nullable=False, comment="true when the year was inferred from context"),
)

evidence = Table(
    "evidence", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _fk(),
    Column("position", Integer, nullable=False),
    Column("field", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("rule", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("page", Integer),
    Column("bbox_x0", Float),
    Column("bbox_top", Float),
    Column("bbox_x1", Float),
    Column("bbox_bottom", Float),
)

#: Tables whose rows belong to one document, deleted and reinserted when the document is replaced.
CHILD_TABLES = (subjects, recipients, related_ua_numbers, dates, evidence)


@dataclass
class LoadStats:
    inserted: int = 0   # documents not in the database before
    replaced: int = 0   # documents whose stored record differed; their rows were replaced
    unchanged: int = 0  # documents stored with an identical record; nothing written
    skipped: int = 0    # error entries / blank lines in a JSONL input

    @property
    def records(self) -> int:
        return self.inserted + self.replaced + self.unchanged

    def __str__(self) -> str:
        s = f"{self.records} records: {self.inserted} inserted, {self.replaced} replaced, {self.unchanged} unchanged"
        return s + (f"; {self.skipped} lines skipped (error entries, blank)" if self.skipped else "")


class LoadError(ValueError):
    """A JSONL input line that is not a record (the message names the file and line)."""


def record_hash(record: UrgentAction) -> str:
    return hashlib.sha256(record.model_dump_json().encode("utf-8")).hexdigest()


def connect(url: str | Engine = DEFAULT_URL) -> Engine:
    """An engine for the URL, with SQLite foreign keys (and so ON DELETE CASCADE) switched on."""
    if isinstance(url, Engine):
        return url
    u = make_url(url)
    if u.drivername == "postgresql":  # SQLAlchemy 2.0 would pick psycopg2; psycopg 3 is the one we support
        u = u.set(drivername="postgresql+psycopg")
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:" \
            and not u.database.startswith("file:"):
        Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(u)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _fks(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
    return engine


def create_tables(engine: Engine) -> None:
    metadata.create_all(engine, checkfirst=True)


def load_records(records: Iterable[UrgentAction], url: str | Engine = DEFAULT_URL) -> LoadStats:
    """Load records (idempotently) into the database at ``url``; one transaction for the whole load."""
    engine = connect(url)
    try:
        create_tables(engine)
        stats = LoadStats()
        with engine.begin() as conn:
            for chunk in _chunks(records, _CHUNK):
                _load_chunk(conn, chunk, stats)
        return stats
    finally:
        if not isinstance(url, Engine):
            engine.dispose()


def load_jsonl(path: str | Path, url: str | Engine = DEFAULT_URL) -> LoadStats:
    """Load a JSON Lines file of records (``ua-extract extract -o``); error entries and blank lines are skipped.

    A line that is neither a record nor an error entry raises :class:`LoadError` naming the line, and
    nothing is loaded.
    """
    skipped = 0

    def lines() -> Iterator[UrgentAction]:
        nonlocal skipped
        with open(path, "rb") as f:
            for n, raw in enumerate(f, 1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise LoadError(f"{path}:{n}: not UTF-8 text (expected JSON Lines)") from None
                if not line.strip() or _is_error_entry(line):
                    skipped += 1
                    continue
                try:
                    yield UrgentAction.model_validate_json(line)
                except ValidationError as exc:
                    raise LoadError(f"{path}:{n}: not a valid UrgentAction record: {_summary(exc)}") from None

    stats = load_records(lines(), url)
    stats.skipped = skipped
    return stats


def _is_error_entry(line: str) -> bool:
    if '"error"' not in line:  # cheap test first: records are parsed again by pydantic
        return False
    try:
        obj = json.loads(line)
    except ValueError:
        return False
    return isinstance(obj, dict) and "error" in obj and "source" not in obj


def _summary(exc: ValidationError) -> str:
    errs = exc.errors(include_url=False)
    first = errs[0]
    where = ".".join(str(p) for p in first["loc"]) or "(line)"
    more = f" (and {len(errs) - 1} more errors)" if len(errs) > 1 else ""
    return f"{where}: {first['msg']}{more}"


def _chunks(items: Iterable[UrgentAction], size: int) -> Iterator[list[UrgentAction]]:
    chunk: list[UrgentAction] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _load_chunk(conn: Connection, chunk: list[UrgentAction], stats: LoadStats) -> None:
    shas = {r.source.sha256 for r in chunk}
    stored = dict(conn.execute(select(documents.c.sha256, documents.c.record_sha256)
                               .where(documents.c.sha256.in_(shas))).all())
    for record in chunk:
        sha, rhash = record.source.sha256, record_hash(record)
        if stored.get(sha) == rhash:
            stats.unchanged += 1
        elif _write(conn, record, rhash):
            stats.inserted += 1
        else:
            stats.replaced += 1
        stored[sha] = rhash  # the same document twice in one load: the later record wins


def _write(conn: Connection, r: UrgentAction, rhash: str) -> bool:
    """Store one record in the caller's transaction; True when its document was new.

    The document row is written first: a new one is inserted (nothing else can hold children for it),
    a stored one is updated (in PostgreSQL that locks the row, so a concurrent loader of the same
    document waits) and its children deleted; then the children are inserted.
    """
    sha = r.source.sha256
    row = _document_row(r, rhash)
    if _insert_new(conn, row):
        _insert_children(conn, r)
        return True
    conn.execute(update(documents).where(documents.c.sha256 == sha).values(row))
    mine = select(recipients.c.id).where(recipients.c.document_sha256 == sha)
    conn.execute(delete(recipient_contacts).where(recipient_contacts.c.recipient_id.in_(mine)))
    for t in CHILD_TABLES:
        conn.execute(delete(t).where(t.c.document_sha256 == sha))
    _insert_children(conn, r)
    return False


def _insert_new(conn: Connection, row: dict[str, Any]) -> bool:
    """INSERT the document row unless its sha256 is stored (then False), without aborting the transaction."""
    name = conn.dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        pg = pg_insert(documents).values(row).on_conflict_do_nothing(index_elements=[documents.c.sha256])
        return conn.execute(pg.returning(documents.c.sha256)).first() is not None
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        lite = sqlite_insert(documents).values(row).on_conflict_do_nothing(index_elements=[documents.c.sha256])
        return conn.execute(lite.returning(documents.c.sha256)).first() is not None
    if conn.execute(select(documents.c.sha256).where(documents.c.sha256 == row["sha256"])).first():
        return False
    conn.execute(insert(documents).values(row))
    return True


def _clean(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL; replace it (everywhere, so both backends store the same)."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


def _document_row(r: UrgentAction, rhash: str) -> dict[str, Any]:
    s = r.source
    row = {
        "sha256": s.sha256, "record_sha256": rhash, "path": s.path, "media_type": s.media_type,
        "pages": s.pages, "chars": s.chars, "schema_version": r.schema_version, "kind": r.kind,
        "language": r.language, "ua_series": r.ua_series, "ua_number": r.ua_number,
        "update_number": r.update_number, "ai_index": r.ai_index, "issue_date": r.issue_date,
        "appeal_deadline": r.appeal_deadline, "title": r.title, "country": r.country,
        "country_code": r.country_code, "warnings": [_clean(w) for w in r.warnings],
        "loaded_at": dt.datetime.now(dt.UTC),
    }
    return {k: _clean(v) for k, v in row.items()}


def _rows(sha: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"document_sha256": sha, "position": i, **{k: _clean(v) for k, v in item.items()}}
            for i, item in enumerate(items)]


def _insert_children(conn: Connection, r: UrgentAction) -> None:
    sha = r.source.sha256
    batches: list[tuple[Table, list[dict[str, Any]]]] = [
        (subjects, [{"name": s.name, "gender": s.gender, "description": s.description} for s in r.subjects]),
        (related_ua_numbers, [{"ua_number": n} for n in r.related_ua_numbers]),
        (dates, [{"text": d.text, "date": d.date, "start": d.start, "end": d.end,
                  "year_inferred": d.year_inferred} for d in r.dates]),
        (evidence, [{"field": e.field, "start": e.start, "end": e.end, "text": e.text, "rule": e.rule,
                     "score": e.score, "page": e.page,
                     **dict(zip(("bbox_x0", "bbox_top", "bbox_x1", "bbox_bottom"), e.bbox or (None,) * 4))}
                    for e in r.evidence]),
    ]
    for table, items in batches:
        if items:
            conn.execute(insert(table), _rows(sha, items))
    for i, rec in enumerate(r.recipients):
        row = _rows(sha, [{"role": rec.role, "name": rec.name, "title": rec.title,
                           "organization": rec.organization,
                           "address": "\n".join(rec.address_lines) if rec.address_lines else None,
                           "country": rec.country, "salutation": rec.salutation}])[0]
        row["position"] = i
        pk = conn.execute(insert(recipients).values(row)).inserted_primary_key
        assert pk is not None
        rid = pk[0]
        contacts = [{"recipient_id": rid, "kind": kind, "position": j, "value": _clean(v)}
                    for kind in CONTACT_KINDS for j, v in enumerate(getattr(rec, kind))]
        if contacts:
            conn.execute(insert(recipient_contacts), contacts)
