"""The shortage radar counts open needs no accepted match serves, grades 1 and 2 always shown."""

from services.review.actors import Actor
from services.review.decisions import make_decision
from services.review.known_postings import store_need
from services.review.stats import shortage
from tests.notifier import events
from tests.review.conftest import Sessions, suggested_pairs

REGION = "West-Vlaanderen"


async def _counts(sessions: Sessions) -> dict[tuple[str, str], int]:
    async with sessions() as session:
        cells = await shortage(session, REGION)
    assert {cell.rtc_region for cell in cells} <= {REGION}
    return {(cell.field, cell.grade): cell.open_needs for cell in cells}


async def test_open_needs_are_counted_until_a_match_is_accepted(sessions: Sessions) -> None:
    before = await _counts(sessions)
    sport = [
        events.need("8000").model_copy(update={"field": "sport", "grades": grades})
        for grades in (["G2", "G3"], ["G3"], [])
    ]
    async with sessions.begin() as session:
        for need in sport:
            await store_need(session, need)
    served = events.need("8000").model_copy(update={"field": "sport", "grades": ["G3"]})
    (match,) = await suggested_pairs(sessions, [served], events.offer())
    async with sessions.begin() as session:
        await make_decision(
            session, match.match_id, "accepted", None, "", Actor.admin("a@rtc.example")
        )

    after = await _counts(sessions)
    grown = {cell: after[cell] - before.get(cell, 0) for cell in after}
    assert (grown[("sport", "G2")], grown[("sport", "G3")], grown[("sport", "-")]) == (1, 2, 1)
    assert grown[("sport", "G1")] == 0  # shown, with nobody asking
