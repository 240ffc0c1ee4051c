"""Working days, the digest hour and retry backoff."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from services.notifier.schedule import digest_day, retry_delay
from shared.calendar import add_working_days, reminder_due_at
from tests.builders import today

# A Monday in the coming January: winter time in Brussels (UTC+1); JULY is summer time (UTC+2).
_JANUARY_11 = date(today().year + 1, 1, 11)
MONDAY = _JANUARY_11 + timedelta(days=-_JANUARY_11.weekday() % 7)
JULY_20 = date(MONDAY.year, 7, 20)


def day(offset: int) -> date:
    """The day ``offset`` days after MONDAY."""
    return MONDAY + timedelta(days=offset)


def at(offset: int, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` UTC on the day ``offset`` days after MONDAY."""
    return datetime.combine(day(offset), time(hour, minute), tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (MONDAY, 0, MONDAY),
        (MONDAY, 1, day(1)),
        (MONDAY, 4, day(4)),  # Friday
        (MONDAY, 5, day(7)),  # over the weekend to Monday
        (day(4), 1, day(7)),  # Friday + 1 = Monday
        (day(5), 1, day(7)),  # Saturday + 1 = Monday
        (day(6), 2, day(8)),  # Sunday + 2 = Tuesday
        (MONDAY, 10, day(14)),  # two whole weeks
    ],
)
def test_add_working_days_skips_weekends(start: date, count: int, expected: date) -> None:
    assert add_working_days(start, count) == expected


def test_reminder_is_due_after_working_days_at_the_same_local_time() -> None:
    # Thursday 10:00 in Brussels (09:00 UTC in winter); 3 working days later is Tuesday 10:00.
    suggested_at = at(3, 9)
    due = reminder_due_at(suggested_at, 3)
    assert due.astimezone(UTC) == at(8, 9)


def test_digest_day_switches_at_the_local_digest_hour() -> None:
    # 05:59 UTC is 06:59 in Brussels: the latest digest due is yesterday's; 06:00 UTC is 07:00.
    assert digest_day(at(2, 5, 59), 7) == day(1)
    assert digest_day(at(2, 6), 7) == day(2)
    # 23:30 UTC is 00:30 the next day in Brussels, before its digest hour.
    assert digest_day(at(2, 23, 30), 7) == day(2)
    summer_morning = datetime.combine(JULY_20, time(5), tzinfo=UTC)  # 07:00 in Brussels
    assert digest_day(summer_morning, 7) == JULY_20


def test_retry_delay_doubles_up_to_the_cap() -> None:
    delays = [retry_delay(attempts, 30, 600) for attempts in range(1, 8)]
    assert delays[:5] == [timedelta(seconds=s) for s in (30, 60, 120, 240, 480)]
    assert delays[5:] == [timedelta(seconds=600)] * 2
    assert retry_delay(10_000, 30, 600) == timedelta(seconds=600)
