"""The one calendar of Schakel, in Belgian time: working days (Monday to Friday minus the Belgian
public holidays of the ``holidays`` library), reminder due dates, and the days pupils can be
placed (working days minus the Flemish school holidays). Pure: no I/O.

Counting is vectorised over ``datetime64[D]`` arrays (the matcher counts the working days of
every pair at once) and takes single dates alike."""

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from shared.school_holidays import school_holidays

# Coordinators and schools work on Belgian time: "a working day" is a local notion.
LOCAL_TIME = ZoneInfo("Europe/Brussels")
Days = date | np.datetime64 | np.ndarray  # dates, or datetime64[D] values
_ONE_DAY = np.timedelta64(1, "D")
_DECADE = 10  # holidays are computed a decade at a time, so calendars are few and reused


def is_working_day(day: date) -> bool:
    """Monday to Friday and no public holiday."""
    return bool(np.is_busday(np.datetime64(day, "D"), busdaycal=_working(*_decades([day]))))


def working_days(first: Days, last: Days) -> np.ndarray:
    """Working days from ``first`` to ``last`` inclusive, day by day of two arrays (or single
    dates); 0 where ``last`` comes before ``first``."""
    return _count(first, last, _working)


def placement_days(first: Days, last: Days) -> np.ndarray:
    """Days a pupil can be placed from ``first`` to ``last`` inclusive: working days outside the
    Flemish school holidays; 0 where ``last`` comes before ``first``."""
    return _count(first, last, _placement)


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself for 0); a start on a weekend or
    holiday counts from the next working day."""
    if count <= 0:
        return day
    decades = _decades([day, day + timedelta(days=2 * count + 14)])
    # Rolling back to the last working day on or before ``day`` keeps "strictly after ``day``".
    due = np.busday_offset(day, count, roll="backward", busdaycal=_working(*decades))
    return date.fromisoformat(str(due))


def reminder_due_at(suggested_at: datetime, working_days: int) -> datetime:
    """When an undecided suggestion made at ``suggested_at`` earns a reminder: ``working_days``
    working days later, at the same local clock time."""
    local = suggested_at.astimezone(LOCAL_TIME)
    due_day = add_working_days(local.date(), working_days)
    return datetime.combine(due_day, local.timetz())


def _count(first: Days, last: Days, calendar: "_Calendar") -> np.ndarray:
    first, last = np.asarray(first, "datetime64[D]"), np.asarray(last, "datetime64[D]")
    if first.size == 0 or last.size == 0:
        return np.zeros(np.broadcast_shapes(first.shape, last.shape), dtype=np.int64)
    busdays = calendar(*_decades([first.min(), last.max()]))
    counted = np.busday_count(first, last + _ONE_DAY, busdaycal=busdays)
    return np.maximum(counted, 0).astype(np.int64)


def _decades(days: Iterable[date | np.datetime64]) -> tuple[int, int]:
    years = np.array(list(days), "datetime64[Y]").astype(np.int64) + 1970
    return int(years.min()) // _DECADE, int(years.max()) // _DECADE


@cache
def _working(first_decade: int, last_decade: int) -> np.busdaycalendar:
    return _busdays(_public_days(first_decade, last_decade))


@cache
def _placement(first_decade: int, last_decade: int) -> np.busdaycalendar:
    first_year, last_year = first_decade * _DECADE, (last_decade + 1) * _DECADE
    school = {
        holiday.first + timedelta(days=offset)
        for year in range(first_year - 1, last_year)  # last year's Christmas runs into January
        for holiday in school_holidays(year)
        for offset in range((holiday.last - holiday.first).days + 1)
    }
    return _busdays(_public_days(first_decade, last_decade) | school)


def _public_days(first_decade: int, last_decade: int) -> set[date]:
    years = range(first_decade * _DECADE, (last_decade + 1) * _DECADE)
    return set(holidays.country_holidays("BE", years=years))


def _busdays(closed: set[date]) -> np.busdaycalendar:
    return np.busdaycalendar(weekmask="1111100", holidays=np.array(sorted(closed), "datetime64[D]"))


_Calendar = Callable[[int, int], np.busdaycalendar]
