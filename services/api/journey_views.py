"""What a match's journey after acceptance shows: the step it reached, the steps the caller may
mark now, the ratings, and to the coordinator the provider's track record (what schools said)."""

from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.principal import Principal
from services.review import ratings
from services.review.journey import Marked, next_steps, took_place
from services.review.queries import ReviewMatch, ReviewNeed, ReviewOffer
from services.review.steps import side_of


class RatingView(BaseModel):
    """One side's rating: 1 to 5 and a sentence."""

    side: str = Field(description="school or provider: who rated.")
    score: int
    comment: str


class TrackRecordView(BaseModel):
    """What schools said of the provider over its matches."""

    average: float
    count: int


class JourneyView(BaseModel):
    """Where an accepted match stands after acceptance."""

    match_id: str
    step: str = Field(
        description="accepted, dates_agreed, delivered, returned, checked (loans), took_place "
        "(every other kind) or cancelled."
    )
    next_steps: list[Marked] = Field(description="The steps the caller may mark now.")
    may_rate: bool = Field(description="Whether the caller's side may rate the match now.")
    cancelled_on: date | None = None
    cancel_reason: str | None = None
    ratings: list[RatingView]
    provider_record: TrackRecordView | None = Field(
        None, description="To reviewers: the provider's ratings by schools, when there are any."
    )


async def journey_view(
    session: AsyncSession,
    principal: Principal,
    match: ReviewMatch,
    need: ReviewNeed,
    offer: ReviewOffer,
) -> JourneyView:
    """The journey of a match ``principal`` may see."""
    kind, step = match.kind or need.kind, match.step or "accepted"
    side = side_of(principal.actor, need, offer) if match.status == "accepted" else None
    record = (
        await ratings.track_record(session, offer.enterprise_number)
        if principal.actor.reviews
        else None
    )
    return JourneyView(
        match_id=match.match_id,
        step=step,
        next_steps=next_steps(kind, step, side),
        may_rate=side is not None and took_place(kind, step),
        cancelled_on=match.cancelled_on,
        cancel_reason=match.cancel_reason,
        ratings=[
            RatingView(side=r.side, score=r.score, comment=r.comment)
            for r in await ratings.ratings_of(session, match.match_id)
        ],
        provider_record=TrackRecordView(average=record.average, count=record.count)
        if record
        else None,
    )
