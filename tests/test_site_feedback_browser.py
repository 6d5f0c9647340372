"""Citizen feedback in a real browser: report from a page → staff resolve → the citizen sees it."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from tests.factories import application_body, tax_code
from tests.portal_client import serious_axe_violations

pytestmark = pytest.mark.browser

NOTE = "Đã sửa lệ phí đăng ký kết hôn thành miễn phí theo quy định hiện hành."


def call(
    server: str, method: str, path: str, token: str, body: dict[str, Any] | None = None
) -> Any:
    request = urllib.request.Request(
        f"{server}/api/v1{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def send_report(page, description: str) -> str:  # type: ignore[no-untyped-def]
    """Open the widget, fill the form, send; returns the tracking code shown."""
    page.get_by_role("button", name="Báo thông tin sai").click()
    page.get_by_label("Thông tin nào chưa đúng?").fill(description)
    page.get_by_label("Số điện thoại").fill("0912 345 679")
    page.get_by_role("button", name="Gửi phản ánh").click()
    code = page.locator(".hcc-report__code")
    code.wait_for()
    return str(code.inner_text())


def test_report_then_staff_resolves_then_the_citizen_sees_the_note(  # type: ignore[no-untyped-def]
    page, server: str, staff_token: str
) -> None:
    page.goto(server + "/thu-tuc/dang-ky-ket-hon/")

    code = send_report(page, "Trang ghi lệ phí 10.000 đồng nhưng thủ tục này miễn lệ phí.")
    call(server, "POST", f"/reports/{code}/progress", staff_token, {"note": "Đang kiểm tra."})
    call(server, "POST", f"/reports/{code}/resolve", staff_token, {"note": NOTE})
    page.get_by_role("link", name="Xem tình trạng xử lý phản ánh").click()

    state = page.locator("#report-state")
    state.wait_for()
    assert state.inner_text() == "Đã giải quyết"
    assert page.locator("#report-note").inner_text() == NOTE
    history = page.locator(".hcc-report-history li").all_inner_texts()
    assert [line.split(" — ")[1] for line in history] == [
        "Đã tiếp nhận",
        "Đang xử lý: Đang kiểm tra.",
        f"Đã giải quyết: {NOTE}",
    ]
    assert "0912" not in page.content()
    # map tiles aside (configurable), nothing leaves the site
    assert [url for url in page.outside_requests if "tile.openstreetmap.org" not in url] == []


def test_staff_resolve_from_the_queue_page(page, server: str, staff_token: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/chi-nhanh/10/")
    code = send_report(page, "Số điện thoại của chi nhánh trên trang không gọi được.")

    page.goto(server + "/kiem-tra/phan-anh/")
    page.fill("#staff-token", staff_token)
    page.click("#staff-login-submit")
    card = page.locator(f"#report-{code}")
    card.wait_for()
    assert "0912 345 679" not in card.inner_text()  # stored normalised, shown to staff only
    assert "0912345679" in card.inner_text()
    card.get_by_role("button", name="Giải quyết…").click()
    card.get_by_label("Kết quả giải quyết").fill("Đã cập nhật số điện thoại của chi nhánh.")
    card.get_by_role("button", name="Xác nhận: Giải quyết").click()
    page.locator("#reports-outcome").wait_for()

    page.goto(server + f"/phan-anh/tra-cuu/?ma={code}")
    page.locator("#report-state").wait_for()
    assert page.locator("#report-state").inner_text() == "Đã giải quyết"
    assert page.locator("#report-note").inner_text() == "Đã cập nhật số điện thoại của chi nhánh."


def test_without_javascript_the_page_says_how_to_report(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + "/thu-tuc/dang-ky-ket-hon/")
        fallback = page.locator(".hcc-report__fallback")
        assert "1022" in fallback.inner_text()
        assert fallback.locator("a").get_attribute("href") == "../../phan-anh/"
    finally:
        context.close()


def test_widget_and_status_page_say_when_the_api_cannot_be_reached(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.route("**/api/v1/**", lambda route: route.abort())
    page.goto(server + "/chi-nhanh/10/")

    page.get_by_role("button", name="Báo thông tin sai").click()
    page.get_by_label("Thông tin nào chưa đúng?").fill(
        "Giờ làm việc thứ Bảy trên trang không đúng."
    )
    page.get_by_role("button", name="Gửi phản ánh").click()

    summary = page.locator(".hcc-report__form .hcc-error-summary")
    summary.wait_for()
    assert "Không kết nối được máy chủ" in summary.inner_text()
    page.goto(server + "/phan-anh/tra-cuu/?ma=PA-AAAAAAAAAA")
    lookup = page.locator("#report-lookup-errors")
    lookup.wait_for()
    assert "Không kết nối được máy chủ" in lookup.inner_text()


def test_no_serious_accessibility_violation_in_the_report_pages(  # type: ignore[no-untyped-def]
    page, server: str, staff_token: str
) -> None:
    page.goto(server + "/thu-tuc/dang-ky-ket-hon/")
    page.get_by_role("button", name="Báo thông tin sai").click()
    form = serious_axe_violations(page)
    code = send_report(page, "Thời hạn giải quyết trên trang không khớp với thông báo của xã.")
    done = serious_axe_violations(page)
    page.goto(server + f"/phan-anh/tra-cuu/?ma={code}")
    page.locator("#report-state").wait_for()
    status = serious_axe_violations(page)
    page.goto(server + "/kiem-tra/phan-anh/")
    page.fill("#staff-token", staff_token)
    page.click("#staff-login-submit")
    page.locator(f"#report-{code}").wait_for()
    page.locator(f"#report-{code}-reject-open").click()
    queue = serious_axe_violations(page)

    assert (form, done, status, queue) == ([], [], [], [])


def test_charged_report_from_the_agent_page_flags_the_agent(  # type: ignore[no-untyped-def]
    page, server: str, staff_token: str
) -> None:
    body = application_body(
        tax_code=tax_code("010030003"), business_name="Cửa hàng viễn thông Kim Mã"
    )
    created = call(server, "POST", "/applications", staff_token, body)
    agent_id = call(server, "POST", f"/applications/{created['id']}/approve", staff_token, {})[
        "agent_id"
    ]
    page.goto(server + f"/dai-ly/thong-tin/?id={agent_id}")

    page.get_by_role("button", name="Tôi bị thu phí").click()
    page.get_by_label("Bạn bị thu bao nhiêu tiền").fill(
        "Ngày 20/11 nhân viên thu 50.000 đồng khi nộp hồ sơ cấp phiếu lý lịch tư pháp."
    )
    page.get_by_role("button", name="Gửi phản ánh").click()
    code = page.locator(".hcc-report__code")
    code.wait_for()

    report = call(server, "GET", f"/reports/{code.inner_text()}", staff_token)
    assert (report["kind"], report["subject"]) == (
        "charged",
        {"kind": "agent", "id": agent_id, "name": "Cửa hàng viễn thông Kim Mã"},
    )
    audit = call(server, "GET", f"/audit/agents/{agent_id}", staff_token)
    (flag,) = [f for f in audit["agent"]["flags"] if f["code"] == "charged"]
    assert [e["report_code"] for e in flag["evidence"]] == [code.inner_text()]
    tracking = code.inner_text()
    page.goto(server + f"/kiem-tra/phan-anh/?subject_kind=agent&subject_id={agent_id}")
    page.fill("#staff-token", staff_token)
    page.click("#staff-login-submit")
    page.locator(f"#report-{tracking}").wait_for()
    assert page.locator(".hcc-report-card").count() == 1
    assert page.locator("#reports-summary").inner_text().startswith(f"Về Đại lý {agent_id}: ")
    page.goto(server + f"/kiem-tra/dai-ly/?id={agent_id}")  # still signed in (this tab)
    evidence = page.locator('section[data-flag="charged"]').get_by_role("link", name=tracking)
    evidence.click()
    page.locator(f"#report-{tracking}").wait_for()
