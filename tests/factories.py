"""Plain-function factories for catalog records (realistic defaults, overridable)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from catalog.models import Procedure

VN = dt.timezone(dt.timedelta(hours=7))


def procedure_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "dang-ky-ket-hon",
        "code": "1.000894",
        "name": "Đăng ký kết hôn",
        "field": "ho-tich",
        "level": "commune",
        "agency": "Ủy ban nhân dân cấp xã",
        "channels": ["in_person", "online"],
        "documents": [{"name": "Tờ khai đăng ký kết hôn", "originals": 1}],
        "processing_time": {"text": "Ngay trong ngày tiếp nhận"},
        "fees": [{"name": "Lệ phí đăng ký kết hôn", "amount_vnd": 0}],
        "online_level": "partial_online",
        "source": "test fixture",
    }
    data.update(overrides)
    return data


def make_procedure(**overrides: Any) -> Procedure:
    return msgspec.convert(procedure_data(**overrides), Procedure)


def application_body(**overrides: Any) -> dict[str, Any]:
    """A valid application: a post office in Phường Hoàn Kiếm (tax code with a correct check digit)."""
    body: dict[str, Any] = {
        "business_name": "Bưu điện Trung tâm Hoàn Kiếm",
        "kind": "post_office",
        "tax_code": "0100047516",
        "legal_representative": "Nguyễn Thị Lan",
        "address": "Số 75 Đinh Tiên Hoàng, phường Hoàn Kiếm",
        "ward_code": "00070",
        "lat": 21.0285,
        "lon": 105.8525,
        "phone": "+84 912 345 678",
        "email": "hoankiem@vnpost.vn",
        "opening_hours": {
            "mon": ["07:30-12:00", "13:00-18:00"],
            "tue": ["07:30-12:00", "13:00-18:00"],
            "wed": ["07:30-12:00", "13:00-18:00"],
            "thu": ["07:30-12:00", "13:00-18:00"],
            "fri": ["07:30-12:00", "13:00-18:00"],
            "sat": ["08:00-12:00"],
            "sun": [],
        },
        "staff_count": 4,
        "equipment": "3 máy tính, 2 máy quét, đường truyền cáp quang",
        "fields": ["ho-tich", "cu-tru", "chung-thuc"],
    }
    body.update(overrides)
    return body


def tax_code(prefix: str) -> str:
    """A valid tax code from a 9-digit prefix (the prefix must admit a check digit)."""
    from agents_registry.validation import tax_code_check_digit

    digit = tax_code_check_digit(prefix)
    assert digit is not None, prefix
    return f"{prefix}{digit}"


def this_month_ago(**delta: float) -> str:
    """The local time ``delta`` ago (ISO), but not before this month began in Hanoi: what the
    audit's default period (this month) counts, whatever day and hour the suite runs."""
    now = dt.datetime.now(VN)
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return max(now - dt.timedelta(**delta), month_start).isoformat(timespec="seconds")


def submission_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "dossier_code": "000.00.12.H26-251123-0001",
        "procedure_code": "1.001193",
        "mode": "full_online",
        "submitted_at": this_month_ago(hours=1),
        "citizen_id": "001203012345",
        "notes": "Hỗ trợ kê khai trên VNeID",
    }
    body.update(overrides)
    return body


def report_body(**overrides: Any) -> dict[str, Any]:
    """A citizen's "Báo thông tin sai" report about the marriage registration procedure."""
    body: dict[str, Any] = {
        "kind": "wrong_info",
        "subject_kind": "procedure",
        "subject_id": "dang-ky-ket-hon",
        "description": "Trang ghi lệ phí đăng ký kết hôn là 0 đồng nhưng xã tôi thu 10.000 đồng.",
    }
    body.update(overrides)
    return body
