"""Password reset by a mailed one-use link and password change: the same answer whether or not
the address exists, the link works once and expires, a new password ends every other sign-in,
and the user is told by mail."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.credentials import token_hash
from services.api.tables import AccountLinkRow
from services.notifier.tables import NotificationRow
from shared.settings import Settings
from tests.api.builders import PASSWORD, SCHOOLS, Accounts, browser
from tests.api.mail import link_in, mail_to, parts
from tests.mail_sink import SmtpServer

NEW_PASSWORD = "a new and longer passphrase"
RESET_SUBJECT = "een nieuw wachtwoord instellen"
CHANGED_SUBJECT = "uw wachtwoord is gewijzigd"

Db = async_sessionmaker[AsyncSession]


def token_of(path: str) -> str:
    """The token of a reset link's path."""
    return parse_qs(urlsplit(path).query)["token"][0]


async def test_reset_answers_the_same_for_unknown_and_known_addresses(
    app: FastAPI, accounts: Accounts, db: Db, smtp: SmtpServer
) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    async with browser(app) as http:
        known = await http.post("/api/password-reset", json={"email": school.email})
    async with browser(app) as http:
        unknown = await http.post("/api/password-reset", json={"email": f"x{school.email}"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    async with browser(app) as http:
        page_known = await http.post("/wachtwoord-vergeten", data={"email": school.email})
    async with browser(app) as http:
        page_unknown = await http.post("/wachtwoord-vergeten", data={"email": f"y{school.email}"})
    assert page_known.status_code == page_unknown.status_code == 200
    assert page_known.text.replace(school.email, "") == page_unknown.text.replace(
        f"y{school.email}", ""
    )
    mail = await mail_to(db, smtp, school.email, RESET_SUBJECT)
    text, html = parts(mail)
    assert f"{Settings().api_public_url}/wachtwoord-herstellen?token=" in text
    assert "/wachtwoord-herstellen?token=" in html and "/account/voorkeuren" in html
    assert "X-Schakel-Match" not in mail


async def test_a_reset_link_sets_the_password_once_and_ends_every_old_sign_in(
    app: FastAPI, accounts: Accounts, db: Db, smtp: SmtpServer
) -> None:
    school = await accounts.create("school", SCHOOLS[1])
    async with browser(app) as old:
        signed_in = await old.post(
            "/api/session", json={"email": school.email, "password": PASSWORD}
        )
        assert signed_in.status_code == 200
        async with browser(app) as http:
            asked = await http.post("/wachtwoord-vergeten", data={"email": school.email})
            assert asked.status_code == 200
            path = link_in(await mail_to(db, smtp, school.email, RESET_SUBJECT), "/wachtwoord-")
            form = await http.get(path)
            assert form.status_code == 200 and 'name="token"' in form.text
            sent = {"token": token_of(path), "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
            saved = await http.post("/wachtwoord-herstellen", data=sent)
            assert saved.status_code == 303 and saved.headers["location"].startswith("/aanmelden")
            again = await http.post("/wachtwoord-herstellen", data=sent)
            assert again.status_code == 410 and "al gebruikt of verlopen" in again.text
            assert (await http.get(path)).status_code == 410
        assert (await old.get("/api/me")).status_code == 401  # the old session ended
    assert (await http_status(app, school.bearer)) == 401  # and the old token
    async with browser(app) as http:
        old_password = {"email": school.email, "password": PASSWORD}
        assert (await http.post("/api/session", json=old_password)).status_code == 401
        new_password = {"email": school.email, "password": NEW_PASSWORD}
        assert (await http.post("/api/session", json=new_password)).status_code == 200
    changed = await mail_to(db, smtp, school.email, CHANGED_SUBJECT)
    assert "/wachtwoord-vergeten" in parts(changed)[0]
    async with db() as session:
        kept = await session.scalars(
            select(NotificationRow.body_text).where(
                NotificationRow.recipient.like("user:%"), NotificationRow.body_text.contains(path)
            )
        )
        assert list(kept) == []  # once sent, the link is not kept in the notifier's store


async def http_status(app: FastAPI, headers: dict[str, str]) -> int:
    """The status of ``GET /api/me`` with ``headers``."""
    async with browser(app) as http:
        return (await http.get("/api/me", headers=headers)).status_code


async def test_an_expired_link_is_refused(
    app: FastAPI, accounts: Accounts, db: Db, smtp: SmtpServer
) -> None:
    provider = await accounts.create("provider", "0202.239.951")
    async with browser(app) as http:
        await http.post("/api/password-reset", json={"email": provider.email})
        path = link_in(await mail_to(db, smtp, provider.email, RESET_SUBJECT), "/wachtwoord-")
        async with db.begin() as session:
            await session.execute(
                update(AccountLinkRow)
                .where(AccountLinkRow.token_hash == token_hash(token_of(path)))
                .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
            )
        body = {"token": token_of(path), "password": NEW_PASSWORD}
        refused = await http.post("/api/password-reset/confirm", json=body)
        assert refused.status_code == 410
    assert await http_status(app, provider.bearer) == 200  # nothing changed


async def test_reset_requests_are_throttled_alike_for_known_and_unknown_addresses(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[2])
    for email in (school.email, f"nobody-{school.email}"):
        async with browser(app) as http:
            answers = [
                (await http.post("/api/password-reset", json={"email": email})).status_code
                for _ in range(8)
            ]
        assert answers[0] == 202 and answers[-1] == 429, answers


async def test_a_reset_asked_from_another_sites_page_is_refused(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    async with browser(app) as http:
        refused = await http.post(
            "/wachtwoord-vergeten",
            data={"email": school.email},
            headers={"Origin": "https://evil.example"},
        )
    assert refused.status_code == 403


@pytest.mark.parametrize("wrong", ["current", "short", "different"])
async def test_a_password_change_needs_the_current_password_and_a_good_new_one(
    app: FastAPI, accounts: Accounts, wrong: str
) -> None:
    school = await accounts.create("school", SCHOOLS[0])
    form = {"current": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    form |= {
        "current": {"current": "not it"},
        "short": {"password": "kort", "password2": "kort"},
        "different": {"password2": NEW_PASSWORD + "!"},
    }[wrong]
    async with browser(app) as http:
        me = await http.post("/api/session", json={"email": school.email, "password": PASSWORD})
        refused = await http.post(
            "/account/wachtwoord", data={**form, "csrf_token": me.json()["csrf_token"]}
        )
        assert refused.status_code == 422 and 'role="alert"' in refused.text
    assert await http_status(app, school.bearer) == 200


async def test_a_password_change_keeps_this_session_and_ends_the_others(
    app: FastAPI, accounts: Accounts, db: Db, smtp: SmtpServer
) -> None:
    school = await accounts.create("school", SCHOOLS[1])
    credentials = {"email": school.email, "password": PASSWORD}
    async with browser(app) as other, browser(app) as http:
        assert (await other.post("/api/session", json=credentials)).status_code == 200
        me = await http.post("/api/session", json=credentials)
        form = {"current": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
        without_csrf = await http.post("/account/wachtwoord", data=form)
        assert without_csrf.status_code == 403
        changed = await http.post(
            "/account/wachtwoord", data={**form, "csrf_token": me.json()["csrf_token"]}
        )
        assert changed.status_code == 303
        assert (await http.get("/api/me")).status_code == 200
        assert (await other.get("/api/me")).status_code == 401
    assert await http_status(app, school.bearer) == 401
    await mail_to(db, smtp, school.email, CHANGED_SUBJECT)


async def test_the_api_changes_a_password_with_the_current_one(
    app: FastAPI, accounts: Accounts
) -> None:
    school = await accounts.create("school", SCHOOLS[2])
    async with browser(app) as http:
        wrong = {"current_password": "not it", "new_password": NEW_PASSWORD}
        refused = await http.post("/api/me/password", json=wrong, headers=school.bearer)
        assert refused.status_code == 422
        right = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        done = await http.post("/api/me/password", json=right, headers=school.bearer)
        assert done.status_code == 204
    assert await http_status(app, school.bearer) == 401  # a token is ended like the rest
