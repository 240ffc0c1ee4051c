"""``/inbox`` with thousands of notifications shows a page at a time, newest first, each next
page ("Oudere berichten") picking up where the last ended without repeating or skipping one; an
id from another inbox shows nothing of it."""

import re
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI

from services.notifier.notifications import inbox_owner
from services.notifier.tables import NotificationRow
from tests.api.builders import PASSWORD, Accounts, browser
from tests.notifier import events
from tests.review.conftest import Sessions

NOTIFICATIONS = 30  # more than one page


async def _school_with_notifications(db: Sessions, number: str) -> None:
    owner = inbox_owner("school", 0, number)
    assert owner is not None
    now = datetime.now(UTC)
    async with db.begin() as session:
        session.add_all(
            NotificationRow(
                match_id=f"inbox-{number}-{i}",
                recipient=owner,
                type="match_accepted",
                subject=f"Bericht {i:02d}",
                body_text="",
                body_html="",
                payload={},
                created_at=now - timedelta(minutes=NOTIFICATIONS - i),
            )
            for i in range(NOTIFICATIONS)
        )


def _subjects(page: httpx.Response) -> list[int]:
    return [int(n) for n in re.findall(r"<h2>Bericht (\d+)</h2>", page.text)]


def _older(page: httpx.Response) -> str | None:
    found = re.search(r'href="(/inbox\?voor=\d+)"', page.text)
    return found.group(1) if found else None


async def test_the_inbox_pages_through_every_notification_newest_first(
    app: FastAPI, accounts: Accounts, db: Sessions
) -> None:
    number = events.institution_number()
    await _school_with_notifications(db, number)
    account = await accounts.create("school", number)
    async with browser(app) as http:
        signed = await http.post(
            "/api/session", json={"email": account.email, "password": PASSWORD}
        )
        assert signed.status_code == 200
        first = await http.get("/inbox")
        older = _older(first)
        assert older is not None and "Nieuwste berichten" not in first.text
        second = await http.get(older)
        assert _subjects(first) + _subjects(second) == list(reversed(range(NOTIFICATIONS)))
        assert _older(second) is None and "Nieuwste berichten" in second.text

        other = await accounts.create("school", events.institution_number())
        await _school_with_notifications(db, other.number or "")
    async with browser(app) as http:
        signed = await http.post("/api/session", json={"email": other.email, "password": PASSWORD})
        foreign = await http.get(older)  # the first school's notification id
        assert foreign.status_code == 200 and _subjects(foreign) == []
