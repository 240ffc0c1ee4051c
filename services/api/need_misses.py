"""Why one of a school's needs has no match yet, for ``GET /api/needs/{id}/misses`` and the
school's page alike: scoped to the caller's own needs (another school's id is absent), computed
by the matcher (``services.matcher.misses``)."""

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.own_postings import own_posting
from services.api.posting_resources import NEEDS
from services.api.principal import Principal
from services.matcher.misses import why_no_match


class MissView(BaseModel):
    """Offers kept out by one rule."""

    rule: str = Field(description="distance, period, grades, score, field, booked or kind.")
    offers: int = Field(description="How many open offers this rule kept out.")
    message: str = Field(description="What the school reads, in Dutch, with what would help.")


class NeedMisses(BaseModel):
    """The near misses of a need: the rules that kept the open offers out, nearest first."""

    need_id: str
    matched: bool = Field(
        description="False while the matcher has not taken the need in, or it is closed."
    )
    open_offers: int = Field(0, description="Open offers of a kind the need may meet.")
    misses: list[MissView] = []


async def need_misses(session: AsyncSession, principal: Principal, need_id: str) -> NeedMisses:
    """The near misses of the caller's need ``need_id``; ``PostingNotFound`` for another's."""
    await own_posting(session, NEEDS, principal, need_id)
    found = await why_no_match(session, need_id)
    if found is None:
        return NeedMisses(need_id=need_id, matched=False)
    misses = [MissView(rule=m.rule, offers=m.offers, message=m.message) for m in found.misses]
    return NeedMisses(need_id=need_id, matched=True, open_offers=found.open_offers, misses=misses)
