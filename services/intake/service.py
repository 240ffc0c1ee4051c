"""Intake use cases: each batch of records, and each expiry round, is one transaction."""

from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake import postings
from services.intake.inbound import Command, Outcome, Record, classify, refused
from services.intake.store import PostingBook
from shared import topics
from shared.contracts import (
    NeedRegistered,
    NeedSubmitted,
    NeedWithdrawn,
    OfferRegistered,
    OfferSubmitted,
    OfferWithdrawn,
)
from shared.inbox import claim_events
from shared.outbox import add_to_outbox

CONSUMER = "intake"
Publication = tuple[str, str, BaseModel]
Registered = NeedRegistered | OfferRegistered
NeedCommand = NeedSubmitted | NeedWithdrawn
TOPIC_OF: dict[type[Command], str] = {
    NeedSubmitted: topics.NEEDS_SUBMITTED,
    OfferSubmitted: topics.OFFERS_SUBMITTED,
    NeedWithdrawn: topics.NEEDS_WITHDRAWN,
    OfferWithdrawn: topics.OFFERS_WITHDRAWN,
}


class IntakeService:
    """Turns submitted and withdrawn postings into stored postings and registered events."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], max_message_bytes: int) -> None:
        self._sessions = sessions
        self._max_message_bytes = max_message_bytes

    async def handle(self, records: Sequence[Record]) -> None:
        """Apply a batch exactly once: dedupe, change, and queue the outgoing events together."""
        now = datetime.now(UTC)
        outcomes = [classify(record, self._max_message_bytes, now) for record in records]
        async with self._sessions() as session, session.begin():
            fresh = await claim_events(session, CONSUMER, [o.dedupe_key for o in outcomes])
            todo = list(
                {o.dedupe_key: o for o in reversed(outcomes) if o.dedupe_key in fresh}.values()
            )
            todo.reverse()
            commands = [o.command for o in todo if o.command is not None]
            book = PostingBook(session)
            await book.load(
                [c.need_id for c in commands if isinstance(c, NeedSubmitted | NeedWithdrawn)],
                [c.offer_id for c in commands if isinstance(c, OfferSubmitted | OfferWithdrawn)],
            )
            for outcome in todo:
                for topic, key, event in _apply(outcome, book, now):
                    add_to_outbox(session, topic, key, event)

    async def expire(self, batch_size: int = 1000) -> int:
        """Expire open postings whose period has ended; return how many were closed."""
        now = datetime.now(UTC)
        async with self._sessions() as session, session.begin():
            book = PostingBook(session)
            await book.load_expired(now.date(), batch_size)
            expired: list[Registered] = [postings.close(n, "expired", now) for n in book.needs()]
            expired += [postings.close(o, "expired", now) for o in book.offers()]
            for topic, key, event in _save(book, expired, now):
                add_to_outbox(session, topic, key, event)
            return len(expired)


def _apply(outcome: Outcome, book: PostingBook, now: datetime) -> list[Publication]:
    if outcome.dead_letter is not None:
        letter = outcome.dead_letter
        return [(topics.POSTINGS_DLQ, letter.key or str(letter.event_id), letter)]
    if outcome.rejected is not None:
        rejected = outcome.rejected
        return [(topics.POSTINGS_REJECTED, rejected.posting_id or "", rejected)]
    assert outcome.command is not None
    command = outcome.command
    posting_id = command.need_id if isinstance(command, NeedCommand) else command.offer_id
    result = _decide(command, book, now)
    if isinstance(result, str):
        event = refused(command, TOPIC_OF[type(command)], posting_id, result, now)
        return [(topics.POSTINGS_REJECTED, posting_id, event)]
    return _save(book, result, now)


def _decide(command: Command, book: PostingBook, now: datetime) -> list[Registered] | str:
    today = now.date()
    if isinstance(command, NeedSubmitted):
        linked = book.need(postings.replacement_need_id(command.need_id))
        return _widen(postings.submit_need(command, book.need(command.need_id), linked, today, now))
    if isinstance(command, OfferSubmitted):
        return _widen(postings.submit_offer(command, book.offer(command.offer_id), today, now))
    if isinstance(command, NeedWithdrawn):
        return _withdraw_need(command, book, now)
    offer = book.offer(command.offer_id)
    owner = offer.provider.enterprise_number if offer else ""
    what = f"offer {command.offer_id}"
    return _widen(postings.withdraw(what, offer, owner, command.organisation_number, now))


def _withdraw_need(
    command: NeedWithdrawn, book: PostingBook, now: datetime
) -> list[Registered] | str:
    need = book.need(command.need_id)
    owner = need.school.institution_number if need else ""
    what = f"need {command.need_id}"
    result = postings.withdraw(what, need, owner, command.organisation_number, now)
    linked = book.need(postings.replacement_need_id(command.need_id))
    if isinstance(result, str) or linked is None or linked.status in postings.CLOSED:
        return _widen(result)
    return [*result, postings.close(linked, "withdrawn", now)]


def _widen(
    result: Sequence[NeedRegistered] | Sequence[OfferRegistered] | str,
) -> list[Registered] | str:
    return result if isinstance(result, str) else list(result)


def _save(book: PostingBook, changed: Sequence[Registered], now: datetime) -> list[Publication]:
    publications: list[Publication] = []
    for posting in changed:
        if isinstance(posting, NeedRegistered):
            book.save_need(posting, now)
            publications.append((topics.NEEDS_REGISTERED, posting.need_id, posting))
        else:
            book.save_offer(posting, now)
            publications.append((topics.OFFERS_REGISTERED, posting.offer_id, posting))
    return publications
