"""Citizens' reports over HTTP: report, follow by tracking code, the staff queue and decisions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agents_registry.context import VIETNAM
from agents_registry.feedback import add_working_days
from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import report_body

CODE = re.compile(r"^PA-[A-Z2-7]{10}$")
CONTACT = {
    "contact_name": "Phạm Thị Hoa",
    "contact_email": "hoa.pham@example.vn",
    "contact_phone": "0912 345 679",
}


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog, public_rate_limit_per_minute=200) as running:
        yield running


def moment(days: int, base: str) -> str:
    """The ISO time ``days`` days after ``base`` (an API timestamp): tests never use the clock."""
    return (dt.datetime.fromisoformat(base) + dt.timedelta(days=days)).isoformat()


def report(api: Api, **overrides: Any) -> str:
    created = api.client.post("/api/v1/reports", json=report_body(**overrides))
    assert created.status_code == 201, created.text
    return str(created.json()["code"])


def act(api: Api, code: str, action: str, body: dict[str, Any]) -> Any:
    response = api.client.post(f"/api/v1/reports/{code}/{action}", json=body, headers=api.staff())
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(
    ("subject_kind", "subject_id", "canonical"),
    [
        ("procedure", "dang-ky-ket-hon", "dang-ky-ket-hon"),
        ("procedure", "1.000894", "dang-ky-ket-hon"),
        ("branch", "chi-nhanh-10", "chi-nhanh-10"),
        ("reception_point", "diem-tiep-nhan-ba-dinh", "diem-tiep-nhan-ba-dinh"),
    ],
)
def test_report_about_a_catalog_subject_gets_a_tracking_code_and_deadline(
    api: Api, catalog: Catalog, subject_kind: str, subject_id: str, canonical: str
) -> None:
    names = {p.id: p.name for p in catalog.procedures}
    names |= {b.id: b.name for b in catalog.branches}
    names |= {rp.id: rp.name for b in catalog.branches for rp in b.reception_points}

    created = api.client.post(
        "/api/v1/reports", json=report_body(subject_kind=subject_kind, subject_id=subject_id)
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert CODE.match(body["code"])
    received = dt.datetime.fromisoformat(body["received_at"])
    assert body["due_on"] == add_working_days(received.astimezone(VIETNAM).date(), 5).isoformat()
    status = api.client.get(f"/api/v1/reports/{body['code']}").json()
    assert status["subject"] == {"kind": subject_kind, "id": canonical, "name": names[canonical]}
    assert status["status"] == "received"
    assert [(e["action"], e["status"]) for e in status["history"]] == [("receive", "received")]


def test_charged_report_about_an_agent(api: Api) -> None:
    agent_id, _ = api.new_agent()

    code = report(
        api,
        kind="charged",
        subject_kind="agent",
        subject_id=agent_id.lower(),
        description="Đại lý thu của tôi 50.000 đồng để nộp hồ sơ cấp phiếu lý lịch tư pháp.",
    )

    status = api.client.get(f"/api/v1/reports/{code.lower()}").json()
    assert status["kind"] == "charged"
    assert status["subject"] == {
        "kind": "agent",
        "id": agent_id,
        "name": "Bưu điện Trung tâm Hoàn Kiếm",
    }


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"subject_id": "thu-tuc-khong-co"}, "subject_id"),
        ({"subject_kind": "branch", "subject_id": "chi-nhanh-99"}, "subject_id"),
        ({"subject_kind": "reception_point", "subject_id": "diem-tiep-nhan-x"}, "subject_id"),
        ({"kind": "charged", "subject_kind": "agent", "subject_id": "DL-9999"}, "subject_id"),
        ({"kind": "charged"}, "subject_kind"),
        ({"subject_kind": "ward"}, "subject_kind"),
        ({"kind": "spam"}, "kind"),
        ({"subject_id": "<b>x</b>"}, "subject_id"),
        ({"description": "x" * 2001}, "description"),
        ({"description": "<p><b> </b></p><script>alert(1)</script>"}, "description"),
        ({"contact_email": "không phải email"}, "contact_email"),
        ({"contact_phone": "12345678"}, "contact_phone"),
        ({"website": "http://spam.example"}, "website"),
        ({"status": "resolved"}, "status"),
    ],
)
def test_bad_reports_are_refused_naming_the_field_and_nothing_is_stored(
    api: Api, overrides: dict[str, Any], key: str
) -> None:
    response = api.client.post("/api/v1/reports", json=report_body(**overrides))

    assert response.status_code == 422, response.text
    assert [item["key"] for item in response.json()["extra"]] == [key]
    assert api.query("SELECT count(*) FROM reports") == [(0,)]
    assert api.query("SELECT count(*) FROM audit_log WHERE entity = 'report'") == [(0,)]


def test_oversized_body_is_refused(api: Api) -> None:
    padding = {"description": "Thông tin sai. " * 1200}

    response = api.client.post("/api/v1/reports", json=report_body(**padding))

    assert response.status_code == 413
    assert api.query("SELECT count(*) FROM reports") == [(0,)]


def test_html_is_removed_and_plain_text_kept(api: Api) -> None:
    code = report(
        api,
        description=(
            "<p>Lệ phí <b>ghi sai</b> &amp; thiếu giấy tờ</p><script>steal()</script>"
            '<img src=x onerror="alert(1)">Giờ làm việc &lt;8h&gt; cũng sai'
        ),
    )

    status = api.client.get(f"/api/v1/reports/{code}").json()
    assert status["description"] == "Lệ phí ghi sai & thiếu giấy tờ\nGiờ làm việc <8h> cũng sai"
    escaped = report(
        api,
        description="&lt;b&gt;Địa chỉ&lt;/b&gt; sai &lt;script&gt;alert(1)&lt;/script&gt;<![x]>",
    )
    assert api.client.get(f"/api/v1/reports/{escaped}").json()["description"] == "Địa chỉ sai"
    nested = report(
        api, description="Giờ mở cửa sai &amp;amp;amp;lt;script&amp;amp;amp;gt;alert(1)"
    )  # escaped four times: decoded and removed until no markup is left
    assert api.client.get(f"/api/v1/reports/{nested}").json()["description"] == "Giờ mở cửa sai"


def test_reporting_is_rate_limited(tmp_path: Path, catalog: Catalog) -> None:
    with running_api(tmp_path, catalog, public_rate_limit_per_minute=3) as api:
        statuses = [
            api.client.post("/api/v1/reports", json=report_body()).status_code for _ in range(5)
        ]
        stored = api.query("SELECT count(*) FROM reports")

    assert statuses == [201, 201, 201, 429, 429]
    assert stored == [(3,)]


def test_received_assigned_in_progress_resolved_with_a_note(api: Api) -> None:
    code = report(api, **CONTACT)

    assigned = act(api, code, "assign", {"assignee": "Nguyễn Văn Bình"})
    progressing = act(api, code, "progress", {"note": "Đang đối chiếu với Sở Tư pháp."})
    resolved = act(api, code, "resolve", {"note": "Đã sửa lệ phí thành 0 đồng theo Nghị quyết."})

    assert (assigned["status"], assigned["assignee"]) == ("received", "Nguyễn Văn Bình")
    assert progressing["status"] == "in_progress"
    assert resolved["status"] == "resolved"
    assert resolved["closed_at"] is not None
    assert [(e["action"], e["status"]) for e in resolved["history"]] == [
        ("receive", "received"),
        ("assign", "received"),
        ("progress", "in_progress"),
        ("resolve", "resolved"),
    ]
    public = api.client.get(f"/api/v1/reports/{code}").json()
    assert public["status"] == "resolved"
    assert public["note"] == "Đã sửa lệ phí thành 0 đồng theo Nghị quyết."
    assert [(e["status"], e["note"]) for e in public["history"]] == [
        ("received", None),
        ("in_progress", "Đang đối chiếu với Sở Tư pháp."),
        ("resolved", "Đã sửa lệ phí thành 0 đồng theo Nghị quyết."),
    ]
    audited = api.query(
        "SELECT action, actor FROM audit_log WHERE entity = 'report' AND entity_id = ? ORDER BY id",
        [code],
    )
    assert [a for a, _ in audited] == [
        "report.create",
        "report.assign",
        "report.progress",
        "report.resolve",
    ]
    assert {actor for _, actor in audited[1:]} == {"staff:1"}


def test_closed_reports_cannot_change_and_closing_needs_a_note(api: Api) -> None:
    code = report(api)

    without_note = api.client.post(f"/api/v1/reports/{code}/reject", json={}, headers=api.staff())
    blank_note = api.client.post(
        f"/api/v1/reports/{code}/reject", json={"note": "<i> </i>"}, headers=api.staff()
    )
    rejected = act(api, code, "reject", {"note": "Thông tin trên trang là đúng theo quy định."})
    again = api.client.post(
        f"/api/v1/reports/{code}/resolve", json={"note": "Đã sửa."}, headers=api.staff()
    )
    reassign = api.client.post(f"/api/v1/reports/{code}/assign", json={}, headers=api.staff())

    assert (without_note.status_code, without_note.json()["extra"][0]["key"]) == (422, "note")
    assert (blank_note.status_code, blank_note.json()["extra"][0]["key"]) == (422, "note")
    assert rejected["status"] == "rejected"
    assert (again.status_code, again.json()["extra"][0]["key"]) == (409, "status")
    assert reassign.status_code == 409
    missing = api.client.post(
        "/api/v1/reports/PA-AAAAAAAAAA/resolve", json={"note": "Đã sửa."}, headers=api.staff()
    )
    assert missing.status_code == 404
    assert api.client.get("/api/v1/reports/PA-AAAAAAAAAA").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/reports", None),
        ("POST", "/api/v1/reports/{code}/assign", {}),
        ("POST", "/api/v1/reports/{code}/progress", {}),
        ("POST", "/api/v1/reports/{code}/resolve", {"note": "Đã sửa."}),
        ("POST", "/api/v1/reports/{code}/reject", {"note": "Không đúng."}),
    ],
)
def test_staff_routes_refuse_the_public_and_agents(
    api: Api, method: str, path: str, body: dict[str, Any] | None
) -> None:
    code = report(api)
    _, agent = api.new_agent()
    url = path.format(code=code)

    anonymous = api.client.request(method, url, json=body)
    as_agent = api.client.request(method, url, json=body, headers=agent)

    assert (anonymous.status_code, as_agent.status_code) == (401, 403)
    assert api.query("SELECT status, assignee FROM reports") == [("received", None)]


def test_public_lookup_never_shows_contact_details(api: Api) -> None:
    typed = "Gọi lại cho tôi: 0987 654 321 hoặc lan.tran@example.vn, CCCD 001090012345."
    code = report(api, **CONTACT, description=typed)

    public = api.client.get(f"/api/v1/reports/{code}")
    open311 = api.client.get("/api/v1/open311/requests.json")
    queue = api.client.get("/api/v1/reports", headers=api.staff()).json()["items"]
    audit = api.query("SELECT after FROM audit_log WHERE entity = 'report'")

    for text in (public.text, open311.text):
        for secret in ("Phạm Thị Hoa", "hoa.pham", "912", "345 679", "654 321", "lan.tran"):
            assert secret not in text
    for secret in ("Phạm Thị Hoa", "hoa.pham", "912", "345 679"):  # staff-only log, no contact
        assert secret not in audit[0][0]
    assert {k: queue[0][k] for k in CONTACT} == {**CONTACT, "contact_phone": "0912345679"}
    masked = (
        "Gọi lại cho tôi: [đã ẩn] hoặc [đã ẩn] CCCD [đã ẩn]."  # the comma goes with the address
    )
    assert public.json()["description"] == masked
    assert open311.json()[0]["description"] == masked
    assert queue[0]["description"] == typed


def test_queue_by_deadline_with_filters_and_overdue(api: Api) -> None:
    agent_id, _ = api.new_agent()
    old = report(api)
    charged = report(api, kind="charged", subject_kind="agent", subject_id=agent_id)
    done = report(api, subject_kind="branch", subject_id="chi-nhanh-2")
    now = act(api, done, "resolve", {"note": "Đã cập nhật địa chỉ chi nhánh."})["updated_at"]
    # Arrange: the first report arrived three weeks ago, so its deadline has passed.
    received = dt.datetime.fromisoformat(moment(-21, now))
    api.query(
        "UPDATE reports SET received_at = ?, due_on = ? WHERE code = ?",
        [received.isoformat(), add_working_days(received.astimezone(VIETNAM).date(), 5), old],
    )

    def codes(query: str) -> list[str]:
        response = api.client.get(f"/api/v1/reports{query}", headers=api.staff())
        assert response.status_code == 200, response.text
        return [item["code"] for item in response.json()["items"]]

    assert codes("")[0] == old
    assert set(codes("")) == {old, charged, done}
    assert codes("?overdue=true") == [old]
    assert codes("?kind=charged") == [charged]
    assert codes("?status=resolved") == [done]
    assert codes("?status=closed") == [done]
    assert codes("?status=open") == [old, charged]
    assert codes(f"?subject_kind=agent&subject_id={agent_id}") == [charged]
    assert codes("?page=2&page_size=2") == [codes("")[2]]
    first = api.client.get("/api/v1/reports?overdue=true", headers=api.staff()).json()
    assert first["total"] == 1
    assert first["items"][0]["overdue"] is True
    bad = api.client.get("/api/v1/reports?status=done", headers=api.staff())
    assert (bad.status_code, bad.json()["extra"][0]["key"]) == (422, "status")


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Friday before Hùng Kings' day (observed Monday 27/4), then 30/4 and 1/5
        (dt.date(2026, 4, 24), dt.date(2026, 5, 6)),
        # Wednesday: Thursday 30/4 and Friday 1/5 are holidays, then a weekend
        (dt.date(2026, 4, 29), dt.date(2026, 5, 8)),
        # An ordinary week: Monday to the next Monday
        (dt.date(2026, 3, 2), dt.date(2026, 3, 9)),
        # Saturday: the five working days start on Monday
        (dt.date(2026, 3, 7), dt.date(2026, 3, 13)),
    ],
)
def test_deadline_counts_five_working_days_skipping_weekends_and_holidays(
    received: dt.date, due: dt.date
) -> None:
    assert add_working_days(received, 5) == due


def test_queue_syncs_with_modified_after(api: Api) -> None:
    old = report(api)
    created = api.client.post("/api/v1/reports", json=report_body()).json()
    recent, now = created["code"], created["received_at"]
    # Arrange: the first report was last changed 300 days ago.
    api.query("UPDATE reports SET updated_at = ? WHERE code = ?", [moment(-300, now), old])

    def codes(moment: str) -> list[str]:
        response = api.client.get(
            "/api/v1/reports", params={"modified_after": moment}, headers=api.staff()
        )
        assert response.status_code == 200, response.text
        return sorted(item["code"] for item in response.json()["items"])

    assert codes(moment(-301, now)) == sorted([old, recent])
    assert codes(moment(-1, now)) == [recent]
    resolved = act(api, old, "resolve", {"note": "Đã cập nhật thông tin."})
    assert codes(moment(-1, now)) == sorted([old, recent])
    assert codes(resolved["updated_at"]) == []
    naive = api.client.get(
        "/api/v1/reports", params={"modified_after": "2026-01-01T00:00:00"}, headers=api.staff()
    )
    assert (naive.status_code, naive.json()["extra"][0]["key"]) == (422, "modified_after")
