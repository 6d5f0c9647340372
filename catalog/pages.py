"""Catalog -> Markdown pages of the citizen site (Vietnamese).

Pure functions: each returns Markdown text for one page. Links are relative ``.md`` links so
MkDocs (in strict mode) checks every one of them at build time. Maps are left as placeholders
(``<!--hcc-map:NAME-->``) that the site hook replaces with HTML after Markdown rendering.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from catalog.load import Catalog
from catalog.models import Branch, Channel, Level, OnlineLevel, OpeningHours, Procedure
from catalog.places import DAY_NAMES, format_hours
from catalog.search import tokens

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


@dataclass
class Site:
    """Everything the build needs: Markdown pages, map fragments and the search index."""

    pages: dict[str, str] = field(default_factory=dict)
    maps: dict[str, list[str]] = field(default_factory=dict)
    search_index: list[dict[str, str | int]] = field(default_factory=list)


def esc(text: str) -> str:
    """Escape text for Markdown tables and inline use."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def updating(procedure: Procedure) -> str:
    where = f"mã {procedure.code}" if procedure.code else f"“{esc(procedure.name)}”"
    return (
        f'<span class="hcc-updating">Đang cập nhật</span> — tra cứu {where} trên '
        f"[Cổng Dịch vụ công quốc gia]({NATIONAL_PORTAL})"
    )


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


def procedure_page(catalog: Catalog, procedure: Procedure) -> str:
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
            provenance(procedure),
            json_ld_procedure(catalog, procedure, field_name),
        ]
    )


def description(procedure: Procedure, field_name: str) -> str:
    return f"Thủ tục {procedure.name} ({field_name}): hồ sơ, thời hạn, phí và nơi nộp tại Hà Nội."


def where_to_submit(catalog: Catalog, procedure: Procedure) -> str:
    lines = ["## Nộp hồ sơ ở đâu", ""]
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
    return "\n".join(lines)


def provenance(procedure: Procedure) -> str:
    verified = (
        f"Thông tin được kiểm tra lần cuối ngày {procedure.verified_on:%d/%m/%Y}."
        if procedure.verified_on
        else "Thông tin chưa được đối chiếu trực tiếp với Cổng Dịch vụ công quốc gia."
    )
    pending = ", ".join(FIELD_LABELS.get(n, n) for n in procedure.unverified)
    pending_line = f"\n\nCác mục chưa kiểm chứng: {pending}." if pending else ""
    return (
        '<div class="hcc-provenance" markdown>\n\n'
        f"## Nguồn thông tin\n\n{verified}{pending_line}\n\n"
        f"Nguồn: {esc(procedure.source)}\n\n"
        "Thấy thông tin sai? Gọi đường dây nóng **1022**.\n\n</div>\n"
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


def home_page(catalog: Catalog) -> str:
    popular = [p for p in catalog.procedures if p.popular]
    counts = field_counts(catalog)
    fields = "\n".join(
        f"- [{esc(f.name)}](linh-vuc/{f.slug}.md) ({counts[f.slug]})"
        for f in catalog.fields
        if counts[f.slug]
    )
    full = sum(1 for p in catalog.procedures if p.online_level == OnlineLevel.FULL_ONLINE)
    return f"""---
title: Trang chủ
description: Tra cứu thủ tục hành chính, chi nhánh và đại lý dịch vụ công trực tuyến của {catalog.center.name}.
hide: [navigation, toc]
---
# Cổng thông tin {catalog.center.name}

{search_form("hcc-home", "thu-tuc/", limit=10)}

Gõ tên thủ tục có dấu hoặc không dấu, hoặc mã thủ tục. Cần trợ giúp? Gọi **đường dây nóng {catalog.center.hotline}**.

## Thủ tục được tìm nhiều

{procedure_list(popular, "thu-tuc/")}

## Theo lĩnh vực

<div class="hcc-columns" markdown>

{fields}

</div>

Xem thêm: [{full} thủ tục làm toàn trình trực tuyến](danh-sach/toan-trinh.md) ·
[thủ tục phi địa giới](danh-sach/phi-dia-gioi.md) · [theo cơ quan thực hiện](danh-sach/co-quan.md) ·
[tất cả {len(catalog.procedures)} thủ tục](thu-tuc/index.md)

## Nộp hồ sơ ở đâu?

Trung tâm có **{len(catalog.branches)} chi nhánh** với
**{sum(len(b.reception_points) for b in catalog.branches)} điểm tiếp nhận** trên toàn thành phố.
[Xem chi nhánh gần bạn](chi-nhanh/index.md).

## Đại lý dịch vụ công trực tuyến — hỗ trợ miễn phí

Các doanh nghiệp đối tác (bưu điện và các đơn vị khác) làm **đại lý dịch vụ công trực tuyến**:
tư vấn giấy tờ, nộp hồ sơ trực tuyến thay bạn, hướng dẫn tra cứu và thanh toán trực tuyến —
**hoàn toàn miễn phí**. [Tìm hiểu về đại lý](dai-ly/index.md).
"""


def procedures_index(catalog: Catalog) -> str:
    counts = field_counts(catalog)
    fields = "\n".join(
        f"- [{esc(f.name)}](../linh-vuc/{f.slug}.md) ({counts[f.slug]})"
        for f in catalog.fields
        if counts[f.slug]
    )
    return f"""---
title: Tra cứu thủ tục
description: Tìm thủ tục hành chính theo tên (có dấu hoặc không dấu), mã thủ tục hoặc lĩnh vực.
hide: [toc]
---
# Tra cứu thủ tục hành chính

{search_form("hcc-page", "./", from_url=True, limit=50)}

## {len(catalog.procedures)} thủ tục theo lĩnh vực

<div class="hcc-columns" markdown>

{fields}

</div>

Xem thêm: [thủ tục toàn trình](../danh-sach/toan-trinh.md) ·
[thủ tục phi địa giới](../danh-sach/phi-dia-gioi.md) · [theo cơ quan thực hiện](../danh-sach/co-quan.md)
"""


def field_counts(catalog: Catalog) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for p in catalog.procedures:
        counts[p.field] += 1
    return counts


def fields_index(catalog: Catalog) -> str:
    rows = ["| Lĩnh vực | Số thủ tục |", "|---|---|"]
    for f in catalog.fields:
        n = sum(1 for p in catalog.procedures if p.field == f.slug)
        if n:
            rows.append(f"| [{esc(f.name)}]({f.slug}.md) | {n} |")
    return "---\ntitle: Lĩnh vực\n---\n# Thủ tục theo lĩnh vực\n\n" + "\n".join(rows) + "\n"


PER_PAGE = 100


def list_pages(base: str, title: str, intro: str, procedures: list[Procedure]) -> dict[str, str]:
    """A long list of procedures as pages of PER_PAGE items: ``base.md``, ``base-trang-2.md``...

    Paging keeps every built page small however large the catalog grows.
    """
    depth = base.count("/")
    to_procedures = "../" * depth + "thu-tuc/"
    name = base.rsplit("/", 1)[-1]
    chunks = [procedures[i : i + PER_PAGE] for i in range(0, len(procedures), PER_PAGE)] or [[]]
    files = [f"{name}.md"] + [f"{name}-trang-{n}.md" for n in range(2, len(chunks) + 1)]
    pages = {}
    for n, chunk in enumerate(chunks):
        nav = []
        if len(chunks) > 1:
            links = [
                f"**{i + 1}**" if i == n else f"[{i + 1}]({files[i]})" for i in range(len(chunks))
            ]
            nav = [
                f'<nav class="hcc-pages" aria-label="Trang" markdown>Trang: {" · ".join(links)}</nav>',
                "",
            ]
        suffix = f" (trang {n + 1}/{len(chunks)})" if len(chunks) > 1 else ""
        pages[base.rsplit("/", 1)[0] + "/" + files[n] if depth else files[n]] = "\n".join(
            [
                "---",
                f"title: {json.dumps(title + suffix, ensure_ascii=False)}",
                "hide: [toc]",
                "---",
                f"# {esc(title)}{suffix}",
                "",
                intro,
                "",
                f"{len(procedures)} thủ tục.",
                "",
                *nav,
                procedure_list(chunk, to_procedures, with_badges=len(procedures) <= 40),
                "",
                *nav,
            ]
        )
    return pages


def agency_slug(agency: str) -> str:
    return "-".join(tokens(agency))[:80].strip("-")


def agencies_index(catalog: Catalog) -> str:
    by_agency: dict[str, int] = defaultdict(int)
    for p in catalog.procedures:
        by_agency[p.agency] += 1
    rows = ["| Cơ quan thực hiện | Số thủ tục |", "|---|---|"]
    rows += [
        f"| [{esc(agency)}](co-quan/{agency_slug(agency)}.md) | {n} |"
        for agency, n in sorted(by_agency.items(), key=lambda kv: kv[0].casefold())
    ]
    return (
        "---\ntitle: Theo cơ quan thực hiện\n---\n# Thủ tục theo cơ quan thực hiện\n\n"
        + "\n".join(rows)
        + "\n"
    )


def hours_table(hours: OpeningHours) -> str:
    rows = ["| Ngày | Giờ làm việc |", "|---|---|"]
    rows += [f"| {DAY_NAMES[i]} | {format_hours(hours.day(i))} |" for i in range(7)]
    return "\n".join(rows)


def branch_page(catalog: Catalog, branch: Branch) -> str:
    wards = [catalog.ward(code) for code in branch.wards_served]
    ward_list = ", ".join(w.name for w in wards if w)
    points = []
    for rp in branch.reception_points:
        flag = " *(địa chỉ minh họa, đang cập nhật)*" if rp.illustrative else ""
        points.append(
            f"### {esc(rp.name)}\n\n- Địa chỉ: {esc(rp.address)}{flag}\n"
            f"- Điện thoại: {rp.phone or f'đường dây nóng {catalog.center.hotline}'}\n"
        )
    note = f'!!! note "Thông tin minh họa"\n    {esc(branch.note)}\n' if branch.note else ""
    approx = (
        "*Vị trí trên bản đồ là vị trí gần đúng (tâm xã, phường), không phải tọa độ chính xác của trụ sở.*"
        if branch.coordinates_approximate
        else ""
    )
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": f"{branch.name} — {catalog.center.name}",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": branch.address,
            "addressLocality": "Hà Nội",
            "addressCountry": "VN",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": branch.lat, "longitude": branch.lon},
        "telephone": branch.phone or catalog.center.hotline,
        "openingHoursSpecification": opening_spec(branch.opening_hours),
        "parentOrganization": {"@type": "GovernmentOrganization", "name": catalog.center.name},
    }
    return "\n".join(
        [
            "---",
            f"title: {json.dumps(branch.name, ensure_ascii=False)}",
            f"description: {json.dumps(f'{branch.name}: địa chỉ, giờ làm việc, điểm tiếp nhận và khu vực phục vụ.', ensure_ascii=False)}",
            "---",
            f"# {esc(branch.name)}",
            "",
            note,
            f"**Trụ sở:** {esc(branch.address)}  ",
            f"**Điện thoại:** {branch.phone or f'đường dây nóng {catalog.center.hotline}'}",
            "",
            f"<!--hcc-map:branch-{branch.number}-->",
            "",
            approx,
            "",
            "## Giờ làm việc",
            "",
            hours_table(branch.opening_hours),
            "",
            f"## {len(branch.reception_points)} điểm tiếp nhận",
            "",
            *points,
            "## Khu vực phục vụ",
            "",
            f"{len(wards)} xã, phường: {ward_list}.",
            "",
            "Các thủ tục phi địa giới có thể nộp tại bất kỳ chi nhánh nào.",
            "",
            f"Nguồn: {esc(branch.source)}",
            json_ld(data),
        ]
    )


def opening_spec(hours: OpeningHours) -> list[dict[str, str]]:
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    spec = []
    for i, name in enumerate(names):
        for r in hours.day(i):
            opens, closes = r.split("-")
            spec.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": name,
                    "opens": opens,
                    "closes": closes,
                }
            )
    return spec


def branches_index(catalog: Catalog) -> str:
    rows = ["| Chi nhánh | Trụ sở | Điểm tiếp nhận | Xã, phường phục vụ |", "|---|---|---|---|"]
    for b in catalog.branches:
        rows.append(
            f"| [{esc(b.name)}]({b.number}.md){' *(minh họa)*' if b.illustrative else ''} | {esc(b.address)} | "
            f"{len(b.reception_points)} | {len(b.wards_served)} |"
        )
    ward_rows = ["| Xã, phường | Chi nhánh phụ trách |", "|---|---|"]
    for w in sorted(catalog.wards, key=lambda w: w.name):
        serving = catalog.branch_for_ward(w.code)
        if serving:
            ward_rows.append(f"| {esc(w.name)} | [{esc(serving.name)}]({serving.number}.md) |")
    return (
        "---\ntitle: Chi nhánh\n---\n# Chi nhánh và điểm tiếp nhận\n\n"
        f"Trung tâm có {len(catalog.branches)} chi nhánh, "
        f"{sum(len(b.reception_points) for b in catalog.branches)} điểm tiếp nhận.\n\n"
        "<!--hcc-map:branches-->\n\n"
        + "\n".join(rows)
        + "\n\n## Chi nhánh phụ trách xã, phường của bạn\n\n"
        + "\n".join(ward_rows)
        + "\n"
    )
