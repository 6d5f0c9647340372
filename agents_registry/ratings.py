"""Citizens rate the agent who helped them: by dossier code, 1 to 5 stars, once per dossier.

The rated agent is always the one that recorded the dossier; the agent id printed on its poster
may be sent as a check. Comments are stored as plain text: HTML is dropped and anything that
looks like a phone number, a citizen ID or an e-mail address is masked, because comments are
read by staff and must never carry a citizen's personal data. Public responses (the
scorecard) publish counts and averages only, never comments.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Annotated

from msgspec import Meta
from sqlite_utils import Database

from agents_registry import ratings_store, store
from agents_registry.context import Context
from agents_registry.db import write
from agents_registry.errors import Conflict, InvalidInput
from agents_registry.models import Base, DossierCode
from agents_registry.plaintext import mask_personal, plain_text

COMMENT_MAX_CHARS = 500

AgentId = Annotated[str, Meta(pattern=r"^DL-[0-9]{4,9}$", examples=["DL-0001"])]
Stars = Annotated[int, Meta(ge=1, le=5, description="1 (very poor) to 5 (very good).")]
# The raw comment may carry markup that is dropped; the stored text has at most 500 characters.
RawComment = Annotated[str, Meta(max_length=4 * COMMENT_MAX_CHARS)]


class RatingIn(Base, kw_only=True):
    """A citizen's rating of the agent who helped with one dossier."""

    dossier_code: DossierCode
    stars: Stars
    comment: RawComment | None = None
    agent_id: AgentId | None = None


class Rating(Base, kw_only=True):
    """A stored rating, as its author sees it (the cleaned comment)."""

    id: int
    agent_id: str
    agent_name: str
    dossier_code: str
    stars: int
    comment: str | None
    created_at: dt.datetime


def clean_comment(raw: str) -> str | None:
    """Plain text of a comment: no markup (even escaped), no control characters, personal
    data masked, spaces collapsed; None when nothing is left."""
    return mask_personal(plain_text(raw)) or None


def rate(db: Database, ctx: Context, data: RatingIn) -> Rating:
    """Store one rating and its audit entry in one transaction.

    422 (InvalidInput) names ``dossier_code`` when no agent recorded that dossier, ``agent_id``
    when it was recorded by another agent, ``comment`` when the cleaned text is too long;
    409 (Conflict) when the dossier was already rated.
    """
    comment = clean_comment(data.comment) if data.comment is not None else None
    if comment is not None and len(comment) > COMMENT_MAX_CHARS:
        raise InvalidInput({"comment": f"must be at most {COMMENT_MAX_CHARS} characters"})
    now = ctx.now()
    with write(db):
        submission = store.submission_by_dossier(db, data.dossier_code)
        if submission is None:
            raise InvalidInput(
                {"dossier_code": "no agent has recorded this dossier; check the code"}
            )
        agent_id = submission["agent_id"]
        if data.agent_id is not None and data.agent_id != agent_id:
            raise InvalidInput({"agent_id": "this dossier was recorded by another agent"})
        if ratings_store.rating_by_dossier(db, data.dossier_code) is not None:
            raise Conflict(f"dossier {data.dossier_code} has already been rated", "dossier_code")
        row = {
            "agent_id": agent_id,
            "dossier_code": data.dossier_code,
            "stars": data.stars,
            "comment": comment,
            "created_at": store.iso(now),
            "demo": 0,
        }
        try:
            rating_id = ratings_store.insert_rating(db, row)
        except sqlite3.IntegrityError as exc:  # a concurrent rating of the same dossier
            raise Conflict(
                f"dossier {data.dossier_code} has already been rated", "dossier_code"
            ) from exc
        store.append_audit(
            db,
            at=now,
            actor="public",
            action="rating.create",
            entity="rating",
            entity_id=str(rating_id),
            after={
                "agent_id": agent_id,
                "dossier_code": data.dossier_code,
                "stars": data.stars,
                "comment_chars": len(comment or ""),
            },
        )
        agent = store.get_agent(db, agent_id)
    assert agent is not None  # submissions reference agents
    return Rating(
        id=rating_id,
        agent_id=agent_id,
        agent_name=agent["name"],
        dossier_code=data.dossier_code,
        stars=data.stars,
        comment=comment,
        created_at=now,
    )
