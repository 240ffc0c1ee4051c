"""Accepting an allocation round: each pair as its own decision, all in the caller's transaction.

Every pair goes through ``services.review.decisions.make_decision``, under the same rules and locks
as a single decision, inside its own SAVEPOINT: a pair that no longer holds (its offer was booked
meanwhile, a suggestion was withdrawn) is refused and reported with the refusal's code, and the
pairs that still hold are accepted. Pairs are accepted in the order given; the proposal's order
gives each the units it shows. Accepting one pair at a time is this with a single match id.

Before deciding, the round locks every match, then every offer, then every need it touches,
each in key order: the same match -> offer -> need order as a single decision, so two rounds,
or a round and single decisions, wait for each other instead of deadlocking.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.decisions import make_decision, require_reviewer
from services.review.rotation_plans import rotation_plan
from services.review.rules import DecisionRefused, RefusalCode
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer

ROUND_REASON = "toewijzingsronde"
ROTATION_REASON = "rotatieplan"


@dataclass(frozen=True, slots=True)
class PairOutcome:
    """One pair of the round: accepted with the units it took, or refused with a code."""

    match_id: str
    accepted: bool
    units: int = 0
    code: RefusalCode | None = None
    message: str = ""


async def accept_proposal(
    session: AsyncSession, match_ids: Sequence[str], reviewer: Actor, reason: str = ROUND_REASON
) -> list[PairOutcome]:
    """Accept the pairs ``match_ids`` in that order, each under the single-decision rules;
    what is refused is reported, not raised. The caller commits."""
    require_reviewer(reviewer)
    await _lock_all(session, match_ids, reviewer)
    outcomes = []
    for match_id in match_ids:
        try:
            async with session.begin_nested():
                await make_decision(session, match_id, "accepted", None, reason, reviewer)
        except DecisionRefused as refused:
            outcomes.append(
                PairOutcome(match_id, False, code=refused.code, message=refused.message)
            )
            continue
        match = await session.get(ReviewMatch, match_id)
        outcomes.append(PairOutcome(match_id, True, units=match.units if match else 0))
    return outcomes


async def accept_rotation(
    session: AsyncSession, offer_id: str, match_ids: Sequence[str] | None, reviewer: Actor
) -> list[PairOutcome]:
    """Accept the rotation plan of ``offer_id`` as it stands now: all of it (``match_ids``
    None) or the pairs named, in the plan's order (named pairs it no longer holds after, each
    still under the single-decision rules); a pair of another offer is refused as unknown.
    ``UnknownOffer`` when the reviewer may not see the offer. The caller commits."""
    require_reviewer(reviewer)
    plan = await rotation_plan(session, reviewer, offer_id)
    order = [bar.match_id for bar in plan.planned]
    if match_ids is not None:
        named = set(match_ids)
        order = [m for m in order if m in named] + [m for m in match_ids if m not in order]
    order = list(dict.fromkeys(order))
    theirs = {bar.match_id for bar in plan.timeline.bars}
    ours = [m for m in order if m in theirs or await _of_offer(session, m, offer_id)]
    outcomes = {
        o.match_id: o for o in await accept_proposal(session, ours, reviewer, ROTATION_REASON)
    }
    unknown = PairOutcome("", False, code="unknown_match", message="not a suggestion of this offer")
    return [outcomes.get(m) or replace(unknown, match_id=m) for m in order]


async def _of_offer(session: AsyncSession, match_id: str, offer_id: str) -> bool:
    match = await session.get(ReviewMatch, match_id)
    return match is not None and match.offer_id == offer_id


async def _lock_all(session: AsyncSession, match_ids: Sequence[str], reviewer: Actor) -> None:
    """Lock the reviewer's matches among ``match_ids``, then their offers, then their needs."""
    matches = (
        select(ReviewMatch.need_id, ReviewMatch.offer_id)
        .join(ReviewNeed, ReviewNeed.need_id == ReviewMatch.need_id)
        .where(ReviewMatch.match_id.in_(match_ids))
        .where(reviewer.region_filter(ReviewNeed.rtc_region))
        .order_by(ReviewMatch.match_id)
        .with_for_update(of=ReviewMatch)
    )
    pairs = (await session.execute(matches)).all()
    offers = sorted({offer_id for _, offer_id in pairs})
    needs = sorted({need_id for need_id, _ in pairs})
    await session.execute(
        select(ReviewOffer.offer_id)
        .where(ReviewOffer.offer_id.in_(offers))
        .order_by(ReviewOffer.offer_id)
        .with_for_update()
    )
    await session.execute(
        select(ReviewNeed.need_id)
        .where(ReviewNeed.need_id.in_(needs))
        .order_by(ReviewNeed.need_id)
        .with_for_update()
    )
