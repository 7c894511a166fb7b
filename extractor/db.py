"""Load records (and error lines) into a relational database: SQLite by default, PostgreSQL (or any
SQLAlchemy URL) for real.

SQLAlchemy Core only, parameterised statements only; every table and column name is fixed below and
never derived from document content. Tables are created when missing (new nullable columns are added
to tables made by an older version). Loading is idempotent: a document is keyed by the SHA-256 of its
input bytes, and a record whose content hashes the same as the stored one (``documents.record_sha256``;
the path aside, paths have their own table) writes nothing. A different record of the same document
replaces the stored rows when it is newer (:func:`extractor.version.compare`, then the extraction
time); an older one is kept out unless ``replace_older``. Loaders take turns (one writer at a time,
on both backends), and the whole load is one transaction: a bad input line or a database error leaves
the database exactly as it was. See docs/database.md.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.types import TypeEngine

from extractor.version import compare
from models import ErrorEntry, UrgentAction
from models.io import JsonlError, errors_path, read_jsonl

DEFAULT_URL = "sqlite:///uas.db"
CONTACT_KINDS = ("fax", "phone", "email", "twitter")
_CHUNK = 500  # records whose stored hashes are looked up in one SELECT

# any lock key will do, as long as every ua-extract loader uses the same one ("ua-x" in ASCII)
_PG_LOAD_LOCK = 0x75612D78
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


@dataclass
class LoadStats:
    inserted: int = 0   # documents not in the database before
    replaced: int = 0   # documents whose stored record was older or as new, and differed; their rows were replaced
    unchanged: int = 0  # documents stored with an identical record; nothing written
    older: int = 0      # records older than the stored one (extractor version, then time); kept out
    skipped: int = 0    # error entries / blank lines in a records JSONL input
    paths_added: int = 0     # (document, path) pairs seen for the first time
    errors_inserted: int = 0
    errors_updated: int = 0
    errors_unchanged: int = 0

    @property
    def records(self) -> int:
        return self.inserted + self.replaced + self.unchanged + self.older

    @property
    def errors(self) -> int:
        return self.errors_inserted + self.errors_updated + self.errors_unchanged

    def __str__(self) -> str:
        s = f"{self.records} records: {self.inserted} inserted, {self.replaced} replaced, {self.unchanged} unchanged"
        if self.older:
            s += f", {self.older} older than stored (kept out; --replace-older loads them)"
        if self.errors:
            s += (f"; {self.errors} error lines: {self.errors_inserted} inserted, {self.errors_updated} updated, "
                  f"{self.errors_unchanged} unchanged")
        return s + (f"; {self.skipped} lines skipped (error entries, blank)" if self.skipped else "")


class LoadError(JsonlError):
    """A JSONL input line that is not a record (the message names the file and line)."""


@dataclass(frozen=True)
class _Load:
    """What one load knows besides the records."""

    now: dt.datetime  # the load's time: loaded_at of every row it writes
    extracted_at: dt.datetime | None = None  # when the records were made, where known (a JSONL's mtime)
    replace_older: bool = False


def record_hash(record: UrgentAction) -> str:
    """SHA-256 of the record's JSON without ``source.path``: the same extraction seen under another
    path is unchanged (the path goes to ``document_paths``)."""
    data = record.model_dump(mode="json")
    data["source"].pop("path")
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


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
    with _writer(engine) as conn:
        _prepare(conn)


@contextmanager
def _writer(engine: Engine) -> Iterator[Connection]:
    """A transaction that is the only writer: SQLite's write lock, PostgreSQL's load lock."""
    with engine.connect().execution_options(ua_writer=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            # one loader at a time: table creation is race-free, and no two loads deadlock
            conn.execute(select(func.pg_advisory_xact_lock(_PG_LOAD_LOCK)))
        yield conn


def _prepare(conn: Connection) -> None:
    metadata.create_all(conn, checkfirst=True)
    have = {c["name"] for c in inspect(conn).get_columns("documents")}
    for col in documents.columns:
        if col.name not in have:  # a table made by an older version: add the new (nullable) column
            kind = col.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE documents ADD COLUMN {col.name} {kind}")  # names fixed in code


def load_records(records: Iterable[UrgentAction | ErrorEntry], url: str | Engine = DEFAULT_URL, *,
                 replace_older: bool = False, extracted_at: dt.datetime | None = None) -> LoadStats:
    """Load records (idempotently; error entries go to the ``errors`` table) into the database at
    ``url``, in one transaction. ``extracted_at`` (aware) is when the records were made, if known: at
    the same extractor version an earlier extraction does not replace a later one. ``replace_older``
    lets records older than the stored ones replace them."""
    return _load(((r, extracted_at) for r in records), url, replace_older)


def _load(items: Iterable[tuple[UrgentAction | ErrorEntry, dt.datetime | None]], url: str | Engine,
          replace_older: bool) -> LoadStats:
    """Items with the time each was extracted (None: unknown), in one writer transaction."""
    engine = connect(url)
    now = dt.datetime.now(dt.UTC)
    try:
        stats = LoadStats()
        create_tables(engine)  # committed on its own: tables stay even when the load is refused
        with _writer(engine) as conn:
            for chunk in _chunks(items, _CHUNK):
                for when, recs in _by_time(chunk):
                    _load_chunk(conn, recs, stats, _Load(now, when, replace_older))
                for e, when in chunk:
                    if isinstance(e, ErrorEntry):
                        _load_error(conn, e, stats, _Load(now, when, replace_older))
        return stats
    finally:
        if not isinstance(url, Engine):
            engine.dispose()


def _by_time(chunk: list[tuple[UrgentAction | ErrorEntry, dt.datetime | None]]
             ) -> Iterator[tuple[dt.datetime | None, list[UrgentAction]]]:
    """The chunk's records grouped by extraction time, in input order (one time per input file)."""
    groups: dict[dt.datetime | None, list[UrgentAction]] = {}
    for r, when in chunk:
        if isinstance(r, UrgentAction):
            groups.setdefault(when, []).append(r)
    yield from groups.items()


def load_jsonl(path: str | Path, url: str | Engine = DEFAULT_URL, *, errors_file: str | Path | None = None,
               replace_older: bool = False) -> LoadStats:
    """Load a JSON Lines file of records (``ua-extract extract -o``) and its error lines: those of
    ``errors_file`` (default: ``OUT.errors.jsonl`` beside it, when present) and any inside the file.

    The extraction time of the records is the file's modification time (the time the extraction run
    last wrote it). A line that is neither a record nor an error entry raises :class:`LoadError`
    naming the line, and nothing is loaded.
    """
    skipped = 0
    errs = Path(errors_file) if errors_file is not None else errors_path(path)
    if errors_file is not None and not errs.exists():
        raise FileNotFoundError(2, "No such file or directory", str(errs))

    def items() -> Iterator[tuple[UrgentAction | ErrorEntry, dt.datetime | None]]:
        nonlocal skipped
        try:
            when = _mtime(path)
            for _n, item in read_jsonl(path, blanks=True):
                if not isinstance(item, UrgentAction):
                    skipped += 1  # not a record: blank, or an error line among the records
                if item is not None:
                    yield item, when
            if errs.exists():
                when = _mtime(errs)
                yield from ((e, when) for _n, e in read_jsonl(errs))
        except JsonlError as exc:
            raise LoadError(str(exc), path=exc.path, line=exc.line) from None

    stats = _load(items(), url, replace_older)
    stats.skipped = skipped
    return stats


def _mtime(path: str | Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(os.stat(path).st_mtime, dt.UTC)


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _Stored:
    record_sha256: str
    extractor_version: str | None
    extracted_at: dt.datetime | None


def _stored(conn: Connection, shas: set[str], *, lock: bool = False) -> dict[str, _Stored]:
    q = select(documents.c.sha256, documents.c.record_sha256, documents.c.extractor_version,
               documents.c.extracted_at).where(documents.c.sha256.in_(shas))
    if lock and conn.dialect.name == "postgresql":
        q = q.with_for_update()
    return {row[0]: _Stored(*row[1:]) for row in conn.execute(q)}


def _is_newer(r: UrgentAction, when: dt.datetime | None, s: _Stored) -> bool:
    """Does record ``r`` (made at ``when``) replace the stored extraction ``s``? A newer extractor
    version does; at the same version a later extraction does, and when either time is unknown the
    load wins (the record given now is taken as the newer)."""
    c = compare(r.extractor_version, s.extractor_version)
    if c:
        return c > 0
    return when is None or s.extracted_at is None or when >= s.extracted_at


def _load_chunk(conn: Connection, chunk: list[UrgentAction], stats: LoadStats, load: _Load | None = None) -> None:
    load = load or _Load(now=dt.datetime.now(dt.UTC))
    stored = _stored(conn, {r.source.sha256 for r in chunk})
    for record in chunk:
        sha, rhash = record.source.sha256, record_hash(record)
        before = stored.get(sha)
        if before is None:
            if _insert_new(conn, _document_row(record, rhash, load)):
                _insert_children(conn, record)
                stats.inserted += 1
                stored[sha] = _Stored(rhash, record.extractor_version, load.extracted_at)
                _seen_at(conn, record, load, stats)
                continue
            # another loader stored it since the chunk was read (it committed while we waited): look again
            before = _stored(conn, {sha}, lock=True)[sha]
        if before.record_sha256 == rhash:
            stats.unchanged += 1
        elif _is_newer(record, load.extracted_at, before) or load.replace_older:
            _replace(conn, record, rhash, load)
            stats.replaced += 1
            stored[sha] = _Stored(rhash, record.extractor_version, load.extracted_at)
        else:
            stats.older += 1
        _seen_at(conn, record, load, stats)


def _replace(conn: Connection, r: UrgentAction, rhash: str, load: _Load) -> None:
    """Replace a stored document's row and children in the caller's transaction (in PostgreSQL the
    UPDATE locks the row, so a concurrent loader of the same document waits)."""
    sha = r.source.sha256
    conn.execute(update(documents).where(documents.c.sha256 == sha).values(_document_row(r, rhash, load)))
    mine = select(recipients.c.id).where(recipients.c.document_sha256 == sha)
    conn.execute(delete(recipient_contacts).where(recipient_contacts.c.recipient_id.in_(mine)))
    for t in CHILD_TABLES:
        conn.execute(delete(t).where(t.c.document_sha256 == sha))
    _insert_children(conn, r)


def _seen_at(conn: Connection, r: UrgentAction, load: _Load, stats: LoadStats) -> None:
    """Note that the document was seen under ``r.source.path``: first and last seen are extraction
    times where the load knows them, else the load's time; a repeated load moves neither."""
    sha, path = r.source.sha256, _clean(r.source.path)
    when = load.extracted_at or load.now
    row = conn.execute(select(document_paths.c.id, document_paths.c.first_seen, document_paths.c.last_seen)
                       .where(document_paths.c.document_sha256 == sha, document_paths.c.path == path)).first()
    if row is None:
        conn.execute(insert(document_paths).values(document_sha256=sha, path=path, first_seen=when, last_seen=when,
                                                   loaded_at=load.now))
        stats.paths_added += 1
        return
    if load.extracted_at is None:
        return  # no extraction time: a reload of records already seen tells nothing new
    changes = {k: when for k, moved in (("first_seen", when < row.first_seen), ("last_seen", when > row.last_seen))
               if moved}
    if changes:
        conn.execute(update(document_paths).where(document_paths.c.id == row.id).values(changes))


def _entry_key(e: ErrorEntry) -> str:
    return hashlib.sha256(json.dumps([e.path, e.sha256]).encode("utf-8")).hexdigest()


def _load_error(conn: Connection, e: ErrorEntry, stats: LoadStats, load: _Load) -> None:
    """One row per (path, sha256): the latest error line for that input."""
    when = load.extracted_at
    values = {"path": _clean(e.path), "sha256": e.sha256, "error": _clean(e.error), "reason": _clean(e.reason),
              "extractor_version": getattr(e, "extractor_version", None)}
    key = _entry_key(e)
    row = conn.execute(select(errors.c.id, errors.c.error, errors.c.reason, errors.c.extractor_version,
                              errors.c.extracted_at).where(errors.c.entry_key == key)).first()
    if row is None:
        conn.execute(insert(errors).values(entry_key=key, extracted_at=when, loaded_at=load.now, **values))
        stats.errors_inserted += 1
    elif (row.error, row.reason, row.extractor_version) == (values["error"], values["reason"],
                                                             values["extractor_version"]) \
            or (when is not None and row.extracted_at is not None and when < row.extracted_at):
        stats.errors_unchanged += 1  # the same, or an older line than the stored one
    else:
        conn.execute(update(errors).where(errors.c.id == row.id).values(extracted_at=when, loaded_at=load.now,
                                                                        **values))
        stats.errors_updated += 1


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


def _document_row(r: UrgentAction, rhash: str, load: _Load) -> dict[str, Any]:
    s = r.source
    row = {
        "sha256": s.sha256, "record_sha256": rhash, "path": s.path, "media_type": s.media_type,
        "pages": s.pages, "chars": s.chars, "schema_version": r.schema_version, "kind": r.kind,
        "language": r.language, "ua_series": r.ua_series, "ua_number": r.ua_number,
        "update_number": r.update_number, "ai_index": r.ai_index, "issue_date": r.issue_date,
        "appeal_deadline": r.appeal_deadline, "title": r.title, "country": r.country,
        "country_code": r.country_code, "warnings": [_clean(w) for w in r.warnings],
        "loaded_at": load.now, "extractor_version": r.extractor_version, "extracted_at": load.extracted_at,
    }
    return {k: _clean(v) for k, v in row.items()}


def _rows(sha: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # an item's own "position" (order within its kind, as for mentions) wins over its list index
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
        (mentions, [{"kind": kind, "position": i, "text": m.text, "label": m.label, "start": m.start, "end": m.end}
                    for name, kind in MENTION_KINDS.items() for i, m in enumerate(getattr(r.mentions, name))]),
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


#: CSV file per table for :func:`export_csv` (``contacts.csv``, ``paths.csv``: shorter names for spreadsheets)
CSV_FILES = {"documents": "documents.csv", "document_paths": "paths.csv", "subjects": "subjects.csv",
             "recipients": "recipients.csv", "recipient_contacts": "contacts.csv",
             "related_ua_numbers": "related_ua_numbers.csv", "dates": "dates.csv", "evidence": "evidence.csv",
             "mentions": "mentions.csv", "errors": "errors.csv"}


def export_csv(path: str | Path, folder: str | Path, *, errors_file: str | Path | None = None) -> dict[str, int]:
    """A flat export for spreadsheets and dataframes: the JSONL (and its error lines) loaded exactly as
    :func:`load_jsonl` loads a database (a temporary SQLite one), then every table written to
    ``folder/<table>.csv`` (see :data:`CSV_FILES`) with the database's columns and keys. Returns
    rows per file. Values: dates and times ISO 8601, booleans ``true``/``false``, null as empty."""
    import csv
    import tempfile

    target = Path(folder)
    with tempfile.TemporaryDirectory(prefix="ua-csv-") as tmp:
        engine = connect(f"sqlite:///{Path(tmp) / 'export.db'}")
        try:
            load_jsonl(path, engine, errors_file=errors_file)
            target.mkdir(parents=True, exist_ok=True)
            written: dict[str, int] = {}
            with engine.connect() as conn:
                for name, file in CSV_FILES.items():
                    table = metadata.tables[name]
                    order = list(table.primary_key.columns)
                    rows = conn.execute(select(table).order_by(*order)).all()
                    with open(target / file, "w", encoding="utf-8", newline="") as f:
                        w = csv.writer(f)
                        w.writerow([c.name for c in table.columns])
                        w.writerows([_csv_value(v) for v in row] for row in rows)
                    written[file] = len(rows)
            return written
        finally:
            engine.dispose()


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return v
