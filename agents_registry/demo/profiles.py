"""Who an agent is: the agent being planned, its unique identifiers, and its public record
(name, address, position, contacts, opening hours, fields) drawn from its ward and kind."""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from agents_registry.context import Context
from agents_registry.demo.vocabulary import (
    BANKS,
    EQUIPMENT,
    GIVEN,
    KINDS,
    MIDDLE,
    STREETS,
    SURNAMES,
    TRADE_FIRST,
    TRADE_SECOND,
    VILLAGES,
)
from agents_registry.geo import position_problem, supervising_branch
from agents_registry.models import AgentKind
from agents_registry.validation import MOBILE_CARRIERS, tax_code_check_digit
from catalog.models import OpeningHours, Ward


@dataclass
class PlannedAgent:
    """An agent being planned: its public record, plus how it behaves over the year."""

    number: int
    ward: Ward
    kind: AgentKind
    name: str = ""
    address: str = ""
    lat: float = 0.0
    lon: float = 0.0
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    representative: str = ""
    hours: OpeningHours = field(default_factory=OpeningHours)
    fields: list[str] = field(default_factory=list)
    staff_count: int = 1
    equipment: str = ""
    branch_number: int = 0
    created: dt.datetime = dt.datetime.min
    behaviour: str = "normal"  # inactive | suspended | burst | off_hours | contested
    stop: int | None = None  # day index from which nothing more is recorded
    activity: float = 1.0
    share: tuple[float, float] = (0.1, 0.3)
    application_id: str = ""

    @property
    def id(self) -> str:
        return f"DL-{self.number:04d}"


class Identifiers:
    """Uniqueness of generated identifiers across agents and applications."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.parents: dict[str, tuple[str, int]] = {}

    def _fresh(self, make: Callable[[], str | None]) -> str:
        while True:
            value = make()
            if value is not None and value not in self.used:
                self.used.add(value)
                return value

    def _ten_digits(self) -> str | None:
        prefix = f"01{self.rng.randrange(10**7):07d}"
        check = tax_code_check_digit(prefix)
        return None if check is None else f"{prefix}{check}"

    def tax_code(self, chain: str | None) -> str:
        """10 digits for an independent business; parent + '-NNN' for a chain's branch."""
        if chain is None:
            return self._fresh(self._ten_digits)
        if chain not in self.parents:
            self.parents[chain] = (self._fresh(self._ten_digits), self.rng.randrange(1, 40))
        parent, suffix = self.parents[chain]
        self.parents[chain] = (parent, suffix + self.rng.randrange(1, 4))
        return self._fresh(lambda: f"{parent}-{suffix:03d}")

    def phone(self) -> str:
        prefixes = sorted(MOBILE_CARRIERS)
        return self._fresh(lambda: f"{self.rng.choice(prefixes)}{self.rng.randrange(10**7):07d}")

    def unique(self, base: str, sep: str = " ", suffix: str = "") -> str:
        """``base + suffix``, or with a number after ``base`` if that is taken."""
        n = 1
        candidate = base + suffix
        while candidate in self.used:
            n += 1
            candidate = f"{base}{sep}{n}{suffix}"
        self.used.add(candidate)
        return candidate

    def application_id(self) -> str:
        return self._fresh(lambda: f"HS-{self.rng.getrandbits(40):010X}")


def _short(ward: Ward) -> str:
    return ward.name.split(" ", 1)[1]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _slug(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
        .encode("ascii", "ignore")
        .decode()
    )
    return ".".join("".join(c if c.isalnum() else " " for c in ascii_text.lower()).split())


def _place(rng: random.Random, ward: Ward) -> tuple[str | None, str]:
    """(the street, if the address is on a named one; the full address) in ``ward``."""
    label = f"{ward.kind} {_short(ward)}"
    streets = STREETS.get(ward.former_district or "")
    if streets and (ward.kind == "phường" or rng.random() < 0.3):
        street = rng.choice(streets)
        lane = f"ngõ {rng.randrange(2, 200)} " if rng.random() < 0.25 else ""
        return street.split(" ", 1)[1], f"Số {rng.randrange(1, 250)} {lane}{street}, {label}"
    if ward.kind == "phường":
        return None, f"Số {rng.randrange(1, 120)}, tổ dân phố {rng.randrange(1, 25)}, {label}"
    return None, f"{rng.choice(VILLAGES)}, {label}"


def _trade(rng: random.Random) -> str:
    """A shop's trade name: two auspicious words, as in "Phúc Lộc" or "Hồng Phát"."""
    first = rng.choice(TRADE_FIRST)
    return f"{first} {rng.choice([w for w in TRADE_SECOND if w != first])}"


def _name(
    rng: random.Random, agent: PlannedAgent, street: str | None, taken: set[str]
) -> tuple[str, str | None]:
    """(business name, chain) of an agent: chains name a branch after its street or ward."""
    ward, kind, short = agent.ward, agent.kind, _short(agent.ward)
    where = street or short
    if kind is AgentKind.POST_OFFICE:
        name = f"Bưu điện văn hóa xã {short}" if ward.kind == "xã" else f"Bưu cục {short}"
        if name in taken and street:
            name = f"Bưu cục {street}"
        elif name in taken and ward.kind == "xã":
            spot = agent.address.split(",")[0]
            name = f"{name} - điểm {spot[0].lower()}{spot[1:]}"
        return name, "vnpost-hanoi"
    if kind is AgentKind.VIETTEL_POST:
        return f"Bưu cục Viettel Post {where}", "viettelpost"
    if kind is AgentKind.BANK:
        bank = "Agribank" if ward.kind == "xã" and rng.random() < 0.6 else rng.choice(BANKS)
        return f"{bank} - Phòng giao dịch {where}", _slug(bank)
    if kind is AgentKind.TELECOM_SHOP and rng.random() < 0.7:
        brand = rng.choice(["Viettel", "VinaPhone", "MobiFone"])
        return f"Cửa hàng {brand} {where}", _slug(brand)
    for _ in range(5):  # independent businesses: another trade name rather than "... 2"
        if kind is AgentKind.LAW_OFFICE and rng.random() < 0.5:
            name = f"Văn phòng luật sư {_person(rng)}"
        else:
            prefix = {
                AgentKind.TELECOM_SHOP: "Cửa hàng điện thoại",
                AgentKind.ELECTRONICS_SHOP: "Cửa hàng điện máy",
                AgentKind.NOTARY_OFFICE: "Văn phòng công chứng",
                AgentKind.LAW_OFFICE: "Công ty Luật TNHH",
            }.get(kind) or rng.choice(["Photocopy", "Dịch vụ văn phòng", "In ấn - Photocopy"])
            name = f"{prefix} {_trade(rng)}"
        if name not in taken:
            break
    return name, None


def describe(ctx: Context, rng: random.Random, ids: Identifiers, agent: PlannedAgent) -> None:
    """Name, address, position, identifiers, hours and fields, from the agent's ward and kind."""
    ward, kind = agent.ward, agent.kind
    street, agent.address = _place(rng, ward)
    chain: str | None
    if agent.number == 1:
        agent.address = "Số 75 phố Đinh Tiên Hoàng, phường Hoàn Kiếm"
        name, chain = "Bưu điện Trung tâm Hoàn Kiếm", "vnpost-hanoi"
    else:
        name, chain = _name(rng, agent, street, ids.used)
    agent.name = ids.unique(name)
    agent.tax_code = ids.tax_code(chain)
    agent.phone = ids.phone()
    local = _slug(agent.name)[:40].strip(".")
    agent.email = ids.unique(local, sep="", suffix=f"@{chain or 'doanhnghiep'}.example")
    agent.representative = _person(rng)
    agent.lat, agent.lon = (21.0264, 105.8537) if agent.number == 1 else _position(ctx, rng, ward)
    agent.branch_number = supervising_branch(ctx.catalog, ward.code, agent.lat, agent.lon).number
    agent.hours = _hours(rng, kind, ward.kind == "xã")
    agent.fields = _fields(ctx, rng, kind, broad=agent.number == 1)
    agent.staff_count = (
        rng.randrange(2, 7)
        if kind in (AgentKind.POST_OFFICE, AgentKind.BANK)
        else rng.randrange(1, 4)
    )
    agent.equipment = rng.choice(EQUIPMENT)
    agent.activity = rng.lognormvariate(0, 0.55) * KINDS[kind].activity


def _position(ctx: Context, rng: random.Random, ward: Ward) -> tuple[float, float]:
    """The ward's point plus a jitter within its built-up core (checked by position_problem)."""
    radius_km = min(math.sqrt((ward.area_km2 or 10.0) / math.pi) * 0.6, 1.5)
    for _ in range(20):
        distance, bearing = radius_km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        lat = round(ward.lat + distance * math.cos(bearing) / 111.0, 6)
        lon = round(
            ward.lon + distance * math.sin(bearing) / (111.0 * math.cos(math.radians(ward.lat))), 6
        )
        if position_problem(ctx.catalog, ward, lat, lon) is None:
            return lat, lon
    return ward.lat, ward.lon


def _hours(rng: random.Random, kind: AgentKind, rural: bool) -> OpeningHours:
    split = ["08:00-12:00", "13:30-17:30"]
    if kind is AgentKind.POST_OFFICE:
        day = ["07:00-11:00", "13:30-17:30"] if rural else ["07:30-18:30"]
        sat, sun = day, (["07:00-11:00"] if rng.random() < 0.45 else [])
    elif kind is AgentKind.VIETTEL_POST:
        day, sat, sun = (
            ["07:30-20:00"],
            ["07:30-20:00"],
            ["08:00-12:00"] if rng.random() < 0.5 else [],
        )
    elif kind in (AgentKind.TELECOM_SHOP, AgentKind.ELECTRONICS_SHOP):
        day = ["08:00-21:00"] if kind is AgentKind.TELECOM_SHOP else ["08:30-21:30"]
        sat, sun = day, day if rng.random() < 0.7 else []
    elif kind is AgentKind.BANK:
        day, sat, sun = (
            ["08:00-12:00", "13:00-16:30"],
            ["08:00-11:30"] if rng.random() < 0.6 else [],
            [],
        )
    elif kind is AgentKind.PRINT_SHOP:
        day, sat, sun = (
            ["07:30-19:00"],
            ["07:30-19:00"],
            ["08:00-11:30"] if rng.random() < 0.6 else [],
        )
    else:
        day, sat, sun = split, ["08:00-12:00"] if rng.random() < 0.6 else [], []
    return OpeningHours(mon=day, tue=day, wed=day, thu=day, fri=day, sat=sat, sun=sun)


def _fields(ctx: Context, rng: random.Random, kind: AgentKind, *, broad: bool) -> list[str]:
    profile = KINDS[kind]
    with_procedures = {p.field for p in ctx.catalog.procedures}
    extra, (low, high) = profile.optional, profile.optional_count
    chosen = set(profile.fields) | set(
        extra if broad else rng.sample(extra, min(len(extra), rng.randint(low, high)))
    )
    fields = [f.slug for f in ctx.catalog.fields if f.slug in chosen and f.slug in with_procedures]
    return fields or [next(f.slug for f in ctx.catalog.fields if f.slug in with_procedures)]
