"""Decision rules: when a decision or revocation is refused, what an acceptance takes. Pure.

The refusals also name those of the journey after acceptance (``services.review.journey``)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from services.review.bookings import (
    Booking,
    DayCounter,
    Stretch,
    earliest_stretch,
    stretches,
    units_free,
)
from shared.contracts.matches import ReasonCode

Decision = Literal["accepted", "rejected"]
RefusalCode = Literal[
    "unknown_match",
    "not_a_reviewer",
    "invalid_decision",
    "withdrawn",
    "already_decided",
    "reason_code_required",
    "offer_fully_booked",
    "no_common_period",
    "need_fulfilled",
    "posting_closed",
    "not_accepted",
    "cancelled",
    "reason_required",
    "invalid_step",
    "step_not_allowed",
    "not_your_step",
    "cancel_reason_required",
    "not_rateable",
    "invalid_rating",
]


class DecisionRefused(Exception):  # noqa: N818 - a refusal is an outcome the API reports
    """A decision that cannot be taken; ``code`` tells the API which answer to give."""

    def __init__(self, code: RefusalCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class OfferInTime:
    """An offer's units at a time and what accepted matches booked of them."""

    capacity: int
    turnaround_days: int
    bookings: Sequence[Booking]


@dataclass(frozen=True, slots=True)
class Asked:
    """What an acceptance asks of an offer: the windows' overlap (None: they do not meet), the
    counted days the need wants in it (None: all of it), how those days are counted."""

    overlap: Stretch | None
    days: int | None
    counted: DayCounter


@dataclass(frozen=True, slots=True)
class MatchState:
    """What a decision is checked against; ``offer_capacity_left`` is what the offer has free
    in the interval the match would book."""

    status: str
    offer_capacity_left: int
    need_quantity_left: int
    postings_open: bool = True
    periods_meet: bool = True


def require_decision(decision: str, reason_code: str | None) -> None:
    """Raise ``DecisionRefused`` unless ``decision`` is one a coordinator can take, a rejection
    with one of the reason codes."""
    if decision not in get_args(Decision):
        raise DecisionRefused("invalid_decision", "a decision is 'accepted' or 'rejected'")
    if decision == "rejected" and reason_code not in get_args(ReasonCode):
        raise DecisionRefused(
            "reason_code_required",
            f"a rejection needs a reason code: one of {', '.join(get_args(ReasonCode))}",
        )


def check_decision(state: MatchState, decision: str, reason_code: str | None) -> None:
    """Raise ``DecisionRefused`` unless ``decision`` may be taken on a match in ``state``."""
    require_decision(decision, reason_code)
    if state.status == "withdrawn":
        raise DecisionRefused(
            "withdrawn", "the suggestion was withdrawn and can no longer be decided"
        )
    if state.status != "open":
        raise DecisionRefused("already_decided", f"the suggestion was already {state.status}")
    if decision == "accepted" and not state.postings_open:
        raise DecisionRefused("posting_closed", "the need or the offer is no longer open")
    if decision == "accepted" and not state.periods_meet:
        raise DecisionRefused(
            "no_common_period", "the periods of the need and the offer do not meet"
        )
    if decision == "accepted" and state.offer_capacity_left <= 0:
        raise DecisionRefused(
            "offer_fully_booked", "the offer has no unit free on every day of the period asked"
        )
    if decision == "accepted" and state.need_quantity_left <= 0:
        raise DecisionRefused("need_fulfilled", "the need is already fulfilled")


def units_taken(need_quantity_left: int, offer_capacity_left: int) -> int:
    """Teachers, units or places an accepted match takes: what the need still lacks, at most
    what the offer has left."""
    return max(0, min(need_quantity_left, offer_capacity_left))


def book_units(need_quantity_left: int, offer: OfferInTime, asked: Asked) -> Booking | None:
    """What an acceptance books: for a need wanting all of the overlap, the overlap with what
    the need lacks, at most what is free on each of its days; for a need wanting some days, the
    earliest stretch of them with the most units free (up to what it lacks). None: no unit free.
    """
    overlap, counted = asked.overlap, asked.counted
    if overlap is None:
        return None
    wanted = max(1, need_quantity_left)
    days = booked_days(asked)
    if days == 0:  # all of the overlap (or, with no counted day in it, what there is)
        free = units_free(offer.capacity, offer.bookings, offer.turnaround_days, overlap)
        units = units_taken(wanted, free)
        return Booking(overlap.first, overlap.last, units) if units else None

    def stretch(units: int) -> Stretch | None:
        return earliest_stretch(
            offer.capacity, offer.bookings, offer.turnaround_days, overlap, days, units, counted
        )

    low, high = 0, min(wanted, offer.capacity)  # ``low`` units fit somewhere; more fit less
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if stretch(middle) else (low, middle - 1)
    found = stretch(low) if low else None
    return Booking(found.first, found.last, low) if found else None


def booked_days(asked: Asked) -> int:
    """The counted days an acceptance books: what the need asks, at most what the overlap
    holds; 0 books all of the overlap (no days asked, or none counted in it)."""
    if asked.overlap is None:
        return 0
    held = int(asked.counted(asked.overlap.first, asked.overlap.last))
    return min(asked.days or 0, held)


def placements(asked: Asked) -> list[Stretch]:
    """Every stretch an acceptance of ``asked`` could book, were the units free: the overlap,
    or each stretch of the days asked inside it, earliest first."""
    if asked.overlap is None:
        return []
    days = booked_days(asked)
    return stretches(asked.overlap, days, asked.counted) if days else [asked.overlap]


def check_revocation(status: str, step: str | None, reason: str) -> None:
    """Raise ``DecisionRefused`` unless an acceptance may be revoked: only an accepted match
    its parties have not cancelled, and only with a reason the parties can read."""
    if status != "accepted":
        raise DecisionRefused("not_accepted", f"only an accepted match can be revoked ({status})")
    if step == "cancelled":
        raise DecisionRefused("cancelled", "the parties cancelled this match already")
    if not reason.strip():
        raise DecisionRefused("reason_required", "a revocation needs a reason")
