"""A pool of worker processes on this machine. Paths travel, never file contents: each worker takes
BATCH_DOCUMENTS paths at a time (``extract_batch``: their NER shares batches) and sends back each
document's outcome. A worker over the time limit is killed and replaced, as is one that dies; the
batch goes on. A unit of work gets one document's time limit: a batch that runs over it or whose
worker dies is done again one document at a time, each on its own, so only the document at fault
becomes a ``timeout`` (over the limit alone) or ``worker_crashed`` line.

Where the platform forks copy-on-write (Linux), workers come from a fork server that loaded the model
once (``preload.py``): a second worker, or a replacement, costs a fork, not another model load, and the
workers share the model's memory. Elsewhere each worker is spawned and loads the model itself.

Workers never see Ctrl-C (SIGINT is blocked while they start and ignored after): the parent
handles it, stops them and leaves resumable output. A worker whose parent is gone exits quietly.
"""
from __future__ import annotations

import contextlib
import signal
import time
from collections import deque
from collections.abc import Iterator
from itertools import islice
from multiprocessing.connection import Connection, wait
from typing import Any

from extractor.api import BATCH_DOCUMENTS, extract_batch
from extractor.batch import preload, server
from extractor.batch.local import process, timeout_entry
from extractor.batch.outcome import Outcome
from extractor.batch.sink import RunError
from extractor.errors import WorkerCrashed
from extractor.hashing import file_sha256
from extractor.nlp import load_pipeline
from extractor.settings import Settings

NEVER = float("inf")


def _worker_main(conn: Connection, settings: Settings) -> None:
    """A worker: load the model once, then one path in, one Outcome out, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    with contextlib.suppress(EOFError, OSError):  # the parent is gone (killed, or closed the pipe)
        _serve(conn, settings)


def _serve(conn: Connection, settings: Settings) -> None:
    preloaded = preload.loaded == (settings.model, settings.rules_only)  # forked with the model in memory
    try:
        model = load_pipeline(settings.model, settings.rules_only).model
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops the run
        conn.send(("init_error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", model, preloaded))
    while (paths := conn.recv()) is not None:
        results = extract_batch(paths, settings) if len(paths) > 1 else [process(paths[0], settings)]
        for result in results:
            conn.send(("done", Outcome.of(result)))


class _Worker:
    def __init__(self, ctx: Any, settings: Settings) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, settings), daemon=True, name="ua-extract-worker")
        with server.sigint_blocked():
            self.proc.start()
        child.close()
        self.ready = False
        self.preloaded = False  # started with the model already loaded (forked from the fork server)
        self.paths: list[str] = []  # given and not yet done, in order
        self.solo = False  # the unit is one document alone
        self.deadline = NEVER

    @property
    def idle(self) -> bool:
        return self.ready and not self.paths

    @property
    def busy(self) -> bool:
        return bool(self.paths)

    def give(self, paths: list[str], limit: float) -> None:
        self.conn.send(paths)
        self.paths, self.solo = list(paths), len(paths) == 1
        self.deadline = time.monotonic() + limit if limit > 0 else NEVER

    def receive(self) -> Iterator[Outcome]:
        """Every message waiting, each outcome as it is read; EOFError or OSError when the worker is gone."""
        while self.conn.poll():
            message = self.conn.recv()
            kind = message[0]
            if kind == "init_error":
                raise RunError(f"a worker could not load the model: {message[1]}")
            if kind == "ready":
                self.ready, self.preloaded = True, message[2]
            else:
                self.paths.pop(0)  # outcomes come in the order of the paths given
                if not self.paths:
                    self.deadline = NEVER
                yield message[1]

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class Pool:
    def __init__(self, settings: Settings, n: int, chunk: int = BATCH_DOCUMENTS) -> None:
        self.settings, self.n, self.chunk = settings, n, max(1, chunk)
        self.limit = settings.limits.seconds_per_document
        self.workers: list[_Worker] = []
        self.alone: deque[str] = deque()  # paths to do again one at a time (their batch failed)
        self.exhausted = False
        self.deaths_before_ready = 0
        self.preloaded: list[bool] = []  # per worker that became ready: did it start with the model loaded?

    def outcomes(self, paths: Iterator[str]) -> Iterator[Outcome]:
        """Outcomes as documents finish, until every path is done."""
        self.ctx = server.context(self.settings)
        self.workers = [_Worker(self.ctx, self.settings) for _ in range(self.n)]
        try:
            while self._feed(paths) or self.alone or any(w.busy for w in self.workers):
                self._wait()
                for i in range(len(self.workers)):
                    yield from self._service(i)
        finally:
            self._stop()

    def _feed(self, paths: Iterator[str]) -> bool:
        """Work for each idle worker (a path to do alone first); False once the paths are used up."""
        for w in self.workers:
            if not w.idle:
                continue
            if self.alone:
                w.give([self.alone.popleft()], self.limit)
            elif not self.exhausted:
                unit = list(islice(paths, self.chunk))
                if unit:
                    w.give(unit, self.limit)
                else:
                    self.exhausted = True
        return not self.exhausted

    def _wait(self) -> None:
        """Until a worker says something or dies, or the soonest deadline passes."""
        soonest = min(w.deadline for w in self.workers)
        timeout = None if soonest == NEVER else max(0.0, soonest - time.monotonic())
        wait([w.conn for w in self.workers] + [w.proc.sentinel for w in self.workers], timeout)

    def _service(self, i: int) -> Iterator[Outcome]:
        w = self.workers[i]
        was_ready = w.ready
        try:
            yield from w.receive()
            alive = w.proc.is_alive()
        except (EOFError, OSError):
            alive = False
        if w.ready and not was_ready:
            self.preloaded.append(w.preloaded)
        if not alive:
            yield from self._replace_dead(i)
        elif w.busy and time.monotonic() >= w.deadline:
            left, solo = w.paths, w.solo
            self._restart(i)
            if solo:
                yield Outcome.of(timeout_entry(left[0], self.limit))
            else:
                self.alone.extend(left)

    def _replace_dead(self, i: int) -> Iterator[Outcome]:
        w = self.workers[i]
        if w.busy and w.solo:
            entry = WorkerCrashed(f"the worker process died (exit code {w.proc.exitcode}) on this document, "
                                  "perhaps out of memory; try it alone with the setting workers=1").entry(w.paths[0])
            entry.sha256 = file_sha256(w.paths[0])
            yield Outcome.of(entry)
        elif w.busy:
            self.alone.extend(w.paths)  # which one was at fault shows when each is done alone
        elif not w.ready:
            self.deaths_before_ready += 1
            if self.deaths_before_ready > 2 * self.n:
                raise RunError("worker processes keep dying before the model is loaded "
                               f"(last exit code {w.proc.exitcode})")
        self._restart(i)

    def _restart(self, i: int) -> None:
        self.workers[i].kill()
        self.workers[i] = _Worker(self.ctx, self.settings)

    def _stop(self) -> None:
        for w in self.workers:
            if w.idle:
                with contextlib.suppress(OSError):
                    w.conn.send(None)  # idle: let it exit on its own
            elif w.proc.is_alive():
                w.proc.kill()  # busy or still loading (the run stopped early): no point waiting
        for w in self.workers:
            w.proc.join(5)
            w.kill()
