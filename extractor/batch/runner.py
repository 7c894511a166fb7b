"""One batch run: find the inputs, decide each in the parent, extract the rest on a backend, write
one line per input, count them."""
from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import IO

from extractor.api import BATCH_DOCUMENTS, extract_many
from extractor.batch.dask_cluster import run_dask
from extractor.batch.discovery import Inputs, find_inputs
from extractor.batch.local import run_here
from extractor.batch.outcome import Outcome, Reword, Summary
from extractor.batch.plan import Planner
from extractor.batch.pool import Pool
from extractor.batch.sink import Sink
from extractor.ingest.containers import PartPath
from extractor.settings import Settings
from models import ErrorEntry, UrgentAction


def run(paths: Inputs | Iterable[str | os.PathLike[str]], settings: Settings, output: Path | None = None, *,
        force: bool = False, scheduler: str | None = None, stdout: IO[str] | None = None,
        stderr: IO[str] | None = None, on_result: Callable[[Outcome | None], None] | None = None,
        reword: Reword | None = None) -> Summary:
    """Extract every input; records to ``output`` (JSON Lines), every other line beside it in
    ``errors_path(output)``. Without ``output`` records go to ``stdout`` and the other lines to
    ``stderr`` (no resuming). ``settings.workers`` > 1 runs a local process pool; ``scheduler``
    (a dask.distributed address) runs on a Dask cluster instead. ``on_result`` is called once per
    input, with None for an input skipped because it is already done. ``reword`` rewrites the
    reasons of error lines. Raises RunError when the run cannot go on (the output is in use or
    cannot be written, the model does not load); KeyboardInterrupt leaves resumable output."""
    inputs = paths if isinstance(paths, Inputs) else find_inputs(paths)
    summary = Summary(named_again=inputs.named_again)
    sink = Sink.open(output, force=force, run_paths=inputs.all_paths(), reword=reword, stdout=stdout, stderr=stderr)

    def emit(outcome: Outcome | None) -> None:
        if outcome is not None:
            sink.write(outcome)
        summary.add(outcome)
        if on_result:
            on_result(outcome)

    try:
        for entry in inputs.not_read:
            emit(Outcome.not_read(entry))
        planner = Planner(sink.resume, settings.limits, emit, sink.read if sink.files else None)
        outcomes = _backend(planner.todo(inputs.files), settings, scheduler, len(inputs.files))
        try:
            for outcome in outcomes:
                place = sink.write(outcome)
                summary.add(outcome)
                if on_result:
                    on_result(outcome)
                planner.finished(outcome, place)  # its duplicates' copies follow it
        finally:
            outcomes.close()  # stops the workers even when writing failed or the user pressed Ctrl-C
    finally:
        sink.close()
    return summary


def _backend(todo: Iterator[str], settings: Settings, scheduler: str | None,
             count: int) -> Generator[Outcome, None, None]:
    """Outcomes of the paths still to do. Standard input can only be read here, whatever the backend;
    with nothing left to do (a finished run resumed) no worker is started."""
    first = next(todo, None)
    if first is None:
        return
    rest = _prepend(first, todo)
    if first == "-":
        yield from run_here(iter(["-"]), settings)
        rest = todo
    workers = settings.workers if isinstance(first, PartPath) else min(settings.workers, count)  # a container: many
    if scheduler:
        yield from run_dask(rest, settings, scheduler)
    elif workers > 1:
        yield from Pool(settings, workers, chunk=_chunk(count, workers)).outcomes(rest)
    else:
        yield from run_here(rest, settings)


#: Units of work each worker should get at least: with fewer, the last unit keeps one worker busy alone
#: (40 documents in units of 8 are 3 units against 2).
UNITS_PER_WORKER = 4


def _chunk(count: int, workers: int) -> int:
    """Documents per unit of work: BATCH_DOCUMENTS, fewer when there are too few to share evenly."""
    return max(1, min(BATCH_DOCUMENTS, count // (workers * UNITS_PER_WORKER)))


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def iter_results(paths: Iterable[str | os.PathLike[str]], settings: Settings) -> Iterator[UrgentAction | ErrorEntry]:
    """In order, in this process: for callers that want the objects (``ua-extract eval``)."""
    return extract_many(paths, settings)


