"""Whatever a producer sends, intake goes on (property-based, issue #9 item 1).

Arbitrary bytes, arbitrary JSON and mutated valid events go through ``IntakeService.handle`` on
the real database in one batch with a valid event behind them: the batch commits, every record
ends registered, on ``postings.rejected`` or on ``postings.dlq``, and the valid event is registered.
"""

import itertools
import json
from collections.abc import Iterator
from typing import Any
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake import outgoing
from services.intake.inbound import Record
from services.intake.service import IntakeService
from shared import topics
from shared.outbox import OutboxEvent, add_many_to_outbox
from tests.builders import need_event, offer_event

INBOUND = (
    topics.NEEDS_SUBMITTED,
    topics.OFFERS_SUBMITTED,
    topics.NEEDS_WITHDRAWN,
    topics.OFFERS_WITHDRAWN,
)
ENDS = {
    topics.NEEDS_REGISTERED,
    topics.OFFERS_REGISTERED,
    topics.POSTINGS_REJECTED,
    topics.POSTINGS_DLQ,
}
HOSTILE_TEXT = st.sampled_from(
    ["", "   ", "\x00", "ab\x00cd", "\ud800", "x\udfff", "e" * 150, "k" * 300, "<12 jaar", "0"]
)
TEXT = st.text(max_size=40) | HOSTILE_TEXT
LEAVES = st.none() | st.booleans() | st.integers() | st.floats() | TEXT
JSON = st.recursive(
    LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)
)
KEYS = st.none() | st.binary(max_size=300).map(lambda raw: raw.decode(errors="replace"))
# How to spoil a valid event: which path, and delete it, put a value there, or slip a character
# into the text there.
CHARACTERS = st.sampled_from(["\x00", "\x07", "\ud800", "\udfff", "<", "'", ";", "--"])
MUTATIONS = st.lists(
    st.tuples(
        st.integers(min_value=0),
        st.just(("delete",))
        | st.tuples(st.just("set"), JSON | HOSTILE_TEXT)
        | st.tuples(st.just("insert"), CHARACTERS, st.integers(min_value=0)),
    ),
    min_size=1,
    max_size=3,
)
_offsets = itertools.count()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, inner in items:
        yield (*prefix, key)
        if isinstance(inner, dict | list) and inner:
            yield from _paths(inner, (*prefix, key))


def _spoil(event: dict[str, Any], choice: int, action: tuple[Any, ...]) -> None:
    paths = list(_paths(event))
    if action[0] == "insert":
        paths = [path for path in paths if isinstance(_at(event, path), str)] or paths
    *parent_path, last = paths[choice % len(paths)]
    parent = _at(event, tuple(parent_path))
    if action[0] == "delete":
        del parent[last]
    elif action[0] == "set":
        parent[last] = action[1]
    elif isinstance(parent[last], str):
        text, at = parent[last], action[2] % (len(parent[last]) + 1)
        parent[last] = text[:at] + action[1] + text[at:]


def _at(event: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        event = event[part]
    return event


def mutated(topic: str, mutations: list[tuple[int, tuple[Any, ...]]]) -> bytes:
    event = need_event() if topic == topics.NEEDS_SUBMITTED else offer_event()
    for choice, action in mutations:
        _spoil(event, choice, action)
    return json.dumps(event).encode()


# Integers too long for Python's int parsing, too deep nesting: written as bytes.
ODD_JSON = st.integers(min_value=4000, max_value=6000).map(lambda n: b"[" + b"9" * n + b"]") | (
    st.integers(min_value=900, max_value=100_000).map(lambda n: b"[" * n + b"]" * n)
)
INPUTS = st.one_of(
    st.tuples(st.sampled_from(INBOUND), KEYS, st.binary(max_size=500) | ODD_JSON),
    st.tuples(st.sampled_from(INBOUND), KEYS, JSON.map(lambda v: json.dumps(v).encode())),
    st.tuples(
        st.sampled_from([topics.NEEDS_SUBMITTED, topics.OFFERS_SUBMITTED]),
        KEYS,
        MUTATIONS,
    ).map(lambda drawn: (drawn[0], drawn[1], mutated(drawn[0], drawn[2]))),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs=st.lists(INPUTS, min_size=1, max_size=10))
async def test_any_input_ends_somewhere_and_a_valid_event_behind_it_is_registered(
    db: async_sessionmaker[AsyncSession], inputs: list[tuple[str, str | None, bytes]]
) -> None:
    valid = need_event()
    records = [
        Record(topic, 0, next(_offsets), key, value, 1_900_000_000_000)
        for topic, key, value in [
            *inputs,
            (topics.NEEDS_SUBMITTED, valid["need_id"], json.dumps(valid).encode()),
        ]
    ]
    sent: list[tuple[str, str, BaseModel]] = []

    async def recording(
        session: AsyncSession, events: list[tuple[str, str, BaseModel]], *partition: Any
    ) -> None:
        sent.extend(events)
        await add_many_to_outbox(session, events, *partition)

    async with db() as session:
        before = await session.scalar(select(func.coalesce(func.max(OutboxEvent.id), 0)))
    with patch.object(outgoing, "add_many_to_outbox", recording):
        await IntakeService(db, max_message_bytes=1_000_000).handle(records)

    ends = [(topic, key) for topic, key, _ in sent if not key.endswith(":vervanging")]
    assert {topic for topic, _ in ends} <= ENDS
    assert len(ends) == len(records), "every record ends registered, rejected or dead-lettered"
    assert (topics.NEEDS_REGISTERED, valid["need_id"]) in ends
    async with db() as session, session.begin():  # nothing for a later relay to send
        await session.execute(delete(OutboxEvent).where(OutboxEvent.id > before))
