"""Term pairs an administrator adds take effect in a running matcher without a release: the next
scoring reads both sides' texts with them (the offer registered before the pair too), and a
removed pair stops counting."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher import terms
from services.matcher.service import MatcherService
from services.matcher.settings import MatcherSettings
from services.matcher.tables import MatchSuggestion
from shared.contracts import NeedRegistered
from tests.matcher.events import fresh_period, need_event, offer_event

Db = async_sessionmaker[AsyncSession]


@pytest.fixture
async def added(db: Db) -> AsyncIterator[list[int]]:
    """The pairs a test adds, removed again afterwards."""
    pair_ids: list[int] = []
    yield pair_ids
    async with db.begin() as session:
        for pair_id in pair_ids:
            await terms.remove_pair(session, pair_id)
        await terms.follow(session)


async def _add_bakery(db: Db, added: list[int]) -> int:
    """An administrator says a boulangerie is a broodbakker (bakery in French and Dutch)."""
    async with db.begin() as session:
        added.append(
            await terms.add_pair(session, "voeding", "boulangerie", "broodbakker", "admin")
        )
    return added[-1]


async def test_a_pair_added_while_the_matcher_runs_counts_for_its_next_scoring(
    db: Db, added: list[int]
) -> None:
    matcher = MatcherService(db, MatcherSettings())
    await matcher.handle([])
    period = fresh_period()
    offer = offer_event(period, "3500", "auto", "Ambachtelijke broodbakker")
    before = _need(period)
    await matcher.handle([offer, before])

    await _add_bakery(db, added)
    after = _need(period)
    await matcher.handle([after])

    (text_before, why_before), (text_after, why_after) = [
        await _suggested(db, need) for need in (before, after)
    ]
    assert "termen" not in why_before
    assert "termen: boulangerie ~ broodbakker" in why_after
    assert text_after > text_before  # the offer's row was read again with the pair


async def test_a_removed_pair_no_longer_counts(db: Db, added: list[int]) -> None:
    pair = await _add_bakery(db, added)
    matcher = MatcherService(db, MatcherSettings())
    period = fresh_period()
    offer = offer_event(period, "3500", "auto", "Ambachtelijke broodbakker")
    with_pair = _need(period)
    await matcher.handle([offer, with_pair])

    async with db.begin() as session:
        assert await terms.remove_pair(session, pair)
        assert not await terms.remove_pair(session, pair)  # removed once
    without = _need(period)
    await matcher.handle([without])

    assert "boulangerie ~ broodbakker" in (await _suggested(db, with_pair))[1]
    assert "termen" not in (await _suggested(db, without))[1]


def _need(period: object) -> NeedRegistered:
    return need_event(
        period,
        title="Stage in een boulangerie",
        description="Leraar wil meedraaien in de werkplaats.",
        keywords=[],
    )


async def _suggested(db: Db, need: NeedRegistered) -> tuple[float, str]:
    async with db() as session:
        components, explanation = (
            await session.execute(
                select(MatchSuggestion.components, MatchSuggestion.explanation).where(
                    MatchSuggestion.need_id == need.need_id
                )
            )
        ).one()
    return float(components["text"]), explanation
