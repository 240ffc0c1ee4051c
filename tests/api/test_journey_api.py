"""``/api/matches/{id}/journey``, ``/steps`` and ``/rating`` over HTTP: each party marks its own
steps (the other's answers 409, an unknown step 422, another organisation 404), the coordinator
reads the journey and, once a school rated, the provider's track record."""

import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.builders import Account, Accounts
from tests.api.test_matches import provider_offer, school_need
from tests.notifier import events
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


async def test_the_queue_card_shows_what_schools_said_of_the_provider(
    client: httpx.AsyncClient, db: Sessions, accounts: Accounts, people: dict[str, Account]
) -> None:
    number, enterprise = events.institution_number(), events.enterprise_number()
    school = await accounts.create("school", number)
    need = school_need(number)
    (rated, waiting) = await suggested_pairs(
        db, [need, school_need(number)], provider_offer(capacity=2, number=enterprise)
    )
    coordinator = people["coordinator"]
    queue = f"/beoordelen?status=alle&school={number}"
    before = await client.get(queue, headers=coordinator.bearer)
    await client.post(
        f"/api/matches/{rated.match_id}/decision",
        json={"decision": "accepted"},
        headers=coordinator.bearer,
    )
    path = f"/api/matches/{rated.match_id}"
    for step in ("dates_agreed", "took_place"):
        await client.post(f"{path}/steps", json={"step": step}, headers=school.bearer)
    await client.post(f"{path}/rating", json={"score": 4}, headers=school.bearer)

    after = await client.get(queue, headers=coordinator.bearer)

    assert before.status_code == after.status_code == 200
    assert "Beoordeling door scholen" not in before.text  # nobody rated this provider yet
    card = re.search(
        rf'<article class="candidate[^"]*" data-match-id="{waiting.match_id}".*?</article>',
        after.text,
        re.DOTALL,
    )
    assert card is not None and "Beoordeling door scholen: 4,0 op 5 (1 beoordeling)" in card.group()
