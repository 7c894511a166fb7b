"""Text folding and the shipped JSON data: the one definition every module uses.

Two kinds of folding, because offsets matter in one place and not in the other:

* :func:`fold` strips accents character by character and keeps the length, so an offset in the
  folded text is an offset in the original (pattern matching over document text relies on this).
* :func:`fold_key` is for comparing names and values: compatibility-decomposed (``ﬁ`` -> ``fi``),
  accents stripped, case-folded, whitespace collapsed; optionally punctuation dropped as well.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from importlib.resources import files
from typing import Any

__all__ = ["fold", "fold_key", "load_json"]

# what comparison keys keep besides word characters: '@' and '.' (emails), '+' (E.164 numbers)
_PUNCTUATION = re.compile(r"[^\w@+.]+")


def load_json(name: str) -> Any:
    """Read a JSON data file shipped in ``extractor/data`` (works from a wheel too)."""
    return json.loads(files("extractor.data").joinpath(name).read_text(encoding="utf-8"))


def fold(text: str) -> str:
    """Strip accents character by character, keeping the length (offsets stay valid)."""
    if text.isascii():
        return text
    return "".join(map(_fold_char, text))


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return stripped if len(stripped) == 1 else ch


def fold_key(text: str, *, drop_punctuation: bool = False) -> str:
    """A key for comparing two strings: 'Kémal  YAKLAV' and 'kemal yaklav' have the same key.
    With ``drop_punctuation`` every run of characters other than letters, digits, '_', '@', '+'
    and '.' becomes one space (the scorer's rule)."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    if drop_punctuation:
        s = _PUNCTUATION.sub(" ", s)
    return " ".join(s.split())
