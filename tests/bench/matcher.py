"""Matcher benchmark: the engine against the naive all-pairs baseline, measured in the same run.

Scores one new need against 10k and 100k open offers and one new offer against 10k open needs
(median and p95), and a full re-match of 10k needs x 10k offers. Writes bench-results/matcher.json.
"""

import json
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from services.matcher.domain import NeedProfile, OfferProfile, StoredState
from services.matcher.engine import Matcher
from services.matcher.settings import MatcherSettings
from services.matcher.text import TextModel
from tests.bench.generate import Generator
from tests.bench.naive import naive_top_k

SETTINGS = MatcherSettings()
RUNS = 50
NAIVE_RUNS = 5
REMATCH_RUNS = 5
NAIVE_REMATCH_RUNS = 3
RESULTS = Path("bench-results/matcher.json")


class LazyVectors(dict[str, dict[int, float]]):
    """Weighted text vectors of the naive baseline, computed on first use (warm-up, untimed)."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__()
        self._texts, self._model = texts, TextModel()
        self._model.refit(self._model.terms(list(texts.values())[:5000]))

    def __missing__(self, posting_id: str) -> dict[int, float]:
        row = self._model.weigh(self._model.terms([self._texts[posting_id]]))
        self[posting_id] = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        return self[posting_id]


def timed(action: Callable[[], object]) -> float:
    """Milliseconds one call of ``action`` takes."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def percentiles(samples_ms: Sequence[float]) -> tuple[float, float]:
    """Median and p95 (nearest rank) of the samples, in ms."""
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered), 3), round(p95, 3)


def case(engine_ms: Sequence[float], naive_ms: Sequence[float], note: str) -> dict[str, object]:
    """One benchmark row: engine and naive figures side by side."""
    engine_median, engine_p95 = percentiles(engine_ms)
    naive_median, naive_p95 = percentiles(naive_ms)
    return {
        "engine_median_ms": engine_median,
        "engine_p95_ms": engine_p95,
        "engine_runs": len(engine_ms),
        "naive_median_ms": naive_median,
        "naive_p95_ms": naive_p95,
        "naive_runs": len(naive_ms),
        "speedup_median": round(naive_median / engine_median, 1),
        "naive": note,
    }


def loaded(needs: Sequence[NeedProfile], offers: Sequence[OfferProfile]) -> Matcher:
    """A matcher holding ``needs`` and ``offers`` as open postings."""
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_needs=needs, open_offers=offers))
    return matcher


def naive_need_ms(
    needs: Sequence[NeedProfile], offers: Sequence[OfferProfile], vectors: LazyVectors
) -> list[float]:
    """Naive time per need against all ``offers`` (after an untimed warm-up of the vectors)."""
    for need in needs:
        naive_top_k(need, offers, vectors, SETTINGS)
    return [timed(partial(naive_top_k, need, offers, vectors, SETTINGS)) for need in needs]


def naive_offer(offer: OfferProfile, needs: Sequence[NeedProfile], vectors: LazyVectors) -> None:
    """The naive baseline for a new offer: score it against every need."""
    for need in needs:
        naive_top_k(need, [offer], vectors, SETTINGS)


def new_need_case(offer_count: int, generator: Generator) -> dict[str, object]:
    """One new need scored against ``offer_count`` open offers."""
    offers = generator.offers(offer_count, prefix=f"offer{offer_count}")
    matcher = loaded([], offers)
    arrivals = generator.needs(RUNS, prefix=f"new{offer_count}")
    engine = [timed(partial(matcher.register_need, need)) for need in arrivals]
    texts = {p.need_id: p.text for p in arrivals} | {p.offer_id: p.text for p in offers}
    naive = naive_need_ms(arrivals[:NAIVE_RUNS], offers, LazyVectors(texts))
    return case(engine, naive, f"measured on {NAIVE_RUNS} of the same new needs")


def new_offer_case(generator: Generator) -> dict[str, object]:
    """One new offer scored against 10k open needs and entering the lists it beats."""
    needs, stock = generator.needs(10_000, prefix="need10k"), generator.offers(10_000, "stock")
    matcher = loaded(needs, stock)
    matcher.rematch()
    arrivals = generator.offers(RUNS, prefix="newoffer")
    engine = [timed(partial(matcher.register_offer, offer)) for offer in arrivals]
    texts = {p.need_id: p.text for p in needs} | {p.offer_id: p.text for p in arrivals}
    vectors = LazyVectors(texts)
    naive = [timed(partial(naive_offer, offer, needs, vectors)) for offer in arrivals[:NAIVE_RUNS]]
    note = f"{NAIVE_RUNS} offers, each scored against every need (lists not updated)"
    return case(engine, naive, note)


def rematch_case(generator: Generator) -> dict[str, object]:
    """A full re-match of 10k needs x 10k offers, each run on a freshly loaded matcher; naive
    measured on 100 needs, extrapolated."""
    needs = generator.needs(10_000, prefix="rm-need")
    offers = generator.offers(10_000, prefix="rm-offer")
    engine = [timed(loaded(needs, offers).rematch) for _ in range(REMATCH_RUNS)]
    texts = {p.need_id: p.text for p in needs} | {p.offer_id: p.text for p in offers}
    vectors = LazyVectors(texts)
    sample = needs[:100]
    naive = [
        sum(naive_need_ms(sample, offers, vectors)) * len(needs) / len(sample)
        for _ in range(NAIVE_REMATCH_RUNS)
    ]
    note = f"measured on {len(sample)} needs x {len(offers)} offers, extrapolated x100"
    return case(engine, naive, f"{note} (median of {NAIVE_REMATCH_RUNS})")


def main() -> None:
    """Run every case, print a table and write the JSON results."""
    started = time.perf_counter()
    generator = Generator(seed=2027)
    results = {
        "new_need_vs_10k_offers": new_need_case(10_000, generator),
        "new_need_vs_100k_offers": new_need_case(100_000, generator),
        "new_offer_vs_10k_needs": new_offer_case(generator),
        "full_rematch_10k_x_10k": rematch_case(generator),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(
        f"{'case':<26}{'engine median':>15}{'engine p95':>13}{'naive median':>15}{'speed-up':>10}"
    )
    for name, row in results.items():
        print(
            f"{name:<26}{row['engine_median_ms']:>12,.1f} ms{row['engine_p95_ms']:>10,.1f} ms"
            f"{row['naive_median_ms']:>12,.1f} ms{row['speedup_median']:>9,.0f}x"
        )
    for name, row in results.items():
        print(f"naive {name}: {row['naive']}")
    print(f"written to {RESULTS} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
