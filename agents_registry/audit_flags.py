"""The audit's flags: each fires on a stated threshold and carries the figures behind it.

Pure functions of an agent's period figures; one agent's report adds the evidence rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents_registry.audit_models import Flag, FlagCode
from agents_registry.audit_store import BURST_FACTOR, BURST_MIN

INACTIVE_DAYS = 30  # no submission for this many days (active agents only)
BELOW_TARGET_MIN = 10  # submissions in the period before the fully-online share is judged
OFF_HOURS_MIN = 5  # submissions outside the declared opening hours
CONTESTED_MIN = 3  # claims on dossier codes another agent recorded
LOW_VERIFIED_SHARE, LOW_VERIFIED_MIN = 0.7, 10  # judged only once official records are in
LOW_RATING_AVERAGE, LOW_RATING_MIN = 3.0, 5
CHARGED_MIN = 1  # charged reports received in the period and not rejected by staff


@dataclass(frozen=True)
class FlagInput:
    status: str
    submissions: int
    full_online_share: float
    verified_share: float
    off_hours: int
    bursts: int
    contested: int
    rating_average: float | None
    rating_count: int
    days_since_activity: int
    last_activity: str | None
    reconciled: bool  # official records cover the period
    charged: int = 0  # citizens' "charged" reports about the agent, not rejected


def flags(f: FlagInput, target: float) -> list[Flag]:
    """Every flag that fires for these figures, in a fixed order."""
    found: list[Flag] = []
    if f.status == "active" and f.days_since_activity >= INACTIVE_DAYS:
        since = f"lần cuối ngày {f.last_activity}" if f.last_activity else "chưa từng ghi nhận"
        found.append(
            Flag(
                code=FlagCode.inactive,
                message=f"Không có hồ sơ trong {f.days_since_activity} ngày ({since}).",
                value=f.days_since_activity,
                threshold=INACTIVE_DAYS,
            )
        )
    if f.submissions >= BELOW_TARGET_MIN and f.full_online_share < target:
        found.append(
            Flag(
                code=FlagCode.below_target,
                message=f"Tỷ lệ toàn trình {f.full_online_share:.0%}, dưới chỉ tiêu {target:.0%}.",
                value=f.full_online_share,
                threshold=target,
            )
        )
    if f.bursts:
        found.append(
            Flag(
                code=FlagCode.burst,
                message=(
                    f"{f.bursts} ngày tăng đột biến (từ {BURST_MIN} hồ sơ và gấp "
                    f"{BURST_FACTOR} lần mức thường ngày của đại lý)."
                ),
                value=f.bursts,
                threshold=1,
            )
        )
    if f.off_hours >= OFF_HOURS_MIN:
        found.append(
            Flag(
                code=FlagCode.off_hours,
                message=f"{f.off_hours} hồ sơ ghi nhận ngoài giờ mở cửa đã đăng ký.",
                value=f.off_hours,
                threshold=OFF_HOURS_MIN,
            )
        )
    if f.contested >= CONTESTED_MIN:
        found.append(
            Flag(
                code=FlagCode.contested,
                message=f"{f.contested} lần khai mã hồ sơ đã do đại lý khác ghi nhận.",
                value=f.contested,
                threshold=CONTESTED_MIN,
            )
        )
    if f.reconciled and f.submissions >= LOW_VERIFIED_MIN and f.verified_share < LOW_VERIFIED_SHARE:
        found.append(
            Flag(
                code=FlagCode.low_verified,
                message=(
                    f"Chỉ {f.verified_share:.0%} hồ sơ khớp dữ liệu chính thức "
                    f"(ngưỡng {LOW_VERIFIED_SHARE:.0%})."
                ),
                value=f.verified_share,
                threshold=LOW_VERIFIED_SHARE,
            )
        )
    if (
        f.rating_average is not None
        and f.rating_count >= LOW_RATING_MIN
        and f.rating_average < LOW_RATING_AVERAGE
    ):
        found.append(
            Flag(
                code=FlagCode.low_ratings,
                message=(
                    f"Điểm đánh giá trung bình {f.rating_average:.1f}/5 "
                    f"trên {f.rating_count} lượt (ngưỡng {LOW_RATING_AVERAGE:.1f})."
                ),
                value=f.rating_average,
                threshold=LOW_RATING_AVERAGE,
            )
        )
    if f.charged >= CHARGED_MIN:
        found.append(
            Flag(
                code=FlagCode.charged,
                message=f"{f.charged} phản ánh của người dân về việc bị thu phí (chưa bị bác bỏ).",
                value=f.charged,
                threshold=CHARGED_MIN,
            )
        )
    return found
