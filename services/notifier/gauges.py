"""The notifier's stored-state gauges: deliveries per channel and status, open suggestions per
RTC region (refreshed with the other metrics probes)."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.tables import DeliveryRow
from services.review.announcements import open_per_region
from shared.metrics import DELIVERIES, SUGGESTIONS_OPEN, OwnLabels, Probe


def review_probe(sessions: async_sessionmaker[AsyncSession]) -> Probe:
    """A probe counting pending and failed deliveries and undecided suggestions."""
    deliveries_shown, open_shown = OwnLabels(DELIVERIES), OwnLabels(SUGGESTIONS_OPEN)

    async def probe() -> None:
        async with sessions() as session:
            deliveries = await session.execute(
                select(DeliveryRow.channel, DeliveryRow.status, func.count())
                .where(DeliveryRow.status.in_(("pending", "failed")))
                .group_by(DeliveryRow.channel, DeliveryRow.status)
            )
            open_ = await open_per_region(session)
        deliveries_shown.replace([((channel, status), n) for channel, status, n in deliveries])
        open_shown.replace([((region,), n) for region, n in open_])

    return probe
