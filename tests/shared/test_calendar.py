"""The one calendar: working days without Belgian public holidays, reminder due dates, the days
pupils can be placed. Pure: no broker, no database; every date relative to today."""

from datetime import UTC, date, datetime, time, timedelta

import holidays
import numpy as np
import pytest
from dateutil.easter import easter

from shared.calendar import (
    LOCAL_TIME,
    add_working_days,
    is_reminder_due,
    is_working_day,
    placement_days,
    reminder_due_at,
    working_days,
)
from shared.school_holidays import school_holidays
from tests.builders import in_days, today

YEARS_AROUND_TODAY = range(today().year - 10, today().year + 11)
PUBLIC_HOLIDAYS = holidays.country_holidays("BE", years=YEARS_AROUND_TODAY)


def next_easter_monday() -> date:
    """The first Easter Monday from tomorrow on."""
    this_year: date = easter(today().year) + timedelta(days=1)
    next_year: date = easter(today().year + 1) + timedelta(days=1)
    return this_year if this_year > today() else next_year


def counted_one_by_one(first: date, last: date) -> int:
    """Weekdays from ``first`` to ``last`` that are no Belgian public holiday, day by day."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return sum(day.weekday() < 5 and day not in PUBLIC_HOLIDAYS for day in days)


def test_working_days_are_weekdays_without_public_holidays_in_any_period() -> None:
    random = np.random.default_rng(21)
    first = np.datetime64(in_days(-3_000)) + random.integers(0, 6_000, 2_000).astype("m8[D]")
    last = first + random.integers(-30, 400, 2_000).astype("m8[D]")

    counted = working_days(first, last)

    expected = [counted_one_by_one(a.item(), b.item()) for a, b in zip(first, last, strict=True)]
    assert counted.tolist() == expected


@pytest.mark.parametrize("year", YEARS_AROUND_TODAY)
def test_no_public_holiday_is_a_working_day(year: int) -> None:
    for day in holidays.country_holidays("BE", years=year):
        assert not is_working_day(day), day
    easter_monday = easter(year) + timedelta(days=1)
    assert working_days(easter_monday - timedelta(days=3), easter_monday) == 1  # Good Friday


def test_a_period_that_ends_before_it_starts_has_no_working_days() -> None:
    assert working_days(in_days(10), in_days(9)) == 0
    assert working_days(np.array([], "M8[D]"), np.array([], "M8[D]")).shape == (0,)


def test_a_reminder_never_falls_on_easter_monday() -> None:
    easter_monday = next_easter_monday()
    maundy_thursday = easter_monday - timedelta(days=4)
    suggested_at = datetime.combine(maundy_thursday, time(10), tzinfo=LOCAL_TIME)

    due = [reminder_due_at(suggested_at, days).astimezone(LOCAL_TIME) for days in (1, 2, 3)]

    friday, tuesday = easter_monday - timedelta(days=3), easter_monday + timedelta(days=1)
    assert [moment.date() for moment in due] == [friday, tuesday, tuesday + timedelta(days=1)]
    assert all(moment.time() == time(10) for moment in due)


@pytest.mark.parametrize("count", [0, 1, 2, 3, 5, 10, 30])
def test_the_due_day_lies_count_working_days_after_any_day(count: int) -> None:
    for offset in range(0, 800, 3):
        day = in_days(offset)

        due = add_working_days(day, count)

        assert counted_one_by_one(day + timedelta(days=1), due) == count
        assert due == day or is_working_day(due)


def test_a_weekend_start_counts_from_the_next_working_day() -> None:
    saturday = in_days(-today().weekday() % 7 + 5)
    monday = saturday + timedelta(days=2)
    while not is_working_day(monday):
        saturday, monday = saturday + timedelta(weeks=1), monday + timedelta(weeks=1)

    assert add_working_days(saturday, 1) == monday


def test_the_reminder_keeps_the_local_clock_time_over_a_clock_change() -> None:
    # The last Sunday of March: Brussels moves from UTC+1 to UTC+2.
    march_31 = date(today().year + 1, 3, 31)
    change = march_31 - timedelta(days=(march_31.weekday() + 1) % 7)
    friday = change - timedelta(days=2)
    suggested_at = datetime.combine(friday, time(9), tzinfo=UTC)  # 10:00 in Brussels

    due = reminder_due_at(suggested_at, 1).astimezone(LOCAL_TIME)

    assert due.time() == time(10)
    assert due.date() == add_working_days(friday, 1)


@pytest.mark.parametrize("year", [today().year, today().year + 1])
def test_no_pupil_is_placed_in_a_school_holiday(year: int) -> None:
    for holiday in school_holidays(year):
        assert placement_days(holiday.first, holiday.last) == 0, holiday.name


def test_placement_days_are_the_working_days_outside_school_holidays() -> None:
    first, last = in_days(0), in_days(730)
    closed = {
        holiday.first + timedelta(days=n)
        for year in range(first.year - 1, last.year + 1)
        for holiday in school_holidays(year)
        for n in range((holiday.last - holiday.first).days + 1)
    }
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    open_days = [day for day in days if is_working_day(day) and day not in closed]

    starts = np.array(days[::7], "datetime64[D]")
    counted = placement_days(starts, np.datetime64(last))

    assert counted.tolist() == [sum(day >= start for day in open_days) for start in days[::7]]
    assert counted[0] < working_days(first, last)


def test_a_reminder_is_due_from_its_moment_on_and_never_without_a_suggestion_time() -> None:
    suggested_at = datetime.combine(in_days(-30), time(10), tzinfo=LOCAL_TIME)
    due = reminder_due_at(suggested_at, 3)

    assert not is_reminder_due(suggested_at, 3, due - timedelta(seconds=1))
    assert is_reminder_due(suggested_at, 3, due)
    assert not is_reminder_due(None, 3, due + timedelta(days=365))
