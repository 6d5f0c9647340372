"""Plain-function factories for catalog records (realistic defaults, overridable)."""

from __future__ import annotations

from typing import Any

import msgspec

from catalog.models import Procedure


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
