"""The rotation plan against a brute-force optimum: every order of every subset of an offer's
requests accepted under the decision rule, on small random cases in time (working days and
holidays as the calendar counts them, several units, turnaround, bookings already made)."""

import itertools
from datetime import date, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.review.bookings import Booking, Stretch, in_use
from services.review.rotation import Placed, Request, plan, replay, unit_rows, value
from services.review.rules import Asked, OfferInTime
from shared.calendar import days_counter
from tests.builders import today

START = today() + timedelta(days=30)  # the calendar's holidays fall where they fall
KINDS = ("equipment_loan", "pupil_placement")


@st.composite
def offers_and_requests(draw: st.DrawFn) -> tuple[OfferInTime, list[Request]]:
    window = Stretch(START, START + timedelta(days=draw(st.integers(10, 40))))
    capacity = draw(st.integers(1, 2))
    turnaround = draw(st.integers(0, 4))
    booked = [
        Booking(window.first + timedelta(days=a), window.first + timedelta(days=a + n), 1)
        for a, n in draw(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 6)), max_size=1))
    ]
    requests = []
    for number in range(draw(st.integers(1, 5))):
        first = draw(st.integers(0, window.length - 1))
        last = draw(st.integers(first, window.length - 1))
        overlap = Stretch(window.first + timedelta(days=first), window.first + timedelta(days=last))
        days = draw(st.one_of(st.none(), st.integers(1, 8)))
        counted = days_counter(draw(st.sampled_from(KINDS)))
        score = draw(st.integers(1, 9)) / 10
        need_left = draw(st.integers(1, 3))
        requests.append(Request(f"m{number}", score, need_left, Asked(overlap, days, counted)))
    return OfferInTime(capacity, turnaround, booked), requests


def brute_force(offer: OfferInTime, requests: list[Request]) -> tuple[int, float]:
    """The best value over every order of every subset whose acceptances all book in full."""
    best = (0, 0.0)
    for size in range(1, len(requests) + 1):
        for order in itertools.permutations(requests, size):
            placed = replay(offer, order)
            if len(placed) == size:
                best = max(best, value(placed))
    return best


def _within_capacity(offer: OfferInTime, placed: list[Placed]) -> bool:
    every = [*offer.bookings, *(p.booking for p in placed)]
    if not every:
        return True
    span = Stretch(min(b.first for b in every), max(b.last for b in every) + timedelta(days=30))
    return bool((in_use(every, offer.turnaround_days, span) <= offer.capacity).all())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(offers_and_requests())
def test_the_plan_serves_as_many_needs_and_as_much_score_as_the_brute_force(
    case: tuple[OfferInTime, list[Request]],
) -> None:
    offer, requests = case

    rotation = plan(offer, requests)
    placed = rotation.placed

    assert value(placed)[0] == brute_force(offer, requests)[0]
    assert np.isclose(value(placed)[1], brute_force(offer, requests)[1])
    assert _within_capacity(offer, placed) and rotation.proven
    assert [p.booking for p in replay(offer, [p.request for p in placed])] == [
        p.booking for p in placed
    ]  # accepting the plan in its order books exactly what it shows


def _days(first: int, last: int) -> Stretch:
    return Stretch(START + timedelta(days=first), START + timedelta(days=last))


def _whole(key: str, first: int, last: int, score: float = 0.5) -> Request:
    return Request(key, score, 1, Asked(_days(first, last), None, days_counter("equipment_loan")))


def test_one_car_rotates_over_three_schools_where_taking_the_best_first_serves_two() -> None:
    # The best-scored school wants the middle of the year, overlapping both others.
    car = OfferInTime(capacity=1, turnaround_days=3, bookings=[])
    autumn, winter, spring = _whole("a", 0, 40), _whole("w", 30, 70, 0.9), _whole("s", 45, 90)

    placed = plan(car, [winter, autumn, spring]).placed

    assert [p.request.key for p in placed] == ["a", "s"]
    assert [(p.booking.first, p.booking.last) for p in placed] == [
        (_days(0, 40).first, _days(0, 40).last),
        (_days(45, 90).first, _days(45, 90).last),
    ]


def test_a_second_unit_takes_the_overlapping_school_on_its_own_row() -> None:
    cars = OfferInTime(capacity=2, turnaround_days=0, bookings=[])
    requests = [_whole("a", 0, 40), _whole("w", 30, 70), _whole("s", 45, 90)]

    placed = plan(cars, requests).placed
    rows = unit_rows([p.booking for p in placed], cars.turnaround_days)

    assert len(placed) == 3
    assert sorted(map(tuple, rows)) == [(0,), (0,), (1,)]


def test_a_need_for_some_days_moves_after_the_turnaround_of_a_booking() -> None:
    booked = Booking(START, START + timedelta(days=9), 1)
    car = OfferInTime(capacity=1, turnaround_days=5, bookings=[booked])
    ten_days = Request("d", 0.5, 1, Asked(_days(0, 60), 10, days_counter("equipment_loan")))

    (placed,) = plan(car, [ten_days]).placed

    assert placed.booking.first >= booked.last + timedelta(days=6)
    assert placed.booking.first.weekday() < 5


def test_no_request_plans_nothing() -> None:
    assert plan(OfferInTime(1, 0, []), []).placed == []
    assert unit_rows([], 0) == []


def test_unit_rows_never_give_one_unit_to_two_bookings_on_one_day() -> None:
    bookings = [
        Booking(date(2030, 1, d), date(2030, 1, d + 4), u)
        for d, u in ((1, 1), (2, 2), (6, 1), (7, 1), (9, 2))
    ]

    rows = unit_rows(bookings, 0)

    for (i, a), (j, b) in itertools.combinations(enumerate(bookings), 2):
        if a.first <= b.last and b.first <= a.last:
            assert not set(rows[i]) & set(rows[j])
    assert [len(r) for r in rows] == [b.units for b in bookings]
