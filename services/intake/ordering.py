"""Submissions and withdrawals of one posting, ordered by when they were produced. Pure.

Kafka keeps no order between ``*.submitted`` and ``*.withdrawn``, so intake compares Kafka record
times. A withdrawal of a posting not known yet waits as a tombstone; the submission that creates
the posting settles it. A withdrawal produced at or after that submission closes the posting,
whichever arrived first; one produced before it named a posting that did not exist yet and is
refused, as it would have been had the two arrived in order.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Side = Literal["need", "offer"]


@dataclass(frozen=True, slots=True)
class Tombstone:
    """A withdrawal waiting for the submission of its posting."""

    event_id: str
    side: Side
    posting_id: str
    requested_by: str | None
    produced_at: datetime


def produced_too_early(
    what: str, produced_at: datetime, submitted_at: datetime | None
) -> str | None:
    """The refusal of a withdrawal produced before the submission that created the posting."""
    if submitted_at is not None and produced_at < submitted_at:
        return f"{what} was not known when this withdrawal was produced; it was submitted later"
    return None


def settle(
    what: str, tombstones: Iterable[Tombstone], owner_number: str, submitted_at: datetime
) -> tuple[Tombstone | None, list[tuple[Tombstone, str]]]:
    """The waiting withdrawal that closes a posting just created (if any), and why each of the
    others is refused; the earliest-produced valid one wins."""
    winner: Tombstone | None = None
    refusals: list[tuple[Tombstone, str]] = []
    for tombstone in sorted(tombstones, key=lambda t: (t.produced_at, t.event_id)):
        refusal = produced_too_early(what, tombstone.produced_at, submitted_at)
        if refusal is None and tombstone.requested_by not in (None, owner_number):
            refusal = f"{what} belongs to another organisation; only its owner may withdraw it"
        if refusal is None and winner is not None:
            refusal = f"{what} is already withdrawn"
        if refusal is None:
            winner = tombstone
        else:
            refusals.append((tombstone, refusal))
    return winner, refusals
