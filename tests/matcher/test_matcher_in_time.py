"""Matching in time: an offer whose units are booked is suggested only to needs with a free
stretch in their period, says when it is free, and comes back when the review frees the days or
the provider adds a unit."""

from dataclasses import replace
from datetime import date, timedelta

import numpy as np

from services.matcher.domain import NeedProfile, StoredState
from services.matcher.engine import Matcher
from services.matcher.in_time import free_working_days
from shared.calendar import working_days
from tests.builders import today
from tests.matcher.builders import SETTINGS, a_need, an_offer

YEAR = today().year + 1
SCHOOL_YEAR = (date(YEAR, 9, 1), date(YEAR + 1, 6, 30))
SPRING = (date(YEAR + 1, 2, 1), date(YEAR + 1, 6, 30))
WINTER = (date(YEAR + 1, 1, 4), date(YEAR + 1, 1, 29))  # booked by an autumn school
CAR = an_offer(
    "diagnose-car", kind="equipment_loan", start=SCHOOL_YEAR[0], end=SCHOOL_YEAR[1], capacity=1
)
AUTUMN = (SCHOOL_YEAR[0], date(YEAR + 1, 1, 31))
AUTUMN_LOANED = replace(CAR, capacity_left=1, in_use=((*AUTUMN, 1),))  # the car out until February


def _school(need_id: str, period: tuple[date, date], days: int | None = None) -> NeedProfile:
    first, last = period
    window = int(working_days(first, last))
    return a_need(need_id, kind="equipment_loan", start=first, end=last, days=days or window)


def _suggested(matcher: Matcher, need_id: str) -> list[str]:
    return [suggestion.offer_id for suggestion in matcher.suggestions(need_id)]


def test_a_car_booked_all_winter_is_not_suggested_for_winter_but_for_spring() -> None:
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_offers=[AUTUMN_LOANED]))

    winter = matcher.register_need(_school("winter", WINTER))
    spring = matcher.register_need(_school("spring", SPRING))

    assert winter.suggested == []
    (suggestion,) = spring.suggested
    assert suggestion.offer_id == "diagnose-car"
    assert "vrij van 1 februari tot 30 juni." in suggestion.explanation


def test_a_need_for_a_few_days_is_suggested_a_car_free_for_part_of_its_period() -> None:
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_offers=[AUTUMN_LOANED]))
    january_to_march = (WINTER[0], date(YEAR + 1, 3, 31))

    all_of_it = matcher.register_need(_school("all", january_to_march))
    ten_days = matcher.register_need(_school("ten", january_to_march, 10))

    assert all_of_it.suggested == []
    assert [s.offer_id for s in ten_days.suggested] == ["diagnose-car"]
    assert "vrij van 1 februari tot 31 maart" in ten_days.suggested[0].explanation


def test_a_revocation_that_frees_the_days_brings_the_suggestion_back() -> None:
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_offers=[AUTUMN_LOANED]))
    matcher.register_need(_school("winter", WINTER))
    assert _suggested(matcher, "winter") == []

    back = matcher.register_offer(replace(CAR, capacity_left=1, in_use=()))

    assert [(s.need_id, s.offer_id) for s in back.suggested] == [("winter", "diagnose-car")]


def test_a_loan_cancelled_midway_frees_the_rest_of_its_days_for_another_school() -> None:
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_offers=[AUTUMN_LOANED]))
    matcher.register_need(_school("winter", WINTER))
    assert _suggested(matcher, "winter") == []

    # The review keeps the days before the cancellation (1 December) booked, and says so.
    kept = ((AUTUMN[0], date(YEAR, 11, 30), 1),)
    back = matcher.register_offer(replace(CAR, capacity_left=1, in_use=kept))

    assert [(s.need_id, s.offer_id) for s in back.suggested] == [("winter", "diagnose-car")]


def test_a_second_car_makes_the_booked_days_free_again() -> None:
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_offers=[AUTUMN_LOANED]))
    matcher.register_need(_school("winter", WINTER))
    assert _suggested(matcher, "winter") == []

    back = matcher.register_offer(replace(AUTUMN_LOANED, capacity=2, capacity_left=2))

    assert [(s.need_id, s.offer_id) for s in back.suggested] == [("winter", "diagnose-car")]
    assert "vrij" not in back.suggested[0].explanation  # one car is free all along


def test_an_acceptance_that_books_the_days_withdraws_the_overlapping_suggestion() -> None:
    matcher = Matcher(SETTINGS)
    matcher.load(StoredState(open_offers=[replace(CAR, capacity_left=1)]))
    matcher.register_need(_school("winter", WINTER))
    matcher.register_need(_school("spring", SPRING))
    assert _suggested(matcher, "winter") == _suggested(matcher, "spring") == ["diagnose-car"]

    booked = matcher.register_offer(AUTUMN_LOANED)

    assert [(w.need_id, w.offer_id) for w in booked.withdrawn] == [("winter", "diagnose-car")]
    assert _suggested(matcher, "spring") == ["diagnose-car"]


def test_free_working_days_are_those_of_the_best_single_stretch() -> None:
    monday = date(YEAR, 3, 1) + timedelta(days=-date(YEAR, 3, 1).weekday() % 7)
    first = np.array([monday, monday], dtype="datetime64[D]")
    last = first + 27  # four weeks
    out = (monday + timedelta(days=5), monday + timedelta(days=13))  # the middle days
    free = ((monday, out[0] - timedelta(days=1)), (out[1] + timedelta(days=1), last[0].item()))

    offers = [(((*out, 2),), 2), (((*out, 1),), 2)]
    held = free_working_days(offers, np.array([0, 1]), first, last)

    assert held[0] == max(working_days(*free[0]), working_days(*free[1]))
    assert held[1] == working_days(first[1], last[1])  # one of two cars is still free
