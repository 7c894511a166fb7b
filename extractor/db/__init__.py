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

from extractor.db.csv_export import CSV_FILES, export_csv
from extractor.db.load import LoadError, LoadStats, _load_chunk, load_jsonl, load_records, record_hash
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
    metadata,
    recipient_contacts,
    recipients,
    related_ua_numbers,
    subjects,
)

__all__ = ["CHILD_TABLES", "CONTACT_KINDS", "CSV_FILES", "DEFAULT_URL", "MENTION_KINDS", "LoadError", "LoadStats",
           "_load_chunk", "connect", "create_tables", "dates", "document_paths", "documents", "errors", "evidence",
           "export_csv", "load_jsonl", "load_records", "mentions", "metadata", "recipient_contacts", "recipients",
           "record_hash", "related_ua_numbers", "subjects"]
