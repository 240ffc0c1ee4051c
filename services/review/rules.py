"""Decision rules: when a decision or revocation is refused, what an acceptance takes. Pure."""

from dataclasses import dataclass
from typing import Literal, get_args

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
    "need_fulfilled",
    "posting_closed",
    "not_accepted",
    "reason_required",
]


class DecisionRefused(Exception):  # noqa: N818 - a refusal is an outcome the API reports
    """A decision that cannot be taken; ``code`` tells the API which answer to give."""

    def __init__(self, code: RefusalCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class MatchState:
    """What a decision is checked against."""

    status: str
    offer_capacity_left: int
    need_quantity_left: int
    postings_open: bool = True


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
    if decision == "accepted" and state.offer_capacity_left <= 0:
        raise DecisionRefused("offer_fully_booked", "the offer has no capacity left")
    if decision == "accepted" and state.need_quantity_left <= 0:
        raise DecisionRefused("need_fulfilled", "the need is already fulfilled")


def units_taken(need_quantity_left: int, offer_capacity_left: int) -> int:
    """Teachers, units or places an accepted match takes: what the need still lacks, at most
    what the offer has left."""
    return max(0, min(need_quantity_left, offer_capacity_left))


def check_revocation(status: str, reason: str) -> None:
    """Raise ``DecisionRefused`` unless an acceptance may be revoked: only an accepted match,
    and only with a reason the parties can read."""
    if status != "accepted":
        raise DecisionRefused("not_accepted", f"only an accepted match can be revoked ({status})")
    if not reason.strip():
        raise DecisionRefused("reason_required", "a revocation needs a reason")
