"""Shapes of the staff audit: KPIs per agent, branch and network, flags with their evidence,
month series with the targets, coverage gaps and reconciliation reports."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import msgspec


class FlagCode(StrEnum):
    inactive = "inactive"
    below_target = "below_target"
    burst = "burst"
    off_hours = "off_hours"
    contested = "contested"
    low_verified = "low_verified"
    low_ratings = "low_ratings"
    charged = "charged"  # citizens report being charged for help that must be free


class SortKey(StrEnum):
    number = "number"
    submissions = "submissions"
    active_days = "active_days"
    full_online_share = "full_online_share"
    verified_share = "verified_share"
    returned_share = "returned_share"
    on_time_share = "on_time_share"
    rating_average = "rating_average"
    days_since_activity = "days_since_activity"
    flags = "flags"


class Evidence(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One fact behind a flag: a day, a dossier, a count."""

    detail: str
    day: dt.date | None = None
    at: dt.datetime | None = None
    dossier_code: str | None = None
    report_code: str | None = None  # a citizen's report (PA-...), for the charged flag
    count: int | None = None


class Flag(msgspec.Struct, kw_only=True):
    """Why an agent needs a look: ``value`` measured against ``threshold``.

    ``evidence`` is filled in one agent's report (the ranking gives the figures only).
    """

    code: FlagCode
    message: str
    value: float
    threshold: float
    evidence: list[Evidence] = []


class Targets(msgspec.Struct, kw_only=True):
    """The center's targets: share of dossiers online, and fully online among them."""

    online_share: float
    full_online_share: float


class Period(msgspec.Struct, kw_only=True):
    date_from: dt.date
    date_to: dt.date


class Figures(msgspec.Struct, kw_only=True):
    """Counts over a period and the shares staff compare with the targets."""

    submissions: int
    active_days: int
    full_online: int
    full_online_share: float
    verified: int
    verified_share: float
    returned: int
    returned_share: float
    completed: int
    on_time: int
    on_time_share: float
    off_hours: int
    bursts: int


class AgentKpis(Figures, kw_only=True):
    agent_id: str
    number: int
    name: str
    kind: str
    ward_code: str
    branch_number: int
    status: str
    demo: bool
    procedures: int | None  # distinct procedures: in one agent's report, None in the ranking
    contested: int
    rating_average: float | None
    rating_count: int
    last_activity: dt.date | None
    days_since_activity: int
    flags: list[Flag]


class AgentRanking(msgspec.Struct, kw_only=True):
    """A page of the ranking; ``total`` counts the agents matching the filters."""

    period: Period
    targets: Targets
    items: list[AgentKpis]
    total: int
    page: int
    page_size: int


class MonthPoint(Figures, kw_only=True):
    month: str
    target_full_online_share: float


class Totals(Figures, kw_only=True):
    agents: int
    active_agents: int
    flagged_agents: int
    flags: dict[str, int]


class BranchTotals(Totals, kw_only=True):
    branch_number: int
    name: str


class AuditSummary(msgspec.Struct, kw_only=True):
    """The network's figures, each branch's, and month by month, with the targets."""

    period: Period
    targets: Targets
    reconciled_records: int
    network: Totals
    branches: list[BranchTotals]
    series: list[MonthPoint]


class ProcedureKpis(msgspec.Struct, kw_only=True):
    procedure_code: str
    name: str
    submissions: int
    full_online: int
    verified: int
    returned: int
    completed: int
    on_time: int


class AuditEntry(msgspec.Struct, kw_only=True):
    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: object | None
    after: object | None


class DayPoint(msgspec.Struct, kw_only=True):
    """One local day with activity: what the agent recorded (the daily series staff chart)."""

    day: dt.date
    submissions: int
    full_online: int
    off_hours: int
    burst: bool


class AgentReport(msgspec.Struct, kw_only=True):
    """One agent over a period: KPIs with flags and evidence, months, days with activity,
    procedures, audit log."""

    period: Period
    targets: Targets
    agent: AgentKpis
    series: list[MonthPoint]
    days: list[DayPoint]
    by_procedure: list[ProcedureKpis]
    audit_log: list[AuditEntry]


class UncoveredWard(msgspec.Struct, kw_only=True):
    """A ward with no active agent and no branch or reception point within the radius.

    ``agents`` counts the ward's registered agents that are not active (suspended or idle).
    """

    ward_code: str
    name: str
    kind: str
    lat: float
    lon: float
    agents: int
    nearest_place: str
    nearest_km: float


class Coverage(msgspec.Struct, kw_only=True):
    radius_km: float
    wards: int
    uncovered: list[UncoveredWard]


class RowProblem(msgspec.Struct, kw_only=True):
    line: int
    field: str
    message: str


class Conflict(msgspec.Struct, kw_only=True):
    dossier_code: str
    field: str
    official: str
    recorded: str


class ReconciliationReport(msgspec.Struct, kw_only=True):
    """What an import of official records found and changed (``changed`` = records written)."""

    id: int | None
    filename: str
    rows: int
    matched: int
    unmatched: int
    conflicting: int
    changed: int
    agents_affected: int
    conflicts: list[Conflict]
    unmatched_codes: list[str]
