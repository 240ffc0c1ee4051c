"""A batch of events in one transaction: grouped mail, replays and any order of topics.

The batches are handed to the notifier's service as its consumer would (real database and SMTP
server), so a test decides exactly which events share a batch.
"""

import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select

from services.notifier.coordinators import CoordinatorCache
from services.notifier.routing import coordinator_key
from services.notifier.service import NotifierService, Routed
from services.notifier.tables import DeliveryRow, NotificationRow
from shared import topics
from shared.contracts import MatchReviewed
from shared.runtime import ServiceRuntime
from tests.mail_sink import SmtpServer
from tests.notifier import events, probes
from tests.notifier.conftest import add_coordinator, eventually

TOPIC = {
    "NeedRegistered": topics.NEEDS_REGISTERED,
    "OfferRegistered": topics.OFFERS_REGISTERED,
    "MatchSuggested": topics.MATCHES_SUGGESTED,
    "MatchWithdrawn": topics.MATCHES_WITHDRAWN,
    "MatchReviewed": topics.MATCHES_REVIEWED,
}


def _batch(*batch_events: BaseModel) -> list[Routed]:
    return [(TOPIC[type(event).__name__], event) for event in batch_events]


def _service(notifier: ServiceRuntime) -> NotifierService:
    return NotifierService(notifier.sessions, CoordinatorCache(0))


async def _count(notifier: ServiceRuntime, recipient: str) -> tuple[int, int]:
    """How many notifications and deliveries ``recipient`` has."""
    async with notifier.sessions() as session:
        notifications = await session.scalar(
            select(func.count())
            .select_from(NotificationRow)
            .where(NotificationRow.recipient == recipient)
        )
        deliveries = await session.scalar(
            select(func.count())
            .select_from(DeliveryRow)
            .join(NotificationRow, NotificationRow.id == DeliveryRow.notification_id)
            .where(NotificationRow.recipient == recipient)
        )
    return notifications or 0, deliveries or 0


async def test_a_burst_for_one_coordinator_is_one_mail_and_a_replay_sends_nothing_new(
    notifier: ServiceRuntime, smtp: SmtpServer
) -> None:
    coordinator = await add_coordinator(notifier.sessions, "Limburg")
    owner = coordinator_key(coordinator.id)
    pairs = [(events.need("3500"), events.offer()) for _ in range(8)]
    matches = [events.suggested(need, offer) for need, offer in pairs]
    batch = _batch(*itertools.chain.from_iterable(pairs), *matches)
    await _service(notifier).handle(batch)

    async with notifier.sessions() as session:
        rows = list(
            await session.scalars(select(NotificationRow).where(NotificationRow.recipient == owner))
        )
    (grouped,) = [row for row in rows if row.type == "digest"]
    assert sorted(row.match_id for row in rows if row.type == "suggestion") == sorted(
        match.match_id for match in matches
    )
    assert sorted(grouped.payload["match_ids"]) == sorted(match.match_id for match in matches)
    for match in matches:  # in the inbox, not mailed one by one
        assert (
            await probes.delivery_to(notifier.sessions, match.match_id, coordinator.email) is None
        )
    await eventually(lambda: probes.sent_to(notifier.sessions, grouped.match_id, coordinator.email))
    (mail,) = smtp.sink.to(coordinator.email)
    assert mail["Subject"].startswith("Schakel: 8 nieuwe suggesties (")
    assert mail.get_body(("plain",)).get_content().count("VTI Hasselt: Garage X") == 8

    before = await _count(notifier, owner)
    await _service(notifier).handle(batch)  # redelivered as a whole
    await _service(notifier).handle(batch[-3:])  # or in part
    assert await _count(notifier, owner) == before == (9, 1)
    assert len(smtp.sink.to(coordinator.email)) == 1


def _reviewed(match_id: str, need_id: str, offer_id: str) -> MatchReviewed:
    return MatchReviewed(
        event_id=uuid.uuid4(),
        match_id=match_id,
        need_id=need_id,
        offer_id=offer_id,
        status="accepted",
        decided_by="rtc-coordinator@rtc.example",
        need_quantity_met=1,
        offer_capacity_used=1,
        revision=1,
        reviewed_at=datetime.now(UTC),
    )


def _story(match_id: str, need_id: str, offer_id: str, final: str) -> list[BaseModel]:
    """Suggested, withdrawn and (if ``final`` is open) suggested again, revised in that order,
    and the acceptance's review, each event with its own id."""
    need = events.need("2000").model_copy(update={"need_id": need_id})
    offer = events.offer().model_copy(update={"offer_id": offer_id})
    first = events.suggested(need, offer).model_copy(update={"match_id": match_id, "revision": 1})
    story: list[BaseModel] = [
        first,
        events.withdrawn(first).model_copy(update={"revision": 2}),
        _reviewed(match_id, need_id, offer_id),
    ]
    if final == "open":
        again = first.model_copy(update={"event_id": uuid.uuid4(), "revision": 3, "score": 0.9})
        story.append(again)
    return story


async def _outcome(notifier: ServiceRuntime, match_id: str) -> tuple[Any, ...]:
    row = await probes.suggestion(notifier.sessions, match_id)
    assert row is not None
    told = {(n.recipient, n.type) for n in await probes.notifications(notifier.sessions, match_id)}
    return row.status, row.matcher_revision, row.score, row.withdrawn_reason, row.announced, told


async def test_a_batch_in_any_order_ends_as_its_events_one_by_one_would(
    notifier: ServiceRuntime,
) -> None:
    await add_coordinator(notifier.sessions, "Antwerpen")
    service = _service(notifier)
    for final in ("open", "withdrawn"):
        need, offer = events.need("2000"), events.offer()
        await service.handle(_batch(need, offer))
        template = _story("template", need.need_id, offer.offer_id, final)
        for order in itertools.permutations(range(len(template))):
            batched, one_by_one = events.unique("match"), events.unique("match")
            stories = {
                mid: _story(mid, need.need_id, offer.offer_id, final)
                for mid in (batched, one_by_one)
            }
            await service.handle(_batch(*(stories[batched][i] for i in order)))
            for index in order:
                await service.handle(_batch(stories[one_by_one][index]))
            batch_outcome = await _outcome(notifier, batched)
            expected = await _outcome(notifier, one_by_one)
            if final == "withdrawn":
                # One by one, a suggestion is mailed if it comes before its withdrawal; a batch
                # does not announce one that the same run of matcher events withdraws.
                assert batch_outcome[4] <= expected[4] and batch_outcome[5] <= expected[5]
                batch_outcome, expected = batch_outcome[:4], expected[:4]
            assert batch_outcome == expected, (final, order)
