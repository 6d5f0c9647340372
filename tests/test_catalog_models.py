"""The catalog models accept real records and refuse malformed ones with the field named."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from catalog.models import OpeningHours, Procedure
from tests.factories import make_procedure, procedure_data


def test_a_complete_procedure_decodes() -> None:
    procedure = make_procedure()

    assert procedure.key == "1.000894"
    assert procedure.is_verified("fees")


def test_a_procedure_without_code_is_keyed_by_its_id() -> None:
    procedure = make_procedure(code=None, unverified=["code"])

    assert procedure.key == "dang-ky-ket-hon"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "1001193"}, "$.code"),
        ({"code": "1.00119x"}, "$.code"),
        ({"level": "district"}, "$.level"),
        ({"online_level": "fully"}, "$.online_level"),
        ({"processing_time": {"working_days": True}}, "processing_time needs `days` or `text`"),
        ({"processing_time": {"days": -3}}, "$.processing_time.days"),
        ({"fees": [{"name": "Lệ phí"}]}, "a fee needs `amount_vnd` or `text`"),
        ({"fees": [{"amount_vnd": -1}]}, "$.fees[0].amount_vnd"),
        ({"documents": [{"name": ""}]}, "$.documents[0].name"),
        ({"unverified": ["colour"]}, "unverified names unknown fields: colour"),
        ({"code": None}, "must list `code` in unverified"),
        ({"replaced_by": "1.000894"}, "cannot replace itself"),
        ({"color": "red"}, "unknown field `color`"),
        ({"source": ""}, "$.source"),
    ],
)
def test_malformed_procedures_are_refused_with_the_reason(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(msgspec.ValidationError) as error:
        msgspec.convert(procedure_data(**overrides), Procedure)

    assert message in str(error.value)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({"mon": ["8:00-12:00"]}, "$.mon[0]"),
        ({"mon": ["12:00-08:00"]}, "ends before it starts"),
        ({"mon": ["08:00-12:00", "11:00-17:00"]}, "overlaps"),
        ({"mon": ["24:00-25:00"]}, "$.mon[0]"),
    ],
)
def test_malformed_opening_hours_are_refused(hours: dict[str, list[str]], message: str) -> None:
    with pytest.raises(msgspec.ValidationError) as error:
        msgspec.convert(hours, OpeningHours)

    assert message in str(error.value)


def test_opening_hours_by_weekday() -> None:
    hours = msgspec.convert(
        {"mon": ["08:00-12:00", "13:00-17:00"], "sat": ["08:00-12:00"]}, OpeningHours
    )

    assert [hours.day(i) for i in range(7)] == [
        ["08:00-12:00", "13:00-17:00"],
        [],
        [],
        [],
        [],
        ["08:00-12:00"],
        [],
    ]
