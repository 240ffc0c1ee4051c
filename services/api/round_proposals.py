"""The allocation proposal as the API and the pages ask for it: the request's own transaction is
committed first (it read the caller's token; nothing else is written), so no connection of the
request stays taken while the round is read in a short session and solved in a worker thread
(``services.review.proposals``), under a slot of ``RoundSlots``. Without a free slot it raises
``RoundsBusy``: 503 with Retry-After (``services.api.pages.round_busy``).
"""

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.context import ApiContext
from services.review.proposals import Proposal, RoundOptions, Shown, propose


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
