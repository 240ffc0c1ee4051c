"""Colleagues: the organisation's admin invites by mail, the invited colleague chooses a name and
password and signs in; rights are given and taken, colleagues removed; nobody sees or changes
another organisation's people."""

import contextlib
from collections.abc import AsyncIterator

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.api.builders import PASSWORD, Accounts, browser
from tests.api.mail import link_in, mail_to
from tests.mail_sink import SmtpServer
from tests.web.world import institution_number

Db = async_sessionmaker[AsyncSession]
NEW_PASSWORD = "mijn eigen wachtwoord"


@contextlib.asynccontextmanager
async def signed_in(
    app: FastAPI, email: str, password: str = PASSWORD
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A browser signed in as ``email``, with its CSRF token."""
    async with browser(app) as http:
        me = await http.post("/api/session", json={"email": email, "password": password})
        assert me.status_code == 200, me.text
        yield http, me.json()["csrf_token"]


def user_id(page: str, email: str) -> str:
    """The ``data-user-id`` of the row of ``email`` on the colleagues page."""
    row = page.split(f"<td>{email}</td>")[0].rsplit('data-user-id="', 1)[1]
    return row.split('"', 1)[0]


async def invited(
    app: FastAPI, db: Db, smtp: SmtpServer, http: httpx.AsyncClient, csrf: str, email: str
) -> None:
    """Invite ``email`` from ``http`` and accept the mailed invitation as Nora."""
    sent = await http.post("/organisatie/uitnodigen", data={"email": email, "csrf_token": csrf})
    assert sent.status_code == 303, sent.text
    path = link_in(await mail_to(db, smtp, email, "nodigt u uit"), "/uitnodiging")
    async with browser(app) as guest:
        assert (await guest.get(path)).status_code == 200
        token = path.split("token=", 1)[1]
        form = {"token": token, "name": "Nora <Maes>", "password": NEW_PASSWORD}
        accepted = await guest.post("/uitnodiging", data=form)
        assert accepted.status_code == 303, accepted.text
        assert (await guest.post("/uitnodiging", data=form)).status_code == 410


async def test_an_invited_colleague_joins_and_gets_rights_from_the_admin(
    app: FastAPI, accounts: Accounts, db: Db, smtp: SmtpServer
) -> None:
    number = institution_number()
    first = await accounts.create("school", number)  # the organisation's first user: its admin
    colleague = f"nora-{number}@school.example"
    async with signed_in(app, first.email) as (admin, csrf):
        await invited(app, db, smtp, admin, csrf, colleague)
        async with signed_in(app, colleague, NEW_PASSWORD) as (nora, nora_csrf):
            page = (await nora.get("/organisatie")).text
            assert "Nora &lt;Maes&gt;" in page and first.email in page
            assert "Een collega uitnodigen" not in page
            refused = await nora.post(
                "/organisatie/uitnodigen", data={"email": "x@y.example", "csrf_token": nora_csrf}
            )
            assert refused.status_code == 422
            target = user_id((await admin.get("/organisatie")).text, colleague)
            given = await admin.post(
                f"/organisatie/{target}/beheerrecht", data={"geven": "ja", "csrf_token": csrf}
            )
            assert given.status_code == 303
            assert "Een collega uitnodigen" in (await nora.get("/organisatie")).text
            removed = await admin.post(
                f"/organisatie/{target}/verwijderen", data={"csrf_token": csrf}
            )
            assert removed.status_code == 303
            assert (await nora.get("/api/me")).status_code == 401


async def test_nobody_sees_or_changes_another_organisations_people(
    app: FastAPI, accounts: Accounts
) -> None:
    ours = await accounts.create("school", institution_number())
    theirs = await accounts.create("provider", "0417.497.106")
    async with signed_in(app, ours.email) as (http, _):
        own_id = user_id((await http.get("/organisatie")).text, ours.email)
    async with signed_in(app, theirs.email) as (other, other_csrf):
        page = (await other.get("/organisatie")).text
        assert ours.email not in page
        for path, form in (
            (f"/organisatie/{own_id}/verwijderen", {}),
            (f"/organisatie/{own_id}/beheerrecht", {"geven": "nee"}),
        ):
            answer = await other.post(path, data={**form, "csrf_token": other_csrf})
            assert answer.status_code in (404, 422), answer.status_code
            assert ours.email not in answer.text
        taken = await other.post(
            "/organisatie/uitnodigen", data={"email": ours.email, "csrf_token": other_csrf}
        )
        assert taken.status_code == 422
    assert (await http_status(app, ours.bearer)) == 200


async def http_status(app: FastAPI, headers: dict[str, str]) -> int:
    """The status of ``GET /api/me`` with ``headers``."""
    async with browser(app) as http:
        return (await http.get("/api/me", headers=headers)).status_code
