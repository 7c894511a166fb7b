"""ua-extract: Amnesty International Urgent Action documents to validated, traceable records.

    >>> import extractor
    >>> record = extractor.extract("samples/ua-057-16-eur4636432016.txt")
    >>> record.ua_number
    '57/16'

The public surface is ``extract``, ``extract_parts`` (one record per UA of a digest or mbox),
``extract_text`` and ``extract_many``; for an analyst checking
records, ``read`` (a file's text and page/box map), ``locate_source`` / ``read_source`` /
``document_text`` (a record's source, found wherever the records are read: ``extractor.sources``),
``gold_for`` / ``gold_files`` / ``judge`` / ``score_records`` (a record against its gold file: ``extractor.evaluate``) and
``record_verdicts`` / ``verdicts_to_gold`` / ``write_gold`` (a reviewer's verdicts as a gold file: ``extractor.review``) and
``page_pngs`` (a source PDF's pages with the evidence boxed and a legend).
They are imported on first use, so commands that never run the pipeline do not load spaCy.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractor.errors import ExtractionError
from extractor.settings import Limits, Settings
from extractor.version import __version__

if TYPE_CHECKING:
    from extractor.api import extract, extract_many, extract_parts, extract_text
    from extractor.document import Document
    from extractor.evaluate import Judgement, Report, gold_files, gold_for, judge, score_records
    from extractor.review import record_verdicts, verdicts_to_gold, write_gold
    from extractor.show import page_pngs
    from extractor.sources import SourceChanged, SourceNotFound, document_text, locate_source, read, read_source

# name -> the module that defines it, imported on first use
_LAZY = {
    "extract": "api", "extract_many": "api", "extract_parts": "api", "extract_text": "api",
    "Document": "document",
    "read": "sources", "locate_source": "sources", "read_source": "sources", "document_text": "sources",
    "SourceNotFound": "sources", "SourceChanged": "sources",
    "Judgement": "evaluate", "Report": "evaluate", "gold_for": "evaluate", "judge": "evaluate",
    "score_records": "evaluate", "gold_files": "evaluate",
    "verdicts_to_gold": "review", "write_gold": "review", "record_verdicts": "review",
    "page_pngs": "show",
}

__all__ = ["Document", "ExtractionError", "Judgement", "Limits", "Report", "Settings", "SourceChanged", "SourceNotFound",
           "__version__", "document_text", "extract", "extract_many", "extract_parts", "extract_text", "gold_files", "gold_for",
           "judge", "locate_source", "page_pngs", "read", "read_source", "record_verdicts", "score_records",
           "verdicts_to_gold", "write_gold"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"extractor.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")
