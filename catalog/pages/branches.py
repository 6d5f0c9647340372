"""Branch pages: address, hours, reception points, wards served, map placeholder, JSON-LD.

Maps are left as ``<!--hcc-map:NAME-->`` placeholders that the site hook replaces with HTML.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from catalog.history import Change
from catalog.load import Catalog
from catalog.models import Branch, OpeningHours
from catalog.pages.changes import change_history, verified_line
from catalog.pages.feedback import report_mount
from catalog.pages.markdown import esc, json_ld
from catalog.places import DAY_NAMES, format_hours


def hours_table(hours: OpeningHours) -> str:
    rows = ["| Ngày | Giờ làm việc |", "|---|---|"]
    rows += [f"| {DAY_NAMES[i]} | {format_hours(hours.day(i))} |" for i in range(7)]
    return "\n".join(rows)


def branch_page(catalog: Catalog, branch: Branch, changes: Sequence[Change] = ()) -> str:
    """The page's Markdown; ``changes`` are the recent commits of the branches data file."""
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
            "## Nguồn thông tin",
            "",
            verified_line(branch.verified_on),
            "",
            f"Nguồn: {esc(branch.source)}",
            "",
            change_history(changes),
            "",
            report_mount("branch", branch.id, branch.name, "../../"),
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
        "**[Tìm chi nhánh, điểm tiếp nhận hoặc đại lý gần bạn nhất](../tim-diem-gan-nhat.md)**\n\n"
        "<!--hcc-map:branches-->\n\n"
        + "\n".join(rows)
        + "\n\n## Chi nhánh phụ trách xã, phường của bạn\n\n"
        + "\n".join(ward_rows)
        + "\n"
    )
