"""Decisions never overbook: one place decides capacity, under row locks, in one transaction."""

import asyncio

import pytest
from sqlalchemy import select

from services.review.actors import Actor
from services.review.decisions import make_decision, revoke
from services.review.rules import DecisionRefused
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared import topics
from shared.contracts import MatchReviewed
from shared.outbox import OutboxEvent
from tests.notifier import events
from tests.review.conftest import Sessions, accept, suggested_pairs

LIMBURG = Actor.coordinator("rtc-limburg@rtc.example", "Limburg")


async def _used(sessions: Sessions, offer_id: str) -> int:
    async with sessions() as session:
        offer = await session.get(ReviewOffer, offer_id)
    assert offer is not None
    return offer.capacity_used


async def test_twenty_concurrent_accepts_of_one_last_place_give_exactly_one_winner(
    sessions: Sessions,
) -> None:
    offer = events.offer(capacity=1)
    matches = await suggested_pairs(sessions, [events.need() for _ in range(20)], offer)

    outcomes = await asyncio.gather(*(accept(sessions, LIMBURG, m.match_id) for m in matches))

    assert sorted(set(outcomes)) == ["accepted", "offer_fully_booked"]
    assert outcomes.count("accepted") == 1
    assert await _used(sessions, offer.offer_id) == 1


async def test_accept_after_accept_is_refused_and_the_need_gets_what_it_was_given(
    sessions: Sessions,
) -> None:
    offer = events.offer(capacity=1)
    first, second = await suggested_pairs(sessions, [events.need(), events.need()], offer)

    assert await accept(sessions, LIMBURG, first.match_id) == "accepted"
    assert await accept(sessions, LIMBURG, second.match_id) == "offer_fully_booked"
    async with sessions() as session:
        served = await session.get(ReviewNeed, first.need_id)
        unserved = await session.get(ReviewNeed, second.need_id)
    assert served is not None and unserved is not None
    assert (served.quantity_met, unserved.quantity_met) == (1, 0)


async def test_a_decision_queues_the_public_event_and_the_review_with_what_is_used(
    sessions: Sessions,
) -> None:
    offer = events.offer(capacity=3)
    (match,) = await suggested_pairs(sessions, [events.need()], offer)
    async with sessions.begin() as session:
        decided = await make_decision(session, match.match_id, "accepted", None, "", LIMBURG)
        queued = (
            await session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.key == match.match_id)
                .order_by(OutboxEvent.id)
            )
        ).all()
    assert [row.topic for row in queued] == [topics.MATCHES_REVIEWED, topics.MATCHES_DECIDED]
    reviewed = MatchReviewed.model_validate_json(queued[0].payload)
    assert (reviewed.status, reviewed.offer_capacity_used, reviewed.need_quantity_met) == (
        "accepted",
        1,
        1,
    )
    assert decided.decided_by == LIMBURG.email


async def test_another_region_cannot_tell_a_match_exists(sessions: Sessions) -> None:
    (match,) = await suggested_pairs(sessions, [events.need()], events.offer())
    antwerpen = Actor.coordinator("rtc-antwerpen@rtc.example", "Antwerpen")
    for match_id in (match.match_id, "no-such-match"):
        with pytest.raises(DecisionRefused) as refused:
            async with sessions.begin() as session:
                await make_decision(session, match_id, "accepted", None, "", antwerpen)
        assert refused.value.code == "unknown_match"


async def test_revoking_gives_the_place_back_and_reopens_the_need(sessions: Sessions) -> None:
    offer = events.offer(capacity=1)
    first, second = await suggested_pairs(sessions, [events.need(), events.need()], offer)
    assert await accept(sessions, LIMBURG, first.match_id) == "accepted"

    async with sessions.begin() as session:
        await revoke(session, first.match_id, "Het bedrijf annuleert", LIMBURG)

    assert await _used(sessions, offer.offer_id) == 0
    async with sessions() as session:
        revoked = await session.get(ReviewMatch, first.match_id)
        need = await session.get(ReviewNeed, first.need_id)
    assert revoked is not None and need is not None
    assert (revoked.status, revoked.revoke_reason, need.quantity_met) == (
        "revoked",
        "Het bedrijf annuleert",
        0,
    )
    assert await accept(sessions, LIMBURG, second.match_id) == "accepted"
    with pytest.raises(DecisionRefused) as refused:
        async with sessions.begin() as session:
            await revoke(session, first.match_id, "nog eens", LIMBURG)
    assert refused.value.code == "not_accepted"
