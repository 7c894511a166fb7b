"""Text folding and the shipped JSON data: the one definition every module uses.

Two kinds of folding, because offsets matter in one place and not in the other:

* :func:`fold` strips accents character by character and keeps the length, so an offset in the
  folded text is an offset in the original (pattern matching over document text relies on this).
* :func:`fold_key` is for comparing names and values: compatibility-decomposed (``ﬁ`` -> ``fi``),
  accents stripped, case-folded, whitespace collapsed; optionally punctuation dropped as well.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from importlib.resources import files
from typing import Any

__all__ = ["fold", "fold_key", "load_json", "word_alternation"]

# what comparison keys keep besides word characters: '@' and '.' (emails), '+' (E.164 numbers)
_PUNCTUATION = re.compile(r"[^\w@+.]+")
# str.translate looks every character up, ASCII too; a text's few non-ASCII characters are found in one
# regex pass and only they are looked up (five to eight times faster on a UA)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def load_json(name: str) -> Any:
    """Read a JSON data file shipped in ``extractor/data`` (works from a wheel too)."""
    return json.loads(files("extractor.data").joinpath(name).read_text(encoding="utf-8"))


def fold(text: str) -> str:
    """Strip accents character by character, keeping the length (offsets stay valid)."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: _FOLDED[ord(m.group())], text)


class _FoldTable(dict[int, str]):
    """Each non-ASCII character without its accent, filled on first sight of the character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        stripped = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        self[code] = folded = stripped if len(stripped) == 1 else ch
        return folded


_FOLDED = _FoldTable()


class _MarksByChar(dict[str, str]):
    """A non-ASCII character without its combining mark: '' for a mark, the character otherwise."""

    def __missing__(self, ch: str) -> str:
        self[ch] = kept = "" if unicodedata.combining(ch) else ch
        return kept


_NO_MARKS_STR = _MarksByChar()


def fold_key(text: str, *, drop_punctuation: bool = False) -> str:
    """A key for comparing two strings: 'Kémal  YAKLAV' and 'kemal yaklav' have the same key.
    With ``drop_punctuation`` every run of characters other than letters, digits, '_', '@', '+'
    and '.' becomes one space (the scorer's rule)."""
    s = unicodedata.normalize("NFKD", str(text))
    if not s.isascii():
        s = _NON_ASCII.sub(lambda m: _NO_MARKS_STR[m.group()], s)
    s = s.casefold()
    if drop_punctuation:
        s = _PUNCTUATION.sub(" ", s)
    return " ".join(s.split())


def word_alternation(words: Iterable[str], *, space: str = r"\s+") -> str:
    """One regex group matching any of ``words``, longest first, factorised as a trie
    ('mar(?:s|zo)?' rather than 'marzo|mars|mar'). Python's regex engine tries every branch of a
    flat alternation at every position, so a list of a hundred words costs a hundred tries per
    character; the trie costs one per letter. A space in a word matches ``space``."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return "(?:" + _trie_source(trie, space) + ")"


def _trie_source(node: dict[str, dict], space: str) -> str:  # type: ignore[type-arg]
    # At every node the longer continuations come first and the word ending here last (a greedy
    # '?'), so the longest word that lets the rest of the pattern match wins, as with a flat
    # alternation sorted longest first.
    alts = [(space if ch == " " else re.escape(ch)) + _trie_source(node[ch], space) for ch in sorted(node) if ch]
    if not alts:
        return ""
    if len(alts) > 1:
        body = "(?:" + "|".join(alts) + ")"
    elif "" in node and not re.fullmatch(r"\\?.", alts[0]):
        body = f"(?:{alts[0]})"  # a group, so the '?' below applies to all of it
    else:
        body = alts[0]
    return body + "?" if "" in node else body
