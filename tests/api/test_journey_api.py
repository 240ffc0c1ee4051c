"""``/api/matches/{id}/journey``, ``/steps`` and ``/rating`` over HTTP: each party marks its own
steps (the other's answers 409, an unknown step 422, another organisation 404), the coordinator
reads the journey and, once a school rated, the provider's track record."""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.builders import Account, Accounts
from tests.api.test_matches import provider_offer, school_need
from tests.review.conftest import suggested_pairs

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(scope="module")
async def people(accounts: Accounts) -> dict[str, Account]:
    return await accounts.every_role()


async def test_the_parties_mark_their_steps_and_rate_and_the_coordinator_sees_the_record(
    client: httpx.AsyncClient, db: Sessions, people: dict[str, Account]
) -> None:
    (match,) = await suggested_pairs(db, [school_need()], provider_offer(capacity=1))
    path = f"/api/matches/{match.match_id}"
    school, provider, coordinator = people["school_a"], people["provider_a"], people["coordinator"]
    decided = await client.post(
        f"{path}/decision", json={"decision": "accepted"}, headers=coordinator.bearer
    )
    assert decided.status_code == 200

    async def step(who: Account, body: dict[str, str]) -> httpx.Response:
        return await client.post(f"{path}/steps", json=body, headers=who.bearer)

    assert (await step(people["school_b"], {"step": "dates_agreed"})).status_code == 404
    assert (await step(school, {"step": "onbekend"})).status_code == 422
    assert (await step(school, {"step": "took_place"})).status_code == 409
    agreed = await step(school, {"step": "dates_agreed"})
    assert agreed.status_code == 200
    assert agreed.json()["next_steps"] == ["took_place", "cancelled"]
    assert (await step(school, {"step": "dates_agreed"})).status_code == 200  # a repeat
    assert (await step(provider, {"step": "took_place"})).json()["may_rate"] is True

    rated = await client.post(
        f"{path}/rating", json={"score": 5, "comment": "Top <stage>"}, headers=school.bearer
    )
    assert rated.status_code == 200
    too_high = await client.post(f"{path}/rating", json={"score": 6}, headers=provider.bearer)
    assert too_high.status_code == 422

    seen = (await client.get(f"{path}/journey", headers=coordinator.bearer)).json()
    assert seen["step"] == "took_place" and seen["next_steps"] == []
    assert seen["ratings"] == [{"side": "school", "score": 5, "comment": "Top <stage>"}]
    assert seen["provider_record"]["count"] >= 1
    listed = (await client.get(path, headers=school.bearer)).json()
    assert listed["step"] == "took_place"
