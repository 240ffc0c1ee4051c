"""Time-driven notifications: each person's daily digest (the notifications they chose to read
once a day) and reminders on undecided matches.

Both are idempotent (one digest per person and day, one reminder per match and coordinator)
and safe to run from several instances; the dispatcher calls them, tests call them with a ``now``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import templates
from services.notifier.coordinators import every_coordinator
from services.notifier.facts import facts_of
from services.notifier.grouping import digest_notice
from services.notifier.links import APPLICATIONS_PATH, match_link, page_link
from services.notifier.notify import Notice, notify_all, payload
from services.notifier.routing import to_coordinators
from services.notifier.schedule import digest_day, next_digest_at
from services.notifier.tables import DeliveryRow, NotificationRow
from services.notifier.templates import Link, MatchFacts
from services.review.announcements import to_remind, with_postings
from services.review.suggestions import mark_reminded
from shared.accounts import UserRow
from shared.calendar import is_reminder_due
from shared.db import one_of

# Reminders created in one transaction: a backlog of thousands goes out in shares this size, so
# the service's loop (its Kafka heartbeats among others) is never held long.
REMINDERS_AT_ONCE = 200
# A digest delivery waiting, with its notification.
Waiting = tuple[DeliveryRow, NotificationRow]


@dataclass(frozen=True, slots=True)
class _Digest:
    """One person's digest (``None``: nothing to send) and the notifications it lists."""

    notice: Notice | None
    listed: set[int]  # ``id()`` of the notifications listed


async def send_digests(session: AsyncSession, now: datetime, digest_hour: int) -> int:
    """Collect the notifications waiting for a digest into one mail per person; return how many
    digests were created. Suggestions decided meanwhile are left out. Someone whose digest of the
    day went out already waits for the next one: their notifications are not read again before
    it is due. The people, the suggestions and the digests are each read or written once for
    everyone."""
    day = digest_day(now, digest_hour)
    waiting = await session.execute(
        select(DeliveryRow, NotificationRow)
        .join(NotificationRow, NotificationRow.id == DeliveryRow.notification_id)
        .where(
            DeliveryRow.status == "pending",
            DeliveryRow.next_attempt_at <= now,
            DeliveryRow.channel == "digest",
        )
        .order_by(DeliveryRow.id)
        .with_for_update(of=DeliveryRow, skip_locked=True)
    )
    by_address: dict[str, list[Waiting]] = defaultdict(list)
    for delivery, notification in waiting.tuples():
        by_address[delivery.address].append((delivery, notification))
    if not by_address:
        return 0
    people = await _people(session, list(by_address))
    still_open = await _open_suggestions(session, by_address.values())
    digests = {
        address: _digest(day, address, items, people.get(address.lower()), still_open)
        for address, items in by_address.items()
    }
    created = await notify_all(session, [d.notice for d in digests.values() if d.notice])
    sent: set[tuple[str, str, str]] = set()
    for address, items in by_address.items():
        digest = digests[address]
        if digest.notice is not None:
            if digest.notice.key not in created or digest.notice.key in sent:
                # the digest of this day went out already: these wait for the next one
                _postpone(items, next_digest_at(now, digest_hour))
                continue
            sent.add(digest.notice.key)
        _close(items, digest.listed, now)
    return len(created)


def _postpone(items: list[Waiting], until: datetime) -> None:
    """Leave the deliveries of a person's digest for the digest due at ``until``."""
    for delivery, _ in items:
        delivery.next_attempt_at = until


def _close(items: list[Waiting], listed: set[int], now: datetime) -> None:
    """Mark the deliveries of a person's digest sent (listed) or skipped (left out)."""
    for delivery, notification in items:
        delivery.status = "sent" if id(notification) in listed else "skipped"
        delivery.sent_at = now


async def _people(session: AsyncSession, addresses: list[str]) -> dict[str, UserRow]:
    """The users (not disabled) of the addresses, by address, in one query."""
    rows = await session.scalars(
        select(UserRow).where(
            one_of(UserRow.email, [address.lower() for address in addresses]), ~UserRow.disabled
        )
    )
    return {row.email: row for row in rows}


async def _open_suggestions(
    session: AsyncSession, waiting: Iterable[list[Waiting]]
) -> dict[str, MatchFacts]:
    """The facts of the waiting suggestions still open, oldest suggestion first, in one query."""
    suggested = [n.match_id for items in waiting for _, n in items if n.type == "suggestion"]
    rows = await with_postings(session, suggested) if suggested else []
    return {row[0].match_id: facts_of(*row) for row in rows if row[0].status == "open"}


def _digest(
    day: date,
    address: str,
    items: list[Waiting],
    person: UserRow | None,
    still_open: dict[str, MatchFacts],
) -> _Digest:
    if person is None:
        return _Digest(None, set())
    mine = {n.match_id for _, n in items if n.type == "suggestion"}
    suggestions = [facts for match_id, facts in still_open.items() if match_id in mine]
    news = [n for _, n in items if n.type != "suggestion"]
    if not (suggestions or news):
        return _Digest(None, set())
    notice = digest_notice(
        f"user:{person.id}",
        person.name,
        address,
        f"digest:{day.isoformat()}",
        day,
        suggestions,
        [Link(n.subject, _page_of(n)) for n in news],
    )
    listed = {id(n) for _, n in items if n.type != "suggestion" or n.match_id in still_open}
    return _Digest(notice, listed)


def _page_of(notification: NotificationRow) -> str:
    """The page a digest line leads to: the applications for an organisation waiting for
    approval (the only account mail one may read in the digest), else the match."""
    if notification.type == "account":
        return page_link(APPLICATIONS_PATH)
    return match_link(notification.match_id)


async def send_reminders(
    session: AsyncSession, now: datetime, working_days: int, limit: int = REMINDERS_AT_ONCE
) -> int:
    """Remind the region's coordinators of the oldest ``limit`` open suggestions undecided for
    ``working_days`` working days that no one was reminded of; return how many were due. Call
    again, in a new transaction, while that is ``limit``: a backlog goes out a share at a time,
    each read, written and committed on its own. A region without coordinators waits for one."""
    coordinators = await every_coordinator(session)
    # n working days are at least n calendar days: a cheap filter before the exact rule
    candidates = await to_remind(
        session, now - timedelta(days=working_days), sorted(coordinators), limit
    )
    due = [
        (facts_of(suggestion, need, offer), need.rtc_region)
        for suggestion, need, offer in candidates
        if is_reminder_due(suggestion.suggested_at, working_days, now)
    ]
    notices: list[Notice] = []
    for facts, region in due:
        message, body = templates.reminder(facts, working_days), payload("reminder", facts)
        routes = to_coordinators(coordinators[region], region, "reminder")
        notices += [Notice(facts.match_id, route, message, body) for route in routes]
    await notify_all(session, notices)
    await mark_reminded(session, [facts.match_id for facts, _ in due])
    return len(due)
