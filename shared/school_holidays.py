"""The Flemish school holidays, fixed by rule (no list to keep up to date). Pure.

Flanders did not follow the French Community's reform of 2022-2023 (two-week autumn and spring
holidays, a school year from the end of August): its school year still runs from 1 September, as
the Flemish Government's orders of 17 April 1991 (basisonderwijs) and 31 August 2001, art. 7
(secundair onderwijs) fix the holidays:
- herfstvakantie: one week from the Monday of the week of 1 November (2 November when that is
  a Sunday);
- kerstvakantie: two weeks from the Monday of the week of 25 December (the Monday after when
  that is a Saturday or Sunday);
- krokusvakantie: one week from the seventh Monday before Easter;
- paasvakantie: two weeks from the first Monday of April; from the Monday after Easter when
  Easter falls in March; from the second Monday before Easter, plus Easter Monday, when Easter
  falls after 15 April;
- Hemelvaart: Ascension Day and the Friday after;
- zomervakantie: 1 July to 31 August.
"""

from datetime import date, timedelta
from typing import NamedTuple

from dateutil.easter import easter

_WEEK = timedelta(days=7)
_SATURDAY = 5


class SchoolHoliday(NamedTuple):
    """One holiday of Flemish schools, both ends included."""

    name: str
    first: date
    last: date


def school_holidays(year: int) -> tuple[SchoolHoliday, ...]:
    """The holidays that begin in ``year``, in order (the Christmas holiday runs into the next)."""
    easter_day = easter(year)
    ascension = easter_day + timedelta(days=39)
    return (
        _weeks("krokusvakantie", easter_day - timedelta(days=48), 1),
        _easter_holiday(easter_day),
        SchoolHoliday("Hemelvaart", ascension, ascension + timedelta(days=1)),
        SchoolHoliday("zomervakantie", date(year, 7, 1), date(year, 8, 31)),
        _weeks("herfstvakantie", _monday_of(date(year, 11, 1), weekend_from=6), 1),
        _weeks("kerstvakantie", _monday_of(date(year, 12, 25), weekend_from=_SATURDAY), 2),
    )


def _easter_holiday(easter_day: date) -> SchoolHoliday:
    if easter_day.month == 3:
        return _weeks("paasvakantie", easter_day + timedelta(days=1), 2)
    if easter_day > date(easter_day.year, 4, 15):
        holiday = _weeks("paasvakantie", easter_day - timedelta(days=13), 2)
        return holiday._replace(last=holiday.last + timedelta(days=1))  # Easter Monday
    return _weeks("paasvakantie", _monday_of(date(easter_day.year, 4, 7), weekend_from=7), 2)


def _monday_of(day: date, weekend_from: int) -> date:
    """The Monday of ``day``'s week, or the Monday after when ``day`` falls on or after the
    weekday ``weekend_from`` (7: never)."""
    monday = day - timedelta(days=day.weekday())
    return monday + _WEEK if day.weekday() >= weekend_from else monday


def _weeks(name: str, monday: date, weeks: int) -> SchoolHoliday:
    return SchoolHoliday(name, monday, monday + weeks * _WEEK - timedelta(days=1))
