"""Time-driven notifications: the coordinators' daily digest and reminders on undecided matches.

Both are idempotent (one digest per coordinator and day, one reminder per match and coordinator)
and safe to run from several instances; the dispatcher calls them, tests call them with a ``now``.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import templates
from services.notifier.coordinators import coordinators_of
from services.notifier.facts import facts_of
from services.notifier.grouping import digest_notice
from services.notifier.notify import notify, notify_all, payload
from services.notifier.routing import to_coordinators
from services.notifier.schedule import digest_day
from services.notifier.tables import DeliveryRow, NotificationRow
from services.review.announcements import undecided_since, with_postings
from shared.accounts import UserRow
from shared.calendar import is_reminder_due


async def send_digests(session: AsyncSession, now: datetime, digest_hour: int) -> int:
    """Collect suggestions waiting for a digest into one mail per coordinator; return how many
    digests were created. A coordinator whose digest of the day went out already waits for the
    next one."""
    day = digest_day(now, digest_hour)
    waiting = await session.execute(
        select(DeliveryRow, NotificationRow)
        .join(NotificationRow, NotificationRow.id == DeliveryRow.notification_id)
        .where(DeliveryRow.channel == "digest", DeliveryRow.status == "pending")
        .order_by(DeliveryRow.id)
        .with_for_update(of=DeliveryRow, skip_locked=True)
    )
    by_address: dict[str, list[tuple[DeliveryRow, NotificationRow]]] = defaultdict(list)
    for delivery, notification in waiting.tuples():
        by_address[delivery.address].append((delivery, notification))
    created = 0
    for address, items in by_address.items():
        created += await _digest(session, day, now, address, items)
    return created


async def _digest(
    session: AsyncSession,
    day: date,
    now: datetime,
    address: str,
    items: list[tuple[DeliveryRow, NotificationRow]],
) -> int:
    coordinator = await session.scalar(
        select(UserRow).where(UserRow.email == address, UserRow.role == "coordinator")
    )
    rows = await with_postings(session, [n.match_id for _, n in items])
    still_open = {row[0].match_id: facts_of(*row) for row in rows if row[0].status == "open"}
    if coordinator is None or not still_open:
        still_open.clear()
    else:
        recipient, key = items[0][1].recipient, f"digest:{day.isoformat()}"
        notice = digest_notice(
            recipient, coordinator.name, address, key, day, list(still_open.values())
        )
        if not await notify_all(session, [notice]):
            return 0  # the digest of this day went out already: these wait for the next one
    for delivery, notification in items:
        delivery.status = "sent" if notification.match_id in still_open else "skipped"
        delivery.sent_at = now
    return 1 if still_open else 0


async def send_reminders(session: AsyncSession, now: datetime, working_days: int) -> int:
    """Remind the region's coordinators of open suggestions undecided for ``working_days``
    working days; return how many matches were due."""

    def already_reminded(match_id: ColumnElement[str]) -> ColumnElement[bool]:
        return exists().where(
            NotificationRow.match_id == match_id, NotificationRow.type == "reminder"
        )

    # n working days are at least n calendar days: a cheap filter before the exact rule
    candidates = await undecided_since(
        session, now - timedelta(days=working_days), already_reminded
    )
    due = 0
    for suggestion, need, offer in candidates:
        if not is_reminder_due(suggestion.suggested_at, working_days, now):
            continue
        facts = facts_of(suggestion, need, offer)
        message = templates.reminder(facts, working_days)
        coordinators = await coordinators_of(session, need.rtc_region)
        for route in to_coordinators(coordinators, need.rtc_region, "reminder"):
            await notify(session, facts.match_id, route, message, payload("reminder", facts))
        due += 1
    return due
