"""ua-extract: Amnesty International Urgent Action documents to validated, traceable records.

    >>> import extractor
    >>> record = extractor.extract("samples/ua-057-16-eur4636432016.txt")
    >>> record.ua_number
    '57/16'

The public surface is ``extract``, ``extract_text`` and ``extract_many``; they are imported on
first use, so commands that never run the pipeline (``schema``, ``export``) do not load spaCy.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractor.errors import ExtractionError
from extractor.settings import Limits, Settings
from extractor.version import __version__

if TYPE_CHECKING:
    from extractor.api import extract, extract_many, extract_text

__all__ = ["ExtractionError", "Limits", "Settings", "__version__", "extract", "extract_many", "extract_text"]


def __getattr__(name: str) -> Any:
    if name in ("extract", "extract_many", "extract_text"):
        from extractor import api

        return getattr(api, name)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")
