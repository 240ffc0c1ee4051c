"""Working days, the digest hour and retry backoff."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services.notifier.schedule import (
    add_working_days,
    digest_day,
    reminder_due_at,
    retry_delay,
)

# 2027-01-18 is a Monday.
MONDAY = date(2027, 1, 18)


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (MONDAY, 0, MONDAY),
        (MONDAY, 1, date(2027, 1, 19)),
        (MONDAY, 4, date(2027, 1, 22)),  # Friday
        (MONDAY, 5, date(2027, 1, 25)),  # over the weekend to Monday
        (date(2027, 1, 22), 1, date(2027, 1, 25)),  # Friday + 1 = Monday
        (date(2027, 1, 23), 1, date(2027, 1, 25)),  # Saturday + 1 = Monday
        (date(2027, 1, 24), 2, date(2027, 1, 26)),  # Sunday + 2 = Tuesday
        (MONDAY, 10, date(2027, 2, 1)),  # two whole weeks
    ],
)
def test_add_working_days_skips_weekends(start: date, count: int, expected: date) -> None:
    assert add_working_days(start, count) == expected


def test_reminder_is_due_after_working_days_at_the_same_local_time() -> None:
    # Thursday 10:00 in Brussels (09:00 UTC in winter); 3 working days later is Tuesday 10:00.
    suggested_at = datetime(2027, 1, 21, 9, 0, tzinfo=UTC)
    due = reminder_due_at(suggested_at, 3)
    assert due.astimezone(UTC) == datetime(2027, 1, 26, 9, 0, tzinfo=UTC)


def test_digest_day_switches_at_the_local_digest_hour() -> None:
    # 05:59 UTC is 06:59 in Brussels: the latest digest due is yesterday's; 06:00 UTC is 07:00.
    assert digest_day(datetime(2027, 1, 20, 5, 59, tzinfo=UTC), 7) == date(2027, 1, 19)
    assert digest_day(datetime(2027, 1, 20, 6, 0, tzinfo=UTC), 7) == date(2027, 1, 20)
    # 23:30 UTC is 00:30 the next day in Brussels, before its digest hour.
    assert digest_day(datetime(2027, 1, 20, 23, 30, tzinfo=UTC), 7) == date(2027, 1, 20)
    assert digest_day(datetime(2027, 7, 20, 5, 0, tzinfo=UTC), 7) == date(2027, 7, 20)  # summer


def test_retry_delay_doubles_up_to_the_cap() -> None:
    delays = [retry_delay(attempts, 30, 600) for attempts in range(1, 8)]
    assert delays[:5] == [timedelta(seconds=s) for s in (30, 60, 120, 240, 480)]
    assert delays[5:] == [timedelta(seconds=600)] * 2
    assert retry_delay(10_000, 30, 600) == timedelta(seconds=600)
