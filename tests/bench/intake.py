"""Intake throughput on the real stack: a sector uploads 10,000 offers at once.

Batched transactions (INTAKE_BATCH_SIZE, default 500) against a one-event-per-transaction
baseline measured in the same run, each from the first event produced to the last
``offers.registered`` event read back. Writes bench-results/intake.json.
"""

import asyncio
import statistics
import time
import uuid
from pathlib import Path

from services.intake.app import build_runtime
from shared import topics
from shared.settings import Settings
from tests.bench.report import on_stack
from tests.builders import VALID_ENTERPRISE_NUMBERS, offer_event
from tests.kafka_io import Received, TopicTail, as_json, produce

UPLOAD = 10_000
BASELINE_UPLOAD = 1_000
RUNS = 3
RESULTS = Path("bench-results/intake.json")


async def upload_seconds(batch_size: int, offers: int) -> float:
    """Seconds from producing ``offers`` offers to reading all their registered events."""
    run = f"bench-{uuid.uuid4().hex[:8]}"
    events = [
        offer_event(
            offer_id=f"{run}-{i:05d}",
            provider={
                **offer_event()["provider"],
                "enterprise_number": VALID_ENTERPRISE_NUMBERS[i % 3],
            },
        )
        for i in range(offers)
    ]
    runtime = build_runtime(Settings(intake_batch_size=batch_size))

    def done(received: list[Received]) -> bool:
        return sum((m.key or "").startswith(run) for m in received) >= offers

    async with runtime.running(), TopicTail(topics.OFFERS_REGISTERED) as tail:
        await asyncio.sleep(3)  # let the consumer group settle before the clock starts
        started = time.perf_counter()
        await produce(topics.OFFERS_SUBMITTED, [(e["offer_id"], as_json(e)) for e in events])
        await tail.collect(done, seconds=600)
        return time.perf_counter() - started


async def measure() -> dict[str, object]:
    """Median events per second, batched and one by one, and their ratio."""
    batched = [UPLOAD / await upload_seconds(500, UPLOAD) for _ in range(RUNS)]
    single = [BASELINE_UPLOAD / await upload_seconds(1, BASELINE_UPLOAD) for _ in range(RUNS)]
    return {
        "upload_events": UPLOAD,
        "batched_events_per_second_median": round(statistics.median(batched), 1),
        "baseline_events": BASELINE_UPLOAD,
        "one_by_one_events_per_second_median": round(statistics.median(single), 1),
        "speedup_median": round(statistics.median(batched) / statistics.median(single), 1),
        "runs": RUNS,
    }


def main() -> None:
    """Start the test stack, measure, write and print the figures, stop the stack."""
    on_stack(measure, RESULTS)


if __name__ == "__main__":
    main()
