"""The worker pool's fork server (Linux): a process that imports the pipeline and loads the model once
(``preload.py``), from which every worker is forked with the model already in memory.

``start`` is cheap to import and returns at once: the server's imports and model load run in their own
process, so the command line starts it as soon as it knows a run will use workers, and that second of
start-up overlaps the parent's own imports and its walk of the inputs instead of following them.
Only the standard library and ``preload`` (itself light until the server runs it) are imported here.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import sys
from collections.abc import Iterator
from typing import Any

from extractor.batch import preload
from extractor.settings import Settings

__all__ = ["context", "sigint_blocked", "start"]


@contextlib.contextmanager
def sigint_blocked() -> Iterator[None]:
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


def context(settings: Settings) -> Any:
    """The fork server context with the model preloaded where forking is safe and shares memory
    (Linux); spawn elsewhere (macOS' system libraries do not survive a fork, Windows has none)."""
    if not sys.platform.startswith("linux") or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["extractor.batch.preload"])
    # The server starts once per process, with the environment of that moment: the pipeline to load,
    # and one OpenBLAS thread (so it has no thread pool to fork). A server already running (started
    # early by ``start``, or by an earlier pool in this process) is kept; workers whose settings differ
    # from its preload load their own.
    env = {preload.ENV: preload.spec(settings.model, settings.rules_only),
           "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "1")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with sigint_blocked():
            multiprocessing.forkserver.ensure_running()  # returns once the server is spawned, before its preload
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return ctx


def start(settings: Settings) -> None:
    """Start the fork server now (where there is one) so it is loading while this process goes on."""
    context(settings)
