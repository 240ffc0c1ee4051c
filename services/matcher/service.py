"""Matcher use cases: a batch of events is applied per kind group, one transaction each, the
groups side by side.

A need only ever meets offers of its own kind group (``shared.taxonomy.kind_group``), so the
state is partitioned by group (see ``tables``): a transaction locks the groups it works on,
first takes over what other instances wrote to them since it last looked, then applies its
events as one ``Batch``. Instances of one consumer group so work on different groups side by
side. A failed transaction drops the groups' in-memory state, rebuilt from the database on the
next one, so memory is never ahead of what was committed.
"""

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.batches import Applied, GroupEvents, Incoming, Key, MatcherInput, departures
from services.matcher.domain import Batch, Changes
from services.matcher.engine import Matcher
from services.matcher.groups import GroupState
from services.matcher.heap import HeldPostings
from services.matcher.settings import MatcherSettings
from services.matcher.store import MatcherStore
from services.matcher.terms import follow as follow_vocabulary
from shared.logs import event_context
from shared.metrics import observe_first_suggestion
from shared.taxonomy import kind_groups

log = logging.getLogger(__name__)
CONSUMER = "matcher"
GROUPS = kind_groups()


class MatcherService:
    """Applies registered postings and decisions to the suggestion lists, exactly once."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], settings: MatcherSettings
    ) -> None:
        self._sessions = sessions
        self._groups = {group: GroupState(group, settings) for group in GROUPS}
        self._held = HeldPostings()

    async def warm_up(self) -> None:
        """Build every group's state before consuming, without locking: start-up is the
        heaviest load, and meanwhile no consumer has heartbeats to keep nor other instances
        a group to wait for (what they write during it is taken over by the next transaction).

        The groups load side by side (one reads the database while another vectorises), with
        the cyclic garbage collector paused: the load makes millions of objects that live as
        long as the process, which it would otherwise scan again and again; frozen afterwards,
        later collections skip them too."""
        gc.disable()
        try:
            await asyncio.gather(*(self._warm(state) for state in self._groups.values()))
        finally:
            gc.freeze()
            gc.enable()
        self._held.frozen(self.postings_held())

    async def _warm(self, state: GroupState) -> None:
        async with state.busy, self._sessions() as session:
            store = MatcherStore(session)
            vocabulary = await follow_vocabulary(session)
            await state.catch_up(store, await store.revision(state.group), vocabulary)

    async def handle(self, events: Sequence[MatcherInput]) -> None:
        """Apply a batch; events seen before are skipped, older versions change nothing."""
        now = datetime.now(UTC)
        async with self._sessions() as session:
            # Reads only: outside a transaction, so without a BEGIN and a ROLLBACK round trip.
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            incoming = await Incoming.route(MatcherStore(session), events)
        if log.isEnabledFor(logging.DEBUG):
            for group, part in incoming.groups.items():
                for event in part.events:
                    with event_context(event):
                        log.debug("%s for group %s", type(event).__name__, group)
        # The groups side by side, each in its own transaction: their database waits overlap.
        async with asyncio.TaskGroup() as groups:
            for part in incoming.groups.values():
                groups.create_task(self._apply(part, incoming.stored, now))
        self._held.now_holding(self.postings_held())
        log.info(
            "applied %d events (%d unknown matches skipped) in groups %s",
            len(events), len(incoming.unknown), ", ".join(incoming.groups),
        )  # fmt: skip

    async def _apply(
        self, part: GroupEvents, stored: Mapping[Key, tuple[str, int]], now: datetime
    ) -> None:
        """One group's events in one transaction, with the postings that left other groups for
        it closed there."""
        moved = departures(part, stored)
        async with self._transaction([part.group, *moved], part.event_ids) as (
            store,
            matchers,
            fresh,
        ):
            applied = Applied(store, part.fresh(fresh), now)
            for old_group, closed in moved.items():
                await store.record(old_group, await _scored(matchers[old_group], closed), now)
            batch = await applied.write(part.group)
            changes = await _scored(matchers[part.group], batch)
            await store.record(part.group, changes, now)
        for registered_at in applied.first_suggestions(changes):
            observe_first_suggestion(registered_at, now)

    def postings_held(self) -> int:
        """The open needs and offers this process holds, every group together."""
        return sum(state.matcher.postings.held() for state in self._groups.values())

    async def rematch(self, rtc_region: str | None = None) -> Changes:
        """Recompute the lists of every open need (of one RTC region)."""
        return await self._each_group(lambda matcher: matcher.rematch(rtc_region))

    async def expire(self, today: date) -> Changes:
        """Withdraw the suggestions of postings whose period ended before ``today``."""
        return await self._each_group(lambda matcher: matcher.expire(today))

    async def follow_ranking(self) -> None:
        """Take up a newly published model now (an idle matcher meets none in transactions)."""
        await self._each_group(lambda _: Changes())

    async def _each_group(self, use_case: Callable[[Matcher], Changes]) -> Changes:
        changes = Changes()
        for group in GROUPS:
            async with self._transaction([group], []) as (store, matchers, _):
                done = use_case(matchers[group])
                await store.record(group, done, datetime.now(UTC))
            changes.extend(done)
        return changes

    @contextlib.asynccontextmanager
    async def _transaction(
        self, groups: Sequence[str], event_ids: list[str]
    ) -> AsyncIterator[tuple[MatcherStore, dict[str, Matcher], set[str]]]:
        """Hold ``groups`` in this process (its coroutines use a group one at a time), then
        work on them in one database transaction (``_use``)."""
        states = [self._groups[group] for group in sorted(set(groups))]
        async with contextlib.AsyncExitStack() as held:
            for state in states:
                await held.enter_async_context(state.busy)
            async with self._use(states, event_ids) as used:
                yield used

    @contextlib.asynccontextmanager
    async def _use(
        self, states: list[GroupState], event_ids: list[str]
    ) -> AsyncIterator[tuple[MatcherStore, dict[str, Matcher], set[str]]]:
        """Lock the groups' rows (in one order, so instances never wait on each other in a
        circle) and claim ``event_ids`` with the last, catch each group up (with the vocabulary
        in force when the first was locked) and follow the published model."""
        try:
            async with self._sessions() as session, session.begin():
                store, matchers = MatcherStore(session), {}
                now = datetime.now(UTC)
                marks = [await store.lock(state.group) for state in states[:-1]]
                last, fresh = await store.lock_and_claim(states[-1].group, CONSUMER, event_ids)
                marks.append(last)
                vocabulary = await follow_vocabulary(session, marks[0].vocabulary)
                for state, mark in zip(states, marks, strict=True):
                    matcher = await state.catch_up(store, mark.revision, vocabulary)
                    followed = await state.ranking.follow(session, state.group, mark, matcher)
                    await store.record(state.group, followed, now)
                    matchers[state.group] = matcher
                yield store, matchers, fresh
                if store.wrote:  # a replay that changes nothing leaves the groups as they are
                    for state in states:  # a failed commit forgets it again
                        state.seen = await store.mark_written(state.group)
        except BaseException:
            for state in states:
                state.forget()
            raise


async def _scored(matcher: Matcher, batch: Batch) -> Changes:
    """``matcher.apply(batch)`` in a worker thread (its group is held meanwhile): scoring a
    batch takes milliseconds per need, and on the event loop it held up everything else the
    process does for as long, above all the outbox relay sending the previous batch's
    suggestions, which so waited for this batch to be scored (the GIL lets the loop in again
    within ``sys.getswitchinterval()``)."""
    return await asyncio.to_thread(matcher.apply, batch)
