"""The published model against the weights on its own live decisions: the lists it ranked are
logged with their ranks, so its top-1 acceptance is what coordinators did with its first pair,
and the weights' is estimated on the same lists (``services.matcher.learning.exposure``). When
it is worse beyond noise it is withdrawn and the ranking before it comes back. Pure.

Limit: the weights are judged among the pairs the model listed (their own first choice may not
have been shown).
"""

from services.matcher.learning.exposure import Lift, debiased_lift
from services.matcher.learning.features import hand_scores
from services.matcher.learning.training import Decisions
from services.matcher.settings import Weights


def live_lift(live: Decisions, weights: Weights) -> Lift:
    """The lift of the model (its logged order) over the ``weights`` on the needs it ranked."""
    hand = hand_scores(live.pairs, weights)
    shown = live.shown(hand)
    return debiased_lift(shown, -shown.ranks.astype(float), hand)


def withdrawal_reason(version: int, lift: Lift, min_needs: int) -> str | None:
    """Why model ``version`` must go, or None while it holds (or too few needs tell)."""
    if lift.needs < min_needs or lift.high >= 0:
        return None
    return (
        f"model {version} live: top-1 {lift.candidate:.3f} against the weights' "
        f"{lift.incumbent:.3f} over {lift.needs} needs, lift {lift.lift:+.3f} "
        f"(95% interval [{lift.low:+.3f}, {lift.high:+.3f}]): worse than the weights, withdrawn"
    )
