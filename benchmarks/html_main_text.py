"""Which library finds the main text of a saved UA page best: readability-lxml (what ingest/html.py
uses), trafilatura, jusText and selectolax, on saved pages built here from five UA texts of
tests/archives (three decades of formats) wrapped in five kinds of real-world chrome (a current site
with a cookie banner, navigation, related links, newsletter footer and scripts; a 2005 table layout
with left and right columns; a blog repost with widgets and comments; a site with a four-column
footer of links and addresses; a print view).

For each library and page: **kept**, the share of the UA's lines found in the extracted text (a
line lost is a subject, an address line or a deadline lost); **chrome**, the share of the chrome's
text lines found in it (each can become a false subject or recipient); and the time per page.

    .venv/bin/pip install -c constraints.txt -e '.[html-bench]'   # the other three libraries
    .venv/bin/python benchmarks/html_main_text.py
"""
from __future__ import annotations

import html
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ARCHIVES = ROOT / "tests" / "archives"
ROUNDS = 5


def ua_texts() -> list[str]:
    from extractor.ingest.containers import container_kind, iter_parts, read_part
    from extractor.settings import Limits

    texts = []
    for name in ("digest-three-decades.txt", "ua-net-1997.mbox"):
        path = str(ARCHIVES / name)
        kind = container_kind(path)
        assert kind is not None
        texts += [read_part(p, Limits()).text.strip() for p in iter_parts(path, kind, "0" * 64)]
    return texts


def ua_html(text: str) -> str:
    """Blocks (blank-line separated) as paragraphs; short lines (addresses) joined with <br>."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [html.escape(line.strip()) for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if max(len(line) for line in lines) < 60 or len(lines) == 1:
            out.append("<p>" + "<br>\n".join(lines) + "</p>")
        else:
            out.append("<p>" + " ".join(lines) + "</p>")
    return "\n".join(out)


SCRIPTS = ("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
           "gtag('config','G-TRACK');</script><script src='/js/app.min.js'></script>")
CHROME: dict[str, tuple[list[str], Callable[[str, list[str]], str]]] = {}


def chrome(name: str, lines: list[str]) -> Callable[[Callable[[str, list[str]], str]], None]:
    def register(build: Callable[[str, list[str]], str]) -> None:
        CHROME[name] = (lines, build)
    return register


@chrome("current site", [
    "We use cookies to improve your experience and analyse traffic", "Accept all cookies", "Manage preferences",
    "Latest news", "What we do", "Take action: write to President Obama", "Donate now",
    "Related content", "Free Ali Mansour, jailed for a poem", "Release Teodora Vasquez now",
    "Sign up for our newsletter and hear about the cases that need you most",
    "Peter Benenson House, 1 Easton Street, London WC1X 0DW, United Kingdom", "Privacy policy"])
def _current(body: str, c: list[str]) -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Urgent Action | Amnesty</title>{SCRIPTS}"
            f"<style>.b{{color:red}}</style></head><body>"
            f"<div class='cookie-banner' role='dialog'><p>{c[0]}.</p><button>{c[1]}</button> <a>{c[2]}</a></div>"
            f"<header><a class='logo'>Amnesty International</a><nav><ul><li><a>{c[3]}</a></li><li><a>{c[4]}</a></li>"
            f"<li><a>{c[5]}</a></li><li><a>{c[6]}</a></li></ul></nav></header>"
            f"<main><article><h1>Urgent Action</h1>{body}</article>"
            f"<aside><h2>{c[7]}</h2><ul><li><a>{c[8]}</a></li><li><a>{c[9]}</a></li></ul></aside></main>"
            f"<footer><p>{c[10]}.</p><form><input placeholder='E-mail'><button>Sign up</button></form>"
            f"<p>Amnesty International, {c[11]}</p><p><a>{c[12]}</a> | <a>Cookies</a></p></footer>"
            f"{SCRIPTS}</body></html>")


@chrome("2005 tables", [
    "Library of documents", "Act now", "Join Amnesty", "Contact the International Secretariat",
    "Prisoner of conscience Nadia Petrova released", "Write for Rights 2005: results", "Printable version",
    "E-mail this page", "Copyright Amnesty International, 1 Easton Street, London WC1X 0DW"])
def _tables(body: str, c: list[str]) -> str:
    return ("<!DOCTYPE HTML PUBLIC '-//W3C//DTD HTML 4.01 Transitional//EN'><HTML><HEAD><TITLE>AI Library</TITLE>"
            "<SCRIPT>function popup(u){window.open(u)}</SCRIPT></HEAD><BODY><TABLE><TR>"
            f"<TD width=160><A>{c[0]}</A><BR><A>{c[1]}</A><BR><A>{c[2]}</A><BR><A>{c[3]}</A></TD>"
            f"<TD>{body}</TD>"
            f"<TD width=180><B>Latest news</B><BR><A>{c[4]}</A><BR><A>{c[5]}</A><P><A>{c[6]}</A> | <A>{c[7]}</A></P></TD>"
            f"</TR></TABLE><HR><P align=center><FONT size=-2>&copy; {c[8]}</FONT></P></BODY></HTML>")


@chrome("blog repost", [
    "Human rights group of St Mary's parish", "Home page", "About our group", "Meetings and events",
    "Blog archives", "March 2016", "February 2016", "Tags: Brazil, death threats, letter writing",
    "Posted by Margaret Ellison at 21:14", "3 comments",
    "John Whitfield said: I sent my letter today, thank you for posting this.",
    "Susan Okafor said: Does anyone have the fax number for the embassy?",
    "Leave a reply", "Powered by WordPress"])
def _blog(body: str, c: list[str]) -> str:
    return (f"<html><head><title>{c[0]}</title>{SCRIPTS}</head><body><div id='header'><h2>{c[0]}</h2>"
            f"<ul class='menu'><li>{c[1]}</li><li>{c[2]}</li><li>{c[3]}</li></ul></div>"
            f"<div id='content'><div class='post'><h1>Urgent Action</h1><div class='entry'>{body}</div>"
            f"<p class='meta'>{c[7]}</p><p class='byline'>{c[8]}</p></div>"
            f"<div id='comments'><h3>{c[9]}</h3><div class='comment'><p>{c[10]}</p></div>"
            f"<div class='comment'><p>{c[11]}</p></div><h3>{c[12]}</h3><form><textarea></textarea></form></div></div>"
            f"<div id='sidebar'><h3>{c[4]}</h3><ul><li>{c[5]}</li><li>{c[6]}</li></ul></div>"
            f"<div id='footer'><p>{c[13]}</p></div></body></html>")


@chrome("mega footer", [
    "Skip to main content", "Search the site", "Countries and regions", "Our campaigns", "Get involved",
    "About us", "Our history", "Annual report", "Careers",
    "Press office: press@amnesty.example.org, +44 20 7413 5566",
    "Amnesty International UK, 17-25 New Inn Yard, London EC2A 3EA",
    "Registered charity 1051681", "Follow us on Facebook", "Follow us on Twitter"])
def _mega(body: str, c: list[str]) -> str:
    columns = "".join(f"<div class='col'><ul>{''.join(f'<li><a>{x}</a></li>' for x in group)}</ul></div>"
                      for group in (c[5:9], c[9:11], c[11:14]))
    return (f"<!doctype html><html><head><title>UA</title>{SCRIPTS}</head><body><a class='skip'>{c[0]}</a>"
            f"<header><form><input placeholder='{c[1]}'><button>{c[1]}</button></form><nav>"
            f"<a>{c[2]}</a> <a>{c[3]}</a> <a>{c[4]}</a></nav></header>"
            f"<div class='container'><div class='content'><h1>Urgent Action</h1><div class='field-body'>{body}</div></div></div>"
            f"<footer class='mega'>{columns}</footer></body></html>")


@chrome("print view", ["Amnesty International - print version", "Print this page", "Close window",
                       "This document was printed from the Amnesty International website"])
def _print(body: str, c: list[str]) -> str:
    return (f"<html><head><title>{c[0]}</title></head><body><div class='top'>{c[0]} | <a>{c[1]}</a> | <a>{c[2]}</a></div>"
            f"<div class='doc'>{body}</div><div class='bottom'><small>{c[3]}</small></div></body></html>")


def _readability(page: str) -> str:
    from extractor.ingest.html import html_text

    return html_text(page)[0]


def _trafilatura(page: str) -> str:
    import trafilatura

    return trafilatura.extract(page, include_comments=False, include_tables=True, favor_recall=True) or ""


def _justext(page: str) -> str:
    import justext

    paragraphs = justext.justext(page.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _selectolax(page: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(page)
    for node in tree.css("script, style, noscript"):
        node.decompose()
    return tree.body.text(separator="\n") if tree.body else ""


LIBRARIES: dict[str, tuple[str, Callable[[str], str]]] = {
    "readability-lxml": ("readability", _readability), "trafilatura": ("trafilatura", _trafilatura),
    "jusText": ("justext", _justext), "selectolax": ("selectolax", _selectolax),
}


def _norm(text: str) -> str:
    return " ".join(html.unescape(text).split()).lower()


def _found(line: str, text: str) -> bool:
    """The line in the text, as whole words (a chrome link "Home" is not found in "at his home")."""
    return re.search(rf"(?<!\w){re.escape(_norm(line))}(?!\w)", text) is not None


def main() -> None:
    import importlib.util

    pages = []
    for i, (name, (lines, build)) in enumerate(CHROME.items()):
        for text in ua_texts()[i % 5:i % 5 + 1]:
            pages.append((name, build(ua_html(text), lines), [ln.strip() for ln in text.splitlines() if ln.strip()],
                          lines))
    print(f"{len(pages)} saved pages (chrome kinds: {', '.join(CHROME)}), {ROUNDS} rounds each\n")
    print(f"{'library':<18} {'UA lines kept':>13} {'chrome kept':>12} {'ms/page':>8}   per page: kept/chrome")
    for label, (module, extract) in LIBRARIES.items():
        if importlib.util.find_spec(module) is None:
            print(f"{label:<18} not installed (pip install -e '.[html-bench]')")
            continue
        kept, chrome_kept, times, each = [], [], [], []
        for name, page, ua_lines, chrome_lines in pages:
            start = time.perf_counter()
            for _ in range(ROUNDS):
                out = extract(page)
            times.append((time.perf_counter() - start) / ROUNDS * 1000)
            text = _norm(out)
            k = sum(_found(line, text) for line in ua_lines) / len(ua_lines)
            c = sum(_found(line, text) for line in chrome_lines) / len(chrome_lines)
            kept.append(k)
            chrome_kept.append(c)
            each.append(f"{k:.0%}/{c:.0%}")
            if "-v" in sys.argv:
                left = [line for line in chrome_lines if _found(line, text)]
                print(f"  {label} on {name}: chrome kept: {left}")
        print(f"{label:<18} {statistics.mean(kept):>13.1%} {statistics.mean(chrome_kept):>12.1%} "
              f"{statistics.mean(times):>8.1f}   {'  '.join(each)}")


if __name__ == "__main__":
    main()
