"""The rows of the queue's cards are read by statements built once per reviewer's scope and
reused with other values: whoever asked first, each reviewer reads its own region's candidates
only, and the rows read as the entities do."""

from datetime import UTC, datetime

from services.review import card_rows
from services.review.actors import Actor
from services.review.ratings import TrackRecord, as_track_record
from services.review.tables import ReviewRating
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


async def test_a_candidate_row_carries_what_schools_said_of_its_provider(
    sessions: Sessions,
) -> None:
    need, other = events.need("3500"), events.need("3500")
    rated, unrated = events.offer(), events.offer()
    (match,) = await suggested_pairs(sessions, [need], rated)
    await suggested_pairs(sessions, [other], unrated)
    async with sessions.begin() as session:
        for side, score in (("school", 4), ("provider", 1)):  # the provider's own does not count
            session.add(
                ReviewRating(
                    match_id=match.match_id, side=side, score=score, comment="",
                    enterprise_number=rated.provider.enterprise_number, rated_by="x@example",
                    rated_at=datetime.now(UTC),
                )
            )  # fmt: skip

    async with sessions() as session:
        asked = [need.need_id, other.need_id]
        best, _ = await card_rows.candidates(session, LIMBURG, asked, "open", 10)
    said = {
        offer.offer_id: as_track_record(offer.rating_average, offer.rating_count)
        for rows in best.values()
        for _, _, offer in rows
    }
    assert said == {rated.offer_id: TrackRecord(4.0, 1), unrated.offer_id: None}
