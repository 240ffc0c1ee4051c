"""The front door on the SPEC's scale: every page and list people use, with many rows.

The world of ``tests.bench.front_door_world`` is filled straight in PostgreSQL
(``FRONT_DOOR_NEEDS`` needs, default 50,000: 100,000 offers, 250,000 suggestions, a school with
500 needs, a provider's page of 500 offers, 100,000 catalogue offers, a school inbox of
``FRONT_DOOR_NOTIFICATIONS / 2`` notifications), then the API answers in this process. Each
route is asked ``BENCH_REQUESTS`` times one after the other, then by ``BENCH_USERS`` users at
once (``tests.bench.timing``), signed in as the coordinator of Limburg (the biggest region), the
admin, the school or the provider, with ``GET /health`` as the floor in the same run. Four
variants, one after the other on the same database:

- ``now``: this checkout.
- ``page_rendered``: this checkout with every queue page queried on every request and its cards
  taken from those remembered one by one (``services.api.pages.queue_fragments`` remembering no
  page), the queue routes only: what a request costs the first time after a change that left
  the page's cards as they were (a decision changes one card, a new suggestion one or none).
- ``cards_rendered``: as ``page_rendered``, every card rendered again too (remembering
  nothing): the first request after a change of every card on the page, and what a request
  cost before the cards were remembered.
- ``baseline``: what a request cost before #22: the listing and catalogue indexes dropped, every
  total counted exactly, the poll building the whole queue to compare it, the dashboard counting
  on every request, the catalogue's last page asked by number. The rest (the cards' queries,
  the school and provider pages, the inbox) is this checkout's code: the baseline is kinder
  than the code before was.

Writes bench-results/front_door.json (medians and 95th percentiles in milliseconds).
"""

import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

import httpx
from fastapi import FastAPI
from markupsafe import Markup
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.pages import queue_fragments
from services.api.settings import ApiSettings
from services.intake.tables import OfferRow
from services.review import stats
from services.review.tables import ReviewMatch
from shared.db import make_engine, make_sessionmaker
from tests.api.builders import PASSWORD, Accounts, browser, running_app
from tests.bench import front_door_world as world
from tests.bench.on_stack import run_on_stack
from tests.bench.timing import REQUESTS, USERS, route_figures
from tests.stack import database_url

NEEDS = int(os.environ.get("FRONT_DOOR_NEEDS", "50000"))
NOTIFICATIONS = int(os.environ.get("FRONT_DOOR_NOTIFICATIONS", "10000"))
RESULTS = Path("bench-results/front_door.json")
# The indexes the baseline goes without.
INDEXES = {
    ReviewMatch.__table__: (
        "ix_review_matches_open_by_score", "ix_review_matches_open_by_age",
        "ix_review_matches_status_by_score",
    ),
    OfferRow.__table__: ("ix_offers_search", "ix_offers_period_start_offer_id"),
}  # fmt: skip
QUEUE = "/beoordelen"


def _routes(baseline: bool) -> dict[str, tuple[str, str]]:
    """Name -> (who asks, path); ``{version}`` is the queue's version as the page gave it."""
    last_page = f"page={2 * NEEDS // 20}" if baseline else "before=9999-12-31~x"
    return {
        "health": ("coordinator", "/health"),
        "queue_page": ("coordinator", QUEUE),
        "queue_page_by_age": ("coordinator", f"{QUEUE}?status=open&sortering=age"),
        "queue_filtered": (
            "coordinator",
            f"{QUEUE}?status=open&soort=teacher_internship&vakgebied=auto&graad=G3",
        ),
        "queue_one_school": ("coordinator", f"{QUEUE}?status=open&school=School+12"),
        "queue_rejected": ("coordinator", f"{QUEUE}?status=rejected"),
        "queue_poll_unchanged": (
            "coordinator", f"{QUEUE}/lijst?status=open&pagina=1&versie={{version}}",
        ),
        "queue_page_50": ("coordinator", f"{QUEUE}?status=open&pagina=50"),
        "api_matches_open": ("coordinator", "/api/matches?status=open"),
        "dashboard_coordinator": ("coordinator", "/dashboard"),
        "dashboard_admin": ("admin", "/dashboard"),
        "catalogus_search": ("coordinator", "/catalogus?q=elektrische+voertuigen"),
        "api_catalogue_search": ("coordinator", "/api/catalogue?q=lassen"),
        "api_catalogue_last_page": ("coordinator", f"/api/catalogue?{last_page}"),
        "school_page": ("school", "/school"),
        "provider_page": ("provider", "/aanbieder"),
        "inbox": ("school", "/inbox"),
    }  # fmt: skip


async def fill() -> None:
    """Fill the front door's world in the test database."""
    await world.fill_database(database_url(), NEEDS, NOTIFICATIONS)


async def _indexes(present: bool) -> None:
    """Create or drop the indexes the baseline goes without."""
    engine = make_engine(database_url())
    async with engine.begin() as connection:
        for table, names in INDEXES.items():
            for index in table.indexes:
                if index.name in names:
                    await connection.run_sync(
                        index.create if present else index.drop, checkfirst=True
                    )
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("ANALYZE review_matches, offers"))
    await engine.dispose()


async def _signed_in(app: FastAPI, email: str) -> httpx.AsyncClient:
    http = browser(app)
    signed = await http.post("/api/session", json={"email": email, "password": PASSWORD})
    assert signed.status_code == 200, signed.text
    return http


@asynccontextmanager
async def _browsers(settings: ApiSettings) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """A signed-in browser of each kind of user, on an API with ``settings``."""
    accounts = Accounts(make_sessionmaker(make_engine(database_url())))
    people = {
        "coordinator": await accounts.create("coordinator", region="Limburg"),
        "admin": await accounts.create("admin"),
        "school": await accounts.create("school", world.SCHOOL),
        "provider": await accounts.create("provider", world.PROVIDER),
    }
    async with running_app(settings) as app:
        browsers = {who: await _signed_in(app, person.email) for who, person in people.items()}
        try:
            yield browsers
        finally:
            for http in browsers.values():
                await http.aclose()


Compute = Callable[[AsyncSession, str | None], Awaitable[Any]]


async def _every_time(
    session: AsyncSession, _name: str, region: str | None, compute: Compute
) -> Any:
    """The baseline's dashboard: counted on every request."""
    return await compute(session, region)


async def _rendered(key: queue_fragments.Key, render: Callable[[], Awaitable[str]]) -> str:
    """The cards of a queue page (``key``) rendered on every request."""
    del key  # remembered by nothing
    return await render()


def _card_rendered(key: queue_fragments.Key, render: Callable[[], str]) -> Markup:
    """One card (``key``) rendered on every request."""
    del key  # remembered by nothing
    return Markup(render())  # noqa: S704 - rendered escaped


async def _variant(
    settings: ApiSettings, baseline: bool, remembered_cards: Literal["all", "cards", "none"] = "all"
) -> dict[str, object]:
    await _indexes(present=not baseline)
    remembered, pages, cards = stats.remembered, queue_fragments.remembered, queue_fragments.card
    if baseline:
        stats.remembered = _every_time
    if baseline or remembered_cards != "all":
        queue_fragments.remembered = _rendered
    if baseline or remembered_cards == "none":
        queue_fragments.card = _card_rendered
    try:
        async with _browsers(settings) as browsers:
            first = await browsers["coordinator"].get(f"{QUEUE}/lijst", params={"status": "open"})
            version = re.search(r'data-version="([0-9a-f]+)"', first.text)
            assert version is not None
            # The baseline's poll has nothing to compare with: it builds the whole list.
            poll = "" if baseline else version.group(1)
            measured: dict[str, object] = {}
            for name, (who, path) in _routes(baseline).items():
                if remembered_cards == "all" or name.startswith("queue_"):
                    path = path.format(version=poll)
                    measured[name] = await route_figures(browsers[who], path)
            return measured
    finally:
        stats.remembered, queue_fragments.remembered, queue_fragments.card = (
            remembered,
            pages,
            cards,
        )


async def _all_figures() -> dict[str, object]:
    await fill()
    return {
        "needs": NEEDS,
        "offers": 2 * NEEDS,
        "suggestions": 5 * NEEDS,
        "catalogue_offers": 2 * NEEDS,
        "school_needs": NEEDS // 100,
        "provider_offers": min(world.PROVIDER_OFFERS, 2 * NEEDS),
        "school_notifications": NOTIFICATIONS // 2,
        "requests_per_route": REQUESTS,
        "users": USERS,
        "baseline": await _variant(ApiSettings(exact_count_limit=10**12), baseline=True),
        "cards_rendered": await _variant(ApiSettings(), baseline=False, remembered_cards="none"),
        "page_rendered": await _variant(ApiSettings(), baseline=False, remembered_cards="cards"),
        "now": await _variant(ApiSettings(), baseline=False),
    }


def main() -> None:
    """Measure on a fresh test stack; write and print the figures."""
    run_on_stack(_all_figures, RESULTS)


if __name__ == "__main__":
    main()
