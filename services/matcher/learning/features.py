"""The features of a (need, offer) pair a learned ranking looks at, from decided pairs or from
the matcher's candidates alike. Pure."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile
from services.matcher.settings import Weights
from shared.taxonomy import field_domains, grades, kinds, offer_kind_factors, provider_types

COMPONENTS = ("distance", "field", "grade", "period", "text", "capacity", "region")
# A component a suggestion did not carry (capacity and region are optional in the contract):
# capacity not limiting, no text or region in common.
ABSENT = {"capacity": 1.0}
_CODES = {
    "need_kind": kinds(),
    "offer_kind": kinds(),
    "need_field": tuple(field_domains()),
    "offer_field": tuple(field_domains()),
    "provider_type": provider_types(),
}
_LOOKUP = {
    name: {value: code for code, value in enumerate(codes)} for name, codes in _CODES.items()
}
FEATURES = (
    *COMPONENTS,
    "distance_km",
    "offer_capacity",
    *(f"need_{grade}" for grade in grades()),
    *_CODES,
)
# Categories come last, as integer codes the gradient boosting splits on natively.
CATEGORICAL = np.array([name in _CODES for name in FEATURES])


@dataclass(frozen=True, slots=True)
class Pairs:
    """Columns of pairs, one entry per pair; a missing component is NaN."""

    need_kind: Sequence[str]
    offer_kind: Sequence[str]
    need_field: Sequence[str]
    offer_field: Sequence[str]
    need_grades: Sequence[Collection[str]]
    provider_type: Sequence[str]
    offer_capacity: np.ndarray
    distance_km: np.ndarray
    components: Mapping[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.distance_km)

    def take(self, rows: np.ndarray) -> "Pairs":
        """The pairs at ``rows``."""
        at = rows.tolist()
        lists = {
            name: [getattr(self, name)[row] for row in at] for name in (*_CODES, "need_grades")
        }
        return replace(
            self,
            **lists,
            offer_capacity=self.offer_capacity[rows],
            distance_km=self.distance_km[rows],
            components={name: values[rows] for name, values in self.components.items()},
        )


def pairs_of(
    needs: Sequence[NeedProfile],
    offers: Sequence[OfferProfile],
    components: Mapping[str, np.ndarray],
    distance_km: np.ndarray,
) -> Pairs:
    """The pairs (``needs[i]``, ``offers[i]``) as the matcher holds them."""
    return Pairs(
        need_kind=[need.kind for need in needs],
        offer_kind=[offer.kind for offer in offers],
        need_field=[need.field for need in needs],
        offer_field=[offer.field for offer in offers],
        need_grades=[need.grades for need in needs],
        provider_type=[offer.provider_type for offer in offers],
        offer_capacity=np.array([offer.capacity for offer in offers], dtype=np.float64),
        distance_km=distance_km,
        components=components,
    )


def feature_matrix(pairs: Pairs) -> np.ndarray:
    """One row of ``FEATURES`` per pair (unknown categories: NaN, missing components: ``ABSENT``
    or 0, as a column of nothing but NaN is one the trees cannot bin)."""
    numbers = [
        np.nan_to_num(
            pairs.components.get(name, np.full(len(pairs), np.nan)), nan=ABSENT.get(name, 0.0)
        )
        for name in COMPONENTS
    ]
    numbers += [pairs.distance_km, np.log1p(np.maximum(pairs.offer_capacity, 0))]
    numbers += [
        np.array([grade in need for need in pairs.need_grades], dtype=np.float64)
        for grade in grades()
    ]
    codes = [
        np.array([lookup.get(value, np.nan) for value in getattr(pairs, name)], dtype=np.float64)
        for name, lookup in _LOOKUP.items()
    ]
    return np.column_stack([np.asarray(column, dtype=np.float64) for column in numbers + codes])


def hand_scores(pairs: Pairs, weights: Weights) -> np.ndarray:
    """The score the hand-set ``weights`` give each pair (as ``score_pairs`` does: the kind
    factor times the weighted mean of the components), rounded like the published scores."""
    weight = weights.model_dump()
    factor = np.array(
        [
            offer_kind_factors(need_kind).get(offer_kind, 0.0)
            for need_kind, offer_kind in zip(pairs.need_kind, pairs.offer_kind, strict=True)
        ]
    )
    mean = sum(
        weight[name] * np.nan_to_num(pairs.components.get(name, np.zeros(len(pairs))))
        for name in weight
    )
    scores: np.ndarray = np.round(factor * mean / sum(weight.values()), 4)
    return scores
