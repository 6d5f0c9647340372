"""The agent journey in a real browser: apply → staff approves → agent signs in, records, sees output."""

from __future__ import annotations

import json
import urllib.request

import pytest

from catalog.load import Catalog
from tests.factories import tax_code
from tests.portal_client import approved_agent

pytestmark = pytest.mark.browser


def approve(server: str, application_id: str, staff_token: str) -> str:
    request = urllib.request.Request(
        f"{server}/api/v1/applications/{application_id}/approve",
        data=b"{}",
        method="POST",
        headers={"Authorization": f"Bearer {staff_token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return str(json.loads(response.read())["token"])


def fill_application(page, tax_code: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#apply-business_name", "Bưu cục Hàng Trống")
    page.select_option("#apply-kind", "post_office")
    page.fill("#apply-tax_code", tax_code)
    page.fill("#apply-legal_representative", "Phạm Minh Hoa")
    page.fill("#apply-address", "Số 12 phố Hàng Trống, phường Hoàn Kiếm")
    page.select_option("#apply-ward_code", "00070")
    page.fill("#apply-lat", "21.0292")
    page.fill("#apply-lon", "105.8502")
    page.fill("#apply-phone", "0912 345 678")
    page.fill("#apply-email", "hangtrong@example.vn")
    for day in ["mon", "tue", "wed", "thu", "fri"]:
        page.fill(f"#apply-opening_hours-{day}", "08:00-12:00, 13:30-17:00")
    page.fill("#apply-staff_count", "3")
    page.fill("#apply-equipment", "2 máy tính, 1 máy quét")
    page.check("#apply-fields-ho-tich")
    page.check("#apply-commitment")


def test_apply_approve_sign_in_record_and_see_output(page, server: str, staff_token: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/dai-ly/dang-ky/")
    fill_application(page, "0100047516")
    page.click("#apply-submit")
    page.locator("#apply-result").wait_for()
    application_id = page.locator("#apply-result-id").inner_text().strip()
    secret = page.locator("#apply-result-secret").inner_text().strip()

    page.goto(f"{server}/dai-ly/tra-cuu/?id={application_id}")
    page.fill("#track-secret", secret)
    page.click("#track-submit")
    page.locator("#track-result .hcc-state--pending").wait_for()

    token = approve(server, application_id, staff_token)

    page.goto(server + "/dai-ly/cong-dai-ly/")
    page.fill("#agent-token", token)
    page.click("#agent-login-submit")
    page.locator("#agent-console").wait_for()
    assert "Bưu cục Hàng Trống" in page.locator("#agent-profile").inner_text()
    poster = page.locator("#agent-poster-link").get_attribute("href") or ""
    assert poster.startswith("/api/v1/agents/DL-") and poster.endswith("/poster.svg")
    page.fill("#sub-dossier_code", "000.00.01.H26-251123-7777")
    page.fill("#sub-procedure", "dang ky khai sinh")
    page.locator("#sub-procedure-opt-0").click()
    page.check("#sub-mode-full_online")
    page.click("#submission-submit")
    page.locator("#recent-submissions", has_text="000.00.01.H26-251123-7777").wait_for()

    assert "Đăng ký khai sinh" in page.locator("#agent-output").inner_text()
    assert page.outside_requests == []


def test_a_typed_procedure_code_is_recorded_without_picking_a_suggestion(  # type: ignore[no-untyped-def]
    page, server: str, staff_token: str, catalog: Catalog
) -> None:
    procedure = catalog.procedure("dang-ky-khai-sinh")
    assert procedure is not None
    _, token = approved_agent(
        server, staff_token, tax_code=tax_code("010010161"), business_name="Cửa hàng Mã Thủ Tục"
    )
    page.goto(server + "/dai-ly/cong-dai-ly/")
    page.fill("#agent-token", token)
    page.click("#agent-login-submit")
    page.locator("#agent-console").wait_for()

    page.fill("#sub-dossier_code", "000.00.01.H26-251123-8888")
    page.fill("#sub-procedure", procedure.key)
    page.locator("#sub-procedure-opt-0").wait_for()
    page.check("#sub-mode-partial_online")
    page.click("#submission-submit")

    result = page.locator("#submission-result", has_text="000.00.01.H26-251123-8888")
    result.wait_for()
    assert procedure.name in result.inner_text()
    assert page.input_value("#sub-procedure") == ""


def test_field_errors_appear_next_to_their_field(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/dai-ly/dang-ky/")
    fill_application(page, "0100047517")  # wrong check digit
    page.click("#apply-submit")

    error = page.locator("#apply-tax_code-error")
    error.wait_for()
    assert error.inner_text().strip()
    assert page.locator("#apply-tax_code").get_attribute("aria-invalid") == "true"
    assert not page.locator("#apply-result").is_visible()


def test_pages_say_when_the_api_cannot_be_reached(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.route("**/api/v1/**", lambda route: route.abort())
    page.goto(server + "/dai-ly/cong-dai-ly/")

    notice = page.locator("#api-unreachable")
    notice.wait_for()
    assert "Không kết nối được máy chủ" in notice.inner_text()
