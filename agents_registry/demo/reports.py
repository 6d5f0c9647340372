"""Citizens' reports of the demo network: a few dozen, so that the staff queue has work.

Most are wrong information about the catalog's real procedures, branches and reception points
(a fee, opening hours, an address that changed), received over the last two months. Some are
"charged" reports: each agent the demo suspended for charging citizens was reported two or
three times in the weeks before its suspension (resolved when it was suspended), one working
agent is being looked into, and one report of an agent was rejected after checking. Open
reports received more than five working days ago are overdue. Nothing is dated at or after
"now"; reports carry no contact details. Every row is ``demo = 1``.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass, field

from agents_registry import store
from agents_registry.context import VIETNAM
from agents_registry.demo.profiles import PlannedAgent
from agents_registry.demo.vocabulary import SUSPENSION_REASONS
from agents_registry.feedback import CODE_PREFIX, DEADLINE_WORKING_DAYS, add_working_days
from catalog.load import Catalog

WINDOW_DAYS = 60
WRONG_INFO = 36
OVERDUE = ("received", "in_progress", "in_progress")  # still open well past their deadline
CHARGING = SUSPENSION_REASONS[0]  # "Thu tiền của người dân ..."
ACTOR = "demo"
CLOSING = {"resolved": "resolve", "rejected": "reject"}  # status -> the event's action
SUBJECT_KINDS = ("procedure", "branch", "reception_point")
SUBJECT_WEIGHTS = (5, 3, 2)
ASSIGNEES = ("Nguyễn Thu Hà", "Trần Minh Đức", "Lê Thị Hồng Nhung")
TEXTS = {
    "procedure": (
        "Trang thủ tục ghi lệ phí 50.000 đồng, nhưng khi nộp tại bộ phận một cửa tôi được "
        "thông báo mức lệ phí đã tăng lên 100.000 đồng.",
        "Thành phần hồ sơ trên trang vẫn yêu cầu bản sao sổ hộ khẩu, trong khi sổ hộ khẩu "
        "giấy đã không còn được sử dụng.",
        "Thời hạn giải quyết ghi 3 ngày làm việc, nhưng cán bộ tiếp nhận hẹn trả kết quả "
        "sau 7 ngày làm việc.",
        "Đường dẫn đến mẫu tờ khai trên trang không mở được, báo lỗi không tìm thấy trang.",
        "Trang ghi thủ tục nộp được trực tuyến toàn trình, nhưng trên Cổng dịch vụ công "
        "chỉ cho nộp trực tuyến một phần.",
        "Căn cứ pháp lý trên trang dẫn đến văn bản đã hết hiệu lực.",
    ),
    "branch": (
        "Trang ghi chi nhánh làm việc sáng thứ Bảy, nhưng sáng thứ Bảy tuần trước tôi đến "
        "thì cửa đóng.",
        "Chi nhánh đã chuyển sang trụ sở mới, địa chỉ trên trang và bản đồ vẫn là địa chỉ cũ.",
        "Số điện thoại đường dây nóng của chi nhánh ghi trên trang không liên lạc được.",
        "Giờ làm việc buổi chiều ghi đến 17 giờ nhưng bộ phận một cửa ngừng nhận hồ sơ "
        "từ 16 giờ 30.",
    ),
    "reception_point": (
        "Điểm tiếp nhận này không còn nhận hồ sơ đất đai, cán bộ hướng dẫn tôi sang chi nhánh.",
        "Vị trí trên bản đồ lệch sang phố bên cạnh, tôi phải hỏi đường mới tìm thấy.",
        "Điểm tiếp nhận đang tạm đóng cửa để sửa chữa nhưng trang vẫn ghi đang mở cửa.",
    ),
    "charged": (
        "Nhân viên đại lý yêu cầu tôi trả 50.000 đồng tiền hỗ trợ nộp hồ sơ, dù áp phích "
        "ghi miễn phí.",
        "Đại lý thu 30.000 đồng gọi là phí quét giấy tờ và kê khai hộ trên Cổng dịch vụ công.",
        "Tôi bị đề nghị trả thêm tiền để hồ sơ được xử lý nhanh hơn.",
    ),
}
PROGRESS_NOTES = (
    "Trung tâm đang xác minh với đơn vị liên quan, sẽ trả lời trong thời hạn.",
    "Đã chuyển bộ phận quản lý nội dung kiểm tra.",
)
RESOLVED_NOTES = (
    "Cảm ơn anh/chị. Trung tâm đã kiểm tra và cập nhật thông tin trên trang.",
    "Đã đối chiếu với quyết định công bố thủ tục mới nhất và sửa nội dung trên trang.",
    "Đã cập nhật giờ làm việc và địa chỉ theo xác nhận của chi nhánh.",
)
REJECTED_NOTES = (
    "Thông tin trên trang đúng theo quyết định công bố thủ tục hiện hành; khoản thu thêm "
    "tại quầy là cước bưu chính do người dân tự chọn, không phải lệ phí.",
    "Trung tâm đã xác minh: giờ làm việc trên trang là đúng; hôm đó chi nhánh nghỉ bù "
    "ngày lễ theo thông báo.",
    "Nội dung chưa đủ để xác minh; mời anh/chị gửi phản ánh mới, ghi rõ thủ tục và thời điểm.",
)
CHARGED_RESOLVED = (
    "Trung tâm đã xác minh phản ánh là đúng và tạm ngừng hoạt động của đại lý. "
    "Cảm ơn anh/chị đã phản ánh."
)
CHARGED_PROGRESS = "Trung tâm đã liên hệ đại lý và đang xác minh nội dung phản ánh."
CHARGED_REJECTED = (
    "Đã xác minh: khoản 20.000 đồng là phí in bản sao theo yêu cầu của người dân, có niêm "
    "yết; việc hỗ trợ nộp hồ sơ vẫn miễn phí."
)


@dataclass
class DemoReports:
    """Rows for ``reports`` and ``report_events``."""

    reports: list[store.Row] = field(default_factory=list)
    events: list[store.Row] = field(default_factory=list)


def reports(
    rng: random.Random,
    catalog: Catalog,
    network: list[PlannedAgent],
    agent_rows: list[store.Row],
    now: dt.datetime,
) -> DemoReports:
    """The demo reports with their histories, oldest first."""
    out = DemoReports()
    subjects = _subjects(catalog)
    for _ in range(WRONG_INFO):
        kind = rng.choices(SUBJECT_KINDS, weights=SUBJECT_WEIGHTS)[0]
        subject_id = rng.choice(subjects[kind])
        received = now - dt.timedelta(minutes=rng.randint(30, WINDOW_DAYS * 24 * 60))
        text = rng.choice(TEXTS[kind])
        _add(out, rng, now, ("wrong_info", kind, subject_id), text, received)
    for status in OVERDUE:
        kind = rng.choices(SUBJECT_KINDS, weights=SUBJECT_WEIGHTS)[0]
        received = now - dt.timedelta(minutes=rng.randint(9 * 24 * 60, 20 * 24 * 60))
        subject = ("wrong_info", kind, rng.choice(subjects[kind]))
        _add(out, rng, now, subject, rng.choice(TEXTS[kind]), received, fate=(status, None))
    _charged(out, rng, network, agent_rows, now)
    out.reports.sort(key=lambda r: (r["received_at"], r["code"]))
    return out


def _subjects(catalog: Catalog) -> dict[str, list[str]]:
    """Ids of the procedures, branches and reception points citizens may report about."""
    return {
        "procedure": [p.id for p in catalog.procedures],
        "branch": [b.id for b in catalog.branches],
        "reception_point": [rp.id for b in catalog.branches for rp in b.reception_points],
    }


def _charged(
    out: DemoReports,
    rng: random.Random,
    network: list[PlannedAgent],
    agent_rows: list[store.Row],
    now: dt.datetime,
) -> None:
    """Reports before each suspension for fees; one under way, one rejected, about others."""
    for row in agent_rows:
        if row["status"] != "suspended" or row["status_reason"] != CHARGING:
            continue
        suspended = dt.datetime.fromisoformat(row["updated_at"])
        for _ in range(rng.randint(2, 3)):
            received = suspended - dt.timedelta(minutes=rng.randint(3 * 24 * 60, 25 * 24 * 60))
            text = rng.choice(TEXTS["charged"])
            fate = ("resolved", CHARGED_RESOLVED)
            subject = ("charged", "agent", row["id"])
            _add(out, rng, now, subject, text, received, fate=fate, closed=suspended)
    working = [a for a in network if a.behaviour == "normal" and a.number > 1]
    if len(working) < 2:
        return
    looked_into, cleared = rng.sample(working, 2)
    received = now - dt.timedelta(minutes=rng.randint(24 * 60, 3 * 24 * 60))
    text = TEXTS["charged"][0]
    subject = ("charged", "agent", looked_into.id)
    _add(out, rng, now, subject, text, received, fate=("in_progress", None))
    received = now - dt.timedelta(minutes=rng.randint(20 * 24 * 60, 40 * 24 * 60))
    subject = ("charged", "agent", cleared.id)
    text = TEXTS["charged"][1]
    _add(out, rng, now, subject, text, received, fate=("rejected", CHARGED_REJECTED))


Step = tuple[dt.datetime, str, str, str | None]  # at, action, status, note


def _add(
    out: DemoReports,
    rng: random.Random,
    now: dt.datetime,
    subject: tuple[str, str, str],
    text: str,
    received: dt.datetime,
    *,
    fate: tuple[str, str | None] | None = None,
    closed: dt.datetime | None = None,
) -> None:
    """One report about ``subject`` (kind, subject kind, id) and its history; its ``fate``
    (final status, closing note) depends on its age unless given; ``closed``: when it was."""
    kind, subject_kind, subject_id = subject
    code = CODE_PREFIX + base64.b32encode(rng.randbytes(7)).decode()[:10]
    status, note = fate or _fate(rng, (now - received).days)
    steps = _steps(rng, now, kind, received, status, note, closed)
    last_at, _, status, last_note = steps[-1]
    finished = status in CLOSING
    out.reports.append(
        {
            "code": code,
            "kind": kind,
            "subject_kind": subject_kind,
            "subject_id": subject_id,
            "description": text,
            "status": status,
            "note": last_note if finished else None,
            "assignee": rng.choice(ASSIGNEES) if len(steps) > 1 else None,
            "channel": "open311" if rng.random() < 0.1 else "site",
            "received_at": store.iso(received),
            "due_on": add_working_days(
                received.astimezone(VIETNAM).date(), DEADLINE_WORKING_DAYS
            ).isoformat(),
            "updated_at": store.iso(last_at),
            "closed_at": store.iso(last_at) if finished else None,
            "demo": 1,
        }
    )
    out.events += [
        {
            "code": code,
            "at": store.iso(at),
            "action": action,
            "status": step_status,
            "note": step_note,
            "actor": ACTOR,
        }
        for at, action, step_status, step_note in steps
    ]


def _steps(
    rng: random.Random,
    now: dt.datetime,
    kind: str,
    received: dt.datetime,
    status: str,
    note: str | None,
    closed: dt.datetime | None,
) -> list[Step]:
    """Received; then (unless still waiting) assigned and in progress; then closed if it is."""
    steps: list[Step] = [(received, "receive", "received", None)]
    handled = received + dt.timedelta(minutes=rng.randint(60, 2 * 24 * 60))
    if status == "received" or handled >= now:
        return steps
    progress_note = CHARGED_PROGRESS if kind == "charged" else rng.choice(PROGRESS_NOTES)
    steps.append((handled, "assign", "received", None))
    steps.append((handled + dt.timedelta(minutes=5), "progress", "in_progress", progress_note))
    if status in CLOSING:
        finish = closed or min(
            handled + dt.timedelta(minutes=rng.randint(2 * 60, 5 * 24 * 60)),
            now - dt.timedelta(minutes=1),
        )
        steps.append((finish, CLOSING[status], status, note))
    return steps


def _fate(rng: random.Random, age_days: int) -> tuple[str, str | None]:
    """Reports older than a week are closed (``OVERDUE`` adds a few that are not); a quarter
    of the recent ones are."""
    closed_share = 1.0 if age_days > 7 else 0.25
    if rng.random() < closed_share:
        if rng.random() < 0.7:
            return "resolved", rng.choice(RESOLVED_NOTES)
        return "rejected", rng.choice(REJECTED_NOTES)
    return rng.choice(("received", "in_progress")), None
