"""Tokens and principals: random bearer tokens, stored only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlite_utils import Database

from agents_registry import store
from agents_registry.context import Context
from agents_registry.db import write
from agents_registry.errors import Forbidden, Unauthorized

TOKEN_BYTES = 32


@dataclass(frozen=True)
class Principal:
    role: str  # "agent" | "staff"
    subject: str  # agent id, or staff id as text

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.subject}"


PUBLIC = Principal("public", "-")


def new_secret() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def issue_token(db: Database, ctx: Context, role: str, subject: str) -> str:
    """Create a token for ``subject`` (inside the caller's transaction); return it once."""
    token = new_secret()
    store.insert_token(db, hash_secret(token), role, subject, ctx.now())
    return token


def authenticate(db: Database, token: str) -> Principal:
    """The principal a bearer token stands for; active agents only may act as agents."""
    row = store.find_token(db, hash_secret(token))
    if row is None or not hmac.compare_digest(row["token_hash"], hash_secret(token)):
        raise Unauthorized("invalid or revoked token")
    principal = Principal(row["role"], row["subject"])
    if principal.role == "agent":
        agent = store.get_agent(db, principal.subject)
        if agent is None or agent["status"] != "active":
            raise Forbidden(
                f"agent {principal.subject} is {agent['status'] if agent else 'unknown'}"
            )
    return principal


def add_staff(db: Database, ctx: Context, name: str) -> tuple[int, str]:
    """Create a staff user and its token; the token is returned once and stored hashed."""
    with write(db):
        staff_id = store.insert_staff(db, name, ctx.now())
        token = issue_token(db, ctx, "staff", str(staff_id))
        store.append_audit(
            db,
            at=ctx.now(),
            actor="cli",
            action="staff.create",
            entity="staff",
            entity_id=str(staff_id),
            after={"name": name},
        )
    return staff_id, token


DEMO_STAFF = "Cán bộ demo"


def demo_staff_token(db: Database, ctx: Context) -> str:
    """A fresh token for the demo staff user (created once); earlier demo tokens are revoked."""
    with write(db):
        row = db.execute(
            "SELECT id FROM staff WHERE name = ? ORDER BY id LIMIT 1", [DEMO_STAFF]
        ).fetchone()
        staff_id = row[0] if row else store.insert_staff(db, DEMO_STAFF, ctx.now())
        store.revoke_tokens(db, "staff", str(staff_id), ctx.now())
        token = issue_token(db, ctx, "staff", str(staff_id))
        store.append_audit(
            db,
            at=ctx.now(),
            actor="cli",
            action="staff.demo_token",
            entity="staff",
            entity_id=str(staff_id),
        )
    return token
