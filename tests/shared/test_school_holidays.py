"""The Flemish school holidays by rule, against the dates the schools published. Pure.

Published dates are fixed by nature: they are the school years the rule must reproduce (from the
school calendars the schools publish, e.g. onderwijs.vlaanderen.be and the schools' own pages)."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from dateutil.easter import easter

from shared.school_holidays import SchoolHoliday, school_holidays
from tests.builders import today

Published = dict[str, tuple[date, date]]

PUBLISHED: dict[int, Published] = {
    2018: {  # Easter after 15 April: from the second Monday before Easter, plus Easter Monday
        "herfstvakantie": (date(2018, 10, 29), date(2018, 11, 4)),
        "kerstvakantie": (date(2018, 12, 24), date(2019, 1, 6)),
        "krokusvakantie": (date(2019, 3, 4), date(2019, 3, 10)),
        "paasvakantie": (date(2019, 4, 8), date(2019, 4, 22)),
        "Hemelvaart": (date(2019, 5, 30), date(2019, 5, 31)),
    },
    2020: {  # 1 November a Sunday (the week Covid-19 measures added that year was no rule)
        "herfstvakantie": (date(2020, 11, 2), date(2020, 11, 8)),
        "kerstvakantie": (date(2020, 12, 21), date(2021, 1, 3)),
        "krokusvakantie": (date(2021, 2, 15), date(2021, 2, 21)),
        "paasvakantie": (date(2021, 4, 5), date(2021, 4, 18)),
    },
    2021: {  # Christmas a Saturday: from the Monday after
        "herfstvakantie": (date(2021, 11, 1), date(2021, 11, 7)),
        "kerstvakantie": (date(2021, 12, 27), date(2022, 1, 9)),
        "krokusvakantie": (date(2022, 2, 28), date(2022, 3, 6)),
        "paasvakantie": (date(2022, 4, 4), date(2022, 4, 18)),
    },
    2023: {  # Easter in March: from the Monday after Easter
        "krokusvakantie": (date(2024, 2, 12), date(2024, 2, 18)),
        "paasvakantie": (date(2024, 4, 1), date(2024, 4, 14)),
        "Hemelvaart": (date(2024, 5, 9), date(2024, 5, 10)),
    },
    2024: {
        "herfstvakantie": (date(2024, 10, 28), date(2024, 11, 3)),
        "kerstvakantie": (date(2024, 12, 23), date(2025, 1, 5)),
        "krokusvakantie": (date(2025, 3, 3), date(2025, 3, 9)),
        "paasvakantie": (date(2025, 4, 7), date(2025, 4, 21)),
        "zomervakantie": (date(2025, 7, 1), date(2025, 8, 31)),
    },
    2025: {
        "herfstvakantie": (date(2025, 10, 27), date(2025, 11, 2)),
        "kerstvakantie": (date(2025, 12, 22), date(2026, 1, 4)),
        "krokusvakantie": (date(2026, 2, 16), date(2026, 2, 22)),
        "paasvakantie": (date(2026, 4, 6), date(2026, 4, 19)),
        "Hemelvaart": (date(2026, 5, 14), date(2026, 5, 15)),
        "zomervakantie": (date(2026, 7, 1), date(2026, 8, 31)),
    },
}
YEARS_AROUND_TODAY = range(today().year - 30, today().year + 30)


def school_year(first_year: int) -> dict[str, SchoolHoliday]:
    """The holidays of the school year from 1 September of ``first_year``, by name."""
    autumn_and_christmas = school_holidays(first_year)[-2:]
    rest = school_holidays(first_year + 1)[:-2]
    return {holiday.name: holiday for holiday in (*autumn_and_christmas, *rest)}


@pytest.mark.parametrize("first_year", sorted(PUBLISHED))
def test_the_rule_gives_the_published_holidays_of_the_school_year(first_year: int) -> None:
    holidays = school_year(first_year)
    for name, (first, last) in PUBLISHED[first_year].items():
        assert (holidays[name].first, holidays[name].last) == (first, last), name


@pytest.mark.parametrize("year", YEARS_AROUND_TODAY)
def test_every_week_holiday_starts_on_a_monday_and_holds_its_feast(year: int) -> None:
    holidays = {holiday.name: holiday for holiday in school_holidays(year)}
    easter_day = easter(year)
    for name in ("krokusvakantie", "paasvakantie", "herfstvakantie", "kerstvakantie"):
        assert holidays[name].first.weekday() == 0, name
    assert _days(holidays["krokusvakantie"]) == 7
    assert _days(holidays["herfstvakantie"]) == 7
    assert _days(holidays["kerstvakantie"]) == 14
    assert _days(holidays["paasvakantie"]) == (15 if easter_day > date(year, 4, 15) else 14)
    # Easter Monday is free: inside the Easter holiday or the day right after it.
    easter_monday = easter_day + timedelta(days=1)
    assert holidays["paasvakantie"].first <= easter_monday
    assert easter_monday <= holidays["paasvakantie"].last + timedelta(days=1)
    assert holidays["krokusvakantie"].first == easter_day - timedelta(weeks=7, days=-1)
    assert date(year, 11, 1) <= holidays["herfstvakantie"].last
    assert holidays["herfstvakantie"].first <= date(year, 11, 2)
    assert holidays["kerstvakantie"].first <= date(year, 12, 27)
    assert date(year, 12, 25) <= holidays["kerstvakantie"].last


@pytest.mark.parametrize("year", YEARS_AROUND_TODAY)
def test_the_school_year_runs_from_september_to_june(year: int) -> None:
    holidays = school_year(year)
    assert holidays["zomervakantie"] == (
        "zomervakantie",
        date(year + 1, 7, 1),
        date(year + 1, 8, 31),
    )
    inside = sorted(holidays.values(), key=lambda holiday: holiday.first)
    assert inside[0].first > date(year, 9, 1)
    assert all(a.last < b.first for a, b in pairwise(inside))


def _days(holiday: SchoolHoliday) -> int:
    return (holiday.last - holiday.first).days + 1
