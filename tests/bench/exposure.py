"""Publishing gate benchmark: simulated coordinators who follow the weights, flip a coin or have
preferences of their own, each reviewing top-down with stopping and deciding every pair, over
several seeds. Per run: whether the debiased gate published, its lift and interval, whether the
old gate (decided pairs only, needs with one decision dropped) would have, and the true top-1
acceptance of the weights and of the model on the weeks after. Beside it, on a synthetic world
whose truth is known, the estimated against the true lift of three rankings. Writes
bench-results/exposure.json.
"""

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from services.matcher.learning.exposure import debiased_lift
from services.matcher.learning.model import LearnedModel
from services.matcher.learning.training import train
from tests.learning.coordinator import CoinFlipper, Coordinator, Judge, WeightsFollower
from tests.learning.reviewing import EVERY_PAIR, TOP_DOWN, lists, reviewed
from tests.learning.simulation import SETTINGS, Region, decided_on, measured, ranked, region

RESULTS = Path("bench-results/exposure.json")
SEEDS = (7, 8, 9)
DECIDED_WEEKS = 6
JUDGES = {
    "follows the weights": WeightsFollower,
    "coin flip": CoinFlipper,
    "own preferences": Coordinator,
}


def gate_run(area: Region, lists_made: Any, judge: Judge, review: str, seed: int) -> dict[str, Any]:
    """One training on the judge's decisions, with both gates' verdicts and the true figures."""
    decided = decided_on(area, range(DECIDED_WEEKS), lists_made, judge, seed, review)
    trained = train(decided, SETTINGS.weights, min_decisions=500, holdout_share=0.2)
    assert trained.pipeline is not None
    later = range(DECIDED_WEEKS, len(area.weeks))
    old = trained.metrics["learned"], trained.metrics["weights"]
    return {
        "decisions": len(decided.decided()),
        "published": trained.publish,
        "old gate would publish": old[0]["ndcg_at_5"] > old[1]["ndcg_at_5"]
        and old[0]["top1_acceptance"] >= old[1]["top1_acceptance"],
        "debiased": trained.metrics["debiased"],
        "true top-1 weights": measured(area, later, judge, None).top1_acceptance,
        "true top-1 model": measured(
            area, later, judge, LearnedModel(1, trained.pipeline)
        ).top1_acceptance,
    }


def synthetic(seed: int) -> dict[str, Any]:
    """Estimated and true lift over the rule of three rankings, both review behaviours."""
    world = lists(seed)
    noisy = world.truth + np.random.default_rng(seed).normal(0, 0.3, len(world.truth))
    swapped = np.where(world.ranks == 2, 0.0, -world.ranks.astype(float))
    rankings = {"truth": world.truth, "noisier": noisy, "second place first": swapped}
    out: dict[str, Any] = {}
    for review in (TOP_DOWN, EVERY_PAIR):
        shown = reviewed(world, review, seed)
        for name, scores in rankings.items():
            lift = debiased_lift(shown, scores, world.rule, seed=seed)
            out[f"{review}, {name}"] = lift.figures() | {
                "true lift": round(world.true_top1(scores) - world.true_top1(world.rule), 4),
                "passes": lift.holds(),
            }
    return out


def main() -> None:
    """Every coordinator, review behaviour and seed; print a table, write the JSON."""
    started = time.perf_counter()
    runs: dict[str, Any] = {}
    for seed in SEEDS:
        area = region(seed, DECIDED_WEEKS + 2, needs_per_week=450, offers=2000)
        made = ranked(area, range(DECIDED_WEEKS))
        for name, judge in JUDGES.items():
            for review in (TOP_DOWN, EVERY_PAIR):
                run = gate_run(area, made, judge(seed), review, seed)
                runs[f"{name}, {review}, seed {seed}"] = run
                lift = run["debiased"]
                print(
                    f"{name:<20}{review:<24}{seed:>3}  published {run['published']!s:<5} "
                    f"old gate {run['old gate would publish']!s:<5} lift {lift['lift']:+.3f} "
                    f"[{lift['lift_low']:+.3f}, {lift['lift_high']:+.3f}]  true top-1 "
                    f"{run['true top-1 weights']:.3f} -> {run['true top-1 model']:.3f}"
                )
    results = {
        "simulated region": "450 needs a week, 2,000 offers, 6 weeks decided, 2 measured",
        "runs": runs,
        "synthetic (3,000 needs x 5 pairs, truth known)": {
            f"seed {s}": synthetic(s) for s in SEEDS
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
