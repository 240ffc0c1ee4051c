"""The one-line Dutch explanation a coordinator reads beside each suggestion."""

from functools import cache

from services.matcher.domain import NeedProfile, OfferProfile
from shared.taxonomy import (
    field_domains,
    field_label,
    field_relation,
    grade_label,
    grades,
    kind_label,
)


def explain(need: NeedProfile, offer: OfferProfile, distance_km: float, overlap_days: int) -> str:
    """E.g. "Zelfde vakgebied (auto), 12 km, derde graad past, periode overlapt 5 van 5 dagen."."""
    parts = [
        _kind(need, offer),
        _field(need.field, offer.field),
        _distance(offer, distance_km),
        _grades(need.grades, offer.grades),
        f"periode overlapt {min(overlap_days, need.days)} van {need.days} dagen",
        _capacity(need, offer),
    ]
    sentence = ", ".join(part for part in parts if part)
    return sentence[0].upper() + sentence[1:] + "."


def _kind(need: NeedProfile, offer: OfferProfile) -> str:
    if need.kind == offer.kind:
        return ""
    return f"{kind_label(offer.kind).lower()} in plaats van {kind_label(need.kind).lower()}"


@cache  # few fields: a re-match explains tens of thousands of pairs with the same parts
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


def _distance(offer: OfferProfile, distance_km: float) -> str:
    if offer.venue == "mobile":
        return f"wordt geleverd ({round(distance_km)} km)"
    return f"{round(distance_km)} km"


@cache
def _grades(need_grades: frozenset[str], offer_grades: frozenset[str]) -> str:
    if not offer_grades:
        return "open voor alle graden"
    fitting = [grade_label(code) for code in grades() if code in need_grades & offer_grades]
    if not fitting:
        return "geen graad opgegeven"
    return f"{' en '.join(fitting)} {'past' if len(fitting) == 1 else 'passen'}"


def _capacity(need: NeedProfile, offer: OfferProfile) -> str:
    if offer.capacity_left >= need.quantity:
        return ""
    return f"capaciteit {offer.capacity_left} van {need.quantity}"
