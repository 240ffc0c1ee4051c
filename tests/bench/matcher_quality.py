"""Matching quality on the case sets, before and after, in one run.

Case sets: the team's teacher texts (``tests/matcher/test_matcher_teacher_texts.py``, the cases
the text similarity was tuned on) and two unseen sets kept for measuring only
(``tests.bench.unseen_cases``, ``tests.bench.unseen_cases_b``). For each need, in both arrival
orders (the need after its set's offers, the offers one by one after the need): top-1 (the ideal
offer first), nDCG@5 (one relevant offer: 1 / log2(position + 1) within the first five) and rule
violations (suggested pairs the naive matcher's hard rules refuse, ``tests.bench.naive.fit``).
Speed: one new need against 100,000 open offers, the median of ``RUNS`` needs, in rounds that
alternate between the baseline and this tree (the figure: the median of the rounds).

"Before" is the matcher of a git baseline (``QUALITY_BASELINE``, default ``BASELINE``: main
before issue 27's second round): its ``services`` and ``shared`` (with its vocabulary) are
exported to a temporary directory and this module runs there in a subprocess (``--quality``,
``--speed``), with the case sets, builders and naive hard rules of this tree; "after" is the
matcher as it is. Writes bench-results/matcher_quality.json.
"""

import json
import math
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from functools import partial
from io import BytesIO
from pathlib import Path

from services.matcher.domain import NeedProfile, OfferProfile
from tests.bench import unseen_cases, unseen_cases_b
from tests.bench.generate import Generator
from tests.bench.matcher import RUNS, loaded, percentiles, timed
from tests.bench.naive import fit
from tests.matcher.builders import ranked_for
from tests.matcher.test_matcher_teacher_texts import CASES as TEAM_CASES
from tests.matcher.test_matcher_teacher_texts import OFFERS as TEAM_OFFERS

RESULTS = Path("bench-results/matcher_quality.json")
CUT = 5
ARRIVALS = ("need_last", "offers_last")
SPEED_ROUNDS = 3
BASELINE = "104a402"  # main before issue 27's second round (vocabulary, distance, region)
CaseSet = tuple[Sequence[tuple[NeedProfile, str]], Sequence[OfferProfile]]
CASE_SETS: dict[str, CaseSet] = {
    "team_teacher_texts": ([(case.need, case.best) for case in TEAM_CASES], TEAM_OFFERS),
    "unseen": (unseen_cases.CASES, unseen_cases.OFFERS),
    "unseen_b": (unseen_cases_b.CASES, unseen_cases_b.OFFERS),
}


def figures(
    cases: Sequence[tuple[NeedProfile, str]], offers: Sequence[OfferProfile], arrival: str
) -> dict[str, object]:
    """Top-1, nDCG@5 and violations of one case set, and each need's first offer."""
    firsts, gains, violations = {}, [], 0
    by_id = {offer.offer_id: offer for offer in offers}
    for need, best in cases:
        offer_ids = ranked_for(need, offers, arrival)
        firsts[need.need_id] = offer_ids[0] if offer_ids else None
        position = offer_ids.index(best) if best in offer_ids else CUT
        gains.append(1 / math.log2(position + 2) if position < CUT else 0.0)
        violations += sum(fit(need, by_id[offer_id]) is None for offer_id in offer_ids)
    return {
        "needs": len(cases),
        "offers": len(offers),
        "top1": round(sum(firsts[n.need_id] == best for n, best in cases) / len(cases), 3),
        "ndcg_at_5": round(sum(gains) / len(gains), 3),
        "rule_violations": violations,
        "first_offer": firsts,
    }


def quality() -> dict[str, dict[str, object]]:
    """Every case set in both arrival orders, with the matcher importable here."""
    return {
        name: {arrival: figures(cases, offers, arrival) for arrival in ARRIVALS}
        for name, (cases, offers) in CASE_SETS.items()
    }


def speed() -> dict[str, float]:
    """One new need against 100,000 open offers: median and p95 of the wall time and the
    median of the process's CPU time (less moved by other processes on a shared machine), ms."""
    generator = Generator(seed=2027)
    matcher = loaded([], generator.offers(100_000, prefix="offer"))
    wall, cpu = [], []
    for need in generator.needs(RUNS, prefix="new"):
        started = time.process_time()
        wall.append(timed(partial(matcher.register_need, need)))
        cpu.append((time.process_time() - started) * 1000)
    median, p95 = percentiles(wall)
    return {"engine_median_ms": median, "engine_p95_ms": p95, "cpu_median_ms": percentiles(cpu)[0]}


def baseline(ref: str, what: str) -> object:
    """``quality()`` or ``speed()`` (``what``) of the matcher at git ``ref``, in a subprocess."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "services", "shared"],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryDirectory() as old:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(old, filter="data")
        # The old tree first (also the working directory, which -m puts first), this tree's
        # ``tests`` after it.
        env = os.environ | {"PYTHONPATH": os.pathsep.join([old, str(Path.cwd())])}
        done = subprocess.run(
            [sys.executable, "-m", "tests.bench.matcher_quality", what],
            cwd=old,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    """The baseline's figures and this tree's, side by side; print and write JSON. The speed
    is measured in alternating rounds (baseline, this tree), each the median of ``RUNS``
    needs; the figure is the median of the rounds."""
    started = time.perf_counter()
    ref = os.environ.get("QUALITY_BASELINE", BASELINE)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", ref], check=True, capture_output=True, text=True
    ).stdout.strip()
    rounds: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(SPEED_ROUNDS):
        rounds["before"].append(baseline(ref, "--speed"))  # type: ignore[arg-type]
        rounds["after"].append(speed())
    runs = {
        when: {
            "quality": baseline(ref, "--quality") if when == "before" else quality(),
            "new_need_vs_100k_offers_ms": {
                "median_of_rounds": statistics.median(r["engine_median_ms"] for r in rows),
                "cpu_median_of_rounds": statistics.median(r["cpu_median_ms"] for r in rows),
                "rounds": rows,
            },
        }
        for when, rows in rounds.items()
    }
    results: dict[str, object] = {"baseline": f"{ref} ({commit})", **runs}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"before: {ref} ({commit}); after: this tree")
    print(f"{'case set':<20}{'arrival':<13}{'':>7}{'top-1':>7}{'nDCG@5':>8}{'violations':>12}")
    for name in CASE_SETS:
        for arrival in ARRIVALS:
            for when, run in runs.items():
                row = run["quality"][name][arrival]  # type: ignore[index]
                print(
                    f"{name:<20}{arrival:<13}{when:>7}{row['top1']:>7.0%}"
                    f"{row['ndcg_at_5']:>8.3f}{row['rule_violations']:>12}"
                )
    for when, run in runs.items():
        timing = run["new_need_vs_100k_offers_ms"]
        each = ", ".join(f"{r['engine_median_ms']:.1f}" for r in timing["rounds"])
        print(
            f"one need vs 100k offers, {when}: median {timing['median_of_rounds']:.1f} ms "
            f"(rounds: {each}), CPU {timing['cpu_median_of_rounds']:.1f} ms"
        )
    print(f"written to {RESULTS} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    if sys.argv[1:] == ["--quality"]:
        print(json.dumps(quality()))
    elif sys.argv[1:] == ["--speed"]:
        print(json.dumps(speed()))
    else:
        main()
