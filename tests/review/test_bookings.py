"""Capacity in time, checked day by day: what the bookings module says against a brute-force model
that walks every day of the calendar."""

from datetime import date, timedelta
from itertools import pairwise
from typing import NamedTuple

from hypothesis import given, settings
from hypothesis import strategies as st

from services.review.bookings import (
    Booking,
    Stretch,
    earliest_stretch,
    free_stretches,
    freest_day_use,
    units_free,
    use_runs,
)
from services.review.rules import Asked, OfferInTime, book_units
from shared.calendar import is_working_day, placement_days, working_days

TODAY = date.today()
DAY = timedelta(days=1)


def _days(stretch: Stretch) -> list[date]:
    return [stretch.first + offset * DAY for offset in range(stretch.length)]


def _use_on(bookings: list[Booking], turnaround: int, day: date) -> int:
    """The model: a booking holds its units from its first day to its last plus the turnaround."""
    return sum(b.units for b in bookings if b.first <= day <= b.last + turnaround * DAY)


def _fits(capacity: int, bookings: list[Booking], turnaround: int, asked: Booking) -> bool:
    held = _days(Stretch(asked.first, asked.last + turnaround * DAY))
    return all(_use_on(bookings, turnaround, day) + asked.units <= capacity for day in held)


def _is_counted(day: date, placement: bool) -> bool:
    return bool(placement_days(day, day)) if placement else is_working_day(day)


def _model_earliest(
    capacity: int,
    bookings: list[Booking],
    turnaround: int,
    window: Stretch,
    days: int,
    units: int,
    placement: bool,
) -> Stretch | None:
    """Try every counted start day in order, walk until ``days`` counted days are held."""
    for start in _days(window):
        if not _is_counted(start, placement):
            continue
        day, counted = start, 0
        while day <= window.last:
            counted += _is_counted(day, placement)
            if counted == days:
                break
            day += DAY
        if counted < days:
            return None
        if _fits(capacity, bookings, turnaround, Booking(start, day, units)):
            return Stretch(start, day)
    return None


@st.composite
def _bookings(draw: st.DrawFn) -> list[Booking]:
    found = []
    for _ in range(draw(st.integers(0, 5))):
        first = TODAY + draw(st.integers(-10, 80)) * DAY
        found.append(
            Booking(first, first + draw(st.integers(0, 40)) * DAY, draw(st.integers(1, 3)))
        )
    return found


@st.composite
def _windows(draw: st.DrawFn) -> Stretch:
    first = TODAY + draw(st.integers(-5, 60)) * DAY
    return Stretch(first, first + draw(st.integers(0, 60)) * DAY)


CAPACITY = st.integers(1, 5)
TURNAROUND = st.integers(0, 10)


@settings(max_examples=300, deadline=None)
@given(CAPACITY, _bookings(), TURNAROUND, _windows(), st.integers(1, 4))
def test_units_free_is_what_every_held_day_has_left(
    capacity: int, bookings: list[Booking], turnaround: int, window: Stretch, units: int
) -> None:
    free = units_free(capacity, bookings, turnaround, window)
    asked = Booking(window.first, window.last, units)
    assert (free >= units) == _fits(capacity, bookings, turnaround, asked)


@settings(max_examples=300, deadline=None)
@given(_bookings(), TURNAROUND, _windows())
def test_the_freest_day_is_the_least_used_day_of_the_window(
    bookings: list[Booking], turnaround: int, window: Stretch
) -> None:
    least = min(_use_on(bookings, turnaround, day) for day in _days(window))
    assert freest_day_use(bookings, turnaround, window) == least


@settings(max_examples=300, deadline=None)
@given(_bookings(), TURNAROUND)
def test_the_runs_in_use_tell_every_day_s_units(bookings: list[Booking], turnaround: int) -> None:
    runs = use_runs(bookings, turnaround)
    said = {day: units for stretch, units in runs for day in _days(stretch)}
    every = {
        b.first + n * DAY for b in bookings for n in range((b.last - b.first).days + turnaround + 1)
    }
    assert said == {day: _use_on(bookings, turnaround, day) for day in sorted(every)}
    assert all(a.last < b.first for (a, _), (b, _) in pairwise(runs))


@settings(max_examples=300, deadline=None)
@given(CAPACITY, _bookings(), TURNAROUND, _windows())
def test_the_free_stretches_are_exactly_the_days_with_a_unit_left(
    capacity: int, bookings: list[Booking], turnaround: int, window: Stretch
) -> None:
    stretches = free_stretches(capacity, bookings, turnaround, window)
    free = [day for stretch in stretches for day in _days(stretch)]
    assert free == [d for d in _days(window) if _use_on(bookings, turnaround, d) < capacity]
    gaps = [(a.last, b.first) for a, b in pairwise(stretches)]
    assert all((second - first).days > 1 for first, second in gaps)  # maximal stretches


class _Offer(NamedTuple):
    capacity: int
    bookings: list[Booking]
    turnaround: int


@settings(max_examples=300, deadline=None)
@given(
    st.builds(_Offer, CAPACITY, _bookings(), TURNAROUND),
    _windows(),
    st.integers(1, 30),
    st.integers(1, 3),
    st.booleans(),
)
def test_the_earliest_stretch_is_the_first_counted_start_that_fits(
    offer: _Offer, window: Stretch, days: int, units: int, placement: bool
) -> None:
    counted = placement_days if placement else working_days
    found = earliest_stretch(*offer, window, days, units, counted)
    assert found == _model_earliest(*offer, window, days, units, placement)


@settings(max_examples=200, deadline=None)
@given(
    CAPACITY, _bookings(), TURNAROUND, _windows(), st.none() | st.integers(1, 30), st.integers(0, 6)
)
def test_an_acceptance_never_overbooks_a_day_and_takes_as_much_as_fits(
    capacity: int,
    bookings: list[Booking],
    turnaround: int,
    window: Stretch,
    days: int | None,
    need_left: int,
) -> None:
    booking = book_units(
        need_left, OfferInTime(capacity, turnaround, bookings), Asked(window, days, working_days)
    )
    if booking is None:  # not one unit fits anywhere it could be booked
        if days is None or not working_days(window.first, window.last):
            assert not _fits(capacity, bookings, turnaround, Booking(window.first, window.last, 1))
        else:
            wanted = min(days, int(working_days(window.first, window.last)))
            assert _model_earliest(capacity, bookings, turnaround, window, wanted, 1, False) is None
        return
    assert window.first <= booking.first <= booking.last <= window.last
    assert 1 <= booking.units <= max(1, need_left)
    assert _fits(capacity, bookings, turnaround, booking)
    if booking.units < max(1, need_left):  # one more unit fits nowhere
        more = booking.units + 1
        if days is None:
            assert not _fits(
                capacity, bookings, turnaround, Booking(booking.first, booking.last, more)
            )
        else:
            wanted = min(days, int(working_days(window.first, window.last)))
            assert (
                _model_earliest(capacity, bookings, turnaround, window, wanted, more, False) is None
            )


def test_a_car_lent_in_autumn_is_free_for_a_school_in_spring() -> None:
    year = TODAY.year + 1
    autumn = Booking(date(year, 9, 1), date(year + 1, 1, 31), 1)
    offer = OfferInTime(capacity=1, turnaround_days=0, bookings=[autumn])
    spring = Stretch(date(year + 1, 2, 1), date(year + 1, 6, 30))
    overlapping = Stretch(date(year + 1, 1, 15), date(year + 1, 6, 30))

    assert book_units(1, offer, Asked(spring, None, working_days)) == Booking(
        spring.first, spring.last, 1
    )
    assert book_units(1, offer, Asked(overlapping, None, working_days)) is None


def test_a_need_for_some_days_gets_the_earliest_free_working_days() -> None:
    monday = TODAY + (7 - TODAY.weekday()) * DAY + 14 * DAY
    taken = Booking(monday, monday + 4 * DAY, 1)  # the first week
    offer = OfferInTime(capacity=1, turnaround_days=2, bookings=[taken])
    window = Stretch(monday, monday + 60 * DAY)

    booking = book_units(1, offer, Asked(window, 3, working_days))

    assert booking is not None
    # Friday's loan comes back on Saturday, stays out until Sunday: Monday is the first free day.
    assert booking.first >= monday + 7 * DAY
    assert working_days(booking.first, booking.last) == 3
