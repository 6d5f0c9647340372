"""Building blocks shared by every generated page: escaping, badges, lists, search form, JSON-LD.

Links are relative ``.md`` links so MkDocs (in strict mode) checks every one at build time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from catalog.models import Channel, Level, OnlineLevel, Procedure

NATIONAL_PORTAL = "https://dichvucong.gov.vn"

LEVEL_NAMES = {
    Level.CENTRAL: "Cấp trung ương",
    Level.PROVINCE: "Cấp thành phố",
    Level.COMMUNE: "Cấp xã",
}

ONLINE_NAMES = {
    OnlineLevel.FULL_ONLINE: "Toàn trình",
    OnlineLevel.PARTIAL_ONLINE: "Một phần trực tuyến",
    OnlineLevel.OFFLINE: "Nộp trực tiếp",
}

CHANNEL_NAMES = {
    Channel.IN_PERSON: "Nộp trực tiếp tại chi nhánh hoặc điểm tiếp nhận",
    Channel.POST: "Nộp qua dịch vụ bưu chính công ích",
    Channel.ONLINE: "Nộp trực tuyến trên Cổng Dịch vụ công",
}


@dataclass
class Site:
    """Everything the build needs: Markdown pages, map fragments and the search index."""

    pages: dict[str, str] = field(default_factory=dict)
    maps: dict[str, list[str]] = field(default_factory=dict)
    search_index: list[dict[str, str | int]] = field(default_factory=list)
    data_files: dict[str, object] = field(default_factory=dict)


def esc(text: str) -> str:
    """Escape text for Markdown tables and inline use."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def updating(procedure: Procedure) -> str:
    where = f"mã {procedure.code}" if procedure.code else f"“{esc(procedure.name)}”"
    return (
        f'<span class="hcc-updating">Đang cập nhật</span> — tra cứu {where} trên '
        f"[Cổng Dịch vụ công quốc gia]({NATIONAL_PORTAL})"
    )


def badges(procedure: Procedure) -> str:
    items = [
        f'<span class="hcc-badge hcc-badge--{procedure.online_level}">'
        f"{ONLINE_NAMES[procedure.online_level]}</span>"
    ]
    if procedure.location_independent:
        items.append('<span class="hcc-badge hcc-badge--li">Phi địa giới</span>')
    if procedure.green_lane:
        items.append('<span class="hcc-badge hcc-badge--green">Luồng xanh</span>')
    return " ".join(items)


def bullet_list(items: Iterable[str], ordered: bool = False) -> str:
    return "\n".join(
        f"{i + 1 if ordered else '-'}{'.' if ordered else ''} {esc(x)}" for i, x in enumerate(items)
    )


def json_ld(data: Mapping[str, object]) -> str:
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'\n<script type="application/ld+json">{payload}</script>\n'


def procedure_link(procedure: Procedure, prefix: str) -> str:
    code = f" <small>{procedure.code}</small>" if procedure.code else ""
    return f"[{esc(procedure.name)}]({prefix}{procedure.id}.md){code}"


def procedure_list(procedures: Iterable[Procedure], prefix: str, with_badges: bool = True) -> str:
    """A bullet list of procedure links; long lists leave out the badges to stay light."""
    return "\n".join(
        f"- {procedure_link(p, prefix)}{' ' + badges(p) if with_badges else ''}" for p in procedures
    )


def search_form(dom_id: str, action: str, from_url: bool = False, limit: int = 8) -> str:
    """The search box: a plain GET form (works without JS) enhanced by search.js."""
    return (
        f'<form class="hcc-search" role="search" action="{action}" method="get" data-hcc-search '
        f'data-hcc-limit="{limit}"{" data-hcc-from-url" if from_url else ""}>'
        f'<label for="{dom_id}-input">Tìm thủ tục hành chính</label>'
        f'<input id="{dom_id}-input" name="q" type="search" autocomplete="off" '
        f'placeholder="Ví dụ: ho chieu, đăng ký khai sinh, 1.001193" aria-controls="{dom_id}-results">'
        f'<button type="submit">Tìm</button>'
        f'<p class="hcc-search__status" data-hcc-status role="status" aria-live="polite"></p>'
        f'<ul id="{dom_id}-results" class="hcc-search__results" data-hcc-results></ul>'
        "</form>"
    )
