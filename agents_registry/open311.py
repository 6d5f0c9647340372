"""Citizens' reports through Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2).

Service codes are the report kinds (``wrong_info``, ``charged``); a service request is a report
and its ``service_request_id`` the tracking code. The subject goes in ``attribute[subject_kind]``
and ``attribute[subject_id]``; ``first_name``, ``last_name``, ``email`` and ``phone`` are kept
for staff only. Statuses: received and in progress are ``open``; resolved and rejected are
``closed``, with the staff note as ``status_notes``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Any
from urllib.parse import parse_qsl

import msgspec
from msgspec import Meta
from sqlite_utils import Database

from agents_registry import feedback, feedback_store, store
from agents_registry.context import VIETNAM, Context
from agents_registry.errors import InvalidInput, NotFound
from agents_registry.feedback_models import (
    DESCRIPTION_MAX,
    OPEN_STATUSES,
    ContactName,
    ReportIn,
    ReportKind,
    ReportStatus,
    SubjectKind,
)
from agents_registry.models import Email, Lat, Lon, Phone
from agents_registry.plaintext import mask_personal

LIST_LIMIT = 1000
_MISSING = re.compile(r"missing required field `([^`]+)`")
DEFAULT_WINDOW = dt.timedelta(days=90)
NAMES = {ReportKind.WRONG_INFO: "Báo thông tin sai", ReportKind.CHARGED: "Tôi bị thu phí"}
DESCRIPTIONS = {
    ReportKind.WRONG_INFO: "Thông tin về thủ tục, chi nhánh, điểm tiếp nhận hoặc đại lý không đúng.",
    ReportKind.CHARGED: "Đại lý dịch vụ công trực tuyến thu tiền cho việc hỗ trợ phải miễn phí.",
}
SUBJECT_NAMES = {
    SubjectKind.PROCEDURE: "Thủ tục",
    SubjectKind.BRANCH: "Chi nhánh",
    SubjectKind.RECEPTION_POINT: "Điểm tiếp nhận",
    SubjectKind.AGENT: "Đại lý",
}
NOTICE = "Trung tâm trả lời trong 5 ngày làm việc."


class RequestIn(msgspec.Struct, kw_only=True):
    """A GeoReport v2 POST; other spec fields (api_key, device_id, media_url...) are ignored."""

    service_code: Annotated[str, Meta(max_length=40)]
    description: Annotated[str, Meta(min_length=1, max_length=DESCRIPTION_MAX)]
    lat: Lat | None = None
    long: Lon | None = None
    address_string: Annotated[str, Meta(max_length=300)] | None = None
    email: Email | None = None
    first_name: ContactName | None = None
    last_name: ContactName | None = None
    phone: Phone | None = None
    subject_kind: SubjectKind
    subject_id: Annotated[str, Meta(min_length=1, max_length=120)]


def services() -> list[dict[str, Any]]:
    return [
        {
            "service_code": kind.value,
            "service_name": NAMES[kind],
            "description": DESCRIPTIONS[kind],
            "metadata": True,
            "type": "realtime",
            "keywords": "phản ánh, thông tin sai"
            if kind == ReportKind.WRONG_INFO
            else "phí, đại lý",
            "group": "Phản ánh",
        }
        for kind in ReportKind
    ]


def service_definition(service_code: str) -> dict[str, Any]:
    kind = _kind(service_code)
    kinds = [SubjectKind.AGENT] if kind == ReportKind.CHARGED else list(SubjectKind)
    return {
        "service_code": kind.value,
        "attributes": [
            {
                "variable": True,
                "code": "subject_kind",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": "Loại đối tượng được phản ánh.",
                "order": 1,
                "description": "Phản ánh về",
                "values": [{"key": k.value, "name": SUBJECT_NAMES[k]} for k in kinds],
            },
            {
                "variable": True,
                "code": "subject_id",
                "datatype": "string",
                "required": True,
                "datatype_description": "Mã thủ tục, chi nhánh (chi-nhanh-10), điểm tiếp nhận hoặc đại lý (DL-0001).",
                "order": 2,
                "description": "Mã đối tượng",
            },
        ],
    }


def _kind(service_code: str) -> ReportKind:
    try:
        return ReportKind(service_code)
    except ValueError:
        raise NotFound(f"service_code {service_code!r} not found") from None


def parse_request(content_type: str, body: bytes) -> RequestIn:
    """Form-encoded or JSON body -> RequestIn; ``attribute[x]`` (or ``attribute: {x}``) flattened."""
    if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        try:
            raw: Any = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=False))
        except UnicodeDecodeError:
            raise InvalidInput({"body": "is not UTF-8"}) from None
    else:
        try:
            raw = json.loads(body or b"null")
        except ValueError:
            raise InvalidInput({"body": "is neither form-encoded nor JSON"}) from None
        except RecursionError:  # thousands of nested brackets: refused, not a 500
            raise InvalidInput({"body": "is nested too deeply"}) from None
    if not isinstance(raw, dict):
        raise InvalidInput({"body": "must be an object of fields"})
    values = {k: v for k, v in raw.items() if not k.startswith("attribute")}
    nested = raw.get("attribute")
    if isinstance(nested, dict):
        values.update(nested)
    for key, value in raw.items():
        if key.startswith("attribute[") and key.endswith("]"):
            values[key[len("attribute[") : -1]] = value
    try:
        return msgspec.convert(values, RequestIn, strict=False)
    except msgspec.ValidationError as exc:
        message, _, path = str(exc).partition(" - at `$.")
        missing = _MISSING.search(message)
        raise InvalidInput(
            {path.rstrip("`") or (missing and missing[1]) or "body": message}
        ) from None


def create(db: Database, ctx: Context, request: RequestIn) -> list[dict[str, Any]]:
    """Record the request as a report; the spec's answer: [{service_request_id, service_notice}]."""
    if (request.lat is None) != (request.long is None):
        raise InvalidInput({"lat" if request.lat is None else "long": "give both lat and long"})
    name = " ".join(n for n in (request.first_name, request.last_name) if n) or None
    report = ReportIn(
        kind=_kind(request.service_code),
        subject_kind=request.subject_kind,
        subject_id=request.subject_id,
        description=request.description,
        contact_name=name[:120] if name else None,
        contact_email=request.email,
        contact_phone=request.phone,
    )
    location = feedback.Location(lat=request.lat, lon=request.long, address=request.address_string)
    created = feedback.create(db, ctx, report, channel="open311", location=location)
    return [{"service_request_id": created.code, "service_notice": NOTICE, "account_id": None}]


def _moment(value: str, name: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput({name: "is not an ISO 8601 date and time"}) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    try:
        return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")
    except OverflowError:  # year 1 east of UTC, year 9999 west of it
        raise InvalidInput({name: "is out of range"}) from None


def list_requests(
    db: Database,
    ctx: Context,
    *,
    ids: str | None,
    service_code: str | None,
    status: str | None,
    start_date: str | None,
    end_date: str | None,
    modified_after: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """GET requests.json: by ids, or the last 90 days by default; at most 1000, newest first.

    ``modified_after`` (for syncing) keeps the requests updated after that moment and lifts the
    default 90-day window."""
    codes = [feedback.normalize_code(c) for c in (ids or "").split(",") if c.strip()]
    statuses = None
    if status is not None:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise InvalidInput({"status": "must be open or closed"})
        statuses = [s.value for s in ReportStatus if _open311_status(s) in wanted]
    since = _moment(start_date, "start_date") if start_date else None
    until = _moment(end_date, "end_date") if end_date else None
    if not codes and since is None and until is None and modified_after is None:
        since = (ctx.now() - DEFAULT_WINDOW).astimezone(dt.UTC).isoformat(timespec="microseconds")
    rows = feedback_store.list_for_open311(
        db,
        codes=codes,
        kind=_kind(service_code).value if service_code else None,
        statuses=statuses,
        since=since,
        until=until,
        limit=LIST_LIMIT,
        modified_after=store.iso(modified_after) if modified_after else None,
    )
    return [_service_request(ctx, row) for row in rows]


def get_request(db: Database, ctx: Context, code: str) -> list[dict[str, Any]]:
    row = feedback_store.get_report(db, feedback.normalize_code(code))
    if row is None:
        raise NotFound(f"service request {code} not found")
    return [_service_request(ctx, row)]


def _open311_status(status: ReportStatus) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def _local(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).astimezone(VIETNAM).isoformat(timespec="seconds")


def _service_request(ctx: Context, row: dict[str, Any]) -> dict[str, Any]:
    kind = ReportKind(row["kind"])
    return {
        "service_request_id": row["code"],
        "status": _open311_status(ReportStatus(row["status"])),
        "status_notes": row["note"],
        "service_name": NAMES[kind],
        "service_code": kind.value,
        "description": mask_personal(row["description"]),
        "agency_responsible": ctx.catalog.center.name,
        "service_notice": NOTICE,
        "requested_datetime": _local(row["received_at"]),
        "updated_datetime": _local(row["updated_at"]),
        "expected_datetime": f"{row['due_on']}T23:59:59+07:00",
        # Where the citizen was (address_string, lat/long) stays with staff, as in the API's
        # public view; the subject says what the request is about.
        "address": None,
        "address_id": f"{row['subject_kind']}:{row['subject_id']}",
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }
