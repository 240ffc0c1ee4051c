"""What every signed-in request costs the database, and that the one read of who is asking
still sees every change on the very next request: the queue's unchanged poll (204) reads the
browser session and the queue's version in two statements on one connection; a changed role,
a disabled user and a sign-out count from the next request on."""

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.credentials import SESSION_COOKIE
from shared.accounts import UserRow
from tests.api.builders import Accounts, coordinator_browser


async def _sent_by(http: httpx.AsyncClient, path: str) -> tuple[int, list[tuple[int, str]]]:
    """The status of GET ``path`` and the statements it sent, each with its connection (the
    outbox relay of the same process left out)."""
    sent: list[tuple[int, str]] = []

    def record(connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if "outbox" not in statement:
            sent.append((id(connection.connection.dbapi_connection), statement))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        answer = await http.get(path)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    return answer.status_code, sent


async def test_the_unchanged_poll_reads_two_statements_on_one_connection(
    app: FastAPI, accounts: Accounts
) -> None:
    async with coordinator_browser(app, accounts, "Limburg") as (http, _):
        page = await http.get("/beoordelen/lijst", params={"status": "open"})
        version = page.text.split('data-version="', 1)[1].split('"', 1)[0]
        poll = f"/beoordelen/lijst?status=open&pagina=1&versie={version}"
        await http.get(poll)  # the session's last use written, if it was due

        status, sent = await _sent_by(http, poll)

    assert status == 204
    assert len(sent) == 2, sent
    assert len({connection for connection, _ in sent}) == 1
    assert "api_sessions" in sent[0][1] and "review_queue_versions" in sent[1][1]


async def test_a_changed_role_and_a_disabled_user_count_from_the_next_request(
    app: FastAPI, accounts: Accounts, db: async_sessionmaker[AsyncSession]
) -> None:
    async with coordinator_browser(app, accounts, "Limburg") as (http, _):
        me = (await http.get("/api/me")).json()
        assert me["role"] == "coordinator"
        assert (await http.get("/beoordelen/lijst")).status_code == 200

        async with db.begin() as session:
            await session.execute(
                update(UserRow).where(UserRow.id == me["user_id"]).values(role="school")
            )
        assert (await http.get("/api/me")).json()["role"] == "school"
        assert (await http.get("/beoordelen/lijst")).status_code == 403

        async with db.begin() as session:
            await session.execute(
                update(UserRow).where(UserRow.id == me["user_id"]).values(disabled=True)
            )
        assert (await http.get("/api/me")).status_code == 401


async def test_a_signed_out_session_is_refused_on_the_next_request(
    app: FastAPI, accounts: Accounts
) -> None:
    async with coordinator_browser(app, accounts, "Limburg") as (http, csrf):
        assert (await http.get("/api/me")).status_code == 200
        cookie = http.cookies[SESSION_COOKIE]
        assert (await http.delete("/api/session", headers={"X-CSRF-Token": csrf})).is_success
        http.cookies.set(SESSION_COOKIE, cookie)  # sent again after signing out
        assert (await http.get("/api/me")).status_code == 401
