"""Hard rules and score components, vectorised over one posting against many counter-postings."""

from collections.abc import Callable
from dataclasses import dataclass
from math import inf, radians

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.settings import MatcherSettings
from shared.taxonomy import field_closeness, field_domains, grades

Columns = dict[str, np.ndarray]

_FIELDS = {field: code for code, field in enumerate(field_domains())}
_CLOSENESS = np.array([[field_closeness(need, offer) for offer in _FIELDS] for need in _FIELDS])
_GRADE_BITS = {grade: 1 << bit for bit, grade in enumerate(grades())}
_POPCOUNT = np.array([bin(mask).count("1") for mask in range(256)], dtype=np.float64)
_REGIONS: dict[str, int] = {}
_EARTH_RADIUS_KM = 6371.0088
_ONE_DAY = np.timedelta64(1, "D")
_MARGIN = 1e-4  # scores are rounded to 4 decimals before ranking


@dataclass(frozen=True, slots=True)
class Scored:
    """The pairs of one posting with many that pass every hard rule, with their scores;
    ``positions`` are rows of ``many``."""

    positions: np.ndarray
    score: np.ndarray
    distance_km: np.ndarray
    overlap_days: np.ndarray
    components: dict[str, np.ndarray]


def working_days(start: np.datetime64, end: np.datetime64) -> int:
    """Working days (Monday to Friday) from ``start`` to ``end`` inclusive."""
    return int(np.busday_count(start, end + _ONE_DAY))


def need_columns(need: NeedProfile) -> dict[str, object]:
    """Column values of a need."""
    start, end = np.datetime64(need.start, "D"), np.datetime64(need.end, "D")
    return _common(
        need.field, need.grades, start, end, need.latitude, need.longitude, need.rtc_region
    ) | {
        "days": need.days,
        "amount": need.quantity,
        "max_km": need.max_distance_km,
        "mobile": False,
    }


def offer_columns(offer: OfferProfile) -> dict[str, object]:
    """Column values of an offer."""
    start, end = np.datetime64(offer.start, "D"), np.datetime64(offer.end, "D")
    return _common(
        offer.field, offer.grades, start, end, offer.latitude, offer.longitude, offer.rtc_region
    ) | {
        "days": 0,
        "amount": offer.capacity_left,
        "max_km": inf,
        "mobile": offer.venue == "mobile",
    }


def _common(
    field: str,
    grade_codes: frozenset[str],
    start: np.datetime64,
    end: np.datetime64,
    latitude: float,
    longitude: float,
    rtc_region: str,
) -> dict[str, object]:
    return {
        "field": _FIELDS[field],
        "grades": sum(_GRADE_BITS[grade] for grade in grade_codes),
        "start": start,
        "end": end,
        "window": max(1, working_days(start, end)),
        "lat": radians(latitude),
        "lon": radians(longitude),
        "region": _REGIONS.setdefault(rtc_region, len(_REGIONS)),
    }


def score_pairs(
    one: Columns,
    many: Columns,
    one_is_need: bool,
    text_similarity: Callable[[np.ndarray], np.ndarray],
    kind_factor: float,
    settings: MatcherSettings,
    keep_best: int | None = None,
) -> Scored:
    """Apply the hard rules of SPEC section 5 to ``one`` against each live row of ``many``,
    cheapest first, and score the pairs that remain; ``text_similarity`` maps rows of ``many``
    to cosines. Columns of ``many`` are gathered only for the rows still in the running.

    Text similarity, the dearest part, is computed only for pairs that can still reach the
    minimum score and, given ``keep_best``, that many best scores."""

    def pair(positions: np.ndarray) -> tuple[Columns, Columns]:
        rows = _Gathered(many, positions)
        return (one, rows) if one_is_need else (rows, one)

    positions = np.flatnonzero(many["alive"])
    need, offer = pair(positions)
    either_open = (need["grades"] == 0) | (offer["grades"] == 0)
    keep = _CLOSENESS[need["field"], offer["field"]] > 0
    keep &= either_open | ((need["grades"] & offer["grades"]) != 0)
    keep &= (need["amount"] > 0) & (offer["amount"] > 0)
    positions = positions[keep]

    need, offer = pair(positions)
    first, last = np.maximum(need["start"], offer["start"]), np.minimum(need["end"], offer["end"])
    overlap = np.maximum(np.busday_count(first, last + _ONE_DAY), 0)
    keep = overlap >= need["days"]
    positions, overlap = positions[keep], overlap[keep]

    need, offer = pair(positions)
    distance = _haversine_km(need["lat"], need["lon"], offer["lat"], offer["lon"])
    keep = (distance <= need["max_km"]) | offer["mobile"]
    positions, overlap, distance = positions[keep], overlap[keep], distance[keep]

    need, offer = pair(positions)
    components = _components(need, offer, distance, overlap, settings)
    weights = settings.weights.model_dump()
    scale = kind_factor / sum(weights.values())
    known = scale * sum(weights[name] * value for name, value in components.items())
    keep = known + scale * weights["text"] >= _floor(known, keep_best, settings.min_score)
    positions, distance, overlap, known = (
        positions[keep],
        distance[keep],
        overlap[keep],
        known[keep],
    )
    components = {name: value[keep] for name, value in components.items()}
    components["text"] = text_similarity(positions)
    score = known + scale * weights["text"] * components["text"]
    return Scored(positions, score, distance, overlap, components)


class _Gathered(dict[str, np.ndarray]):
    """The columns of ``many`` at ``positions``, each gathered on first use."""

    def __init__(self, many: Columns, positions: np.ndarray) -> None:
        super().__init__()
        self._many, self._positions = many, positions

    def __missing__(self, name: str) -> np.ndarray:
        self[name] = self._many[name][self._positions]
        return self[name]


def _floor(known: np.ndarray, keep_best: int | None, min_score: float) -> float:
    """The score a pair must be able to reach: the minimum, or the ``keep_best``-th best score
    without text (less a rounding margin) when more pairs than that remain."""
    if keep_best is None or len(known) <= keep_best:
        return min_score - _MARGIN
    return max(min_score, float(np.partition(known, -keep_best)[-keep_best])) - _MARGIN


def _components(
    need: Columns,
    offer: Columns,
    distance: np.ndarray,
    overlap: np.ndarray,
    settings: MatcherSettings,
) -> dict[str, np.ndarray]:
    shape = distance.shape
    shared_grades = _POPCOUNT[need["grades"] & offer["grades"]] / np.maximum(
        _POPCOUNT[need["grades"]], 1
    )
    either_open = (need["grades"] == 0) | (offer["grades"] == 0)
    parts = {
        "distance": np.where(offer["mobile"], 1.0, np.exp(-distance / settings.distance_scale_km)),
        "field": _CLOSENESS[need["field"], offer["field"]],
        "grade": np.where(either_open, settings.open_grades_fit, shared_grades),
        "period": 0.5 + 0.5 * np.minimum(overlap / need["window"], 1.0),
        "capacity": np.minimum(offer["amount"] / need["amount"], 1.0),
        "region": (need["region"] == offer["region"]).astype(np.float64),
    }
    return {name: np.broadcast_to(value, shape).astype(np.float64) for name, value in parts.items()}


def _haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    distance: np.ndarray = 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return distance
