"""Where the offers on a review card take place: the provider's locality, and whether the offer
is delivered to the school (a mobile offer), as the card's rows read them from the offers intake
registered (``services.intake.queries.offer_place``)."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class OfferPlace:
    """The locality of an offer ('' when not known); ``delivered``: it comes to the school,
    wherever that is."""

    locality: str
    delivered: bool


def place_of(offer: Any) -> OfferPlace:
    """The place of an offer row of a review card (``services.review.card_rows``)."""
    return OfferPlace(offer.locality, offer.delivered)
