"""A saved mail message read as one document (an ``.eml``, or a mail saved as ``.txt``): its headers, with
encoded words decoded ('=?ISO-8859-1?Q?d=E9tenus?='), then its body decoded from quoted-printable or
base64 and its charset. A mailbox of many mails is a container (``containers.py``); a mail pasted as
plain text ('From: ... Sent: ... Subject: ...' with no MIME headers) is a text and is read as one.
"""
from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

from extractor.document import Document

__all__ = ["is_mail", "mail_body", "read_mail"]

_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:")
# Only these need the mail parser: without them the text is already what a reader sees
_MIME = re.compile(rb"^(?:Content-Transfer-Encoding:\s*(?:quoted-printable|base64)|Content-Type:\s*multipart/)",
                   re.IGNORECASE | re.MULTILINE)
_SNIFF = 1 << 16


def is_mail(data: bytes) -> bool:
    """A mail's header block first (three header lines or more, continuation lines allowed, up to a blank
    line), and a body that is encoded (quoted-printable, base64) or in MIME parts."""
    head = data[:_SNIFF].lstrip(b"\xef\xbb\xbf")
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    lines = block.splitlines()
    if len(lines) < 3 or not all(_HEADER.match(ln) or ln[:1] in (b" ", b"\t") for ln in lines):
        return False
    return bool(_MIME.search(head))


def read_mail(data: bytes, path: str, sha256: str) -> Document:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    headers = "\n".join(f"{name}: {' '.join(str(value).split())}" for name, value in message.items())
    body, media_type, notes = mail_body(message)
    text = f"{headers}\n\n{body}".replace("\r\n", "\n").replace("\r", "\n")
    warnings = ["a saved mail: its headers' encoded words and its MIME body decoded", *notes]
    return Document(path=path, sha256=sha256, media_type=media_type, text=text, pages=None, segments=[],
                    warnings=warnings)


def mail_body(message: EmailMessage) -> tuple[str, str, list[str]]:
    """The text of a mail: its text/plain body, else its HTML body as a saved page is read."""
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", "text/plain", []
    content = body.get_content()
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if body.get_content_subtype() == "html":
        from extractor.ingest.html import html_text

        text, notes = html_text(content)
        return text, "text/html", notes
    return str(content), "text/plain", []
