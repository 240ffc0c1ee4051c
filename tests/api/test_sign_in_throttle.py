"""The sign-in throttle over HTTP, against the real PostgreSQL: a waiting (account, client) pair
while the owner signs in elsewhere, counts shared by API instances and kept under parallel
guesses, the client behind trusted proxies, and the brakes per client and per account."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from services.api.settings import ApiSettings
from tests.api.builders import (
    PASSWORD,
    SCHOOLS,
    Accounts,
    browser,
    fresh_address,
    running_app,
)
from tests.stack import Stack


@pytest.fixture(scope="module")
async def replica(stack: Stack) -> AsyncIterator[FastAPI]:
    """A second API instance on the same database, behind proxies of 10.9.0.0/16."""
    async with running_app(ApiSettings(trusted_proxies="10.9.0.0/16")) as application:
        yield application


@pytest.fixture(scope="module")
async def strict(stack: Stack) -> AsyncIterator[FastAPI]:
    """An instance whose client and account brakes start after three failures."""
    settings = ApiSettings(login_client_free_failures=3, login_account_free_failures=3)
    async with running_app(settings) as application:
        yield application


async def sign_in(
    http: httpx.AsyncClient, email: str, password: str = PASSWORD, forwarded_for: str = ""
) -> httpx.Response:
    """``POST /api/session`` as ``email``, through a proxy naming ``forwarded_for`` if given."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    body = {"email": email, "password": password}
    return await http.post("/api/session", json=body, headers=headers)


async def failures(http: httpx.AsyncClient, email: str, times: int, via: str = "") -> list[int]:
    """The answers to ``times`` sign-ins of ``email`` with a wrong password."""
    return [(await sign_in(http, email, "wrong", via)).status_code for _ in range(times)]


async def test_the_waiting_pair_gets_429_and_a_dutch_page_while_the_owner_signs_in_elsewhere(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    async with browser(app) as typo, browser(app) as owner:
        assert await failures(typo, school.email, 6) == [401] * 6
        waiting = await sign_in(typo, school.email)
        assert waiting.status_code == 429
        assert 0 < int(waiting.headers["Retry-After"]) <= 30
        form = {"email": school.email, "password": PASSWORD}
        page = await typo.post("/aanmelden", data=form)
        assert page.status_code == 429 and 0 < int(page.headers["Retry-After"]) <= 30
        assert "Te veel mislukte pogingen. Wacht" in page.text
        assert (await sign_in(owner, school.email)).status_code == 200
        assert (await sign_in(typo, school.email)).status_code == 429  # still, for the pair


async def test_a_success_resets_the_pair(app: FastAPI, accounts: Accounts) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    async with browser(app) as http:
        assert await failures(http, school.email, 5) == [401] * 5
        assert (await sign_in(http, school.email)).status_code == 200
        assert await failures(http, school.email, 6) == [401] * 6
        assert (await sign_in(http, school.email)).status_code == 429


async def test_instances_share_the_counts(
    app: FastAPI, replica: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[1])
    address = fresh_address()
    async with browser(app, address) as first, browser(replica, address) as second:
        for _ in range(3):
            assert await failures(first, school.email, 1) + await failures(
                second, school.email, 1
            ) == [401, 401]
        assert (await sign_in(first, school.email)).status_code == 429
        assert (await sign_in(second, school.email)).status_code == 429


async def test_parallel_guesses_cannot_slip_past_the_count(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[1])
    async with browser(app) as http:
        answers = await asyncio.gather(*(sign_in(http, school.email, "guess") for _ in range(16)))
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [401] * 6 + [429] * 10


async def test_x_forwarded_for_is_ignored_from_an_untrusted_peer(
    replica: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[2])
    async with browser(replica) as direct:  # not a proxy: what it claims to forward is ignored
        for _ in range(6):
            assert await failures(direct, school.email, 1, fresh_address()) == [401]
        waiting = await sign_in(direct, school.email, forwarded_for=fresh_address())
        assert waiting.status_code == 429


async def test_behind_a_trusted_proxy_each_client_counts_by_itself(
    replica: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[2])
    client, spoofed = fresh_address(), fresh_address()
    async with browser(replica, "10.9.0.5") as proxy:
        assert await failures(proxy, school.email, 6, client) == [401] * 6
        for chain in (client, f"{spoofed}, {client}", f"{spoofed},{client}, 10.9.3.3"):
            assert (await sign_in(proxy, school.email, forwarded_for=chain)).status_code == 429
        other = await sign_in(proxy, school.email, forwarded_for=fresh_address())
        assert other.status_code == 200


async def test_one_client_trying_many_accounts_is_slowed(
    strict: FastAPI, accounts: Accounts
) -> None:
    fresh = await accounts.create("school", SCHOOLS[0])
    async with browser(strict) as sprayer:
        for _ in range(4):
            victim = await accounts.create("school", SCHOOLS[0])
            assert await failures(sprayer, victim.email, 1) == [401]
        assert (await sign_in(sprayer, fresh.email)).status_code == 429
    async with browser(strict) as neighbour:
        assert (await sign_in(neighbour, fresh.email)).status_code == 200


async def test_an_attack_from_many_clients_slows_new_clients_but_never_the_owner_s(
    strict: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[1])
    home = fresh_address()
    async with browser(strict, home) as owner:
        assert (await sign_in(owner, school.email)).status_code == 200
    for _ in range(4):
        async with browser(strict) as attacker:
            assert await failures(attacker, school.email, 1) == [401]
    async with browser(strict) as newcomer:
        assert (await sign_in(newcomer, school.email)).status_code == 429
    async with browser(strict, home) as owner:
        assert (await sign_in(owner, school.email)).status_code == 200
