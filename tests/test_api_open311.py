"""Open311 GeoReport v2 over citizens' reports: the spec's shapes, form-encoded POST, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from catalog.load import Catalog
from tests.api_client import Api, running_api
from tests.factories import report_body

BASE = "/api/v1/open311"
FORM = {
    "service_code": "wrong_info",
    "description": "Địa chỉ chi nhánh số 10 trên trang không đúng số nhà.",
    "lat": "20.6833",
    "long": "105.7481",
    "address_string": "Số 01, ngõ 285, đường Đại Nghĩa, xã Mỹ Đức",
    "email": "an.nguyen@example.vn",
    "first_name": "Văn An",
    "last_name": "Nguyễn",
    "phone": "0987654321",
    "attribute[subject_kind]": "branch",
    "attribute[subject_id]": "chi-nhanh-10",
    "api_key": "ignored-by-this-server",
}
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.fixture
def api(tmp_path: Path, catalog: Catalog) -> Iterator[Api]:
    with running_api(tmp_path, catalog, public_rate_limit_per_minute=200) as running:
        yield running


def post_form(api: Api, **overrides: str) -> Any:
    response = api.client.post(f"{BASE}/requests.json", data={**FORM, **overrides})
    assert response.status_code == 201, response.text
    return response.json()


def test_service_list_and_definitions(api: Api) -> None:
    services = api.client.get(f"{BASE}/services.json").json()
    charged = api.client.get(f"{BASE}/services/charged.json").json()

    assert [(s["service_code"], s["service_name"]) for s in services] == [
        ("wrong_info", "Báo thông tin sai"),
        ("charged", "Tôi bị thu phí"),
    ]
    assert all(
        set(s)
        == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
        and s["metadata"] is True
        and s["type"] == "realtime"
        for s in services
    )
    assert charged["service_code"] == "charged"
    assert [(a["code"], a["datatype"], a["required"]) for a in charged["attributes"]] == [
        ("subject_kind", "singlevaluelist", True),
        ("subject_id", "string", True),
    ]
    assert charged["attributes"][0]["values"] == [{"key": "agent", "name": "Đại lý"}]


def test_form_encoded_request_is_created_and_read_back_in_the_spec_shape(api: Api) -> None:
    created = post_form(api)

    assert [set(item) for item in created] == [
        {"service_request_id", "service_notice", "account_id"}
    ]
    code = created[0]["service_request_id"]
    (one,) = api.client.get(f"{BASE}/requests/{code}.json").json()
    assert set(one) == REQUEST_FIELDS
    assert {k: one[k] for k in ("status", "service_code", "service_name")} == {
        "status": "open",
        "service_code": "wrong_info",
        "service_name": "Báo thông tin sai",
    }
    assert one["address_id"] == "branch:chi-nhanh-10"
    # The citizen's whereabouts are kept for staff only, never in public answers.
    assert (one["address"], one["lat"], one["long"]) == (None, None, None)
    listed = api.client.get(f"{BASE}/requests.json").text
    assert "Đại Nghĩa" not in listed and "20.6833" not in listed
    (queued,) = api.client.get("/api/v1/reports", headers=api.staff()).json()["items"]
    assert (queued["address"], queued["lat"], queued["lon"]) == (
        FORM["address_string"],
        20.6833,
        105.7481,
    )
    requested = dt.datetime.fromisoformat(one["requested_datetime"])
    assert requested.utcoffset() == dt.timedelta(hours=7)
    native = api.client.get(f"/api/v1/reports/{code}").json()
    assert one["expected_datetime"] == f"{native['due_on']}T23:59:59+07:00"
    assert native["subject"]["id"] == "chi-nhanh-10"


def test_json_request_with_nested_attributes_and_contact_kept_for_staff_only(api: Api) -> None:
    agent_id, _ = api.new_agent()
    body = {
        "service_code": "charged",
        "description": "Nhân viên đại lý thu 30.000 đồng phí nộp hồ sơ giúp tôi.",
        "attribute": {"subject_kind": "agent", "subject_id": agent_id},
        "first_name": "Thị Mai",
        "last_name": "Lê",
        "phone": "0901234567",
    }

    created = api.client.post(f"{BASE}/requests.json", json=body)

    assert created.status_code == 201, created.text
    listed = api.client.get(f"{BASE}/requests.json").text
    assert "Mai" not in listed and "0901234567" not in listed
    (queued,) = api.client.get("/api/v1/reports", headers=api.staff()).json()["items"]
    assert (queued["contact_name"], queued["contact_phone"], queued["channel"]) == (
        "Thị Mai Lê",
        "0901234567",
        "open311",
    )


def test_filters_by_id_service_status_and_dates(api: Api) -> None:
    first = post_form(api)[0]["service_request_id"]
    second = api.client.post("/api/v1/reports", json=report_body()).json()["code"]
    closed = api.client.post(
        f"/api/v1/reports/{second}/resolve",
        json={"note": "Đã sửa lệ phí trên trang."},
        headers=api.staff(),
    )
    assert closed.status_code == 200
    now = dt.datetime.fromisoformat(closed.json()["received_at"])

    def ago(days: int) -> str:
        return (now - dt.timedelta(days=days)).isoformat()

    # Arrange: the first request arrived 200 days ago.
    api.query("UPDATE reports SET received_at = ? WHERE code = ?", [ago(200), first])

    def ids(**query: str) -> list[str]:
        response = api.client.get(f"{BASE}/requests.json", params=query)
        assert response.status_code == 200, response.text
        return [item["service_request_id"] for item in response.json()]

    assert ids() == [second]  # the last 90 days by default
    assert ids(start_date=ago(210)) == [second, first]
    assert ids(start_date=ago(210), end_date=ago(150)) == [first]
    assert ids(service_request_id=f"{first},{second.lower()}") == [second, first]
    assert ids(start_date=ago(210), status="closed") == [second]
    assert ids(start_date=ago(210), status="open") == [first]
    assert ids(start_date=ago(210), service_code="charged") == []
    closed_one = api.client.get(f"{BASE}/requests/{second}.json").json()[0]
    assert (closed_one["status"], closed_one["status_notes"]) == (
        "closed",
        "Đã sửa lệ phí trên trang.",
    )


@pytest.mark.parametrize(
    ("method", "path", "form", "status", "mentions"),
    [
        ("POST", "/requests.json", {"service_code": "pothole"}, 404, "service_code"),
        ("POST", "/requests.json", {"attribute[subject_id]": "chi-nhanh-99"}, 400, "subject_id"),
        ("POST", "/requests.json", {"lat": "91"}, 400, "lat"),
        ("POST", "/requests.json", {"long": ""}, 400, "long"),
        ("POST", "/requests.json", {"description": "<b></b>"}, 400, "description"),
        ("GET", "/requests.json?status=pending", None, 400, "status"),
        ("GET", "/requests.json?start_date=yesterday", None, 400, "start_date"),
        ("GET", "/requests/PA-AAAAAAAAAA.json", None, 404, "PA-AAAAAAAAAA"),
        ("GET", "/requests/PA-AAAAAAAAAA.xml", None, 404, "json"),
        ("GET", "/services/pothole.json", None, 404, "pothole"),
    ],
)
def test_errors_use_the_spec_error_array(
    api: Api, method: str, path: str, form: dict[str, str] | None, status: int, mentions: str
) -> None:
    data = {**FORM, **form} if form is not None else None
    if form is not None and form.get("long") == "":
        data = {k: v for k, v in FORM.items() if k != "long"}

    response = api.client.request(method, BASE + path, data=data)

    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, list) and body
    assert all(set(item) == {"code", "description"} and item["code"] == status for item in body)
    assert mentions in " ".join(item["description"] for item in body)
    assert api.query("SELECT count(*) FROM reports") == [(0,)]


def test_posting_is_rate_limited(tmp_path: Path, catalog: Catalog) -> None:
    with running_api(tmp_path, catalog, public_rate_limit_per_minute=2) as api:
        responses = [api.client.post(f"{BASE}/requests.json", data=FORM) for _ in range(4)]

    assert [r.status_code for r in responses] == [201, 201, 429, 429]
    assert responses[-1].json() == [{"code": 429, "description": "Too Many Requests"}]


def test_oversized_request_is_refused_in_the_spec_shape(api: Api) -> None:
    response = api.client.post(
        f"{BASE}/requests.json", data={**FORM, "description": "Sai địa chỉ. " * 2000}
    )

    assert response.status_code == 413
    assert [item["code"] for item in response.json()] == [413]
    assert api.query("SELECT count(*) FROM reports") == [(0,)]
