"""Schema of the registry, applied in order through sqlite_utils.Migrations."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("hcc.registry")


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE applications (
            id TEXT PRIMARY KEY,
            business_name TEXT NOT NULL,
            kind TEXT NOT NULL,
            tax_code TEXT NOT NULL,
            legal_representative TEXT NOT NULL,
            address TEXT NOT NULL,
            ward_code TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            phone TEXT NOT NULL,
            email TEXT NOT NULL,
            opening_hours TEXT NOT NULL,
            staff_count INTEGER NOT NULL,
            equipment TEXT NOT NULL,
            fields TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
            reason TEXT,
            secret_hash TEXT NOT NULL,
            agent_id TEXT,
            demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX applications_status ON applications (status, created_at);
        CREATE INDEX applications_tax_code ON applications (tax_code);

        CREATE TABLE agents (
            id TEXT PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE,
            application_id TEXT REFERENCES applications (id),
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            tax_code TEXT NOT NULL,
            address TEXT NOT NULL,
            ward_code TEXT NOT NULL,
            lat REAL NOT NULL,
            lon REAL NOT NULL,
            phone TEXT NOT NULL,
            email TEXT NOT NULL,
            opening_hours TEXT NOT NULL,
            fields TEXT NOT NULL,
            branch_number INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
            status_reason TEXT,
            demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX agents_ward ON agents (ward_code);
        CREATE INDEX agents_tax_code ON agents (tax_code);

        CREATE TABLE staff (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        );

        CREATE TABLE tokens (
            token_hash TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('agent', 'staff')),
            subject TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        CREATE INDEX tokens_subject ON tokens (role, subject);

        CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            agent_id TEXT NOT NULL REFERENCES agents (id),
            dossier_code TEXT NOT NULL UNIQUE,
            procedure_code TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('full_online', 'partial_online')),
            submitted_at TEXT NOT NULL,
            citizen_hash TEXT,
            notes TEXT,
            idempotency_key TEXT,
            recorded_at TEXT NOT NULL,
            demo INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX submissions_agent_time ON submissions (agent_id, submitted_at);
        CREATE UNIQUE INDEX submissions_idempotency ON submissions (agent_id, idempotency_key)
            WHERE idempotency_key IS NOT NULL;

        CREATE TABLE contested_claims (
            id INTEGER PRIMARY KEY,
            dossier_code TEXT NOT NULL,
            claimed_by TEXT NOT NULL REFERENCES agents (id),
            owner TEXT NOT NULL REFERENCES agents (id),
            at TEXT NOT NULL
        );
        CREATE INDEX contested_claims_dossier ON contested_claims (dossier_code);

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    )


@migrations()
def m002_place_hours_and_closures(db: Database) -> None:
    """Staff overrides of catalog places' weekly hours, and temporary closures of any place.

    Agents' own hours stay in ``agents.opening_hours``; branches and reception points take
    theirs from the catalog unless an override row exists.
    """
    db.executescript(
        """
        CREATE TABLE closures (
            id INTEGER PRIMARY KEY,
            place_kind TEXT NOT NULL CHECK (place_kind IN ('branch', 'reception_point', 'agent')),
            place_id TEXT NOT NULL,
            starts_on TEXT NOT NULL,
            ends_on TEXT NOT NULL,
            reason TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            CHECK (ends_on >= starts_on)
        );
        CREATE INDEX closures_place ON closures (place_kind, place_id, ends_on);
        CREATE INDEX closures_ends_on ON closures (ends_on);

        CREATE TABLE hours_overrides (
            place_kind TEXT NOT NULL CHECK (place_kind IN ('branch', 'reception_point', 'agent')),
            place_id TEXT NOT NULL,
            opening_hours TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (place_kind, place_id)
        );
        """
    )


@migrations()
def m003_audit(db: Database) -> None:
    """Audit counters, official dossier records and their reconciliations, citizens' ratings.

    ``audit_agent_days`` holds, per agent and local (Hanoi) day with activity, that day's
    counts and running totals since the agent's first day (``cum_*``), so any period's figures
    are two index seeks per agent. It is kept up to date in the same transaction as every
    write and can be rebuilt from raw rows (``agents_registry.audit_counters.rebuild``).
    """
    db.executescript(
        """
        CREATE TABLE audit_agent_days (
            agent_id TEXT NOT NULL REFERENCES agents (id),
            day TEXT NOT NULL,
            n INTEGER NOT NULL,
            full_online INTEGER NOT NULL,
            off_hours INTEGER NOT NULL,
            verified INTEGER NOT NULL,
            returned INTEGER NOT NULL,
            completed INTEGER NOT NULL,
            on_time INTEGER NOT NULL,
            burst INTEGER NOT NULL,
            cum_n INTEGER NOT NULL,
            cum_full_online INTEGER NOT NULL,
            cum_off_hours INTEGER NOT NULL,
            cum_verified INTEGER NOT NULL,
            cum_returned INTEGER NOT NULL,
            cum_completed INTEGER NOT NULL,
            cum_on_time INTEGER NOT NULL,
            cum_bursts INTEGER NOT NULL,
            cum_days INTEGER NOT NULL,
            PRIMARY KEY (agent_id, day)
        ) WITHOUT ROWID;

        CREATE TABLE reconciliations (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            filename TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            rows INTEGER NOT NULL,
            matched INTEGER NOT NULL,
            unmatched INTEGER NOT NULL,
            conflicting INTEGER NOT NULL,
            changed INTEGER NOT NULL
        );

        CREATE TABLE official_records (
            dossier_code TEXT PRIMARY KEY,
            procedure_code TEXT NOT NULL,
            received_at TEXT NOT NULL,
            status TEXT NOT NULL,
            due_at TEXT,
            completed_at TEXT,
            reconciliation_id INTEGER NOT NULL REFERENCES reconciliations (id),
            updated_at TEXT NOT NULL
        );
        CREATE INDEX official_records_received ON official_records (received_at);

        CREATE TABLE ratings (
            id INTEGER PRIMARY KEY,
            agent_id TEXT NOT NULL REFERENCES agents (id),
            dossier_code TEXT NOT NULL UNIQUE,
            stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
            comment TEXT,
            created_at TEXT NOT NULL,
            demo INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ratings_agent_time ON ratings (agent_id, created_at);
        """
    )


@migrations()
def m004_feedback(db: Database) -> None:
    """Citizens' reports (wrong information, being charged by an agent) and their history.

    Contact details are kept for staff only; ``report_events`` is the public status history
    (assignments are staff-only events).
    """
    db.executescript(
        """
        CREATE TABLE reports (
            code TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('wrong_info', 'charged')),
            subject_kind TEXT NOT NULL
                CHECK (subject_kind IN ('procedure', 'branch', 'reception_point', 'agent')),
            subject_id TEXT NOT NULL,
            description TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('received', 'in_progress', 'resolved', 'rejected')),
            note TEXT,
            assignee TEXT,
            contact_name TEXT,
            contact_email TEXT,
            contact_phone TEXT,
            lat REAL,
            lon REAL,
            address TEXT,
            channel TEXT NOT NULL CHECK (channel IN ('site', 'open311')),
            received_at TEXT NOT NULL,
            due_on TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at TEXT
        );
        CREATE INDEX reports_queue ON reports (status, due_on, received_at);
        CREATE INDEX reports_subject ON reports (subject_kind, subject_id, kind);
        CREATE INDEX reports_received ON reports (received_at);
        CREATE INDEX reports_updated ON reports (updated_at);

        CREATE TABLE report_events (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL REFERENCES reports (code),
            at TEXT NOT NULL,
            action TEXT NOT NULL
                CHECK (action IN ('receive', 'assign', 'progress', 'resolve', 'reject')),
            status TEXT NOT NULL,
            note TEXT,
            actor TEXT NOT NULL
        );
        CREATE INDEX report_events_code ON report_events (code, id);
        """
    )


@migrations()
def m005_demo_reports(db: Database) -> None:
    """Reports of the demo network are marked, like its agents, submissions and ratings."""
    db.execute("ALTER TABLE reports ADD COLUMN demo INTEGER NOT NULL DEFAULT 0")


AGENT_HOURS_FILL = """
    INSERT OR IGNORE INTO audit_agent_hours (agent_id, weekday, start, end)
    SELECT {id}, d.key, substr(r.value, 1, 5), substr(r.value, 7, 5)
    FROM {source}json_each({hours}) d, json_each(d.value) r
"""


@migrations()
def m006_audit_hours(db: Database) -> None:
    """Agents' declared weekly hours as rows, kept by triggers whenever ``opening_hours``
    changes, so the off-hours test of every recorded submission is one index seek instead of
    parsing the agent's JSON on each write."""
    fill = AGENT_HOURS_FILL.format(id="NEW.id", source="", hours="NEW.opening_hours")
    backfill = AGENT_HOURS_FILL.format(id="a.id", source="agents a, ", hours="a.opening_hours")
    db.executescript(
        f"""
        CREATE TABLE audit_agent_hours (
            agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
            weekday TEXT NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            PRIMARY KEY (agent_id, weekday, start, end)
        ) WITHOUT ROWID;
        CREATE TRIGGER audit_agent_hours_insert AFTER INSERT ON agents BEGIN
            {fill};
        END;
        CREATE TRIGGER audit_agent_hours_update AFTER UPDATE OF opening_hours ON agents BEGIN
            DELETE FROM audit_agent_hours WHERE agent_id = NEW.id;
            {fill};
        END;
        {backfill};
        """
    )


def migrate(db: Database) -> None:
    migrations.apply(db)


def is_current(db: Database) -> bool:
    return not migrations.pending(db)
