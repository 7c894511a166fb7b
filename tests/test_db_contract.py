"""The integrator's contract (issue 15) against real SQLite files and the real PostgreSQL server:
every path, every error line and every extractor version in the database; reloads that change no
byte; older extractions kept out; concurrent loaders in separate processes; aware timestamps."""
# ruff: noqa: F811 - the fixtures of test_db.py are imported by name and then requested as arguments
from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Engine
from test_db import (  # noqa: F401 - fixtures are found by name
    WriteCounter,
    counts,
    engine,
    expected_counts,
    modified,
    pg_server_url,
    pg_url,
    ua_extract,
    url,
    with_subjects_and_recipients,
)
from test_db import records as records  # noqa: PLC0414 - the module-scoped fixture, shared

from extractor import db
from models import ErrorEntry, UrgentAction
from models.io import errors_path

ALL_TABLES = sorted(db.metadata.tables)


def snapshot_all(engine: Engine) -> dict[str, list[tuple]]:
    out = {}
    with engine.connect() as conn:
        for t in ALL_TABLES:
            out[t] = sorted(tuple(map(repr, row)) for row in conn.execute(select(db.metadata.tables[t])))
    return out


def write_jsonl(path: Path, items: list[UrgentAction | ErrorEntry], mtime: float | None = None) -> Path:
    path.write_text("".join(i.model_dump_json() + "\n" for i in items), encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def elsewhere(r: UrgentAction, path: str) -> UrgentAction:
    return r.model_copy(update={"source": r.source.model_copy(update={"path": path})})


ERRORS = [ErrorEntry(path="broken.pdf", sha256="b" * 64, error="corrupt_pdf", reason="the PDF is damaged"),
          ErrorEntry(path="gone.txt", sha256=None, error="unreadable", reason="cannot read file: Permission denied")]


# ---------------------------------------------------------------- paths, errors, mentions, versions


def test_both_paths_of_a_duplicated_document_and_a_reload_that_writes_nothing(engine, records, tmp_path):
    r = records[0]
    out = write_jsonl(tmp_path / "out.jsonl", [r, elsewhere(r, "copies/again.txt"), *records[1:]])
    stats = db.load_jsonl(out, engine)
    assert (stats.inserted, stats.replaced, stats.unchanged, stats.paths_added) == \
        (len(records), 0, 1, len(records) + 1)
    with engine.connect() as conn:
        paths = conn.execute(text("SELECT path, first_seen, last_seen FROM document_paths "
                                  "WHERE document_sha256 = :s ORDER BY path"), {"s": r.source.sha256}).all()
    assert [p.path for p in paths] == sorted([r.source.path, "copies/again.txt"])
    mtime = dt.datetime.fromtimestamp(out.stat().st_mtime, dt.UTC)
    for p in paths:  # seen at the extraction time the load knew: the file's modification time
        first = p.first_seen if isinstance(p.first_seen, dt.datetime) else dt.datetime.fromisoformat(p.first_seen)
        assert abs(first - mtime) < dt.timedelta(seconds=1)

    before = snapshot_all(engine)
    writes = WriteCounter(engine)
    again = db.load_jsonl(out, engine)
    assert (again.inserted, again.replaced, again.unchanged, again.older) == (0, 0, len(records) + 1, 0)
    assert writes.writes == []
    assert snapshot_all(engine) == before  # not a byte: loaded_at, first/last seen, ids all as they were


def test_error_lines_are_loaded_beside_the_records(url, records, tmp_path):
    out = write_jsonl(tmp_path / "out.jsonl", records)
    write_jsonl(errors_path(out), ERRORS)
    p = ua_extract("export", str(out), "--db", url)
    assert p.returncode == 0, p.stderr
    assert f"{len(records)} inserted" in p.stderr and "2 error lines: 2 inserted" in p.stderr
    e = db.connect(url)
    with e.connect() as conn:
        rows = conn.execute(text("SELECT path, sha256, error, reason FROM errors ORDER BY path")).all()
    assert [tuple(r) for r in rows] == [(x.path, x.sha256, x.error, x.reason) for x in ERRORS]
    before = snapshot_all(e)
    p = ua_extract("export", str(out), "--db", url)
    assert p.returncode == 0 and "2 error lines: 0 inserted, 0 updated, 2 unchanged" in p.stderr, p.stderr
    assert snapshot_all(e) == before
    # a later run failed differently on the same input: its row is updated, not duplicated
    later = [ERRORS[0].model_copy(update={"error": "timeout", "reason": "took too long"}), ERRORS[1]]
    write_jsonl(errors_path(out), later, mtime=time.time() + 5)
    p = ua_extract("export", str(out), "--db", url)
    assert p.returncode == 0 and "1 updated, 1 unchanged" in p.stderr, p.stderr
    with e.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM errors")).scalar_one() == 2
        assert conn.execute(text("SELECT error FROM errors WHERE path = 'broken.pdf'")).scalar_one() == "timeout"
        # the documented query: inputs that failed and have no record since
        failed = conn.execute(text("SELECT e.path FROM errors AS e WHERE NOT EXISTS "
                                   "(SELECT 1 FROM documents AS d WHERE d.sha256 = e.sha256) ORDER BY e.path")).all()
    assert [f.path for f in failed] == ["broken.pdf", "gone.txt"]
    e.dispose()


def test_mentions_and_extractor_version_on_every_row(engine, records):
    assert all(r.extractor_version for r in records)
    db.load_records(records, engine)
    with engine.connect() as conn:
        versions = dict(conn.execute(text("SELECT sha256, extractor_version FROM documents")).all())
        kinds = dict(conn.execute(text("SELECT kind, COUNT(*) FROM mentions GROUP BY kind")).all())
        r = max(records, key=lambda r: len(r.mentions.persons))
        persons = conn.execute(text('SELECT text, label, start, "end" FROM mentions WHERE document_sha256 = :s '
                                    "AND kind = 'person' ORDER BY position"), {"s": r.source.sha256}).all()
    assert versions == {r.source.sha256: r.extractor_version for r in records}
    want = {k: sum(len(getattr(x.mentions, n)) for x in records) for n, k in db.MENTION_KINDS.items()}
    assert {k: kinds.get(k, 0) for k in want} == want and sum(want.values()) > 0
    assert [tuple(p) for p in persons] == [(m.text, m.label, m.start, m.end) for m in r.mentions.persons]


# ---------------------------------------------------------------- newer and older


def test_an_older_extractor_never_replaces_a_newer_one(engine, records):
    r = with_subjects_and_recipients(records)
    old = modified(r).model_copy(update={"extractor_version": "ua-extract/0.0.1 en_core_web_sm/3.7.0"})
    db.load_records([r], engine)
    before = snapshot_all(engine)
    stats = db.load_records([old], engine)
    assert (stats.replaced, stats.older) == (0, 1) and "older than stored" in str(stats)
    assert snapshot_all(engine) == before
    stats = db.load_records([old], engine, replace_older=True)
    assert stats.replaced == 1
    stats = db.load_records([r], engine)  # and the newer one comes back
    assert stats.replaced == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT title, extractor_version FROM documents WHERE sha256 = :s"),
                            {"s": r.source.sha256}).one() == (r.title, r.extractor_version)


def test_at_the_same_version_an_earlier_extraction_does_not_replace_a_later_one(url, records, tmp_path):
    r = with_subjects_and_recipients(records)
    now = time.time()
    earlier = write_jsonl(tmp_path / "earlier.jsonl", [modified(r)], mtime=now - 86400)
    later = write_jsonl(tmp_path / "later.jsonl", [r], mtime=now)
    p = ua_extract("export", str(later), "--db", url)
    assert p.returncode == 0 and "1 inserted" in p.stderr, p.stderr
    p = ua_extract("export", str(earlier), "--db", url)
    assert p.returncode == 0 and "0 replaced" in p.stderr and "1 older than stored" in p.stderr, p.stderr
    e = db.connect(url)
    with e.connect() as conn:
        assert conn.execute(text("SELECT title FROM documents")).scalar_one() == r.title
    p = ua_extract("export", str(earlier), "--db", url, "--replace-older")
    assert p.returncode == 0 and "1 replaced" in p.stderr, p.stderr
    with e.connect() as conn:
        assert conn.execute(text("SELECT title FROM documents")).scalar_one() == modified(r).title
        seen = conn.execute(text("SELECT first_seen, last_seen FROM document_paths")).one()
    e.dispose()
    first, last = (v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v) for v in seen)
    assert last - first > dt.timedelta(hours=23)  # the path was seen by both extractions


# ---------------------------------------------------------------- concurrency: real processes


def _loaded(stderr: str) -> tuple[int, int, int]:
    m = re.search(r"(\d+) inserted, (\d+) replaced, (\d+) unchanged", stderr)
    assert m, stderr
    return int(m[1]), int(m[2]), int(m[3])


@pytest.mark.parametrize("loaders", [2, 3])
def test_concurrent_loader_processes_into_a_fresh_database(url, records, tmp_path, loaders):
    """Separate `ua-extract export` processes started together on an empty database: every one
    succeeds, table creation races harmlessly, and identical rows are 'unchanged', never 'replaced'."""
    out = write_jsonl(tmp_path / "out.jsonl", records)
    write_jsonl(errors_path(out), ERRORS)
    env = {**os.environ, "COLUMNS": "200"}
    exe = Path(os.sys.executable).with_name("ua-extract")
    procs = [subprocess.Popen([str(exe), "export", str(out), "--db", url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(loaders)]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    for rc, err in results:
        assert rc == 0, err
    got = [_loaded(err) for _, err in results]
    assert sum(g[0] for g in got) == len(records) and sum(g[1] for g in got) == 0, got
    assert sum(g[2] for g in got) == len(records) * (loaders - 1), got
    e = db.connect(url)
    assert counts(e) == expected_counts(records)
    with e.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM errors")).scalar_one() == len(ERRORS)
        assert conn.execute(text("SELECT COUNT(*) FROM document_paths")).scalar_one() == len(records)
    e.dispose()


# ---------------------------------------------------------------- timestamps, URLs, upgrades, CSV


def test_timestamps_are_timezone_aware(engine, records):
    db.load_records(records[:1], engine)
    with engine.connect() as conn:
        loaded = conn.execute(select(db.documents.c.loaded_at)).scalar_one()
        seen = conn.execute(select(db.document_paths.c.first_seen)).scalar_one()
        raw = conn.execute(text("SELECT loaded_at FROM documents")).scalar_one()
    for v in (loaded, seen):
        assert v.tzinfo is not None and v.utcoffset() == dt.timedelta(0)
        assert abs(dt.datetime.now(dt.UTC) - v) < dt.timedelta(minutes=5)
    if engine.dialect.name == "sqlite":
        assert isinstance(raw, str) and raw.endswith("+00:00")  # other SQLite clients see the offset too
    else:
        assert raw.tzinfo is not None


def test_a_bare_file_name_as_db_gets_a_one_line_hint(records, tmp_path):
    out = write_jsonl(tmp_path / "out.jsonl", records[:1])
    p = ua_extract("export", str(out), "--db", "uas2.db", cwd=tmp_path)
    assert p.returncode == 2 and "for a SQLite file write sqlite:///uas2.db" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert not (tmp_path / "uas2.db").exists()
    p = ua_extract("export", str(out), "--db", "sqlite:///uas2.db", "-q", cwd=tmp_path)
    assert p.returncode == 0 and (tmp_path / "uas2.db").exists()


def test_a_database_made_before_the_new_columns_is_upgraded(url, records):
    e = db.connect(url)
    db.create_tables(e)
    with e.begin() as conn:  # what a database of the previous version lacks
        conn.execute(text("ALTER TABLE documents DROP COLUMN extractor_version"))
        conn.execute(text("ALTER TABLE documents DROP COLUMN extracted_at"))
    assert "extractor_version" not in {c["name"] for c in inspect(e).get_columns("documents")}
    stats = db.load_records(records, e)
    assert stats.inserted == len(records)
    with e.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM documents WHERE extractor_version IS NOT NULL")).scalar_one() \
            == len(records)
    e.dispose()


def test_csv_export_has_the_databases_tables_and_keys(records, tmp_path):
    out = write_jsonl(tmp_path / "out.jsonl", records)
    write_jsonl(errors_path(out), ERRORS)
    p = ua_extract("export", str(out), "--csv", str(tmp_path / "csv"), cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert not (tmp_path / "uas.db").exists()  # --csv alone loads no database

    def rows(name: str) -> list[dict[str, str]]:
        with open(tmp_path / "csv" / name, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    for table, file in db.CSV_FILES.items():
        with open(tmp_path / "csv" / file, encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == [c.name for c in db.metadata.tables[table].columns], file
    docs = rows("documents.csv")
    assert {d["sha256"] for d in docs} == {r.source.sha256 for r in records}
    assert all(d["extractor_version"] for d in docs)
    assert len(rows("subjects.csv")) == sum(len(r.subjects) for r in records)
    recips = {x["id"] for x in rows("recipients.csv")}
    contacts = rows("contacts.csv")
    assert contacts and {c["recipient_id"] for c in contacts} <= recips
    assert [(x["path"], x["error"]) for x in rows("errors.csv")] == [(x.path, x.error) for x in ERRORS]
    assert {x["sha256"] for x in rows("errors.csv")} == {"b" * 64, ""}  # null is empty
