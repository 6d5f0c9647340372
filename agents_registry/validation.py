"""Checks on Vietnamese identifiers: tax codes, phone numbers, citizen IDs.

Rules from Circular 105/2020/TT-BTC (tax code check digit), the published mobile prefixes and
Decision 124/2004/QĐ-TTg province codes (citizen ID); see docs/data-sources.md.
"""

from __future__ import annotations

import datetime as dt
import re

TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_TAX_CODE = re.compile(r"^([0-9]{10})(?:-([0-9]{3}))?$")

MOBILE_CARRIERS = {
    **dict.fromkeys(
        ["032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098"],
        "Viettel",
    ),
    **dict.fromkeys(["081", "082", "083", "084", "085", "088", "091", "094"], "Vinaphone"),
    **dict.fromkeys(["070", "076", "077", "078", "079", "089", "090", "093"], "MobiFone"),
    **dict.fromkeys(["052", "056", "058", "092"], "Vietnamobile"),
    **dict.fromkeys(["059", "099"], "Gmobile"),
}
# Province codes of birth-registration places on citizen ID cards (QĐ 124/2004/QĐ-TTg).
CITIZEN_ID_PROVINCES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)


def tax_code_problem(value: str) -> str | None:
    """Why ``value`` is not a valid tax code (mã số thuế), or None when it is."""
    match = _TAX_CODE.match(value)
    if not match:
        return "must be 10 digits, or 10 digits, '-' and a 3-digit branch suffix"
    digits, suffix = match.groups()
    remainder = sum(int(d) * w for d, w in zip(digits, TAX_CODE_WEIGHTS, strict=False)) % 11
    if remainder == 0 or 10 - remainder != int(digits[9]):
        return "check digit does not match (Circular 105/2020/TT-BTC)"
    if suffix == "000":
        return "branch suffix must be between 001 and 999"
    return None


def tax_code_check_digit(prefix: str) -> int | None:
    """The check digit for a 9-digit prefix, or None when no check digit exists for it."""
    remainder = sum(int(d) * w for d, w in zip(prefix, TAX_CODE_WEIGHTS, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def normalize_phone(value: str) -> str | None:
    """A national 0-prefixed number for a Vietnamese mobile or landline, or None if invalid."""
    raw = re.sub(r"[\s.()\-]", "", value)
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) in (11, 12):
        raw = "0" + raw[2:]
    if re.fullmatch(r"0[35789][0-9]{8}", raw) or re.fullmatch(r"02[0-9]{9}", raw):
        return raw
    return None


def citizen_id_problem(value: str) -> str | None:
    """Why ``value`` is not a 12-digit citizen ID (CCCD), or None. There is no check digit."""
    if not re.fullmatch(r"[0-9]{12}", value):
        return "must be exactly 12 digits"
    if value[:3] not in CITIZEN_ID_PROVINCES:
        return "the first 3 digits are not a province code"
    return None


# Days the registry can be asked about: outside them a period means nothing here, and day
# arithmetic at year 1 or 9999 overflows (a 500) instead of naming the parameter.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def day_problems(days: dict[str, dt.date | None]) -> dict[str, str]:
    """The named days (parameter name -> date or None) outside [FIRST_DAY, LAST_DAY]."""
    return {
        name: f"must be between {FIRST_DAY} and {LAST_DAY}"
        for name, day in days.items()
        if day is not None and not FIRST_DAY <= day <= LAST_DAY
    }
