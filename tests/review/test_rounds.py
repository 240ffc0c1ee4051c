"""Allocation rounds on the review state: propose, then accept in one go under the decision rules.

These tests own the guest_expert needs of West-Vlaanderen: each starts by closing what an earlier
one left open there, so every proposal sees only the region the test builds.
"""

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select, update

from services.review.actors import Actor
from services.review.decisions import make_decision
from services.review.known_postings import store_need, store_offer
from services.review.proposals import Proposal, RoundOptions, propose
from services.review.rounds import accept_proposal
from services.review.suggestions import apply_suggested
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.contracts import NeedRegistered, OfferRegistered
from tests.notifier import events
from tests.review.conftest import Sessions

REGION, KIND, POSTAL_CODE = "West-Vlaanderen", "guest_expert", "8000"
COORDINATOR = Actor.coordinator("rtc-west-vlaanderen@rtc.example", REGION)
Scores = dict[tuple[int, int], float]


@pytest.fixture(autouse=True)
async def empty_region(sessions: Sessions) -> AsyncIterator[None]:
    """No open suggestion of this region and kind but the test's own."""
    ours = select(ReviewNeed.need_id).where(
        ReviewNeed.rtc_region == REGION, ReviewNeed.kind == KIND
    )
    async with sessions.begin() as session:
        await session.execute(
            update(ReviewMatch)
            .where(ReviewMatch.status == "open", ReviewMatch.need_id.in_(ours))
            .values(status="withdrawn")
        )
    yield


def _need(grades: tuple[str, ...] = ("G3",), quantity: int = 1) -> NeedRegistered:
    return events.need(POSTAL_CODE, KIND, quantity).model_copy(update={"grades": list(grades)})


async def _region(
    sessions: Sessions, needs: list[NeedRegistered], offers: list[OfferRegistered], scores: Scores
) -> dict[tuple[int, int], str]:
    """Store the postings and a suggestion per (need, offer) in ``scores``; their match ids."""
    match_ids = {}
    async with sessions.begin() as session:
        for posting in offers:
            await store_offer(session, posting)
        for posting in needs:
            await store_need(session, posting)
        for (n, o), score in scores.items():
            match = events.suggested(needs[n], offers[o]).model_copy(update={"score": score})
            await apply_suggested(session, match)
            match_ids[n, o] = match.match_id
    return match_ids


async def _propose(sessions: Sessions, options: RoundOptions | None = None) -> Proposal:
    return await propose(sessions, REGION, KIND, options or RoundOptions())


async def _accept(
    sessions: Sessions, match_ids: list[str], reviewer: Actor = COORDINATOR
) -> dict[str, str]:
    """Each pair's outcome: ``accepted`` or the refusal's code."""
    async with sessions.begin() as session:
        outcomes = await accept_proposal(session, match_ids, reviewer)
    return {o.match_id: "accepted" if o.accepted else str(o.code) for o in outcomes}


async def _used(sessions: Sessions, offers: list[OfferRegistered]) -> list[int]:
    async with sessions() as session:
        rows = [await session.get(ReviewOffer, o.offer_id) for o in offers]
    return [row.capacity_used if row else -1 for row in rows]


async def _two_needs_one_contested_offer(
    sessions: Sessions,
) -> tuple[dict[tuple[int, int], str], list[OfferRegistered]]:
    """Need 0 likes offer 0 best but can take offer 1; need 1 can only take offer 0."""
    offers = [events.offer(capacity=1), events.offer(capacity=1)]
    scores = {(0, 0): 0.9, (0, 1): 0.8, (1, 0): 0.85}
    return await _region(sessions, [_need(), _need()], offers, scores), offers


async def test_the_round_matches_the_need_greedy_leaves_out_and_accepts_it_in_one_go(
    sessions: Sessions,
) -> None:
    match_ids, offers = await _two_needs_one_contested_offer(sessions)

    proposal = await _propose(sessions)

    # One place each: any acceptance order gives these units.
    assert sorted(p.match_id for p in proposal.pairs) == sorted([match_ids[0, 1], match_ids[1, 0]])
    assert (proposal.greedy.needs_matched, proposal.proposed.needs_matched) == (1, 2)
    assert (proposal.extra_needs_matched, proposal.candidates, proposal.open_needs) == (1, 3, 2)
    outcomes = await _accept(sessions, [p.match_id for p in proposal.pairs])
    assert set(outcomes.values()) == {"accepted"}
    assert await _used(sessions, offers) == [1, 1]
    assert (await _propose(sessions)).pairs == []


async def test_a_place_booked_after_the_proposal_is_refused_and_the_rest_accepted(
    sessions: Sessions,
) -> None:
    match_ids, offers = await _two_needs_one_contested_offer(sessions)
    proposal = await _propose(sessions)
    late = await _region(sessions, [_need()], offers[:1], {(0, 0): 0.5})
    async with sessions.begin() as session:
        await make_decision(session, late[0, 0], "accepted", None, "", COORDINATOR)

    outcomes = await _accept(sessions, [p.match_id for p in proposal.pairs])

    assert outcomes == {match_ids[0, 1]: "accepted", match_ids[1, 0]: "offer_fully_booked"}
    assert await _used(sessions, offers) == [1, 1]


async def test_rounds_and_single_decisions_at_once_never_overbook_nor_deadlock(
    sessions: Sessions,
) -> None:
    offers = [events.offer(capacity=2) for _ in range(3)]
    needs = [_need(quantity=1 + n % 2) for n in range(6)]
    scores = {(n, (n + k) % 3): 0.9 - 0.1 * k for n in range(6) for k in range(2)}
    match_ids = await _region(sessions, needs, offers, scores)
    proposed = [p.match_id for p in (await _propose(sessions)).pairs]
    every = list(match_ids.values())

    rounds = await asyncio.gather(
        _accept(sessions, proposed),
        _accept(sessions, proposed[::-1]),
        _accept(sessions, every),
        *(_accept(sessions, [m]) for m in every[::-1]),
    )

    accepted = [m for outcome in rounds for m, result in outcome.items() if result == "accepted"]
    assert len(accepted) == len(set(accepted))
    assert all(used <= 2 for used in await _used(sessions, offers))
    async with sessions() as session:
        given = (
            await session.execute(
                select(ReviewNeed.quantity, ReviewNeed.quantity_met).where(
                    ReviewNeed.need_id.in_([n.need_id for n in needs])
                )
            )
        ).all()
    assert all(met <= quantity for quantity, met in given)


async def test_new_schools_first_and_early_grades_change_who_gets_the_last_place(
    sessions: Sessions,
) -> None:
    served, new = _need(), _need()
    early = _need(grades=("G1",)).model_copy(update={"school": served.school})
    offers = [events.offer(capacity=1), events.offer(capacity=1)]
    match_ids = await _region(
        sessions, [served, new, early], offers, {(0, 0): 0.9, (1, 0): 0.6, (2, 0): 0.7}
    )
    again = _need().model_copy(update={"school": served.school})
    earlier = await _region(sessions, [again], offers[1:], {(0, 0): 0.9})
    async with sessions.begin() as session:
        await make_decision(session, earlier[0, 0], "accepted", None, "", COORDINATOR)

    chosen = {
        options: [p.match_id for p in (await _propose(sessions, options)).pairs]
        for options in (
            RoundOptions(),
            RoundOptions(early_grades_up=True),
            RoundOptions(new_schools_first=True, early_grades_up=True),
        )
    }

    assert list(chosen.values()) == [[match_ids[0, 0]], [match_ids[2, 0]], [match_ids[1, 0]]]


async def test_another_region_cannot_accept_a_round(sessions: Sessions) -> None:
    match_ids, offers = await _two_needs_one_contested_offer(sessions)
    antwerpen = Actor.coordinator("rtc-antwerpen@rtc.example", "Antwerpen")

    outcomes = await _accept(sessions, list(match_ids.values()), antwerpen)

    assert set(outcomes.values()) == {"unknown_match"}
    assert await _used(sessions, offers) == [0, 0]
