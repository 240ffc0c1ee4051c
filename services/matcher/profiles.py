"""From registered postings, as stored (the JSON of the internal events), to what the matcher
looks at: plain dictionary reads, so loading 150,000 stored postings costs no model validation."""

from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.scoring import working_days
from services.matcher.text import posting_text

MATCHABLE = {"need": ("open",), "offer": ("open", "matched")}
Payload = Mapping[str, Any]  # a NeedRegistered or OfferRegistered as model_dump(mode="json")


def need_profile(need: Payload, served: int) -> NeedProfile:
    """The need as matched; ``served`` is what accepted matches already gave it."""
    period, place = need["period"], need["place"]
    start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    window = int(working_days(np.datetime64(start, "D"), np.datetime64(end, "D")))
    return NeedProfile(
        need_id=need["need_id"],
        kind=need["kind"],
        field=need["field"],
        grades=frozenset(need["grades"]),
        start=start,
        end=end,
        # Days are working days: a need asking more than its window holds asks for all of them.
        days=max(1, min(period.get("days") or window, window)),
        quantity=need["quantity"] - served,
        latitude=place["latitude"],
        longitude=place["longitude"],
        rtc_region=place["rtc_region"],
        max_distance_km=need["max_distance_km"],
        text=posting_text(need["title"], need["description"], need["keywords"]),
    )


def offer_profile(offer: Payload, used: int) -> OfferProfile:
    """The offer as matched; ``used`` is the capacity accepted matches took."""
    period, place = offer["period"], offer["place"]
    return OfferProfile(
        offer_id=offer["offer_id"],
        kind=offer["kind"],
        field=offer["field"],
        grades=frozenset(offer["grades"]),
        start=date.fromisoformat(period["start"]),
        end=date.fromisoformat(period["end"]),
        capacity_left=offer["capacity"] - used,
        latitude=place["latitude"],
        longitude=place["longitude"],
        rtc_region=place["rtc_region"],
        venue=offer["venue"],
        text=posting_text(offer["title"], offer["description"], offer["keywords"]),
        provider_type=offer["provider"]["type"],
        capacity=offer["capacity"],
    )
