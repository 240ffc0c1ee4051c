"""The matcher's use cases on the open postings and each need's suggestion list.

Pure: no I/O. Callers persist the returned ``Changes``; ``load`` rebuilds the same state from them.
Every use case is a ``Batch`` applied by ``apply``: lists a change may worsen are re-ranked as
blocks of needs of one kind (``_refill``, the path of a full re-match too), and new or changed
offers enter the other lists they beat (``_admit``).
"""

from collections.abc import Sequence
from datetime import date

import numpy as np

from services.matcher.domain import (
    Batch,
    Changes,
    NeedProfile,
    OfferProfile,
    StoredState,
    Suggestion,
)
from services.matcher.learned import LearnedRanking, explained, learned_scores
from services.matcher.lists import ListChanges, SuggestionLists
from services.matcher.open_postings import OpenPostings, ScoredPairs
from services.matcher.ranking import admit, best_per_need
from services.matcher.settings import MatcherSettings

REMATCH_BLOCK = 64  # needs scored together when lists are re-ranked


class Matcher:
    """Keeps each open need's best ``k`` suggestions true as postings and decisions arrive.

    With a ``LearnedRanking``, each need's best ``rerank_depth * k`` candidates by hand-set score
    (all of them past every hard rule) are re-ordered by the model's probability, which becomes
    their score; without one, the hand-set weights rank alone."""

    def __init__(self, settings: MatcherSettings, ranking: LearnedRanking | None = None) -> None:
        self._settings = settings
        self._ranking = ranking
        self.postings = OpenPostings(settings)
        self._lists = SuggestionLists()

    def load(self, state: StoredState) -> None:
        """Take over stored state (at start-up, or what other instances wrote since): open
        postings are put, closed ones dropped, the named lists replaced, decided pairs kept."""
        self.postings.put_needs(state.open_needs)
        self.postings.put_offers(state.open_offers)
        for need_id in state.closed_need_ids:
            self.postings.drop_need(need_id)
        for offer_id in state.closed_offer_ids:
            self.postings.drop_offer(offer_id)
        for need_id, held in state.lists.items():
            self._lists.restore(need_id, held)
        for need_id, offer_id in state.decided:
            self._lists.record_decision(need_id, offer_id)
        self._refresh_if_stale()

    def use_ranking(self, ranking: LearnedRanking | None, rerank: bool = True) -> Changes:
        """Rank with ``ranking`` (None: the hand-set weights) from now on; ``rerank`` redoes every
        list, suggesting again each pair whose rank, score or explanation changed."""
        self._ranking = ranking
        return self.rematch(republish=True) if rerank else Changes()

    def suggestions(self, need_id: str) -> list[Suggestion]:
        """The need's current list, best first."""
        return list(self._lists.of(need_id))

    def apply(self, batch: Batch) -> Changes:
        """Apply what a batch changed: decided pairs leave their lists, closed postings leave
        every list, lists that held a closed or changed posting are re-ranked, and new or
        changed offers enter the other lists they beat."""
        log = ListChanges(self._lists)
        for need_id, offer_id in batch.decided:
            log.touch(need_id)
            self._lists.record_decision(need_id, offer_id)
        for need_id, reason in batch.closed_needs.items():
            self.postings.drop_need(need_id)
            log.touch(need_id)
            log.need_reasons[need_id] = reason
            self._lists.put(need_id, [])
        rerank: dict[str, str] = {}
        for offer_id, reason in batch.closed_offers.items():
            self.postings.drop_offer(offer_id)
            for need_id in self._lists.listing(offer_id):
                log.pair_left(need_id, offer_id, reason)
                rerank.setdefault(need_id, reason)
        self.postings.put_offers(batch.offers)
        for offer in batch.offers:
            for need_id in self._lists.listing(offer.offer_id):
                rerank.setdefault(need_id, "offer_changed")
        self.postings.put_needs(batch.needs)
        rerank.update((need.need_id, "need_changed") for need in batch.needs)
        self._refresh_if_stale()
        reranked = [need_id for need_id in rerank if need_id in self.postings.needs]
        for need_id in reranked:
            log.touch(need_id)
            log.need_reasons[need_id] = rerank[need_id]
        self._refill(reranked)
        self._admit(batch.offers, set(reranked), log)
        return log.changes()

    def register_need(self, need: NeedProfile) -> Changes:
        """A new or replaced open need: (re)compute its list."""
        return self.apply(Batch(needs=[need]))

    def register_offer(self, offer: OfferProfile) -> Changes:
        """A new or replaced open offer: lists holding it are redone; it enters those it beats."""
        return self.apply(Batch(offers=[offer]))

    def remove_need(self, need_id: str, reason: str) -> Changes:
        """A need withdrawn or expired: its whole list is withdrawn."""
        return self.apply(Batch(closed_needs={need_id: reason}))

    def remove_offer(self, offer_id: str, reason: str) -> Changes:
        """An offer withdrawn, expired or fully booked: it leaves every list, which is refilled."""
        return self.apply(Batch(closed_offers={offer_id: reason}))

    def record_decision(self, need_id: str, offer_id: str) -> Changes:
        """A coordinator's decision: the pair leaves the list for good. What the need and offer
        have left afterwards is the review's to say (``register_*`` / ``remove_*``)."""
        return self.apply(Batch(decided=[(need_id, offer_id)]))

    def expire(self, today: date) -> Changes:
        """Remove the postings whose period ended before ``today``."""
        needs, offers = self.postings.needs.values(), self.postings.offers.values()
        return self.apply(
            Batch(
                closed_needs={
                    n.need_id: "expired"
                    for n in sorted(needs, key=lambda need: need.need_id)
                    if n.end < today
                },
                closed_offers={
                    o.offer_id: "expired"
                    for o in sorted(offers, key=lambda offer: offer.offer_id)
                    if o.end < today
                },
            )
        )

    def rematch(self, rtc_region: str | None = None, republish: bool = False) -> Changes:
        """Recompute from scratch the lists of every open need (of one RTC region);
        ``republish`` suggests again the held pairs that changed (a new ranking), not only the
        newcomers."""
        self.postings.refresh_text_model()
        needs = [
            n.need_id for n in self.postings.needs.values() if rtc_region in (None, n.rtc_region)
        ]
        log = ListChanges(self._lists)
        for need_id in needs:
            log.touch(need_id)
            log.need_reasons[need_id] = "rematch"
        self._refill(needs)
        return log.changes(republish)

    def _refill(self, need_ids: list[str]) -> None:
        """Recompute the lists of open needs, scoring blocks of needs of one kind at once."""
        needs = [self.postings.needs[need_id] for need_id in need_ids]
        by_kind: dict[str, list[str]] = {}
        # Needs of one field and place share candidate offers, so a block's text product is small.
        for need in sorted(needs, key=lambda n: (n.field, n.rtc_region, n.latitude, n.need_id)):
            by_kind.setdefault(need.kind, []).append(need.need_id)
        blocks = [
            ids[block : block + REMATCH_BLOCK]
            for ids in by_kind.values()
            for block in range(0, len(ids), REMATCH_BLOCK)
        ]
        pools = [self._pool(block) for block in blocks]
        # One call of the learned ranking for all blocks: its cost is per call and tree.
        learned: list[np.ndarray | None] = [None] * len(pools)
        if self._ranking is not None:
            learned = [one for one in learned_scores(self._ranking, self.postings, pools)]
        for block, (candidates, positions), scores in zip(blocks, pools, learned, strict=True):
            self._settle(block, candidates, positions, scores)

    def _admit(self, offers: Sequence[OfferProfile], reranked: set[str], log: ListChanges) -> None:
        """Enter ``offers`` in the lists (other than ``reranked``) whose last they beat, scoring
        blocks of offers of one kind at once."""
        by_kind: dict[str, list[str]] = {}
        for offer in offers:
            if offer.offer_id in self.postings.offers:
                by_kind.setdefault(offer.kind, []).append(offer.offer_id)
        for offer_ids in by_kind.values():
            for block in range(0, len(offer_ids), REMATCH_BLOCK):
                self._admit_block(offer_ids[block : block + REMATCH_BLOCK], reranked, log)

    def _admit_block(self, offer_ids: list[str], reranked: set[str], log: ListChanges) -> None:
        candidates = self.postings.score_offers(offer_ids)
        k, lists, need_ids = self._settings.k, self._lists, candidates.need_ids
        floor = 0.0 if self._ranking is not None else self._settings.min_score
        above = np.flatnonzero(candidates.scored.score >= self._settings.min_score)
        scores = self._scores(candidates, above)
        # Most pairs fall short of their need's last kept score: only the others are looked at.
        bar_of = {need_id: lists.bar(need_id, k) for need_id in {need_ids[p] for p in above}}
        bars = np.fromiter((bar_of[need_ids[p]] for p in above), dtype=np.float64, count=len(above))
        reaching = np.flatnonzero(scores >= bars)
        for position, score in zip(
            above[reaching].tolist(), scores[reaching].tolist(), strict=True
        ):
            need_id, offer_id = need_ids[position], candidates.offer_ids[position]
            if (
                need_id in reranked
                or offer_id in lists.decided(need_id)
                or need_id in lists.listing_set(offer_id)
            ):
                continue
            current = lists.of(need_id)
            rank = admit(current, offer_id, score, k, floor)
            if rank is None:
                continue
            learned = np.array([score]) if self._ranking is not None else None
            [entered] = self._suggestions(candidates, [position], [rank], learned)
            log.touch(need_id)
            lists.put(need_id, [*current[: rank - 1], entered, *current[rank - 1 :]][:k])

    def _pool(self, need_ids: list[str]) -> tuple[ScoredPairs, np.ndarray]:
        """A block of needs of one kind scored at once: the candidates and the positions of
        each need's best ``_depth()`` by hand-set score (grouped by need, best first)."""
        depth = self._depth()
        decided = max(len(self._lists.decided(need_id)) for need_id in need_ids)
        candidates = self.postings.score_needs(need_ids, keep_best=depth + decided)
        scored = candidates.scored
        scores = scored.score.copy()
        if decided:
            scores[self._decided_pairs(candidates)] = -1.0
        offer_ids = np.array(candidates.offer_ids, dtype=str)
        min_score = self._settings.min_score
        positions, _ = best_per_need(scored.need_rows, scores, offer_ids, depth, min_score)
        return candidates, positions

    def _settle(
        self,
        need_ids: list[str],
        candidates: ScoredPairs,
        positions: np.ndarray,
        learned: np.ndarray | None,
    ) -> None:
        """Make each need's ``k`` best of its pool, by hand-set or ``learned`` score, its list."""
        scored = candidates.scored
        rows, ids = (
            scored.need_rows[positions],
            np.array(candidates.offer_ids, dtype=str)[positions],
        )
        keys = scored.score[positions] if learned is None else learned
        chosen, ranks = best_per_need(rows, keys, ids, self._settings.k, -np.inf)
        positions, learned = positions[chosen], None if learned is None else learned[chosen]
        fresh: dict[str, list[Suggestion]] = {need_id: [] for need_id in need_ids}
        built = self._suggestions(candidates, positions.tolist(), ranks.tolist(), learned)
        for suggestion in built:
            fresh[suggestion.need_id].append(suggestion)
        for need_id, suggestions in fresh.items():
            self._lists.put(need_id, suggestions)

    def _depth(self) -> int:
        """How many candidates per need the hand-set score keeps: ``k``, or the pool a learned
        ranking re-orders."""
        factor = 1 if self._ranking is None else self._settings.rerank_depth
        return factor * self._settings.k

    def _scores(self, candidates: ScoredPairs, positions: np.ndarray) -> np.ndarray:
        """The scores that rank the pairs at ``positions``: hand-set, or the learned ranking's."""
        if self._ranking is None:
            hand: np.ndarray = candidates.scored.score[positions]
            return hand
        [learned] = learned_scores(self._ranking, self.postings, [(candidates, positions)])
        return learned

    def _decided_pairs(self, candidates: ScoredPairs) -> list[bool]:
        return [
            offer_id in self._lists.decided(need_id)
            for need_id, offer_id in zip(candidates.need_ids, candidates.offer_ids, strict=True)
        ]

    def _refresh_if_stale(self) -> None:
        stale = self._settings.text_refresh_ratio * self.postings.held()
        if self.postings.changed_since_fit > stale:
            self.postings.refresh_text_model()

    def _suggestions(
        self,
        candidates: ScoredPairs,
        positions: list[int],
        ranks: list[int],
        learned: np.ndarray | None = None,
    ) -> list[Suggestion]:
        """The suggestions of the candidate pairs at ``positions``, ranked ``ranks``, scored by
        the hand-set weights or, when given, by the ``learned`` ranking's probabilities."""
        scored, at = candidates.scored, np.array(positions, dtype=np.int64)
        scores = scored.score[at] if learned is None else learned
        placed = None if learned is None or self._ranking is None else self._ranking.version
        names = tuple(scored.components)
        rounded = [np.round(scored.components[name][at], 3).tolist() for name in names]
        parts = zip(*rounded, strict=True)
        needs, offers = self.postings.needs, self.postings.offers
        return [
            Suggestion(
                need.need_id,
                offer.offer_id,
                offer.kind,
                score,
                rank,
                round(distance, 1),
                need.rtc_region,
                dict(zip(names, values, strict=True)),
                explained(need, offer, distance, overlap, placed),
                placed,
            )
            for need, offer, score, rank, distance, overlap, values in zip(
                [needs[candidates.need_ids[position]] for position in positions],
                [offers[candidates.offer_ids[position]] for position in positions],
                scores.tolist(),
                ranks,
                scored.distance_km[at].tolist(),
                scored.overlap_days[at].tolist(),
                parts,
                strict=True,
            )
        ]
