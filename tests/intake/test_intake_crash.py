"""Kill -9 the intake process in the middle of a stream; after a restart every event is applied
exactly once and every registered event is published."""

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import NeedRow
from shared import topics
from shared.processed_events import ProcessedEvent
from tests.builders import need_event
from tests.kafka_io import Received, TopicTail, as_json, produce

EVENTS = 3000


def start_intake(log: Path) -> subprocess.Popen[bytes]:
    """The intake service as operators run it, in its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "faststream", "run", "services.intake.app:app"],
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        env=dict(os.environ),
    )


async def stored(db: async_sessionmaker[AsyncSession], run: str) -> int:
    async with db() as session:
        count = await session.scalar(select(func.count()).where(NeedRow.need_id.like(f"{run}-%")))
    return count or 0


async def test_sigkill_mid_stream_then_restart_applies_every_event_exactly_once(
    db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    run = f"crash-{uuid.uuid4().hex[:8]}"
    # Guest lessons in office skills: no other test offers any, so these needs give the matcher
    # and notifier of later tests no thousands of suggestions to work through first.
    events = [
        need_event(need_id=f"{run}-{i:05d}", kind="guest_expert", field="kantoor")
        for i in range(EVENTS)
    ]
    log = tmp_path / "intake.log"

    def all_registered(received: list[Received]) -> bool:
        return len({m.key for m in received if (m.key or "").startswith(run)}) == EVENTS

    async with TopicTail(topics.NEEDS_REGISTERED) as tail:
        await produce(topics.NEEDS_SUBMITTED, [(e["need_id"], as_json(e)) for e in events])
        first = start_intake(log)
        try:
            async with asyncio.timeout(120):
                # Polls another process's progress: there is no event to wait on.
                while (stored_at_kill := await stored(db, run)) == 0:  # noqa: ASYNC110
                    await asyncio.sleep(0.02)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        second = start_intake(log)
        try:
            received = await tail.collect(all_registered, seconds=180)
        finally:
            second.terminate()
            second.wait(timeout=60)

    assert 0 < stored_at_kill < EVENTS, "the kill must land in the middle of the stream"
    ours = [m.value for m in received if (m.key or "").startswith(run)]
    assert {m["need_id"] for m in ours} == {e["need_id"] for e in events}
    assert {m["version"] for m in ours} == {1}
    async with db() as session:
        versions = (
            await session.scalars(select(NeedRow.version).where(NeedRow.need_id.like(f"{run}-%")))
        ).all()
        claims = await session.scalar(
            select(func.count()).where(
                ProcessedEvent.consumer == "intake",
                ProcessedEvent.event_id.in_([e["event_id"] for e in events]),
            )
        )
    assert len(versions) == EVENTS and set(versions) == {1}
    assert claims == EVENTS
