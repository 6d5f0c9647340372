"""Presenting a place's weekly opening hours in Vietnamese."""

from __future__ import annotations

DAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
EN_DASH = "\u2013"


def format_hours(ranges: list[str]) -> str:
    """Time ranges joined for display with an en dash; no range means closed ("Nghỉ")."""
    return ", ".join(r.replace("-", EN_DASH) for r in ranges) if ranges else "Nghỉ"
