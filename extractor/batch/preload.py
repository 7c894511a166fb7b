"""Imported by the worker pool's fork server (``pool.py``) before it forks any worker: it loads the
pipeline named in the environment (UA_EXTRACT_PRELOAD, set by the pool for the server alone), so
every worker forked from the server starts with the model already in memory, its pages shared
copy-on-write, instead of loading a copy of its own.

Only an optimisation: a worker whose settings name another pipeline (or whose server could not load
this one) loads its own, and a load that fails is reported by the worker, as without a fork server.
"""
from __future__ import annotations

import gc
import json
import os

ENV = "UA_EXTRACT_PRELOAD"

#: (model, rules_only) of the pipeline this process loaded here, or None.
loaded: tuple[str, bool] | None = None


def spec(model: str, rules_only: bool) -> str:
    return json.dumps([model, rules_only])


def _preload() -> None:
    global loaded
    raw = os.environ.get(ENV)
    if not raw:
        return
    try:
        model, rules_only = json.loads(raw)
        from extractor.nlp import load_pipeline

        load_pipeline(model, bool(rules_only))
    except Exception:  # noqa: BLE001 - the workers load it themselves and report what fails
        return
    loaded = (model, bool(rules_only))
    gc.freeze()  # the collector never walks (so never writes to) what the workers share


_preload()
