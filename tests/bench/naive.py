"""The naive all-pairs matcher: every need against every offer in plain Python.

It is both the benchmark's baseline and the oracle the vectorised engine is checked against.
"""

from collections.abc import Sequence
from math import asin, cos, exp, radians, sin, sqrt
from typing import NamedTuple

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.settings import MatcherSettings
from shared.calendar import days_of
from shared.taxonomy import field_closeness, offer_kind_factors

TextVectors = dict[str, dict[int, float]]


def distance_km(need: NeedProfile, offer: OfferProfile) -> float:
    """Great-circle distance between the two postal-code coordinates."""
    lat1, lon1, lat2, lon2 = map(
        radians, (need.latitude, need.longitude, offer.latitude, offer.longitude)
    )
    a = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * asin(sqrt(min(a, 1.0)))


class Fit(NamedTuple):
    """What the hard rules found out about a pair that passes them."""

    factor: float  # the offer kind's score factor
    closeness: float  # field closeness
    overlap: int  # days in common
    distance: float  # km


def fit(need: NeedProfile, offer: OfferProfile) -> Fit | None:
    """The pair as the hard rules see it, or ``None`` when it breaks one."""
    factor = offer_kind_factors(need.kind).get(offer.kind)
    closeness = field_closeness(need.field, offer.field)
    shared = need.grades & offer.grades
    open_grades = not need.grades or not offer.grades
    if factor is None or closeness == 0 or not (open_grades or shared):
        return None
    if need.quantity <= 0 or offer.capacity_left <= 0:
        return None
    if offer.days_limit and need.days > offer.days_limit:
        return None
    overlap = int(days_of(need.kind, max(need.start, offer.start), min(need.end, offer.end)))
    distance = distance_km(need, offer)
    if overlap < need.days or not (offer.venue == "mobile" or distance <= need.max_distance_km):
        return None
    return Fit(factor, closeness, overlap, distance)


def pair_score(
    need: NeedProfile, offer: OfferProfile, vectors: TextVectors, settings: MatcherSettings
) -> float | None:
    """The pair's score, or ``None`` when it breaks a hard rule."""
    fits = fit(need, offer)
    if fits is None:
        return None
    factor, closeness, overlap, distance = fits
    shared = need.grades & offer.grades
    open_grades = not need.grades or not offer.grades
    window = max(1, int(days_of(need.kind, need.start, need.end)))
    text = cosine(vectors[need.need_id], vectors[offer.offer_id])
    scale = (
        settings.school_distance_scale_km if offer.venue == "school" else settings.distance_scale_km
    )
    same_region = need.rtc_region == offer.rtc_region
    counted = max(distance - settings.region_km, 0.0) if same_region else distance
    nearness = 1.0 if offer.venue == "mobile" else exp(-((counted / scale) ** 2))
    parts = {
        "distance": nearness,
        "field": closeness,
        "text": min(max(text, 0.0), 1.0),
        "grade": settings.open_grades_fit if open_grades else len(shared) / len(need.grades),
        "period": 0.5 + 0.5 * min(overlap / window, 1.0),
        "capacity": min(offer.capacity_left / need.quantity, 1.0),
        "region": nearness if same_region else 0.0,
    }
    weights = settings.weights.model_dump()
    total = sum(weights[name] * parts[name] for name in parts)
    return float(factor * total / sum(weights.values()))


def cosine(left: dict[int, float], right: dict[int, float]) -> float:
    """Dot product of two L2-normalised sparse vectors."""
    if len(left) > len(right):
        left, right = right, left
    return sum(value * right.get(index, 0.0) for index, value in left.items())


def naive_top_k(
    need: NeedProfile,
    offers: Sequence[OfferProfile],
    vectors: TextVectors,
    settings: MatcherSettings,
) -> list[tuple[str, float]]:
    """The need's best ``k`` (offer id, score) pairs above the minimum, best first."""
    scored = []
    for offer in offers:
        score = pair_score(need, offer, vectors, settings)
        if score is not None and round(score, 4) >= settings.min_score:
            scored.append((offer.offer_id, round(score, 4)))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[: settings.k]
