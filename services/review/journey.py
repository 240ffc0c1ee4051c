"""The journey of an accepted match: the one table of which step may follow which, and which side
(the school, the provider) may mark it. Pure: no I/O.

A loan (``equipment_loan``) goes dates agreed, delivered, returned, checked; every other kind
(internships, placements, guest lessons, replacement activities, infrastructure access) goes dates
agreed, took place. Either side may cancel, with a reason, at any step before the end. After the
end each side rates the other once (``services.review.ratings``).
"""

from typing import Literal, cast, get_args

from services.review.rules import DecisionRefused
from shared.contracts.matches import JourneyStep

Marked = JourneyStep  # what a party marks (the contract's name for it)
Party = Literal["school", "provider"]
BOTH: frozenset[Party] = frozenset(get_args(Party))
SCHOOL: frozenset[Party] = frozenset({"school"})
PROVIDER: frozenset[Party] = frozenset({"provider"})
LOAN_KINDS = frozenset({"equipment_loan"})

# Step now -> the steps that may follow it and who marks each. Cancelling is added below for
# every step that is not an end.
_LOAN: dict[str, dict[str, frozenset[Party]]] = {
    "accepted": {"dates_agreed": BOTH},
    "dates_agreed": {"delivered": PROVIDER},
    "delivered": {"returned": SCHOOL},
    "returned": {"checked": PROVIDER},
    "checked": {},
}
_ACTIVITY: dict[str, dict[str, frozenset[Party]]] = {
    "accepted": {"dates_agreed": BOTH},
    "dates_agreed": {"took_place": BOTH},
    "took_place": {},
}
# A loan's unit is on its way to the next school of the rotation once one of these is marked.
ON_ITS_WAY: frozenset[Marked] = frozenset({"returned", "checked"})


def steps_of(kind: str) -> dict[str, dict[str, frozenset[Party]]]:
    """The transition table of a match of ``kind``, cancelling included (step now -> the steps
    that may follow and who marks each; an end has none, cancelled is no key)."""
    table = _LOAN if kind in LOAN_KINDS else _ACTIVITY
    return {
        step: {**following, "cancelled": BOTH} if following else {}
        for step, following in table.items()
    }


def is_end(kind: str, step: str) -> bool:
    """Whether ``step`` ends the journey of a ``kind`` match (cancelled ends every journey)."""
    return step == "cancelled" or not steps_of(kind).get(step, {})


def took_place(kind: str, step: str) -> bool:
    """Whether the match reached its end without being cancelled: time to rate it."""
    return step != "cancelled" and is_end(kind, step)


def next_steps(kind: str, step: str, side: Party | None) -> list[Marked]:
    """The steps ``side`` may mark now (none for a coordinator, who only watches)."""
    following = steps_of(kind).get(step, {})
    return [cast(Marked, marked) for marked, sides in following.items() if side in sides]


def check_step(kind: str, now: str, marked: str, side: Party, reason: str) -> bool:
    """Whether marking ``marked`` changes anything (False: it is the step already, a repeat).
    Raise ``DecisionRefused`` unless ``side`` may mark it now."""
    if marked not in get_args(Marked):
        raise DecisionRefused("invalid_step", f"a step is one of {', '.join(get_args(Marked))}")
    if marked == now:
        return False
    sides = steps_of(kind).get(now, {}).get(marked)
    if sides is None:
        raise DecisionRefused("step_not_allowed", f"{marked} cannot follow {now}")
    if side not in sides:
        raise DecisionRefused("not_your_step", f"the {side} does not mark {marked}")
    if marked == "cancelled" and not reason.strip():
        raise DecisionRefused("cancel_reason_required", "a cancellation needs a reason")
    return True
