"""The "last verified" line and the short change history shown on procedure and branch pages.

The history is the git history of the record's data file (date and commit subject, newest
first), read once per build by :mod:`catalog.history`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from catalog.history import Change
from catalog.pages.markdown import esc

VIETNAM = dt.timezone(dt.timedelta(hours=7))


def local_date(moment: dt.datetime) -> str:
    return f"{moment.astimezone(VIETNAM):%d/%m/%Y}"


def verified_line(verified_on: dt.date | None, against: str = "nguồn chính thức") -> str:
    if verified_on is None:
        return f"Thông tin chưa được đối chiếu trực tiếp với {against}."
    return f"Thông tin được kiểm tra lần cuối ngày {verified_on:%d/%m/%Y}."


def change_history(changes: Sequence[Change]) -> str:
    """Markdown: when the data last changed and its recent changes (empty without history)."""
    if not changes:
        return ""
    items = [f"- {local_date(c.at)}: {esc(c.subject)}" for c in changes]
    return "\n".join(
        [
            f"Dữ liệu được cập nhật lần cuối ngày {local_date(changes[0].at)}.",
            "",
            '<div class="hcc-history" markdown>',
            "",
            "**Lịch sử thay đổi gần đây:**",
            "",
            *items,
            "",
            "</div>",
        ]
    )
