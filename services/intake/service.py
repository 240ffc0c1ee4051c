"""Intake use cases: each batch of records, and each expiry round, is one transaction."""

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake import lifecycle
from services.intake.changes import apply, never_submitted
from services.intake.inbound import INTAKE, Outcome, Record, classify, reused, unstorable
from services.intake.names import organisations, with_registered_name
from services.intake.ordering import Moments
from services.intake.outgoing import send
from services.intake.publications import Publication, Registered, rejection, save
from services.intake.store import PostingBook
from shared.logs import pipeline_context
from shared.processed_events import Claim, claim_contents

log = logging.getLogger(__name__)
CONSUMER = INTAKE
# Kafka's default retention: a submission produced longer ago than this can no longer arrive.
TOMBSTONE_RETENTION = timedelta(days=7)


class IntakeService:
    """Turns submitted and withdrawn postings into stored postings and registered events."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], max_message_bytes: int) -> None:
        self._sessions = sessions
        self._max_message_bytes = max_message_bytes

    async def handle(self, records: Sequence[Record]) -> None:
        """Apply a batch exactly once: dedupe, change, and queue the outgoing events together.

        A redelivered event is skipped; another event under an id already used is rejected (once).
        """
        now = datetime.now(UTC)
        outcomes = [classify(record, self._max_message_bytes, now) for record in records]
        async with self._sessions() as session, session.begin():
            claims = await _claim(session, outcomes)
            commands = [
                o.command for o, c in zip(outcomes, claims, strict=True) if c is Claim.FRESH
            ]
            book = PostingBook(session)
            await book.load(
                [c.posting_id for c in commands if c is not None and c.side == "need"],
                [c.posting_id for c in commands if c is not None and c.side == "offer"],
                organisations(commands),
            )
            publications: list[Publication] = []
            for outcome, claim in zip(outcomes, claims, strict=True):
                with pipeline_context(event_id=outcome.dedupe_key, posting_id=outcome.record.key):
                    log.info(
                        "%s record %s: %s", outcome.record.topic, claim.name.lower(), _what(outcome)
                    )
                    if claim is Claim.FRESH:
                        publications += apply(with_registered_name(outcome, book.names), book, now)
                    elif claim is Claim.REUSED:
                        publications.append(rejection(reused(outcome, now)))
            await book.write()
            await send(session, publications)

    async def expire(self, batch_size: int = 1000) -> int:
        """Expire open postings whose period has ended; return how many were closed.

        Withdrawals whose posting was never submitted within ``TOMBSTONE_RETENTION`` are
        rejected as not known.
        """
        now = datetime.now(UTC)
        async with self._sessions() as session, session.begin():
            book = PostingBook(session)
            await book.load_expired(now.date(), batch_size)
            expired: list[Registered] = [lifecycle.close(n, "expired", now) for n in book.needs()]
            expired += [lifecycle.close(o, "expired", now) for o in book.offers()]
            publications = save(book, expired, now, Moments(closed=now))
            await book.tombstones.load_older_than(now - TOMBSTONE_RETENTION, batch_size)
            publications += [never_submitted(t, now) for t in book.tombstones.take_all()]
            await book.write()
            await send(session, publications)
            return len(expired)

    async def refuse(self, record: Record, reason: str) -> None:
        """Reject ``record``, whose data the database refuses, with ``reason`` and mark it
        processed, in a transaction of its own (once: a record marked already is left alone)."""
        now = datetime.now(UTC)
        outcome = classify(record, self._max_message_bytes, now)
        async with self._sessions() as session, session.begin():
            [claim] = await _claim(session, [outcome])
            if claim is Claim.FRESH:
                await send(session, [rejection(unstorable(outcome, reason, now))])
            elif claim is Claim.REUSED:
                await send(session, [rejection(reused(outcome, now))])


async def _claim(session: AsyncSession, outcomes: Sequence[Outcome]) -> list[Claim]:
    """Claim each record's event id; a record reusing another event's id is claimed as well,
    by its content, so its rejection is emitted once however often it is delivered."""
    keys = [(outcome.dedupe_key, outcome.record.digest) for outcome in outcomes]
    claims = await claim_contents(session, CONSUMER, keys)
    reusing = [i for i, claim in enumerate(claims) if claim is Claim.REUSED]
    contents = [(_content_key(outcomes[i].record), outcomes[i].record.digest) for i in reusing]
    for i, again in zip(reusing, await claim_contents(session, CONSUMER, contents), strict=True):
        claims[i] = Claim.REUSED if again is Claim.FRESH else Claim.REDELIVERED
    return claims


def _content_key(record: Record) -> str:
    """The dedupe key of a record by its content alone (topic and value)."""
    return f"reused:{record.digest.hex()}"


def _what(outcome: Outcome) -> str:
    """What a record turned into, for its log line."""
    if outcome.command is not None:
        return "valid"
    return "rejected" if outcome.rejected is not None else "dead letter"
