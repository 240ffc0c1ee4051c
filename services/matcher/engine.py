"""The matcher's use cases on the open postings and each need's suggestion list.

Pure: no I/O. Callers persist the returned ``Changes``; ``load`` rebuilds the same state from them.
"""

from datetime import date

import numpy as np

from services.matcher.domain import (
    Changes,
    NeedProfile,
    OfferProfile,
    StoredState,
    Suggestion,
    Withdrawal,
)
from services.matcher.learned import LearnedRanking, explained, learned_scores
from services.matcher.postings import Candidates, OpenPostings
from services.matcher.ranking import admit, best_per_need, order_key, top_k
from services.matcher.settings import MatcherSettings

REMATCH_BLOCK = 64  # needs scored together in a full re-match


class Matcher:
    """Keeps each open need's best ``k`` suggestions true as postings and decisions arrive.

    With a ``LearnedRanking``, each need's best ``rerank_depth * k`` candidates by hand-set score
    (all of them past every hard rule) are re-ordered by the model's probability, which becomes
    their score; without one, the hand-set weights rank alone."""

    def __init__(self, settings: MatcherSettings, ranking: LearnedRanking | None = None) -> None:
        self._settings = settings
        self._ranking = ranking
        self.postings = OpenPostings(settings)
        self._lists: dict[str, list[Suggestion]] = {}
        self._listed_by: dict[str, set[str]] = {}
        self._decided: dict[str, set[str]] = {}

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
            ordered = sorted(held, key=lambda one: order_key(one.score, one.offer_id))
            self._set_list(need_id, ordered)
        for need_id, offer_id in state.decided:
            self._decided.setdefault(need_id, set()).add(offer_id)
        self._refresh_if_stale()

    def use_ranking(self, ranking: LearnedRanking | None, rerank: bool = True) -> Changes:
        """Rank with ``ranking`` (None: the hand-set weights) from now on; ``rerank`` redoes every
        list, suggesting again each pair whose rank, score or explanation changed."""
        self._ranking = ranking
        return self.rematch(republish=True) if rerank else Changes()

    def suggestions(self, need_id: str) -> list[Suggestion]:
        """The need's current list, best first."""
        return list(self._lists.get(need_id, []))

    def register_need(self, need: NeedProfile) -> Changes:
        """A new or replaced open need: (re)compute its list."""
        self.postings.put_needs([need])
        self._refresh_if_stale()
        return self._rerank(need, "need_changed")

    def register_offer(self, offer: OfferProfile) -> Changes:
        """A new or replaced open offer: lists holding it are redone; it enters those it beats."""
        self.postings.put_offers([offer])
        self._refresh_if_stale()
        changes = Changes()
        for need_id in sorted(self._listed_by.get(offer.offer_id, set())):
            changes.extend(self._rerank(self.postings.needs[need_id], "offer_changed"))
        candidates = self.postings.score_offer(offer.offer_id)
        listed = self._listed_by.get(offer.offer_id, set())
        eligible = [
            position
            for position in np.flatnonzero(candidates.scored.score >= self._settings.min_score)
            if candidates.need_ids[position] not in listed
        ]
        scores = self._scores(candidates, np.array(eligible, dtype=np.int64))
        for position, score in zip(eligible, scores.tolist(), strict=True):
            need = self.postings.needs[candidates.need_ids[position]]
            changes.extend(self._admit(need, offer, candidates, int(position), score))
        return changes

    def remove_need(self, need_id: str, reason: str) -> Changes:
        """A need withdrawn, expired or fulfilled: its whole list is withdrawn."""
        self.postings.drop_need(need_id)
        withdrawn = [
            Withdrawal(need_id, held.offer_id, reason) for held in self._lists.get(need_id, [])
        ]
        self._set_list(need_id, [])
        return Changes(withdrawn=withdrawn)

    def remove_offer(self, offer_id: str, reason: str) -> Changes:
        """An offer withdrawn, expired or fully booked: it leaves every list, which is refilled."""
        self.postings.drop_offer(offer_id)
        changes = Changes()
        for need_id in sorted(self._listed_by.get(offer_id, set())):
            changes.extend(self._rerank(self.postings.needs[need_id], reason))
        return changes

    def decide(self, need_id: str, offer_id: str) -> Changes:
        """A coordinator's decision: the pair leaves the list for good. What the need and offer
        have left afterwards is the review's to say (``register_*`` / ``remove_*``)."""
        self._decided.setdefault(need_id, set()).add(offer_id)
        self._set_list(
            need_id, [held for held in self._lists.get(need_id, []) if held.offer_id != offer_id]
        )
        return Changes()

    def expire(self, today: date) -> Changes:
        """Remove the postings whose period ended before ``today``."""
        changes = Changes()
        for need_id in sorted(n.need_id for n in self.postings.needs.values() if n.end < today):
            changes.extend(self.remove_need(need_id, "expired"))
        for offer_id in sorted(o.offer_id for o in self.postings.offers.values() if o.end < today):
            changes.extend(self.remove_offer(offer_id, "expired"))
        return changes

    def rematch(self, rtc_region: str | None = None, republish: bool = False) -> Changes:
        """Recompute from scratch the lists of every open need (of one RTC region), scoring
        blocks of needs of one kind at once; ``republish``: see ``_replace``."""
        self.postings.refresh_text_model()
        needs = [n for n in self.postings.needs.values() if rtc_region in (None, n.rtc_region)]
        by_kind: dict[str, list[str]] = {}
        # Needs of one field and place share candidate offers, so a block's text product is small.
        for need in sorted(needs, key=lambda n: (n.field, n.rtc_region, n.latitude, n.need_id)):
            by_kind.setdefault(need.kind, []).append(need.need_id)
        blocks = [
            need_ids[block : block + REMATCH_BLOCK]
            for need_ids in by_kind.values()
            for block in range(0, len(need_ids), REMATCH_BLOCK)
        ]
        pools = [self._pool(block) for block in blocks]
        # One call of the learned ranking for the whole re-match: its cost is per call and tree.
        learned: list[np.ndarray | None] = [None] * len(pools)
        if self._ranking is not None:
            learned = [one for one in learned_scores(self._ranking, self.postings, pools)]
        changes = Changes()
        for block, (candidates, positions), scores in zip(blocks, pools, learned, strict=True):
            changes.extend(self._settle(block, candidates, positions, scores, republish))
        return changes

    def _pool(self, need_ids: list[str]) -> tuple[Candidates, np.ndarray]:
        """A block of needs of one kind scored at once: the candidates and the positions of
        each need's best ``_depth()`` by hand-set score (grouped by need, best first)."""
        depth = self._depth()
        decided = max(len(self._decided.get(need_id, ())) for need_id in need_ids)
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
        candidates: Candidates,
        positions: np.ndarray,
        learned: np.ndarray | None,
        republish: bool,
    ) -> Changes:
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
        changes = Changes()
        for need_id, suggestions in fresh.items():
            changes.extend(self._replace(need_id, suggestions, "rematch", republish))
        return changes

    def _depth(self) -> int:
        """How many candidates per need the hand-set score keeps: ``k``, or the pool a learned
        ranking re-orders."""
        factor = 1 if self._ranking is None else self._settings.rerank_depth
        return factor * self._settings.k

    def _scores(self, candidates: Candidates, positions: np.ndarray) -> np.ndarray:
        """The scores that rank the pairs at ``positions``: hand-set, or the learned ranking's."""
        if self._ranking is None:
            hand: np.ndarray = candidates.scored.score[positions]
            return hand
        [learned] = learned_scores(self._ranking, self.postings, [(candidates, positions)])
        return learned

    def _decided_pairs(self, candidates: Candidates) -> list[bool]:
        return [
            offer_id in self._decided.get(need_id, ())
            for need_id, offer_id in zip(candidates.need_ids, candidates.offer_ids, strict=True)
        ]

    def _refresh_if_stale(self) -> None:
        open_count = len(self.postings.needs) + len(self.postings.offers)
        if self.postings.changed_since_fit > self._settings.text_refresh_ratio * open_count:
            self.postings.refresh_text_model()

    def _rerank(self, need: NeedProfile, reason: str) -> Changes:
        decided = self._decided.get(need.need_id, set())
        depth = self._depth()
        candidates = self.postings.score_need(need.need_id, depth + len(decided))
        scores = candidates.scored.score.copy()
        scores[[offer_id in decided for offer_id in candidates.offer_ids]] = -1.0
        best = top_k(candidates.offer_ids, scores, depth, self._settings.min_score)
        learned = None
        if self._ranking is not None:
            pool = self._scores(candidates, np.array(best, dtype=np.int64))
            ids = [candidates.offer_ids[position] for position in best]
            chosen = top_k(ids, pool, self._settings.k, 0.0)
            best, learned = [best[at] for at in chosen], pool[chosen]
        fresh = self._suggestions(candidates, best, list(range(1, len(best) + 1)), learned)
        return self._replace(need.need_id, fresh, reason)

    def _replace(
        self, need_id: str, fresh: list[Suggestion], reason: str, republish: bool = False
    ) -> Changes:
        """Make ``fresh`` (best first) the need's list; ``republish`` suggests again the held
        pairs that changed (a new ranking), not only the newcomers."""
        held = {suggestion.offer_id: suggestion for suggestion in self._lists.get(need_id, [])}
        kept = {suggestion.offer_id for suggestion in fresh}
        self._set_list(need_id, fresh)
        return Changes(
            suggested=[
                suggestion
                for suggestion in fresh
                if held.get(suggestion.offer_id) != suggestion
                and (republish or suggestion.offer_id not in held)
            ],
            withdrawn=[
                Withdrawal(need_id, offer_id, reason) for offer_id in sorted(held.keys() - kept)
            ],
        )

    def _admit(
        self,
        need: NeedProfile,
        offer: OfferProfile,
        candidates: Candidates,
        position: int,
        score: float,
    ) -> Changes:
        """Enter the pair at ``position``, ranked by ``score`` (see ``_scores``), in the need's
        list if it beats the list's last."""
        if offer.offer_id in self._decided.get(need.need_id, set()):
            return Changes()
        current = self._lists.get(need.need_id, [])
        learned = self._ranking is not None
        floor = 0.0 if learned else self._settings.min_score  # candidates cleared min_score
        admission = admit(current, offer.offer_id, score, self._settings.k, floor)
        if admission is None:
            return Changes()
        scores = np.array([score]) if learned else None
        [suggestion] = self._suggestions(candidates, [position], [admission.rank], scores)
        listed = [*current[: admission.rank - 1], suggestion, *current[admission.rank - 1 :]]
        self._set_list(need.need_id, listed[: self._settings.k])
        pushed = admission.pushed_out
        withdrawn = (
            [] if pushed is None else [Withdrawal(need.need_id, pushed.offer_id, "pushed_out")]
        )
        return Changes(suggested=[suggestion], withdrawn=withdrawn)

    def _suggestions(
        self,
        candidates: Candidates,
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

    def _set_list(self, need_id: str, suggestions: list[Suggestion]) -> None:
        for held in self._lists.pop(need_id, []):
            self._listed_by[held.offer_id].discard(need_id)
        if suggestions:
            self._lists[need_id] = suggestions
        for held in suggestions:
            self._listed_by.setdefault(held.offer_id, set()).add(need_id)
