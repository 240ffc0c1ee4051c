"""What one classified record changes: postings registered or closed, events to publish, and
withdrawals of postings not known yet kept waiting (see ``ordering``)."""

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from services.intake import ordering, postings, rejections
from services.intake.inbound import Outcome, Record, posting_id_of
from services.intake.ordering import Side, Tombstone
from services.intake.store import PostingBook
from shared import topics
from shared.contracts import (
    NeedRegistered,
    NeedSubmitted,
    NeedWithdrawn,
    OfferRegistered,
    OfferSubmitted,
    OfferWithdrawn,
    PostingRejected,
)
from shared.contracts.postings import replacement_need_id

Publication = tuple[str, str, BaseModel]
Registered = NeedRegistered | OfferRegistered
WITHDRAWN_TOPIC: dict[Side, str] = {
    "need": topics.NEEDS_WITHDRAWN,
    "offer": topics.OFFERS_WITHDRAWN,
}


def apply(outcome: Outcome, book: PostingBook, now: datetime) -> list[Publication]:
    """The events one fresh record leads to, with ``book`` changed accordingly."""
    if outcome.dead_letter is not None:
        letter = outcome.dead_letter
        return [(topics.POSTINGS_DLQ, letter.key or str(letter.event_id), letter)]
    if outcome.rejected is not None:
        return [rejection(outcome.rejected)]
    command = outcome.command
    if isinstance(command, NeedSubmitted | OfferSubmitted):
        return _submit(command, outcome.record, book, now)
    assert command is not None
    return _withdraw(command, outcome.record, book, now)


def rejection(event: PostingRejected) -> Publication:
    """``event`` on ``postings.rejected``, keyed by the posting id."""
    return (topics.POSTINGS_REJECTED, event.posting_id or "", event)


def never_submitted(tombstone: Tombstone, now: datetime) -> Publication:
    """The rejection of a withdrawal whose posting never arrived."""
    what = f"{tombstone.side} {tombstone.posting_id}"
    return _refused_withdrawal(tombstone, f"{what} is not known; it was never submitted", now)


def save(
    book: PostingBook,
    changed: Sequence[Registered],
    now: datetime,
    submitted_at: datetime | None = None,
) -> list[Publication]:
    """Store ``changed`` postings and publish each as registered."""
    publications: list[Publication] = []
    for posting in changed:
        if isinstance(posting, NeedRegistered):
            book.save_need(posting, now, submitted_at)
            publications.append((topics.NEEDS_REGISTERED, posting.need_id, posting))
        else:
            book.save_offer(posting, now, submitted_at)
            publications.append((topics.OFFERS_REGISTERED, posting.offer_id, posting))
    return publications


def _submit(
    command: NeedSubmitted | OfferSubmitted, record: Record, book: PostingBook, now: datetime
) -> list[Publication]:
    today = now.date()
    result: Sequence[Registered] | str
    if isinstance(command, NeedSubmitted):
        linked = book.need(replacement_need_id(command.need_id))
        result = postings.submit_need(command, book.need(command.need_id), linked, today, now)
    else:
        result = postings.submit_offer(command, book.offer(command.offer_id), today, now)
    if isinstance(result, str):
        return [_refused(str(command.event_id), record.topic, posting_id_of(command), result, now)]
    produced_at = record.produced_at
    publications: list[Publication] = []
    changed: list[Registered] = []
    closed = False  # a posting closed by a waiting withdrawal takes its replacement need along
    for posting in result:
        side, posting_id, owner = _identity(posting)
        if not book.knows(side, posting_id):
            waiting = book.tombstones.take(side, posting_id)
            winner, refusals = ordering.settle(f"{side} {posting_id}", waiting, owner, produced_at)
            publications += [_refused_withdrawal(t, reason, now) for t, reason in refusals]
            closed = closed or winner is not None
        changed.append(posting.model_copy(update={"status": "withdrawn"}) if closed else posting)
    return save(book, changed, now, produced_at) + publications


def _withdraw(
    command: NeedWithdrawn | OfferWithdrawn, record: Record, book: PostingBook, now: datetime
) -> list[Publication]:
    side: Side = "need" if isinstance(command, NeedWithdrawn) else "offer"
    posting_id, what = posting_id_of(command), f"{side} {posting_id_of(command)}"
    current = book.need(posting_id) if side == "need" else book.offer(posting_id)
    if current is None:
        tombstone = Tombstone(
            str(command.event_id), side, posting_id, command.organisation_number, record.produced_at
        )
        book.tombstones.add(tombstone)
        return []
    submitted_at = book.first_submitted_at(current)
    too_early = ordering.produced_too_early(what, record.produced_at, submitted_at)
    result = too_early or _close(what, current, command.organisation_number, book, now)
    if isinstance(result, str):
        return [_refused(str(command.event_id), record.topic, posting_id, result, now)]
    return save(book, result, now)


def _close(
    what: str, current: Registered, requested_by: str | None, book: PostingBook, now: datetime
) -> list[Registered] | str:
    if isinstance(current, OfferRegistered):
        owner = current.provider.enterprise_number
        return _widen(postings.withdraw(what, current, owner, requested_by, now))
    owner = current.school.institution_number
    result = postings.withdraw(what, current, owner, requested_by, now)
    stored = book.need(replacement_need_id(current.need_id))
    linked = postings.own_replacement(stored, current.need_id, owner)
    if isinstance(result, str) or linked is None or linked.status in postings.CLOSED:
        return _widen(result)
    return [*result, postings.close(linked, "withdrawn", now)]


def _widen(
    result: Sequence[NeedRegistered] | Sequence[OfferRegistered] | str,
) -> list[Registered] | str:
    return result if isinstance(result, str) else list(result)


def _identity(posting: Registered) -> tuple[Side, str, str]:
    if isinstance(posting, NeedRegistered):
        return "need", posting.need_id, posting.school.institution_number
    return "offer", posting.offer_id, posting.provider.enterprise_number


def _refused(event_id: str, topic: str, posting_id: str, reason: str, now: datetime) -> Publication:
    return rejection(rejections.refused(event_id, topic, posting_id, reason, now))


def _refused_withdrawal(tombstone: Tombstone, reason: str, now: datetime) -> Publication:
    topic = WITHDRAWN_TOPIC[tombstone.side]
    return _refused(tombstone.event_id, topic, tombstone.posting_id, reason, now)
