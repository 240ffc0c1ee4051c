"""The review queue as a big region needs it: the poll answers "nothing new" (204) from the
region's queue version until something in that region changes, and a total above the exact-count
limit (two here, a thousand by default) is shown as an estimate: "ongeveer" on the page,
``total_exact: false`` in ``/api/matches``; many requests of one browser at once do not exhaust
the database pool."""

import asyncio
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from services.api.settings import ApiSettings
from shared.contracts import NeedRegistered
from tests.api.builders import PASSWORD, Accounts, browser, running_app
from tests.notifier import events
from tests.review.conftest import Sessions, suggested_pairs
from tests.stack import Stack

EXACT_UP_TO = 2


@pytest.fixture(scope="module")
async def app(stack: Stack) -> AsyncIterator[FastAPI]:
    """The API counting exactly up to two matches only."""
    async with running_app(ApiSettings(exact_count_limit=EXACT_UP_TO)) as application:
        yield application


@pytest.fixture(scope="module")
async def coordinator(app: FastAPI, accounts: Accounts) -> AsyncIterator[httpx.AsyncClient]:
    """Limburg's coordinator, signed in with a cookie."""
    account = await accounts.create("coordinator", region="Limburg")
    async with browser(app) as http:
        signed = await http.post(
            "/api/session", json={"email": account.email, "password": PASSWORD}
        )
        assert signed.status_code == 200, signed.text
        yield http


def _version(page: httpx.Response) -> str:
    found = re.search(r'data-version="([0-9a-f]+)"', page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


async def _poll(http: httpx.AsyncClient, version: str) -> httpx.Response:
    return await http.get("/beoordelen/lijst", params={"status": "open", "versie": version})


async def test_the_poll_answers_204_until_the_coordinators_region_changes(
    coordinator: httpx.AsyncClient, db: Sessions
) -> None:
    version = _version(await coordinator.get("/beoordelen/lijst", params={"status": "open"}))
    assert (await _poll(coordinator, version)).status_code == 204

    await suggested_pairs(db, [events.need("8000")], events.offer())  # West-Vlaanderen
    assert (await _poll(coordinator, version)).status_code == 204

    await suggested_pairs(db, [events.need("3500")], events.offer())  # Limburg
    changed = await _poll(coordinator, version)
    assert changed.status_code == 200 and _version(changed) != version
    assert (await _poll(coordinator, _version(changed))).status_code == 204


def _needs_of_one_school(count: int) -> list[NeedRegistered]:
    first = events.need("3500")
    return [first] + [
        events.need("3500").model_copy(update={"school": first.school}) for _ in range(count - 1)
    ]


async def _school_with(db: Sessions, suggestions: int) -> str:
    needs = _needs_of_one_school(suggestions)
    await suggested_pairs(db, needs, events.offer(capacity=suggestions))
    return needs[0].school.institution_number


async def test_a_total_up_to_the_limit_is_exact_and_above_it_about(
    coordinator: httpx.AsyncClient, db: Sessions
) -> None:
    exact, about = await _school_with(db, EXACT_UP_TO), await _school_with(db, EXACT_UP_TO + 1)

    page = await coordinator.get("/beoordelen", params={"status": "open", "school": exact})
    assert re.search(r">\s*2 voorstellen<", page.text) and "ongeveer" not in page.text
    listed = (await coordinator.get("/api/matches", params={"school": exact})).json()
    assert (listed["total"], listed["total_exact"], len(listed["items"])) == (2, True, 2)

    page = await coordinator.get("/beoordelen", params={"status": "open", "school": about})
    assert re.search(r">\s*ongeveer \d+ voorstellen<", page.text)
    listed = (await coordinator.get("/api/matches", params={"school": about})).json()
    assert listed["total_exact"] is False and listed["total"] >= EXACT_UP_TO + 1
    assert len(listed["items"]) == EXACT_UP_TO + 1  # every match is still listed


async def test_thirty_requests_of_one_browser_at_once_all_answer(
    coordinator: httpx.AsyncClient,
) -> None:
    # More than the pool's ten connections: each request holds at most one at a time.
    answers = await asyncio.gather(
        *(coordinator.get("/beoordelen/lijst", params={"status": "open"}) for _ in range(30))
    )
    assert {answer.status_code for answer in answers} == {200}
