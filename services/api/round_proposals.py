"""The allocation proposal and an offer's rotation plan as the API and the pages ask for them:
the request's own transaction is committed first (it read the caller's token, and for a rotation
plan what it is computed from; nothing else is written), so no connection of the request stays
taken while the round is read in a short session (``services.review.proposals``) or the plan
solved (``services.review.rotation_plans``) in a worker thread, under a slot of ``RoundSlots``.
Without a free slot it raises ``RoundsBusy``: 503 with Retry-After
(``services.api.pages.round_busy``).
"""

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.context import ApiContext
from services.review.actors import Actor
from services.review.proposals import Proposal, RoundOptions, Shown, propose
from services.review.rotation_plans import RotationPlan, plan_inputs, solved


async def proposed_round(
    context: ApiContext,
    session: AsyncSession,
    rtc_region: str,
    kind: str | None,
    options: RoundOptions,
    shown: Shown,
) -> Proposal:
    """The round of ``rtc_region``, its pairs ``shown``; ``RoundsBusy`` without a free slot."""
    await session.commit()  # the request's connection goes back to the pool before the round
    async with context.round_slots.slot():
        return await propose(context.sessions, rtc_region, kind, options, shown)


async def proposed_rotation(
    context: ApiContext, session: AsyncSession, viewer: Actor, offer_id: str
) -> RotationPlan:
    """The rotation plan of ``offer_id`` for ``viewer``; ``UnknownOffer`` when the viewer may
    not see it, ``RoundsBusy`` without a free slot."""
    inputs = await plan_inputs(session, viewer, offer_id)
    await session.commit()  # read: the connection goes back to the pool before the solve
    async with context.round_slots.slot():
        return await solved(inputs)
