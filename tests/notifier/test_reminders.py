"""Reminders of undecided suggestions: a backlog of any size goes out a share at a time, each in
its own transaction, and the suggestions of a region without coordinators wait for one."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import periodic
from services.notifier.dispatcher import Dispatcher
from services.notifier.settings import NotifierSettings
from services.notifier.tables import NotificationRow
from services.review.known_postings import store_needs, store_offers
from services.review.suggestions import apply_matcher_events, mark_announced
from services.review.tables import ReviewMatch
from shared.accounts import OrganisationRow, UserRow
from shared.runtime import ServiceRuntime
from tests.builders import today
from tests.notifier import events
from tests.notifier.conftest import add_coordinator

ANTWERP = "2000"


def _long_ago(years: int) -> datetime:
    """Nine o'clock on a day ``years`` years ago: older than any suggestion other tests make."""
    return datetime.combine(today() - timedelta(days=365 * years), time(9), tzinfo=UTC)


async def _undecided(session: AsyncSession, count: int, at: datetime) -> list[str]:
    """``count`` announced suggestions for needs of Antwerp schools made at ``at``, a second
    apart, stored as the notifier stores them; their ids."""
    needs, offer = [events.need(ANTWERP) for _ in range(count)], events.offer()
    matches = [
        events.suggested(need, offer, at=at + timedelta(seconds=i)) for i, need in enumerate(needs)
    ]
    await store_needs(session, needs)
    await store_offers(session, [offer])
    await apply_matcher_events(session, matches)
    await mark_announced(session, [match.match_id for match in matches])
    return [match.match_id for match in matches]


async def _reminded(session: AsyncSession, match_ids: list[str]) -> dict[str, bool]:
    """Whether each match has a reminder notification, and its ``reminded`` mark agrees."""
    rows = await session.execute(
        select(ReviewMatch.match_id, ReviewMatch.reminded).where(
            ReviewMatch.match_id.in_(match_ids)
        )
    )
    marks = {match_id: reminded for match_id, reminded in rows.tuples()}
    reminders = set(
        await session.scalars(
            select(NotificationRow.match_id).where(
                NotificationRow.match_id.in_(match_ids), NotificationRow.type == "reminder"
            )
        )
    )
    assert all(marks[match_id] == (match_id in reminders) for match_id in match_ids)
    return {match_id: marks[match_id] for match_id in match_ids}


async def test_a_backlog_of_reminders_goes_out_a_share_at_a_time_until_none_is_left(
    notifier: ServiceRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_coordinator(notifier.sessions, "Antwerpen")
    started = _long_ago(20)
    async with notifier.sessions.begin() as session:
        backlog = await _undecided(session, 7, started)
    monkeypatch.setattr(periodic, "REMINDERS_AT_ONCE", 3)
    shares: list[int] = []
    remind = periodic.send_reminders

    async def counted(session: AsyncSession, now: datetime, working_days: int, limit: int) -> int:
        shares.append(await remind(session, now, working_days, limit))
        return shares[-1]

    monkeypatch.setattr(periodic, "send_reminders", counted)
    dispatcher = Dispatcher(notifier.sessions, NotifierSettings(reminder_working_days=3))

    await dispatcher.run_periodic(started + timedelta(days=10))

    assert shares == [3, 3, 1]  # oldest first, each share committed before the next is read
    async with notifier.sessions() as session:
        assert all((await _reminded(session, backlog)).values())
    shares.clear()
    await dispatcher.run_periodic(started + timedelta(days=11))
    assert shares == [0]  # reminded once only


async def test_only_the_suggestions_that_waited_long_enough_are_reminded(
    notifier: ServiceRuntime,
) -> None:
    await add_coordinator(notifier.sessions, "Antwerpen")
    started = _long_ago(19)
    async with notifier.sessions() as session, session.begin() as transaction:
        earlier = await _undecided(session, 2, started)
        later = await _undecided(session, 2, started + timedelta(days=7))
        due = await periodic.send_reminders(session, started + timedelta(days=8), 3, limit=10)
        assert due == 2
        reminded = await _reminded(session, earlier + later)
        await transaction.rollback()
    assert reminded == {match_id: match_id in earlier for match_id in earlier + later}


async def test_a_region_without_coordinators_is_reminded_once_it_has_one(
    notifier: ServiceRuntime,
) -> None:
    await add_coordinator(notifier.sessions, "Antwerpen")
    started = _long_ago(18)
    now = started + timedelta(days=10)
    antwerp = select(OrganisationRow.id).where(OrganisationRow.rtc_region == "Antwerpen")
    coordinators = UserRow.organisation_id.in_(antwerp.scalar_subquery())
    async with notifier.sessions() as session, session.begin() as transaction:
        waiting = await _undecided(session, 2, started)
        await session.execute(update(UserRow).where(coordinators).values(disabled=True))
        assert await periodic.send_reminders(session, now, 3) == 0
        unreminded = await _reminded(session, waiting)
        await session.execute(update(UserRow).where(coordinators).values(disabled=False))
        assert await periodic.send_reminders(session, now, 3) == 2
        reminded = await _reminded(session, waiting)
        await transaction.rollback()  # other tests' coordinators stay as they were
    assert not any(unreminded.values()) and all(reminded.values())
