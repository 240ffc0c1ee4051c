"""One kind group's matcher as an instance holds it, caught up with what the database holds."""

import asyncio

from services.matcher.batches import batch_of
from services.matcher.domain import StoredState, Suggestion
from services.matcher.engine import Matcher
from services.matcher.follow import RankingFollower
from services.matcher.settings import MatcherSettings
from services.matcher.store import MatcherStore
from shared.contracts import DECIDED_STATUSES

NOTHING = -1  # the revision of a state not loaded yet
LEFT_GROUP = "moved"  # the status of a posting read from a group its kind has left: closed there


class GroupState:
    """The group's in-memory matcher, the revision of the group it reflects, the vocabulary
    version its texts were read with, and the model it ranks with."""

    def __init__(self, group: str, settings: MatcherSettings) -> None:
        self.group = group
        self._settings = settings
        self.matcher = Matcher(settings)
        self.seen = NOTHING
        self.vocabulary = NOTHING
        self.ranking = RankingFollower()
        # Held while a coroutine of this process uses the matcher (the database lock keeps
        # other processes away, this one the start-up load and the jobs beside the consumer).
        self.busy = asyncio.Lock()

    def forget(self) -> None:
        """Drop the state (a failed transaction: memory may be ahead of the database)."""
        self.matcher, self.seen = Matcher(self._settings), NOTHING
        self.ranking.forget()

    async def catch_up(self, store: MatcherStore, revision: int, vocabulary: int) -> Matcher:
        """The matcher, after taking over what was written to the group up to ``revision``;
        rebuilt whole when the vocabulary's version moved (``services.matcher.terms``), so every
        text row is read with the vocabulary in force.

        Loading vectorises texts and builds the index (seconds for a whole big group at
        start-up): in a thread, so the event loop keeps running meanwhile."""
        if vocabulary != self.vocabulary:
            self.forget()
            self.vocabulary = vocabulary
        if revision != self.seen:
            state = await stored_since(store, self.group, self.seen)
            await asyncio.to_thread(self.matcher.load, state)
            self.seen = revision
        return self.matcher


async def stored_since(store: MatcherStore, group: str, revision: int) -> StoredState:
    """What was written to ``group`` after ``revision``: postings and the lists they changed
    (everything, from ``NOTHING``), read as plain columns."""
    entries = {
        (posting.side, posting.posting_id): (
            posting.status if posting.kind_group == group else LEFT_GROUP,
            posting.used,
            posting.fields,
        )
        for posting in await store.changed_postings(group, revision)
    }
    postings = batch_of(entries)
    if revision == NOTHING:  # every list is read whole: of the others, only decisions count
        pairs, named = await store.changed_pairs(group, revision, DECIDED_STATUSES), None
    else:
        pairs = await store.changed_pairs(group, revision)
        named = {need_id for need_id, _, _ in pairs}
    lists: dict[str, list[Suggestion]] = {need_id: [] for need_id in named or ()}
    for suggestion in await store.live_suggestions(group, named):
        lists.setdefault(suggestion.need_id, []).append(suggestion)
    decided = [
        (need_id, offer_id) for need_id, offer_id, status in pairs if status in DECIDED_STATUSES
    ]
    return StoredState(
        list(postings.needs),
        list(postings.offers),
        list(postings.closed_needs),
        list(postings.closed_offers),
        lists,
        decided,
    )
