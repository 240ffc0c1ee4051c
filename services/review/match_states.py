"""Where matches stand now, for the pages that mention them (the inbox): their status and need,
read in one query and only for the matches the viewer may see (``queries.in_scope``)."""

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.queries import in_scope
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.db import one_of


@dataclass(frozen=True, slots=True)
class MatchStanding:
    """A match's status now (open, accepted, rejected, revoked, withdrawn) and its need."""

    match_id: str
    status: str
    need_id: str
    need_title: str
    school_name: str


async def standings(
    session: AsyncSession, viewer: Actor, match_ids: Collection[str]
) -> dict[str, MatchStanding]:
    """Match id -> its standing, for those of ``match_ids`` that ``viewer`` may see (another's
    match is left out, as if it did not exist)."""
    if not match_ids:
        return {}
    rows = await session.execute(
        select(
            ReviewMatch.match_id,
            ReviewMatch.status,
            ReviewNeed.need_id,
            ReviewNeed.title,
            ReviewNeed.school_name,
        )
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .join(ReviewOffer, ReviewOffer.offer_id == ReviewMatch.offer_id)
        .where(one_of(ReviewMatch.match_id, match_ids), in_scope(viewer))
    )
    return {row[0]: MatchStanding(*row) for row in rows.tuples()}
