"""Each event that used to make an intake batch fail forever (issue #9 item 1), published once on
the real broker: each ends on ``postings.rejected`` or ``postings.dlq``, every rejection is also
stored, and a valid event behind them is registered."""

import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import RejectionRow
from shared import topics
from tests.builders import need_event
from tests.kafka_io import Received, TopicTail, as_json, produce

OUTPUT = (topics.NEEDS_REGISTERED, topics.POSTINGS_REJECTED, topics.POSTINGS_DLQ)


def without(field: str, **overrides: object) -> bytes:
    event = need_event(**overrides)
    del event[field]
    return as_json(event)


async def test_hostile_events_are_rejected_or_dead_lettered_and_the_consumer_goes_on(
    intake: None, db: async_sessionmaker[AsyncSession]
) -> None:
    run = f"hostile-{uuid.uuid4().hex[:8]}"
    uuid_ = str(uuid.uuid4())
    reused = need_event(need_id=f"{run}-reused-a")
    long_key = f"{run}-long-key-" + "k" * 300
    records: list[tuple[str | None, bytes]] = [
        (long_key, without("need_id")),
        (f"{run}-long-id", as_json(need_event(need_id=f"{run}-long-id", event_id="e" * 150))),
        (f"{run}-nul-id", as_json(need_event(need_id=f"{run}-nul-id", event_id="ab\x00cd"))),
        (
            f"{run}-surrogate-id",
            f'{{"event_id": "{uuid_}\\ud800", "need_id": "{run}-surrogate-id"}}'.encode(),
        ),
        (f"{run}-blank-id-1", as_json(need_event(need_id=f"{run}-blank-id-1", event_id="   "))),
        (f"{run}-blank-id-2", as_json(need_event(need_id=f"{run}-blank-id-2", event_id="   "))),
        (
            f"{run}-nul-contact",
            as_json(
                need_event(
                    need_id=f"{run}-nul-contact",
                    contact={"name": "An\x00", "email": "an@school.example"},
                )
            ),
        ),
        (
            f"{run}-nul-school",
            as_json(
                need_event(
                    need_id=f"{run}-nul-school",
                    school={
                        "institution_number": "048561",
                        "name": "VTI\x00",
                        "postal_code": "3500",
                    },
                )
            ),
        ),
        (
            f"{run}-nul-keyword",
            as_json(need_event(need_id=f"{run}-nul-keyword", keywords=["ev\x00"])),
        ),
        (f"{run}-nul-key\x00", b"\x00 not json"),
        (f"{run}-deep", b"[" * 100_000 + b"]" * 100_000),
        (f"{run}-big-int", b'{"quantity": ' + b"9" * 5000 + b"}"),
        (reused["need_id"], as_json(reused)),
        (reused["need_id"], as_json(reused)),  # a redelivery: skipped
        # Same key, so the same partition and after the first: the same id on other content.
        (reused["need_id"], as_json({**reused, "need_id": f"{run}-reused-b"})),
    ]
    valid = need_event(need_id=f"{run}-valid-behind")
    records.append((valid["need_id"], as_json(valid)))

    def ours(topic: str) -> Callable[[list[Received]], list[Received]]:
        return lambda received: [
            m for m in received if m.topic == topic and (m.key or "").startswith(run)
        ]

    rejected, dead, registered = (
        ours(topics.POSTINGS_REJECTED),
        ours(topics.POSTINGS_DLQ),
        ours(topics.NEEDS_REGISTERED),
    )

    def complete(received: list[Received]) -> bool:
        return (
            len(rejected(received)) >= 10
            and len(dead(received)) >= 3
            and len(registered(received)) >= 2
        )

    async with TopicTail(*OUTPUT) as tail:
        await produce(topics.NEEDS_SUBMITTED, records)
        received = await tail.collect(complete)

    assert {m.key for m in registered(received)} == {reused["need_id"], valid["need_id"]}
    by_key = {m.key: m.value for m in rejected(received)}
    assert len(by_key) == len(rejected(received)) == 10
    assert by_key[long_key[:120]]["posting_id"] == long_key[:120]
    assert by_key[f"{run}-long-id"]["source_event_id"] == "e" * 150
    assert by_key[f"{run}-nul-id"]["source_event_id"] == "ab\ufffdcd"
    assert by_key[f"{run}-surrogate-id"]["source_event_id"] == f"{uuid_}\ufffd"
    for name in ("contact.name", "school.name", "keywords.0"):
        part = {"contact.name": "contact", "school.name": "school", "keywords.0": "keyword"}[name]
        errors = {e["field"]: e["message"] for e in by_key[f"{run}-nul-{part}"]["errors"]}
        assert errors[name] == "text contains control characters"
    assert {e["field"] for e in by_key[f"{run}-blank-id-1"]["errors"]} == {"event_id"}
    assert {e["field"] for e in by_key[f"{run}-blank-id-2"]["errors"]} == {"event_id"}
    [reuse_error] = by_key[f"{run}-reused-b"]["errors"]
    assert "was already used by a different event" in reuse_error["message"]

    letters = {m.key: m.value for m in dead(received)}
    assert letters[f"{run}-nul-key\ufffd"]["key"] == f"{run}-nul-key\x00"
    assert letters[f"{run}-deep"]["reason"] == "JSON nested too deeply to be an event"
    assert letters[f"{run}-big-int"]["reason"].startswith("not valid UTF-8 JSON")

    async with db() as session:
        stored = (
            await session.scalars(
                select(RejectionRow).where(RejectionRow.posting_id.like(f"{run}-%"))
            )
        ).all()
    assert sorted(row.posting_id or "" for row in stored) == sorted(by_key)
