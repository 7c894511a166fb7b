"""Every table of a load as CSV files, for tools without a database."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import (
    select,
)

from extractor.db.load import load_jsonl
from extractor.db.schema import connect, metadata

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
