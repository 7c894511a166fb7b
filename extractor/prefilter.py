"""What a regex needs before it is worth running: literal strings, one of which is in every text it
matches in (after RE2's FilteredRE2 and Hyperscan's literal prefilters).

A recogniser scans the whole text with dozens of patterns, and most find nothing in a given UA ("Fecha
límite", "EXTRA 12/96", "Further information on"). Python's engine pays for each of them at every
position. A substring test on the case-folded text costs almost nothing, so a pattern whose literals are
all absent is skipped; one whose literal is present runs as before. The literals are read off the
pattern's own parse tree, so they follow the patterns files with no list to keep up to date.

The test may only say "cannot match" when that is certain: anything not understood means no prefilter.

The same parse tree gives the characters a match can start with (``first_char_guard``): a look-ahead
for them in front of the pattern lets the engine drop most positions with one character-class test,
where it would otherwise try every branch of the pattern's head ('\\b(?:first|second|...)', an optional
'(?:this\\s+)?' before 'urgent action'). The engine does this itself only for a case-sensitive pattern
that starts with a literal or a class, and a pattern that starts so needs no guard anyway.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from re import _constants as C  # type: ignore[attr-defined]  # the stdlib parser's own opcodes
from re import _parser  # type: ignore[attr-defined]  # private: any failure means "no prefilter"
from typing import Any, cast

__all__ = ["Needs", "TailAnchored", "first_char_guard", "fold_for_needs", "line_heads", "may_match", "needed_literals",
           "scan_line_heads"]

MIN_LITERAL = 3  # shorter literals ("of", "/") are in every text: no use as a filter
MAX_ALTERNATIVES = 64

#: One of these strings (case-folded) is in every text the pattern matches in; None: no such set known.
Needs = tuple[str, ...] | None

_Req = tuple[frozenset[str] | None, bool]  # (one of these strings is in the match or beside it, exactly one and nothing else)
_ANYTHING: _Req = (None, False)
_EMPTY: _Req = (frozenset({""}), True)  # zero-width: anchors, negative look-arounds

# re.IGNORECASE matches these to ASCII letters, where str.casefold does not ('ı' with 'i').
_CASE_EXTRAS = str.maketrans({"ı": "i", "\u0307": None})


def fold_for_needs(text: str) -> str:
    """The text as the needed literals are looked up in."""
    folded = text.casefold()
    if "ı" in folded or "\u0307" in folded:  # translate costs a lookup per character: only when needed
        folded = folded.translate(_CASE_EXTRAS)
    return folded


def needed_literals(regex: re.Pattern[str]) -> Needs:
    """Literals of ``regex`` one of which every match needs (in the match or a look-around), or None."""
    try:
        needs, _ = _sequence(_parser.parse(regex.pattern, regex.flags))
    except Exception:  # noqa: BLE001 - a parse tree this does not understand: no prefilter, never a wrong one
        return None
    if not needs or min(map(len, needs)) < MIN_LITERAL:
        return None
    return tuple(sorted(n for n in needs if not any(o != n and o in n for o in needs)))  # 'urgent' covers 'urgente'


def may_match(needs: Needs, folded: str) -> bool:
    if needs is None:
        return True
    for n in needs:  # a plain loop: a generator's frame cost more than the substring tests
        if n in folded:
            return True
    return False


def _sequence(items: Iterable[tuple[object, object]]) -> _Req:
    """A concatenation: the best requirement among its parts; exact runs are joined ('send', 'appeals')."""
    best: frozenset[str] | None = None
    run: frozenset[str] = frozenset({""})
    exact = True
    for req, is_exact in (_node(op, av) for op, av in items):
        if is_exact and req is not None and len(run) * len(req) <= MAX_ALTERNATIVES:
            run = frozenset(a + b for a in run for b in req)
            continue
        best = _better(best, run)
        exact = False
        run = req if is_exact and req is not None else frozenset({""})
        if not is_exact:
            best = _better(best, req)
    if exact:
        return run, True
    return _better(best, run), False


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    def quality(s: frozenset[str] | None) -> tuple[int, int]:
        return (min(map(len, s)), -len(s)) if s else (0, 0)
    return a if quality(a) >= quality(b) else b


def _node(op: object, av: object) -> _Req:
    if op is C.LITERAL:
        return frozenset({fold_for_needs(chr(av))}), True  # type: ignore[arg-type]
    if op is C.IN:
        chars = [fold_for_needs(chr(v)) for o, v in av if o is C.LITERAL]  # type: ignore[attr-defined]
        if len(chars) == len(av) and chars:  # type: ignore[arg-type]  # '[’\']', '[ée]': a few letters
            return frozenset(chars), True
        return _ANYTHING
    if op is C.SUBPATTERN:
        return _sequence(av[-1])  # type: ignore[index]
    if op is C.ATOMIC_GROUP:
        return _sequence(av)  # type: ignore[arg-type]
    if op is C.BRANCH:
        parts = [_sequence(branch) for branch in av[1]]  # type: ignore[index]
        if any(req is None for req, _ in parts):
            return _ANYTHING
        union = frozenset().union(*(req for req, _ in parts if req is not None))
        return (union, all(exact for _, exact in parts)) if len(union) <= MAX_ALTERNATIVES else _ANYTHING
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        low, high, body = cast("tuple[int, int, Any]", av)
        if low == 0:
            return _ANYTHING
        req, exact = _sequence(body)
        return req, exact and low == high == 1
    if op is C.ASSERT:  # a look-ahead or look-behind reads the text too, outside the match
        req, _ = _sequence(av[1])  # type: ignore[index]
        return req, False
    if op in (C.AT, C.ASSERT_NOT):
        return _EMPTY
    return _ANYTHING


# A set of first characters: literal code points and (low, high) ranges; None: any character.
_Firsts = list[int | tuple[int, int]] | None
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None))


def first_char_guard(regex: re.Pattern[str]) -> re.Pattern[str]:
    """``regex`` with a look-ahead for the characters every match starts with, or ``regex`` itself
    when that set is unknown (any character, an empty match possible) or the engine already skips
    ahead to it. Same matches, same groups; the guard's class is case-insensitive whenever any part of
    the pattern is, so it can only let more positions through, never fewer."""
    try:
        tree = _parser.parse(regex.pattern, regex.flags)
        firsts, nullable = _seq_firsts(tree.data)
    except Exception:  # noqa: BLE001 - a parse tree this does not understand: no guard
        return regex
    if firsts is None or nullable or not firsts:
        return regex
    ignore_case = bool(regex.flags & re.IGNORECASE) or "(?i" in regex.pattern
    head, arg = tree.data[0] if tree.data else (None, None)
    if head in (C.LITERAL, C.IN):
        return regex  # one test of the first character already: the engine's own (or its prefix search)
    if head is C.AT and arg in (C.AT_BEGINNING, C.AT_BEGINNING_LINE, C.AT_BEGINNING_STRING):
        return regex  # '^' already fails at once off a line start, cheaper than a class test
    items = "".join(re.escape(chr(f)) if isinstance(f, int) else f"{re.escape(chr(f[0]))}-{re.escape(chr(f[1]))}"
                    for f in dict.fromkeys(firsts))  # each once: the branches of 'first|second|...' repeat them
    guard = f"(?=(?i:[{items}]))" if ignore_case else f"(?=[{items}])"
    return re.compile(guard + regex.pattern, regex.flags)


def _seq_firsts(items: Iterable[tuple[object, object]]) -> tuple[_Firsts, bool]:
    """First characters of a sequence, and whether it can match the empty string."""
    out: list[int | tuple[int, int]] = []
    for op, av in items:
        firsts, nullable = _node_firsts(op, av)
        if firsts is None:
            return None, False
        out.extend(firsts)
        if not nullable:
            return out, False
    return out, True


def _node_firsts(op: object, av: Any) -> tuple[_Firsts, bool]:
    if op is C.LITERAL:
        return [av], False
    if op is C.IN:
        if any(o not in (C.LITERAL, C.RANGE) for o, _ in av):
            return None, False  # a negated class, a category (\\w, \\d): as good as any character
        return [v for _, v in av], False
    if op is C.SUBPATTERN:
        return _seq_firsts(av[-1])
    if op is C.ATOMIC_GROUP:
        return _seq_firsts(av)
    if op is C.BRANCH:
        out: list[int | tuple[int, int]] = []
        any_nullable = False
        for branch in av[1]:
            firsts, nullable = _seq_firsts(branch)
            if firsts is None:
                return None, False
            out.extend(firsts)
            any_nullable = any_nullable or nullable
        return out, any_nullable
    if op in _REPEATS:
        low, _high, body = av
        firsts, nullable = _seq_firsts(body)
        return firsts, nullable or low == 0
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return [], True  # zero-width: the match's first character comes after it
    return None, False  # any character, a back-reference, a conditional: unknown


def line_heads(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """For a multi-line pattern that starts with '^': the pattern with a newline in place of the '^',
    which the engine finds with its fast literal search; None for any other pattern. The engine tries
    '^' at every position of a text, which costs a line-anchored pattern four times this search."""
    if not regex.flags & re.MULTILINE or not regex.pattern.startswith("^"):
        return None
    try:
        head = _parser.parse(regex.pattern, regex.flags).data[0]
    except Exception:  # noqa: BLE001 - a parse tree this does not understand: scan as usual
        return None
    if head != (C.AT, C.AT_BEGINNING):  # the parser's "^"; MULTILINE makes it a line start when compiled
        return None  # '^a|b': the '^' belongs to one branch only
    return re.compile("\n" + regex.pattern[1:], regex.flags)


def scan_line_heads(regex: re.Pattern[str], heads: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``regex.finditer(text)`` for a pattern that starts with '^', found through ``line_heads(regex)``:
    each newline it finds is followed by a line where ``regex`` matches, read again at that line's start."""
    pos = 0
    first = regex.match(text, 0)
    if first:
        yield first
        pos = max(first.end(), 1)
    at = max(pos - 1, 0)  # the newline before a line that starts at pos or later
    while (c := heads.search(text, at)) is not None:
        m = regex.match(text, c.start() + 1)
        if m is None:  # cannot happen: the same pattern after the same '^'; never lose a line to it
            at = c.start() + 1
            continue
        yield m
        pos = m.end() if m.end() > m.start() else m.end() + 1
        at = max(pos - 1, c.start() + 1)


class TailAnchored:
    """A pattern whose every match ends with a match of a cheap ``tail`` ('..., the journalist',
    '... was arrested') and starts at most ``reach`` characters before that tail.

    A pattern that opens with a list of names costs a try at every capital letter of a text; the tail
    is a literal or a few words, found in one fast pass. The pattern then runs only in the stretch of
    ``reach`` characters that ends at each tail, in text order, so ``finditer`` yields what
    ``pattern.finditer`` would (a test compares the two on every corpus text)."""

    def __init__(self, pattern: re.Pattern[str], tail: re.Pattern[str], reach: int) -> None:
        self.pattern, self.tail, self.reach = pattern, first_char_guard(tail), reach

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
        end = len(text) if end is None else end
        pos = start
        for t in self.tail.finditer(text, start, end):
            while pos < t.end():
                m = self.pattern.search(text, max(pos, t.start() - self.reach), t.end())
                if not m:
                    break
                yield m
                pos = max(m.end(), m.start() + 1)
