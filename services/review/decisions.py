"""Decisions and revocations: the only place that takes or gives back capacity (a cancellation
on the journey after acceptance, ``services.review.steps``, frees days through ``show_booked``
and ``tell_reviewed`` here).

Each runs in the caller's transaction under row locks on the match, the offer and the need (in
that order, always), records the outcome and queues ``matches.reviewed`` (and, for a decision
taken here, the public ``matches.decided``) through the outbox, all together. An acceptance books
its units for a stretch of days (``services.review.rules.book_units``); two accepts racing for
an offer's last unit serialise on the offer's lock: the second sees the days it asks booked.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor, NotAReviewer
from services.review.offer_bookings import bookings_of, common_period, show_booked
from services.review.rules import (
    Asked,
    Decision,
    DecisionRefused,
    MatchState,
    OfferInTime,
    book_units,
    check_decision,
    check_revocation,
    require_decision,
)
from services.review.tables import REVIEW_REVISION, ReviewMatch, ReviewNeed, ReviewOffer
from shared import topics
from shared.calendar import days_counter
from shared.contracts import MatchDecided, MatchReviewed, is_open
from shared.contracts.matches import JourneyStep, ReasonCode, UnitsInUse
from shared.metrics import DECISIONS
from shared.outbox import add_to_outbox


@dataclass(frozen=True, slots=True)
class Locked:
    """A match with its need and offer, locked for the rest of the transaction."""

    match: ReviewMatch
    need: ReviewNeed
    offer: ReviewOffer


def require_reviewer(actor: Actor) -> None:
    """Raise ``NotAReviewer`` unless ``actor`` reviews a region (the admin, a coordinator)."""
    if not actor.reviews:
        raise NotAReviewer(f"only coordinators and the admin decide, not a {actor.role}")


async def lock(session: AsyncSession, match_id: str, reviewer: Actor) -> Locked:
    """The match and its postings, locked; a match outside the reviewer's region is refused
    exactly like one that does not exist."""
    require_reviewer(reviewer)
    held = await locked(session, match_id)
    if held is None or not reviewer.covers(held.need.rtc_region):
        raise DecisionRefused("unknown_match", f"no suggestion {match_id!r} for you to decide")
    return held


async def locked(session: AsyncSession, match_id: str) -> Locked | None:
    """The suggested match and its postings, locked in the one order (match, offer, need);
    None if there is no such suggestion. The caller checks who may act on it."""
    match = await session.get(ReviewMatch, match_id, with_for_update=True)
    offer = await session.get(ReviewOffer, match.offer_id, with_for_update=True) if match else None
    need = await session.get(ReviewNeed, match.need_id, with_for_update=True) if match else None
    if match is None or match.kind is None or need is None or offer is None:
        return None
    return Locked(match, need, offer)


async def make_decision(
    session: AsyncSession,
    match_id: str,
    decision: Decision,
    reason_code: ReasonCode | None,
    reason: str,
    reviewer: Actor,
) -> MatchDecided:
    """Accept or reject an open suggestion; raise ``DecisionRefused`` with a clear reason if
    not. The caller commits."""
    require_decision(decision, reason_code)  # before the event: its fields are checked values
    decided = MatchDecided(
        event_id=uuid.uuid4(),
        match_id=match_id,
        decision=decision,
        reason=reason,
        reason_code=reason_code if decision == "rejected" else None,
        decided_by=reviewer.email,
        decided_at=datetime.now(UTC),
    )
    await take(session, decided, reviewer)
    add_to_outbox(session, topics.MATCHES_DECIDED, match_id, decided)
    return decided


async def take(session: AsyncSession, decided: MatchDecided, reviewer: Actor) -> None:
    """Apply a decision event (from ``make_decision`` or from outside) under the one rule."""
    held = await lock(session, decided.match_id, reviewer)
    bookings = await bookings_of(session, held.offer.offer_id)
    offer = OfferInTime(held.offer.capacity, held.offer.turnaround_days, bookings)
    need_left = held.need.quantity - held.need.quantity_met
    asked = Asked(
        common_period(held.need, held.offer), held.need.period_days, days_counter(held.need.kind)
    )
    booking = book_units(need_left, offer, asked) if decided.decision == "accepted" else None
    state = MatchState(
        status=held.match.status,
        offer_capacity_left=booking.units if booking else 0,
        need_quantity_left=need_left,
        postings_open=is_open(held.need.status) and is_open(held.offer.status),
        periods_meet=asked.overlap is not None,
    )
    check_decision(state, decided.decision, decided.reason_code)
    match = held.match
    if booking is not None:
        match.units = booking.units
        match.booked_from, match.booked_until = booking.first, booking.last
        held.need.quantity_met += match.units
        bookings.append(booking)
    match.status = decided.decision
    match.reason_code = decided.reason_code
    match.reason = decided.reason
    match.decided_by = decided.decided_by
    match.decided_at = decided.decided_at
    match.decision_event_id = str(decided.event_id)
    in_use = show_booked(held.offer, bookings)
    await tell_reviewed(session, held, decided.decided_by, decided.reason, in_use)
    DECISIONS.labels(decided.decision).inc()


async def revoke(session: AsyncSession, match_id: str, reason: str, reviewer: Actor) -> None:
    """Undo an acceptance (the company cancels): capacity and quantity come back, the need
    reopens. Raise ``DecisionRefused`` unless the match is accepted."""
    held = await lock(session, match_id, reviewer)
    check_revocation(held.match.status, held.match.step, reason)
    held.need.quantity_met -= held.match.units
    held.match.status = "revoked"
    held.match.revoked_by = reviewer.email
    held.match.revoked_at = datetime.now(UTC)
    held.match.revoke_reason = reason
    in_use = show_booked(held.offer, await bookings_of(session, held.offer.offer_id))
    await tell_reviewed(session, held, reviewer.email, reason, in_use)


async def tell_reviewed(
    session: AsyncSession,
    held: Locked,
    by: str,
    reason: str,
    in_use: list[UnitsInUse],
    step: JourneyStep | None = None,
) -> None:
    """Queue ``matches.reviewed``: the match as the review holds it now (and the journey
    ``step`` just marked), with what its need and offer have used."""
    revision = await session.scalar(select(REVIEW_REVISION.next_value()))
    event = MatchReviewed(
        event_id=uuid.uuid4(),
        match_id=held.match.match_id,
        need_id=held.need.need_id,
        offer_id=held.offer.offer_id,
        status=held.match.status,
        reason_code=held.match.reason_code,
        reason=reason,
        decided_by=by,
        need_quantity_met=held.need.quantity_met,
        offer_capacity_used=held.offer.capacity_used,
        offer_in_use=in_use,
        revision=revision or 0,
        reviewed_at=datetime.now(UTC),
        step=step,
    )
    partition = topics.kind_partition(held.need.kind)
    add_to_outbox(session, topics.MATCHES_REVIEWED, held.match.match_id, event, partition)
