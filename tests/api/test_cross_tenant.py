"""Every route that takes an id, tried by every other organisation and role: 401/403/404 only,
nothing of the owner's posting in the answer, and the posting unchanged afterwards.

The table is generated from the app's routes: a new route with an id fails here until
``RESOURCES`` says whose resource it reads.
"""

import re
import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.tables import SubmissionRow
from tests.api.builders import (
    PROVIDERS,
    SCHOOLS,
    Account,
    Accounts,
    need_body,
    offer_body,
    wait_for_status,
)

# Path prefix -> (owner in the users table, body builder for PUT/POST attempts).
RESOURCES = {
    "/api/needs/": ("school_a", need_body),
    "/api/offers/": ("provider_a", offer_body),
}
# Id routes whose cross-tenant table lives with their tests (tests/api/test_matches.py,
# tests/api/test_sign_ins.py for one's own sessions and tokens, tests/api/test_joining.py for a
# region's applications).
COVERED_ELSEWHERE = ("/api/matches/", "/api/notifications/", "/api/me/", "/api/registrations/")
SECRET_CONTACT = "secret.contact@owner.example"


@pytest.fixture(scope="module")
async def users(accounts: Accounts) -> dict[str, Account]:
    return await accounts.every_role() | {
        "school_c": await accounts.create("school", SCHOOLS[2]),
        "provider_c": await accounts.create("provider", PROVIDERS[2]),
    }


def id_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every API route with a path parameter, from the OpenAPI document."""
    return sorted(
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if "{" in path
        for method in operations
    )


async def owned_resources(client: httpx.AsyncClient, users: dict[str, Account]) -> dict[str, str]:
    """Path prefix -> the id of a registered posting of its owner."""
    owned = {}
    for prefix, (owner_name, build) in RESOURCES.items():
        owner = users[owner_name]
        body = build(owner.number or "", contact={"name": "Owner", "email": SECRET_CONTACT})
        posted = await client.post(prefix.rstrip("/"), json=body, headers=owner.bearer)
        assert posted.status_code == 202, posted.text
        await wait_for_status(client, posted.json()["status_url"], owner.bearer, {"open"})
        owned[prefix] = posted.json()["status_url"].removeprefix(prefix)
    return owned


async def attempt(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    prefix: str,
    attacker: Account | None,
    posting_id: str,
) -> httpx.Response:
    """``method`` on the route for ``posting_id``, with a body that would be valid for the
    attacker's own organisation."""
    build = RESOURCES[prefix][1]
    id_field = "need_id" if "needs" in prefix else "offer_id"
    body: dict[str, Any] | None = None
    if attacker is not None and method in ("PUT", "POST", "PATCH"):
        body = build(attacker.number or SCHOOLS[1], **{id_field: posting_id})
    url = re.sub(r"\{[^}]+\}", posting_id, path)
    return await client.request(method, url, json=body, headers=attacker.bearer if attacker else {})


async def test_no_route_lets_another_organisation_read_or_change_a_posting(
    app: FastAPI,
    client: httpx.AsyncClient,
    users: dict[str, Account],
    intake: None,
    db: async_sessionmaker[AsyncSession],
) -> None:
    routes = [(m, p) for m, p in id_routes(app) if not p.startswith(COVERED_ELSEWHERE)]
    unknown = [path for _, path in routes if not any(path.startswith(p) for p in RESOURCES)]
    assert not unknown, f"add these routes to RESOURCES: {unknown}"
    owned = await owned_resources(client, users)
    attempts = 0
    for method, path in routes:
        prefix = next(p for p in RESOURCES if path.startswith(p))
        owner = RESOURCES[prefix][0]
        attackers = [(n, a) for n, a in users.items() if n not in (owner, "admin")]
        for name, attacker in [*attackers, ("anonymous", None)]:
            foreign = await attempt(client, method, path, prefix, attacker, owned[prefix])
            unknown_id = f"unknown-{uuid.uuid4().hex[:8]}"
            unknown = await attempt(client, method, path, prefix, attacker, unknown_id)
            attempts += 1
            assert foreign.status_code in (401, 403, 404), (method, path, name, foreign.text)
            assert foreign.status_code == unknown.status_code, (method, path, name)
            assert foreign.text.replace(owned[prefix], "?") == unknown.text.replace(unknown_id, "?")
            assert SECRET_CONTACT not in foreign.text
    print(f"cross-tenant: {len(routes)} routes, {attempts} attempts, all refused")

    for prefix, posting_id in owned.items():
        owner = users[RESOURCES[prefix][0]]
        view = (await client.get(f"{prefix}{posting_id}", headers=owner.bearer)).json()
        assert view["status"] == "open"
        assert view["posting"]["contact"]["email"] == SECRET_CONTACT
    async with db() as session:
        senders = set(
            await session.scalars(
                select(SubmissionRow.organisation_number).where(
                    SubmissionRow.posting_id.in_(owned.values())
                )
            )
        )
    assert senders == {SCHOOLS[0], PROVIDERS[0]}


async def test_a_need_under_another_schools_id_is_rejected_for_the_sender_only(
    client: httpx.AsyncClient,
    users: dict[str, Account],
    intake: None,
    db: async_sessionmaker[AsyncSession],
) -> None:
    owner, other = users["school_a"], users["school_b"]
    need_id = f"api-taken-{uuid.uuid4().hex[:8]}"
    first = await client.post(
        "/api/needs", json=need_body(SCHOOLS[0], need_id=need_id), headers=owner.bearer
    )
    await wait_for_status(client, first.json()["status_url"], owner.bearer, {"open"})
    taken = await client.post(
        "/api/needs",
        json=need_body(SCHOOLS[1], need_id=need_id, title="Overgenomen"),
        headers=other.bearer,
    )
    assert taken.status_code == 202
    rejected = await wait_for_status(client, taken.json()["status_url"], other.bearer, {"rejected"})
    assert "belongs to another organisation" in rejected["errors"][0]["message"]
    assert rejected["posting"] is None
    mine = (await client.get(first.json()["status_url"], headers=owner.bearer)).json()
    assert (mine["status"], mine["posting"]["title"]) == ("open", need_body(SCHOOLS[0])["title"])
