"""Plain text from what people type into web forms: HTML tags, comments and scripts removed.

Reports are stored as plain text and shown with ``textContent``, so no markup survives to be
rendered anywhere (site, staff pages, Open311 clients, exports).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n{3,}")


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def plain_text(raw: str) -> str:
    """``raw`` without HTML tags, comments or scripts, entities decoded, control chars removed."""
    parser = _PlainText()
    parser.feed(raw.replace("\r\n", "\n"))
    parser.close()
    text = _CONTROL.sub("", "".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
