"""Training a ranking on decided pairs and deciding whether it may replace the weights. Pure."""

from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from services.matcher.learning.evaluation import Metrics, ranking_metrics, split_by_time
from services.matcher.learning.features import CATEGORICAL, Pairs, feature_matrix, hand_scores
from services.matcher.settings import Weights

ACCEPTED = "accepted"
# OpenMP threads spin-wait for each other: on shared or busy cores one thread is many times faster.
THREADS = 1


@dataclass(frozen=True, slots=True)
class Decisions:
    """Decided pairs, oldest first: per pair the need, when it was decided and the outcome,
    ``accepted`` or the rejection's reason code (the kind of mistake the ranking made)."""

    need_ids: np.ndarray
    decided_at: np.ndarray  # microseconds since the epoch
    outcomes: np.ndarray
    pairs: Pairs

    def __len__(self) -> int:
        return len(self.need_ids)

    def take(self, rows: np.ndarray) -> "Decisions":
        """The decisions at ``rows``."""
        return replace(
            self,
            need_ids=self.need_ids[rows],
            decided_at=self.decided_at[rows],
            outcomes=self.outcomes[rows],
            pairs=self.pairs.take(rows),
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
    decisions: Decisions, weights: Weights, min_decisions: int, holdout_share: float
) -> Trained:
    """Fit on all but the most recent decisions, evaluate both rankings on those held out; the
    model may be published only with ``min_decisions`` and a better held-out evaluation."""
    counted: dict[str, Any] = {"decisions": len(decisions)}
    if len(decisions) < min_decisions:
        verdict = f"{len(decisions)} decisions, fewer than {min_decisions}: the weights stay"
        return Trained(None, 0, counted, False, verdict)
    train_rows, held_rows = split_by_time(decisions.need_ids, decisions.decided_at, holdout_share)
    fitted, held = decisions.take(train_rows), decisions.take(held_rows)
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
    metrics = counted | {
        "held_out": len(held),
        "learned": asdict(learned),
        "weights": asdict(hand),
        "reasons": _counts(fitted.outcomes),
    }
    publish = learned.beats(hand)
    return Trained(pipeline, len(fitted), metrics, publish, _verdict(learned, hand, publish))


def _counts(outcomes: np.ndarray) -> dict[str, int]:
    values, counts = np.unique(outcomes, return_counts=True)
    return dict(zip(values.tolist(), counts.tolist(), strict=True))


def _verdict(learned: Metrics, hand: Metrics, publish: bool) -> str:
    figures = (
        f"held out: top-1 {learned.top1_acceptance:.3f} vs {hand.top1_acceptance:.3f}, "
        f"nDCG@5 {learned.ndcg_at_5:.3f} vs {hand.ndcg_at_5:.3f} (learned vs weights)"
    )
    return f"{figures}: {'publish' if publish else 'not better, the weights stay'}"
