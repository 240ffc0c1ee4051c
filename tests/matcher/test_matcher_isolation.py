"""A registered posting the database refuses, or a record that does not parse, cannot stall the
matcher: on the real broker and database each is dead-lettered once on internal.dlq with the
reason, every other record lands, and the matcher's memory holds only what was committed."""

import base64
import json
import uuid
from collections.abc import Awaitable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.matcher.batches import key_of
from services.matcher.handlers import INBOUND
from services.matcher.service import CONSUMER
from services.matcher.tables import MatcherPosting, MatchSuggestion
from shared import topics
from shared.contracts import NeedRegistered, OfferRegistered
from shared.topics import kind_partition
from tests.kafka_io import caught_up, produce
from tests.matcher.events import fresh_period, need_event, offer_event
from tests.refusals import refusing, sent, until

PARTITION = kind_partition("teacher_internship")


async def publish(topic: str, postings: Sequence[NeedRegistered | OfferRegistered]) -> None:
    """Registered postings on their kind group's partition, as intake sends them."""
    await produce(
        topic,
        [(key_of(posting)[1], posting.model_dump_json().encode()) for posting in postings],
        partitions=[PARTITION] * len(postings),
    )


async def suggested(
    sessions: async_sessionmaker[AsyncSession], need_ids: set[str], offer_id: str | None = None
) -> set[str]:
    """Which of ``need_ids`` have a suggestion (of ``offer_id``, if named)."""
    statement = select(MatchSuggestion.need_id).where(MatchSuggestion.need_id.in_(need_ids))
    if offer_id is not None:
        statement = statement.where(MatchSuggestion.offer_id == offer_id)
    async with sessions() as session:
        return set(await session.scalars(statement))


async def test_a_need_the_database_refuses_is_dead_lettered_once_and_the_rest_is_matched(
    matcher: None, db: async_sessionmaker[AsyncSession]
) -> None:
    period = fresh_period()
    offer = offer_event(period, "3600", "auto", "EV-werkplaats")
    needs = [need_event(period) for _ in range(7)]
    poison = needs[3]
    later_need = need_event(period)
    later_offer = offer_event(period, "3600", "auto", "Diagnosewerkplaats")
    good = {need.need_id for need in [*needs, later_need] if need is not poison}

    async with refusing(db, "matcher_postings", "posting_id", poison.need_id) as constraint:
        await publish(topics.OFFERS_REGISTERED, [offer])
        await publish(topics.NEEDS_REGISTERED, needs)
        await publish(topics.NEEDS_REGISTERED, [poison, later_need])  # a replay, a later one
        await until(lambda: _are(suggested(db, good), good))
        # a later offer is scored against the needs in memory: the refused one is not there
        await publish(topics.OFFERS_REGISTERED, [later_offer])
        await until(lambda: _are(suggested(db, good, later_offer.offer_id), good))
        await caught_up(CONSUMER, INBOUND)
        letters = await sent(db, topics.INTERNAL_DLQ, poison.need_id)

    assert await suggested(db, {poison.need_id}) == set()
    async with db() as session:
        stored = await session.scalar(
            select(MatcherPosting.posting_id).where(MatcherPosting.posting_id == poison.need_id)
        )
    assert stored is None
    assert len(letters) == 1
    letter = letters[0].value
    assert letter["source_topic"] == topics.NEEDS_REGISTERED
    assert letter["reason"].startswith("23514: ")
    assert constraint in letter["reason"]
    raw = json.loads(base64.b64decode(letter["raw_value_base64"]))
    assert raw["event_id"] == str(poison.event_id)


async def test_a_record_that_does_not_parse_is_dead_lettered_with_the_reason_and_the_rest_applied(
    matcher: None, db: async_sessionmaker[AsyncSession]
) -> None:
    period = fresh_period()
    offer = offer_event(period, "3600", "auto", "EV-werkplaats")
    need = need_event(period)
    broken = f"kapot-{uuid.uuid4().hex[:8]}"

    await publish(topics.OFFERS_REGISTERED, [offer])
    await produce(
        topics.NEEDS_REGISTERED,
        [
            (broken, b'{"need_id": "kapot"}'),
            (need.need_id, need.model_dump_json().encode()),
        ],
        partitions=[PARTITION, PARTITION],
    )
    await until(lambda: _are(suggested(db, {need.need_id}), {need.need_id}))
    await caught_up(CONSUMER, INBOUND)
    # The notifier reads needs.registered too: it dead-letters the record under its own name.
    letters = [
        letter
        for letter in await sent(db, topics.INTERNAL_DLQ, broken)
        if letter.value["consumer"] == CONSUMER
    ]

    assert len(letters) == 1
    assert letters[0].value["reason"].startswith("not a valid NeedRegistered: ")
    assert base64.b64decode(letters[0].value["raw_value_base64"]) == b'{"need_id": "kapot"}'


async def _are(found: Awaitable[set[str]], wanted: set[str]) -> bool:
    return await found == wanted
