"""Training a ranking on decided pairs and deciding whether it may replace the ranking in force
(the weights or the last published model): only when its debiased lift on the most recent needs
(``services.matcher.learning.exposure``) is above the margin beyond noise. Pure."""

from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from services.matcher.learning.evaluation import ranking_metrics, ranks_by, split_by_time
from services.matcher.learning.exposure import Lift, Shown, debiased_lift
from services.matcher.learning.features import CATEGORICAL, Pairs, feature_matrix, hand_scores
from services.matcher.settings import Weights

ACCEPTED = "accepted"
UNDECIDED = "undecided"  # shown, never decided: the need was filled first, or nobody looked
# OpenMP threads spin-wait for each other: on shared or busy cores one thread is many times faster.
THREADS = 1


@dataclass(frozen=True, slots=True)
class Decisions:
    """Shown pairs of the needs with a decision, oldest first: per pair the need, when it (or,
    undecided, its need) was decided, the outcome (``accepted``, the rejection's reason code:
    the kind of mistake the ranking made, or ``UNDECIDED``) and the rank it was shown at
    (``ranks`` None: unknown, taken to be the order of the ranking in force)."""

    need_ids: np.ndarray
    decided_at: np.ndarray  # microseconds since the epoch
    outcomes: np.ndarray
    pairs: Pairs
    ranks: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.need_ids)

    def decided(self) -> "Decisions":
        """Only the decided pairs."""
        return self.take(np.flatnonzero(self.outcomes != UNDECIDED))

    def of_needs(self, need_ids: np.ndarray) -> "Decisions":
        """Every pair of ``need_ids``."""
        return self.take(np.flatnonzero(np.isin(self.need_ids, need_ids)))

    def shown(self, in_force: np.ndarray) -> Shown:
        """The pairs as shown; without logged ranks, in the order of the ``in_force`` scores."""
        ranks = self.ranks if self.ranks is not None else ranks_by(self.need_ids, in_force)
        decided = self.outcomes != UNDECIDED
        return Shown(self.need_ids, ranks, decided, self.outcomes == ACCEPTED)

    def take(self, rows: np.ndarray) -> "Decisions":
        """The decisions at ``rows``."""
        return replace(
            self,
            need_ids=self.need_ids[rows],
            decided_at=self.decided_at[rows],
            outcomes=self.outcomes[rows],
            pairs=self.pairs.take(rows),
            ranks=None if self.ranks is None else self.ranks[rows],
        )


@dataclass(frozen=True, slots=True)
class Trained:
    """A training run: the model (None when none could be fitted), its held-out figures beside
    the weights', and whether it may be published, with the reason in words."""

    pipeline: Pipeline | None
    trained_on: int
    metrics: dict[str, Any]
    publish: bool
    verdict: str


def new_pipeline(seed: int = 0) -> Pipeline:
    """The chosen model: gradient-boosted trees over the features, one class per outcome, so
    each reason code is learned as its own kind of mistake."""
    trees = HistGradientBoostingClassifier(
        categorical_features=CATEGORICAL, max_iter=150, learning_rate=0.1, random_state=seed
    )
    return Pipeline([("trees", trees)])


def acceptance(pipeline: Pipeline, features: np.ndarray) -> np.ndarray:
    """The probability each pair is accepted."""
    classes = list(pipeline.classes_)
    if ACCEPTED not in classes:
        return np.zeros(len(features))
    with threadpool_limits(THREADS):
        probabilities: np.ndarray = pipeline.predict_proba(features)[:, classes.index(ACCEPTED)]
    return probabilities


def fit(decisions: Decisions) -> Pipeline:
    """The chosen model fitted on ``decisions``."""
    with threadpool_limits(THREADS):
        return new_pipeline().fit(feature_matrix(decisions.pairs), decisions.outcomes)


def train(
    decisions: Decisions,
    weights: Weights,
    min_decisions: int,
    holdout_share: float,
    champion: Pipeline | None = None,
    min_lift: float = 0.0,
) -> Trained:
    """Fit on the decisions of all but the most recent needs; publish only with
    ``min_decisions`` and when, on the needs held out, the lower bound of the model's debiased
    top-1 lift over the ranking in force (``champion``, else the ``weights``) is above
    ``min_lift``. The older figures over decided pairs alone are kept beside it."""
    decided = decisions.decided()
    counted: dict[str, Any] = {"decisions": len(decided)}
    if len(decided) < min_decisions:
        verdict = f"{len(decided)} decisions, fewer than {min_decisions}: the weights stay"
        return Trained(None, 0, counted, False, verdict)
    train_rows, held_rows = split_by_time(decided.need_ids, decided.decided_at, holdout_share)
    fitted, held = decided.take(train_rows), decided.take(held_rows)
    if len(set(fitted.outcomes.tolist())) < 2 or len(held) == 0:
        return Trained(
            None, 0, counted, False, "one outcome only: nothing to learn, the weights stay"
        )
    pipeline = fit(fitted)
    relevant = (held.outcomes == ACCEPTED).astype(np.float64)
    learned = ranking_metrics(
        held.need_ids, relevant, acceptance(pipeline, feature_matrix(held.pairs))
    )
    hand = ranking_metrics(held.need_ids, relevant, hand_scores(held.pairs, weights))
    lift = _challenge(decisions.of_needs(held.need_ids), pipeline, weights, champion)
    in_force = "weights" if champion is None else "model in force"
    metrics = counted | {
        "held_out": len(held),
        "learned": asdict(learned),
        "weights": asdict(hand),
        "debiased": lift.figures() | {"against": in_force, "min_lift": min_lift},
        "reasons": _counts(fitted.outcomes),
    }
    publish = lift.holds(min_lift)
    verdict = _verdict(lift, in_force, min_lift, publish)
    return Trained(pipeline, len(fitted), metrics, publish, verdict)


def _challenge(
    held: Decisions, pipeline: Pipeline, weights: Weights, champion: Pipeline | None
) -> Lift:
    """The debiased lift of ``pipeline`` over the ranking in force on the ``held`` needs."""
    features = feature_matrix(held.pairs)
    in_force = (
        hand_scores(held.pairs, weights) if champion is None else acceptance(champion, features)
    )
    return debiased_lift(held.shown(in_force), acceptance(pipeline, features), in_force)


def _counts(outcomes: np.ndarray) -> dict[str, int]:
    values, counts = np.unique(outcomes, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def _verdict(lift: Lift, in_force: str, min_lift: float, publish: bool) -> str:
    figures = (
        f"held out, debiased top-1 {lift.candidate:.3f} vs {lift.incumbent:.3f} (learned vs "
        f"{in_force}) over {lift.needs} needs: lift {lift.lift:+.3f}, "
        f"95% interval [{lift.low:+.3f}, {lift.high:+.3f}]"
    )
    if publish:
        return f"{figures}: publish"
    stays = "the weights stay" if in_force == "weights" else "the model in force stays"
    return f"{figures}: lower bound not above {min_lift:+.3f}, not better, {stays}"
