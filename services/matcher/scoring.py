"""Hard rules and score components, vectorised over every (need, offer) pair of two row sets:
one posting against a whole partition, or a block of needs against one (full re-match)."""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import inf, pi

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.settings import MatcherSettings
from shared.calendar import PUPIL_PLACEMENT, days_of, working_days
from shared.taxonomy import field_closeness, field_domains, grades

Columns = dict[str, np.ndarray]
# (offer rows, first and last common day) -> the working days one free stretch of each offer holds
FreeDaysOf = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]

_FIELDS = {field: code for code, field in enumerate(field_domains())}
_CLOSENESS = np.array([[field_closeness(need, offer) for offer in _FIELDS] for need in _FIELDS])
_GRADE_BITS = {grade: 1 << bit for bit, grade in enumerate(grades())}
_POPCOUNT = np.array([bin(mask).count("1") for mask in range(256)], dtype=np.float64)
_REGIONS: dict[str, int] = {}  # an RTC region's code, given as regions are first seen
_REGIONS_GIVEN = threading.Lock()  # groups load and score in threads side by side
_EARTH_RADIUS_KM = 6371.0088
_RELATED = _CLOSENESS > 0
_MARGIN = 1e-4  # scores are rounded to 4 decimals before ranking
_REACH_MARGIN_KM = 1e-6  # rounding slack of a distance bound
_COSINE_MARGIN = 1e-9  # rounding slack of the cosine bound (far below a metre)
# Slack of a prefilter's cosine, summed in another order than the grid's product: far above any
# rounding, so the prefilter never drops a pair the grid keeps.
_PREFILTER_MARGIN = 1e-6
_AXES = ("x", "y", "z")  # a place as a unit vector from the earth's centre
_GRID = ("field", "grades", "start", "end", "days", "reach", "mobile")
# Pairs per kept suggestion whose text is scored first: with distance flat near the school, many
# pairs' other components tie, and a wider first round sets a bar fewer of the rest can clear.
_PROMISING = 32


@dataclass(frozen=True, slots=True)
class Scored:
    """The pairs that pass every hard rule, with their scores; ``need_rows`` and ``offer_rows``
    index the two row sets scored."""

    need_rows: np.ndarray
    offer_rows: np.ndarray
    score: np.ndarray
    distance_km: np.ndarray
    overlap_days: np.ndarray  # working days in common (``shared.calendar``)
    components: dict[str, np.ndarray]


def need_columns(needs: Sequence[NeedProfile]) -> Columns:
    """Column values of needs, one row each; ``window`` and ``days`` count the days the need's
    kind can use (``shared.calendar.days_of``)."""
    max_km = np.array([need.max_distance_km for need in needs], dtype=np.float64)
    placement = np.array([need.kind == PUPIL_PLACEMENT for need in needs], dtype=bool)
    common = _common(needs)
    if placement.any():
        start, end = common["start"][placement], common["end"][placement]
        common["window"][placement] = np.maximum(1, days_of(PUPIL_PLACEMENT, start, end))
    return common | {
        "placement": placement,
        "days": np.array([need.days for need in needs], dtype=np.int32),
        "amount": np.array([need.quantity for need in needs], dtype=np.int32),
        "max_km": max_km,
        "reach": np.cos(np.minimum(max_km / _EARTH_RADIUS_KM, pi)),
        "mobile": np.zeros(len(needs), dtype=bool),
        "booked": np.zeros(len(needs), dtype=bool),
        "at_school": np.zeros(len(needs), dtype=bool),
    }


def offer_columns(offers: Sequence[OfferProfile]) -> Columns:
    """Column values of offers, one row each; their ``days`` are the most one school may book
    (0: no limit)."""
    return _common(offers) | {
        "days": np.array([offer.days_limit for offer in offers], dtype=np.int32),
        "amount": np.array([offer.capacity_left for offer in offers], dtype=np.int32),
        "max_km": np.full(len(offers), inf),
        "reach": np.full(len(offers), -1.0),
        "mobile": np.array([offer.venue == "mobile" for offer in offers], dtype=bool),
        "booked": np.array([bool(offer.in_use) for offer in offers], dtype=bool),
        "at_school": np.array([offer.venue == "school" for offer in offers], dtype=bool),
        "placement": np.zeros(len(offers), dtype=bool),
    }


def _common(postings: Sequence[NeedProfile] | Sequence[OfferProfile]) -> Columns:
    start = np.array([posting.start for posting in postings], dtype="datetime64[D]")
    end = np.array([posting.end for posting in postings], dtype="datetime64[D]")
    latitude = np.radians(np.array([posting.latitude for posting in postings], dtype=np.float64))
    longitude = np.radians(np.array([posting.longitude for posting in postings], dtype=np.float64))
    return {
        "field": np.array([_FIELDS[posting.field] for posting in postings], dtype=np.int16),
        "grades": np.array(
            [sum(_GRADE_BITS[grade] for grade in posting.grades) for posting in postings],
            dtype=np.uint8,
        ),
        "start": start,
        "end": end,
        "window": np.maximum(1, working_days(start, end)),
        "x": np.cos(latitude) * np.cos(longitude),
        "y": np.cos(latitude) * np.sin(longitude),
        "z": np.sin(latitude),
        "region": np.array(
            _region_codes([posting.rtc_region for posting in postings]),
            dtype=np.int16,
        ),
    }


def _region_codes(regions: list[str]) -> list[int]:
    """Each region's code; a region seen first gets the next one (under a lock: two threads
    reading the count at once would give two regions one code)."""
    with _REGIONS_GIVEN:
        return [_REGIONS.setdefault(region, len(_REGIONS)) for region in regions]


def within_reach(needs: Columns, offers: Columns) -> np.ndarray:
    """Rows of ``offers`` that are open, in a field related to some need's and that may lie
    within that need's ``max_km`` (or are mobile): the only offers several needs can match.

    Great-circle distance is a metric, so an offer farther from the needs' centre than every
    need's own distance to it plus its reach is out of range for all of them."""
    related = _RELATED[np.unique(needs["field"])][:, offers["field"]].any(axis=0)
    places = _places(needs, slice(None))
    mean = places.mean(axis=0)
    centre = mean / np.linalg.norm(mean)
    spread = _arc_km(places @ centre) + needs["max_km"]
    distance = _arc_km(_places(offers, slice(None)) @ centre)
    near = (distance <= spread.max() + _REACH_MARGIN_KM) | offers["mobile"]
    return np.flatnonzero(related & near & _open(offers))


def score_pairs(
    needs: Columns,
    offers: Columns,
    text_similarity: Callable[[np.ndarray, np.ndarray], np.ndarray],
    kind_factor: float,
    settings: MatcherSettings,
    keep_best: int | None = None,
    free_days: FreeDaysOf | None = None,
) -> Scored:
    """Apply the hard rules of SPEC section 5 to every (need, offer) pair and score the pairs
    that pass; ``text_similarity`` maps (need rows, offer rows) to cosines.

    Text similarity, the dearest part, is computed only for pairs that can still reach the
    minimum score and, given ``keep_best``, that many best scores of their need; then only each
    need's ``keep_best`` best pairs (and their ties) are kept.

    ``free_days`` maps (offer rows, first and last common day) of pairs whose offer has
    units in use to the most working days one of its free stretches holds there: such a pair is
    kept only if that covers the days the need asks (capacity in time)."""
    need_rows, offer_rows, cosine, first, last = _plausible(needs, offers)
    need, offer = _Gathered(needs, need_rows), _Gathered(offers, offer_rows)
    distance = _arc_km(cosine)
    overlap = working_days(first.astype("M8[D]"), last.astype("M8[D]"))
    placed = need["placement"]
    if placed.any():  # pupil placements: the school holidays are out too
        overlap[placed] = days_of(
            PUPIL_PLACEMENT, first[placed].astype("M8[D]"), last[placed].astype("M8[D]")
        )
    keep = ((distance <= need["max_km"]) | offer["mobile"]) & (overlap >= need["days"])
    booked = np.flatnonzero(keep & offer["booked"])
    if free_days is not None and len(booked):
        free = free_days(offer_rows[booked], first[booked], last[booked])
        keep[booked] = free >= need["days"][booked]
    need_rows, offer_rows = need_rows[keep], offer_rows[keep]
    distance, overlap = distance[keep], overlap[keep]

    need, offer = _Gathered(needs, need_rows), _Gathered(offers, offer_rows)
    components = _components(need, offer, distance, overlap, settings)
    weights = settings.weights.model_dump()
    scale = kind_factor / sum(weights.values())
    known = scale * sum(weights[name] * value for name, value in components.items())
    text_weight = scale * weights["text"]
    pending = known + text_weight >= settings.min_score - _MARGIN
    text = np.zeros(len(known))
    if keep_best is not None:
        # Text adds at most its weight. First the text of each need's most promising pairs:
        # their full scores set a bar the other pairs must clear even with a perfect text.
        best_known = _kth_best(known, need_rows, _PROMISING * keep_best, pending)
        promising = pending & (known >= best_known[need_rows])
        text[promising] = text_similarity(need_rows[promising], offer_rows[promising])
        bar = _kth_best(known + text_weight * text, need_rows, keep_best, promising)
        pending &= ~promising & (known + text_weight >= bar[need_rows] - _MARGIN)
        text[pending] = text_similarity(need_rows[pending], offer_rows[pending])
        pending |= promising
    else:
        text[pending] = text_similarity(need_rows[pending], offer_rows[pending])
    score = known + text_weight * text
    keep = pending & (score >= settings.min_score - _MARGIN)
    score = np.round(score, 4)  # ranks and ties are those of the published scores
    if keep_best is not None:
        keep &= score >= _kth_best(score, need_rows, keep_best, keep)[need_rows]
    components = {name: value[keep] for name, value in components.items()}
    components["text"] = text[keep]
    return Scored(
        need_rows[keep], offer_rows[keep], score[keep], distance[keep], overlap[keep], components
    )


def _plausible(needs: Columns, offers: Columns) -> tuple[np.ndarray, ...]:
    """The pairs of open postings that pass the cheap rules on the full grid of needs and offers
    (field, grades, calendar days, the offer's limit of days, distance on the unit sphere), in
    order of need row: need rows, offer rows, the cosine of the angle between their places and
    their first and last common day (day numbers). Working days and the exact distance remain
    to be checked."""
    need_at = np.flatnonzero(_open(needs))
    offer_at = _offers_for(needs, need_at, offers)
    need = {name: needs[name][need_at, None] for name in _GRID}
    offer = {name: offers[name][None, offer_at] for name in _GRID}
    keep = _RELATED[need["field"][:, 0]][:, offer["field"][0]]
    keep &= (need["grades"] == 0) | (offer["grades"] == 0) | (need["grades"] & offer["grades"] != 0)
    # Days in common on the calendar, as day numbers: working days can only be fewer.
    first, last = (
        np.maximum(need["start"].astype(np.int32), offer["start"].astype(np.int32)),
        np.minimum(need["end"].astype(np.int32), offer["end"].astype(np.int32)),
    )
    keep &= last - first >= need["days"] - 1
    keep &= (offer["days"] == 0) | (need["days"] <= offer["days"])
    # The cosine of the angle between two places falls as their distance grows.
    cosine = _places(needs, need_at) @ _places(offers, offer_at).T
    keep &= (cosine >= need["reach"] - _COSINE_MARGIN) | offer["mobile"]
    pairs = np.flatnonzero(keep)
    need_rows, offer_rows = np.divmod(pairs, len(offer_at))
    grids = (cosine, first, last)
    return need_at[need_rows], offer_at[offer_rows], *(grid.ravel()[pairs] for grid in grids)


def _offers_for(needs: Columns, need_at: np.ndarray, offers: Columns) -> np.ndarray:
    """The open offers the grid takes; for one need (a posting registered: a whole partition of
    offers), only those that may pass its field, calendar and distance rules, each tested on
    whole columns, so the grid gathers a few of them (the grid tests them all again)."""
    open_offers = _open(offers)
    if len(need_at) != 1:
        return np.flatnonzero(open_offers)
    [at] = need_at
    start, end = needs["start"][at], needs["end"][at]
    days = np.timedelta64(int(needs["days"][at]) - 1, "D")
    near = (
        needs["x"][at] * offers["x"] + needs["y"][at] * offers["y"] + needs["z"][at] * offers["z"]
        >= needs["reach"][at] - _PREFILTER_MARGIN
    )
    candidates = (
        open_offers
        & _RELATED[needs["field"][at]][offers["field"]]
        & (offers["end"] >= start + days)
        & (offers["start"] <= end - days)
        & (near | offers["mobile"])
    )
    return np.flatnonzero(candidates)


def _places(postings: Columns, rows: np.ndarray | slice) -> np.ndarray:
    """The places of ``rows`` as unit vectors, one row each."""
    return np.column_stack([postings[axis][rows] for axis in _AXES])


def _open(postings: Columns) -> np.ndarray:
    open_rows: np.ndarray = postings["alive"] & (postings["amount"] > 0)
    return open_rows


class _Gathered(dict[str, np.ndarray]):
    """The columns of ``rows`` of a row set, each gathered on first use."""

    def __init__(self, columns: Columns, rows: np.ndarray) -> None:
        super().__init__()
        self._columns, self._rows = columns, rows

    def __missing__(self, name: str) -> np.ndarray:
        self[name] = self._columns[name][self._rows]
        return self[name]


def _kth_best(values: np.ndarray, need_rows: np.ndarray, k: int, among: np.ndarray) -> np.ndarray:
    """Per need row, the ``k``-th best of its ``values`` where ``among``; -inf for needs with
    fewer. ``need_rows`` must be in ascending order."""
    rows, values = need_rows[among], values[among]
    counts = np.bincount(rows, minlength=int(need_rows.max(initial=-1)) + 1)
    if counts.max(initial=0) < k:
        return np.full(len(counts), -np.inf)
    # One row per need, padded with -inf: the k-th best of each row is a partition away.
    table = np.full((len(counts), int(counts.max())), -np.inf)
    table[rows, np.arange(len(rows)) - (np.cumsum(counts) - counts)[rows]] = values
    kth: np.ndarray = -np.partition(-table, k - 1, axis=1)[:, k - 1]
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
    same_region = need["region"] == offer["region"]
    scale = np.where(
        offer["at_school"], settings.school_distance_scale_km, settings.distance_scale_km
    )
    # The region counts as region_km nearer; the first kilometres hardly count.
    counted = np.maximum(distance - same_region * settings.region_km, 0.0)
    closeness = np.where(offer["mobile"], 1.0, np.exp(-np.square(counted / scale)))
    parts = {
        "distance": closeness,
        "field": _CLOSENESS[need["field"], offer["field"]],
        "grade": np.where(either_open, settings.open_grades_fit, shared_grades),
        "period": 0.5 + 0.5 * np.minimum(overlap / need["window"], 1.0),
        "capacity": np.minimum(offer["amount"] / need["amount"], 1.0),
        # Worth its weight only near (a feature of the learned ranking; by default the
        # region counts only through ``counted``).
        "region": same_region * closeness,
    }
    return {name: np.broadcast_to(value, shape).astype(np.float64) for name, value in parts.items()}


def _arc_km(cosine: np.ndarray) -> np.ndarray:
    """Great-circle distance of places whose unit vectors have this cosine (haversine: half the
    chord between them is the sine of half the angle)."""
    half_chord = np.sqrt(np.clip((1 - cosine) / 2, 0.0, 1.0))
    distance: np.ndarray = 2 * _EARTH_RADIUS_KM * np.arcsin(half_chord)
    return distance
