"""The database's tables (SQLAlchemy Core: every table and column name fixed here, never derived
from document content), connecting by URL and creating what is missing."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.types import TypeEngine

DEFAULT_URL = "sqlite:///uas.db"


CONTACT_KINDS = ("fax", "phone", "email", "twitter")


# any lock key will do, as long as every ua-extract loader uses the same one ("ua-x" in ASCII)
PG_LOAD_LOCK = 0x75612D78


_SQLITE_TIMEOUT = 60.0  # seconds a loader waits for another one's write lock (URL ?timeout=N overrides)


metadata = MetaData()


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend. PostgreSQL has ``timestamp with time zone``;
    SQLite has no such type, so the text it stores ends in ``+00:00`` and values read back are aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(SQLITE_DATETIME(
                storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d"
                               ".%(microsecond)06d+00:00",
                # also reads rows written without the offset (by versions before 0.2), taken as UTC
                regexp=r"(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+)(?:\.(\d+))?(?:\+00:00)?$"))
        return self.impl_instance

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware one")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _fk() -> Column[str]:
    return Column("document_sha256", String(64), ForeignKey("documents.sha256", ondelete="CASCADE"),
                  nullable=False, index=True)


documents = Table(
    "documents", metadata,
    Column("sha256", String(64), primary_key=True, comment="SHA-256 of the input bytes"),
    Column("record_sha256", String(64), nullable=False,
           comment="SHA-256 of the record JSON without source.path; equal = unchanged"),
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
    Column("loaded_at", UTCDateTime, nullable=False),
    # added in 0.2: nullable, so tables made before are upgraded by adding them
    Column("extractor_version", String(200), comment="the record's extractor_version; null: made before 0.2"),
    Column("extracted_at", UTCDateTime, comment="when the stored extraction was made, where the load knew it"),
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


mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _fk(),
    Column("position", Integer, nullable=False, comment="order within the record's list of this kind"),
    Column("kind", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("label", String(32), nullable=False, comment="the model's entity label (PERSON, ORG, GPE, LOC ...)"),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    CheckConstraint("kind IN ('person', 'organization', 'place')", name="ck_mentions_kind"),
)


document_paths = Table(
    "document_paths", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _fk(),
    Column("path", Text, nullable=False, comment="source.path of a record of this document"),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("last_seen", UTCDateTime, nullable=False),
    Column("loaded_at", UTCDateTime, nullable=False, comment="when this row was first written"),
    UniqueConstraint("document_sha256", "path", name="uq_document_paths"),
)


errors = Table(
    "errors", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_key", String(64), nullable=False, unique=True, comment="SHA-256 of path and sha256: one row each"),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), index=True, comment="of the input bytes; null when the file could not be read"),
    Column("error", String(64), nullable=False, comment="stable error code (corrupt_pdf, timeout, ...)"),
    Column("reason", Text, nullable=False),
    Column("extractor_version", String(200), comment="when the error line names it (lines so far do not)"),
    Column("extracted_at", UTCDateTime, comment="when the error was found, where the load knew it"),
    Column("loaded_at", UTCDateTime, nullable=False, comment="when this version of the row was written"),
)


#: Tables whose rows belong to one extraction of a document, deleted and reinserted when it is replaced
#: (``document_paths`` is not one of them: every path stays).
CHILD_TABLES = (subjects, recipients, related_ua_numbers, dates, evidence, mentions)


MENTION_KINDS = {"persons": "person", "organizations": "organization", "places": "place"}


def connect(url: str | Engine = DEFAULT_URL) -> Engine:
    """An engine for the URL. SQLite: foreign keys (and so ON DELETE CASCADE) on, and loads take the
    write lock when they begin (``BEGIN IMMEDIATE``), so two loaders queue instead of failing."""
    if isinstance(url, Engine):
        return url
    try:
        u = make_url(url)
    except ArgumentError as exc:
        if "://" not in url:  # a bare file name: say how to write it
            raise ArgumentError(f"{exc}; for a SQLite file write sqlite:///{url}") from None
        raise
    if u.drivername == "postgresql":  # SQLAlchemy 2.0 would pick psycopg2; psycopg 3 is the one we support
        u = u.set(drivername="postgresql+psycopg")
    connect_args: dict[str, Any] = {}
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:" and not u.database.startswith("file:"):
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        if "timeout" not in u.query:
            connect_args["timeout"] = _SQLITE_TIMEOUT
    engine = create_engine(u, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # the driver's own BEGIN would be deferred; we send BEGIN below
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # a loader must hold the write lock from its first read: a deferred transaction that read
            # before another loader committed could not write afterwards ("database is locked")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("ua_writer") else "BEGIN")
    return engine


def create_tables(engine: Engine) -> None:
    """Create missing tables (and columns added since); safe while another loader does the same."""
    with writer(engine) as conn:
        prepare(conn)


@contextmanager
def writer(engine: Engine) -> Iterator[Connection]:
    """A transaction that is the only writer: SQLite's write lock, PostgreSQL's load lock."""
    with engine.connect().execution_options(ua_writer=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            # one loader at a time: table creation is race-free, and no two loads deadlock
            conn.execute(select(func.pg_advisory_xact_lock(PG_LOAD_LOCK)))
        yield conn


def prepare(conn: Connection) -> None:
    metadata.create_all(conn, checkfirst=True)
    have = {c["name"] for c in inspect(conn).get_columns("documents")}
    for col in documents.columns:
        if col.name not in have:  # a table made by an older version: add the new (nullable) column
            kind = col.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN {col.name} {kind}")  # names fixed in code
