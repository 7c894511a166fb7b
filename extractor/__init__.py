"""ua-extract: Amnesty International Urgent Action documents to validated, traceable records.

    >>> import extractor
    >>> record = extractor.extract("samples/ua-057-16-eur4636432016.txt")
    >>> record.ua_number
    '57/16'
"""
from extractor.api import extract, extract_many, extract_text
from extractor.errors import ExtractionError
from extractor.settings import Limits, Settings

__all__ = ["ExtractionError", "Limits", "Settings", "extract", "extract_many", "extract_text"]
