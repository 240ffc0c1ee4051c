"""The one calendar of Schakel, in Belgian time: working days (Monday to Friday minus the Belgian
public holidays of the ``holidays`` library), reminder due dates, and the days pupils can be
placed (working days minus the Flemish school holidays). Pure: no I/O.

Counting is vectorised over ``datetime64[D]`` arrays (the matcher counts the working days of
every pair at once) and takes single dates alike."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays
import numpy as np

from shared.school_holidays import school_holidays

# Coordinators and schools work on Belgian time: "a working day" is a local notion.
LOCAL_TIME = ZoneInfo("Europe/Brussels")
Days = date | np.datetime64 | np.ndarray  # dates, or datetime64[D] values
PUPIL_PLACEMENT = "pupil_placement"  # the kind whose days are placement days
_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
# The years the ``holidays`` library knows; before and after, every weekday is a working day
# (no posting reaches them, and an absurd period costs no extra work).
YEARS = range(1901, 2101)
_FIRST_DAY = int(np.datetime64(f"{YEARS.start}-01-01", "D").astype(np.int64))  # a day number
PUPIL_PLACEMENT = "pupil_placement"  # the kind whose days leave out the school holidays too
_SPAN = int(np.datetime64(f"{YEARS.stop}-01-01", "D").astype(np.int64)) - _FIRST_DAY


def is_working_day(day: date) -> bool:
    """Monday to Friday and no public holiday."""
    return bool(np.is_busday(np.datetime64(day, "D"), busdaycal=_working()))


def working_days(first: Days, last: Days) -> np.ndarray:
    """Working days from ``first`` to ``last`` inclusive, day by day of two arrays (or single
    dates); 0 where ``last`` comes before ``first``."""
    return _count(first, last, _counted(_working()))


def placement_days(first: Days, last: Days) -> np.ndarray:
    """Days a pupil can be placed from ``first`` to ``last`` inclusive: working days outside the
    Flemish school holidays; 0 where ``last`` comes before ``first``."""
    return _count(first, last, _counted(_placement()))


def days_of(kind: str, first: Days, last: Days) -> np.ndarray:
    """The days a posting of ``kind`` can use from ``first`` to ``last`` inclusive: placement
    days for pupil placements, working days for every other kind (SPEC 5)."""
    counting = placement_days if kind == PUPIL_PLACEMENT else working_days
    return counting(first, last)


@lru_cache(maxsize=4096)  # a review queue page asks it of each suggestion's day
def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself for 0); a start on a weekend or
    holiday counts from the next working day."""
    if count <= 0:
        return day
    # Rolling back to the last working day on or before ``day`` keeps "strictly after ``day``".
    due = np.busday_offset(day, count, roll="backward", busdaycal=_working())
    return date.fromisoformat(str(due))


def reminder_due_at(suggested_at: datetime, working_days: int) -> datetime:
    """When an undecided suggestion made at ``suggested_at`` earns a reminder: ``working_days``
    working days later, at the same local clock time."""
    local = suggested_at.astimezone(LOCAL_TIME)
    due_day = add_working_days(local.date(), working_days)
    return datetime.combine(due_day, local.timetz())


def is_reminder_due(suggested_at: datetime | None, working_days: int, now: datetime) -> bool:
    """Whether a suggestion made at ``suggested_at`` (None: unknown) has waited its reminder
    delay at ``now``: the notifier reminds it, the review queue marks it late."""
    return suggested_at is not None and reminder_due_at(suggested_at, working_days) <= now


def _count(first: Days, last: Days, counted: np.ndarray) -> np.ndarray:
    """Open days from ``first`` to ``last`` by a table of ``_counted``: two lookups a pair."""
    start = np.asarray(first, "datetime64[D]").astype(np.int64)
    stop = np.asarray(last, "datetime64[D]").astype(np.int64) + 1
    days: np.ndarray = np.maximum(_before(stop, counted) - _before(start, counted), 0)
    return days


def _before(day: np.ndarray, counted: np.ndarray) -> np.ndarray:
    """Open days from the first day of ``YEARS`` up to ``day`` (day numbers; negative before
    it): the table inside ``YEARS``, Monday to Friday outside."""
    inside = np.clip(day - _FIRST_DAY, 0, _SPAN)
    edge = inside + _FIRST_DAY
    before: np.ndarray = counted[inside] + _weekdays_before(day) - _weekdays_before(edge)
    return before


def _weekdays_before(day: np.ndarray) -> np.ndarray:
    """Monday-to-Friday days from Monday 1969-12-29 up to ``day`` (a day number)."""
    weeks, weekday = np.divmod(day + 3, 7)  # day 0, 1970-01-01, was a Thursday
    counted: np.ndarray = 5 * weeks + np.minimum(weekday, 5)
    return counted


@cache
def _counted(busdays: np.busdaycalendar) -> np.ndarray:
    """Open days of ``busdays`` from the first day of ``YEARS`` up to each day of it."""
    days = np.arange(_FIRST_DAY, _FIRST_DAY + _SPAN).astype("datetime64[D]")
    return np.concatenate([[0], np.cumsum(np.is_busday(days, busdaycal=busdays))])


@cache
def _working() -> np.busdaycalendar:
    return _busdays(_public_days())


@cache
def _placement() -> np.busdaycalendar:
    school = {
        holiday.first + timedelta(days=offset)
        for year in YEARS
        for holiday in school_holidays(year)
        for offset in range((holiday.last - holiday.first).days + 1)
    }
    return _busdays(_public_days() | school)


def _public_days() -> set[date]:
    return set(holidays.country_holidays("BE", years=YEARS))


def _busdays(closed: set[date]) -> np.busdaycalendar:
    return np.busdaycalendar(weekmask="1111100", holidays=np.array(sorted(closed), "datetime64[D]"))


def dutch_span(first: date, last: date) -> str:
    """ "van 3 februari tot 30 juni" (with the years when the span crosses one)."""
    years = first.year != last.year
    return f"van {_dutch_day(first, years)} tot {_dutch_day(last, years)}"


def _dutch_day(day: date, year: bool) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]}" + (f" {day.year}" if year else "")


def days_counter(kind: str) -> Callable[[Days, Days], np.ndarray]:
    """How the days a need of ``kind`` asks are counted: placement days for pupil placements
    (no pupils during the school holidays), working days for every other kind."""
    return placement_days if kind == PUPIL_PLACEMENT else working_days
