"""What a submission registers: a new or replaced posting (and an internship's replacement
need), in the order the events of the posting were produced (see ``ordering``)."""

from collections.abc import Sequence
from datetime import datetime

from services.intake import lifecycle, needs, ordering
from services.intake.inbound import Record
from services.intake.ordering import Moments
from services.intake.publications import Publication, Registered, refused, refused_withdrawal, save
from services.intake.store import PostingBook
from shared.contracts import NeedSubmitted, OfferSubmitted
from shared.contracts.submitted import replacement_need_id


def submit(
    command: NeedSubmitted | OfferSubmitted, record: Record, book: PostingBook, now: datetime
) -> list[Publication]:
    """Register ``command`` unless its owner, its period or a later version refuses it."""
    side, posting_id, produced_at = command.side, command.posting_id, record.produced_at
    times = book.times(side, posting_id)
    result = _life_cycle(command, book, produced_at, now)
    if not isinstance(result, str):
        result = ordering.superseded(f"{side} {posting_id}", produced_at, times) or result
    if isinstance(result, str):
        return [refused(str(command.event_id), record.topic, posting_id, result, now)]
    return _register(result, book, produced_at, None if times is None else times.closed, now)


def _life_cycle(
    command: NeedSubmitted | OfferSubmitted, book: PostingBook, produced_at: datetime, now: datetime
) -> Sequence[Registered] | str:
    if isinstance(command, NeedSubmitted):
        linked_id = replacement_need_id(command.need_id)
        later = lifecycle.ClosedLater(
            ordering.closed_after(produced_at, book.times("need", command.need_id)),
            ordering.closed_after(produced_at, book.times("need", linked_id)),
        )
        current, linked = book.need(command.need_id), book.need(linked_id)
        return needs.submit_need(command, current, linked, now.date(), now, later)
    later = lifecycle.ClosedLater(
        ordering.closed_after(produced_at, book.times("offer", command.offer_id))
    )
    return lifecycle.submit_offer(command, book.offer(command.offer_id), now.date(), now, later)


def _register(
    result: Sequence[Registered],
    book: PostingBook,
    produced_at: datetime,
    closed_at: datetime | None,
    now: datetime,
) -> list[Publication]:
    """Save the postings of a submission; a new one settles the withdrawals waiting for it, and
    one closed by a waiting withdrawal takes its replacement need along."""
    registered: list[Publication] = []
    refusals: list[Publication] = []
    closed = False
    for posting in result:
        side, posting_id = posting.side, posting.posting_id
        if not book.knows(side, posting_id):
            waiting = book.tombstones.take(side, posting_id)
            what = f"{side} {posting_id}"
            winner, refused_ = ordering.settle(what, waiting, posting.owner_number, produced_at)
            refusals += [refused_withdrawal(t, reason, now) for t, reason in refused_]
            if winner is not None:
                closed, closed_at = True, closed_at or winner.produced_at
        if closed:
            posting = posting.model_copy(update={"status": "withdrawn"})
        registered += save(book, [posting], now, Moments(produced_at, closed_at or produced_at))
    return registered + refusals
