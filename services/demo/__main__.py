"""``python -m services.demo``: publish the demo world, then keep it living (new postings, a
simulated coordinator) and print every suggestion on ``matches.suggested``.

``python -m services.demo logins`` prints the demo's sign-ins, tab separated, for ``make run``.
"""

import asyncio
import contextlib
import signal
import sys
from collections import Counter
from datetime import date

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from pydantic import ValidationError

from services.demo import living, logins, world
from services.demo.settings import DemoSettings
from shared import topics
from shared.contracts import MatchSuggested, NeedSubmitted, OfferSubmitted
from shared.taxonomy import places


async def publish(producer: AIOKafkaProducer, events: list[tuple[str, str, bytes]]) -> None:
    """Send ``(topic, key, value)`` events and wait until all are acknowledged."""
    sends = [
        await producer.send(topic, key=key.encode(), value=value) for topic, key, value in events
    ]
    await asyncio.gather(*sends)


def summary(needs: list[NeedSubmitted], offers: list[OfferSubmitted]) -> str:
    """A few lines on what was published: counts per region, kind and grade."""
    regions = Counter(places()[need.school.postal_code].rtc_region for need in needs)
    kinds = Counter(need.kind for need in needs) + Counter(offer.kind for offer in offers)
    grades = Counter(grade for need in needs for grade in need.grades)
    schools = {need.school.institution_number for need in needs}
    providers = {offer.provider.enterprise_number for offer in offers}
    return "\n".join(
        [
            f"published {len(needs)} needs from {len(schools)} schools and "
            f"{len(offers)} offers from {len(providers)} providers",
            "needs per RTC region: " + ", ".join(f"{r} {n}" for r, n in sorted(regions.items())),
            "postings per kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
            "needs per grade: " + ", ".join(f"{g} {n}" for g, n in sorted(grades.items())),
        ]
    )


def describe(value: bytes) -> str:
    """One line per suggestion: need, offer, score and the coordinator's explanation."""
    try:
        match = MatchSuggested.model_validate_json(value)
    except ValidationError:
        return f"(not a valid suggestion) {value[:200]!r}"
    return f"{match.need_id} <- {match.offer_id}  score {match.score:.2f}  {match.explanation}"


async def at_end(consumer: AIOKafkaConsumer) -> None:
    """Start ``consumer`` and fix its positions at the current end, before anything is published."""
    await consumer.start()
    for partition in consumer.assignment():
        await consumer.position(partition)


async def run(settings: DemoSettings) -> None:
    """Publish the world, then keep it living and print suggestions until cancelled."""
    needs, offers = world.needs(date.today()), world.offers(date.today())
    # No consumer group: every partition, from the end, nothing committed.
    consumer = AIOKafkaConsumer(
        topics.MATCHES_SUGGESTED,
        bootstrap_servers=settings.kafka_bootstrap_servers,
        enable_auto_commit=False,
        auto_offset_reset="latest",
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap_servers, acks="all", enable_idempotence=True
    )
    coordinator = living.Coordinator(producer, settings.decision_delay_seconds)
    background: list[asyncio.Task[None]] = []
    try:
        await producer.start()
        await at_end(consumer)
        await publish(
            producer,
            [(topics.NEEDS_SUBMITTED, need.need_id, living.body(need)) for need in needs]
            + [(topics.OFFERS_SUBMITTED, offer.offer_id, living.body(offer)) for offer in offers],
        )
        print(summary(needs, offers))
        if settings.posting_seconds > 0:
            print(f"a new need or offer every {settings.posting_seconds:g} s")
            background.append(
                asyncio.create_task(living.post_now_and_then(producer, settings.posting_seconds))
            )
        if settings.coordinator:
            yours = logins.people_region()
            print(
                "the simulated coordinator of each region (its demo login) decides some rank-1 "
                f"suggestions after {settings.decision_delay_seconds:g} s, except in {yours}: "
                f"decide there as {logins.coordinator_email(yours)}"
            )
        print(f"waiting for suggestions on {topics.MATCHES_SUGGESTED} (Ctrl-C to stop) ...")
        async for record in consumer:
            print(describe(record.value), flush=True)
            if settings.coordinator:
                coordinator.suggested(record.value)
    finally:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await coordinator.stop()
        await consumer.stop()
        await producer.stop()


async def main() -> None:
    """Run until Ctrl-C or SIGTERM (``make run`` stops the demo with SIGTERM)."""
    task = asyncio.create_task(run(DemoSettings()))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task


if __name__ == "__main__":
    if sys.argv[1:] == ["logins"]:
        print(logins.tab_separated(logins.logins(date.today())))
    elif sys.argv[1:]:
        sys.exit("usage: python -m services.demo [logins]")
    else:
        asyncio.run(main())
