"""Use cases driven by events; each runs in the caller's transaction, claimed exactly once."""

import logging
from collections.abc import Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import readmodel, templates
from services.notifier.notify import coordinators_of, notify, payload
from services.notifier.routing import to_coordinators
from services.notifier.tables import SuggestionView
from shared.contracts import (
    MatchSuggested,
    MatchWithdrawn,
    NeedRegistered,
    OfferRegistered,
)
from shared.inbox import claim_events

CONSUMER = "notifier"
log = logging.getLogger(__name__)


async def first_time(session: AsyncSession, event_id: object) -> bool:
    """Claim an event for this consumer; False when it was processed before."""
    return bool(await claim_events(session, CONSUMER, [str(event_id)]))


async def need_registered(session: AsyncSession, need: NeedRegistered) -> None:
    """Keep the need; announce suggestions that were waiting for it."""
    if await first_time(session, need.event_id):
        await readmodel.store_need(session, need)
        await _announce_waiting(session, SuggestionView.need_id == need.need_id)


async def offer_registered(session: AsyncSession, offer: OfferRegistered) -> None:
    """Keep the offer; announce suggestions that were waiting for it."""
    if await first_time(session, offer.event_id):
        await readmodel.store_offer(session, offer)
        await _announce_waiting(session, SuggestionView.offer_id == offer.offer_id)


async def match_suggested(session: AsyncSession, match: MatchSuggested) -> None:
    """Keep the suggestion and tell the coordinators of the school's region."""
    if await first_time(session, match.event_id):
        await readmodel.store_suggestion(session, match)
        await announce(session, [match.match_id])


async def match_withdrawn(session: AsyncSession, withdrawal: MatchWithdrawn) -> None:
    """Close an open suggestion."""
    if await first_time(session, withdrawal.event_id):
        await readmodel.withdraw_suggestion(session, withdrawal)


async def _announce_waiting(session: AsyncSession, posting_filter: ColumnElement[bool]) -> None:
    waiting = await session.scalars(
        select(SuggestionView.match_id).where(
            posting_filter, SuggestionView.status == "open", ~SuggestionView.announced
        )
    )
    await announce(session, list(waiting))


async def announce(session: AsyncSession, match_ids: Sequence[str]) -> None:
    """Notify the region's coordinators of open suggestions whose need and offer are known.

    A suggestion whose need or offer is not registered here yet waits for it (events of
    different topics arrive in any order).
    """
    for suggestion, need, offer in await readmodel.matches_with_postings(session, match_ids):
        if suggestion.status != "open" or suggestion.announced:
            continue
        facts = readmodel.facts_of(suggestion, need, offer)
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
        suggestion.announced = True
