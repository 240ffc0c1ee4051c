"""Learning benchmark: training the chosen model on 100,000 decisions beside two baselines fitted
and evaluated on the same decisions in the same run (the hand-set weights' evaluation, a logistic
regression), with their held-out figures; and the simulated coordinator's figures (weights vs
learned on held-out weeks). Writes bench-results/learning.json.
"""

import json
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from services.matcher.domain import StoredState
from services.matcher.engine import Matcher
from services.matcher.learned import LearnedRanking
from services.matcher.learning.evaluation import Metrics, ranking_metrics, split_by_time
from services.matcher.learning.features import CATEGORICAL, feature_matrix, hand_scores
from services.matcher.learning.model import LearnedModel
from services.matcher.learning.training import ACCEPTED, THREADS, Decisions, acceptance, fit
from tests.learning.coordinator import Coordinator
from tests.learning.simulation import SETTINGS, Region, decisions, proof, region

RESULTS = Path("bench-results/learning.json")
DECISIONS = 100_000


def logistic() -> Pipeline:
    """The baseline model: categories one-hot, numbers scaled, one logistic regression."""
    encode = ColumnTransformer(
        [
            ("codes", OneHotEncoder(handle_unknown="ignore"), np.flatnonzero(CATEGORICAL)),
            ("numbers", StandardScaler(), np.flatnonzero(~CATEGORICAL)),
        ]
    )
    return Pipeline(
        [("missing", SimpleImputer(strategy="most_frequent")), ("encode", encode),
         ("regression", LogisticRegression(max_iter=500))]
    )  # fmt: skip


def timed(action: Callable[[], object]) -> tuple[object, float]:
    """What ``action`` returns and the seconds it took."""
    started = time.perf_counter()
    result = action()
    return result, round(time.perf_counter() - started, 3)


def simulated_decisions(area: Region) -> Decisions:
    """The first 100,000 decisions of the simulated coordinator on ``area``'s needs."""
    decided = decisions(area, range(len(area.weeks)), Coordinator(2027), seed=2027)
    assert len(decided) >= DECISIONS
    return decided.take(np.arange(DECISIONS))


def rematch_seconds(area: Region, ranking: LearnedRanking | None) -> float:
    """Seconds of a full re-match of 10 weeks of needs against every offer (median of 3)."""
    runs = []
    for _ in range(3):
        matcher = Matcher(SETTINGS, ranking)
        needs = [need for week in area.weeks[:10] for need in week]
        matcher.load(StoredState(open_needs=needs, open_offers=area.offers))
        runs.append(timed(matcher.rematch)[1])
    return sorted(runs)[1]


def row(seconds: float, metrics: Metrics) -> dict[str, object]:
    """One benchmark row: training time and held-out figures."""
    return {"train_seconds": seconds, **asdict(metrics)}


def main() -> None:
    """Fit every contender on the same split, print a table and write the JSON results."""
    started = time.perf_counter()
    area = region(seed=2027, weeks=42, needs_per_week=500, offers=5000)
    decided = simulated_decisions(area)
    train_rows, held_rows = split_by_time(decided.need_ids, decided.decided_at, 0.2)
    fitted, held = decided.take(train_rows), decided.take(held_rows)
    relevant = (held.outcomes == ACCEPTED).astype(np.float64)
    features, held_features = feature_matrix(fitted.pairs), feature_matrix(held.pairs)

    def judged(scores: np.ndarray) -> Metrics:
        return ranking_metrics(held.need_ids, relevant, scores)

    _, weights_s = timed(lambda: hand_scores(fitted.pairs, SETTINGS.weights))
    trees, trees_s = timed(lambda: fit(fitted))
    with threadpool_limits(THREADS):
        regression, regression_s = timed(
            lambda: logistic().fit(features, fitted.outcomes == ACCEPTED)
        )
    assert isinstance(trees, Pipeline) and isinstance(regression, Pipeline)
    regression_p = regression.predict_proba(held_features)[:, 1]
    weights = judged(hand_scores(held.pairs, SETTINGS.weights))
    results: dict[str, object] = {
        "decisions": len(decided),
        "trained_on": len(fitted),
        "held_out": len(held),
        "weights (hand-set score)": row(weights_s, weights),
        "logistic regression": row(regression_s, judged(regression_p)),
        "gradient boosting, per reason code (chosen)": row(
            trees_s, judged(acceptance(trees, held_features))
        ),
    }
    model = LearnedModel(1, trees)
    results["rematch 5,000 needs x 5,000 offers (s)"] = {
        "weights": rematch_seconds(area, None),
        "learned ranking over the best 4 x k": rematch_seconds(area, model),
    }
    results["note"] = "weights: nothing to fit; train_seconds is the time to score"
    measured = proof()
    results["simulated coordinator, held-out weeks"] = {
        "weights": asdict(measured.weights),
        "learned": asdict(measured.learned),
        "decisions": measured.decisions,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"{'model':<46}{'train':>10}{'top-1':>8}{'nDCG@5':>8}")
    for name, figures in list(results.items())[3:6]:
        assert isinstance(figures, dict)
        print(
            f"{name:<46}{figures['train_seconds']:>8.2f} s"
            f"{figures['top1_acceptance']:>8.3f}{figures['ndcg_at_5']:>8.3f}"
        )
    print(f"re-match: {results['rematch 5,000 needs x 5,000 offers (s)']}")
    print(f"simulated coordinator: weights {measured.weights}, learned {measured.learned}")
    print(f"written to {RESULTS} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
