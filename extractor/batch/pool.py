"""A pool of spawned worker processes on this machine. Each loads the model once and takes one path
at a time (paths travel, never file contents). A worker over the time limit is killed (its document
becomes a ``timeout`` line) and replaced, as is one that dies (``worker_crashed``); the batch goes on.

Workers never see Ctrl-C (SIGINT is blocked while they start and ignored after): the parent
handles it, stops them and leaves resumable output. A worker whose parent is gone exits quietly.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

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
    try:
        model = load_pipeline(settings.model, settings.rules_only).model
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops the run
        conn.send(("init_error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", model))
    while (path := conn.recv()) is not None:
        conn.send(("done", Outcome.of(process(path, settings))))


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """A child inherits the signal mask across exec, so a Ctrl-C while it imports cannot print a
    KeyboardInterrupt traceback from it; the parent gets the signal once the mask is restored."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class _Worker:
    def __init__(self, ctx: Any, settings: Settings) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, settings), daemon=True, name="ua-extract-worker")
        with _sigint_blocked():
            self.proc.start()
        child.close()
        self.ready = False
        self.path: str | None = None  # the document it is working on
        self.deadline = NEVER

    @property
    def idle(self) -> bool:
        return self.ready and self.path is None

    def give(self, path: str, limit: float) -> None:
        self.conn.send(path)
        self.path = path
        self.deadline = time.monotonic() + limit if limit > 0 else NEVER

    def receive(self) -> Iterator[Outcome]:
        """Every message waiting, each outcome as it is read; EOFError or OSError when the worker is gone."""
        while self.conn.poll():
            kind, value = self.conn.recv()
            if kind == "init_error":
                raise RunError(f"a worker could not load the model: {value}")
            if kind == "ready":
                self.ready = True
            else:
                self.path, self.deadline = None, NEVER
                yield value

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class Pool:
    def __init__(self, settings: Settings, n: int) -> None:
        self.ctx = multiprocessing.get_context("spawn")  # no fork of a process with threads; same on every OS
        self.settings, self.n = settings, n
        self.limit = settings.limits.seconds_per_document
        self.workers: list[_Worker] = []
        self.exhausted = False
        self.deaths_before_ready = 0

    def outcomes(self, paths: Iterator[str]) -> Iterator[Outcome]:
        """Outcomes as documents finish, until every path is done."""
        self.workers = [_Worker(self.ctx, self.settings) for _ in range(self.n)]
        try:
            while self._feed(paths) or any(w.path is not None for w in self.workers):
                self._wait()
                for i in range(len(self.workers)):
                    yield from self._service(i)
        finally:
            self._stop()

    def _feed(self, paths: Iterator[str]) -> bool:
        """A path for each idle worker; False once the paths are used up."""
        for w in self.workers:
            if self.exhausted:
                break
            if w.idle:
                path = next(paths, None)
                if path is None:
                    self.exhausted = True
                else:
                    w.give(path, self.limit)
        return not self.exhausted

    def _wait(self) -> None:
        """Until a worker says something or dies, or the soonest deadline passes."""
        soonest = min(w.deadline for w in self.workers)
        timeout = None if soonest == NEVER else max(0.0, soonest - time.monotonic())
        wait([w.conn for w in self.workers] + [w.proc.sentinel for w in self.workers], timeout)

    def _service(self, i: int) -> Iterator[Outcome]:
        w = self.workers[i]
        try:
            yield from w.receive()
            alive = w.proc.is_alive()
        except (EOFError, OSError):
            alive = False
        if not alive:
            yield from self._replace_dead(i)
        elif w.path is not None and time.monotonic() >= w.deadline:
            path = w.path
            self._restart(i)
            yield Outcome.of(timeout_entry(path, self.limit))

    def _replace_dead(self, i: int) -> Iterator[Outcome]:
        w = self.workers[i]
        if w.path is not None:
            entry = WorkerCrashed(f"the worker process died (exit code {w.proc.exitcode}) on this document, "
                                  "perhaps out of memory; try it alone with the setting workers=1").entry(w.path)
            entry.sha256 = file_sha256(w.path)
            yield Outcome.of(entry)
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
