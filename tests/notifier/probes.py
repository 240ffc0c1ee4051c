"""Reading the notifier's tables in tests, each read in its own short transaction."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.tables import DeliveryRow, NotificationRow
from services.review.tables import ReviewMatch

Sessions = async_sessionmaker[AsyncSession]


async def notifications(sessions: Sessions, match_id: str) -> list[NotificationRow]:
    """The notifications about ``match_id``, in creation order."""
    async with sessions() as session:
        rows = await session.scalars(
            select(NotificationRow)
            .where(NotificationRow.match_id == match_id)
            .order_by(NotificationRow.id)
        )
        return list(rows)


async def deliveries(sessions: Sessions, match_id: str) -> list[DeliveryRow]:
    """The deliveries of the notifications about ``match_id``."""
    async with sessions() as session:
        rows = await session.scalars(
            select(DeliveryRow)
            .join(NotificationRow, NotificationRow.id == DeliveryRow.notification_id)
            .where(NotificationRow.match_id == match_id)
            .order_by(DeliveryRow.id)
        )
        return list(rows)


async def delivery_to(sessions: Sessions, match_id: str, address: str) -> DeliveryRow | None:
    """The delivery about ``match_id`` to ``address`` (an e-mail or an organisation id)."""
    rows = await deliveries(sessions, match_id)
    return next((row for row in rows if row.address == address), None)


async def sent_to(sessions: Sessions, match_id: str, address: str) -> DeliveryRow | None:
    """That delivery once it is sent."""
    row = await delivery_to(sessions, match_id, address)
    return row if row is not None and row.status == "sent" else None


async def suggestion(sessions: Sessions, match_id: str) -> ReviewMatch | None:
    """The notifier's view of a suggestion."""
    async with sessions() as session:
        return await session.get(ReviewMatch, match_id)
