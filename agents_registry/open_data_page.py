"""The "Dữ liệu mở" page: every open data file with its format, licence, date, size and count.

Markdown for the static build (the files sit next to the page, under ``du-lieu-mo/``), with a
schema.org ``DataCatalog`` of ``Dataset`` entries as JSON-LD.
"""

from __future__ import annotations

import json

from agents_registry.open_data import LICENCE, OpenDataFile, OpenDataIndex
from catalog.pages.changes import local_date
from catalog.pages.markdown import esc, json_ld

SECTIONS = (
    (
        "Địa điểm phục vụ",
        "Chi nhánh, điểm tiếp nhận và đại lý dịch vụ công trực tuyến đang hoạt động.",
        "dia-diem",
    ),
    ("Thủ tục hành chính", "Danh mục thủ tục hành chính mà Trung tâm tiếp nhận.", "thu-tuc"),
    (
        "Open Referral HSDS 3",
        "Cùng dữ liệu theo chuẩn mở quốc tế "
        "[Human Services Data Specification 3](https://docs.openreferral.org/) của Open Referral: "
        "tổ chức, địa điểm, lịch làm việc, dịch vụ, hồ sơ cần nộp, phí (đơn vị VND) và nơi tiếp "
        "nhận. Có hai dạng: một tệp JSON, hoặc gói dữ liệu dạng bảng (mỗi loại đối tượng một tệp "
        "CSV, kèm `datapackage.json`).",
        "hsds/",
    ),
)


def human_size(size: int) -> str:
    """A file size in Vietnamese notation (decimal comma)."""
    if size < 1000:
        return f"{size} B"
    value, unit = (size / 1e3, "KB") if size < 1e6 else (size / 1e6, "MB")
    return f"{value:.1f} {unit}".replace(".", ",")


def file_table(files: list[OpenDataFile]) -> str:
    rows = [
        "| Tệp | Định dạng | Nội dung | Số bản ghi | Dung lượng | Giấy phép | Ngày tạo |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in files:
        name = f.path.rsplit("/", 1)[-1]
        records = f"{f.records:,}".replace(",", ".")
        rows.append(
            f"| [{esc(name)}]({f.path}) | {f.format} | **{esc(f.title)}.** {esc(f.description)} "
            f"| {records} | {human_size(f.size)} | {f.license} | {local_date(f.generated_at)} |"
        )
    return "\n".join(rows)


def catalog_json_ld(index: OpenDataIndex, publisher: str) -> str:
    datasets = []
    for title, description, prefix in SECTIONS:
        files = [f for f in index.files if f.path.startswith(prefix)]
        datasets.append(
            {
                "@type": "Dataset",
                "name": title,
                "description": description,
                "license": LICENCE["path"],
                "dateModified": index.generated_at.isoformat(),
                "creator": {"@type": "GovernmentOrganization", "name": publisher},
                "distribution": [
                    {
                        "@type": "DataDownload",
                        "name": f.title,
                        "contentUrl": f.path,
                        "encodingFormat": f.media_type,
                        "contentSize": f"{f.size} B",
                    }
                    for f in files
                ],
            }
        )
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "DataCatalog",
            "name": f"Dữ liệu mở — {publisher}",
            "license": LICENCE["path"],
            "publisher": {"@type": "GovernmentOrganization", "name": publisher},
            "dataset": datasets,
        }
    )


def open_data_page(index: OpenDataIndex, publisher: str) -> str:
    """The page's Markdown; file links are relative to the page (``du-lieu-mo/``)."""
    notes = []
    if index.demo:
        notes.append(
            '!!! warning "Dữ liệu minh họa"\n    Các đại lý trong dữ liệu này là dữ liệu minh họa '
            "(demo), không phải đại lý thật; mỗi bản ghi đại lý có đánh dấu `demo`.\n"
        )
    if index.agents_source == "none":
        notes.append(
            '!!! note "Chưa có đại lý"\n    Bản dựng này không đọc được danh sách đại lý, nên các '
            "tệp chỉ gồm chi nhánh và điểm tiếp nhận.\n"
        )
    sections = []
    for title, description, prefix in SECTIONS:
        files = [f for f in index.files if f.path.startswith(prefix)]
        sections += [f"## {title}", "", description, "", file_table(files), ""]
    return "\n".join(
        [
            "---",
            "title: Dữ liệu mở",
            f"description: {json.dumps('Tải dữ liệu mở về địa điểm phục vụ và thủ tục hành chính: CSV, GeoJSON, JSON, Open Referral HSDS 3.', ensure_ascii=False)}",
            "---",
            "# Dữ liệu mở",
            "",
            f"{esc(publisher)} công bố dữ liệu về địa điểm phục vụ và thủ tục hành chính để mọi "
            "người tự do sử dụng lại: tra cứu, bản đồ, ứng dụng, nghiên cứu.",
            "",
            f"**Giấy phép:** [{LICENCE['title']}]({LICENCE['path']}) — được sao chép, sửa đổi, "
            f"phân phối, kể cả cho mục đích thương mại, với điều kiện ghi nguồn “{esc(publisher)}”.  ",
            f"**Ngày tạo dữ liệu:** {local_date(index.generated_at)}. Dữ liệu chỉ gồm thông tin "
            "công khai; không có mã số thuế, thư điện tử, thông tin công dân hay ghi chú nội bộ.",
            "",
            *notes,
            *sections,
            "## Đồng bộ qua API",
            "",
            "Cùng các tệp này được tạo trực tiếp từ dữ liệu mới nhất tại `/api/v1/open-data` "
            "(danh sách tệp) và `/api/v1/open-data/{tệp}`, ví dụ `/api/v1/open-data/dia-diem.csv`. "
            "Mọi danh sách của API nhận tham số `modified_after` (thời điểm ISO 8601 có múi giờ, "
            "ví dụ `2026-01-01T00:00:00+07:00`) để chỉ lấy các bản ghi thay đổi sau thời điểm đó.",
            "",
            catalog_json_ld(index, publisher),
        ]
    )
