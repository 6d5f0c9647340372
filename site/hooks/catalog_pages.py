"""MkDocs hook: add the pages generated from the catalog, the search index and the assets.

A thin adapter: the content comes from ``catalog.site.build_site``, the places data (map
and nearest pages) from ``agents_registry.place_export`` and the open data files and page
(``du-lieu-mo/``) from ``agents_registry.open_data``, reading the registry at ``HCC_DB``
read-only; nothing is written to ``site/docs`` (generated pages live in memory only).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from agents_registry.context import VIETNAM
from agents_registry.open_data import export as export_open_data
from agents_registry.open_data_page import open_data_page
from agents_registry.place_export import export_files, load_export_places
from api.settings import PROJECT_ROOT, public_url
from catalog.history import DataHistory, catalog_times, load_history
from catalog.load import DATA_DIR, Catalog, load_catalog
from catalog.maps import OSM_ATTRIBUTION, OSM_TILES, TileSettings
from catalog.pages.markdown import Site
from catalog.site import build_site

ASSETS = Path(__file__).resolve().parent.parent / "assets"
_site: Site | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """With ``HCC_PUBLIC_URL``, pages get their canonical address and the sitemap lists them."""
    url = public_url(os.environ)
    if url:
        config["site_url"] = url + "/"
    return config


STAFF_PAGES = "kiem-tra/"


def robots_txt(url: str | None) -> str:
    """Search engines may index every citizen page, not the staff pages; the sitemap when the
    portal's public address is known. Crawlers read /robots.txt at the host's root: with a
    public address under a path (``https://host/hcc``) the web server must serve it there."""
    prefix = urlsplit(url).path if url else ""
    lines = ["User-agent: *", f"Disallow: {prefix}/{STAFF_PAGES}"]
    return "\n".join(lines + ([f"Sitemap: {url}/sitemap.xml"] if url else [])) + "\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _site
    tiles = TileSettings(
        url=os.environ.get("HCC_TILE_URL") or OSM_TILES,
        attribution=os.environ.get("HCC_TILE_ATTRIBUTION") or OSM_ATTRIBUTION,
    )
    data_dir = os.environ.get("HCC_CATALOG_DIR")
    catalog = load_catalog(Path(data_dir)) if data_dir else load_catalog()
    history = load_history(Path(data_dir) if data_dir else DATA_DIR)
    _site = build_site(catalog, tiles, history)
    for path, markdown in _site.pages.items():
        files.append(File.generated(config, path, content=markdown))
    for name, (_element, script) in _site.maps.items():  # files, not inline: the site's CSP
        files.append(File.generated(config, f"assets/maps/{name}.js", content=script))
    for name, data in _site.data_files.items():
        content = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        files.append(File.generated(config, f"assets/{name}", content=content))
    for name, data in places_files(catalog, tiles).items():
        content = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        files.append(File.generated(config, f"assets/places/{name}", content=content))
    for path, data in open_data_files(catalog, history).items():
        files.append(File.generated(config, path, content=data))
    files.append(File.generated(config, "robots.txt", content=robots_txt(public_url(os.environ))))
    for asset in sorted(p for p in ASSETS.rglob("*") if p.is_file() and p.suffix != ".md"):
        rel = "assets/" + asset.relative_to(ASSETS).as_posix()
        files.append(File.generated(config, rel, abs_src_path=str(asset)))
    return files


def places_files(catalog: Catalog, tiles: TileSettings) -> dict[str, object]:
    """The places data: catalog places and the active agents of the registry at ``HCC_DB``."""
    db_path = Path(os.environ.get("HCC_DB") or PROJECT_ROOT / "var" / "hcc.db")
    places, source = load_export_places(db_path, catalog)
    now = dt.datetime.now(dt.UTC)
    return export_files(
        places,
        catalog,
        now=now,
        today=now.astimezone(VIETNAM).date(),
        agents_source=source,
        tiles={"url": tiles.url, "attribution": tiles.attribution},
    )


def open_data_files(catalog: Catalog, history: DataHistory) -> dict[str, str | bytes]:
    """The open data page and its files under ``du-lieu-mo/`` (same places as the maps)."""
    db_path = Path(os.environ.get("HCC_DB") or PROJECT_ROOT / "var" / "hcc.db")
    places, source = load_export_places(db_path, catalog)
    data = export_open_data(
        places,
        catalog,
        catalog_times(catalog, history),
        now=dt.datetime.now(dt.UTC),
        agents_source=source,
    )
    out: dict[str, str | bytes] = {f"du-lieu-mo/{p}": c for p, c in data.files.items()}
    out["du-lieu-mo/index.md"] = open_data_page(data.index, catalog.center.name)
    return out


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files, **_: Any) -> str:
    """Replace ``<!--hcc-map:NAME-->`` placeholders with the map and its self-hosted Leaflet."""
    prefix = "../" * page.url.count("/")
    if "<!--hcc-office-map-->" in html:
        html = html.replace(
            "<!--hcc-office-map-->",
            f'<link rel="stylesheet" href="{prefix}assets/vendor/leaflet/leaflet.css">'
            f'<figure class="hcc-map" aria-label="Bản đồ chi nhánh và điểm tiếp nhận">'
            f'<div class="folium-map" data-hcc-office-map data-base="{prefix}"></div></figure>'
            f'<script src="{prefix}assets/vendor/leaflet/leaflet.js"></script>'
            f'<script src="{prefix}assets/js/office-map.js"></script>',
        )
    if _site is None or "<!--hcc-map:" not in html:
        return html
    for name, (element, _script) in _site.maps.items():
        marker = f"<!--hcc-map:{name}-->"
        if marker in html:
            snippet = (
                f'<link rel="stylesheet" href="{prefix}assets/vendor/leaflet/leaflet.css">'
                f'<figure class="hcc-map" aria-label="Bản đồ">{element}</figure>'
                f'<script src="{prefix}assets/vendor/leaflet/leaflet.js"></script>'
                f'<script src="{prefix}assets/maps/{name}.js"></script>'
            )
            html = html.replace(marker, snippet)
    return html


def on_post_build(config: MkDocsConfig) -> None:
    """The sitemap lists the citizen pages only (robots.txt keeps crawlers off the staff's)."""
    sitemap = Path(config["site_dir"]) / "sitemap.xml"
    if not config["site_url"] or not sitemap.exists():
        return  # no public address: MkDocs wrote an empty sitemap
    staff = f"<loc>{config['site_url']}{STAFF_PAGES}"
    entries = re.split(r"(?=<url>)|(?<=</url>)", sitemap.read_text())
    kept = "".join(e for e in entries if not (e.startswith("<url>") and staff in e))
    sitemap.write_text(kept)
    with gzip.GzipFile(sitemap.with_suffix(".xml.gz"), "wb", mtime=0) as packed:  # reproducible
        packed.write(kept.encode())
