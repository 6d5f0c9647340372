"""The month's report as files staff open in Excel: CSV (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import openpyxl

from agents_registry.audit_models import AgentKpis, AgentRanking

# (header in Vietnamese, value) per column, in order.
COLUMNS: list[tuple[str, Callable[[AgentKpis], object]]] = [
    ("Mã đại lý", lambda k: k.agent_id),
    ("Tên đại lý", lambda k: k.name),
    ("Chi nhánh", lambda k: k.branch_number),
    ("Mã xã/phường", lambda k: k.ward_code),
    ("Trạng thái", lambda k: k.status),
    ("Số hồ sơ", lambda k: k.submissions),
    ("Số ngày có hồ sơ", lambda k: k.active_days),
    ("Hồ sơ toàn trình", lambda k: k.full_online),
    ("Tỷ lệ toàn trình", lambda k: k.full_online_share),
    ("Hồ sơ khớp dữ liệu chính thức", lambda k: k.verified),
    ("Tỷ lệ khớp", lambda k: k.verified_share),
    ("Tỷ lệ bị trả lại/từ chối", lambda k: k.returned_share),
    ("Tỷ lệ đúng hạn", lambda k: k.on_time_share),
    ("Hồ sơ ngoài giờ", lambda k: k.off_hours),
    ("Ngày đột biến", lambda k: k.bursts),
    ("Lần khai trùng mã hồ sơ", lambda k: k.contested),
    ("Điểm đánh giá TB", lambda k: k.rating_average),
    ("Số lượt đánh giá", lambda k: k.rating_count),
    ("Ngày có hồ sơ gần nhất", lambda k: k.last_activity.isoformat() if k.last_activity else None),
    ("Số ngày không hoạt động", lambda k: k.days_since_activity),
    ("Cảnh báo", lambda k: "; ".join(f.message for f in k.flags)),
]


def to_csv(ranking: AgentRanking) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese text correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([name for name, _ in COLUMNS])
    for k in ranking.items:
        writer.writerow(["" if (v := value(k)) is None else v for _, value in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(ranking: AgentRanking) -> bytes:
    """One sheet, streamed with openpyxl's write-only mode."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Đại lý")
    sheet.append([name for name, _ in COLUMNS])
    for k in ranking.items:
        sheet.append([value(k) for _, value in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
