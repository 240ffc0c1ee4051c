"""Each open need's suggestion list, which lists hold an offer, the pairs a coordinator decided,
and what one batch of changes did to the lists."""

from collections.abc import Iterable
from math import inf

from services.matcher.domain import Changes, Suggestion, Withdrawal
from services.matcher.ranking import order_key

PUSHED_OUT = "pushed_out"  # a better newcomer took the place


class SuggestionLists:
    """The lists (best first), with an index from offer to the needs listing it."""

    def __init__(self) -> None:
        self._lists: dict[str, list[Suggestion]] = {}
        self._listed_by: dict[str, set[str]] = {}
        self._decided: dict[str, set[str]] = {}

    def of(self, need_id: str) -> list[Suggestion]:
        """The need's list, best first (empty: none)."""
        return self._lists.get(need_id, [])

    def bar(self, need_id: str, k: int) -> float:
        """The score a newcomer must reach to enter the need's list of ``k`` (ties: by id)."""
        held = self._lists.get(need_id)
        return held[k - 1].score if held is not None and len(held) >= k else -inf

    def listing(self, offer_id: str) -> list[str]:
        """The needs whose list holds the offer, in id order."""
        return sorted(self.listing_set(offer_id))

    def listing_set(self, offer_id: str) -> set[str]:
        """The needs whose list holds the offer."""
        return self._listed_by.get(offer_id, set())

    def decided(self, need_id: str) -> set[str]:
        """The offers a coordinator decided for the need: never suggested again."""
        return self._decided.get(need_id, set())

    def record_decision(self, need_id: str, offer_id: str) -> None:
        """The pair leaves the list for good."""
        self._decided.setdefault(need_id, set()).add(offer_id)
        self.put(need_id, [held for held in self.of(need_id) if held.offer_id != offer_id])

    def restore(self, need_id: str, held: Iterable[Suggestion]) -> None:
        """Take over a stored list (any order)."""
        self.put(need_id, sorted(held, key=lambda one: order_key(one.score, one.offer_id)))

    def put(self, need_id: str, suggestions: list[Suggestion]) -> None:
        """Make ``suggestions`` (best first) the need's list."""
        for held in self._lists.pop(need_id, []):
            self._listed_by[held.offer_id].discard(need_id)
        if suggestions:
            self._lists[need_id] = suggestions
        for held in suggestions:
            self._listed_by.setdefault(held.offer_id, set()).add(need_id)


class ListChanges:
    """What a batch does to the lists: the lists as they were before it touched them, and why
    pairs left; ``changes()`` is the difference, so a pair suggested and pushed out again within
    one batch is never published."""

    def __init__(self, lists: SuggestionLists) -> None:
        self._lists = lists
        self._before: dict[str, list[Suggestion]] = {}
        self._pair_reasons: dict[tuple[str, str], str] = {}
        self.need_reasons: dict[str, str] = {}

    def touch(self, need_id: str) -> None:
        """Remember the need's list before its first change in this batch."""
        self._before.setdefault(need_id, self._lists.of(need_id))

    def pair_left(self, need_id: str, offer_id: str, reason: str) -> None:
        """Why the pair leaves the need's list (the offer or the need closed)."""
        self._pair_reasons.setdefault((need_id, offer_id), reason)

    def changes(self, republish: bool = False) -> Changes:
        """Suggested: pairs new in their list (``republish``: also held pairs that changed).
        Withdrawn: pairs gone from their list that were not decided, with the reason of their
        pair, else of their need's re-ranking, else ``pushed_out``."""
        changes = Changes()
        for need_id, before in self._before.items():
            held = {suggestion.offer_id: suggestion for suggestion in before}
            after = self._lists.of(need_id)
            kept = {suggestion.offer_id for suggestion in after}
            decided = self._lists.decided(need_id)
            changes.suggested += [
                suggestion
                for suggestion in after
                if held.get(suggestion.offer_id) != suggestion
                and (republish or suggestion.offer_id not in held)
            ]
            reason = self.need_reasons.get(need_id, PUSHED_OUT)
            changes.withdrawn += [
                Withdrawal(need_id, offer_id, self._pair_reasons.get((need_id, offer_id), reason))
                for offer_id in sorted(held.keys() - kept - decided)
            ]
        return changes
