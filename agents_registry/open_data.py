"""Open data: the portal's places and procedures as downloadable files in open formats.

One function, :func:`export`, makes every file from the same inputs; the static build writes
them under ``/du-lieu-mo/`` (site/hooks/catalog_pages.py) and the API serves them live
(``GET /api/v1/open-data/...``). Only public fields are exported — never a tax code, an e-mail
address, a token, a citizen's data or a staff note — and demo agents say so in every file.

Files (paths relative to ``du-lieu-mo/``):

``dia-diem.csv``, ``dia-diem.geojson``
    Branches, reception points and active agents (one row / feature each).
``thu-tuc.csv``, ``thu-tuc.json``
    The procedure catalog (the JSON holds every field of the catalog model).
``hsds/hsds.json``
    Open Referral HSDS 3: organizations (with their locations) and services.
``hsds/datapackage.json`` and ``hsds/<object>s.csv``; ``hsds/hsds-3-csv.zip``
    The same in the HSDS Tabular Data Package form, also as one zip.
``index.json``
    The list of files with title, format, description, licence, date, size and record count.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec
from sqlite_utils import Database

from agents_registry import store
from agents_registry.hsds import hsds_objects
from agents_registry.hsds_package import TABLES, datapackage, hsds_tables, to_csv
from agents_registry.open_data_rows import (
    PLACE_COLUMNS,
    PROCEDURE_COLUMNS,
    geojson,
    place_rows,
    procedure_row,
    procedures_json,
)
from agents_registry.places import Place, PlaceKind, load_places, local_today
from catalog.history import CatalogTimes
from catalog.load import Catalog

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "json": "application/json",
    "zip": "application/zip",
}


class OpenDataFile(msgspec.Struct, kw_only=True, frozen=True):
    """One downloadable file as listed on the open data page and by the API."""

    path: str
    title: str
    format: str
    media_type: str
    description: str
    records: int
    size: int
    license: str
    generated_at: dt.datetime


class OpenDataIndex(msgspec.Struct, kw_only=True, frozen=True):
    generated_at: dt.datetime
    license: dict[str, str]
    demo: bool
    agents_source: str
    files: list[OpenDataFile]


@dataclass(frozen=True)
class OpenData:
    index: OpenDataIndex
    files: dict[str, bytes]  # path -> content, index.json included

    def media_type(self, path: str) -> str:
        return MEDIA_TYPES[path.rsplit(".", 1)[-1]]


def _json(value: object, *, pretty: bool = False) -> bytes:
    if pretty:
        return json.dumps(value, ensure_ascii=False, indent=1).encode()
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _zip(files: dict[str, bytes], now: dt.datetime) -> bytes:
    out = io.BytesIO()
    stamp = now.astimezone(dt.UTC).timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def export(
    places: Sequence[Place],
    catalog: Catalog,
    times: CatalogTimes,
    *,
    now: dt.datetime,
    agents_source: str,
) -> OpenData:
    """Every open data file from the places (catalog places + active agents) and the catalog."""
    generated_at = now.astimezone(dt.UTC).replace(microsecond=0)
    stamp = generated_at.isoformat()
    agents = [p for p in places if p.kind == PlaceKind.AGENT]
    demo = any(p.demo for p in agents)
    organizations, services = hsds_objects(places, catalog, times)
    tables = hsds_tables(organizations, services)
    counts = {kind: len(rows) for kind, rows in tables.items()}
    hsds_csv = {
        path: to_csv([c for c, _ in columns], tables[kind])
        for kind, (path, columns) in TABLES.items()
    }
    package = datapackage(f"{catalog.center.name} — HSDS 3 (dạng bảng)", stamp, LICENCE, counts)
    hsds_json = {
        "hsds_version": "3.0",
        "generated_at": stamp,
        "license": LICENCE["path"],
        "organizations": organizations,
        "services": services,
    }
    place_label = f"{counts_text(places)}. Chỉ gồm thông tin công khai" + (
        "; các đại lý là dữ liệu minh họa (cột demo)." if demo else "."
    )
    files: dict[str, tuple[bytes, str, str, int]] = {
        "dia-diem.csv": (
            to_csv(PLACE_COLUMNS, place_rows(places, catalog)),
            "Địa điểm phục vụ (CSV)",
            place_label,
            len(places),
        ),
        "dia-diem.geojson": (
            _json(geojson(places, catalog, stamp, LICENCE["path"])),
            "Địa điểm phục vụ (GeoJSON)",
            place_label + " Tọa độ WGS84.",
            len(places),
        ),
        "thu-tuc.csv": (
            to_csv(
                PROCEDURE_COLUMNS, [procedure_row(p, catalog, times) for p in catalog.procedures]
            ),
            "Thủ tục hành chính (CSV)",
            "Mỗi dòng một thủ tục: mã, lĩnh vực, cơ quan, thời hạn, phí (đồng), hồ sơ, nguồn, "
            "ngày kiểm chứng và ngày cập nhật.",
            len(catalog.procedures),
        ),
        "thu-tuc.json": (
            _json(procedures_json(catalog, times, stamp, LICENCE["path"])),
            "Thủ tục hành chính (JSON)",
            "Toàn bộ dữ liệu của từng thủ tục: thành phần hồ sơ, trình tự, phí, lệ phí, căn cứ "
            "pháp lý, nguồn.",
            len(catalog.procedures),
        ),
        "hsds/hsds.json": (
            _json(hsds_json),
            "Open Referral HSDS 3 (JSON)",
            f"{len(organizations)} tổ chức (Trung tâm và các đại lý) kèm địa điểm, lịch làm việc; "
            f"{len(services)} dịch vụ (thủ tục và hỗ trợ của đại lý) kèm hồ sơ, phí (VND) và nơi "
            "tiếp nhận.",
            len(organizations) + len(services),
        ),
        "hsds/datapackage.json": (
            _json(package, pretty=True),
            "Open Referral HSDS 3 — mô tả gói dữ liệu dạng bảng",
            "Tabular Data Package (Frictionless): danh sách các bảng CSV, cột, khóa.",
            len(TABLES),
        ),
    }
    for kind, (path, _) in TABLES.items():
        files[f"hsds/{path}"] = (
            hsds_csv[path],
            f"HSDS 3 — bảng {kind}",
            f"Bảng {path} của gói HSDS 3 dạng bảng.",
            counts[kind],
        )
    files["hsds/hsds-3-csv.zip"] = (
        _zip({"datapackage.json": files["hsds/datapackage.json"][0], **hsds_csv}, now),
        "Open Referral HSDS 3 dạng bảng (ZIP)",
        "datapackage.json và mọi bảng CSV trong một tệp nén.",
        sum(counts.values()),
    )
    return _assemble(files, generated_at, demo, agents_source)


def counts_text(places: Sequence[Place]) -> str:
    n = {kind: sum(1 for p in places if p.kind == kind) for kind in PlaceKind}
    return (
        f"{n[PlaceKind.BRANCH]} chi nhánh, {n[PlaceKind.RECEPTION_POINT]} điểm tiếp nhận, "
        f"{n[PlaceKind.AGENT]} đại lý đang hoạt động"
    )


def _assemble(
    files: dict[str, tuple[bytes, str, str, int]],
    generated_at: dt.datetime,
    demo: bool,
    agents_source: str,
) -> OpenData:
    listed = [
        OpenDataFile(
            path=path,
            title=title,
            format=path.rsplit(".", 1)[-1].upper(),
            media_type=MEDIA_TYPES[path.rsplit(".", 1)[-1]],
            description=description,
            records=records,
            size=len(content),
            license=LICENCE["name"],
            generated_at=generated_at,
        )
        for path, (content, title, description, records) in files.items()
    ]
    index = OpenDataIndex(
        generated_at=generated_at,
        license=LICENCE,
        demo=demo,
        agents_source=agents_source,
        files=listed,
    )
    contents = {path: content for path, (content, *_) in files.items()}
    contents["index.json"] = _json(msgspec.to_builtins(index), pretty=True)
    return OpenData(index=index, files=contents)


_live_lock = threading.Lock()
_live: tuple[tuple[object, ...], OpenData] | None = None  # (places fingerprint and day, data)


def live(db: Database, catalog: Catalog, times: CatalogTimes, *, now: dt.datetime) -> OpenData:
    """The open data of the registry as it is now; rebuilt only when places or the day change."""
    global _live
    today = local_today()
    key = (*store.places_fingerprint(db), id(catalog), today)
    with _live_lock:
        if _live is not None and _live[0] == key:
            return _live[1]
        data = export(
            load_places(db, catalog, today=today), catalog, times, now=now, agents_source="database"
        )
        _live = (key, data)
        return data
