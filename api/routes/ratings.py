"""Citizens' ratings of the agent who helped them (public, rate-limited)."""

from __future__ import annotations

from litestar import Controller, post
from litestar.params import JSONBody

from agents_registry import ratings
from agents_registry.ratings import Rating, RatingIn
from api.deps import Db, RegistryContext


class RatingController(Controller):
    path = "/ratings"
    tags = ["ratings"]

    @post(
        "/",
        operation_id="createRating",
        status_code=201,
        sync_to_thread=True,
        opt={"rate_limited": True},
    )
    def create(self, db: Db, ctx: RegistryContext, data: JSONBody[RatingIn]) -> Rating:
        """Rate the agent that recorded a dossier, 1 to 5 stars, once per dossier."""
        return ratings.rate(db, ctx, data)
