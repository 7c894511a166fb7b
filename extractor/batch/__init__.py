"""Running many documents: every input accounted for by exactly one line, resumably.

- ``discovery``: which files a run reads (arguments resolved once, folder walks, files left out);
- ``plan``: the parent's decision per input before any worker sees it (regular files only,
  duplicates by content, already done);
- ``sink``: the resumable JSON Lines output, its errors file and its lock;
- ``local``, ``pool``, ``dask_cluster``: the same per-document function (:func:`process`) in this
  process, in spawned worker processes, or on a Dask cluster;
- ``runner``: :func:`run`, which ties them together.

Every input ends as exactly one line: a record in the output file or a line in
``<output stem>.errors.jsonl`` (path, sha256, error, reason): an error, a ``duplicate`` of another
input with the same content, or a file a folder walk did not read (``unsupported_format``). Lines
are written as documents finish (with several workers their order is not the input order; each
line names its source path).

Resuming: running again with the same output skips every input whose path and content (sha256)
already have a record there; the other lines of this run's inputs are dropped and written again
(failed inputs are retried). ``force=True`` starts both files afresh.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractor.batch.discovery import SUFFIXES, Inputs, discover, find_inputs
    from extractor.batch.local import process, timeout_entry
    from extractor.batch.outcome import SUMMARY_FIELDS, Outcome, Summary, json_line
    from extractor.batch.runner import iter_results, run
    from extractor.batch.sink import FSYNC_SECONDS, OutputLocked, RunError, errors_path, lock_path

# name -> the module that defines it, imported on first use: finding the inputs or starting the fork
# server (``server``) must not wait for spaCy, which running them imports
_LAZY = {
    "SUFFIXES": "discovery", "Inputs": "discovery", "discover": "discovery", "find_inputs": "discovery",
    "process": "local", "timeout_entry": "local",
    "SUMMARY_FIELDS": "outcome", "Outcome": "outcome", "Summary": "outcome", "json_line": "outcome",
    "iter_results": "runner", "run": "runner",
    "FSYNC_SECONDS": "sink", "OutputLocked": "sink", "RunError": "sink", "errors_path": "sink", "lock_path": "sink",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'extractor.batch' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"extractor.batch.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FSYNC_SECONDS", "SUFFIXES", "SUMMARY_FIELDS", "Inputs", "Outcome", "OutputLocked", "RunError", "Summary",
    "discover", "errors_path", "find_inputs", "iter_results", "json_line", "lock_path", "process", "run",
    "timeout_entry",
]
