"""A simulated RTC coordinator with preferences of its own, which the hand-set weights ignore."""

import random
from dataclasses import dataclass

from services.matcher.domain import NeedProfile, OfferProfile, Suggestion

FAR_FOR_GRADE_2_KM = 25.0


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
