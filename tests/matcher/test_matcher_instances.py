"""Several matcher instances on one database decide as one: each takes over what the others
stored before it acts (no broker needed: the instances are called directly)."""

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from services.matcher.tables import MatchSuggestion
from tests.matcher.events import fresh_period, need_event, offer_event


async def test_instances_see_each_others_postings_and_lists(
    db: async_sessionmaker[AsyncSession],
) -> None:
    first, second = MatcherService(db, MatcherSettings()), MatcherService(db, MatcherSettings())
    await first.handle([])  # both instances have built their state before the postings arrive
    await second.handle([])
    period = fresh_period()
    offer = offer_event(period, "3600", "auto", "EV-werkplaats")
    need = need_event(period)

    await first.handle([offer])
    await second.handle([need])  # second must know the offer the first stored
    suggested = await _statuses(db, need.need_id)
    withdrawn = offer.model_copy(
        update={"event_id": uuid.uuid4(), "version": 2, "status": "withdrawn"}
    )
    await first.handle([withdrawn])  # first must know the list the second stored

    assert suggested == {offer.offer_id: ("suggested", None)}
    assert await _statuses(db, need.need_id) == {offer.offer_id: ("withdrawn", "offer_withdrawn")}


async def _statuses(
    db: async_sessionmaker[AsyncSession], need_id: str
) -> dict[str, tuple[str, str | None]]:
    async with db() as session:
        rows = await session.execute(
            select(MatchSuggestion.offer_id, MatchSuggestion.status, MatchSuggestion.reason).where(
                MatchSuggestion.need_id == need_id
            )
        )
        return {offer_id: (status, reason) for offer_id, status, reason in rows.all()}
