"""Allocation round benchmark: 5,000 needs x 10,000 offers, 5 suggestions per need (seeded).

Offers are drawn by popularity (a few are everyone's favourite, as in real regions) and score
higher the more popular they are, so greedy top-1 runs into booked places. Measured in the same
run, median of 3: the solver against the greedy baseline on the same candidates, and
``propose`` end to end on the test PostgreSQL (query, weights, solver and greedy); and the
proposal on a region as big as the SPEC's biggest against the way before, in the same run
(``tests.bench.allocation_big``). Writes bench-results/allocation.json.
"""

import asyncio
import json
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from services.review.allocation import RoundPairs, greedy, optimal, totals
from services.review.proposals import propose
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer
from shared.db import make_engine, make_sessionmaker
from tests.bench.allocation_big import big_region_case
from tests.stack import export_env, release, start_stack

NEEDS, OFFERS, PER_NEED, RUNS = 5_000, 10_000, 5, 3
RESULTS = Path("bench-results/allocation.json")


def region(seed: int = 2027, needs: int = NEEDS, offers: int = OFFERS) -> RoundPairs:
    """The synthetic region: quantities 1-3, capacities 1-3, popularity-skewed suggestions."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(10, offers + 10)
    chance = popularity / popularity.sum()
    offer = np.concatenate(
        [rng.choice(offers, PER_NEED, replace=False, p=chance) for _ in range(needs)]
    ).astype(np.int64)
    quality = 1.0 - np.arange(offers) / offers
    score = np.clip(0.4 * quality[offer] + rng.uniform(0.3, 0.6, len(offer)), 0.0, 1.0)
    return RoundPairs(
        need=np.repeat(np.arange(needs), PER_NEED).astype(np.int64),
        offer=offer,
        score=score,
        weight=score,
        need_left=rng.choice([1, 2, 3], needs, p=[0.7, 0.2, 0.1]).astype(np.int64),
        offer_left=rng.choice([1, 2, 3], offers, p=[0.6, 0.3, 0.1]).astype(np.int64),
    )


def median_seconds(work: Callable[[], object]) -> float:
    """Median wall time of ``RUNS`` runs."""
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 4)


def solver_case(candidates: RoundPairs) -> dict[str, object]:
    """The solver and greedy top-1 on the same candidates, with what each gives."""
    proposed, baseline = (
        totals(candidates, optimal(candidates)),
        totals(candidates, greedy(candidates)),
    )
    return {
        "proposal_seconds_median": median_seconds(lambda: optimal(candidates)),
        "greedy_seconds_median": median_seconds(lambda: greedy(candidates)),
        "needs_matched": {"proposal": proposed.needs_matched, "greedy": baseline.needs_matched},
        "extra_needs_matched": proposed.needs_matched - baseline.needs_matched,
        "units": {"proposal": proposed.units, "greedy": baseline.units},
        "total_score": {"proposal": round(proposed.score, 2), "greedy": round(baseline.score, 2)},
    }


async def propose_case(candidates: RoundPairs, database_url: str) -> dict[str, object]:
    """``propose`` end to end on the same region stored in the review state."""
    rtc_region = f"bench-{uuid.uuid4().hex[:8]}"
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    async with sessions.begin() as session:
        await session.execute(insert(ReviewOffer), _offer_rows(candidates, rtc_region))
        await session.execute(insert(ReviewNeed), _need_rows(candidates, rtc_region))
        await session.execute(insert(ReviewMatch), _match_rows(candidates, rtc_region))
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        proposal = await propose(sessions, rtc_region)
        times.append(time.perf_counter() - started)
    await engine.dispose()
    return {
        "propose_seconds_median": round(statistics.median(times), 4),
        "pairs_proposed": proposal.pairs_total,
        "extra_needs_matched": proposal.extra_needs_matched,
    }


# What every stored posting and suggestion of the bench region shares.
OFFER = {"version": 1, "status": "open", "title": "Aanbod", "enterprise_number": "0403170701",
         "provider_name": "Bedrijf", "provider_type": "company", "contact_name": "Bart",
         "contact_email": "b@x.example", "capacity_used": 0}  # fmt: skip
NEED = {"version": 1, "status": "open", "kind": "guest_expert", "field": "ict", "grades": ["G3"],
        "title": "Nood", "institution_number": "048561", "school_name": "School",
        "contact_name": "An", "contact_email": "a@x.example", "quantity_met": 0,
        "wants_replacement": False, "linked_need_id": None}  # fmt: skip
MATCH = {"status": "open", "kind": "guest_expert", "announced": True, "units": 0}


def _offer_rows(candidates: RoundPairs, run: str) -> list[dict[str, object]]:
    return [
        {**OFFER, "offer_id": f"{run}-offer-{o}", "capacity": left}
        for o, left in enumerate(candidates.offer_left.tolist())
    ]


def _need_rows(candidates: RoundPairs, run: str) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    return [
        {
            **NEED,
            "need_id": f"{run}-need-{n}",
            "rtc_region": run,
            "quantity": left,
            "registered_at": now,
        }
        for n, left in enumerate(candidates.need_left.tolist())
    ]


def _match_rows(candidates: RoundPairs, run: str) -> list[dict[str, object]]:
    pairs = zip(
        candidates.need.tolist(), candidates.offer.tolist(), candidates.score.tolist(), strict=True
    )
    return [
        {
            **MATCH,
            "match_id": f"{run}-match-{p}",
            "need_id": f"{run}-need-{n}",
            "offer_id": f"{run}-offer-{o}",
            "score": score,
            "rank": 1 + p % PER_NEED,
        }
        for p, (n, o, score) in enumerate(pairs)
    ]


def main() -> None:
    """Measure both cases on the test stack, write and print the figures."""
    candidates = region()
    figures: dict[str, object] = {
        "needs": NEEDS, "offers": OFFERS, "pairs": len(candidates.need), "runs": RUNS,
    }  # fmt: skip
    figures["solver"] = solver_case(candidates)
    export_env()
    stack = start_stack()
    try:
        figures["propose_on_postgresql"] = asyncio.run(propose_case(candidates, stack.database_url))
        figures["big_region"] = asyncio.run(big_region_case(stack.database_url))
    finally:
        release()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
