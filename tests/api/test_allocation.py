"""``/api/allocation``: the round is solved off the event loop, so one coordinator's proposal
does not stall the other requests the process serves meanwhile."""

import asyncio
import threading

import httpx
import pytest

from services.review import proposals
from services.review.allocation import Allocation, RoundPairs, optimal
from tests.api.builders import Accounts

HOLD_SECONDS = 10  # long enough that a solver on the loop shows; the gate opens long before


async def test_health_is_answered_while_a_proposal_is_being_solved(
    client: httpx.AsyncClient, accounts: Accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator = await accounts.create("coordinator", region="Limburg")
    solving, release = threading.Event(), threading.Event()

    answered: list[str] = []

    def held_optimal(candidates: RoundPairs) -> Allocation:
        solving.set()
        release.wait(HOLD_SECONDS)  # a solver that takes its time (a big region)
        answered.append("solved")
        return optimal(candidates)

    monkeypatch.setattr(proposals, "optimal", held_optimal)

    async def request(name: str, path: str, headers: dict[str, str]) -> httpx.Response:
        response = await client.get(path, headers=headers)
        answered.append(name)
        return response

    round_ = asyncio.create_task(request("proposal", "/api/allocation", coordinator.bearer))
    assert await asyncio.to_thread(solving.wait, HOLD_SECONDS)
    health = await request("health", "/health", {})
    release.set()
    proposal = await round_

    assert (health.status_code, proposal.status_code) == (200, 200)
    assert answered == ["health", "solved", "proposal"]  # answered while the round was solving
    assert proposal.json()["rtc_region"] == "Limburg"
