"""Review fixtures: sessions on the real test database and postings stored in the review state."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.review.actors import Actor
from services.review.decisions import make_decision
from services.review.known_postings import store_need, store_offer
from services.review.rules import DecisionRefused
from services.review.suggestions import apply_suggested
from shared.contracts import MatchSuggested, NeedRegistered, OfferRegistered
from shared.db import make_engine, make_sessionmaker
from tests.notifier import events
from tests.stack import Stack

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(scope="module")
async def sessions(stack: Stack) -> AsyncIterator[Sessions]:
    """Sessions on the test database."""
    engine = make_engine(stack.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def suggested_pairs(
    sessions: Sessions, needs: list[NeedRegistered], offer: OfferRegistered
) -> list[MatchSuggested]:
    """Store the postings and one open suggestion of ``offer`` for each need."""
    matches = [events.suggested(need, offer) for need in needs]
    async with sessions.begin() as session:
        await store_offer(session, offer)
        for need in needs:
            await store_need(session, need)
        for match in matches:
            await apply_suggested(session, match)
    return matches


async def accept(sessions: Sessions, reviewer: Actor, match_id: str) -> str:
    """Accept the match in a transaction of its own: ``accepted``, or the refusal's code."""
    try:
        async with sessions.begin() as session:
            await make_decision(session, match_id, "accepted", None, "", reviewer)
    except DecisionRefused as refused:
        return refused.code
    return "accepted"
