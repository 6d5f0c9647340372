"""Typed model of the catalog: procedures, branches, reception points and wards.

The procedure model mirrors the components that Decree 63/2010/NĐ-CP (Art. 8) requires every
published administrative procedure to state. Facts that could not be sourced stay empty
(``None`` or an empty list) and their field name is listed in ``unverified``: the site then
says the fact is being updated and links to the national portal instead of inventing it.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import msgspec
from msgspec import Meta


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """Policy shared by every catalog record: keyword-only, strict, immutable."""


# --- constrained aliases -------------------------------------------------------------------

ProcedureCode = Annotated[str, Meta(pattern=r"^[0-9]{1,2}\.[0-9]{3,6}[A-Z]?$")]
Slug = Annotated[str, Meta(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
WardCode = Annotated[str, Meta(pattern=r"^[0-9]{5}$")]
Text = Annotated[str, Meta(min_length=1, max_length=2000)]
ShortText = Annotated[str, Meta(min_length=1, max_length=300)]
Url = Annotated[str, Meta(pattern=r"^https?://\S+$", max_length=500)]
Latitude = Annotated[float, Meta(ge=-90, le=90)]
Longitude = Annotated[float, Meta(ge=-180, le=180)]
Amount = Annotated[int, Meta(ge=0)]
# `(?!\n)`: Python's `$` would also accept a final newline ("08:00-12:00\n"), as agents may send.
TimeRange = Annotated[
    str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$(?!\n)")
]
Phone = Annotated[str, Meta(pattern=r"^[0-9 .()+-]{6,20}$")]


class Level(enum.StrEnum):
    """Which tier of government decides the procedure (two-level local government, 2025)."""

    CENTRAL = "central"
    PROVINCE = "province"
    COMMUNE = "commune"


class OnlineLevel(enum.StrEnum):
    FULL_ONLINE = "full_online"
    PARTIAL_ONLINE = "partial_online"
    OFFLINE = "offline"


class Channel(enum.StrEnum):
    IN_PERSON = "in_person"
    POST = "post"
    ONLINE = "online"


# --- procedure -----------------------------------------------------------------------------


class Document(Base, kw_only=True, frozen=True):
    """One component of the dossier (thành phần hồ sơ)."""

    name: Text
    originals: Annotated[int, Meta(ge=0, le=20)] | None = None
    copies: Annotated[int, Meta(ge=0, le=20)] | None = None
    form: ShortText | None = None
    form_url: Url | None = None


class ProcessingTime(Base, kw_only=True, frozen=True):
    """Statutory time limit: a number of (working) days, or a text such as "Trong ngày"."""

    days: Annotated[float, Meta(gt=0, le=365)] | None = None
    working_days: bool = True
    text: ShortText | None = None

    def __post_init__(self) -> None:
        if self.days is None and self.text is None:
            raise ValueError("processing_time needs `days` or `text`")


class Fee(Base, kw_only=True, frozen=True):
    """A fee or charge (phí, lệ phí). ``amount_vnd`` 0 means free; ``text`` when it varies."""

    name: ShortText | None = None
    amount_vnd: Amount | None = None
    online_amount_vnd: Amount | None = None
    text: Text | None = None

    def __post_init__(self) -> None:
        if self.amount_vnd is None and self.text is None:
            raise ValueError("a fee needs `amount_vnd` or `text`")


VERIFIABLE_FIELDS = frozenset(
    {
        "code",
        "name",
        "agency",
        "applicants",
        "steps",
        "channels",
        "documents",
        "processing_time",
        "fees",
        "result",
        "conditions",
        "legal_basis",
        "online_level",
        "location_independent",
        "green_lane",
    }
)


class Procedure(Base, kw_only=True, frozen=True):
    """One administrative procedure (thủ tục hành chính) as the center publishes it."""

    id: Slug
    code: ProcedureCode | None = None
    name: Text
    field: Slug
    level: Level
    agency: ShortText
    applicants: list[ShortText] = []
    steps: list[Text] = []
    channels: list[Channel] = []
    documents: list[Document] = []
    processing_time: ProcessingTime | None = None
    fees: list[Fee] = []
    result: Text | None = None
    conditions: list[Text] = []
    legal_basis: list[ShortText] = []
    online_level: OnlineLevel = OnlineLevel.OFFLINE
    location_independent: bool = False
    green_lane: bool = False
    keywords: list[ShortText] = []
    replaces: list[ProcedureCode] = []
    replaced_by: ProcedureCode | None = None
    popular: bool = False
    source: Text
    verified_on: dt.date | None = None
    unverified: list[str] = []

    def __post_init__(self) -> None:
        unknown = sorted(set(self.unverified) - VERIFIABLE_FIELDS)
        if unknown:
            raise ValueError(f"unverified names unknown fields: {', '.join(unknown)}")
        if self.code is not None and (self.code in self.replaces or self.replaced_by == self.code):
            raise ValueError("a procedure cannot replace itself")
        if self.code is None and "code" not in self.unverified:
            raise ValueError("a procedure without a national code must list `code` in unverified")

    @property
    def key(self) -> str:
        """The identifier other records use: the national code, else the catalog id."""
        return self.code or self.id

    def is_verified(self, field_name: str) -> bool:
        return field_name not in self.unverified


class Field(Base, kw_only=True, frozen=True):
    """A field of procedures (lĩnh vực)."""

    slug: Slug
    name: ShortText
    description: Text | None = None


# --- places --------------------------------------------------------------------------------


class OpeningHours(Base, kw_only=True, frozen=True):
    """Weekly opening hours; each day is a list of "HH:MM-HH:MM" ranges (empty = closed)."""

    mon: list[TimeRange] = []
    tue: list[TimeRange] = []
    wed: list[TimeRange] = []
    thu: list[TimeRange] = []
    fri: list[TimeRange] = []
    sat: list[TimeRange] = []
    sun: list[TimeRange] = []

    def __post_init__(self) -> None:
        for day in DAYS:
            previous_end = ""
            for time_range in getattr(self, day):
                start, end = time_range.split("-")
                if start >= end:
                    raise ValueError(f"{day}: {time_range} ends before it starts")
                if start < previous_end:
                    raise ValueError(f"{day}: {time_range} overlaps the range before it")
                previous_end = end

    def day(self, index: int) -> list[str]:
        """Ranges for weekday ``index`` (0 = Monday)."""
        return list(getattr(self, DAYS[index]))


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ReceptionPoint(Base, kw_only=True, frozen=True):
    """A reception point (điểm tiếp nhận) of a branch."""

    id: Slug
    name: ShortText
    address: ShortText
    ward_code: WardCode
    lat: Latitude
    lon: Longitude
    coordinates_approximate: bool = True
    phone: Phone | None = None
    opening_hours: OpeningHours
    former_district: ShortText | None = None
    illustrative: bool = False


class Branch(Base, kw_only=True, frozen=True):
    """A branch (chi nhánh) of the center, with the wards it serves."""

    number: Annotated[int, Meta(ge=1, le=99)]
    name: ShortText
    address: ShortText
    ward_code: WardCode
    lat: Latitude
    lon: Longitude
    coordinates_approximate: bool = True
    phone: Phone | None = None
    opening_hours: OpeningHours
    wards_served: list[WardCode]
    reception_points: list[ReceptionPoint]
    illustrative: bool = False
    source: Text
    verified_on: dt.date | None = None
    note: Text | None = None

    @property
    def id(self) -> str:
        return f"chi-nhanh-{self.number}"


class Center(Base, kw_only=True, frozen=True):
    """The center itself (headquarters, hotline)."""

    name: ShortText
    address: ShortText
    hotline: ShortText
    website: Url | None = None
    national_portal: Url
    source: Text


class BranchFile(Base, kw_only=True, frozen=True):
    """Shape of ``branches.yaml``."""

    center: Center
    branches: list[Branch]


class Ward(Base, kw_only=True, frozen=True):
    """A commune-level unit (xã / phường) of Hanoi after 1 July 2025."""

    code: WardCode
    name: ShortText
    kind: ShortText
    lat: Latitude
    lon: Longitude
    area_km2: float | None = None
    former_district: ShortText | None = None
