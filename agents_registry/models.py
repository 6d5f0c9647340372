"""Wire and domain shapes of the agent network (msgspec).

Input structs carry the field-level constraints (lengths, patterns, ranges); rules that need
the catalog or the database (ward exists, tax code unique, procedure exists) live in services.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from typing import Annotated

import msgspec
from msgspec import Meta

from catalog.models import OpeningHours

# Python's `$` also matches before a final "\n", so "0100047516\n" would pass r"^[0-9]{10}$";
# the look-ahead makes `$` mean the end of the text (a no-op in the OpenAPI document's ECMAScript).
END = r"$(?!\n)"
NO_CONTROL = r"^[^\x00-\x1f\x7f]*" + END
# Names and addresses are shown on pages, posters and exports: one line, no markup characters.
ONE_LINE = r"^[^\x00-\x1f\x7f<>]*" + END
# Free text may span lines (tab, LF, CR) but carries no other control character.
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*" + END


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Policy shared by every registry struct."""


Name = Annotated[str, Meta(min_length=2, max_length=200, pattern=ONE_LINE)]
LongText = Annotated[str, Meta(max_length=1000, pattern=TEXT)]
TaxCode = Annotated[str, Meta(pattern=r"^[0-9]{10}(-[0-9]{3})?" + END, examples=["0100047516"])]
WardCode = Annotated[str, Meta(pattern=r"^[0-9]{5}" + END, examples=["00070"])]
Phone = Annotated[str, Meta(min_length=6, max_length=20, pattern=r"^[0-9 .()+\-]+" + END)]
Email = Annotated[
    str,
    Meta(
        max_length=254,
        pattern=r"^[^@\s<>\x00-\x1f\x7f]+@[^@\s<>\x00-\x1f\x7f]+\.[^@\s<>\x00-\x1f\x7f]+" + END,
    ),
]
Lat = Annotated[float, Meta(ge=-90, le=90)]
Lon = Annotated[float, Meta(ge=-180, le=180)]
FieldSlug = Annotated[str, Meta(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*" + END, max_length=60)]
DossierCode = Annotated[
    str,
    Meta(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-/]{5,59}" + END, examples=["000.00.12.H26-251123-0001"]
    ),
]
ProcedureKey = Annotated[str, Meta(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9.\-]+" + END)]
CitizenId = Annotated[str, Meta(pattern=r"^[0-9]{12}" + END)]
Reason = Annotated[str, Meta(min_length=3, max_length=1000, pattern=NO_CONTROL)]


class AgentKind(enum.StrEnum):
    POST_OFFICE = "post_office"
    VIETTEL_POST = "viettel_post"
    TELECOM_SHOP = "telecom_shop"
    ELECTRONICS_SHOP = "electronics_shop"
    NOTARY_OFFICE = "notary_office"
    LAW_OFFICE = "law_office"
    BANK = "bank"
    PRINT_SHOP = "print_shop"
    OTHER = "other"


class ApplicationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class AgentStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Mode(enum.StrEnum):
    FULL_ONLINE = "full_online"
    PARTIAL_ONLINE = "partial_online"


class ApplicationIn(Base, kw_only=True):
    """A business applies to become an online public service agent."""

    business_name: Name
    kind: AgentKind = AgentKind.OTHER
    tax_code: TaxCode
    legal_representative: Name
    address: Annotated[str, Meta(min_length=5, max_length=300, pattern=ONE_LINE)]
    ward_code: WardCode
    lat: Lat
    lon: Lon
    phone: Phone
    email: Email
    opening_hours: OpeningHours
    staff_count: Annotated[int, Meta(ge=1, le=1000)]
    equipment: Annotated[str, Meta(min_length=2, max_length=1000, pattern=TEXT)]
    fields: Annotated[list[FieldSlug], Meta(min_length=1, max_length=30)]

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and math.isfinite(self.lon)):
            raise ValueError("lat and lon must be finite numbers")
        if len(set(self.fields)) != len(self.fields):
            raise ValueError("fields must not repeat")
        if not any(
            getattr(self.opening_hours, d)
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        ):
            raise ValueError("opening_hours must have at least one open day")


class ApplicationCreated(Base, kw_only=True):
    id: str
    status: ApplicationStatus
    secret: str


class Application(Base, kw_only=True):
    id: str
    business_name: str
    kind: AgentKind
    tax_code: str
    legal_representative: str
    address: str
    ward_code: str
    lat: float
    lon: float
    phone: str
    email: str
    opening_hours: OpeningHours
    staff_count: int
    equipment: str
    fields: list[str]
    status: ApplicationStatus
    reason: str | None
    agent_id: str | None
    demo: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ApplicationStatusView(Base, kw_only=True):
    """What the applicant sees with its status secret."""

    id: str
    status: ApplicationStatus
    business_name: str
    reason: str | None
    agent_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class Decision(Base, kw_only=True):
    reason: Reason


class Approval(Base, kw_only=True):
    agent_id: str
    token: str


class TokenIssued(Base, kw_only=True):
    agent_id: str
    token: str


class AgentPublic(Base, kw_only=True):
    """An agent's public profile (no tax code, e-mail or internal notes)."""

    id: str
    name: str
    kind: AgentKind
    address: str
    ward_code: str
    lat: float
    lon: float
    phone: str
    opening_hours: OpeningHours
    fields: list[str]
    status: AgentStatus
    branch_number: int
    demo: bool


class SubmissionIn(Base, kw_only=True):
    """One submission an agent helped a citizen make."""

    dossier_code: DossierCode
    procedure_code: ProcedureKey
    mode: Mode
    submitted_at: Annotated[dt.datetime, Meta(tz=True)]
    citizen_id: CitizenId | None = None
    notes: LongText | None = None


class Submission(Base, kw_only=True):
    id: int
    agent_id: str
    dossier_code: str
    procedure_code: str
    mode: Mode
    submitted_at: dt.datetime
    notes: str | None
    recorded_at: dt.datetime


class DayOutput(Base, kw_only=True):
    date: dt.date
    count: int
    full_online: int


class ProcedureOutput(Base, kw_only=True):
    procedure_code: str
    name: str
    count: int


class Output(Base, kw_only=True):
    """An agent's output over a period: totals, fully-online share, by day and by procedure."""

    date_from: dt.date | None
    date_to: dt.date | None
    total: int
    full_online: int
    full_online_share: float
    target_full_online_share: float
    by_day: list[DayOutput]
    by_procedure: list[ProcedureOutput]
