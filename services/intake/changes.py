"""What one classified record changes: postings registered or closed, events to publish, and
withdrawals of postings not known yet kept waiting (see ``ordering``)."""

from collections.abc import Sequence
from datetime import datetime

from services.intake import lifecycle, needs, ordering
from services.intake.inbound import Outcome, Record
from services.intake.ordering import Moments, Tombstone
from services.intake.publications import (
    Publication,
    Registered,
    refused,
    refused_withdrawal,
    rejection,
    save,
)
from services.intake.registering import submit
from services.intake.store import PostingBook
from shared import topics
from shared.contracts import (
    NeedRegistered,
    NeedSubmitted,
    NeedWithdrawn,
    OfferRegistered,
    OfferSubmitted,
    OfferWithdrawn,
    is_open,
)
from shared.contracts.submitted import replacement_need_id


def apply(outcome: Outcome, book: PostingBook, now: datetime) -> list[Publication]:
    """The events one fresh record leads to, with ``book`` changed accordingly."""
    if outcome.dead_letter is not None:
        letter = outcome.dead_letter
        return [(topics.POSTINGS_DLQ, letter.key or str(letter.event_id), letter)]
    if outcome.rejected is not None:
        return [rejection(outcome.rejected)]
    command = outcome.command
    if isinstance(command, NeedSubmitted | OfferSubmitted):
        return submit(command, outcome.record, book, now)
    assert command is not None
    return _withdraw(command, outcome.record, book, now)


def never_submitted(tombstone: Tombstone, now: datetime) -> Publication:
    """The rejection of a withdrawal whose posting never arrived."""
    what = f"{tombstone.side} {tombstone.posting_id}"
    return refused_withdrawal(tombstone, f"{what} is not known; it was never submitted", now)


def _withdraw(
    command: NeedWithdrawn | OfferWithdrawn, record: Record, book: PostingBook, now: datetime
) -> list[Publication]:
    side, posting_id = command.side, command.posting_id
    what = f"{side} {posting_id}"
    current = book.need(posting_id) if side == "need" else book.offer(posting_id)
    if current is None:
        tombstone = Tombstone(
            str(command.event_id), side, posting_id, command.organisation_number, record.produced_at
        )
        book.tombstones.add(tombstone)
        return []
    times = book.times(side, posting_id)
    submitted_at = None if times is None else times.first_submitted
    too_early = ordering.produced_too_early(what, record.produced_at, submitted_at)
    result = too_early or _close(what, current, command.organisation_number, book, now)
    if isinstance(result, str):
        return [refused(str(command.event_id), record.topic, posting_id, result, now)]
    return save(book, result, now, Moments(closed=record.produced_at))


def _close(
    what: str, current: Registered, requested_by: str | None, book: PostingBook, now: datetime
) -> list[Registered] | str:
    if isinstance(current, OfferRegistered):
        return _widen(lifecycle.withdraw(what, current, requested_by, now))
    result = lifecycle.withdraw(what, current, requested_by, now)
    stored = book.need(replacement_need_id(current.need_id))
    linked = needs.own_replacement(stored, current.need_id, current.owner_number)
    if isinstance(result, str) or linked is None or not is_open(linked.status):
        return _widen(result)
    return [*result, lifecycle.close(linked, "withdrawn", now)]


def _widen(
    result: Sequence[NeedRegistered] | Sequence[OfferRegistered] | str,
) -> list[Registered] | str:
    return result if isinstance(result, str) else list(result)
