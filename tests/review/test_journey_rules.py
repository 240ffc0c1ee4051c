"""The journey's one table, pure: every kind's steps in order, each marked only by its side,
cancelling from every step before the end and never after it, repeats as no-ops; and what a
cancelled booking keeps."""

import itertools
from datetime import date, timedelta

import pytest

from services.review.bookings import Booking, kept
from services.review.journey import Party, check_step, is_end, next_steps, took_place
from services.review.rules import DecisionRefused
from shared import taxonomy

SIDES: tuple[Party, ...] = ("school", "provider")
LOAN = ["accepted", "dates_agreed", "delivered", "returned", "checked"]
ACTIVITY = ["accepted", "dates_agreed", "took_place"]


def path_of(kind: str) -> list[str]:
    return LOAN if kind == "equipment_loan" else ACTIVITY


def refusal(kind: str, now: str, marked: str, side: Party, reason: str = "") -> str:
    try:
        changed = check_step(kind, now, marked, side, reason)
    except DecisionRefused as refused:
        return refused.code
    return "changed" if changed else "repeat"


@pytest.mark.parametrize("kind", taxonomy.kinds())
def test_each_kind_goes_its_path_one_step_at_a_time(kind: str) -> None:
    path = path_of(kind)
    for now, following in itertools.pairwise(path):
        sides = [side for side in SIDES if following in next_steps(kind, now, side)]
        assert sides, (kind, now, following)
        assert refusal(kind, now, following, sides[0]) == "changed"
        for other in (side for side in SIDES if side not in sides):
            assert refusal(kind, now, following, other) == "not_your_step"
        for later in path[path.index(following) + 1 :]:
            assert refusal(kind, now, later, sides[0]) == "step_not_allowed"  # no skipping
    assert is_end(kind, path[-1]) and took_place(kind, path[-1])
    assert not any(took_place(kind, step) for step in path[:-1])


@pytest.mark.parametrize("kind", taxonomy.kinds())
def test_either_side_cancels_with_a_reason_before_the_end_and_never_after(kind: str) -> None:
    path = path_of(kind)
    for now in path[:-1]:
        for side in SIDES:
            assert "cancelled" in next_steps(kind, now, side)
            assert refusal(kind, now, "cancelled", side, "  ") == "cancel_reason_required"
            assert refusal(kind, now, "cancelled", side, "Zieke leraar") == "changed"
    assert refusal(kind, path[-1], "cancelled", "school", "Te laat") == "step_not_allowed"
    assert next_steps(kind, "cancelled", "school") == []
    assert refusal(kind, "cancelled", "dates_agreed", "school") == "step_not_allowed"
    assert is_end(kind, "cancelled") and not took_place(kind, "cancelled")


def test_a_repeat_is_no_change_and_an_unknown_step_is_refused() -> None:
    assert refusal("equipment_loan", "delivered", "delivered", "school") == "repeat"
    assert refusal("equipment_loan", "accepted", "took_place", "school") == "step_not_allowed"
    assert refusal("teacher_internship", "accepted", "delivered", "provider") == "step_not_allowed"
    assert refusal("teacher_internship", "accepted", "onbekend", "school") == "invalid_step"
    assert next_steps("equipment_loan", "delivered", None) == []  # a coordinator only watches


def test_a_cancelled_booking_keeps_the_days_before_the_cancellation() -> None:
    first = date(2030, 3, 1)
    booking = Booking(first, first + timedelta(days=30), 2)

    assert kept(booking, None) == booking
    assert kept(booking, first - timedelta(days=3)) is None  # had not begun: all freed
    assert kept(booking, first) is None
    assert kept(booking, first + timedelta(days=10)) == Booking(first, first + timedelta(days=9), 2)
    assert kept(booking, first + timedelta(days=40)) == booking  # over before it was cancelled
