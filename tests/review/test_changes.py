"""A region's queue version (``services.review.changes``) changes with every change its queue may
show (a suggestion, a withdrawal, a decision, a posting's new version) in the transaction that
makes it, and with nothing else: not another region's change, not a rolled-back one, not the
announcement mark no queue shows."""

from services.review import changes, decisions
from services.review.actors import Actor
from services.review.known_postings import store_offer
from services.review.suggestions import apply_suggested, apply_withdrawn, mark_announced
from tests.notifier import events
from tests.review.conftest import Sessions, suggested_pairs

LIMBURG = Actor.coordinator("rtc@limburg.example", "Limburg")
WEST = Actor.coordinator("rtc@west-vlaanderen.example", "West-Vlaanderen")
ADMIN = Actor.admin("beheer@schakel.example")


async def _versions(sessions: Sessions) -> dict[str, str]:
    async with sessions() as session:
        return {
            "Limburg": await changes.queue_version(session, LIMBURG),
            "West-Vlaanderen": await changes.queue_version(session, WEST),
            "admin": await changes.queue_version(session, ADMIN),
        }


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


async def test_a_suggestion_changes_its_regions_version_and_the_admins_only(
    sessions: Sessions,
) -> None:
    before = await _versions(sessions)
    await suggested_pairs(sessions, [events.need("3500")], events.offer())
    assert _changed(before, await _versions(sessions)) == {"Limburg", "admin"}

    before = await _versions(sessions)
    await suggested_pairs(sessions, [events.need("8000")], events.offer())
    assert _changed(before, await _versions(sessions)) == {"West-Vlaanderen", "admin"}


async def test_a_decision_a_withdrawal_and_a_new_offer_version_each_change_it(
    sessions: Sessions,
) -> None:
    offer = events.offer(capacity=2)
    first, second = await suggested_pairs(
        sessions, [events.need("3500"), events.need("3500")], offer
    )
    before = await _versions(sessions)
    async with sessions.begin() as session:
        await decisions.make_decision(session, first.match_id, "accepted", None, "", LIMBURG)
    after_decision = await _versions(sessions)
    assert _changed(before, after_decision) == {"Limburg", "admin"}

    async with sessions.begin() as session:
        await apply_withdrawn(session, events.withdrawn(second))
    after_withdrawal = await _versions(sessions)
    assert _changed(after_decision, after_withdrawal) == {"Limburg", "admin"}

    renamed = offer.model_copy(update={"version": 2, "title": "Een dag in de EV-werkplaats"})
    async with sessions.begin() as session:
        await store_offer(session, renamed)
    assert _changed(after_withdrawal, await _versions(sessions)) == {"Limburg", "admin"}


async def test_announcing_and_a_rolled_back_change_leave_it_alone(sessions: Sessions) -> None:
    need, offer = events.need("3500"), events.offer()
    (match,) = await suggested_pairs(sessions, [need], offer)
    before = await _versions(sessions)
    async with sessions.begin() as session:
        await mark_announced(session, [match.match_id])
    async with sessions() as session:
        await apply_suggested(session, events.suggested(need, offer, rank=2))
        await session.rollback()
    assert await _versions(sessions) == before
