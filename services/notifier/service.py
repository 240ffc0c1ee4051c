"""Use cases driven by events; each runs in the caller's transaction, claimed exactly once.

The review state (``services.review``) is kept up to date here; the notifier adds who is told.
"""

import logging
from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import templates
from services.notifier.facts import facts_of, matches_with_postings
from services.notifier.notify import coordinators_of, notify, payload
from services.notifier.routing import to_coordinators
from services.review.postings import store_need, store_offer
from services.review.suggestions import apply_suggested, apply_withdrawn
from services.review.tables import ReviewMatch
from shared.contracts import MatchSuggested, MatchWithdrawn, NeedRegistered, OfferRegistered
from shared.inbox import claim_events

CONSUMER = "notifier"
log = logging.getLogger(__name__)


async def first_time(session: AsyncSession, event_id: object) -> bool:
    """Claim an event for this consumer; False when it was processed before."""
    return bool(await claim_events(session, CONSUMER, [str(event_id)]))


async def need_registered(session: AsyncSession, need: NeedRegistered) -> None:
    """Keep the need; announce suggestions that were waiting for it."""
    if await first_time(session, need.event_id):
        await store_need(session, need)
        await _announce_waiting(session, ReviewMatch.need_id == need.need_id)


async def offer_registered(session: AsyncSession, offer: OfferRegistered) -> None:
    """Keep the offer; announce suggestions that were waiting for it."""
    if await first_time(session, offer.event_id):
        await store_offer(session, offer)
        await _announce_waiting(session, ReviewMatch.offer_id == offer.offer_id)


async def match_suggested(session: AsyncSession, match: MatchSuggested) -> None:
    """Keep the suggestion and tell the coordinators of the school's region."""
    if await first_time(session, match.event_id):
        await apply_suggested(session, match)
        await announce(session, [match.match_id])


async def match_withdrawn(session: AsyncSession, withdrawal: MatchWithdrawn) -> None:
    """Close a suggestion that no longer holds."""
    if await first_time(session, withdrawal.event_id):
        await apply_withdrawn(session, withdrawal)


async def _announce_waiting(session: AsyncSession, posting_filter: ColumnElement[bool]) -> None:
    waiting = await session.scalars(
        select(ReviewMatch.match_id).where(
            posting_filter, ReviewMatch.status == "open", ~ReviewMatch.announced
        )
    )
    await announce(session, list(waiting))


async def announce(session: AsyncSession, match_ids: Sequence[str]) -> None:
    """Notify the region's coordinators of open suggestions whose need and offer are known.

    A suggestion whose need or offer is not registered here yet waits for it (events of
    different topics arrive in any order).
    """
    for match, need, offer in await matches_with_postings(session, match_ids):
        if match.status != "open" or match.announced:
            continue
        facts = facts_of(match, need, offer)
        coordinators = await coordinators_of(session, need.rtc_region)
        if not coordinators:
            log.warning(
                "no coordinator for RTC region %s (match %s)", need.rtc_region, facts.match_id
            )
        for route in to_coordinators(coordinators, need.rtc_region, "suggestion"):
            await notify(
                session,
                facts.match_id,
                route,
                templates.suggestion(facts),
                payload("suggestion", facts),
            )
        match.announced = True
