"""``own_matches``: what the school's and the provider's own pages show under each posting, read
for a whole page of postings at once: best first, at most so many, withdrawn ones left out before
they could take a place, only the viewer's own, with the other party to contact."""

from services.review.actors import Actor
from services.review.known_postings import store_need, store_offer
from services.review.own_matches import Party, postings_with_matches
from services.review.progress import NEED_PROGRESS_COLUMNS
from services.review.suggestions import apply_suggested, apply_withdrawn
from tests.notifier import events
from tests.review.conftest import Sessions, accept, suggested_pairs

LIMBURG = Actor.coordinator("rtc@limburg.example", "Limburg")


async def test_a_provider_sees_its_offers_best_matches_not_withdrawn_and_no_one_elses(
    sessions: Sessions,
) -> None:
    offer, foreign = events.offer(capacity=4), events.offer()
    needs = [events.need("3500") for _ in range(4)]
    scored = [events.suggested(need, offer).model_copy(update={"score": score})
              for need, score in zip(needs, (0.95, 0.6, 0.8, 0.7), strict=True)]  # fmt: skip
    await suggested_pairs(sessions, [events.need("3500")], foreign)
    async with sessions.begin() as session:
        await store_offer(session, offer)
        for need, match in zip(needs, scored, strict=True):
            await store_need(session, need)
            await apply_suggested(session, match)
        await apply_withdrawn(session, events.withdrawn(scored[0]))  # the best, withdrawn
    provider = Actor("provider", "hr@garage.example", offer.provider.enterprise_number)

    async with sessions() as session:
        found = await postings_with_matches(
            session, provider, "offer", [offer.offer_id, foreign.offer_id], 2
        )

    shown = found.matches

    assert set(shown) == set(found.rows) == {offer.offer_id}  # the other is another provider's
    assert [m.match_id for m in shown[offer.offer_id]] == [scored[2].match_id, scored[3].match_id]
    assert shown[offer.offer_id][0].need_title == needs[2].title


async def test_the_other_party_of_a_school_s_match_is_the_provider(sessions: Sessions) -> None:
    need = events.need("3500")
    offer = events.offer()
    (match,) = await suggested_pairs(sessions, [need], offer)
    assert await accept(sessions, LIMBURG, match.match_id) == "accepted"
    school = Actor("school", "info@school.example", need.school.institution_number)

    async with sessions() as session:
        found = await postings_with_matches(session, school, "need", [need.need_id], 5)
    (shown,) = found.matches[need.need_id]

    assert shown.status == "accepted"
    assert shown.other_party == Party(
        offer.provider.name, offer.contact.name, str(offer.contact.email)
    )


async def test_a_school_s_needs_come_with_their_progress_with_or_without_matches(
    sessions: Sessions,
) -> None:
    matched, alone, foreign = events.need("3500"), events.need("3500"), events.need("3500")
    alone = alone.model_copy(update={"school": matched.school})
    (match,) = await suggested_pairs(sessions, [matched], events.offer())
    assert await accept(sessions, LIMBURG, match.match_id) == "accepted"
    async with sessions.begin() as session:
        await store_need(session, alone)
        await store_need(session, foreign)  # another school's
    school = Actor("school", "info@school.example", matched.school.institution_number)
    ids = [matched.need_id, alone.need_id, foreign.need_id]

    async with sessions() as session:
        found = await postings_with_matches(session, school, "need", ids, 5, NEED_PROGRESS_COLUMNS)

    assert found.rows == {matched.need_id: (1, 1), alone.need_id: (0, 1)}
    assert set(found.matches) == {matched.need_id}
