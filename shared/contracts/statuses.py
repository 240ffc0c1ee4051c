"""The statuses of a posting, one set for every service: which are open, which closed, and the
one question each service asks of them; and the statuses a decision leaves a match in."""

from typing import Literal, get_args

OpenStatus = Literal["open"]
ClosedStatus = Literal["withdrawn", "expired"]
PostingStatus = Literal[OpenStatus, ClosedStatus]

OPEN_STATUSES: tuple[OpenStatus, ...] = get_args(OpenStatus)
CLOSED_STATUSES: tuple[ClosedStatus, ...] = get_args(ClosedStatus)

# A match a coordinator (or another system) decided on; revoked: accepted, then undone.
DecidedStatus = Literal["accepted", "rejected", "revoked"]
DECIDED_STATUSES: tuple[DecidedStatus, ...] = get_args(DecidedStatus)


def is_open(status: str) -> bool:
    """Whether a posting of ``status`` can still be matched and decided on; every other status
    (closed, or one a service stores of its own) is not."""
    return status in OPEN_STATUSES
