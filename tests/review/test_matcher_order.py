"""Whatever order matches.suggested and matches.withdrawn arrive in, the review state ends where
the matcher's last word on each match left it; decisions stay final."""

import random
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from services.review.actors import Actor
from services.review.decisions import make_decision
from services.review.outcomes import match_outcomes
from services.review.suggestions import apply_suggested, apply_withdrawn
from services.review.tables import ReviewMatch
from shared.contracts import MatchSuggested, MatchWithdrawn
from tests.notifier import events
from tests.review.conftest import Sessions, suggested_pairs

MatcherEvent = MatchSuggested | MatchWithdrawn


def _history(match: MatchSuggested, steps: int, first_revision: int) -> list[MatcherEvent]:
    """What the matcher says about one match over time: suggested, withdrawn, suggested, ..."""
    said: list[MatcherEvent] = []
    for step in range(steps):
        revision = first_revision + step
        if step % 2 == 0:
            said.append(match.model_copy(update={"event_id": uuid.uuid4(), "revision": revision}))
        else:
            said.append(
                MatchWithdrawn(
                    event_id=uuid.uuid4(),
                    match_id=match.match_id,
                    need_id=match.need_id,
                    offer_id=match.offer_id,
                    reason="pushed_out",
                    withdrawn_at=datetime.now(UTC),
                    revision=revision,
                )
            )
    return said


async def _apply(sessions: Sessions, said: list[MatcherEvent]) -> None:
    async with sessions.begin() as session:
        for event in said:
            if isinstance(event, MatchSuggested):
                await apply_suggested(session, event)
            else:
                await apply_withdrawn(session, event)


async def test_any_arrival_order_ends_in_the_matchers_last_word(sessions: Sessions) -> None:
    offer, needs = events.offer(), [events.need() for _ in range(60)]
    shuffle = random.Random(9)
    histories = {
        (match := events.suggested(need, offer)).match_id: _history(
            match, shuffle.randint(1, 6), 10**9 + index * 10
        )
        for index, need in enumerate(needs)
    }
    arrivals = [event for said in histories.values() for event in said]
    shuffle.shuffle(arrivals)
    for start in range(0, len(arrivals), 7):  # in several batches, as the consumer takes them
        await _apply(sessions, arrivals[start : start + 7])

    async with sessions() as session:
        for match_id, said in histories.items():
            row = await session.get(ReviewMatch, match_id)
            expected = "open" if isinstance(said[-1], MatchSuggested) else "withdrawn"
            assert row is not None and row.status == expected, match_id


async def test_a_withdrawal_before_its_suggestion_keeps_it_closed(sessions: Sessions) -> None:
    (match,) = [events.suggested(events.need(), events.offer())]
    suggested, withdrawn = _history(match, 2, 5)
    await _apply(sessions, [withdrawn, suggested])
    async with sessions() as session:
        row = await session.get(ReviewMatch, match.match_id)
    assert row is not None and row.status == "withdrawn"


async def test_a_decision_outranks_anything_the_matcher_says_later(sessions: Sessions) -> None:
    (match,) = await suggested_pairs(sessions, [events.need()], events.offer())
    async with sessions.begin() as session:
        await make_decision(
            session, match.match_id, "accepted", None, "", Actor.admin("a@rtc.example")
        )
    await _apply(sessions, _history(match, 2, 10**12))
    async with sessions() as session:
        row = await session.get(ReviewMatch, match.match_id)
    assert row is not None and row.status == "accepted"


async def test_what_ranked_a_suggestion_is_kept_for_the_learning_job(sessions: Sessions) -> None:
    offer, needs = events.offer(), [events.need() for _ in range(3)]
    by_model = events.suggested(needs[0], offer, rank=2).model_copy(
        update={"ranked_by": "model", "model_version": 4}
    )
    by_rule = events.suggested(needs[1], offer).model_copy(update={"ranked_by": "rule"})
    older_producer = events.suggested(needs[2], offer, rank=3)  # says nothing about it
    said = [by_model, by_rule, older_producer]
    await _apply(sessions, list(said))

    outcomes = match_outcomes()
    async with sessions() as session:
        rows = await session.execute(
            select(outcomes.c.match_id, outcomes.c.rank, outcomes.c.ranked_by,
                   outcomes.c.model_version)
            .where(outcomes.c.match_id.in_([match.match_id for match in said]))
        )  # fmt: skip
        shown = {row.match_id: (row.rank, row.ranked_by, row.model_version) for row in rows}

    assert shown == {
        by_model.match_id: (2, "model", 4),
        by_rule.match_id: (1, "rule", None),
        older_producer.match_id: (3, None, None),
    }
