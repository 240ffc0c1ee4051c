"""Racing for an offer's last place, through the API's path and through matches.decided from
outside: exactly one acceptance, capacity never exceeded, exactly one pair of "accepted"
notifications, and every refused outside decision on postings.rejected with its reason."""

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.review.actors import Actor
from services.review.decisions import make_decision
from services.review.rules import DecisionRefused
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared import topics
from shared.contracts import MatchSuggested, OfferRegistered
from shared.runtime import ServiceRuntime
from tests.kafka_io import TopicTail
from tests.notifier import events, probes
from tests.notifier.conftest import Publish, eventually

Sessions = async_sessionmaker[AsyncSession]
RACERS = 20


async def _suggested(
    publish: Publish, sessions: Sessions
) -> tuple[OfferRegistered, list[MatchSuggested]]:
    """One offer with one place, suggested to twenty needs, all announced and every posting
    known to the review (postings and suggestions travel on different topics, in no order)."""
    offer, needs = events.offer(capacity=1), [events.need() for _ in range(RACERS)]
    matches = [events.suggested(need, offer) for need in needs]
    await publish(topics.OFFERS_REGISTERED, offer.offer_id, offer)
    for need, match in zip(needs, matches, strict=True):
        await publish(topics.NEEDS_REGISTERED, need.need_id, need)
        await publish(topics.MATCHES_SUGGESTED, match.match_id, match)

    async def all_stored() -> bool:
        rows = [await probes.suggestion(sessions, m.match_id) for m in matches]
        async with sessions() as session:
            known = [await session.get(ReviewNeed, need.need_id) for need in needs]
            known_offer = await session.get(ReviewOffer, offer.offer_id)
        return (
            all(row is not None and row.status == "open" for row in rows)
            and None not in known
            and known_offer is not None
        )

    await eventually(all_stored, give_up_after=300)  # behind what earlier tests streamed
    return offer, matches


async def _outcome(
    sessions: Sessions, offer: OfferRegistered, matches: list[MatchSuggested]
) -> None:
    """Exactly one accepted, the place used once, one pair of accepted notifications."""
    async with sessions() as session:
        rows = [await session.get(ReviewMatch, m.match_id) for m in matches]
        statuses = [row.status if row else None for row in rows]
        stored = await session.get(ReviewOffer, offer.offer_id)
    assert statuses.count("accepted") == 1 and statuses.count("open") == RACERS - 1
    assert stored is not None and stored.capacity_used == 1
    (winner,) = [m for m, s in zip(matches, statuses, strict=True) if s == "accepted"]

    async def pair_told() -> list[str] | None:
        rows = await probes.notifications(sessions, winner.match_id)
        recipients = sorted(r.recipient for r in rows if r.type == "accepted")
        return recipients if len(recipients) >= 2 else None

    assert len(await eventually(pair_told)) == 2
    for loser in (m for m in matches if m is not winner):
        rows = await probes.notifications(sessions, loser.match_id)
        assert [r for r in rows if r.type == "accepted"] == []


async def test_twenty_concurrent_accepts_through_the_review_give_one_winner(
    notifier: ServiceRuntime, publish: Publish
) -> None:
    sessions = notifier.sessions
    offer, matches = await _suggested(publish, sessions)
    reviewer = Actor.coordinator("rtc-limburg@rtc.example", "Limburg")

    async def accept(match: MatchSuggested) -> str:
        try:
            async with sessions.begin() as session:
                await make_decision(session, match.match_id, "accepted", None, "", reviewer)
        except DecisionRefused as refused:
            return refused.code
        return "accepted"

    outcomes = await asyncio.gather(*(accept(m) for m in matches))
    assert sorted(outcomes) == ["accepted"] + ["offer_fully_booked"] * (RACERS - 1)
    await _outcome(sessions, offer, matches)


async def test_twenty_outside_decisions_on_kafka_give_one_winner_and_nineteen_rejections(
    notifier: ServiceRuntime, publish: Publish
) -> None:
    sessions = notifier.sessions
    offer, matches = await _suggested(publish, sessions)
    ids = {m.match_id for m in matches}
    async with TopicTail(topics.POSTINGS_REJECTED) as tail:
        await asyncio.gather(
            *(publish(topics.MATCHES_DECIDED, m.match_id, events.decided(m)) for m in matches)
        )
        mine = lambda received: [r for r in received if r.value["posting_id"] in ids]  # noqa: E731
        refused = mine(await tail.collect(lambda r: len(mine(r)) >= RACERS - 1, seconds=300))
    assert len(refused) == RACERS - 1
    assert all("offer_fully_booked" in r.value["errors"][0]["message"] for r in refused)
    await _outcome(sessions, offer, matches)
