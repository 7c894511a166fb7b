"""Saved web pages: HTML (sniffed by content, never by name) -> the page's main text.

The main text is found by readability-lxml (Mozilla Readability's scoring, on lxml): it drops the
navigation, cookie banners, footers, scripts and styles around the article, so that none of their
text can become a subject or a recipient. It was chosen by measurement on saved UA pages with
realistic chrome (``benchmarks/html_main_text.py``, figures in the README): it kept all of the UA's
text with the least chrome left, against trafilatura, jusText and selectolax.

The article's HTML is then turned into plain text with its line structure kept (addresses and
"Salutation:" lines are lines): a line break after every block element and ``<br>``, a blank line
after paragraphs, headings, lists and tables, runs of spaces collapsed outside ``<pre>``. Entities
are decoded by lxml. The page's first ``<h1>`` is put first when the article left it out (pages often
set the headline outside the article). Evidence offsets refer to this extracted text.
"""
from __future__ import annotations

import re
from typing import Any

from extractor.document import Document
from extractor.errors import EmptyInput
from extractor.ingest.text import decode

__all__ = ["html_text", "is_html", "read_html"]

_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html\b|html\b|head\b|body\b)", re.IGNORECASE)
_ANYWHERE = re.compile(rb"<(?:html|head|body)\b[^>]*>", re.IGNORECASE)
_BLOCK = {"address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure",
          "footer", "form", "header", "hr", "li", "main", "nav", "section", "td", "th", "tr"}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "blockquote"}
_SKIP = {"script", "style", "noscript", "template", "head", "title"}
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def is_html(data: bytes) -> bool:
    """An HTML page by content: it starts with a doctype, ``<html>``, ``<head>`` or ``<body>``, or
    starts with a tag or comment and has one of those in its first 4 KiB."""
    head = data[:4096]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<?xml") and not _XHTML.search(head):
        return False  # a TEI or other XML transcription: its <head> is a heading, read as a marked-up text
    if _START.match(head):
        return True
    return stripped.startswith(b"<") and _ANYWHERE.search(head) is not None


_XHTML = re.compile(rb"<(?:!doctype\s+html|html)\b", re.IGNORECASE)


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def read_html(data: bytes, path: str, sha256: str) -> Document:
    """A page's bytes: UTF-8 (or a byte-order mark's encoding) first, else the charset its <meta>
    declares, else the text reader's fallbacks (cp1252, with a warning)."""
    page, warnings = decode(data)
    declared = _CHARSET.search(data[:4096])
    if warnings and declared:
        try:
            page, warnings = data.decode(declared[1].decode("ascii")), []
        except (LookupError, UnicodeDecodeError):
            pass
    text, notes = html_text(page)
    if not text.strip():
        raise EmptyInput("HTML page has no main text (only markup, scripts or navigation)")
    return Document(path=path, sha256=sha256, media_type="text/html", text=text, warnings=[*warnings, *notes])


def html_text(page: str) -> tuple[str, list[str]]:
    """The main text of an HTML page and any warnings."""
    import lxml.html
    from readability import Document as Readable

    page = page.lstrip("\ufeff")
    if not page.strip():
        return "", []
    if page.lstrip().startswith("<?xml"):  # lxml refuses str with an encoding declaration
        page = page.split("?>", 1)[-1]
    article = Readable(page).summary(html_partial=True)
    root = lxml.html.fragment_fromstring(article, create_parent="div")
    text = _to_text(root)
    heading = _first_h1(page)
    if heading and heading not in text:
        text = f"{heading}\n\n{text}"
    return text, []


def _first_h1(page: str) -> str | None:
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(page)
    except Exception:  # noqa: BLE001 - no heading is no loss
        return None
    for h1 in tree.iter("h1"):
        heading = _SPACES.sub(" ", h1.text_content()).strip()
        if heading:
            return heading
    return None


def _to_text(root: Any) -> str:
    out: list[str] = []

    def walk(element: Any, pre: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP:
            _tail(element, out, pre)
            return
        if tag == "br" or tag in _BLOCK or tag in _PARAGRAPH:
            out.append("\n")
        inner_pre = pre or tag == "pre"
        if element.text and tag:
            out.append(element.text if inner_pre else _SPACES.sub(" ", element.text))
        for child in element:
            walk(child, inner_pre)
        if tag in _PARAGRAPH:
            out.append("\n\n")
        elif tag in _BLOCK:
            out.append("\n")
        _tail(element, out, pre)

    walk(root, False)
    lines = [line.strip(" ") for line in "".join(out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _tail(element: Any, out: list[str], pre: bool) -> None:
    if element.tail:
        out.append(element.tail if pre else _SPACES.sub(" ", element.tail))
