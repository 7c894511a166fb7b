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


#: One short invented UA per rule language: reading them builds every lazily compiled pattern.
WARM_UP = (
    ("UA 1/24 Index: AFR 00/0001/2024 Nowhere Date: 2 January 2024\nURGENT ACTION\nJane Roe (f) was arrested on "
    "1 January.\nPLEASE SEND APPEALS BEFORE 3 FEBRUARY 2024 TO:\nMinister of Justice\nJohn Doe\n1 Main Street\n"
    "Fax: +1 202 555 0100\nEmail: minister@example.org\nSalutation: Dear Minister\n"),
    ("AU 1/24 Índice AI: AMR 00/0001/2024 Fecha: 2 de enero de 2024\nACCIÓN URGENTE\nLa defensora Ana Pérez fue "
    "detenida el 1 de enero.\nENVÍEN LLAMAMIENTOS ANTES DEL 3 DE FEBRERO DE 2024 A:\nFiscal General\nJuan Gómez\n"
    "Tratamiento: Señor Fiscal\n"),
    ("AU 1/24 Index AI : EUR 00/0001/2024 Date : 2 janvier 2024\nACTION URGENTE\nLe militant Paul Martin a été "
    "arrêté le 1er janvier.\nENVOYEZ VOS APPELS AVANT LE 3 FÉVRIER 2024 À :\nMinistre de la Justice\nJean Dupont\n"
    "Formule d'appel : Monsieur le Ministre,\n"),
)


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

        pipeline = load_pipeline(model, bool(rules_only))
        for text in WARM_UP:  # compiles the patterns and word tables each language reads, once for all workers
            pipeline.nlp(text)
    except Exception:  # noqa: BLE001 - the workers load it themselves and report what fails
        return
    loaded = (model, bool(rules_only))
    gc.freeze()  # the collector never walks (so never writes to) what the workers share


_preload()
