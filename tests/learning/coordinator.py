"""Simulated RTC coordinators: one with preferences of its own, which the hand-set weights
ignore; one who follows the weights; one who flips a coin."""

import random
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from services.matcher.domain import NeedProfile, OfferProfile, Suggestion
from services.matcher.settings import Weights
from shared.taxonomy import offer_kind_factors

FAR_FOR_GRADE_2_KM = 25.0
WEIGHTS = Weights()


class Judge(Protocol):
    """A coordinator deciding on suggestions."""

    def acceptance(self, need: NeedProfile, offer: OfferProfile, suggestion: Suggestion) -> float:
        """The probability this coordinator accepts the suggestion."""
        ...

    def decide(
        self, need: NeedProfile, offer: OfferProfile, suggestion: Suggestion, draw: random.Random
    ) -> str:
        """``accepted`` or the reason code of a rejection."""
        ...


@dataclass(frozen=True, slots=True)
class Coordinator:
    """Rejects pupil placements over 25 km for grade 2 (too far for young pupils), prefers
    sector organisations for replacement activities, and otherwise leans on the score."""

    seed: int

    def acceptance(self, need: NeedProfile, offer: OfferProfile, suggestion: Suggestion) -> float:
        """The probability this coordinator accepts the suggestion."""
        if (
            need.kind == "pupil_placement"
            and "G2" in need.grades
            and suggestion.distance_km > FAR_FOR_GRADE_2_KM
        ):
            return 0.05
        if need.kind == "replacement_activity":
            return {"sector_organisation": 0.9, "training_centre": 0.45}.get(
                offer.provider_type, 0.15
            )
        parts = suggestion.components
        return min(0.95, 0.1 + 0.6 * parts["field"] ** 2 + 0.3 * parts["distance"])

    def decide(
        self, need: NeedProfile, offer: OfferProfile, suggestion: Suggestion, draw: random.Random
    ) -> str:
        """``accepted`` or the reason code of a rejection."""
        if draw.random() < self.acceptance(need, offer, suggestion):
            return "accepted"
        if suggestion.distance_km > FAR_FOR_GRADE_2_KM and need.kind == "pupil_placement":
            return "too_far"
        if suggestion.components["field"] < 1.0:
            return "wrong_field"
        if suggestion.components["period"] < 0.75:
            return "dates"
        return "quality"


@dataclass(frozen=True, slots=True)
class WeightsFollower:
    """Accepts a pair the more likely the higher the hand-set weights score it: no order can be
    better than the weights' own."""

    seed: int

    def acceptance(self, need: NeedProfile, offer: OfferProfile, suggestion: Suggestion) -> float:
        """Rising steeply with the weights' score of the pair."""
        weight = WEIGHTS.model_dump()
        parts = suggestion.components
        mean = sum(weight[name] * (parts.get(name) or 0.0) for name in weight)
        score = offer_kind_factors(need.kind).get(offer.kind, 0.0) * mean / sum(weight.values())
        return float(np.clip(3 * (score - 0.45), 0.02, 0.95))

    def decide(
        self, need: NeedProfile, offer: OfferProfile, suggestion: Suggestion, draw: random.Random
    ) -> str:
        """``accepted`` or ``quality``."""
        accepted = draw.random() < self.acceptance(need, offer, suggestion)
        return "accepted" if accepted else "quality"


@dataclass(frozen=True, slots=True)
class CoinFlipper:
    """Accepts half of what is suggested, whatever it is."""

    seed: int

    def acceptance(self, need: NeedProfile, offer: OfferProfile, suggestion: Suggestion) -> float:
        """One half."""
        return 0.5

    def decide(
        self, need: NeedProfile, offer: OfferProfile, suggestion: Suggestion, draw: random.Random
    ) -> str:
        """``accepted`` or ``quality``, by a coin."""
        return "accepted" if draw.random() < 0.5 else "quality"
