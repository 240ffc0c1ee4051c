"""The one-line Dutch explanation a coordinator reads beside each suggestion."""

from functools import cache

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.in_time import first_free
from shared.calendar import dutch_span
from shared.taxonomy import (
    field_domains,
    field_label,
    field_relation,
    grade_label,
    grades,
    kind_label,
)
from shared.vocabulary import matched_terms, written_alike

_TERMS_SHOWN = 3


def explain(need: NeedProfile, offer: OfferProfile, distance_km: float, overlap_days: int) -> str:
    """E.g. "Zelfde vakgebied (auto), 12 km, derde graad past, periode overlapt 5 van 5 werkdagen,
    termen: EV-diagnose ~ elektrische voertuigen." (", vrij van 3 februari tot 30 juni" before
    the terms when others booked the offer); ``overlap_days`` and the need's days are working
    days (``shared.calendar``), as the review queue's card counts them; the terms are the
    vocabulary's concepts both texts name (``shared.vocabulary``), the need's words first."""
    distance = f"{round(distance_km)} km"
    if offer.venue == "mobile":
        distance = f"wordt geleverd ({distance})"
    capacity = (
        f", capaciteit {offer.capacity_left} van {need.quantity}"
        if offer.capacity_left < need.quantity
        else ""
    )
    return (
        f"{_opening(need.kind, offer.kind, need.field, offer.field)}, {distance}, "
        f"{_grades(need.grades, offer.grades)}, "
        f"periode overlapt {min(overlap_days, need.days)} van {need.days} werkdagen{capacity}"
        f"{_free(need, offer)}{_terms(need.text, offer.text)}."
    )


def _free(need: NeedProfile, offer: OfferProfile) -> str:
    """When an offer with bookings is free in the need's period: ", vrij van 3 februari tot
    30 juni" (nothing for an offer nobody booked)."""
    start, end = max(need.start, offer.start), min(need.end, offer.end)
    free = first_free(offer.in_use, offer.capacity, start, end, need.days)
    return f", vrij {dutch_span(*free)}" if free else ""


def _terms(need_text: str, offer_text: str) -> str:
    """ ", termen: PV ~ zonnepanelen; PLC", or nothing."""
    shown = shown_terms(need_text, offer_text)[:_TERMS_SHOWN]
    return f", termen: {'; '.join(shown)}" if shown else ""


def shown_terms(need_text: str, offer_text: str) -> list[str]:
    """The vocabulary's concepts both texts name, as a coordinator reads them: "PV ~
    zonnepanelen" (the need's words, then the offer's), a term both wrote alike once ("PLC");
    those written differently first."""
    return [
        need if written_alike(need, offer) else f"{need} ~ {offer}"
        for need, offer in matched_terms(need_text, offer_text)
    ]


def placed_by_model(explanation: str, version: int) -> str:
    """The explanation of a pair a learned ranking placed: its components still speak first."""
    return f"{explanation} Gerangschikt door het geleerde model (versie {version})."


@cache  # few kinds and fields: a re-match explains tens of thousands of pairs with them
def _opening(need_kind: str, offer_kind: str, need_field: str, offer_field: str) -> str:
    """The kind offered instead (if another) and how the fields relate, capitalised."""
    opening = _field(need_field, offer_field)
    if need_kind != offer_kind:
        instead = f"{kind_label(offer_kind).lower()} in plaats van {kind_label(need_kind).lower()}"
        opening = f"{instead}, {opening}"
    return opening[0].upper() + opening[1:]


def _field(need_field: str, offer_field: str) -> str:
    label, relation = field_label(offer_field), field_relation(need_field, offer_field)
    if relation == "same":
        return f"zelfde vakgebied ({label})"
    if relation == "related":
        return f"verwant vakgebied ({label} bij {field_label(need_field)})"
    if relation == "same_domain":
        domain = field_domains()[offer_field]
        return f"zelfde studiedomein {domain} ({label} bij {field_label(need_field)})"
    return f"aanbod voor elk vakgebied ({label})"


@cache
def _grades(need_grades: frozenset[str], offer_grades: frozenset[str]) -> str:
    if not offer_grades:
        return "open voor alle graden"
    fitting = [grade_label(code) for code in grades() if code in need_grades & offer_grades]
    if not fitting:
        return "geen graad opgegeven"
    return f"{' en '.join(fitting)} {'past' if len(fitting) == 1 else 'passen'}"
