"""The built site: every page generated, light, self-contained, in Vietnamese, valid structure."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from catalog.load import Catalog
from tests.conftest import PUBLIC_URL, ROOT


class PageFacts(HTMLParser):
    """Collects what the tests check on one built page."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.h1 = 0
        self.loads: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self.inputs_without_label: list[str] = []
        self.label_for: set[str] = set()
        self.input_ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "h1":
            self.h1 += 1
        if tag == "script" and a.get("src"):
            self.loads.append(a["src"] or "")
        if tag == "link" and a.get("rel") in {"stylesheet", "preload", "icon", "manifest"}:
            self.loads.append(a.get("href") or "")
        if tag in {"img", "iframe"} and a.get("src"):
            self.loads.append(a["src"] or "")
        if tag == "script" and a.get("type") == "application/ld+json":
            self._in_json_ld = True
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"] or "")
        if tag == "input" and a.get("type") not in {"hidden", "checkbox", "radio"}:
            self.input_ids.append(a.get("id") or "")

    def handle_endtag(self, tag: str) -> None:
        self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld.append(data)


def facts(path: Path) -> PageFacts:
    parser = PageFacts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def test_a_page_per_procedure_and_per_branch(site_dir: Path, catalog: Catalog) -> None:
    procedure_pages = {p.parent.name for p in (site_dir / "thu-tuc").glob("*/index.html")}
    branch_pages = {p.parent.name for p in (site_dir / "chi-nhanh").glob("*/index.html")}

    assert procedure_pages == {p.id for p in catalog.procedures}
    assert len(procedure_pages) >= 150
    assert branch_pages == {str(n) for n in range(1, 13)}


def test_every_page_is_in_vietnamese_with_one_h1_and_labelled_inputs(site_dir: Path) -> None:
    for path in html_pages(site_dir):
        page = facts(path)
        assert page.lang == "vi", path
        assert page.h1 == 1, path
        assert set(page.input_ids) <= page.label_for, path


def test_nothing_is_loaded_from_another_host(site_dir: Path) -> None:
    for path in html_pages(site_dir):
        for url in facts(path).loads:
            assert not re.match(r"^(https?:)?//", url), (path, url)
    for css in site_dir.rglob("*.css"):
        assert not re.search(r"url\((['\"]?)(https?:)?//", css.read_text(encoding="utf-8")), css
        assert "@import" not in css.read_text(encoding="utf-8"), css


def test_every_page_stays_under_50_kb(site_dir: Path) -> None:
    heavy = {p: p.stat().st_size for p in html_pages(site_dir) if p.stat().st_size > 50_000}

    assert heavy == {}


@pytest.mark.parametrize(
    ("page", "kind"),
    [("thu-tuc/dang-ky-khai-sinh", "GovernmentService"), ("chi-nhanh/10", "GovernmentOffice")],
)
def test_structured_data(site_dir: Path, page: str, kind: str) -> None:
    blocks = [json.loads(b) for b in facts(site_dir / page / "index.html").json_ld]

    assert [b["@type"] for b in blocks] == [kind]
    assert blocks[0]["@context"] == "https://schema.org"


def test_the_search_index_lists_every_procedure_once(site_dir: Path, catalog: Catalog) -> None:
    index = json.loads((site_dir / "assets" / "search-index.json").read_text(encoding="utf-8"))

    assert sorted(e["k"] for e in index) == sorted(p.key for p in catalog.procedures)
    for entry in index:
        assert (site_dir / entry["u"] / "index.html").is_file(), entry["u"]


def test_unknown_facts_say_they_are_being_updated(site_dir: Path, catalog: Catalog) -> None:
    missing_fee = next(p for p in catalog.procedures if not p.fees)
    html = (site_dir / "thu-tuc" / missing_fee.id / "index.html").read_text(encoding="utf-8")

    assert "Đang cập nhật" in html
    assert "https://dichvucong.gov.vn" in html


def test_branch_pages_carry_a_self_hosted_map(site_dir: Path) -> None:
    html = (site_dir / "chi-nhanh" / "10" / "index.html").read_text(encoding="utf-8")

    assert 'src="../../assets/vendor/leaflet/leaflet.js"' in html
    assert 'src="../../assets/maps/branch-10.js"' in html  # a file: the CSP allows no inline script
    assert "L.marker(" in (site_dir / "assets" / "maps" / "branch-10.js").read_text()
    assert "L.marker(" not in html
    assert (site_dir / "assets" / "vendor" / "leaflet" / "leaflet.js").is_file()


def test_the_sitemap_lists_every_citizen_page_at_the_public_address(
    site_dir: Path, catalog: Catalog
) -> None:
    sitemap = (site_dir / "sitemap.xml").read_text()
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for procedure in catalog.procedures:
        assert f"{PUBLIC_URL}/thu-tuc/{procedure.id}/" in listed
    assert f"{PUBLIC_URL}/" in listed and f"{PUBLIC_URL}/ban-do/" in listed
    assert [loc for loc in listed if "/kiem-tra/" in loc] == []  # staff pages stay unlisted
    assert len(listed) == len(re.findall("<url>", sitemap))
    assert gzip.decompress((site_dir / "sitemap.xml.gz").read_bytes()).decode() == sitemap
    home = (site_dir / "index.html").read_text()
    assert f'<link rel="canonical" href="{PUBLIC_URL}/">' in home
    robots = (site_dir / "robots.txt").read_text().splitlines()
    assert robots == [
        "User-agent: *",
        "Disallow: /kiem-tra/",
        f"Sitemap: {PUBLIC_URL}/sitemap.xml",
    ]


def test_robots_txt_under_a_path_keeps_crawlers_off_that_path_s_staff_pages() -> None:
    spec = importlib.util.spec_from_file_location("hook", ROOT / "site/hooks/catalog_pages.py")
    assert spec is not None and spec.loader is not None
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)

    assert hook.robots_txt("https://hanoi.example.vn/hcc").splitlines() == [
        "User-agent: *",
        "Disallow: /hcc/kiem-tra/",
        "Sitemap: https://hanoi.example.vn/hcc/sitemap.xml",
    ]
    assert hook.robots_txt(None).splitlines() == ["User-agent: *", "Disallow: /kiem-tra/"]
