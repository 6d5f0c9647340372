"""Page rendering: what a citizen reads for known, unverified and missing facts."""

from __future__ import annotations

import json
import re

import msgspec

from catalog.load import Catalog
from catalog.pages.branches import branch_page
from catalog.pages.lists import list_pages
from catalog.pages.procedure import procedure_page
from tests.factories import make_procedure


def json_ld_blocks(markdown: str) -> list[dict[str, object]]:
    return [
        json.loads(b)
        for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', markdown)
    ]


def table_row(markdown: str, label: str) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(f"| {label} |"))


def test_known_facts_are_shown_as_they_are(catalog: Catalog) -> None:
    procedure = make_procedure(
        fees=[{"name": "Lệ phí", "amount_vnd": 50000, "online_amount_vnd": 0}],
        processing_time={"days": 3},
    )

    page = procedure_page(catalog, procedure)

    assert (
        table_row(page, "Phí, lệ phí")
        == "| Phí, lệ phí | Lệ phí: 50.000 đồng; nộp trực tuyến: Miễn phí |"
    )
    assert table_row(page, "Thời hạn giải quyết") == "| Thời hạn giải quyết | 3 ngày làm việc |"
    assert table_row(page, "Mã thủ tục") == "| Mã thủ tục | 1.000894 |"


def test_unverified_facts_are_marked(catalog: Catalog) -> None:
    page = procedure_page(catalog, make_procedure(unverified=["fees"]))

    assert "(chưa kiểm chứng)" in table_row(page, "Phí, lệ phí")
    assert "chưa kiểm chứng" not in table_row(page, "Thời hạn giải quyết")
    assert "Các mục chưa kiểm chứng: phí, lệ phí." in page


def test_missing_facts_say_being_updated_and_point_to_the_national_portal(catalog: Catalog) -> None:
    page = procedure_page(catalog, make_procedure(fees=[], processing_time=None, documents=[]))

    for label in ["Phí, lệ phí", "Thời hạn giải quyết"]:
        row = table_row(page, label)
        assert "Đang cập nhật" in row
        assert "mã 1.000894" in row
        assert "(https://dichvucong.gov.vn)" in row
    assert '## Thành phần hồ sơ\n\n<span class="hcc-updating">Đang cập nhật</span>' in page


def test_a_replaced_procedure_points_to_its_successor(catalog: Catalog) -> None:
    page = procedure_page(catalog, make_procedure(code="2.000986", replaced_by="3.000722"))
    successor = catalog.procedure("3.000722")

    assert successor is not None
    assert f"Thủ tục này đã được thay thế bởi [{successor.name}]({successor.id}.md)." in page


def test_where_to_submit_depends_on_location_independence(catalog: Catalog) -> None:
    anywhere = procedure_page(catalog, make_procedure(location_independent=True))
    residence = procedure_page(catalog, make_procedure(location_independent=False))

    assert "**bất kỳ chi nhánh nào**" in anywhere
    assert "chi nhánh phụ trách xã, phường nơi bạn cư trú" in residence
    assert anywhere.count("](../chi-nhanh/") == len(catalog.branches)


def test_procedure_structured_data(catalog: Catalog) -> None:
    blocks = json_ld_blocks(procedure_page(catalog, make_procedure()))

    assert blocks == [
        {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": "Đăng ký kết hôn",
            "serviceType": "Hộ tịch",
            "areaServed": {"@type": "City", "name": "Hà Nội"},
            "provider": {"@type": "GovernmentOrganization", "name": catalog.center.name},
            "availableChannel": [
                {
                    "@type": "ServiceChannel",
                    "name": "Nộp trực tiếp tại chi nhánh hoặc điểm tiếp nhận",
                },
                {"@type": "ServiceChannel", "name": "Nộp trực tuyến trên Cổng Dịch vụ công"},
            ],
            "identifier": "1.000894",
        }
    ]


def test_long_lists_are_paged_with_links_between_pages(catalog: Catalog) -> None:
    procedures = [
        make_procedure(id=f"thu-tuc-{i:03d}", code=None, unverified=["code"]) for i in range(250)
    ]

    pages = list_pages("linh-vuc/thu-nghiem", "Thử nghiệm", "", procedures)

    assert sorted(pages) == [
        "linh-vuc/thu-nghiem-trang-2.md",
        "linh-vuc/thu-nghiem-trang-3.md",
        "linh-vuc/thu-nghiem-trang-4.md",
        "linh-vuc/thu-nghiem-trang-5.md",
        "linh-vuc/thu-nghiem.md",
    ]
    first = pages["linh-vuc/thu-nghiem.md"]
    assert first.count("](../thu-tuc/") == 60
    assert "Trang: **1** · [2](thu-nghiem-trang-2.md) · [3](thu-nghiem-trang-3.md) · " in first
    assert pages["linh-vuc/thu-nghiem-trang-5.md"].count("](../thu-tuc/") == 10


def test_an_illustrative_branch_says_so(catalog: Catalog) -> None:
    known = branch_page(catalog, catalog.branches[9])
    assumed = branch_page(catalog, catalog.branches[2])

    assert "Thông tin minh họa" not in known
    assert "Thông tin minh họa" in assumed
    assert "*(địa chỉ minh họa, đang cập nhật)*" in assumed
    served = next(
        line for line in known.splitlines() if line.endswith(".") and "xã, phường:" in line
    )
    assert all(f"Xã {name}" in served for name in ["Phúc Sơn", "Hồng Sơn", "Mỹ Đức", "Hương Sơn"])
    office = json_ld_blocks(known)[0]
    assert office["@type"] == "GovernmentOffice"
    assert office["telephone"] == "1022"


def test_decoding_keeps_branch_hours_in_week_order(catalog: Catalog) -> None:
    hours = msgspec.to_builtins(catalog.branches[0].opening_hours)

    assert list(hours) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
