"""Matcher use cases: each batch of events, and each re-match, is one transaction.

Instances serialise their transactions with a PostgreSQL advisory lock and first take over what
other instances wrote since they last looked (every row carries a revision), so every instance
decides on the same state. A failed transaction drops the in-memory state, rebuilt from the
database on the next one, so memory is never ahead of what was committed.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.domain import Changes, StoredState, Suggestion
from services.matcher.engine import Matcher
from services.matcher.follow import RankingFollower
from services.matcher.profiles import MATCHABLE, need_profile, offer_profile
from services.matcher.settings import MatcherSettings
from services.matcher.store import MatcherStore, decided_pairs, stored_suggestion
from services.matcher.tables import MatcherPosting
from shared.contracts import MatchReviewed, NeedRegistered, OfferRegistered
from shared.inbox import claim_events
from shared.logs import pipeline_context
from shared.metrics import observe_first_suggestion

log = logging.getLogger(__name__)
CONSUMER = "matcher"
LOCK_KEY = 0x5C4A_0003  # pg_advisory_xact_lock key of the matcher
Event = NeedRegistered | OfferRegistered | MatchReviewed


class MatcherService:
    """Applies registered postings and decisions to the suggestion lists, exactly once."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], settings: MatcherSettings
    ) -> None:
        self._sessions = sessions
        self._settings = settings
        self._matcher: Matcher | None = None
        self._seen = -1
        self._ranking = RankingFollower()

    async def handle(self, events: Sequence[Event]) -> None:
        """Apply a batch in order; events seen before are skipped."""
        now = datetime.now(UTC)
        async with self._transaction([str(event.event_id) for event in events]) as (
            store, matcher, fresh,
        ):  # fmt: skip
            for event in events:
                with pipeline_context(
                    event_id=event.event_id,
                    posting_id=_posting_id(event),
                    match_id=getattr(event, "match_id", None),
                ):
                    log.info(
                        "%s %s",
                        type(event).__name__,
                        "applied" if str(event.event_id) in fresh else "seen before",
                    )
                    if str(event.event_id) in fresh:
                        changes = await _apply(event, store, matcher)
                        await store.record(changes, now)
                        _observe_first_suggestion(event, changes, now)

    async def rematch(self, rtc_region: str | None = None) -> Changes:
        """Recompute the lists of every open need (of one RTC region)."""
        async with self._transaction([]) as (store, matcher, _):
            changes = matcher.rematch(rtc_region)
            await store.record(changes, datetime.now(UTC))
            return changes

    async def expire(self, today: date) -> Changes:
        """Withdraw the suggestions of postings whose period ended before ``today``."""
        async with self._transaction([]) as (store, matcher, _):
            changes = matcher.expire(today)
            await store.record(changes, datetime.now(UTC))
            return changes

    async def follow_ranking(self) -> None:
        """Take up a newly published model now (an idle matcher meets none in transactions)."""
        async with self._transaction([]):
            pass

    @contextlib.asynccontextmanager
    async def _transaction(
        self, event_ids: list[str]
    ) -> AsyncIterator[tuple[MatcherStore, Matcher, set[str]]]:
        try:
            async with self._sessions() as session, session.begin():
                await session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
                store = MatcherStore(session)
                matcher = await self._current(store)
                await store.record(await self._ranking.follow(session, matcher), datetime.now(UTC))
                fresh = await claim_events(session, CONSUMER, event_ids)
                yield store, matcher, fresh
                seen = await store.latest_revision()
        except BaseException:
            self._matcher = None  # memory may be ahead of the rolled-back database
            self._ranking.forget()
            raise
        self._seen = seen

    async def _current(self, store: MatcherStore) -> Matcher:
        """The in-memory matcher, caught up with what is stored (built from it at start-up)."""
        if self._matcher is None:
            self._matcher, self._seen = Matcher(self._settings), -1
        latest = await store.latest_revision()
        if latest != self._seen:
            # Loading builds the index and text model: seconds at start-up on a big catalogue.
            # A thread keeps the event loop (and so the consumer's heartbeats) running meanwhile;
            # the advisory lock already keeps other transactions away from the matcher.
            await asyncio.to_thread(self._matcher.load, await _stored_since(store, self._seen))
            self._seen = latest
        return self._matcher


async def _stored_since(store: MatcherStore, revision: int) -> StoredState:
    """What was written after ``revision``: postings and the lists they changed."""
    today = datetime.now(UTC).date()
    needs, offers, closed_needs, closed_offers = [], [], [], []
    for posting in await store.changed_postings(revision):
        open_ = posting.status in MATCHABLE[posting.side]
        if posting.side == "need":
            need = need_profile(NeedRegistered.model_validate(posting.payload), posting.used)
            if open_ and need.end >= today:
                needs.append(need)
            else:
                closed_needs.append(posting.posting_id)
        else:
            offer = offer_profile(OfferRegistered.model_validate(posting.payload), posting.used)
            if open_ and offer.end >= today:
                offers.append(offer)
            else:
                closed_offers.append(posting.posting_id)
    changed = await store.changed_suggestions(revision)
    lists: dict[str, list[Suggestion]] = {row.need_id: [] for row in changed}
    for row in await store.live_suggestions(lists):
        lists[row.need_id].append(stored_suggestion(row))
    return StoredState(needs, offers, closed_needs, closed_offers, lists, decided_pairs(changed))


async def _apply(event: Event, store: MatcherStore, matcher: Matcher) -> Changes:
    if isinstance(event, NeedRegistered):
        return await _need(event, store, matcher)
    if isinstance(event, OfferRegistered):
        return await _offer(event, store, matcher)
    return await _review(event, store, matcher)


async def _need(need: NeedRegistered, store: MatcherStore, matcher: Matcher) -> Changes:
    payload = need.model_dump(mode="json")
    served = await store.save_posting("need", need.need_id, need.version, need.status, payload)
    if served is None:  # an older version than the one stored
        return Changes()
    if need.status in MATCHABLE["need"]:
        return matcher.register_need(need_profile(need, served))
    return matcher.remove_need(need.need_id, f"need_{need.status}")


async def _offer(offer: OfferRegistered, store: MatcherStore, matcher: Matcher) -> Changes:
    payload = offer.model_dump(mode="json")
    used = await store.save_posting("offer", offer.offer_id, offer.version, offer.status, payload)
    if used is None:
        return Changes()
    if offer.status in MATCHABLE["offer"] and offer.capacity > used:
        return matcher.register_offer(offer_profile(offer, used))
    return matcher.remove_offer(offer.offer_id, f"offer_{offer.status}")


async def _review(review: MatchReviewed, store: MatcherStore, matcher: Matcher) -> Changes:
    """A decision as the review took it: the pair leaves the list for good, and the need and
    offer keep what the review says they have used (capacity is decided there, not here)."""
    row = await store.suggestion(review.match_id)
    if row is None:
        return Changes()
    await store.set_status(row.match_id, review.status, review.reason_code)
    need = await store.set_used("need", row.need_id, review.need_quantity_met, review.revision)
    offer = await store.set_used("offer", row.offer_id, review.offer_capacity_used, review.revision)
    changes = matcher.decide(row.need_id, row.offer_id)
    today = datetime.now(UTC).date()
    for posting in (offer, need):  # offers first: a reopened need then meets the freed capacity
        if posting is not None:
            changes.extend(_reconsider(posting, matcher, today))
    return changes


def _reconsider(posting: MatcherPosting, matcher: Matcher, today: date) -> Changes:
    """Put a posting back in step with what it has left: dropped when used up, registered again
    (scored anew) when a revocation gave capacity back."""
    if posting.side == "need":
        need = NeedRegistered.model_validate(posting.payload)
        if need.status not in MATCHABLE["need"] or need.period.end < today:
            return Changes()
        if posting.used >= need.quantity:
            return matcher.remove_need(need.need_id, "need_matched")
        return matcher.register_need(need_profile(need, posting.used))
    offer = OfferRegistered.model_validate(posting.payload)
    if offer.status not in MATCHABLE["offer"] or offer.period.end < today:
        return Changes()
    if posting.used >= offer.capacity:
        return matcher.remove_offer(offer.offer_id, "capacity_used")
    return matcher.register_offer(offer_profile(offer, posting.used))


def _posting_id(event: Event) -> str:
    """The need or offer an event is about (the need, for a review)."""
    return event.offer_id if isinstance(event, OfferRegistered) else event.need_id


def _observe_first_suggestion(event: Event, changes: Changes, now: datetime) -> None:
    """A newly registered need that got suggestions: how long it waited for them."""
    if isinstance(event, NeedRegistered) and any(
        suggestion.need_id == event.need_id for suggestion in changes.suggested
    ):
        observe_first_suggestion(event.registered_at, now)
