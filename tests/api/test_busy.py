"""When every database connection stays taken longer than ``API_POOL_TIMEOUT_SECONDS``, a request
answers 503 with Retry-After (a Dutch page, English JSON for ``/api``) instead of a 500, and
answers normally again once connections are free."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.api.settings import ApiSettings
from tests.api.builders import PASSWORD, Accounts, browser, running_app
from tests.stack import Stack

POOL = 10  # pool_size + max_overflow of shared.db.make_engine


@pytest.fixture(scope="module")
async def app(stack: Stack) -> AsyncIterator[FastAPI]:
    """The API waiting half a second for a connection."""
    async with running_app(ApiSettings(pool_timeout_seconds=0.5)) as application:
        yield application


async def _take_every_connection(app: FastAPI) -> list[AsyncConnection]:
    engine: AsyncEngine = app.state.context.sessions.kw["bind"]
    return [await engine.connect() for _ in range(POOL)]


async def test_a_full_pool_answers_503_with_retry_after_then_serves_again(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", "048561")
    async with browser(app) as http:
        signed = await http.post("/api/session", json={"email": school.email, "password": PASSWORD})
        assert signed.status_code == 200
        taken = await _take_every_connection(app)
        try:
            page = await http.get("/inbox")
            api = await http.get("/api/matches", headers=school.bearer)
        finally:
            for connection in taken:
                await connection.close()
        assert (page.status_code, page.headers.get("retry-after")) == (503, "5")
        assert 'lang="nl"' in page.text and "erg druk" in page.text
        assert (api.status_code, api.headers.get("retry-after")) == (503, "5")
        assert "busy" in api.json()["detail"]
        assert (await http.get("/inbox")).status_code == 200
        assert (await http.get("/api/matches", headers=school.bearer)).status_code == 200


async def test_health_needs_no_connection(app: FastAPI) -> None:
    async with browser(app) as http:
        taken = await _take_every_connection(app)
        try:
            assert (await http.get("/health")).status_code == httpx.codes.OK
        finally:
            for connection in taken:
                await connection.close()
