"""What the notifier's texts say about a match, read from the review state."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.routing import Party
from services.notifier.templates import MatchFacts
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer


def school_of(need: ReviewNeed) -> Party:
    """The school of a need, with the need's contact."""
    return Party(
        "school", need.institution_number, need.school_name, need.contact_name, need.contact_email
    )


def provider_of(offer: ReviewOffer) -> Party:
    """The provider of an offer, with the offer's contact."""
    return Party(
        "provider",
        offer.enterprise_number,
        offer.provider_name,
        offer.contact_name,
        offer.contact_email,
    )


def facts_of(match: ReviewMatch, need: ReviewNeed, offer: ReviewOffer) -> MatchFacts:
    """What the texts say about a suggested match."""
    return MatchFacts(
        match_id=match.match_id,
        kind=match.kind or need.kind,
        field=need.field,
        score=match.score or 0.0,
        distance_km=match.distance_km or 0.0,
        explanation=match.explanation or "",
        need_title=need.title,
        offer_title=offer.title,
        school=school_of(need),
        provider=provider_of(offer),
    )


async def matches_with_postings(
    session: AsyncSession, match_ids: Sequence[str]
) -> list[tuple[ReviewMatch, ReviewNeed, ReviewOffer]]:
    """The suggested matches among ``match_ids`` whose need and offer are both known."""
    return await matches_where(session, ReviewMatch.match_id.in_(match_ids))


async def matches_where(
    session: AsyncSession, *criteria: ColumnElement[bool]
) -> list[tuple[ReviewMatch, ReviewNeed, ReviewOffer]]:
    """The suggested matches meeting ``criteria`` whose need and offer are both known, oldest
    suggestion first (one query)."""
    rows = await session.execute(
        select(ReviewMatch, ReviewNeed, ReviewOffer)
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .join(ReviewOffer, ReviewOffer.offer_id == ReviewMatch.offer_id)
        .where(*criteria, ReviewMatch.kind.is_not(None))
        .order_by(ReviewMatch.suggested_at, ReviewMatch.match_id)
    )
    return [(match, need, offer) for match, need, offer in rows.tuples()]
