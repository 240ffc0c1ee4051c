"""Submissions and withdrawals of one posting, ordered by when they were produced. Pure.

Kafka keeps no order between ``*.submitted`` and ``*.withdrawn``, so intake compares Kafka record
times. A withdrawal of a posting not known yet waits as a tombstone; the submission that creates
the posting settles it. A withdrawal produced at or after that submission closes the posting,
whichever arrived first; one produced before it named a posting that did not exist yet and is
refused, as it would have been had the two arrived in order.

Each posting keeps the record time of the submission whose content it holds and of the event
that closed it. A submission produced before the one applied last is superseded and refused; one
produced before the withdrawal (or expiry) that closed the posting changes its content and leaves
it closed, as it would have in order.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from shared.contracts import Side


@dataclass(frozen=True, slots=True)
class Tombstone:
    """A withdrawal waiting for the submission of its posting."""

    event_id: str
    side: Side
    posting_id: str
    requested_by: str | None
    produced_at: datetime


@dataclass(frozen=True, slots=True)
class RecordTimes:
    """When the events a stored posting holds were produced (None: not known)."""

    first_submitted: datetime | None
    content: datetime | None
    closed: datetime | None


@dataclass(frozen=True, slots=True)
class Moments:
    """The record times a change carries: of the submission whose content it stores (None: the
    content stays), and of the event that closes the posting if the change closes it."""

    submitted: datetime | None = None
    closed: datetime | None = None


def superseded(what: str, produced_at: datetime, times: RecordTimes | None) -> str | None:
    """The refusal of a submission produced before the one whose content the posting holds."""
    if times is not None and times.content is not None and produced_at < times.content:
        return (
            f"{what} holds a version produced later ({times.content.isoformat()}); "
            "this older version is not applied"
        )
    return None


def closed_after(produced_at: datetime, times: RecordTimes | None) -> bool:
    """Whether the posting was closed by an event produced after ``produced_at``."""
    return times is not None and times.closed is not None and produced_at < times.closed


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
