"""Security headers on the site, the API and the docs; CORS only for configured origins;
the built site's own pages run under the Content-Security-Policy without a violation."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from catalog.load import Catalog
from tests.api_client import running_api
from tests.conftest import guarded_page
from tests.factories import tax_code
from tests.portal_client import approved_agent

EXPECTED = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}
PORTAL = "https://dichvucong.hanoi.gov.vn"
OTHER = "https://evil.example.com"


def headers_of(url: str) -> dict[str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return {k.lower(): v for k, v in error.headers.items()}


def assert_secured(headers: dict[str, str]) -> None:
    assert {k: headers.get(k) for k in EXPECTED} == EXPECTED
    directives = [
        part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";")
    ]
    policy = {d[0]: d[1] if len(d) > 1 else "" for d in directives}
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "https://tile.openstreetmap.org" in policy["img-src"].split()


def test_api_responses_carry_the_security_headers(tmp_path: Path, catalog: Catalog) -> None:
    with running_api(tmp_path, catalog) as api:
        responses = [
            api.client.get("/api/v1/procedures?q=khai%20sinh"),
            api.client.get("/api/v1/procedures/0.000000"),  # 404
            api.client.post("/api/v1/applications", json={"business_name": ""}),  # 422
            api.client.get("/healthz"),
            api.client.get("/schema"),
        ]
    assert [r.status_code for r in responses] == [200, 404, 422, 200, 200]
    for response in responses:
        assert_secured({k.lower(): v for k, v in response.headers.items()})


def test_the_tile_host_setting_is_allowed_for_images(tmp_path: Path, catalog: Catalog) -> None:
    with running_api(
        tmp_path, catalog, tile_url="https://{s}.tiles.example.vn/{z}/{x}/{y}.png"
    ) as api:
        policy = api.client.get("/healthz").headers["content-security-policy"]
    assert "img-src 'self' data: https://*.tiles.example.vn;" in policy
    assert "tile.openstreetmap.org" not in policy


def test_without_configured_origins_no_cross_origin_access_is_granted(
    tmp_path: Path, catalog: Catalog
) -> None:
    with running_api(tmp_path, catalog) as api:
        response = api.client.get("/api/v1/branches", headers={"Origin": PORTAL})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_cors_answers_configured_origins_only(tmp_path: Path, catalog: Catalog) -> None:
    with running_api(tmp_path, catalog, cors_origins=(PORTAL,)) as api:
        allowed = api.client.get("/api/v1/branches", headers={"Origin": PORTAL})
        refused = api.client.get("/api/v1/branches", headers={"Origin": OTHER})
        preflight = api.client.options(
            "/api/v1/submissions",
            headers={
                "Origin": PORTAL,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
            },
        )
        refused_preflight = api.client.options(
            "/api/v1/submissions",
            headers={"Origin": OTHER, "Access-Control-Request-Method": "POST"},
        )
    assert allowed.headers["access-control-allow-origin"] == PORTAL
    assert "access-control-allow-origin" not in refused.headers
    assert preflight.status_code in (200, 204)
    assert preflight.headers["access-control-allow-origin"] == PORTAL
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "idempotency-key" in preflight.headers["access-control-allow-headers"].lower()
    assert refused_preflight.headers.get("access-control-allow-origin") != OTHER
    assert refused_preflight.status_code >= 400


PAGES = [
    "/",
    "/thu-tuc/dang-ky-khai-sinh/",
    "/chi-nhanh/",
    "/chi-nhanh/1/",
    "/ban-do/",
    "/tim-diem-gan-nhat/",
    "/dai-ly/",
    "/dai-ly/dang-ky/",
    "/dai-ly/tra-cuu/",
    "/dai-ly/cong-dai-ly/",
    "/du-lieu-mo/",
    "/phan-anh/",
    "/phan-anh/tra-cuu/",
    "/kiem-tra/",
    "/kiem-tra/phan-anh/",
    "/kiem-tra/xep-hang/",
    "/schema",
]
MAP_PAGES = {"/chi-nhanh/", "/chi-nhanh/1/", "/ban-do/", "/tim-diem-gan-nhat/"}
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " "
    + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.mark.browser
def test_the_site_pages_carry_the_headers(server: str) -> None:
    for path in ["/", "/chi-nhanh/1/", "/assets/js/search.js", "/khong-co-trang-nay/"]:
        assert_secured(headers_of(server + path))


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_the_page_runs_without_a_csp_violation(browser, server: str, path: str) -> None:  # type: ignore[no-untyped-def]
    with guarded_page(browser, server, enforce_csp=True) as page:
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        page.add_init_script(COLLECT_VIOLATIONS)

        response = page.goto(server + path)
        page.wait_for_load_state("networkidle")
        if path in MAP_PAGES:
            page.wait_for_selector(".leaflet-container", state="attached")
        if path == "/schema":
            page.wait_for_selector(".swagger-ui .info", state="attached")
        else:  # Material's own script ran (it needs __md_scope from the moved bootstrap)
            page.wait_for_selector("[data-md-component=header]")
            assert page.evaluate("typeof __md_get === 'function' && __md_scope instanceof URL")
        violations = page.evaluate("window.__cspViolations")

    assert response is not None and response.status == 200
    assert violations == []
    assert [m for m in console if "Content Security Policy" in m] == []


@pytest.mark.browser
def test_the_agent_page_runs_without_a_csp_violation(  # type: ignore[no-untyped-def]
    browser, server: str, staff_token: str
) -> None:
    agent_id, _ = approved_agent(server, staff_token, tax_code=tax_code("010020311"))
    with guarded_page(browser, server, enforce_csp=True) as page:
        page.add_init_script(COLLECT_VIOLATIONS)
        page.goto(f"{server}/dai-ly/thong-tin/?id={agent_id}")
        page.wait_for_selector("#scorecard-kpis")  # profile, scorecard figures and form drawn
        page.wait_for_selector("#agent-map.leaflet-container", state="attached")
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations")

    assert violations == []
