"""Hard rules and score components, vectorised over every (need, offer) pair of two row sets:
one posting against a whole partition, or a block of needs against one (full re-match)."""

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
_REACH_MARGIN_KM = 1e-6  # rounding slack of a distance bound
_FIRST = ("field", "grades", "amount", "alive")  # the columns of the first, cheapest rules


@dataclass(frozen=True, slots=True)
class Scored:
    """The pairs that pass every hard rule, with their scores; ``need_rows`` and ``offer_rows``
    index the two row sets scored."""

    need_rows: np.ndarray
    offer_rows: np.ndarray
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


def within_reach(needs: Columns, offers: Columns) -> np.ndarray:
    """Rows of ``offers`` in a field related to some need's and that may lie within that
    need's ``max_km`` (or are mobile): the only offers several needs can be matched with.

    Great-circle distance is a metric, so an offer farther from the needs' centre than every
    need's own distance to it plus its reach is out of range for all of them."""
    related = _CLOSENESS[np.unique(needs["field"])][:, offers["field"]].any(axis=0)
    lat, lon = needs["lat"].mean(), needs["lon"].mean()
    spread = _haversine_km(lat, lon, needs["lat"], needs["lon"]) + needs["max_km"]
    distance = _haversine_km(lat, lon, offers["lat"], offers["lon"])
    near = (distance <= spread.max() + _REACH_MARGIN_KM) | offers["mobile"]
    return np.flatnonzero(related & near)


def score_pairs(
    needs: Columns,
    offers: Columns,
    text_similarity: Callable[[np.ndarray, np.ndarray], np.ndarray],
    kind_factor: float,
    settings: MatcherSettings,
    keep_best: int | None = None,
) -> Scored:
    """Apply the hard rules of SPEC section 5 to every live (need, offer) pair, cheapest first,
    and score the pairs that remain. Columns are gathered only for pairs still in the running;
    ``text_similarity`` maps (need rows, offer rows) to cosines.

    Text similarity, the dearest part, is computed only for pairs that can still reach the
    minimum score and, given ``keep_best``, that many best scores of their need."""
    need, offer = (
        {name: needs[name][:, None] for name in _FIRST},
        {name: offers[name][None, :] for name in _FIRST},
    )
    either_open = (need["grades"] == 0) | (offer["grades"] == 0)
    keep = (_CLOSENESS[need["field"], offer["field"]] > 0) & need["alive"] & offer["alive"]
    keep &= either_open | ((need["grades"] & offer["grades"]) != 0)
    keep &= (need["amount"] > 0) & (offer["amount"] > 0)
    need_rows, offer_rows = np.nonzero(keep)

    need, offer = _Gathered(needs, need_rows), _Gathered(offers, offer_rows)
    first, last = np.maximum(need["start"], offer["start"]), np.minimum(need["end"], offer["end"])
    # Working days never exceed calendar days: count them only where the calendar and the
    # distance allow, the working-day count being the dearest rule.
    keep = (last - first) // _ONE_DAY + 1 >= need["days"]
    need_rows, offer_rows, first, last = need_rows[keep], offer_rows[keep], first[keep], last[keep]

    need, offer = _Gathered(needs, need_rows), _Gathered(offers, offer_rows)
    distance = _haversine_km(need["lat"], need["lon"], offer["lat"], offer["lon"])
    keep = (distance <= need["max_km"]) | offer["mobile"]
    need_rows, offer_rows, first, last = need_rows[keep], offer_rows[keep], first[keep], last[keep]
    distance = distance[keep]

    overlap = np.maximum(np.busday_count(first, last + _ONE_DAY), 0)
    keep = overlap >= needs["days"][need_rows]
    need_rows, offer_rows = need_rows[keep], offer_rows[keep]
    overlap, distance = overlap[keep], distance[keep]

    need, offer = _Gathered(needs, need_rows), _Gathered(offers, offer_rows)
    components = _components(need, offer, distance, overlap, settings)
    weights = settings.weights.model_dump()
    scale = kind_factor / sum(weights.values())
    known = scale * sum(weights[name] * value for name, value in components.items())
    text_weight = scale * weights["text"]
    if keep_best is None:
        keep = known + text_weight >= settings.min_score - _MARGIN
        text = text_similarity(need_rows[keep], offer_rows[keep])
    else:
        keep, text = _best_with_text(
            known, need_rows, offer_rows, text_similarity, text_weight, keep_best, settings
        )
    need_rows, offer_rows, known = need_rows[keep], offer_rows[keep], known[keep]
    distance, overlap = distance[keep], overlap[keep]
    components = {name: value[keep] for name, value in components.items()}
    components["text"] = text
    return Scored(need_rows, offer_rows, known + text_weight * text, distance, overlap, components)


def _best_with_text(
    known: np.ndarray,
    need_rows: np.ndarray,
    offer_rows: np.ndarray,
    text_similarity: Callable[[np.ndarray, np.ndarray], np.ndarray],
    text_weight: float,
    keep_best: int,
    settings: MatcherSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs can make their need's ``keep_best`` best, and their text similarity.

    First the text of each need's ``2 * keep_best`` best pairs without text; their full scores
    set a bar the other pairs must be able to clear even with a perfect text match."""
    first = _ranks(known, need_rows) < 2 * keep_best
    text = np.zeros(len(known))
    text[first] = text_similarity(need_rows[first], offer_rows[first])
    bar = _kth_best(known[first] + text_weight * text[first], need_rows[first], keep_best)
    bars = np.full(int(need_rows.max(initial=-1)) + 1, -np.inf)
    bars[: len(bar)] = bar
    reach = np.maximum(bars[need_rows], settings.min_score) - _MARGIN
    second = ~first & (known + text_weight >= reach)
    text[second] = text_similarity(need_rows[second], offer_rows[second])
    keep = (first | second) & (known + text_weight * text >= settings.min_score - _MARGIN)
    return keep, text[keep]


class _Gathered(dict[str, np.ndarray]):
    """The columns of ``rows`` of a row set, each gathered on first use."""

    def __init__(self, columns: Columns, rows: np.ndarray) -> None:
        super().__init__()
        self._columns, self._rows = columns, rows

    def __missing__(self, name: str) -> np.ndarray:
        self[name] = self._columns[name][self._rows]
        return self[name]


def _ranks(values: np.ndarray, need_rows: np.ndarray) -> np.ndarray:
    """Each pair's 0-based rank among its need's pairs, best value first."""
    order = np.lexsort((-values, need_rows))
    in_order = need_rows[order]
    starts = np.flatnonzero(np.r_[True, in_order[1:] != in_order[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - np.repeat(starts, sizes)
    return ranks


def _kth_best(values: np.ndarray, need_rows: np.ndarray, k: int) -> np.ndarray:
    """Per need row, its ``k``-th best value; -inf for needs with fewer pairs."""
    kth = np.full(int(need_rows.max(initial=-1)) + 1, -np.inf)
    at = _ranks(values, need_rows) == k - 1
    kth[need_rows[at]] = values[at]
    return kth


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
