"""Wire shapes of citizens' reports (phản ánh): what a citizen sends, sees, and staff handle.

Contact details appear only in ``StaffReport``; ``PublicReport`` is what the tracking code
shows to anyone who has it (and what Open311 lists).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

from msgspec import Meta

from agents_registry.models import NO_CONTROL, Base, Email, Name, Phone

# Sizes: the text a citizen may type, and the whole request body (see the routes).
DESCRIPTION_MAX = 2000
DESCRIPTION_MIN = 10  # after HTML is removed
NOTE_MAX = 1000
REPORT_BODY_MAX_BYTES = 16 * 1024

ReportText = Annotated[str, Meta(min_length=1, max_length=DESCRIPTION_MAX)]
SubjectId = Annotated[
    str, Meta(min_length=1, max_length=120, pattern=r"^[A-Za-z0-9.\-]+$", examples=["DL-0001"])
]
ContactName = Annotated[str, Meta(min_length=1, max_length=120, pattern=NO_CONTROL)]
Note = Annotated[str, Meta(min_length=3, max_length=NOTE_MAX)]
TrackingCode = Annotated[
    str, Meta(pattern=r"^[Pp][Aa]-[A-Za-z2-7]{10}$", examples=["PA-K7Q2M4X9AB"])
]
Honeypot = Annotated[str, Meta(max_length=200)]


class ReportKind(enum.StrEnum):
    WRONG_INFO = "wrong_info"  # Báo thông tin sai
    CHARGED = "charged"  # Tôi bị thu phí (help by an agent must be free)


class SubjectKind(enum.StrEnum):
    PROCEDURE = "procedure"
    BRANCH = "branch"
    RECEPTION_POINT = "reception_point"
    AGENT = "agent"


class ReportStatus(enum.StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"


OPEN_STATUSES = (ReportStatus.RECEIVED, ReportStatus.IN_PROGRESS)
STATUS_NAMES = {
    ReportStatus.RECEIVED: "đã tiếp nhận",
    ReportStatus.IN_PROGRESS: "đang xử lý",
    ReportStatus.RESOLVED: "đã giải quyết",
    ReportStatus.REJECTED: "không được chấp nhận",
}


class QueueStatus(enum.StrEnum):
    """A status filter of the staff queue: one status, or open (received, in progress) / closed."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    OPEN = "open"
    CLOSED = "closed"


class ReportIn(Base, kw_only=True):
    """A citizen's report. ``website`` is a honeypot: the form hides it from people."""

    kind: ReportKind
    subject_kind: SubjectKind
    subject_id: SubjectId
    description: ReportText
    contact_name: ContactName | None = None
    contact_email: Email | None = None
    contact_phone: Phone | None = None
    website: Honeypot | None = None


class ReportCreated(Base, kw_only=True):
    code: str
    status: ReportStatus
    received_at: dt.datetime
    due_on: dt.date


class Subject(Base, kw_only=True):
    kind: SubjectKind
    id: str
    name: str


class ReportEvent(Base, kw_only=True):
    """One step of a report's history; ``note`` is what staff wrote for the citizen."""

    at: dt.datetime
    action: str
    status: ReportStatus
    note: str | None = None


class PublicReport(Base, kw_only=True):
    code: str
    kind: ReportKind
    subject: Subject
    description: str
    status: ReportStatus
    note: str | None
    received_at: dt.datetime
    due_on: dt.date
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    history: list[ReportEvent]
    demo: bool = False  # part of the demo network's illustrative data


class StaffReportEvent(ReportEvent, kw_only=True):
    actor: str


class StaffReport(PublicReport, kw_only=True):
    """Everything staff need, contact details and assignments included (never shown publicly)."""

    history: list[StaffReportEvent]  # type: ignore[assignment]
    assignee: str | None
    overdue: bool
    channel: str
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    lat: float | None
    lon: float | None
    address: str | None


class AssignIn(Base, kw_only=True):
    """Who handles the report; the calling staff member when omitted."""

    assignee: Name | None = None


class ProgressIn(Base, kw_only=True):
    note: Note | None = None


class ResolutionIn(Base, kw_only=True):
    """Resolving or rejecting needs a note: the citizen reads it on the status page.

    Optional on the wire only so that a missing note is refused naming ``note``.
    """

    note: Note | None = None
