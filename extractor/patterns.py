"""Patterns are data: regular expressions and word lists kept in JSON beside the recognisers,
checked against a schema and compiled once per process.

A pattern file is ``{group: [entry, ...]}`` plus ``_comment``/``_macros`` keys; every entry is a
``PatternSpec``. Unknown keys, duplicate ids, scores outside [0, 1] and patterns that do not
compile are refused when the file loads (``PatternFileError``), so a typo in data fails the tests
instead of silently matching nothing.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extractor.prefilter import Needs, first_char_guard, line_heads, may_match, needed_literals, scan_line_heads

SectionKind = Literal["case", "addressees", "copies", "action", "background", "letter", "chrome", "other"]


class PatternFileError(ValueError):
    """A pattern or word-list file that does not match its schema."""


class PatternSpec(BaseModel):
    """One entry of a pattern file. The optional keys are the only metadata a recogniser reads."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z_]+(?:\.[a-z0-9_]+)+$")
    pattern: str = Field(min_length=1)
    score: float = Field(default=1.0, ge=0.0, le=1.0)
    case: bool = False  # match case-sensitively
    # metadata read by recognisers
    role: Literal["own", "mention", "addressee", "copy"] | None = None
    section: SectionKind | None = None
    then: SectionKind | None = None  # a heading that is its own section: the kind of what follows it
    field: str | None = None
    kind: str | None = None
    max_line: int | None = Field(default=None, ge=1)
    ordinal_is_update: bool | None = None
    languages: tuple[str, ...] | None = None
    brackets_ok: bool | None = None  # a code the document gives itself in brackets ('cette action urgente (AU 38/19')


@dataclass(frozen=True)
class Pattern:
    id: str
    regex: re.Pattern[str]
    score: float
    meta: dict[str, Any]
    needs: Needs = None  # literals one of which every match needs (``extractor.prefilter``)
    heads: re.Pattern[str] | None = None  # a line-anchored pattern's newline search (``line_heads``)

    def scan(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        """``regex.finditer(text)``, at no cost when ``folded`` (``fold_for_needs(text)``) lacks
        every literal the pattern needs, and from line start to line start when it starts with '^'."""
        if not may_match(self.needs, folded):
            return iter(())
        return self.regex.finditer(text) if self.heads is None else scan_line_heads(self.regex, self.heads, text)


_FILE_KEYS = ("_comment", "_macros")


def _data(name: str) -> Any:
    return json.loads(resources.files("extractor.recognisers").joinpath("patterns", f"{name}.json").read_text("utf-8"))


def _compile(spec: PatternSpec, macros: dict[str, str], where: str) -> Pattern:
    source = re.sub(r"<<(\w+)>>", lambda m: macros[m.group(1)], spec.pattern)
    flags = re.MULTILINE | (0 if spec.case else re.IGNORECASE)
    try:
        regex = re.compile(source, flags)
    except (re.error, KeyError) as exc:
        raise PatternFileError(f"{where}: pattern {spec.id!r} does not compile: {exc}") from exc
    meta = spec.model_dump(exclude={"id", "pattern", "score", "case"}, exclude_none=True)
    return Pattern(spec.id, first_char_guard(regex), spec.score, meta, needed_literals(regex), line_heads(regex))


@cache
def load_patterns(name: str) -> dict[str, list[Pattern]]:
    """``recognisers/patterns/<name>.json``, checked and compiled. Patterns are compiled
    case-insensitively unless they set "case": true, and verbose mode is never used, so a pattern
    reads exactly like the text it matches. ``<<NAME>>`` expands a shared fragment from the file's
    "_macros" (the UA number shape, the date shape...)."""
    raw = _data(name)
    where = f"patterns/{name}.json"
    macros: dict[str, str] = raw.get("_macros", {})
    out: dict[str, list[Pattern]] = {}
    seen: set[str] = set()
    for group, items in raw.items():
        if group in _FILE_KEYS:
            continue
        if not isinstance(items, list):
            raise PatternFileError(f"{where}: group {group!r} must be a list of patterns")
        pats = []
        for item in items:
            try:
                spec = PatternSpec.model_validate(item)
            except ValidationError as exc:
                raise PatternFileError(f"{where}: group {group!r}: {exc}") from exc
            if spec.id in seen:
                raise PatternFileError(f"{where}: pattern id {spec.id!r} is used twice")
            seen.add(spec.id)
            pats.append(_compile(spec, macros, where))
        out[group] = pats
    return out


@cache
def load_words(name: str) -> dict[str, Any]:
    """Word lists (honorifics, keywords...) kept as data beside the patterns: every list holds
    lower-case strings, none twice."""
    raw = _data(name)
    where = f"patterns/{name}.json"
    for key, words in raw.items():
        if key.startswith("_") or not isinstance(words, list):
            continue
        bad = [w for w in words if not isinstance(w, str) or not w or w != w.lower()]
        if bad:
            raise PatternFileError(f"{where}: list {key!r} must hold lower-case words; not {bad[:3]}")
        dupes = sorted({w for w in words if words.count(w) > 1})
        if dupes:
            raise PatternFileError(f"{where}: list {key!r} repeats {dupes[:3]}")
    return raw  # type: ignore[no-any-return]
