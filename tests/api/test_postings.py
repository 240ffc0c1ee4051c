"""Posting needs and offers over HTTP and following them until intake has registered them."""

import time
import uuid

import httpx
import pytest

from shared import topics
from tests.api.builders import (
    PROVIDERS,
    SCHOOLS,
    Account,
    Accounts,
    need_body,
    offer_body,
    period,
    wait_for_status,
)
from tests.kafka_io import Received, TopicTail
from tests.notifier import events


@pytest.fixture(scope="module")
async def users(accounts: Accounts) -> dict[str, Account]:
    return await accounts.every_role()


async def test_a_posted_need_is_submitted_then_open_then_withdrawn(
    client: httpx.AsyncClient, users: dict[str, Account], intake: None
) -> None:
    school = users["school_a"]
    body = need_body(SCHOOLS[0], need_id=f"api-need-{uuid.uuid4().hex[:8]}")
    posted = await client.post("/api/needs", json=body, headers=school.bearer)
    assert posted.status_code == 202, posted.text
    url = f"/api/needs/{body['need_id']}"
    assert posted.json() == {"need_id": body["need_id"], "status": "submitted", "status_url": url}

    registered = await wait_for_status(client, url, school.bearer, {"open"})
    assert registered["posting"]["place"]["rtc_region"] == "Limburg"
    assert registered["matches"] == []

    replaced = await client.put(
        url,
        json={**body, "need_id": None} | {"title": "Bedrijfsstage hoogspanning"},
        headers=school.bearer,
    )
    assert replaced.status_code == 422  # need_id null is not the path's id
    del body["need_id"]
    replaced = await client.put(
        url, json={**body, "title": "Bedrijfsstage hoogspanning"}, headers=school.bearer
    )
    assert replaced.status_code == 202, replaced.text
    await wait_for_status(client, url, school.bearer, {"open"})

    withdrawn = await client.delete(url, headers=school.bearer)
    assert withdrawn.status_code == 202
    final = await wait_for_status(client, url, school.bearer, {"withdrawn"})
    assert final["posting"]["title"] == "Bedrijfsstage hoogspanning"
    again = await client.delete(url, headers=school.bearer)
    assert again.status_code == 409


async def test_field_errors_are_those_of_the_contract(
    client: httpx.AsyncClient, users: dict[str, Account]
) -> None:
    body = need_body(
        SCHOOLS[0], quantity="veel", field="kernfysica", title="Stage\u0000 in een labo"
    )
    answer = await client.post("/api/needs", json=body, headers=users["school_a"].bearer)
    assert answer.status_code == 422
    errors = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert errors["quantity"].startswith("Input should be a valid integer")
    assert errors["field"].startswith("unknown field 'kernfysica'")
    assert errors["title"] == "text contains control characters"
    assert "event_id" not in errors
    not_json = await client.post(
        "/api/needs",
        content=b"[1, 2]",
        headers={**users["school_a"].bearer, "content-type": "application/json"},
    )
    assert not_json.status_code == 422


async def test_only_the_named_organisation_may_post(
    client: httpx.AsyncClient, users: dict[str, Account]
) -> None:
    foreign = await client.post(
        "/api/needs", json=need_body(SCHOOLS[1]), headers=users["school_a"].bearer
    )
    assert foreign.status_code == 403
    provider = await client.post(
        "/api/needs", json=need_body(SCHOOLS[0]), headers=users["provider_a"].bearer
    )
    assert provider.status_code == 403
    admin = await client.post(
        "/api/offers", json=offer_body(PROVIDERS[1]), headers=users["admin"].bearer
    )
    assert admin.status_code == 202
    own = await client.post(
        "/api/offers", json=offer_body(PROVIDERS[0]), headers=users["provider_a"].bearer
    )
    assert own.status_code == 202
    anonymous = await client.post("/api/offers", json=offer_body(PROVIDERS[0]))
    assert anonymous.status_code == 401


async def test_idempotency_key_replays_the_first_answer_without_a_second_event(
    client: httpx.AsyncClient, users: dict[str, Account]
) -> None:
    provider = users["provider_a"]
    body = offer_body(PROVIDERS[0])
    marker = offer_body(PROVIDERS[0])
    headers = {**provider.bearer, "Idempotency-Key": f"key-{uuid.uuid4()}"}
    async with TopicTail(topics.OFFERS_SUBMITTED) as tail:
        first = await client.post("/api/offers", json=body, headers=headers)
        retry = await client.post("/api/offers", json=body, headers=headers)
        await client.post("/api/offers", json=marker, headers=provider.bearer)
        settled = time.monotonic() + 2

        def marker_seen(received: list[Received]) -> bool:
            keys = {message.key for message in received}
            return marker["offer_id"] in keys and time.monotonic() > settled

        received = await tail.collect(marker_seen)
    assert (first.status_code, retry.status_code) == (202, 202)
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert [m.key for m in received].count(body["offer_id"]) == 1
    other = await client.post("/api/offers", json={**body, "capacity": 9}, headers=headers)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_lists_are_ones_own_and_paginated(
    client: httpx.AsyncClient, accounts: Accounts, intake: None
) -> None:
    number = events.institution_number()  # a school of this test alone
    school = await accounts.create("school", number)
    ids = [f"api-list-{uuid.uuid4().hex[:8]}-{n}" for n in range(5)]
    for need_id in ids:
        answer = await client.post(
            "/api/needs", json=need_body(number, need_id=need_id), headers=school.bearer
        )
        assert answer.status_code == 202
        # Registered before paging: a change moves a posting to the top of the list.
        await wait_for_status(client, answer.json()["status_url"], school.bearer, {"open"})
    first = (await client.get("/api/needs?page_size=3", headers=school.bearer)).json()
    second = (await client.get("/api/needs?page_size=3&page=2", headers=school.bearer)).json()
    assert first["total"] == second["total"] == 5
    assert (len(first["items"]), len(second["items"])) == (3, 2)
    assert {item["need_id"] for item in first["items"] + second["items"]} == set(ids)
    beyond = (await client.get("/api/needs?page_size=3&page=3", headers=school.bearer)).json()
    assert (beyond["items"], beyond["total"]) == ([], 5)
    too_big = await client.get("/api/needs?page_size=101", headers=school.bearer)
    assert too_big.status_code == 422


async def test_a_submission_intake_refuses_shows_rejected_with_its_reasons(
    client: httpx.AsyncClient, users: dict[str, Account], intake: None
) -> None:
    school = users["school_a"]
    ended = period(days_from_now=-40, length=30)
    body = need_body(SCHOOLS[0], need_id=f"api-ended-{uuid.uuid4().hex[:8]}", period=ended)
    posted = await client.post("/api/needs", json=body, headers=school.bearer)
    assert posted.status_code == 202
    view = await wait_for_status(client, posted.json()["status_url"], school.bearer, {"rejected"})
    assert [e["message"] for e in view["errors"]] == [
        f"the period ended on {ended['end']}; nothing can be matched any more"
    ]
