"""The "Báo thông tin sai" mount of generated pages, filled in by ``assets/js/report.js``.

Without JavaScript the mount says how to report anyway (hotline, the reporting page).
"""

from __future__ import annotations

from html import escape


def report_mount(subject_kind: str, subject_id: str, subject_name: str, root: str) -> str:
    """Raw HTML for a page at ``root`` (relative path to the site root, e.g. ``../../``)."""
    attrs = (
        f'data-subject-kind="{escape(subject_kind)}" data-subject-id="{escape(subject_id)}" '
        f'data-subject-name="{escape(subject_name)}"'
    )
    return (
        f'<div class="hcc-report" data-hcc-report {attrs}>\n'
        '<p class="hcc-report__fallback">Thấy thông tin sai? Gọi đường dây nóng <strong>1022</strong> '
        f'hoặc xem <a href="{root}phan-anh/">cách gửi phản ánh và tra cứu kết quả</a>.</p>\n'
        "</div>\n"
        f'<link rel="stylesheet" href="{root}assets/css/agents.css">\n'
        f'<link rel="stylesheet" href="{root}assets/css/report.css">\n'
        f'<script defer src="{root}assets/js/api.js"></script>\n'
        f'<script defer src="{root}assets/js/report.js"></script>\n'
    )
