"""Open now, opens at: weekly hours, lunch breaks, midnight, Vietnam's holidays and closures.

Also the write actions behind them: agents' own hours, staff overrides and closures, each one
transaction with its audit event, and how ``load_places`` presents the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from sqlite_utils import Database

from agents_registry import applications, place_hours, store
from agents_registry.auth import Principal
from agents_registry.context import VIETNAM, Context
from agents_registry.db import connect
from agents_registry.errors import Conflict, Forbidden, InvalidInput, NotFound
from agents_registry.hours import Closure, OpenState, closed_reason, holiday, open_state
from agents_registry.migrations import migrate
from agents_registry.models import ApplicationIn
from agents_registry.places import PlaceKind, get_place, load_places, view
from catalog.load import Catalog
from catalog.models import OpeningHours
from tests.factories import application_body, tax_code

OFFICE = OpeningHours(
    mon=["08:00-12:00", "13:00-17:00"],
    tue=["08:00-12:00", "13:00-17:00"],
    wed=["08:00-12:00", "13:00-17:00"],
    thu=["08:00-12:00", "13:00-17:00"],
    fri=["08:00-12:00", "13:00-17:00"],
    sat=["08:00-12:00"],
)
LATE = OpeningHours(fri=["18:00-23:59"], sat=["00:00-02:00"])
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM)  # a Tuesday without holidays
STAFF = Principal("staff", "1")


def local(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VIETNAM)


def opens(text: str, reason: str | None = None) -> OpenState:
    return OpenState(open_now=False, opens_at=local(text), closed_reason=reason)


def open_until(text: str) -> OpenState:
    return OpenState(open_now=True, closes_at=local(text))


# --- open_state -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-03-13T23:59", opens("2026-03-14T08:00")),  # Friday night -> Saturday morning
        ("2026-03-14T00:00", opens("2026-03-14T08:00")),
        ("2026-03-13T00:00", opens("2026-03-13T08:00")),
        ("2026-03-16T07:59:59", opens("2026-03-16T08:00")),
        ("2026-03-16T08:00", open_until("2026-03-16T12:00")),
        ("2026-03-16T11:59:59", open_until("2026-03-16T12:00")),
        ("2026-03-16T12:00", opens("2026-03-16T13:00")),  # lunch break starts exactly at 12:00
        ("2026-03-16T12:59", opens("2026-03-16T13:00")),
        ("2026-03-16T13:00", open_until("2026-03-16T17:00")),  # and ends exactly at 13:00
        ("2026-03-16T17:00", opens("2026-03-17T08:00")),
        ("2026-03-14T12:00", opens("2026-03-16T08:00")),  # Saturday noon -> Monday
        ("2026-03-15T23:59:59", opens("2026-03-16T08:00")),
    ],
)
def test_open_state_through_the_week(at: str, expected: OpenState) -> None:
    assert open_state(OFFICE, (), local(at)) == expected


def test_open_state_is_computed_in_hanoi_time_whatever_the_caller_zone() -> None:
    friday_2359_local = dt.datetime(2026, 3, 13, 16, 59, tzinfo=dt.UTC)
    saturday_0000_local = dt.datetime(2026, 3, 13, 17, 0, tzinfo=dt.UTC)

    assert open_state(OFFICE, (), friday_2359_local) == opens("2026-03-14T08:00")
    assert open_state(OFFICE, (), saturday_0000_local) == opens("2026-03-14T08:00")
    assert open_state(OFFICE, (), dt.datetime(2026, 3, 16, 1, 0, tzinfo=dt.UTC)) == open_until(
        "2026-03-16T12:00"
    )


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-03-13T17:59", opens("2026-03-13T18:00")),
        ("2026-03-13T23:59:30", open_until("2026-03-14T02:00")),  # open through midnight
        ("2026-03-14T00:00", open_until("2026-03-14T02:00")),
        ("2026-03-14T02:00", opens("2026-03-20T18:00")),
    ],
)
def test_a_place_open_through_midnight(at: str, expected: OpenState) -> None:
    assert open_state(LATE, (), local(at)) == expected


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Tết 2027: 29 Tết (Thu 4 Feb) to mùng năm (Wed 10 Feb), a week closed.
        ("2027-02-03T17:00", opens("2027-02-11T08:00")),
        ("2027-02-04T09:00", opens("2027-02-11T08:00", "Nghỉ lễ: 29 Tết")),
        ("2027-02-06T00:00", opens("2027-02-11T08:00", "Nghỉ lễ: Tết Nguyên Đán")),
        ("2027-02-06T10:00", opens("2027-02-11T08:00", "Nghỉ lễ: Tết Nguyên Đán")),
        # National Day: 2 and 3 September 2027 (Thursday, Friday).
        ("2027-09-01T23:59", opens("2027-09-04T08:00")),
        ("2027-09-02T10:00", opens("2027-09-04T08:00", "Nghỉ lễ: Quốc khánh")),
        # Hùng Kings' commemoration: Friday 16 April 2027; 2026's falls on a Sunday, off on Monday.
        ("2027-04-16T10:00", opens("2027-04-17T08:00", "Nghỉ lễ: Ngày Giỗ Tổ Hùng Vương")),
        (
            "2026-04-27T10:00",
            opens("2026-04-28T08:00", "Nghỉ lễ: Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        ),
    ],
)
def test_public_holidays_close_every_place(at: str, expected: OpenState) -> None:
    assert open_state(OFFICE, (), local(at)) == expected


def test_holiday_names_come_from_the_holidays_package() -> None:
    assert holiday(dt.date(2027, 2, 6)) == "Tết Nguyên Đán"
    assert holiday(dt.date(2027, 9, 2)) == "Quốc khánh"
    assert holiday(dt.date(2027, 4, 16)) == "Ngày Giỗ Tổ Hùng Vương"
    assert holiday(dt.date(2027, 4, 15)) is None


def test_a_closure_closes_the_place_and_says_why() -> None:
    repairs = Closure(
        starts_on=dt.date(2026, 3, 16), ends_on=dt.date(2026, 3, 18), reason="Sửa chữa mặt bằng"
    )

    assert open_state(OFFICE, [repairs], local("2026-03-13T16:00")) == open_until(
        "2026-03-13T17:00"
    )
    assert open_state(OFFICE, [repairs], local("2026-03-14T12:00")) == opens("2026-03-19T08:00")
    assert open_state(OFFICE, [repairs], local("2026-03-16T10:00")) == opens(
        "2026-03-19T08:00", "Sửa chữa mặt bằng"
    )
    assert open_state(OFFICE, [repairs], local("2026-03-18T23:59")) == opens(
        "2026-03-19T08:00", "Sửa chữa mặt bằng"
    )
    assert open_state(OFFICE, [repairs], local("2026-03-19T00:00")) == opens("2026-03-19T08:00")


def test_a_closure_wins_over_a_holiday_for_the_reason() -> None:
    closure = Closure(starts_on=dt.date(2027, 9, 1), ends_on=dt.date(2027, 9, 2), reason="Nghỉ")

    assert closed_reason(dt.date(2027, 9, 2), [closure]) == "Nghỉ"
    assert closed_reason(dt.date(2027, 9, 3), [closure]) == "Nghỉ lễ: Quốc khánh"
    assert closed_reason(dt.date(2027, 9, 4), [closure]) is None


def test_a_long_closure_still_tells_when_the_place_reopens() -> None:
    closure = Closure(
        starts_on=dt.date(2026, 3, 2), ends_on=dt.date(2026, 5, 30), reason="Chuyển địa điểm"
    )

    assert open_state(OFFICE, [closure], local("2026-03-02T09:00")) == opens(
        "2026-06-01T08:00", "Chuyển địa điểm"
    )


def test_a_place_with_no_hours_at_all_is_closed_with_no_next_opening() -> None:
    assert open_state(OpeningHours(), (), local("2026-03-16T10:00")) == OpenState(open_now=False)
    assert open_state(OpeningHours(), (), local("2027-02-06T10:00")) == OpenState(
        open_now=False, closed_reason="Nghỉ lễ: Tết Nguyên Đán"
    )


# --- write actions ----------------------------------------------------------------------------


@pytest.fixture
def ctx(catalog: Catalog) -> Context:
    return Context(catalog=catalog, secret_key=b"test-secret", clock=lambda: NOW)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = connect(tmp_path / "hcc.db")
    migrate(database)
    try:
        yield database
    finally:
        database.conn.close()


def new_agent(db: Database, ctx: Context, **overrides: object) -> str:
    data = msgspec.convert(application_body(**overrides), ApplicationIn)
    created = applications.apply(db, ctx, data)
    return applications.approve(db, ctx, created.id, principal=STAFF).agent_id


def audit(db: Database, entity: str, entity_id: str) -> list[tuple[str, str]]:
    return [(e["action"], e["actor"]) for e in store.audit_events(db, entity, entity_id)]


def test_an_agent_sets_its_own_hours(db: Database, ctx: Context) -> None:
    agent_id = new_agent(db, ctx)
    me = Principal("agent", agent_id)

    profile = place_hours.set_agent_hours(db, ctx, agent_id=agent_id, hours=LATE, principal=me)

    assert profile.opening_hours == LATE
    assert store.get_agent(db, agent_id)["updated_at"] == store.iso(NOW)  # type: ignore[index]
    assert audit(db, "agent", agent_id)[-1] == ("place.hours_set", f"agent:{agent_id}")
    assert (
        get_place(db, ctx.catalog, PlaceKind.AGENT, agent_id, today=NOW.date()).opening_hours
        == LATE
    )


def test_an_agent_cannot_change_another_place(db: Database, ctx: Context) -> None:
    agent_id = new_agent(db, ctx)
    other_id = new_agent(db, ctx, tax_code=tax_code("010010002"))
    me = Principal("agent", agent_id)

    with pytest.raises(Forbidden):
        place_hours.set_agent_hours(db, ctx, agent_id=other_id, hours=OFFICE, principal=me)
    with pytest.raises(Forbidden):
        place_hours.set_place_hours(
            db, ctx, kind=PlaceKind.BRANCH, place_id="chi-nhanh-1", hours=OFFICE, principal=me
        )
    with pytest.raises(Forbidden):
        place_hours.add_closure(
            db,
            ctx,
            kind=PlaceKind.AGENT,
            place_id=other_id,
            starts_on=NOW.date(),
            ends_on=NOW.date(),
            reason="Nghỉ đột xuất",
            principal=me,
        )
    assert store.audit_events(db, "branch", "chi-nhanh-1") == []


def test_staff_override_a_branch_until_it_is_removed(db: Database, ctx: Context) -> None:
    catalog_hours = get_place(db, ctx.catalog, PlaceKind.BRANCH, "chi-nhanh-1", today=NOW.date())

    place_hours.set_place_hours(
        db, ctx, kind=PlaceKind.BRANCH, place_id="chi-nhanh-1", hours=LATE, principal=STAFF
    )
    overridden = next(p for p in load_places(db, ctx.catalog) if p.id == "chi-nhanh-1")
    place_hours.reset_place_hours(
        db, ctx, kind=PlaceKind.BRANCH, place_id="chi-nhanh-1", principal=STAFF
    )
    restored = next(p for p in load_places(db, ctx.catalog) if p.id == "chi-nhanh-1")

    assert (overridden.opening_hours, overridden.hours_overridden) == (LATE, True)
    assert (restored.opening_hours, restored.hours_overridden) == (
        catalog_hours.opening_hours,
        False,
    )
    assert audit(db, "branch", "chi-nhanh-1") == [
        ("place.hours_set", "staff:1"),
        ("place.hours_reset", "staff:1"),
    ]
    with pytest.raises(NotFound):
        place_hours.reset_place_hours(
            db, ctx, kind=PlaceKind.BRANCH, place_id="chi-nhanh-1", principal=STAFF
        )


def test_unknown_places_are_not_found_and_agents_cannot_be_reset(
    db: Database, ctx: Context
) -> None:
    agent_id = new_agent(db, ctx)

    for kind, place_id in [
        (PlaceKind.BRANCH, "chi-nhanh-99"),
        (PlaceKind.RECEPTION_POINT, "chi-nhanh-1"),
        (PlaceKind.AGENT, "DL-9999"),
    ]:
        with pytest.raises(NotFound):
            place_hours.set_place_hours(
                db, ctx, kind=kind, place_id=place_id, hours=OFFICE, principal=STAFF
            )
    with pytest.raises(Conflict):
        place_hours.reset_place_hours(
            db, ctx, kind=PlaceKind.AGENT, place_id=agent_id, principal=STAFF
        )


def test_hours_need_at_least_one_open_day(db: Database, ctx: Context) -> None:
    agent_id = new_agent(db, ctx)

    with pytest.raises(InvalidInput) as refused:
        place_hours.set_agent_hours(
            db, ctx, agent_id=agent_id, hours=OpeningHours(), principal=STAFF
        )

    assert refused.value.problems == {
        "opening_hours": "at least one day needs opening hours; announce a closure instead"
    }


TODAY = NOW.date()
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "reason", "problems"),
    [
        (TODAY, TODAY, "Nghỉ", {}),
        (TODAY - 5 * DAY, TODAY, "Đang sửa chữa", {}),  # started already, still running
        (TODAY, TODAY + 89 * DAY, "Chuyển địa điểm", {}),
        (
            TODAY,
            TODAY + 90 * DAY,
            "Chuyển địa điểm",
            {"ends_on": "a closure lasts at most 90 days"},
        ),
        (TODAY, TODAY - DAY, "Nghỉ", {"ends_on": "must not be before starts_on"}),
        (TODAY - 3 * DAY, TODAY - DAY, "Nghỉ", {"ends_on": "the closure is entirely in the past"}),
        (
            TODAY + 366 * DAY,
            TODAY + 367 * DAY,
            "Nghỉ",
            {"starts_on": "must be at most 365 days ahead"},
        ),
        (TODAY, TODAY, "  a ", {"reason": "must be 3-500 characters"}),
        (TODAY, TODAY, "x" * 501, {"reason": "must be 3-500 characters"}),
        (TODAY, TODAY, "Nghỉ\x00", {"reason": "must not contain control characters"}),
    ],
)
def test_closure_validation(
    starts_on: dt.date, ends_on: dt.date, reason: str, problems: dict[str, str]
) -> None:
    assert place_hours.validate_closure(starts_on, ends_on, reason, today=TODAY) == problems


def test_closures_are_attached_to_places_until_they_end(db: Database, ctx: Context) -> None:
    agent_id = new_agent(db, ctx)
    me = Principal("agent", agent_id)
    point_id = ctx.catalog.branches[0].reception_points[0].id
    closure = place_hours.add_closure(
        db,
        ctx,
        kind=PlaceKind.AGENT,
        place_id=agent_id,
        starts_on=TODAY,
        ends_on=TODAY + DAY,
        reason="  Kiểm kê cuối quý ",
        principal=me,
    )
    branch_closure = place_hours.add_closure(
        db,
        ctx,
        kind=PlaceKind.RECEPTION_POINT,
        place_id=point_id,
        starts_on=TODAY + 7 * DAY,
        ends_on=TODAY + 7 * DAY,
        reason="Bảo trì hệ thống",
        principal=STAFF,
    )

    agent = next(p for p in load_places(db, ctx.catalog, today=TODAY) if p.id == agent_id)
    later = next(p for p in load_places(db, ctx.catalog, today=TODAY + 2 * DAY) if p.id == agent_id)
    point = next(p for p in load_places(db, ctx.catalog, today=TODAY) if p.id == point_id)

    assert closure == Closure(
        id=closure.id, starts_on=TODAY, ends_on=TODAY + DAY, reason="Kiểm kê cuối quý"
    )
    assert agent.closures == (closure,)
    assert later.closures == ()
    assert point.closures == (branch_closure,)
    assert view(agent, NOW).closed_reason == "Kiểm kê cuối quý"
    assert view(agent, NOW).opens_at == local("2026-03-12T07:30")
    assert audit(db, "agent", agent_id)[-1] == ("place.closure_add", f"agent:{agent_id}")


def test_a_closure_is_removed_only_through_its_own_place(db: Database, ctx: Context) -> None:
    agent_id = new_agent(db, ctx)
    other_id = new_agent(db, ctx, tax_code=tax_code("010010002"))
    closure = place_hours.add_closure(
        db,
        ctx,
        kind=PlaceKind.AGENT,
        place_id=agent_id,
        starts_on=TODAY,
        ends_on=TODAY,
        reason="Nghỉ đột xuất",
        principal=STAFF,
    )
    assert closure.id is not None

    with pytest.raises(NotFound):
        place_hours.remove_closure(
            db,
            ctx,
            kind=PlaceKind.AGENT,
            place_id=other_id,
            closure_id=closure.id,
            principal=Principal("agent", other_id),
        )
    place_hours.remove_closure(
        db,
        ctx,
        kind=PlaceKind.AGENT,
        place_id=agent_id,
        closure_id=closure.id,
        principal=Principal("agent", agent_id),
    )

    assert place_hours.list_closures(db, ctx, kind=PlaceKind.AGENT, place_id=agent_id) == []
    assert audit(db, "agent", agent_id)[-2:] == [
        ("place.closure_add", "staff:1"),
        ("place.closure_remove", f"agent:{agent_id}"),
    ]
    assert not [action for action, _ in audit(db, "agent", other_id) if action.startswith("place.")]
