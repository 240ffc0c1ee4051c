"""Browser sign-in: the session cookie, CSRF on unsafe requests, same 401 for every failure,
and the sign-in throttle per account and client."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api import accounts as account_cases
from services.api import sign_ins
from services.api.credentials import SESSION_COOKIE
from services.api.tables import ApiTokenRow
from shared.accounts import UserRow
from tests.api.builders import (
    PASSWORD,
    PROVIDERS,
    SCHOOLS,
    Accounts,
    browser,
    need_body,
    offer_body,
)


@pytest.fixture
async def school_browser(
    app: FastAPI, accounts: Accounts
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    school = await accounts.create("school", SCHOOLS[0])
    async with browser(app) as http:
        signed_in = await http.post(
            "/api/session", json={"email": school.email, "password": PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        yield http, signed_in.json()["csrf_token"]


async def test_sign_in_sets_an_http_only_lax_cookie_and_me_answers_with_the_csrf_token(
    app: FastAPI, accounts: Accounts
) -> None:
    provider = await accounts.create("provider", PROVIDERS[0])
    async with browser(app) as http:
        signed_in = await http.post(
            "/api/session", data={"email": provider.email.upper(), "password": PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        cookie = signed_in.headers["set-cookie"]
        assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        me = (await http.get("/api/me")).json()
        assert me["email"] == provider.email
        assert me["organisation_number"] == PROVIDERS[0]
        assert me["csrf_token"] == signed_in.json()["csrf_token"]
        signed_out = await http.delete("/api/session", headers={"X-CSRF-Token": me["csrf_token"]})
        assert signed_out.status_code == 204
        assert (await http.get("/api/me")).status_code == 401


async def test_a_cookie_without_the_csrf_token_is_refused_and_a_bearer_token_needs_none(
    school_browser: tuple[httpx.AsyncClient, str], accounts: Accounts, client: httpx.AsyncClient
) -> None:
    http, csrf_token = school_browser
    body = need_body(SCHOOLS[0])
    refused = await http.post("/api/needs", json=body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    wrong = await http.post("/api/needs", json=body, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    accepted = await http.post("/api/needs", json=body, headers={"X-CSRF-Token": csrf_token})
    assert accepted.status_code == 202
    assert (await http.get(accepted.json()["status_url"])).status_code == 200  # safe: no token
    school = await accounts.create("school", SCHOOLS[0])
    assert (await client.post("/api/needs", json=body, headers=school.bearer)).status_code == 202


async def test_the_csrf_token_may_come_as_a_form_field(
    school_browser: tuple[httpx.AsyncClient, str], accounts: Accounts, app: FastAPI
) -> None:
    provider = await accounts.create("provider", PROVIDERS[2])
    async with browser(app) as http:
        signed_in = await http.post(
            "/api/session", json={"email": provider.email, "password": PASSWORD}
        )
        csrf_token = signed_in.json()["csrf_token"]
        csv = b"offer_id,provider_enterprise_number\n"
        files = {"file": ("offers.csv", csv, "text/csv")}
        without = await http.post("/api/offers/import", files=files)
        assert without.status_code == 403
        with_field = await http.post(
            "/api/offers/import", files=files, data={"csrf_token": csrf_token}
        )
        assert with_field.status_code == 422  # past CSRF: the header row lacks columns


async def test_unknown_user_disabled_user_and_wrong_password_get_the_same_401(
    app: FastAPI,
    client: httpx.AsyncClient,
    accounts: Accounts,
    db: async_sessionmaker[AsyncSession],
) -> None:
    school = await accounts.create("school", SCHOOLS[1])
    disabled = await accounts.create("school", SCHOOLS[1])
    async with db.begin() as session:
        await session.execute(
            update(UserRow).where(UserRow.email == disabled.email).values(disabled=True)
        )
    async with browser(app) as http:
        answers = [
            await http.post("/api/session", json={"email": email, "password": password})
            for email, password in (
                ("nobody@test.example", PASSWORD),
                (disabled.email, PASSWORD),
                (school.email, "wrong password"),
            )
        ]
    assert {a.status_code for a in answers} == {401}
    assert len({a.text for a in answers}) == 1
    assert (await client.get("/api/me", headers=disabled.bearer)).status_code == 401


async def test_failed_sign_ins_make_the_pair_wait_not_the_address_or_the_account(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[2])
    async with browser(app) as http:
        for _ in range(6):  # five free failures, then the sixth starts a 30 s wait
            failed = await http.post(
                "/api/session", json={"email": school.email, "password": "nope"}
            )
            assert failed.status_code == 401
        waiting = await http.post(
            "/api/session", json={"email": school.email, "password": PASSWORD}
        )
        assert waiting.status_code == 429
        assert 0 < int(waiting.headers["Retry-After"]) <= 30
        other_user = await accounts.create("school", SCHOOLS[2])
        same_address = await http.post(
            "/api/session", json={"email": other_user.email, "password": PASSWORD}
        )
        assert same_address.status_code == 200
    async with browser(app) as elsewhere:
        same_email = await elsewhere.post(
            "/api/session", json={"email": school.email, "password": PASSWORD}
        )
        assert same_email.status_code == 200


async def test_a_revoked_or_unknown_token_is_401(
    client: httpx.AsyncClient, accounts: Accounts, db: async_sessionmaker[AsyncSession]
) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    assert (await client.get("/api/me", headers=school.bearer)).status_code == 200
    async with db.begin() as session:
        user = await account_cases.user_by_email(session, school.email)
        assert await sign_ins.revoke(session, ApiTokenRow, user.id) == 1
    assert (await client.get("/api/me", headers=school.bearer)).status_code == 401
    assert (
        await client.get("/api/me", headers={"Authorization": "Bearer nonsense"})
    ).status_code == 401
    assert (await client.post("/api/offers", json=offer_body(PROVIDERS[0]))).status_code == 401
