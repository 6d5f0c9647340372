"""A year of activity: submissions per agent with the network's rhythm, dossier codes per
branch and day, and the contested claims the audit should find."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from agents_registry import store
from agents_registry.context import Context
from agents_registry.demo.network import Progress
from agents_registry.demo.profiles import PlannedAgent
from agents_registry.demo.vocabulary import KINDS, NIGHT, NOTES, SCHOOL_FIELDS, day_factor
from agents_registry.validation import CITIZEN_ID_PROVINCES
from catalog.models import OnlineLevel, Procedure

SUBMISSIONS_PER_AGENT_YEAR = 330  # calibrates volume: ~170k at the default 520 agents


def _seconds(time_range: str) -> tuple[int, int]:
    start, end = ((int(t[:2]) * 60 + int(t[3:])) * 60 for t in time_range.split("-"))
    return start, end


class _Clock:
    """Draws a second of the day uniformly within a set of time ranges."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = ranges
        self.total = sum(end - start for start, end in ranges)

    def draw(self, rand: Callable[[], float]) -> int:
        point = int(rand() * self.total)
        for start, end in self.ranges:
            if point < end - start:
                return start + point
            point -= end - start
        raise AssertionError("unreachable")


# Off-hours agents: daytime on the day they are closed, or at night.
CLOSED_DAY_TIME, NIGHT_TIME = _Clock([(9 * 3600, 17 * 3600)]), _Clock(list(NIGHT))


def _poisson(rand: Callable[[], float], lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, rand()
    while p > limit:
        k += 1
        p *= rand()
    return k


class _Procedures:
    """Weighted draw among an agent's procedures: popular ones and its kind's own fields first."""

    def __init__(
        self, procedures: list[tuple[Procedure, float]], agent: PlannedAgent, school: bool
    ) -> None:
        core = set(KINDS[agent.kind].fields)
        self.keys: list[str] = []
        self.full_online: list[float] = []  # how likely a fully-online filing is, relative
        weights: list[float] = []
        for procedure, full_online in procedures:
            if procedure.field in agent.fields:
                self.keys.append(procedure.key)
                self.full_online.append(full_online)
                weights.append(
                    (6.0 if procedure.popular else 1.0)
                    * (2.0 if procedure.field in core else 1.0)
                    * (3.0 if school and procedure.field in SCHOOL_FIELDS else 1.0)
                )
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rand: Callable[[], float]) -> int:
        return bisect.bisect_right(self.cumulative, rand() * self.cumulative[-1])


def _full_online_factor(procedure: Procedure) -> float:
    if procedure.online_level is OnlineLevel.OFFLINE and procedure.is_verified("online_level"):
        return 0.0  # verified as not available online: the agent files it partly online
    return 1.5 if procedure.online_level is OnlineLevel.FULL_ONLINE else 1.0


# branch, day index, local second, agent number, procedure key, fully online, citizen hash,
# notes, seconds until recorded, agent id
Draft = tuple[int, int, int, int, str, bool, str | None, str | None, int, str]


@dataclass(frozen=True)
class _Year:
    """The 365 days before ``today`` with their relative demand, and the procedures to draw."""

    start: dt.date
    dates: list[dt.date]
    demand: list[float]
    procedures: list[tuple[Procedure, float]]  # with its relative chance of a fully-online filing

    @classmethod
    def before(cls, ctx: Context, start: dt.date) -> _Year:
        dates = [start + dt.timedelta(days=i) for i in range(365)]
        procedures = [(p, _full_online_factor(p)) for p in ctx.catalog.procedures]
        return cls(start, dates, [day_factor(d) for d in dates], procedures)


def submissions(
    ctx: Context, seed_bits: int, network: list[PlannedAgent], start: dt.date, report: Progress
) -> list[store.Row]:
    """A year of submissions per agent; volume calibrated to SUBMISSIONS_PER_AGENT_YEAR."""
    year = _Year.before(ctx, start)
    rates: list[list[float]] = []
    for agent in network:
        first = _first_day(agent, start)
        is_open = [bool(agent.hours.day(wd)) for wd in range(7)]
        rates.append(
            [
                agent.activity
                * year.demand[i]
                * is_open[year.dates[i].weekday()]
                * (0.5 if i - first < 21 else 1.0)
                for i in range(first, 365 if agent.stop is None else agent.stop)
            ]
        )
    scale = SUBMISSIONS_PER_AGENT_YEAR * len(network) / max(sum(map(sum, rates)), 1e-9)
    drafts: list[Draft] = []
    for done, (agent, agent_rates) in enumerate(zip(network, rates, strict=True), start=1):
        rng = random.Random(f"{seed_bits}:{agent.number}")
        drafts += _agent_drafts(ctx, rng, year, agent, [r * scale for r in agent_rates])
        report("Generating submissions", done, len(network))
    return _finish(random.Random(seed_bits), drafts, start)


def _first_day(agent: PlannedAgent, start: dt.date) -> int:
    """Index of the first day an agent records (the day after its approval)."""
    return min((agent.created.date() - start).days + 1, 365)


def _agent_drafts(
    ctx: Context, rng: random.Random, year: _Year, agent: PlannedAgent, rates: list[float]
) -> list[Draft]:
    """One agent's submissions: ``rates`` is its expected count per day from its first day."""
    rand, keyed_hash = rng.random, ctx.keyed_hash
    first = _first_day(agent, year.start)
    clocks = [_Clock([_seconds(r) for r in agent.hours.day(wd)]) for wd in range(7)]
    tables = (_Procedures(year.procedures, agent, False), _Procedures(year.procedures, agent, True))
    burst = -1
    if agent.behaviour == "burst":
        days = [
            i
            for i in range(max(first, 365 - 45), first + len(rates))
            if year.dates[i].weekday() < 5 and year.demand[i] > 0.5
        ]
        burst = rng.choice(days) if days else -1
    low, high = agent.share
    branch, number, agent_id = agent.branch_number, agent.number, agent.id
    provinces = sorted(CITIZEN_ID_PROVINCES)
    citizens: list[str] = []
    drafts: list[Draft] = []
    for i, lam in enumerate(rates, start=first):
        day = year.dates[i]
        wd = day.weekday()
        count = max(25, round(10 * lam)) if i == burst else _poisson(rand, lam)
        night = agent.behaviour == "off_hours" and i >= 365 - 120
        if night and wd == 6:
            count += _poisson(rand, 3.0)
        share = low + (high - low) * i / 364
        table = tables[day.month in (7, 8, 9)]
        clock = clocks[wd] if clocks[wd].total else CLOSED_DAY_TIME
        for _ in range(count):
            second = NIGHT_TIME.draw(rand) if night and rand() < 0.4 else clock.draw(rand)
            choice = table.draw(rand)
            citizen = None
            if rand() < 0.7:
                if citizens and rand() < 0.15:
                    citizen = citizens[int(rand() * len(citizens))]
                else:
                    citizen = keyed_hash("citizen", _citizen_id(rand, provinces))
                    citizens.append(citizen)
            note = NOTES[int(rand() * len(NOTES))] if rand() < 0.04 else None
            r = rand()
            if r < 0.7:
                delay = 5 + int(rand() * 295)  # recorded at once
            elif r < 0.95:
                delay = 300 + int(rand() * 3 * 3600)  # after the citizen left
            else:
                delay = 3 * 3600 + int(rand() * 17 * 3600)  # at the end of the day
            full = rand() < share * table.full_online[choice]
            drafts.append(
                (
                    branch,
                    i,
                    second,
                    number,
                    table.keys[choice],
                    full,
                    citizen,
                    note,
                    delay,
                    agent_id,
                )
            )
    return drafts


def _citizen_id(rand: Callable[[], float], provinces: list[str]) -> str:
    """A synthetic 12-digit citizen ID (province, century and sex, birth year, serial), to hash."""
    province = "001" if rand() < 0.75 else provinces[int(rand() * len(provinces))]
    year = 1945 + int(rand() * 63)
    century_sex = (0 if year < 2000 else 2) + int(rand() * 2)
    return f"{province}{century_sex}{year % 100:02d}{int(rand() * 1_000_000):06d}"


def _finish(rng: random.Random, drafts: list[Draft], start: dt.date) -> list[store.Row]:
    """Dossier codes numbered per branch and day in time order (with gaps for the dossiers the
    branch received directly), then rows in time order with UTC timestamps."""
    drafts.sort(key=lambda d: d[:4])
    start_utc = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    utc_days = {i: (start_utc + dt.timedelta(days=i)).date().isoformat() for i in range(-1, 366)}
    local_days = [f"{start + dt.timedelta(days=i):%y%m%d}" for i in range(365)]

    clock = [f"T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.000000+00:00" for s in range(86400)]

    def iso(seconds: int) -> str:  # the text store.iso gives, without a datetime per row
        day, rest = divmod(seconds, 86400)
        return utc_days[day] + clock[rest]

    end = 365 * 86400 - 7 * 3600  # the start of today, Hanoi time, in seconds from start (UTC)
    rand = rng.random
    rows: list[tuple[int, int, store.Row]] = []
    key, seq = (-1, -1), 0
    for branch, day, second, number, procedure, full, citizen, note, delay, agent_id in drafts:
        if (branch, day) != key:
            key, seq = (branch, day), int(rand() * 20)
        seq += 1 + int(-2.0 * math.log(1.0 - rand()))
        submitted = day * 86400 + second - 7 * 3600
        row = {
            "agent_id": agent_id,
            "dossier_code": f"000.00.{branch:02d}.H26-{local_days[day]}-{seq:04d}",
            "procedure_code": procedure,
            "mode": "full_online" if full else "partial_online",
            "submitted_at": iso(submitted),
            "citizen_hash": citizen,
            "notes": note,
            "idempotency_key": None,
            "recorded_at": iso(max(submitted, min(submitted + delay, end - 1))),
            "demo": 1,
        }
        rows.append((submitted, number, row))
    rows.sort(key=lambda r: (r[0], r[1], r[2]["dossier_code"]))
    return [row for _, _, row in rows]


def contested_claims(
    rng: random.Random, network: list[PlannedAgent], rows: list[store.Row], now: dt.datetime
) -> list[tuple[str, str, str, dt.datetime]]:
    """Claims by a few agents on dossiers that another agent of their branch recorded lately."""
    branch = {a.id: a.branch_number for a in network}
    since, until = store.iso(now - dt.timedelta(days=60)), store.iso(now - dt.timedelta(days=2))
    latest = [r for r in rows if since <= r["submitted_at"] < until]
    claims = []
    for agent in (a for a in network if a.behaviour == "contested"):
        others = [r for r in latest if r["agent_id"] != agent.id]
        same_branch = [r for r in others if branch[r["agent_id"]] == agent.branch_number]
        candidates = same_branch if len(same_branch) >= 12 else others
        for row in rng.sample(candidates, min(len(candidates), rng.randint(4, 12))):
            delay = dt.timedelta(minutes=rng.randint(60, 4 * 24 * 60))
            at = min(
                dt.datetime.fromisoformat(row["recorded_at"]) + delay, now - dt.timedelta(hours=1)
            )
            claims.append((row["dossier_code"], agent.id, row["agent_id"], at))
    claims.sort(key=lambda c: (c[3], c[0]))
    return claims
