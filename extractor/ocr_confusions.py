"""Characters an OCR engine or a typist confuses, read as what they stand for in the rules' view of
the text: 'l' or 'I' beside a digit is a 1 ('AMR 29/l2/88', 'l4 de abril de l988', 'UA 3l/79'), an 'O'
inside a number is a 0 ('l9O5'), 'ln' opening a word is 'In' ('lndex', 'lnterior'), a lower-case
'l' inside a word in capitals is an 'I' ('MENDlBURU'), and a month's name with a 1 for its 'l' or a 0
for its 'o' is that month ('Apri1', 'Ju1y', '0ctober').

Every repair keeps the text's length, so offsets hold in the document's own text, which is what the
record's evidence shows. Text without such confusions comes back unchanged (the same object).
"""
from __future__ import annotations

import re

from extractor.normalise.dates import is_month_word

__all__ = ["repair", "repaired_count"]

# a run of digits, the letters confused with them and a number's separators, not inside a word
_NUMBER_RUN = re.compile(r"(?<![^\W\d_])[0-9lIO][0-9lIO/.\-]*(?![^\W\d_])")
_LN_WORD = re.compile(r"(?<![^\W\d_])ln(?=[a-zà-ÿ])")
_CAPS_WITH_L = re.compile(r"(?<![^\W\d_])(?=[A-ZÀ-Þl]{4,}(?![^\W\d_]))[A-ZÀ-Þ]*l[A-ZÀ-Þl]*(?![^\W\d_])")
_WORD_WITH_DIGIT = re.compile(r"(?<![^\W_])(?=\w*[^\W\d_]{2})[^\W\d_]*[01][^\W\d_01]*[01]?[^\W\d_]*(?![^\W_])")
_SUSPECTS = re.compile(r"[lIO]\d|\d[lIO]|(?<![^\W\d_])ln[a-zà-ÿ]|[A-ZÀ-Þ]{2}l|l[A-ZÀ-Þ]{2}|[^\W\d_][01]|[01][^\W\d_]")


def _number(m: re.Match[str]) -> str:
    run = m.group(0)
    if not any(c.isdigit() for c in run):
        return run
    out = list(run)
    for i, c in enumerate(run):
        left = run[i - 1] if i else ""
        right = run[i + 1] if i + 1 < len(run) else ""
        if c in "lI" and (left.isdigit() or right.isdigit()):
            out[i] = "1"
        elif c == "O" and left.isdigit() and right.isdigit():
            out[i] = "0"  # only inside a number: '3O April' alone may be an ordinal 'o' ('1O de mayo')
    return "".join(out)


def _month(m: re.Match[str]) -> str:
    word = m.group(0)
    capitals = all(c.isupper() for c in word if c.isalpha())
    letters = word.replace("1", "L" if capitals else "l").replace("0", "O" if capitals else "o")
    if word[:1] == "0":
        letters = "O" + letters[1:]  # '0ctober'
    return letters if is_month_word(letters) else word


def repair(text: str) -> str:
    """``text`` with the confusions above read as the characters they stand for; same length."""
    if not _SUSPECTS.search(text):
        return text
    out = _NUMBER_RUN.sub(_number, text)
    out = _WORD_WITH_DIGIT.sub(_month, out)
    out = _LN_WORD.sub("In", out)
    out = _CAPS_WITH_L.sub(lambda m: m.group(0).replace("l", "I"), out)
    return text if out == text else out


def repaired_count(original: str, read: str) -> int:
    """How many letters or digits the reading view reads differently from the document."""
    if original == read:
        return 0
    return sum(1 for a, b in zip(original, read, strict=False) if a != b and b.isalnum())
