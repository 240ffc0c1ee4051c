"""Matching quality on the case sets, before and after the vocabulary and stemming, in one run.

Case sets: the team's teacher texts (``tests/matcher/test_matcher_teacher_texts.py``, the cases
the text similarity was tuned on) and an unseen set kept for measuring only
(``tests.bench.unseen_cases``). For each need (arriving after its set's offers): top-1 (the
ideal offer first), nDCG@5 (one relevant offer: 1 / log2(position + 1) within the first five)
and rule violations (suggested pairs the naive matcher's hard rules refuse, ``tests.bench.naive``).
"Before" is the same matcher with text similarity on plain character n-grams (no vocabulary
concept, no stemming); "after" is the matcher as it is. Speed: one new need against 100,000
open offers (``tests.bench.matcher.new_need_case``) before, with the vocabulary but unstemmed
n-grams, and after.
Writes bench-results/matcher_quality.json.
"""

import contextlib
import json
import math
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from unittest import mock

from services.matcher import text
from services.matcher.domain import NeedProfile, OfferProfile, StoredState
from services.matcher.engine import Matcher
from tests.bench.generate import Generator
from tests.bench.matcher import new_need_case
from tests.bench.naive import pair_score
from tests.bench.unseen_cases import CASES as UNSEEN_CASES
from tests.bench.unseen_cases import OFFERS as UNSEEN_OFFERS
from tests.matcher.builders import SETTINGS
from tests.matcher.test_matcher_teacher_texts import CASES as TEAM_CASES
from tests.matcher.test_matcher_teacher_texts import OFFERS as TEAM_OFFERS

RESULTS = Path("bench-results/matcher_quality.json")
CUT = 5
CaseSet = tuple[Sequence[tuple[NeedProfile, str]], Sequence[OfferProfile]]
CASE_SETS: dict[str, CaseSet] = {
    "team_teacher_texts": ([(case.need, case.best) for case in TEAM_CASES], TEAM_OFFERS),
    "unseen": (UNSEEN_CASES, UNSEEN_OFFERS),
}


@contextlib.contextmanager
def plain_text() -> Iterator[None]:
    """Text similarity as before the vocabulary: no concept features, words not stemmed."""
    with mock.patch.object(text, "terms_in", lambda _: {}), unstemmed():
        yield


@contextlib.contextmanager
def unstemmed() -> Iterator[None]:
    """Character n-grams of the words as written (the vocabulary's concepts still count)."""
    with mock.patch.object(text, "stemmed", list):
        yield


def speed(variant: contextlib.AbstractContextManager[None]) -> dict[str, object]:
    """Median and p95 of one new need against 100,000 open offers, under ``variant``."""
    with variant:
        row = new_need_case(100_000, Generator(seed=2027))
    return {key: row[key] for key in ("engine_median_ms", "engine_p95_ms")}


def figures(
    cases: Sequence[tuple[NeedProfile, str]], offers: Sequence[OfferProfile]
) -> dict[str, object]:
    """Top-1, nDCG@5 and violations of one case set, and each need's first offer."""
    firsts, gains, violations = {}, [], 0
    by_id = {offer.offer_id: offer for offer in offers}
    no_text: defaultdict[str, dict[int, float]] = defaultdict(dict)
    for need, best in cases:
        matcher = Matcher(SETTINGS)
        matcher.load(StoredState(open_offers=offers))
        matcher.register_need(need)
        ranked = [s.offer_id for s in matcher.suggestions(need.need_id)]
        firsts[need.need_id] = ranked[0] if ranked else None
        position = ranked.index(best) if best in ranked else CUT
        gains.append(1 / math.log2(position + 2) if position < CUT else 0.0)
        violations += sum(
            pair_score(need, by_id[offer_id], no_text, SETTINGS) is None for offer_id in ranked
        )
    return {
        "needs": len(cases),
        "offers": len(offers),
        "top1": round(sum(firsts[n.need_id] == best for n, best in cases) / len(cases), 3),
        "ndcg_at_5": round(sum(gains) / len(gains), 3),
        "rule_violations": violations,
        "first_offer": firsts,
    }


def main() -> None:
    """Every case set before and after, the speed before and after; print and write JSON."""
    started = time.perf_counter()
    results: dict[str, dict[str, object]] = {}
    for name, (cases, offers) in CASE_SETS.items():
        with plain_text():
            before = figures(cases, offers)
        results[name] = {"before": before, "after": figures(cases, offers)}
    results["new_need_vs_100k_offers_ms"] = {
        "before": speed(plain_text()),
        "vocabulary_unstemmed": speed(unstemmed()),
        "after": speed(contextlib.nullcontext()),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"{'case set':<22}{'':>8}{'top-1':>8}{'nDCG@5':>9}{'violations':>12}")
    for name in CASE_SETS:
        for when in ("before", "after"):
            row = results[name][when]
            assert isinstance(row, dict)
            print(
                f"{name:<22}{when:>8}{row['top1']:>8.0%}{row['ndcg_at_5']:>9.3f}"
                f"{row['rule_violations']:>12}"
            )
    for when, row in results["new_need_vs_100k_offers_ms"].items():
        assert isinstance(row, dict)
        print(
            f"one need vs 100k offers, {when}: median {row['engine_median_ms']:.1f} ms, "
            f"p95 {row['engine_p95_ms']:.1f} ms"
        )
    print(f"written to {RESULTS} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
