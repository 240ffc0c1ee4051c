"""Need and offer profiles for the matcher tests: sensible defaults, override what matters."""

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from services.matcher.domain import NeedProfile, OfferProfile, StoredState
from services.matcher.engine import Matcher
from services.matcher.settings import MatcherSettings
from shared.taxonomy import places
from tests.builders import NEED_END, NEED_START, OFFER_END, OFFER_START

SETTINGS = MatcherSettings()


def a_need(need_id: str = "need-hasselt", postal_code: str = "3500", **changes: Any) -> NeedProfile:
    """An automotive teacher in Hasselt wanting a 5-day EV internship from a Monday two months
    ahead to the Friday 12 weeks later, <= 40 km."""
    place = places()[postal_code]
    need = NeedProfile(
        need_id=need_id,
        kind="teacher_internship",
        field="auto",
        grades=frozenset({"G3"}),
        start=NEED_START,
        end=NEED_END,
        days=5,
        quantity=1,
        latitude=place.latitude,
        longitude=place.longitude,
        rtc_region=place.rtc_region,
        max_distance_km=40.0,
        text="Bedrijfsstage diagnose elektrische voertuigen. Leraar auto derde graad wil een "
        "week meedraaien in een werkplaats voor EV-diagnose. "
        "elektrische voertuigen diagnose hoogspanning",
    )
    return replace(need, **changes)


def an_offer(offer_id: str, postal_code: str = "3600", **changes: Any) -> OfferProfile:
    """An automotive internship in Genk, open to every grade, covering the need's window."""
    place = places()[postal_code]
    offer = OfferProfile(
        offer_id=offer_id,
        kind="teacher_internship",
        field="auto",
        grades=frozenset(),
        start=OFFER_START,
        end=OFFER_END,
        capacity_left=2,
        latitude=place.latitude,
        longitude=place.longitude,
        rtc_region=place.rtc_region,
        venue="company",
        text="Werkplaats onderhoud en herstelling personenwagens",
    )
    return replace(offer, **changes)


def ranked_for(need: NeedProfile, offers: Sequence[OfferProfile], arrival: str) -> list[str]:
    """The offers suggested for ``need``, best first, when ``arrival`` says which comes last:
    the need (``need_last``), or the offers one by one (``offers_last``)."""
    matcher = Matcher(SETTINGS)
    if arrival == "need_last":
        matcher.load(StoredState(open_offers=offers))
        matcher.register_need(need)
    else:
        matcher.register_need(need)
        for offer in offers:
            matcher.register_offer(offer)
    return [s.offer_id for s in matcher.suggestions(need.need_id)]
