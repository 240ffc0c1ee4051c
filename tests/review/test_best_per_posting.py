"""``best_per_posting``: the matches the school's and the provider's pages show under each of
their postings, read for the whole page at once, best first, limited per posting, and only
those the viewer may see."""

from services.review.actors import Actor
from services.review.known_postings import store_need, store_offer
from services.review.queries import best_per_posting
from services.review.suggestions import apply_suggested
from shared.contracts import MatchSuggested, OfferRegistered
from tests.notifier import events
from tests.review.conftest import Sessions

ADMIN = Actor.admin("beheer@schakel.example")


async def _suggested(sessions: Sessions, offer: OfferRegistered, *scores: float) -> list[str]:
    """One need in Limburg per score, each suggested ``offer`` with that score; the match ids."""
    matches: list[MatchSuggested] = []
    async with sessions.begin() as session:
        await store_offer(session, offer)
        for score in scores:
            need = events.need("3500")
            await store_need(session, need)
            matches.append(events.suggested(need, offer).model_copy(update={"score": score}))
            await apply_suggested(session, matches[-1])
    return [match.match_id for match in matches]


async def test_each_offer_gets_its_own_best_matches_and_nobody_elses(sessions: Sessions) -> None:
    first, second, foreign = events.offer(capacity=3), events.offer(), events.offer()
    low, high, middle = await _suggested(sessions, first, 0.5, 0.9, 0.7)
    (only,) = await _suggested(sessions, second, 0.8)
    await _suggested(sessions, foreign, 0.95)
    provider = Actor("provider", "hr@garage.example", first.provider.enterprise_number)
    asked = [first.offer_id, second.offer_id, foreign.offer_id]

    async with sessions() as session:
        best = await best_per_posting(session, provider, "offer", asked, None, 2)
        every = await best_per_posting(session, ADMIN, "offer", asked, "open", 5)
    assert set(best) == {first.offer_id}  # the other offers are other providers'
    assert [m.match_id for m, _, _ in best[first.offer_id]] == [high, middle]
    assert [m.match_id for m, _, _ in every[first.offer_id]] == [high, middle, low]
    assert [m.match_id for m, _, _ in every[second.offer_id]] == [only]
