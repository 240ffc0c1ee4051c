"""The rows of the queue's cards are read by statements built once per reviewer's scope and
reused with other values: whoever asked first, each reviewer reads its own region's candidates
only, and the rows read as the entities do."""

from services.review import card_rows
from services.review.actors import Actor
from tests.notifier import events
from tests.review.conftest import Sessions, suggested_pairs

LIMBURG = Actor.coordinator("rtc@limburg.example", "Limburg")
LIMBURG_COLLEAGUE = Actor.coordinator("tweede@limburg.example", "Limburg")
WEST = Actor.coordinator("rtc@west-vlaanderen.example", "West-Vlaanderen")


async def test_each_reviewer_reads_the_candidates_of_its_own_region_whoever_asked_first(
    sessions: Sessions,
) -> None:
    near, far = events.need("3500"), events.need("8000")  # Hasselt (Limburg), Brugge (West)
    offer = events.offer()
    matches = await suggested_pairs(sessions, [near, far], offer)
    asked = [near.need_id, far.need_id]

    async with sessions() as session:
        for viewer, seen in ((WEST, far), (LIMBURG, near), (LIMBURG_COLLEAGUE, near)):
            best, accepted = await card_rows.candidates(session, viewer, asked, "open", 10)
            assert list(best) == [seen.need_id]
            assert accepted == {}
            ((match, need, shown_offer),) = best[seen.need_id]
            suggested = next(m for m in matches if m.need_id == seen.need_id)
            assert (match.match_id, match.status) == (suggested.match_id, "open")
            assert (need.title, shown_offer.title) == (seen.title, offer.title)
