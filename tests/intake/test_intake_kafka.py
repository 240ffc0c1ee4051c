"""Intake end to end on the real broker and database.

Valid postings are stored and registered; bad input is rejected precisely while the valid events
around it go through; a redelivered event is applied once.
"""

import uuid
from collections import Counter, defaultdict
from itertools import zip_longest
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import NeedRow, OfferRow
from shared import topics
from shared.processed_events import ProcessedEvent
from shared.taxonomy import kind_groups
from shared.topics import kind_partition
from tests.builders import days_from_today, need_event, offer_event
from tests.kafka_io import Received, TopicTail, as_json, produce

OUTPUT_TOPICS = (
    topics.NEEDS_REGISTERED,
    topics.OFFERS_REGISTERED,
    topics.POSTINGS_REJECTED,
    topics.POSTINGS_DLQ,
)
REGISTERED = (topics.NEEDS_REGISTERED, topics.OFFERS_REGISTERED)
KINDS = (
    "teacher_internship",
    "equipment_loan",
    "pupil_placement",
    "replacement_activity",
    "infrastructure_access",
    "guest_expert",
)


def by_topic(received: list[Received], prefix: str) -> dict[str, list[Received]]:
    grouped: dict[str, list[Received]] = defaultdict(list)
    for message in received:
        if (message.key or "").startswith(prefix):
            grouped[message.topic].append(message)
    return grouped


def rejection_errors(received: list[Received], prefix: str) -> dict[str, dict[str, str]]:
    return {
        message.key or "": {e["field"]: e["message"] for e in message.value["errors"]}
        for message in by_topic(received, prefix)[topics.POSTINGS_REJECTED]
    }


async def test_valid_postings_of_every_kind_pass_and_bad_input_is_rejected_precisely(
    intake: None, db: async_sessionmaker[AsyncSession]
) -> None:
    run = f"mix-{uuid.uuid4().hex[:8]}"
    valid_needs = [need_event(need_id=f"{run}-need-{kind}", kind=kind) for kind in KINDS]
    valid_needs[0]["replacement"] = {"grades": ["G3"], "pupils": 16}
    valid_offers = [offer_event(offer_id=f"{run}-offer-{kind}", kind=kind) for kind in KINDS]
    bad_needs: dict[str, dict[str, Any]] = {
        "types": need_event(quantity="veel", grades="G3"),
        "unknown-codes": need_event(field="kernfysica", kind="stage"),
        "postal": need_event(
            school={"institution_number": "048561", "name": "X", "postal_code": "4000"}
        ),
        "dates": need_event(period={"start": days_from_today(150), "end": days_from_today(120)}),
        "huge": need_event(description="x" * 5_000_000),
        "control": need_event(title="Stage\u0000diagnose"),
        "nul-contact": need_event(contact={"name": "An\u0000", "email": "an@school.example"}),
    }
    bad_offers: dict[str, dict[str, Any]] = {
        "checksum": offer_event(
            provider={**offer_event()["provider"], "enterprise_number": "0403.170.702"}
        ),
        "capacity": offer_event(capacity=-3),
    }
    need_stream: list[tuple[str | None, bytes]] = [(f"{run}-dlq-1", b"\xff{not json")]
    for name, bad in bad_needs.items():
        bad["need_id"] = f"{run}-bad-{name}"
    for bad, good in zip_longest(bad_needs.values(), valid_needs):
        need_stream += [(e["need_id"], as_json(e)) for e in (bad, good) if e is not None]
    need_stream += [(f"{run}-dlq-2", b"[1, 2, 3]")]
    offer_stream: list[tuple[str | None, bytes]] = []
    for name, bad in bad_offers.items():
        bad["offer_id"] = f"{run}-bad-{name}"
        offer_stream.append((bad["offer_id"], as_json(bad)))
    offer_stream += [(offer["offer_id"], as_json(offer)) for offer in valid_offers]

    def complete(received: list[Received]) -> bool:
        grouped = by_topic(received, run)
        return (
            len(grouped[topics.NEEDS_REGISTERED]) == len(KINDS) + 1
            and len(grouped[topics.OFFERS_REGISTERED]) == len(KINDS)
            and len(grouped[topics.POSTINGS_REJECTED]) == len(bad_needs) + len(bad_offers)
            and len(grouped[topics.POSTINGS_DLQ]) == 2
        )

    async with TopicTail(*OUTPUT_TOPICS) as tail:
        await produce(topics.NEEDS_SUBMITTED, need_stream)
        await produce(topics.OFFERS_SUBMITTED, offer_stream)
        received = await tail.collect(complete)

    errors = rejection_errors(received, run)
    assert errors[f"{run}-bad-types"]["quantity"].startswith("Input should be a valid integer")
    assert errors[f"{run}-bad-types"]["grades"] == "Input should be a valid list"
    assert errors[f"{run}-bad-unknown-codes"]["field"].startswith("unknown field 'kernfysica'")
    assert errors[f"{run}-bad-unknown-codes"]["kind"].startswith("unknown kind 'stage'")
    assert (
        "not a postal code of Flanders or Brussels"
        in errors[f"{run}-bad-postal"]["school.postal_code"]
    )
    assert errors[f"{run}-bad-dates"]["period"] == (
        f"end {days_from_today(120)} is before start {days_from_today(150)}"
    )
    assert errors[f"{run}-bad-huge"]["(event)"].endswith("the limit is 1000000 bytes")
    assert errors[f"{run}-bad-control"]["title"] == "text contains control characters"
    assert errors[f"{run}-bad-nul-contact"]["contact.name"] == "text contains control characters"
    assert "mod-97" in errors[f"{run}-bad-checksum"]["provider.enterprise_number"]
    assert "greater than or equal to 1" in errors[f"{run}-bad-capacity"]["capacity"]

    letters = {m.key: m.value for m in by_topic(received, run)[topics.POSTINGS_DLQ]}
    assert letters[f"{run}-dlq-1"]["reason"].startswith("not valid UTF-8 JSON")
    assert letters[f"{run}-dlq-2"]["reason"] == "JSON list is not an object"

    registered = {m.key: m.value for m in by_topic(received, run)[topics.NEEDS_REGISTERED]}
    # Each travels on its kind group's partition: the matcher instance holding it holds the group.
    routed = [m for topic in REGISTERED for m in by_topic(received, run)[topic]]
    assert [m.partition for m in routed] == [kind_partition(m.value["kind"]) for m in routed]
    assert len({m.partition for m in routed}) == len(kind_groups())
    internship = registered[f"{run}-need-teacher_internship"]
    assert internship["place"]["rtc_region"] == "Limburg"
    linked = registered[f"{run}-need-teacher_internship:vervanging"]
    assert (linked["kind"], linked["linked_need_id"]) == (
        "replacement_activity",
        internship["need_id"],
    )
    async with db() as session:
        stored_needs = await session.scalar(
            select(func.count()).where(NeedRow.need_id.like(f"{run}%"))
        )
        stored_offers = await session.scalar(
            select(func.count()).where(OfferRow.offer_id.like(f"{run}%"))
        )
    assert (stored_needs, stored_offers) == (len(KINDS) + 1, len(KINDS))


async def test_redelivery_is_applied_once_and_updates_and_withdrawals_follow_the_rules(
    intake: None, db: async_sessionmaker[AsyncSession]
) -> None:
    run = f"life-{uuid.uuid4().hex[:8]}"
    need_id = f"{run}-need"
    first = need_event(need_id=need_id)
    update = need_event(need_id=need_id, title="Bedrijfsstage hoogspanning en batterijen")
    foreign_withdrawal = {
        "event_id": str(uuid.uuid4()),
        "need_id": need_id,
        "organisation_number": "111111",
    }
    withdrawal = {
        "event_id": str(uuid.uuid4()),
        "need_id": need_id,
        "organisation_number": "048561",
    }

    async with TopicTail(topics.NEEDS_REGISTERED, topics.POSTINGS_REJECTED) as tail:
        await produce(topics.NEEDS_SUBMITTED, [(need_id, as_json(first))] * 3)
        await tail.collect(lambda r: len(by_topic(r, run)[topics.NEEDS_REGISTERED]) >= 1)
        await produce(topics.NEEDS_SUBMITTED, [(need_id, as_json(update))])
        await tail.collect(lambda r: len(by_topic(r, run)[topics.NEEDS_REGISTERED]) >= 2)
        await produce(topics.NEEDS_WITHDRAWN, [(need_id, as_json(foreign_withdrawal))])
        await tail.collect(lambda r: len(by_topic(r, run)[topics.POSTINGS_REJECTED]) >= 1)
        await produce(topics.NEEDS_WITHDRAWN, [(need_id, as_json(withdrawal))] * 2)
        received = await tail.collect(lambda r: len(by_topic(r, run)[topics.NEEDS_REGISTERED]) >= 3)
        await produce(topics.NEEDS_SUBMITTED, [(need_id, as_json(need_event(need_id=need_id)))])
        received = await tail.collect(
            lambda r: len(by_topic(r, run)[topics.POSTINGS_REJECTED]) >= 2
        )

    registered = [m.value for m in by_topic(received, run)[topics.NEEDS_REGISTERED]]
    assert [(r["version"], r["status"]) for r in registered] == [
        (1, "open"),
        (2, "open"),
        (3, "withdrawn"),
    ]
    assert registered[1]["title"] == "Bedrijfsstage hoogspanning en batterijen"
    rejected = [m.value for m in by_topic(received, run)[topics.POSTINGS_REJECTED]]
    assert rejected[0]["source_event_id"] == foreign_withdrawal["event_id"]
    assert "only its owner may withdraw it" in rejected[0]["errors"][0]["message"]
    assert "is withdrawn; post it under a new id" in rejected[1]["errors"][0]["message"]
    async with db() as session:
        row = await session.get(NeedRow, need_id)
        claims = await session.scalar(
            select(func.count()).where(
                ProcessedEvent.consumer == "intake",
                ProcessedEvent.event_id.in_([first["event_id"], withdrawal["event_id"]]),
            )
        )
    assert row is not None and (row.version, row.status) == (3, "withdrawn")
    assert claims == 2
    assert Counter(r["event_id"] for r in registered).most_common(1)[0][1] == 1
