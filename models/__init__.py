"""Pydantic records of ua-extract: the schema other systems rely on, and the views of a record
(``record_html``, ``record_view``, ``agreement_html``, ``html_text``; colours in ``FIELD_COLOURS``)."""
from models.display import FIELD_COLOURS, field_colour, visible
from models.html import agreement_html, html_text, legend_html, record_html, record_view
from models.io import errors_path, read_jsonl, read_results
from models.record import (
    SCHEMA_VERSION,
    ContainerPart,
    DateMention,
    ErrorCode,
    ErrorEntry,
    Evidence,
    Mention,
    Mentions,
    Recipient,
    Source,
    Subject,
    UrgentAction,
    error_json_schema,
    json_schema,
)

__all__ = [
    "FIELD_COLOURS",
    "SCHEMA_VERSION",
    "ContainerPart",
    "DateMention",
    "ErrorCode",
    "ErrorEntry",
    "Evidence",
    "Mention",
    "Mentions",
    "Recipient",
    "Source",
    "Subject",
    "UrgentAction",
    "agreement_html",
    "error_json_schema",
    "errors_path",
    "field_colour",
    "html_text",
    "json_schema",
    "legend_html",
    "read_jsonl",
    "read_results",
    "record_html",
    "record_view",
    "visible",
]
