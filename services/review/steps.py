"""The parties mark the journey of an accepted match (``services.review.journey``).

Each mark runs in the caller's transaction under the decisions' row locks (match, offer, need),
so two marks of one match serialise and a repeat changes nothing. A party is the school of the
need or the provider of the offer; anyone else is refused as if the match did not exist (the
region's coordinator sees it, and is told the step is not theirs). Every mark goes out as
``matches.reviewed`` with its step; a cancellation frees the booking's days from today on, as
a revocation frees them all, and the matcher hears of it the same way; cancelled before its
first day, it gives its units back to the need, which reopens.
"""

from datetime import UTC, datetime
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.decisions import Locked, locked, tell_reviewed
from services.review.journey import Marked, Party, check_step
from services.review.offer_bookings import bookings_of, show_booked
from services.review.queries import ReviewNeed, ReviewOffer
from services.review.rules import DecisionRefused


def side_of(actor: Actor, need: ReviewNeed, offer: ReviewOffer) -> Party | None:
    """The side ``actor`` is on in a match of ``need`` and ``offer`` (None: neither)."""
    number = actor.organisation_number
    if actor.role == "school" and number == need.institution_number:
        return "school"
    if actor.role == "provider" and number == offer.enterprise_number:
        return "provider"
    return None


async def lock_for_party(
    session: AsyncSession, match_id: str, actor: Actor
) -> tuple[Locked, Party]:
    """The accepted match ``actor`` is a party of, locked, and its side; raise
    ``DecisionRefused``: unknown to whoever may not see it, not theirs to a coordinator, not
    accepted (yet, or any more)."""
    held = await locked(session, match_id)
    side = side_of(actor, held.need, held.offer) if held else None
    if held is None or (side is None and not actor.covers(held.need.rtc_region)):
        raise DecisionRefused("unknown_match", f"no match {match_id!r} of yours")
    if side is None:
        raise DecisionRefused("not_your_step", "only the school and the provider mark steps")
    if held.match.status != "accepted":
        raise DecisionRefused("not_accepted", f"the match is {held.match.status}, not accepted")
    return held, side


async def mark_step(
    session: AsyncSession, match_id: str, marked: str, reason: str, actor: Actor
) -> None:
    """Mark ``marked`` on an accepted match of ``actor``'s (a repeat is a no-op); raise
    ``DecisionRefused`` if the journey does not allow it. The caller commits."""
    held, side = await lock_for_party(session, match_id, actor)
    match = held.match
    if not check_step(match.kind or held.need.kind, match.step or "accepted", marked, side, reason):
        return
    match.step, match.step_by, match.step_at = marked, actor.email, datetime.now(UTC)
    if marked == "cancelled":
        match.cancelled_on = datetime.now(UTC).date()
        match.cancel_reason = reason
        if match.booked_from is None or match.cancelled_on <= match.booked_from:
            held.need.quantity_met -= match.units  # nothing of it was used: the need reopens
    in_use = show_booked(held.offer, await bookings_of(session, held.offer.offer_id))
    step = cast(Marked, marked)  # check_step knows it
    await tell_reviewed(session, held, actor.email, reason, in_use, step)
