"""The review state never drifts from the matcher: after a stream of postings with offers
withdrawn, changed and pushed out of the lists, through the real intake, matcher and notifier,
every match has the same status in both (matches.suggested and matches.withdrawn travel on
different topics and arrive in any order)."""

import asyncio
import random
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.tables import NeedRow, OfferRow, RejectionRow
from services.matcher.tables import MatcherPosting, MatchSuggestion
from services.review.tables import ReviewMatch
from shared import topics
from shared.outbox import OutboxEvent
from tests.builders import need_event, offer_event
from tests.kafka_io import as_json, produce
from tests.pipeline import pipeline_caught_up, running_pipeline
from tests.review.conftest import Sessions
from tests.stack import Stack

# The matcher's status of a suggestion as the review calls it.
SAME = {"suggested": "open", "withdrawn": "withdrawn"}
NEEDS, OFFERS, WITHDRAWN, CHANGED = 250, 600, 120, 100
EVERYTHING = (NEEDS + OFFERS, WITHDRAWN, CHANGED)  # (postings, withdrawn, changed) at the end
POSTAL_CODES = ("3500", "3600", "3590", "3800", "2000", "2800", "9000")


@pytest.fixture
async def pipeline(stack: Stack) -> AsyncIterator[None]:
    """Intake, matcher and notifier running side by side."""
    async with running_pipeline():
        yield


def _period(start_in: int, days: int) -> dict[str, str]:
    start = date.today() + timedelta(days=start_in)
    return {"start": start.isoformat(), "end": (start + timedelta(days=days)).isoformat()}


async def _arrived(
    sessions: Sessions, prefix: str, wanted: tuple[int, int, int] = EVERYTHING
) -> None:
    """Wait until the matcher holds (postings, withdrawn, changed) of the run as ``wanted``; by
    default every posting as last sent. Says where they stopped if not."""
    have = (0, 0, 0)
    try:
        async with asyncio.timeout(1200):
            while have != wanted:
                await asyncio.sleep(1)
                async with sessions() as session:
                    have = await _matcher_postings(session, prefix)
    except TimeoutError:
        async with sessions() as session:
            needs = await _count(session, NeedRow.need_id.like(prefix))
            offers = await _count(session, OfferRow.offer_id.like(prefix))
            refused = await _count(session, RejectionRow.posting_id.like(prefix))
        raise AssertionError(
            f"the matcher holds (postings, withdrawn, changed) {have}, not {wanted}; "
            f"intake stored {needs} needs and {offers} offers and refused {refused} events"
        ) from None


async def _matcher_postings(session: AsyncSession, prefix: str) -> tuple[int, int, int]:
    ours = MatcherPosting.posting_id.like(prefix)
    return (
        await _count(session, ours),
        await _count(session, ours, MatcherPosting.status == "withdrawn"),
        await _count(session, ours, MatcherPosting.payload["field"].astext == "mechanica"),
    )


async def _count(session: AsyncSession, *where: object) -> int:
    return await session.scalar(select(func.count()).where(*where)) or 0  # type: ignore[arg-type]


async def _settled(sessions: Sessions) -> None:
    """Wait until every consumer has worked through what is on its topics and nothing waits
    in the outbox, twice in a row (each stage feeds the next)."""
    quiet = 0
    async with asyncio.timeout(1200):
        while quiet < 2:
            await pipeline_caught_up()
            async with sessions() as session:
                waiting = await session.scalar(select(func.count()).select_from(OutboxEvent))
            quiet = quiet + 1 if waiting == 0 else 0
            await asyncio.sleep(0.5)


async def _statuses(
    session: AsyncSession, table: type[MatchSuggestion] | type[ReviewMatch], need_ids: str
) -> dict[str, str]:
    """Match id -> status of the matches whose need id is ``LIKE need_ids``."""
    rows = await session.execute(
        select(table.match_id, table.status).where(table.need_id.like(need_ids))
    )
    return dict(rows.tuples().all())


async def test_review_state_equals_the_matchers_after_a_stream(
    pipeline: None, sessions: Sessions
) -> None:
    run, pick = uuid.uuid4().hex[:8], random.Random(11)
    needs = [
        need_event(
            need_id=f"ledger-{run}-n{i}",
            school={
                "institution_number": f"{100000 + i}",
                "name": "School",
                "postal_code": pick.choice(POSTAL_CODES),
            },
            period={**_period(pick.randint(20, 60), 90), "days": pick.randint(1, 5)},
        )
        for i in range(NEEDS)
    ]
    offers = [
        offer_event(
            offer_id=f"ledger-{run}-o{i}",
            provider={
                "enterprise_number": "0403.170.701",
                "name": f"Garage {i}",
                "type": "company",
                "postal_code": pick.choice(POSTAL_CODES),
            },
            period=_period(pick.randint(0, 40), 150),
            capacity=pick.randint(1, 3),
        )
        for i in range(OFFERS)
    ]
    await produce(topics.NEEDS_SUBMITTED, [(n["need_id"], as_json(n)) for n in needs])
    await produce(topics.OFFERS_SUBMITTED, [(o["offer_id"], as_json(o)) for o in offers])
    prefix = f"ledger-{run}-%"
    # The offers are in the lists before some are withdrawn or changed, so the stream does
    # withdraw suggestions (in one batch with its submission, a withdrawal would find none).
    await _arrived(sessions, prefix, (NEEDS + OFFERS, 0, 0))
    withdrawn = pick.sample(offers, WITHDRAWN)
    changed = pick.sample([o for o in offers if o not in withdrawn], CHANGED)
    await produce(
        topics.OFFERS_WITHDRAWN,
        [(o["offer_id"], as_json({"event_id": str(uuid.uuid4()), "offer_id": o["offer_id"]}))
         for o in withdrawn],
    )  # fmt: skip
    await produce(
        topics.OFFERS_SUBMITTED,
        [(o["offer_id"], as_json({**o, "event_id": str(uuid.uuid4()), "field": "mechanica"}))
         for o in changed],
    )  # fmt: skip
    await _arrived(sessions, prefix)
    await _settled(sessions)

    async with sessions() as session:
        matcher = await _statuses(session, MatchSuggestion, prefix)
        review = await _statuses(session, ReviewMatch, prefix)
    differences = {
        match_id: (status, review.get(match_id))
        for match_id, status in matcher.items()
        if SAME.get(status, status) != review.get(match_id)
    }
    print(f"ledger: {len(matcher)} matches, {sum(s == 'withdrawn' for s in matcher.values())} "
          f"withdrawn, {len(differences)} differences")  # fmt: skip
    assert sum(status == "withdrawn" for status in matcher.values()) > WITHDRAWN
    assert differences == {}
    assert set(review) == set(matcher)
