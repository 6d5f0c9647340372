"""Assemble the generated part of the citizen site from the catalog."""

from __future__ import annotations

from catalog.history import BRANCHES_FILE, DataHistory, procedure_file
from catalog.load import DATA_DIR, Catalog
from catalog.maps import MapPlace, TileSettings, render_map
from catalog.models import OnlineLevel
from catalog.pages.branches import branch_page, branches_index
from catalog.pages.lists import (
    agencies_index,
    agency_slug,
    fields_index,
    home_page,
    list_pages,
    procedures_index,
)
from catalog.pages.markdown import Site
from catalog.pages.procedure import procedure_page
from catalog.search import index_entry


def build_site(catalog: Catalog, tiles: TileSettings, history: DataHistory | None = None) -> Site:
    """Every generated page (by source path), map fragment and the search index.

    ``history`` (the data files' git history) adds the change history to procedure and
    branch pages.
    """
    history = history or DataHistory(DATA_DIR)
    site = Site()
    site.pages["index.md"] = home_page(catalog)
    site.pages["thu-tuc/index.md"] = procedures_index(catalog)
    for procedure in catalog.procedures:
        site.pages[f"thu-tuc/{procedure.id}.md"] = procedure_page(
            catalog, procedure, history.recent(procedure_file(procedure))
        )
        site.search_index.append(
            index_entry(catalog, procedure).as_json(f"thu-tuc/{procedure.id}/")
        )
    site.pages["linh-vuc/index.md"] = fields_index(catalog)
    for field in catalog.fields:
        in_field = [p for p in catalog.procedures if p.field == field.slug]
        if in_field:
            site.pages.update(
                list_pages(
                    f"linh-vuc/{field.slug}",
                    f"Lĩnh vực {field.name}",
                    field.description or "",
                    in_field,
                )
            )
    site.pages.update(
        list_pages(
            "danh-sach/toan-trinh",
            "Thủ tục toàn trình trực tuyến",
            "Các thủ tục có thể làm trọn vẹn trên mạng, từ nộp hồ sơ đến nhận kết quả, "
            "không phải đến chi nhánh.",
            [p for p in catalog.procedures if p.online_level == OnlineLevel.FULL_ONLINE],
        )
    )
    site.pages.update(
        list_pages(
            "danh-sach/phi-dia-gioi",
            "Thủ tục phi địa giới hành chính",
            "Các thủ tục có thể nộp tại bất kỳ chi nhánh nào của Trung tâm, không phụ thuộc nơi cư trú.",
            [p for p in catalog.procedures if p.location_independent],
        )
    )
    site.pages["danh-sach/co-quan.md"] = agencies_index(catalog)
    agencies = sorted({p.agency for p in catalog.procedures})
    for agency in agencies:
        site.pages.update(
            list_pages(
                f"danh-sach/co-quan/{agency_slug(agency)}",
                agency,
                "Thủ tục do cơ quan này thực hiện.",
                [p for p in catalog.procedures if p.agency == agency],
            )
        )
    site.pages["chi-nhanh/index.md"] = branches_index(catalog)
    all_branches = []
    for branch in catalog.branches:
        site.pages[f"chi-nhanh/{branch.number}.md"] = branch_page(
            catalog, branch, history.recent(BRANCHES_FILE)
        )
        places = [MapPlace(branch.name, branch.address, branch.lat, branch.lon, "branch")]
        places += [
            MapPlace(rp.name, rp.address, rp.lat, rp.lon, "reception_point")
            for rp in branch.reception_points
            if (rp.lat, rp.lon) != (branch.lat, branch.lon)
        ]
        site.maps[f"branch-{branch.number}"] = list(render_map(places, tiles))
        all_branches.append(
            MapPlace(
                branch.name, branch.address, branch.lat, branch.lon, "branch", f"{branch.number}/"
            )
        )
    site.maps["branches"] = list(render_map(all_branches, tiles, height_px=420))
    site.data_files = {
        "search-index.json": site.search_index,
        "wards.json": [
            {"code": w.code, "name": w.name, "lat": w.lat, "lon": w.lon} for w in catalog.wards
        ],
        "fields.json": [{"slug": f.slug, "name": f.name} for f in catalog.fields],
    }
    return site
