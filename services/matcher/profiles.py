"""From registered postings (the internal events) to what the matcher looks at."""

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.scoring import working_days
from services.matcher.text import posting_text
from shared.contracts import NeedRegistered, OfferRegistered

MATCHABLE = {"need": ("open",), "offer": ("open", "matched")}


def need_profile(need: NeedRegistered, served: int) -> NeedProfile:
    """The need as matched; ``served`` is what accepted matches already gave it."""
    period = need.period
    window = int(working_days(np.datetime64(period.start, "D"), np.datetime64(period.end, "D")))
    return NeedProfile(
        need_id=need.need_id,
        kind=need.kind,
        field=need.field,
        grades=frozenset(need.grades),
        start=period.start,
        end=period.end,
        # Days are working days: a need asking more than its window holds asks for all of them.
        days=max(1, min(period.days or window, window)),
        quantity=need.quantity - served,
        latitude=need.place.latitude,
        longitude=need.place.longitude,
        rtc_region=need.place.rtc_region,
        max_distance_km=need.max_distance_km,
        text=posting_text(need.title, need.description, need.keywords),
    )


def offer_profile(offer: OfferRegistered, used: int) -> OfferProfile:
    """The offer as matched; ``used`` is the capacity accepted matches took."""
    return OfferProfile(
        offer_id=offer.offer_id,
        kind=offer.kind,
        field=offer.field,
        grades=frozenset(offer.grades),
        start=offer.period.start,
        end=offer.period.end,
        capacity_left=offer.capacity - used,
        latitude=offer.place.latitude,
        longitude=offer.place.longitude,
        rtc_region=offer.place.rtc_region,
        venue=offer.venue,
        text=posting_text(offer.title, offer.description, offer.keywords),
        provider_type=offer.provider.type,
        capacity=offer.capacity,
    )
