"""The page of one procedure: every component Decree 63/2010 requires, and where to submit it.

Facts that are not verified carry a "chưa kiểm chứng" mark; facts that are missing say
"Đang cập nhật" and point to the national portal, never a guessed value.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import quote

from catalog.history import Change
from catalog.load import Catalog
from catalog.models import Level, OnlineLevel, Procedure
from catalog.pages.changes import change_history, verified_line
from catalog.pages.feedback import report_mount
from catalog.pages.markdown import (
    CHANNEL_NAMES,
    LEVEL_NAMES,
    NATIONAL_PORTAL,
    ONLINE_NAMES,
    badges,
    bullet_list,
    esc,
    json_ld,
    updating,
)

FIELD_LABELS = {
    "code": "mã thủ tục",
    "name": "tên thủ tục",
    "agency": "cơ quan thực hiện",
    "applicants": "đối tượng thực hiện",
    "steps": "trình tự thực hiện",
    "channels": "cách thức thực hiện",
    "documents": "thành phần hồ sơ",
    "processing_time": "thời hạn giải quyết",
    "fees": "phí, lệ phí",
    "result": "kết quả",
    "conditions": "điều kiện",
    "legal_basis": "căn cứ pháp lý",
    "online_level": "mức độ trực tuyến",
    "location_independent": "phi địa giới",
    "green_lane": "luồng xanh",
}


def unverified_mark(procedure: Procedure, name: str) -> str:
    return (
        ' <span class="hcc-unverified" title="Thông tin chưa được đối chiếu với nguồn chính thức">'
        "(chưa kiểm chứng)</span>"
        if not procedure.is_verified(name)
        else ""
    )


def processing_time_text(procedure: Procedure) -> str:
    t = procedure.processing_time
    if t is None:
        return updating(procedure)
    if t.days is not None:
        days = f"{t.days:g} ngày {'làm việc' if t.working_days else ''}".strip()
        text = f"{days} ({esc(t.text)})" if t.text else days
    else:
        text = esc(t.text or "")
    return text + unverified_mark(procedure, "processing_time")


def vnd(amount: int) -> str:
    return "Miễn phí" if amount == 0 else f"{amount:,}".replace(",", ".") + " đồng"


def fees_text(procedure: Procedure) -> str:
    if not procedure.fees:
        return updating(procedure)
    parts = []
    for fee in procedure.fees:
        label = f"{esc(fee.name)}: " if fee.name else ""
        amount = vnd(fee.amount_vnd) if fee.amount_vnd is not None else esc(fee.text or "")
        if fee.amount_vnd is not None and fee.text:
            amount += f" ({esc(fee.text)})"
        if fee.online_amount_vnd is not None:
            amount += f"; nộp trực tuyến: {vnd(fee.online_amount_vnd)}"
        parts.append(label + amount)
    return "<br>".join(parts) + unverified_mark(procedure, "fees")


def section(procedure: Procedure, title: str, name: str, body: str) -> str:
    content = body if body else updating(procedure)
    return f"## {title}\n\n{content}\n{unverified_mark(procedure, name) if body else ''}\n"


def documents_table(procedure: Procedure) -> str:
    if not procedure.documents:
        return ""
    rows = ["| Giấy tờ | Bản chính | Bản sao | Mẫu |", "|---|---|---|---|"]
    for doc in procedure.documents:
        form = esc(doc.form or "")
        if doc.form_url:
            form = f"[{form or 'Tải mẫu'}]({doc.form_url})"
        rows.append(
            f"| {esc(doc.name)} | {doc.originals if doc.originals is not None else ''} | "
            f"{doc.copies if doc.copies is not None else ''} | {form} |"
        )
    return "\n".join(rows)


def procedure_page(catalog: Catalog, procedure: Procedure, changes: Sequence[Change] = ()) -> str:
    """The page's Markdown; ``changes`` are the recent commits of the procedure's data file."""
    field = catalog.field_by_slug(procedure.field)
    field_name = field.name if field else procedure.field
    code = procedure.code or "Đang cập nhật"
    notice = ""
    if procedure.replaced_by:
        successor = catalog.procedure(procedure.replaced_by)
        link = f"[{esc(successor.name)}]({successor.id}.md)" if successor else procedure.replaced_by
        notice = f'!!! warning "Thủ tục đã được thay thế"\n    Thủ tục này đã được thay thế bởi {link}.\n\n'
    facts = [
        "| Thông tin | Chi tiết |",
        "|---|---|",
        f"| Mã thủ tục | {code}{unverified_mark(procedure, 'code')} |",
        f"| Lĩnh vực | [{esc(field_name)}](../linh-vuc/{procedure.field}.md) |",
        f"| Cấp thực hiện | {LEVEL_NAMES[procedure.level]} |",
        f"| Cơ quan thực hiện | {esc(procedure.agency)}{unverified_mark(procedure, 'agency')} |",
        f"| Đối tượng thực hiện | {'; '.join(map(esc, procedure.applicants)) or updating(procedure)} |",
        f"| Thời hạn giải quyết | {processing_time_text(procedure)} |",
        f"| Phí, lệ phí | {fees_text(procedure)} |",
        f"| Kết quả | {esc(procedure.result) if procedure.result else updating(procedure)} |",
        f"| Mức độ trực tuyến | {ONLINE_NAMES[procedure.online_level]}"
        f"{unverified_mark(procedure, 'online_level')} |",
    ]
    if procedure.replaces:
        facts.append(f"| Thay thế mã cũ | {', '.join(procedure.replaces)} |")
    channels = bullet_list(CHANNEL_NAMES[c] for c in procedure.channels)
    return "\n".join(
        [
            "---",
            f"title: {json.dumps(procedure.name, ensure_ascii=False)}",
            f"description: {json.dumps(description(procedure, field_name), ensure_ascii=False)}",
            "---",
            f"# {esc(procedure.name)}",
            "",
            f'<p class="hcc-badges">{badges(procedure)}</p>',
            "",
            notice,
            *facts,
            "",
            section(procedure, "Thành phần hồ sơ", "documents", documents_table(procedure)),
            section(
                procedure, "Trình tự thực hiện", "steps", bullet_list(procedure.steps, ordered=True)
            ),
            section(procedure, "Cách thức thực hiện", "channels", channels),
            *(
                [
                    section(
                        procedure,
                        "Điều kiện thực hiện",
                        "conditions",
                        bullet_list(procedure.conditions),
                    )
                ]
                if procedure.conditions
                else []
            ),
            section(procedure, "Căn cứ pháp lý", "legal_basis", bullet_list(procedure.legal_basis)),
            where_to_submit(catalog, procedure),
            provenance(procedure, changes),
            json_ld_procedure(catalog, procedure, field_name),
        ]
    )


def description(procedure: Procedure, field_name: str) -> str:
    return f"Thủ tục {procedure.name} ({field_name}): hồ sơ, thời hạn, phí và nơi nộp tại Hà Nội."


def where_to_submit(catalog: Catalog, procedure: Procedure) -> str:
    nearest = f"../tim-diem-gan-nhat.md?procedure={quote(procedure.key)}"
    lines = [
        "## Nộp hồ sơ ở đâu",
        "",
        f"**[Tìm nơi gần nhất làm thủ tục này]({nearest})**: chi nhánh, điểm tiếp nhận và đại lý "
        "gần bạn nhận thủ tục này, nơi nào đang mở cửa.",
        "",
    ]
    if procedure.online_level != OnlineLevel.OFFLINE:
        lines.append(
            f"- **Trực tuyến:** trên [Cổng Dịch vụ công quốc gia]({NATIONAL_PORTAL}) "
            "(đăng nhập bằng tài khoản VNeID)"
            + (f", tìm theo mã thủ tục **{procedure.code}**." if procedure.code else ".")
        )
    if procedure.location_independent:
        lines.append(
            "- **Trực tiếp:** tại **bất kỳ chi nhánh nào** của Trung tâm (phi địa giới hành chính), "
            "không phụ thuộc nơi cư trú:"
        )
    else:
        lines.append(
            "- **Trực tiếp:** tại chi nhánh phụ trách xã, phường nơi bạn cư trú "
            "(xem [danh sách chi nhánh và khu vực phục vụ](../chi-nhanh/index.md)):"
        )
    lines.append("")
    for branch in catalog.branches:
        lines.append(
            f"    - [{esc(branch.name)}](../chi-nhanh/{branch.number}.md) — {esc(branch.address)}"
        )
    lines += [
        "- **Nhờ hỗ trợ miễn phí:** các [đại lý dịch vụ công trực tuyến](../dai-ly/index.md) "
        "hướng dẫn và nộp hồ sơ trực tuyến giúp bạn, không thu phí.",
        "",
    ]
    if procedure.level != Level.CENTRAL or procedure.location_independent:
        lines += ["<!--hcc-office-map-->", ""]
    return "\n".join(lines)


def provenance(procedure: Procedure, changes: Sequence[Change] = ()) -> str:
    verified = verified_line(procedure.verified_on, against="Cổng Dịch vụ công quốc gia")
    pending = ", ".join(FIELD_LABELS.get(n, n) for n in procedure.unverified)
    pending_line = f"\n\nCác mục chưa kiểm chứng: {pending}." if pending else ""
    return (
        '<div class="hcc-provenance" markdown>\n\n'
        f"## Nguồn thông tin\n\n{verified}{pending_line}\n\n"
        f"Nguồn: {esc(procedure.source)}\n\n"
        + (f"{change_history(changes)}\n\n" if changes else "")
        + "</div>\n\n"
        + report_mount("procedure", procedure.id, procedure.name, "../../")
    )


def json_ld_procedure(catalog: Catalog, procedure: Procedure, field_name: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": procedure.name,
        "serviceType": field_name,
        "areaServed": {"@type": "City", "name": "Hà Nội"},
        "provider": {"@type": "GovernmentOrganization", "name": catalog.center.name},
        "availableChannel": [
            {"@type": "ServiceChannel", "name": CHANNEL_NAMES[c]} for c in procedure.channels
        ],
    }
    if procedure.code:
        data["identifier"] = procedure.code
    return json_ld(data)
