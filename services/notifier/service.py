"""The notifier's consumer: a batch of events applied in one transaction, set-based.

One processed-events claim for all the batch's event ids; registered postings, suggestions and
withdrawals are written with one statement per table (``services.review``) and the suggestions they
make announceable are read, routed and stored together; decisions and their review, rare and each
with its own rules, are applied one by one where they stand in the batch, so a batch ends as
applying its events in order would. One difference, on purpose: suggestions are announced as a run
of events leaves them, so one withdrawn later in the same run is not mailed at all.
"""

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from itertools import groupby
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier import consequences
from services.notifier.coordinators import CoordinatorCache
from services.notifier.facts import facts_of
from services.notifier.grouping import suggestion_notices
from services.notifier.notify import notify_all
from services.review.announcements import to_announce
from services.review.known_postings import store_needs, store_offers
from services.review.suggestions import apply_matcher_events, mark_announced
from shared import topics
from shared.calendar import LOCAL_TIME
from shared.contracts import MatchSuggested, MatchWithdrawn, NeedRegistered, OfferRegistered
from shared.logs import event_context
from shared.processed_events import claim_events

CONSUMER = "notifier"
log = logging.getLogger(__name__)
Routed = tuple[str, Any]  # (topic, event)
ONE_BY_ONE: dict[str, Callable[[AsyncSession, Any], Awaitable[None]]] = {
    topics.MATCHES_DECIDED: consequences.match_decided,
    topics.MATCHES_REVIEWED: consequences.match_reviewed,
}


class NotifierService:
    """Applies batches of events; the coordinators of each region come from a cache."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], coordinators: CoordinatorCache
    ) -> None:
        self._sessions = sessions
        self._coordinators = coordinators

    async def handle(self, batch: Sequence[Routed]) -> None:
        """Apply the events of a batch not seen before, in one transaction."""
        announced = 0
        async with self._sessions.begin() as session:
            fresh = await _claim(session, batch)
            if log.isEnabledFor(logging.DEBUG):
                for topic, event in fresh:
                    with event_context(event):
                        log.debug("%s event", topic)
            for one_by_one, run in groupby(fresh, key=lambda routed: routed[0] in ONE_BY_ONE):
                if one_by_one:
                    for topic, event in run:
                        with event_context(event):
                            await ONE_BY_ONE[topic](session, event)
                else:
                    announced += await self._apply(session, [event for _, event in run])
        counts = Counter(topic for topic, _ in fresh)
        log.info(
            "batch of %d events, %d new (%s); %d suggestions announced",
            len(batch),
            len(fresh),
            ", ".join(f"{topic} {count}" for topic, count in sorted(counts.items())) or "-",
            announced,
        )

    async def _apply(self, session: AsyncSession, events: list[Any]) -> int:
        """Postings, suggestions and withdrawals: stored, then what they make announceable is
        announced; return how many suggestions were."""
        needs = [e for e in events if isinstance(e, NeedRegistered)]
        offers = [e for e in events if isinstance(e, OfferRegistered)]
        await store_needs(session, needs)
        await store_offers(session, offers)
        await apply_matcher_events(
            session, [e for e in events if isinstance(e, MatchSuggested | MatchWithdrawn)]
        )
        return await self._announce(
            session,
            [e.match_id for e in events if isinstance(e, MatchSuggested)],
            [need.need_id for need in needs],
            [offer.offer_id for offer in offers],
        )

    async def _announce(
        self,
        session: AsyncSession,
        match_ids: list[str],
        need_ids: list[str],
        offer_ids: list[str],
    ) -> int:
        """Notify the coordinators of open, unannounced suggestions among ``match_ids`` or
        waiting for one of the postings; a suggestion whose need or offer is not registered
        here yet waits for it (events of different topics arrive in any order)."""
        rows = await to_announce(session, match_ids, need_ids, offer_ids)
        if not rows:
            return 0
        suggestions = [(facts_of(*row), row[1].rtc_region) for row in rows]
        coordinators = await self._coordinators.of_regions(
            session, {region for _, region in suggestions}
        )
        for region in sorted(region for region, found in coordinators.items() if not found):
            log.warning("no coordinator for RTC region %s", region)
        today = datetime.now(LOCAL_TIME).date()
        await notify_all(session, suggestion_notices(suggestions, coordinators, today))
        await mark_announced(session, [facts.match_id for facts, _ in suggestions])
        return len(rows)


async def _claim(session: AsyncSession, batch: Sequence[Routed]) -> list[Routed]:
    """The batch's events not processed before (a repeated id: its first), claimed at once."""
    fresh_ids = await claim_events(session, CONSUMER, [str(e.event_id) for _, e in batch])
    fresh = []
    for topic, event in batch:
        if str(event.event_id) in fresh_ids:
            fresh_ids.discard(str(event.event_id))
            fresh.append((topic, event))
    return fresh
