"""Pydantic records of ua-extract: the schema other systems rely on."""
from models.record import (
    SCHEMA_VERSION,
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
    "SCHEMA_VERSION",
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
    "error_json_schema",
    "json_schema",
]
