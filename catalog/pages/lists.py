"""Home, search and list pages: by field, by agency, fully online, location-independent.

Long lists are paged (PER_PAGE items) so that every built page stays small as the catalog grows.
"""

from __future__ import annotations

import json
from collections import defaultdict

from catalog.load import Catalog
from catalog.models import OnlineLevel, Procedure
from catalog.pages.markdown import esc, procedure_list, search_form
from catalog.search import tokens


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


PER_PAGE = 60


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
