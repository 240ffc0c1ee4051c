"""Time-driven notifications: each person's daily digest (the notifications they chose to read
once a day) and reminders on undecided matches.

Both are idempotent (one digest per person and day, one reminder per match and coordinator)
and safe to run from several instances; the dispatcher calls them, tests call them with a ``now``.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import templates
from services.notifier.coordinators import coordinators_in
from services.notifier.facts import facts_of
from services.notifier.grouping import digest_notice
from services.notifier.links import APPLICATIONS_PATH, match_link, page_link
from services.notifier.notify import Notice, notify_all, payload
from services.notifier.routing import to_coordinators
from services.notifier.schedule import digest_day
from services.notifier.tables import DeliveryRow, NotificationRow
from services.notifier.templates import Link
from services.review.announcements import undecided_since, with_postings
from shared.accounts import UserRow
from shared.calendar import is_reminder_due


async def send_digests(session: AsyncSession, now: datetime, digest_hour: int) -> int:
    """Collect the notifications waiting for a digest into one mail per person; return how many
    digests were created. Suggestions decided meanwhile are left out. Someone whose digest of the
    day went out already waits for the next one."""
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
    person = await session.scalar(
        select(UserRow).where(UserRow.email == address.lower(), ~UserRow.disabled)
    )
    suggested = [n.match_id for _, n in items if n.type == "suggestion"]
    rows = await with_postings(session, suggested) if suggested else []
    still_open = {row[0].match_id: facts_of(*row) for row in rows if row[0].status == "open"}
    news = [n for _, n in items if n.type != "suggestion"]
    if person is None or not (still_open or news):
        still_open.clear()
        news.clear()
    else:
        notice = digest_notice(
            f"user:{person.id}",
            person.name,
            address,
            f"digest:{day.isoformat()}",
            day,
            list(still_open.values()),
            [Link(n.subject, _page_of(n)) for n in news],
        )
        if not await notify_all(session, [notice]):
            return 0  # the digest of this day went out already: these wait for the next one
    listed = {id(n) for n in news}
    for delivery, notification in items:
        kept = notification.match_id in still_open or id(notification) in listed
        delivery.status = "sent" if kept else "skipped"
        delivery.sent_at = now
    return 1 if still_open or news else 0


def _page_of(notification: NotificationRow) -> str:
    """The page a digest line leads to: the applications for an organisation waiting for
    approval (the only account mail one may read in the digest), else the match."""
    if notification.type == "account":
        return page_link(APPLICATIONS_PATH)
    return match_link(notification.match_id)


async def send_reminders(session: AsyncSession, now: datetime, working_days: int) -> int:
    """Remind the region's coordinators of open suggestions undecided for ``working_days``
    working days; return how many matches were due. The coordinators of every region are read
    once and the reminders created together, however many are due."""

    def already_reminded(match_id: ColumnElement[str]) -> ColumnElement[bool]:
        return exists().where(
            NotificationRow.match_id == match_id, NotificationRow.type == "reminder"
        )

    # n working days are at least n calendar days: a cheap filter before the exact rule
    candidates = await undecided_since(
        session, now - timedelta(days=working_days), already_reminded
    )
    due = [
        (facts_of(suggestion, need, offer), need.rtc_region)
        for suggestion, need, offer in candidates
        if is_reminder_due(suggestion.suggested_at, working_days, now)
    ]
    coordinators = await coordinators_in(session, sorted({region for _, region in due}))
    notices: list[Notice] = []
    for facts, region in due:
        message, body = templates.reminder(facts, working_days), payload("reminder", facts)
        routes = to_coordinators(coordinators[region], region, "reminder")
        notices += [Notice(facts.match_id, route, message, body) for route in routes]
    await notify_all(session, notices)
    return len(due)
