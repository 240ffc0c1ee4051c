"""Server-side sessions and expiring tokens over HTTP: sign-out ends a session everywhere, a new
password ends everything, idle and absolute limits, expired tokens, one's own list (JSON and the
page ``/account/sessies``), and another user's ids answering 404."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api import accounts as account_cases
from services.api import sign_ins
from services.api.credentials import SESSION_COOKIE
from services.api.tables import BrowserSessionRow
from tests.api.builders import PASSWORD, SCHOOLS, Account, Accounts
from tests.api.test_session import browser


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A browser signed in as ``account``: its client, CSRF token and session id."""

    http: httpx.AsyncClient
    account: Account
    csrf_token: str
    session_id: int

    @property
    def csrf(self) -> dict[str, str]:
        """The header an unsafe request of this session carries."""
        return {"X-CSRF-Token": self.csrf_token}

    @property
    def form(self) -> dict[str, str]:
        """The form field an unsafe page request of this session carries."""
        return {"csrf_token": self.csrf_token}


async def sign_in(app: FastAPI, account: Account, address: str) -> SignedIn:
    """A new browser of ``account`` calling from ``address``, signed in."""
    http = browser(app, address)
    answer = await http.post("/api/session", json={"email": account.email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    (current,) = [s for s in (await http.get("/api/me/sessions")).json() if s["current"]]
    return SignedIn(http, account, answer.json()["csrf_token"], current["id"])


def copy_of(app: FastAPI, signed_in: SignedIn, address: str) -> httpx.AsyncClient:
    """Another browser carrying a copy of ``signed_in``'s session cookie."""
    thief = browser(app, address)
    thief.cookies.set(SESSION_COOKIE, signed_in.http.cookies[SESSION_COOKIE])
    return thief


@pytest.fixture
async def school(app: FastAPI, accounts: Accounts) -> AsyncIterator[SignedIn]:
    """A school user signed in in one browser."""
    signed_in = await sign_in(app, await accounts.create("school", SCHOOLS[0]), "10.2.0.1")
    yield signed_in
    await signed_in.http.aclose()


async def test_a_copied_cookie_no_longer_works_after_signing_out(
    app: FastAPI, school: SignedIn
) -> None:
    async with copy_of(app, school, "10.2.0.2") as thief:
        assert (await thief.get("/api/me")).json()["email"] == school.account.email
        assert (await school.http.delete("/api/session", headers=school.csrf)).status_code == 204
        assert (await thief.get("/api/me")).status_code == 401
        page = await thief.get("/account/sessies")
        assert (page.status_code, page.headers["location"]) == (
            303,
            "/aanmelden?volgende=/account/sessies",
        )


async def test_signing_out_on_the_page_ends_the_session_on_the_server(
    app: FastAPI, school: SignedIn
) -> None:
    async with copy_of(app, school, "10.2.0.3") as thief:
        out = await school.http.post("/afmelden", data=school.form)
        assert (out.status_code, out.headers["location"]) == (303, "/aanmelden")
        assert (await thief.get("/api/me")).status_code == 401


async def test_a_new_password_from_beheer_ends_every_session_and_token(
    app: FastAPI, accounts: Accounts
) -> None:
    user = await accounts.create("school", SCHOOLS[1])
    first, second = await sign_in(app, user, "10.2.0.4"), await sign_in(app, user, "10.2.0.5")
    admin = await sign_in(app, await accounts.create("admin"), "10.2.0.6")
    changed = await admin.http.post(
        "/beheer/gebruikers",
        data={**admin.form, "role": "school", "email": user.email, "name": "Nieuw",
              "password": "een heel nieuw wachtwoord", "number": SCHOOLS[1]},
    )  # fmt: skip
    assert changed.status_code == 303 and "melding" in changed.headers["location"]
    for old in (first.http, second.http):
        assert (await old.get("/api/me")).status_code == 401
    assert (await admin.http.get("/api/me", headers=user.bearer)).status_code == 401
    assert (await admin.http.get("/api/me")).status_code == 200  # the admin's own goes on
    again = await first.http.post(
        "/api/session", json={"email": user.email, "password": "een heel nieuw wachtwoord"}
    )
    assert again.status_code == 200


async def test_an_expired_token_answers_401(
    client: httpx.AsyncClient, accounts: Accounts, db: async_sessionmaker[AsyncSession]
) -> None:
    user = await accounts.create("school", SCHOOLS[0])
    async with db.begin() as session:
        found = await account_cases.user_by_email(session, user.email)
        expired = await sign_ins.issue_token(session, found.id, "old", timedelta(days=-1))
        live = await sign_ins.issue_token(session, found.id, "new", timedelta(days=1))
    answer = await client.get("/api/me", headers={"Authorization": f"Bearer {expired}"})
    assert answer.status_code == 401
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {live}"})).is_success


@pytest.mark.parametrize(
    "column", ["last_seen_at", "expires_at"], ids=["idle too long", "lifetime over"]
)
async def test_a_session_ends_when_idle_too_long_or_past_its_lifetime(
    app: FastAPI, school: SignedIn, db: async_sessionmaker[AsyncSession], column: str
) -> None:
    assert (await school.http.get("/api/me")).is_success
    moved_back = func.now() - timedelta(hours=12, minutes=1)  # idle is 2 h, lifetime 12 h
    async with db.begin() as session:
        await session.execute(
            update(BrowserSessionRow)
            .where(BrowserSessionRow.id == school.session_id)
            .values({column: moved_back})
        )
    assert (await school.http.get("/api/me")).status_code == 401


async def test_using_a_session_keeps_it_alive_past_the_idle_time(
    school: SignedIn, db: async_sessionmaker[AsyncSession]
) -> None:
    for _ in range(2):  # twice 1 h 45 min unused (idle is 2 h), with a request in between
        async with db.begin() as session:
            await session.execute(
                update(BrowserSessionRow)
                .where(BrowserSessionRow.id == school.session_id)
                .values(last_seen_at=BrowserSessionRow.last_seen_at - timedelta(minutes=105))
            )
        assert (await school.http.get("/api/me")).is_success


async def test_ones_sessions_and_tokens_are_listed_and_ended_over_json(
    app: FastAPI, school: SignedIn
) -> None:
    other = await sign_in(app, school.account, "10.2.0.7")
    sessions = (await school.http.get("/api/me/sessions")).json()
    assert {s["id"] for s in sessions} >= {school.session_id, other.session_id}
    assert [s["current"] for s in sessions if s["id"] == other.session_id] == [False]
    ended = await school.http.delete(f"/api/me/sessions/{other.session_id}", headers=school.csrf)
    assert ended.status_code == 204
    assert (await other.http.get("/api/me")).status_code == 401
    (token,) = (await school.http.get("/api/me/tokens")).json()
    assert token["name"] == "tests" and set(token) == {"id", "name", "created_at", "expires_at"}
    url = f"/api/me/tokens/{token['id']}"
    assert (await school.http.delete(url, headers=school.csrf)).status_code == 204
    assert (await other.http.get("/api/me", headers=school.account.bearer)).status_code == 401
    assert (await school.http.delete(url, headers=school.csrf)).status_code == 404
    assert (await school.http.get("/api/me/tokens")).json() == []


async def test_the_page_lists_and_ends_ones_sessions_and_tokens(
    app: FastAPI, school: SignedIn
) -> None:
    other = await sign_in(app, school.account, "10.2.0.8")
    page = await school.http.get("/account/sessies")
    assert page.status_code == 200 and "Sessies en tokens" in page.text
    assert f'data-session-id="{other.session_id}"' in page.text and "(deze sessie)" in page.text
    assert school.csrf_token in page.text  # the forms carry it
    (token,) = (await school.http.get("/api/me/tokens")).json()
    assert f'data-token-id="{token["id"]}"' in page.text
    refused = await school.http.post(f"/account/sessies/{other.session_id}/beeindigen")
    assert refused.status_code == 403  # no CSRF token
    ended = await school.http.post(
        f"/account/sessies/{other.session_id}/beeindigen", data=school.form
    )
    assert (ended.status_code, ended.headers["location"]) == (303, "/account/sessies")
    assert (await other.http.get("/api/me")).status_code == 401
    revoked = await school.http.post(f"/account/tokens/{token['id']}/intrekken", data=school.form)
    assert revoked.status_code == 303
    assert (await school.http.get("/api/me", headers=school.account.bearer)).status_code == 401
    out = await school.http.post(
        f"/account/sessies/{school.session_id}/beeindigen", data=school.form
    )
    assert (out.status_code, out.headers["location"]) == (303, "/aanmelden")
    assert (await school.http.get("/api/me")).status_code == 401


async def test_another_users_session_or_token_id_is_404(
    app: FastAPI, school: SignedIn, accounts: Accounts
) -> None:
    victim = await sign_in(app, await accounts.create("school", SCHOOLS[0]), "10.2.0.9")
    (token,) = (await victim.http.get("/api/me/tokens")).json()
    attempts = {
        f"/api/me/sessions/{victim.session_id}": school.http.delete,
        f"/api/me/tokens/{token['id']}": school.http.delete,
        f"/account/sessies/{victim.session_id}/beeindigen": school.http.post,
        f"/account/tokens/{token['id']}/intrekken": school.http.post,
    }
    for url, method in attempts.items():
        answer = await method(url, headers=school.csrf)
        assert answer.status_code == 404, url
    unknown = await school.http.delete("/api/me/sessions/2147483647", headers=school.csrf)
    assert unknown.status_code == 404
    assert (await victim.http.get("/api/me")).is_success
    assert (await victim.http.get("/api/me", headers=victim.account.bearer)).is_success
    assert [s["id"] for s in (await school.http.get("/api/me/sessions")).json()] == [
        school.session_id
    ]
