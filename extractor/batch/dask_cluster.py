"""The same per-document function on a dask.distributed cluster, for more than one machine."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from extractor.batch.local import process
from extractor.batch.outcome import Outcome
from extractor.batch.sink import RunError
from extractor.errors import WorkerCrashed
from extractor.hashing import file_sha256
from extractor.nlp import load_pipeline
from extractor.settings import Settings


def _warm(model: str, rules_only: bool) -> str:
    """Run on every Dask worker before the documents: one model load each, and a fast failure."""
    return load_pipeline(model, rules_only).model


def run_dask(paths: Iterator[str], settings: Settings, address: str) -> Iterator[Outcome]:
    """Outcomes as they finish, with at most a few tasks per worker thread in flight (inputs are
    streamed). The input paths must be readable by the workers (absolute paths on a shared file
    system). Dask cannot stop a running task, so the per-document time limit is not enforced here."""
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise RunError("a Dask scheduler needs dask.distributed: pip install 'ua-extract[dask]'") from exc
    try:
        client = Client(address, timeout=10)
    except Exception as exc:
        raise RunError(f"cannot connect to a Dask scheduler at {address}: {type(exc).__name__}: {exc}") from exc
    try:
        try:
            client.run(_warm, settings.model, settings.rules_only)
        except ValueError as exc:
            raise RunError(f"a Dask worker could not load the model: {exc}") from exc
        yield from _stream(client, paths, settings)
    finally:
        client.close()


def _stream(client: Any, paths: Iterator[str], settings: Settings) -> Iterator[Outcome]:
    from dask.distributed import as_completed

    window = max(4, 2 * sum(client.nthreads().values()))
    pending: dict[Any, str] = {}
    queue = as_completed()

    def submit(path: str | None) -> None:
        if path is not None:
            future = client.submit(process, path, settings, pure=False)
            pending[future] = path
            queue.add(future)

    for _ in range(window):
        submit(next(paths, None))
    for future in queue:
        path = pending.pop(future)
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - a lost worker must not cost the batch
            result = WorkerCrashed(f"the Dask task failed ({type(exc).__name__}: {exc})").entry(path)
            result.sha256 = file_sha256(path)
        yield Outcome.of(result)
        submit(next(paths, None))
