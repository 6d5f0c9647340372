"""Citizens' ratings of the demo year: a few thousand, mostly 4 and 5 stars.

A few agents are rated low consistently, so that the audit's low-ratings flag has something
true to find: under 1% of the network among agents that keep working normally, and the agents
suspended for charging citizens (their story: citizens complained before the suspension).
Unhappy citizens rate more often. Ratings come some minutes to a week after the submission and
never after "now"; comments are short and carry no personal data. Every row is ``demo = 1``.
"""

from __future__ import annotations

import datetime as dt
import random

from agents_registry import store
from agents_registry.demo.profiles import PlannedAgent
from agents_registry.demo.vocabulary import SUSPENSION_REASONS

RATED_SHARE = 0.02  # of an agent's submissions that get a rating
LOW_RATED_SHARE = 0.3  # unhappy citizens rate (complain) far more often
COMMENTED_SHARE = 0.3
STARS = (1, 2, 3, 4, 5)
USUAL_WEIGHTS = (0.01, 0.02, 0.07, 0.32, 0.58)
LOW_WEIGHTS = (0.38, 0.3, 0.18, 0.09, 0.05)
CHARGING = SUSPENSION_REASONS[0]  # "Thu tiền của người dân ..."
COMMENTS = {
    5: (
        "Nhân viên hướng dẫn tận tình, nộp hồ sơ rất nhanh.",
        "Rất hài lòng, đại lý không thu phí.",
        "Được hỗ trợ quét giấy tờ và kê khai trên VNeID, cảm ơn đại lý.",
        "Gần nhà, phục vụ chu đáo, giải thích dễ hiểu.",
    ),
    4: (
        "Hỗ trợ tốt, chỉ phải chờ một lúc.",
        "Nhân viên nhiệt tình, máy tính hơi chậm.",
        "Hướng dẫn dễ hiểu, lần sau sẽ quay lại.",
    ),
    3: (
        "Bình thường, phải chờ khá lâu.",
        "Nhân viên chưa nắm rõ thủ tục, phải hỏi lại Trung tâm.",
    ),
    2: (
        "Phải đi lại hai lần vì không được báo thiếu giấy tờ.",
        "Thái độ chưa nhiệt tình, hướng dẫn qua loa.",
    ),
    1: (
        "Bị đề nghị trả tiền hỗ trợ dù dịch vụ này miễn phí.",
        "Đóng cửa trong giờ làm việc đã niêm yết.",
        "Nhập sai thông tin nên hồ sơ bị trả lại.",
    ),
}


def low_rated(rng: random.Random, network: list[PlannedAgent]) -> set[str]:
    """Ids of the agents citizens rate low: a few normal agents, and those suspended for fees."""
    normal = [a for a in network if a.behaviour == "normal" and a.number > 1]
    chosen = rng.sample(normal, min(len(normal), max(2, round(0.008 * len(network)))))
    suspended_for_fees = [
        a
        for a in network
        if a.behaviour == "suspended"
        and SUSPENSION_REASONS[a.number % len(SUSPENSION_REASONS)] == CHARGING
    ]
    return {a.id for a in chosen + suspended_for_fees}


def ratings(
    rng: random.Random,
    network: list[PlannedAgent],
    submissions: list[store.Row],
    now: dt.datetime,
) -> list[store.Row]:
    """Rating rows for some of ``submissions``, in time order."""
    low = low_rated(rng, network)
    rows = []
    for submission in submissions:
        is_low = submission["agent_id"] in low
        if rng.random() >= (LOW_RATED_SHARE if is_low else RATED_SHARE):
            continue
        stars = rng.choices(STARS, weights=LOW_WEIGHTS if is_low else USUAL_WEIGHTS)[0]
        created = dt.datetime.fromisoformat(submission["submitted_at"]) + dt.timedelta(
            minutes=rng.randint(10, 7 * 24 * 60)
        )
        if created >= now:
            continue
        comment = rng.choice(COMMENTS[stars]) if rng.random() < COMMENTED_SHARE else None
        rows.append(
            {
                "agent_id": submission["agent_id"],
                "dossier_code": submission["dossier_code"],
                "stars": stars,
                "comment": comment,
                "created_at": store.iso(created),
                "demo": 1,
            }
        )
    rows.sort(key=lambda r: (r["created_at"], r["dossier_code"]))
    return rows
