"""An agent's public change history, from the audit log, for its public page.

Only what changed, by public field name, and when: never values such as a suspension reason,
a tax code, an e-mail address or a token, which audit entries may hold.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlite_utils import Database

from agents_registry import store
from agents_registry.errors import NotFound
from agents_registry.models import AgentPublic

# What a citizen sees of an agent (its public profile), the identifiers aside.
PUBLIC_FIELDS = frozenset(AgentPublic.__struct_fields__) - {"id", "branch_number", "demo"}
EVENTS = {
    "agent.create": ("created", ()),
    "agent.suspended": ("suspended", ("status",)),
    "agent.active": ("reinstated", ("status",)),
    "place.hours_set": ("hours_changed", ("opening_hours",)),
    "place.hours_reset": ("hours_changed", ("opening_hours",)),
    "place.closure_add": ("closure_added", ("closures",)),
    "place.closure_remove": ("closure_removed", ("closures",)),
}
HISTORY_LIMIT = 20


class HistoryEntry(msgspec.Struct, kw_only=True, frozen=True):
    """One public change: when, what kind of event, which public fields it touched."""

    at: dt.datetime
    event: str
    fields: list[str]


def _entry(row: dict[str, object]) -> HistoryEntry | None:
    action = str(row["action"])
    at = dt.datetime.fromisoformat(str(row["at"]))
    if action in EVENTS:
        event, fields = EVENTS[action]
        return HistoryEntry(at=at, event=event, fields=list(fields))
    after = store.from_json(str(row["after"])) if row["after"] else {}
    touched = sorted(PUBLIC_FIELDS & set(after)) if isinstance(after, dict) else []
    if not touched:
        return None  # e.g. a token rotation: nothing a citizen sees changed
    return HistoryEntry(at=at, event="updated", fields=touched)


def public_history(
    db: Database,
    agent_id: str,
    limit: int = HISTORY_LIMIT,
    modified_after: dt.datetime | None = None,
) -> list[HistoryEntry]:
    """The latest public changes of an active agent, newest first (others: NotFound); with
    ``modified_after``, only the changes made after that moment."""
    row = store.get_agent(db, agent_id)
    if row is None or row["status"] != "active":
        raise NotFound(f"agent {agent_id} not found")
    entries = [
        e
        for r in store.audit_events(db, "agent", agent_id)
        if (e := _entry(r)) and (modified_after is None or e.at > modified_after)
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]
