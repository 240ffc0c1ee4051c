"""Creating notifications in bulk: a burst bigger than one statement can carry is stored whole."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.notify import Notice, notify_all
from services.notifier.routing import Delivery, Route
from services.notifier.tables import DeliveryRow, NotificationRow
from services.notifier.templates import Message
from shared.db import MAX_PARAMETERS
from tests.notifier.builders import unique


def _notices(match_id: str, count: int) -> list[Notice]:
    message = Message("Nieuwe suggestie", "tekst", "<p>tekst</p>")
    return [
        Notice(
            match_id,
            # Recipients no real inbox has, should another test read the table meanwhile.
            Route(
                f"burst:{match_id[-8:]}:{n}", "suggestion", (Delivery("email", f"c{n}@x.example"),)
            ),
            message,
            {"type": "suggestion", "match_id": match_id},
        )
        for n in range(count)
    ]


async def test_a_burst_of_more_notifications_than_one_statement_carries_is_stored_whole(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # A region with many coordinators and a burst of suggestions: more rows than the 32,767
    # parameters one INSERT may carry, for the notifications and for their deliveries.
    match_id, count = unique("burst"), MAX_PARAMETERS // 5 + 100
    async with sessions() as session, session.begin() as transaction:
        created = await notify_all(session, _notices(match_id, count))
        again = await notify_all(session, _notices(match_id, count))  # a redelivery adds nothing
        stored = await session.scalar(
            select(func.count()).where(NotificationRow.match_id == match_id)
        )
        deliveries = await session.scalar(
            select(func.count())
            .select_from(DeliveryRow)
            .join(NotificationRow, NotificationRow.id == DeliveryRow.notification_id)
            .where(NotificationRow.match_id == match_id)
        )
        # Rolled back: the dispatcher must not send thousands of mails other tests wait behind.
        await transaction.rollback()
    assert (len(created), stored, deliveries, again) == (count, count, count, {})
