"""Document language by counting function words that belong to one language only: en, es and fr
(the languages the rules read), and de, sv, pt, it and nl so that such texts are told apart.

Counting runs over the whole text: pages mix in site chrome in another language, and the
language with most function-word hits wins. Deterministic: ties go to en, then es, then fr.
"""
from __future__ import annotations

import re
from functools import cache

from extractor.text_helpers import fold, load_json

__all__ = ["RULE_LANGUAGES", "detect_language"]

_LANGUAGES = ("en", "es", "fr", "de", "sv", "pt", "it", "nl")
RULE_LANGUAGES = ("en", "es", "fr")  # the languages the patterns and word lists are written for
_MIN_HITS = 3  # fewer function words than this is not evidence of anything: "und"
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _stopwords() -> dict[str, str]:
    """Folded word -> language. The data file's lists are disjoint (a test checks it)."""
    raw = load_json("stopwords.json")
    return {fold(w).casefold(): lang for lang in _LANGUAGES for w in raw.get(lang, [])}


def detect_language(text: str) -> tuple[str, float]:
    """("en" | "es" | "fr" | "und", confidence). Confidence is the winner's share of all
    function-word hits, rounded to 3 places; "und" (with 0.0) when there are too few hits."""
    table = _stopwords()
    counts = dict.fromkeys(_LANGUAGES, 0)
    for word in _WORD.findall(fold(text or "").casefold()):
        lang = table.get(word)
        if lang is not None:
            counts[lang] += 1
    total = sum(counts.values())
    if total < _MIN_HITS:
        return "und", 0.0
    best = max(_LANGUAGES, key=lambda lang: counts[lang])  # max() keeps the first on ties
    return best, round(counts[best] / total, 3)
