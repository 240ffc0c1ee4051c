"""Postings for tests of the coordinator's queue: offers registered by intake too (their place is
read from there), and suggestions of them to needs of a school with a name of the test's own."""

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import OfferRow
from services.review.known_postings import store_need, store_offer
from services.review.suggestions import apply_suggested
from shared import taxonomy
from shared.contracts import MatchSuggested, NeedRegistered, OfferRegistered, Place
from tests.notifier import events

Sessions = async_sessionmaker[AsyncSession]


def place_of(postal_code: str) -> Place:
    """The place of a postal code as intake resolves it."""
    return Place.model_validate(taxonomy.places()[postal_code], from_attributes=True)


def offer_in(postal_code: str, title: str, mobile: bool = False) -> OfferRegistered:
    """A registered offer of a new provider in ``postal_code``, delivered to the school when
    ``mobile``."""
    offer = events.offer()
    return offer.model_copy(
        update={
            "title": title,
            "place": place_of(postal_code),
            "venue": "mobile" if mobile else "company",
        }
    )


def intake_row(offer: OfferRegistered) -> OfferRow:
    """``offer``'s row as intake stores it."""
    return OfferRow(
        offer_id=offer.offer_id,
        enterprise_number=offer.provider.enterprise_number,
        version=offer.version,
        status=offer.status,
        kind=offer.kind,
        field=offer.field,
        rtc_region=offer.place.rtc_region,
        period_start=offer.period.start,
        period_end=offer.period.end,
        registered=offer.model_dump(mode="json"),
    )


async def register_offer(sessions: Sessions, offer: OfferRegistered) -> None:
    """Store ``offer`` as intake registered it and as the review state keeps it."""
    async with sessions.begin() as session:
        session.add(intake_row(offer))
        await store_offer(session, offer)


async def suggest(
    sessions: Sessions, need: NeedRegistered, offers: list[OfferRegistered], km: float = 12.4
) -> list[MatchSuggested]:
    """Store ``need`` and one open suggestion of each of ``offers`` for it, ``km`` away."""
    matches = [
        events.suggested(need, offer, rank).model_copy(update={"distance_km": km})
        for rank, offer in enumerate(offers, start=1)
    ]
    async with sessions.begin() as session:
        await store_need(session, need)
        for match in matches:
            await apply_suggested(session, match)
    return matches
