"""Loading records and error lines: idempotent by content hash, newer replaces older, loaders take
turns, one transaction per load (see the package docstring and docs/database.md)."""

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Engine,
    Table,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection

from extractor.db.schema import (
    CHILD_TABLES,
    CONTACT_KINDS,
    DEFAULT_URL,
    MENTION_KINDS,
    connect,
    create_tables,
    dates,
    document_paths,
    documents,
    errors,
    evidence,
    mentions,
    recipient_contacts,
    recipients,
    related_ua_numbers,
    subjects,
    writer,
)
from extractor.version import compare
from models import ErrorEntry, UrgentAction
from models.io import JsonlError, errors_path, read_jsonl

_CHUNK = 500  # records whose stored hashes are looked up in one SELECT


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
    """SHA-256 of the record's JSON without ``source.path`` and ``source.resolved``: the same extraction
    seen under another path is unchanged (the path goes to ``document_paths``)."""
    data = record.model_dump(mode="json")
    data["source"].pop("path")
    data["source"].pop("resolved", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


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
        with writer(engine) as conn:
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
