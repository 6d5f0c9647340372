"""When each catalog data file last changed, and its recent changes, from the git history.

The catalog is reviewed like code, so its git history is its change log. One ``git log`` call
over the data folder is parsed into a :class:`DataHistory`; outside a git checkout (an
unpacked release, a copied data folder) the history is empty and :meth:`DataHistory.modified`
falls back to the file's modification time, then to the record's ``verified_on``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from catalog.load import DATA_DIR, Catalog
from catalog.models import Procedure

RECORD_SEPARATOR = "\x1e"
UNIT_SEPARATOR = "\x1f"
GIT_TIMEOUT_S = 30


@dataclass(frozen=True)
class Change:
    """One commit that touched a data file: when (commit time, UTC) and its subject line."""

    at: dt.datetime
    subject: str


@dataclass
class DataHistory:
    """Commits per data file (paths relative to the data folder, newest first)."""

    root: Path
    changes: dict[str, list[Change]] = field(default_factory=dict)

    def recent(self, name: str, limit: int = 5) -> list[Change]:
        return self.changes.get(name, [])[:limit]

    def modified(self, name: str, fallback: dt.date | None = None) -> dt.datetime | None:
        """The last commit time of ``name``; else its mtime; else ``fallback`` (midnight UTC)."""
        changes = self.changes.get(name)
        if changes:
            return changes[0].at
        path = self.root / name
        if path.is_file():
            return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(microsecond=0)
        if fallback is not None:
            return dt.datetime.combine(fallback, dt.time(), dt.UTC)
        return None


def procedure_file(procedure: Procedure) -> str:
    return f"procedures/{procedure.id}.yaml"


BRANCHES_FILE = "branches.yaml"
WARDS_FILE = "wards.yaml"


def parse_log(text: str) -> dict[str, list[Change]]:
    """Parse ``git log --format=%x1e%cI%x1f%s --name-only`` output."""
    changes: dict[str, list[Change]] = {}
    for record in text.split(RECORD_SEPARATOR):
        header, _, names = record.partition("\n")
        if UNIT_SEPARATOR not in header:
            continue
        when, _, subject = header.partition(UNIT_SEPARATOR)
        change = Change(dt.datetime.fromisoformat(when).astimezone(dt.UTC), subject.strip())
        for name in names.split("\n"):
            if name.strip():
                changes.setdefault(name.strip(), []).append(change)
    return changes


def load_history(root: Path = DATA_DIR) -> DataHistory:
    """The git history of the data folder ``root`` (empty when it is not in a git checkout)."""
    try:
        result = subprocess.run(
            [
                "git",
                "log",
                f"--format={RECORD_SEPARATOR}%cI{UNIT_SEPARATOR}%s",
                "--name-only",
                "--relative",
                "--",
                ".",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=GIT_TIMEOUT_S,
        )
    except (OSError, subprocess.SubprocessError):
        return DataHistory(root)
    return DataHistory(root, parse_log(result.stdout))


@dataclass(frozen=True)
class CatalogTimes:
    """When each part of the catalog last changed (for ``modified_after`` and the exports)."""

    procedures: dict[str, dt.datetime]  # by procedure id
    branches: dt.datetime | None
    wards: dt.datetime | None

    def procedure(self, procedure: Procedure) -> dt.datetime | None:
        return self.procedures.get(procedure.id)


def catalog_times(catalog: Catalog, history: DataHistory) -> CatalogTimes:
    procedures = {}
    for procedure in catalog.procedures:
        moment = history.modified(procedure_file(procedure), procedure.verified_on)
        if moment is not None:
            procedures[procedure.id] = moment
    return CatalogTimes(
        procedures=procedures,
        branches=history.modified(BRANCHES_FILE),
        wards=history.modified(WARDS_FILE),
    )


def changed_since(moment: dt.datetime | None, since: dt.datetime | None) -> bool:
    """Whether a record last changed at ``moment`` passes a ``modified_after=since`` filter."""
    return since is None or (moment is not None and moment > since)
