"""What the matcher says about a match, applied in the matcher's order whatever order the
topics arrive in: each event carries the matcher's revision of the match and the newest wins.

A withdrawal that arrives before its suggestion is kept (a row without score) so the late
suggestion cannot reopen it. Decided matches keep their decision: the matcher only learns of it
later, and a decision is final.
"""

from sqlalchemy import ColumnElement, or_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.tables import ReviewMatch
from shared.contracts import MatchSuggested, MatchWithdrawn

# Statuses the matcher may still change; accepted, rejected and revoked are the reviewer's.
MATCHER_OWNED = ("open", "withdrawn")


def _newer(revision: int | None) -> ColumnElement[bool]:
    """The row may take an event of ``revision`` (an event without one: arrival order)."""
    if revision is None:
        return ReviewMatch.status.in_(MATCHER_OWNED)
    return ReviewMatch.status.in_(MATCHER_OWNED) & or_(
        ReviewMatch.matcher_revision < revision, ReviewMatch.matcher_revision.is_(None)
    )


async def apply_suggested(session: AsyncSession, match: MatchSuggested) -> None:
    """Open (or refresh) a suggestion unless the matcher has since said something newer."""
    values = {
        "need_id": match.need_id,
        "offer_id": match.offer_id,
        "status": "open",
        "matcher_revision": match.revision or 0,
        "kind": match.kind,
        "score": match.score,
        "rank": match.rank,
        "distance_km": match.distance_km,
        "components": match.components.model_dump(exclude_none=True),
        "explanation": match.explanation,
        "suggested_at": match.suggested_at,
        "withdrawn_reason": None,
    }
    statement = insert(ReviewMatch).values(match_id=match.match_id, announced=False, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ReviewMatch.match_id],
            set_={name: statement.excluded[name] for name in values},
            where=_newer(match.revision),
        )
    )


async def apply_withdrawn(session: AsyncSession, withdrawal: MatchWithdrawn) -> None:
    """Close a suggestion unless the matcher has since suggested it again."""
    values = {
        "need_id": withdrawal.need_id,
        "offer_id": withdrawal.offer_id,
        "status": "withdrawn",
        "matcher_revision": withdrawal.revision or 0,
        "withdrawn_reason": withdrawal.reason[:40],
    }
    statement = insert(ReviewMatch).values(match_id=withdrawal.match_id, **values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ReviewMatch.match_id],
            set_={name: statement.excluded[name] for name in values},
            where=_newer(withdrawal.revision),
        )
    )
