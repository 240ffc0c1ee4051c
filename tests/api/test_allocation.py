"""``/api/allocation`` and ``/toewijzing`` on a region whose round takes its time: the round is
solved off the event loop without holding a database connection, at most a few at once (one
more answers 503 with Retry-After), and it answers one window of its pairs with the totals of
the whole round, of the caller's region only.

These tests own the replacement_activity needs of Vlaams-Brabant: each starts by closing what
an earlier one left open there.
"""

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from services.review import proposals
from services.review.allocation import Allocation, RoundPairs, optimal
from services.review.tables import ReviewMatch, ReviewNeed
from tests.api.builders import Account, Accounts
from tests.notifier import events
from tests.review.conftest import Sessions, suggested_pairs

HOLD_SECONDS = 10  # long enough that a solver on the loop shows; the gate opens long before
REGION, KIND, POSTAL_CODE = "Vlaams-Brabant", "replacement_activity", "3000"


@pytest.fixture(autouse=True)
async def empty_region(db: Sessions) -> AsyncIterator[None]:
    """No open suggestion of this region and kind but the test's own."""
    ours = select(ReviewNeed.need_id).where(
        ReviewNeed.rtc_region == REGION, ReviewNeed.kind == KIND
    )
    async with db.begin() as session:
        await session.execute(
            update(ReviewMatch)
            .where(ReviewMatch.status == "open", ReviewMatch.need_id.in_(ours))
            .values(status="withdrawn")
        )
    yield


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> "HeldSolver":
    """The round's solver, held until the test lets it go."""
    solver = HeldSolver()
    monkeypatch.setattr(proposals, "optimal", solver)
    return solver


class HeldSolver:
    """A solver that takes its time (a big region): it waits for ``release``."""

    def __init__(self) -> None:
        self.solving = threading.Semaphore(0)
        self.release = threading.Event()
        self.log: list[str] = []

    def __call__(self, candidates: RoundPairs) -> Allocation:
        self.solving.release()
        self.release.wait(HOLD_SECONDS)
        self.log.append("solved")
        return optimal(candidates)

    async def started(self, rounds: int = 1) -> None:
        """Wait until ``rounds`` more rounds are in the solver."""
        for _ in range(rounds):
            assert await asyncio.to_thread(self.solving.acquire, True, HOLD_SECONDS)


async def _region_round(db: Sessions, needs: int) -> list[str]:
    """``needs`` one-place needs, each suggested one-place offers ``n`` and ``n + 1`` (the last
    only its own): every need can have a place. The match ids."""
    wanted = [events.need(POSTAL_CODE, KIND) for _ in range(needs)]
    offers = [events.offer(capacity=1).model_copy(update={"kind": KIND}) for _ in range(needs)]
    matches = []
    for n, offer in enumerate(offers):
        matches += await suggested_pairs(db, wanted[max(0, n - 1) : n + 1], offer)
    return [match.match_id for match in matches]


def _pool_of(app: FastAPI) -> Callable[[], int]:
    engine: AsyncEngine = app.state.context.sessions.kw["bind"]
    return engine.pool.checkedout  # type: ignore[attr-defined,no-any-return]


async def _eventually(check: Callable[[], Awaitable[bool]]) -> bool:
    for _ in range(100):
        if await check():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_health_is_answered_and_no_connection_held_while_a_proposal_is_being_solved(
    app: FastAPI, client: httpx.AsyncClient, accounts: Accounts, held: HeldSolver
) -> None:
    coordinator = await accounts.create("coordinator", region="Limburg")
    taken = _pool_of(app)

    async def request(name: str, path: str, headers: dict[str, str]) -> httpx.Response:
        response = await client.get(path, headers=headers)
        held.log.append(name)
        return response

    round_ = asyncio.create_task(request("proposal", "/api/allocation", coordinator.bearer))
    await held.started()
    health = await request("health", "/health", {})

    async def no_connection_taken() -> bool:
        return taken() == 0

    released = await _eventually(no_connection_taken)  # the outbox relay takes one at times
    held.release.set()
    proposal = await round_

    assert (health.status_code, proposal.status_code) == (200, 200)
    assert held.log == ["health", "solved", "proposal"]  # answered while the round was solving
    assert released  # the round's connections went back to the pool before it solved
    assert proposal.json()["rtc_region"] == "Limburg"


async def test_one_round_more_than_the_process_computes_at_once_answers_503(
    app: FastAPI, client: httpx.AsyncClient, accounts: Accounts, held: HeldSolver
) -> None:
    coordinator = await accounts.create("coordinator", region=REGION)
    at_once = app.state.context.settings.rounds_at_once
    rounds = [
        asyncio.create_task(client.get("/api/allocation", headers=coordinator.bearer))
        for _ in range(at_once)
    ]
    await held.started(at_once)

    api = await client.get("/api/allocation", headers=coordinator.bearer)
    page = await client.get("/toewijzing", headers=coordinator.bearer)
    held.release.set()
    answered = await asyncio.gather(*rounds)

    assert (api.status_code, page.status_code) == (503, 503)
    assert int(api.headers["Retry-After"]) > 0 and int(page.headers["Retry-After"]) > 0
    assert "allocation rounds" in api.json()["detail"]
    assert "toewijzingsrondes" in page.text and page.headers["content-type"].startswith("text/html")
    assert [r.status_code for r in answered] == [200] * at_once
    after = await client.get("/api/allocation", headers=coordinator.bearer)
    assert after.status_code == 200  # the slots are free again


async def test_the_round_answers_a_window_of_its_pairs_with_the_totals_of_all(
    client: httpx.AsyncClient, db: Sessions, accounts: Accounts
) -> None:
    match_ids = await _region_round(db, needs=5)
    coordinator = await accounts.create("coordinator", region=REGION)

    windows = [await _window(client, coordinator, offset, 2) for offset in (0, 2, 4, 6)]

    assert [len(w["pairs"]) for w in windows] == [2, 2, 1, 0]
    assert {w["pairs_total"] for w in windows} == {5}
    totals = {(w["candidates"], w["open_needs"], w["proposed"]["needs_matched"]) for w in windows}
    assert totals == {(9, 5, 5)}
    shown = [pair["match_id"] for w in windows for pair in w["pairs"]]
    assert len(set(shown)) == 5 and set(shown) <= set(match_ids)
    assert all(pair["school_name"] and pair["units"] == 1 for w in windows for pair in w["pairs"])
    too_many = await client.get(
        "/api/allocation", params={"limit": 501}, headers=coordinator.bearer
    )
    assert too_many.status_code == 422


async def test_the_page_shows_one_page_of_the_round_and_its_total(
    client: httpx.AsyncClient, db: Sessions, accounts: Accounts
) -> None:
    await _region_round(db, needs=3)
    coordinator = await accounts.create("coordinator", region=REGION)

    page = await client.get(f"/toewijzing?soort={KIND}", headers=coordinator.bearer)
    beyond = await client.get(f"/toewijzing?soort={KIND}&pagina=2", headers=coordinator.bearer)

    assert page.status_code == 200 and "Het voorstel telt <strong>3</strong> matches" in page.text
    assert page.text.count('name="match_id"') == 3
    assert beyond.status_code == 200 and 'name="match_id"' not in beyond.text


async def test_another_regions_coordinator_sees_nothing_of_the_round(
    client: httpx.AsyncClient, db: Sessions, accounts: Accounts
) -> None:
    match_ids = await _region_round(db, needs=3)
    antwerpen = await accounts.create("coordinator", region="Antwerpen")

    answer = await client.get(
        "/api/allocation",
        params={"kind": KIND, "rtc_region": REGION, "limit": 500},
        headers=antwerpen.bearer,
    )
    page = await client.get(f"/toewijzing?soort={KIND}&regio={REGION}", headers=antwerpen.bearer)

    assert answer.status_code == 200 and answer.json()["rtc_region"] == "Antwerpen"
    assert not {pair["match_id"] for pair in answer.json()["pairs"]} & set(match_ids)
    assert not any(match_id in page.text for match_id in match_ids)


async def _window(
    client: httpx.AsyncClient, coordinator: Account, offset: int, limit: int
) -> dict[str, Any]:
    answer = await client.get(
        "/api/allocation",
        params={"kind": KIND, "offset": offset, "limit": limit},
        headers=coordinator.bearer,
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body
