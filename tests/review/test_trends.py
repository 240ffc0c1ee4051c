"""Dashboard counts: decisions per week, median time to a decision, acceptance per kind and the
schools never matched, each for one region (asserted as growth: the database is shared)."""

from datetime import UTC, date, datetime, timedelta

from services.review.actors import Actor
from services.review.decisions import make_decision
from services.review.known_postings import store_need
from services.review.stats import (
    acceptance_by_kind,
    decided_per_week,
    median_hours_to_decision,
    schools_never_matched,
)
from services.review.tables import ReviewMatch
from tests.notifier import events
from tests.review.conftest import Sessions, suggested_pairs

REGION = "Oost-Vlaanderen"
COORDINATOR = Actor.coordinator("rtc@oost-vlaanderen.example", REGION)


async def _trends(sessions: Sessions) -> tuple[dict[date, tuple[int, int]], dict[str, int]]:
    """Per week (accepted, rejected); per kind decided * 1000 + accepted."""
    async with sessions() as session:
        weeks = await decided_per_week(session, REGION)
        kinds = await acceptance_by_kind(session, REGION)
    return (
        {w.week: (w.accepted, w.rejected) for w in weeks},
        {k.kind: k.decided * 1000 + k.accepted for k in kinds},
    )


async def test_decisions_are_counted_per_week_and_kind(sessions: Sessions) -> None:
    weeks_before, kinds_before = await _trends(sessions)
    needs = [events.need("9000"), events.need("9000")]
    suggested_at = datetime.now(UTC) - timedelta(hours=10)
    matches = await suggested_pairs(sessions, needs, events.offer(capacity=5))
    async with sessions.begin() as session:
        for match in matches:  # suggested ten hours ago
            row = await session.get(ReviewMatch, match.match_id)
            assert row is not None
            row.suggested_at = suggested_at
    async with sessions.begin() as session:
        await make_decision(session, matches[0].match_id, "accepted", None, "", COORDINATOR)
        await make_decision(session, matches[1].match_id, "rejected", "too_far", "", COORDINATOR)

    weeks_after, kinds_after = await _trends(sessions)
    this_week = max(weeks_after)
    before = weeks_before.get(this_week, (0, 0))
    assert (weeks_after[this_week][0] - before[0], weeks_after[this_week][1] - before[1]) == (1, 1)
    grown = kinds_after["teacher_internship"] - kinds_before.get("teacher_internship", 0)
    assert grown == 2 * 1000 + 1  # two more decided, one more accepted
    async with sessions() as session:
        median = await median_hours_to_decision(session, REGION)
        elsewhere = await decided_per_week(session, "Nowhere")
    assert median is not None and median > 0
    assert elsewhere == []


async def test_a_school_is_never_matched_until_one_need_is_accepted(sessions: Sessions) -> None:
    first = events.need("9000", school_name="Atheneum Gent")
    second = first.model_copy(update={"need_id": f"{first.need_id}-b"})
    async with sessions.begin() as session:
        await store_need(session, second)
    (match,) = await suggested_pairs(sessions, [first], events.offer())
    school = first.school.institution_number

    async with sessions() as session:
        unmatched = {
            s.institution_number: s for s in await schools_never_matched(session, REGION, 10**6)
        }
    assert unmatched[school].needs == 2
    assert unmatched[school].school_name == "Atheneum Gent"
    async with sessions.begin() as session:
        await make_decision(session, match.match_id, "accepted", None, "", COORDINATOR)
    async with sessions() as session:
        after = {s.institution_number for s in await schools_never_matched(session, REGION, 10**6)}
    assert school not in after
