"""The demo keeps living after the world is published: now and then a new need or offer, and a
simulated coordinator who decides some of the suggestions.

The coordinator acts as an external system would: it reads ``matches.suggested`` and publishes
``matches.decided`` as the demo coordinator of the suggestion's region (a login ``make run``
creates; without it the decision is refused on postings.rejected); the notifier takes those
decisions under the review rules (capacity, open postings), like the coordinator's own in the
web pages. Both parts are pure functions here
(``new_posting``, ``simulated_decision``); ``keep_living`` runs them until cancelled.
"""

import asyncio
import itertools
import random
import zlib
from datetime import UTC, date, datetime, timedelta
from typing import get_args
from uuid import uuid4

from aiokafka import AIOKafkaProducer
from pydantic import ValidationError

from services.demo import world
from services.demo.catalogue import NEEDS, OFFERS, SCHOOLS
from services.demo.logins import SIGNED_IN_SCHOOL, coordinator_email, people_region
from shared import topics
from shared.contracts import MatchDecided, MatchSuggested, NeedSubmitted, OfferSubmitted
from shared.contracts.matches import ReasonCode

# Of the rank-1 suggestions (by a hash of the match id, so a rerun decides the same way):
ACCEPT_PERCENT = 50
REJECT_PERCENT = 20
REASONS: dict[str, str] = {
    "too_far": "Te ver voor de school.",
    "wrong_field": "Het aanbod past niet bij de studierichting.",
    "dates": "De periode past niet in de planning van de school.",
    "quality": "Een andere kandidaat past beter.",
}
assert set(REASONS) <= set(get_args(ReasonCode))


def new_posting(
    rng: random.Random, today: date, run: str, number: int
) -> NeedSubmitted | OfferSubmitted:
    """The ``number``-th new posting of demo run ``run``: odd numbers a need of a demo school
    (never the one people sign in as: what it posts is theirs), even ones an offer of a demo
    provider, each from a random catalogue template. An offer opens
    1 to 5 weeks from ``today`` and stays open to the end of the coming school year, so it can
    meet the world's needs too; a need's period lies within a year from such a day (as in the
    world). Fresh id per run and number; same ``rng`` state, same posting (but ``event_id``)."""
    posting_id = f"demo-live-{run}-{number:03d}"
    start = today + timedelta(weeks=rng.randrange(1, 6))
    if number % 2:
        others = [school for school in SCHOOLS if school is not SIGNED_IN_SCHOOL]
        school, key = rng.choice(others), rng.choice(sorted(NEEDS))
        # The world's school: same institution number and contact, so its login sees the need.
        known = next(need for need in world.needs(today) if need.school.name == school.name)
        institution, contact = known.school.institution_number, known.contact.model_dump()
        return world.need(rng, school, institution, contact, NEEDS[key], posting_id, start)
    line = rng.choice(OFFERS)._replace(capacity=rng.randrange(1, 5))
    return world.offer(rng, line, posting_id, start, world.school_year(today)[1])


def simulated_decision(suggestion: MatchSuggested, now: datetime) -> MatchDecided | None:
    """What the simulated coordinator does with ``suggestion``: rank-1 ones about half accepted,
    a fifth rejected with the reason code their weakest score points at; the rest (and every
    lower rank, and every suggestion in the signed-in demo school's region) is left to the people
    signed in. Depends only on the match id, its region and its scores."""
    if suggestion.rank != 1 or suggestion.rtc_region == people_region():
        return None
    bucket = zlib.crc32(suggestion.match_id.encode()) % 100
    if bucket < ACCEPT_PERCENT:
        return MatchDecided(
            event_id=uuid4(),
            match_id=suggestion.match_id,
            decision="accepted",
            reason="Aanvaard door de demo-coördinator.",
            decided_by=coordinator_email(suggestion.rtc_region),
            decided_at=now,
        )
    if bucket >= ACCEPT_PERCENT + REJECT_PERCENT:
        return None
    parts = suggestion.components
    scores: list[tuple[float, ReasonCode]] = [
        (parts.distance, "too_far"),
        (parts.field, "wrong_field"),
        (parts.period, "dates"),
    ]
    weakest, code = min(scores)
    if weakest >= 0.5:
        code = "quality"
    return MatchDecided(
        event_id=uuid4(),
        match_id=suggestion.match_id,
        decision="rejected",
        reason=REASONS[code],
        reason_code=code,
        decided_by=coordinator_email(suggestion.rtc_region),
        decided_at=now,
    )


def body(event: NeedSubmitted | OfferSubmitted | MatchDecided) -> bytes:
    """The JSON an external producer sends: contract field names, absent optionals left out."""
    return event.model_dump_json(exclude_none=True).encode()


def topic_and_key(event: NeedSubmitted | OfferSubmitted) -> tuple[str, str]:
    """Where a posting goes, keyed by its id."""
    return topics.SUBMITTED[event.side], event.posting_id


async def post_now_and_then(producer: AIOKafkaProducer, every_seconds: float) -> None:
    """Publish a new posting every ``every_seconds`` until cancelled."""
    run = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    rng = random.Random(run)
    for number in itertools.count(1):
        await asyncio.sleep(every_seconds)
        event = new_posting(rng, date.today(), run, number)
        topic, key = topic_and_key(event)
        await producer.send_and_wait(topic, key=key.encode(), value=body(event))
        print(f"new posting on {topic}: {key}  {event.kind}  {event.title}", flush=True)


async def _decide_later(producer: AIOKafkaProducer, decided: MatchDecided, delay: float) -> None:
    await asyncio.sleep(delay)
    key = decided.match_id.encode()
    await producer.send_and_wait(topics.MATCHES_DECIDED, key=key, value=body(decided))
    print(f"demo coordinator {decided.decision} {decided.match_id} {decided.reason}", flush=True)


class Coordinator:
    """The simulated coordinator: sees each suggestion once, decides some after a delay."""

    def __init__(self, producer: AIOKafkaProducer, delay_seconds: float) -> None:
        self.producer, self.delay_seconds = producer, delay_seconds
        self.seen: set[str] = set()
        self.pending: set[asyncio.Task[None]] = set()

    def suggested(self, value: bytes) -> None:
        """Take a ``matches.suggested`` record; a decision, if any, follows after the delay."""
        try:
            suggestion = MatchSuggested.model_validate_json(value)
        except ValidationError as error:  # said, not decided on
            print(f"demo coordinator skips an invalid suggestion: {error}", flush=True)
            return
        if suggestion.match_id in self.seen:
            return  # a newer revision of a suggestion already seen
        self.seen.add(suggestion.match_id)
        decided = simulated_decision(suggestion, datetime.now(UTC))
        if decided is not None:
            task = asyncio.create_task(_decide_later(self.producer, decided, self.delay_seconds))
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)

    async def stop(self) -> None:
        """Cancel the decisions not yet sent."""
        for task in list(self.pending):
            task.cancel()
        await asyncio.gather(*self.pending, return_exceptions=True)
