"""Where the offers on a review card take place: the provider's locality, and whether the offer
is delivered to the school (a mobile offer), read from the offers intake registered
(``services.intake.queries``)."""

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.queries import stored_postings


@dataclass(frozen=True, slots=True)
class OfferPlace:
    """The locality of an offer; ``delivered``: it comes to the school, wherever that is."""

    locality: str
    delivered: bool


async def offer_places(session: AsyncSession, offer_ids: Collection[str]) -> dict[str, OfferPlace]:
    """Offer id -> its place, for those of ``offer_ids`` intake has registered. The caller has
    already scoped the ids (they are the candidates of cards it may show)."""
    if not offer_ids:
        return {}
    stored = await stored_postings(session, "offer", set(offer_ids), None)
    return {
        offer_id: OfferPlace(
            str(posting.registered.get("place", {}).get("locality", "")),
            posting.registered.get("venue") == "mobile",
        )
        for offer_id, posting in stored.items()
    }
