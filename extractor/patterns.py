"""Patterns are data: regular expressions kept in JSON beside the recognisers, compiled once."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Pattern:
    id: str
    regex: re.Pattern[str]
    score: float
    meta: dict[str, Any]


@cache
def load_patterns(name: str) -> dict[str, list[Pattern]]:
    """``recognisers/patterns/<name>.json``: {group: [{"id", "pattern", "score", ...meta}]}.

    Patterns are compiled case-insensitively unless they set "case": true, and verbose mode is
    never used so a pattern reads exactly like the text it matches. ``<<NAME>>`` expands a shared
    fragment from the file's "_macros" (the UA number shape, the date shape...).
    """
    raw = json.loads(resources.files("extractor.recognisers").joinpath("patterns", f"{name}.json").read_text("utf-8"))
    macros: dict[str, str] = raw.get("_macros", {})
    out: dict[str, list[Pattern]] = {}
    for group, items in raw.items():
        if group.startswith("_"):
            continue  # "_comment" keys document the file
        pats = []
        for item in items:
            flags = re.MULTILINE | (0 if item.get("case") else re.IGNORECASE)
            meta = {k: v for k, v in item.items() if k not in ("id", "pattern", "score", "case")}
            source = re.sub(r"<<(\w+)>>", lambda m: macros[m.group(1)], item["pattern"])
            pats.append(Pattern(item["id"], re.compile(source, flags), float(item.get("score", 1.0)), meta))
        out[group] = pats
    return out


@cache
def load_words(name: str) -> dict[str, Any]:
    """Word lists (honorifics, keywords...) kept as data beside the patterns."""
    return json.loads(resources.files("extractor.recognisers").joinpath("patterns", f"{name}.json").read_text("utf-8"))
