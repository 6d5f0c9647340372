"""Plain text from what people type into web forms, and masking of personal data in it.

Reports and ratings are stored as plain text and shown with ``textContent``: tags, comments,
scripts and styles are removed (even when escaped: ``&lt;b&gt;`` decodes to markup, which is
removed again), so no markup reaches the site, the staff pages, Open311 clients or exports.
Regular expressions rather than ``html.parser``: any input gives an answer (the parser raised
on some declarations).
"""

from __future__ import annotations

import html
import re

MASK = "[đã ẩn]"

_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+")
_LONG_NUMBER = re.compile(r"\+?[0-9](?:[ .\-]?[0-9]){8,}")  # phones, citizen IDs, accounts
_HIDDEN = re.compile(
    r"<(script|style)\b.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)", re.IGNORECASE | re.DOTALL
)
_BREAK = re.compile(r"<(?:br|/?p|/?div|/?li|/?tr)\b[^<>]*>?", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z!?/][^<>]*>?")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _strip_markup(text: str) -> str:
    """Text without tags, comments, scripts and styles (unclosed ones run to the end), with
    character references decoded."""
    text = _HIDDEN.sub(" ", text)
    text = _BREAK.sub("\n", text)
    return html.unescape(_TAG.sub("", text))


def plain_text(raw: str) -> str:
    """``raw`` without markup (even escaped) or control characters, spaces collapsed, at most
    one blank line in a row; "" when nothing is left."""
    text, stripped = raw, _strip_markup(raw)
    while stripped != text:  # "&amp;lt;b&amp;gt;" decodes to "&lt;b&gt;", then to "<b>"...
        text, stripped = stripped, _strip_markup(stripped)  # ends: each change shortens it
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def mask_personal(text: str) -> str:
    """``text`` with anything that looks like an e-mail address, a phone number, a citizen ID
    or an account number replaced by ``MASK``."""
    return _LONG_NUMBER.sub(MASK, _EMAIL.sub(MASK, text))
