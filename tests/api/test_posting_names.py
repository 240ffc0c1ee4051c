"""Over HTTP an organisation posts under its registered name and ids of its own: the name a
body or CSV row gives is replaced by the signed-in organisation's, and the id intake gives an
internship's replacement need cannot be claimed."""

import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import NeedRow
from tests.api.builders import (
    PROVIDERS,
    SCHOOLS,
    Account,
    Accounts,
    as_csv,
    need_body,
    offer_row,
    registered_name,
    wait_for_status,
)

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture(scope="module")
async def school(accounts: Accounts) -> Account:
    return await accounts.create("school", SCHOOLS[0])


@pytest.fixture(scope="module")
async def other_school(accounts: Accounts) -> Account:
    return await accounts.create("school", SCHOOLS[1])


@pytest.fixture(scope="module")
async def provider(accounts: Accounts) -> Account:
    return await accounts.create("provider", PROVIDERS[0])


async def test_a_need_is_posted_under_the_schools_registered_name(
    client: httpx.AsyncClient, db: Sessions, school: Account, intake: None
) -> None:
    body = need_body(SCHOOLS[0])
    body["school"] = {**body["school"], "name": "Een andere school"}
    posted = await client.post("/api/needs", json=body, headers=school.bearer)
    assert posted.status_code == 202, posted.text
    await wait_for_status(client, posted.json()["status_url"], school.bearer, {"open"})

    async with db() as session:
        row = await session.get(NeedRow, body["need_id"])
    assert row is not None
    assert row.registered["school"]["name"] == await registered_name(db, school)
    assert row.registered["school"]["name"] != "Een andere school"


async def test_imported_offers_show_the_providers_registered_name_in_the_catalogue(
    client: httpx.AsyncClient, db: Sessions, provider: Account, intake: None
) -> None:
    run = f"names-{uuid.uuid4().hex[:8]}"
    row = {**offer_row(run, 1), "provider_name": "Nep Bedrijf", "title": f"{run} stage"}
    answer = await client.post(
        "/api/offers/import",
        files={"file": ("offers.csv", as_csv([row]), "text/csv")},
        headers=provider.bearer,
    )
    assert answer.status_code == 202 and answer.json()["accepted"] == 1, answer.text
    await wait_for_status(client, f"/api/offers/{run}-1", provider.bearer, {"open"})

    catalogue = (await client.get("/api/catalogue", params={"q": run})).json()
    [item] = catalogue["items"]
    assert item["provider"]["name"] == await registered_name(db, provider)
    assert "Nep Bedrijf" not in str(catalogue)


async def test_the_replacement_need_id_of_another_schools_internship_cannot_be_claimed(
    client: httpx.AsyncClient, db: Sessions, school: Account, other_school: Account, intake: None
) -> None:
    internship = need_body(SCHOOLS[0], replacement={"grades": ["G2"], "pupils": 16})
    replacement_id = f"{internship['need_id']}:vervanging"
    claim = need_body(SCHOOLS[1], need_id=replacement_id, kind="replacement_activity")
    claimed = await client.post("/api/needs", json=claim, headers=other_school.bearer)
    assert claimed.status_code == 422
    [error] = claimed.json()["errors"]
    assert error["field"] == "need_id" and "':vervanging'" in error["message"]

    posted = await client.post("/api/needs", json=internship, headers=school.bearer)
    assert posted.status_code == 202, posted.text
    await wait_for_status(client, posted.json()["status_url"], school.bearer, {"open"})
    async with db() as session:
        replacement = await session.get(NeedRow, replacement_id)
        assert replacement is not None
        assert (replacement.institution_number, replacement.linked_need_id) == (
            SCHOOLS[0],
            internship["need_id"],
        )
    mine = await client.get(f"/api/needs/{replacement_id}", headers=other_school.bearer)
    assert mine.status_code == 404
