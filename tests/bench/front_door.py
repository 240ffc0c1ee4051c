"""The front door on the SPEC's scale: every page and list people use, with many rows.

The world (``FRONT_DOOR_NEEDS`` needs, default 50,000) is filled once, through the public inputs
(``tests.bench.front_door_fill``: 100,000 offers and the needs produced on Kafka to intake, the
matcher's suggestions, up to five a need, the notifier's review state and inboxes, a tenth of
the needs decided over HTTP by the coordinators; a school with 500 needs, a provider's page of
500 offers, the offers the public catalogue), and its fill's own figures (seconds until the
offers, the needs and the decisions were drained; what they made) are reported beside the
routes'. ``FRONT_DOOR_FILL=sql`` fills ``tests.bench.front_door_world`` straight in PostgreSQL
instead (quick, not through the public inputs; a school inbox of
``FRONT_DOOR_NOTIFICATIONS / 2`` notifications, ``FRONT_DOOR_BOOKINGS`` loans on each of the
provider's own offers, default none). Then the API answers in this process. Each
route is asked ``BENCH_REQUESTS`` times one after the other, then by ``BENCH_USERS`` users at
once (``tests.bench.timing``), signed in as the coordinator of Limburg (the biggest region), the
admin, the school or the provider (and Limburg's first coordinator, for its inbox), with
``GET /health`` as the floor in the same run (``FRONT_DOOR_ROUTES``: only the routes named). Four
variants, one after the other on the same database (``FRONT_DOOR_VARIANTS``: only those named):

- ``now``: this checkout.
- ``page_rendered``: this checkout with every queue page queried on every request and its cards
  taken from those remembered one by one (``services.api.pages.queue_fragments`` remembering no
  page), the queue routes only: what a request costs the first time after a change that left
  the page's cards as they were (a decision changes one card, a new suggestion one or none).
- ``cards_rendered``: as ``page_rendered``, every card rendered again too (remembering
  nothing): the first request after a change of every card on the page, and what a request
  cost before the cards were remembered.
- ``baseline``: what a request cost before #22: the listing and catalogue indexes dropped, every
  total counted exactly, the poll building the whole queue to compare it, the dashboard and the
  match lists' totals counted on every request, every catalogue page ranked on every request,
  the catalogue's last page asked by number. The rest (the cards' queries,
  the school and provider pages, the inbox) is this checkout's code: the baseline is kinder
  than the code before was.

Writes bench-results/front_door.json (medians and 95th percentiles in milliseconds, and the
world as filled); ``python -m tests.bench.front_door fill`` fills alone and writes the fill's
figures to bench-results/front_door_fill.json.
"""

import os
import re
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal

import httpx
from fastapi import FastAPI
from markupsafe import Markup
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import catalogue_views
from services.api.pages import queue_fragments
from services.api.settings import ApiSettings
from services.intake.tables import OfferRow
from services.notifier.coordinators import coordinators_of
from services.review import queries, rotation_plans, stats
from services.review.tables import ReviewMatch
from shared.db import make_engine, make_sessionmaker
from tests.api.builders import PASSWORD, Accounts, browser, running_app
from tests.bench import front_door_fill
from tests.bench import front_door_world as world
from tests.bench.on_stack import run_on_stack
from tests.bench.timing import REQUESTS, USERS, route_figures
from tests.stack import database_url

NEEDS = int(os.environ.get("FRONT_DOOR_NEEDS", "50000"))
NOTIFICATIONS = int(os.environ.get("FRONT_DOOR_NOTIFICATIONS", "10000"))
BOOKINGS = int(os.environ.get("FRONT_DOOR_BOOKINGS", "0"))  # on each provider offer (SQL fill)
STRAIGHT_IN_SQL = os.environ.get("FRONT_DOOR_FILL", "public") == "sql"
# Only these routes (names as in ``every_route``, comma separated), e.g. "school_page,inbox".
ROUTES = {name for name in os.environ.get("FRONT_DOOR_ROUTES", "").split(",") if name}
# Only these variants (comma separated), e.g. "cards_rendered,page_rendered".
VARIANTS = {name for name in os.environ.get("FRONT_DOOR_VARIANTS", "").split(",") if name}
RESULTS = Path("bench-results/front_door.json")
FILL_RESULTS = Path("bench-results/front_door_fill.json")
# The indexes the baseline goes without.
INDEXES = {
    ReviewMatch.__table__: (
        "ix_review_matches_open_by_score", "ix_review_matches_open_by_age",
        "ix_review_matches_status_by_score",
    ),
    OfferRow.__table__: ("ix_offers_search", "ix_offers_period_start_offer_id"),
}  # fmt: skip
QUEUE = "/beoordelen"


def chosen_routes(baseline: bool) -> dict[str, tuple[str, str]]:
    """Name -> (who asks, path) of the routes measured (``FRONT_DOOR_ROUTES``, else every
    one); ``{version}`` is the queue's version as the page gave it."""
    routes = every_route(baseline)
    return {name: route for name, route in routes.items() if not ROUTES or name in ROUTES}


def every_route(baseline: bool) -> dict[str, tuple[str, str]]:
    """Name -> (who asks, path) of every route measured; ``{version}`` as in ``chosen_routes``."""
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
        "catalogus_page_200": ("coordinator", "/catalogus?pagina=200"),
        "api_catalogue_search": ("coordinator", "/api/catalogue?q=lassen"),
        "api_catalogue_last_page": ("coordinator", f"/api/catalogue?{last_page}"),
        "school_page": ("school", "/school"),
        "provider_page": ("provider", "/aanbieder"),
        "inbox": ("school", "/inbox"),
        "inbox_coordinator": ("first_coordinator", "/inbox"),
    }  # fmt: skip


async def fill() -> dict[str, object]:
    """Fill the front door's world in the test database; what it holds (and, filled through
    the public inputs, how long each step took)."""
    if not STRAIGHT_IN_SQL:
        return {"filled": "through the public inputs", **await front_door_fill.fill(NEEDS)}
    await world.fill_database(database_url(), NEEDS, NOTIFICATIONS, BOOKINGS)
    return {
        "filled": "straight in PostgreSQL",
        "needs": NEEDS,
        "offers": 2 * NEEDS,
        "suggestions": 5 * NEEDS,
        "school_notifications": NOTIFICATIONS // 2,
        "bookings_per_provider_offer": BOOKINGS,
    }


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


async def people() -> dict[str, str]:
    """The e-mail address of each kind of user who asks (created now): Limburg's coordinator,
    the admin, the school, the provider; and Limburg's first coordinator, told of every
    suggestion in Limburg if the world was filled through the public inputs
    (``first_coordinator``)."""
    engine = make_engine(database_url())
    sessions = make_sessionmaker(engine)
    accounts = Accounts(sessions)
    emails = {
        "coordinator": (await accounts.create("coordinator", region="Limburg")).email,
        "admin": (await accounts.create("admin")).email,
        "school": (await accounts.create("school", world.SCHOOL)).email,
        "provider": (await accounts.create("provider", world.PROVIDER)).email,
    }
    async with sessions() as session:
        emails["first_coordinator"] = (await coordinators_of(session, "Limburg"))[0].email
    await engine.dispose()
    return emails


def queue_version(listing: str) -> str:
    """The queue's version as the list fragment ``listing`` gives it (what the poll sends)."""
    version = re.search(r'data-version="([0-9a-f]+)"', listing)
    assert version is not None
    return version.group(1)


@asynccontextmanager
async def _browsers(settings: ApiSettings) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """A signed-in browser of each kind of user (``people``), on an API with ``settings``."""
    emails = await people()
    async with running_app(settings) as app:
        browsers = {who: await _signed_in(app, email) for who, email in emails.items()}
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


class _Forgetful:
    """The baseline's catalogue: every page read on every request."""

    async def get(self, key: object, compute: Callable[[], Awaitable[Any]]) -> Any:
        del key  # remembered by nothing
        return await compute()


REMEMBERING = (stats, rotation_plans, queries)  # the modules that remember review figures


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
    catalogue = catalogue_views._pages
    if baseline:
        for module in REMEMBERING:
            module.remembered = _every_time  # type: ignore[assignment]
        catalogue_views._pages = _Forgetful()  # type: ignore[assignment]
    if baseline or remembered_cards != "all":
        queue_fragments.remembered = _rendered
    if baseline or remembered_cards == "none":
        queue_fragments.card = _card_rendered
    try:
        async with _browsers(settings) as browsers:
            first = await browsers["coordinator"].get(f"{QUEUE}/lijst", params={"status": "open"})
            # The baseline's poll has nothing to compare with: it builds the whole list.
            poll = "" if baseline else queue_version(first.text)
            measured: dict[str, object] = {}
            for name, (who, path) in chosen_routes(baseline).items():
                if remembered_cards == "all" or name.startswith("queue_"):
                    path = path.format(version=poll)
                    measured[name] = await route_figures(browsers[who], path)
            return measured
    finally:
        for module in REMEMBERING:
            module.remembered = remembered  # type: ignore[assignment]
        queue_fragments.remembered, queue_fragments.card = pages, cards
        catalogue_views._pages = catalogue


async def _all_figures() -> dict[str, object]:
    figures: dict[str, object] = {
        "world": await fill(),
        "catalogue_offers": 2 * NEEDS,
        "school_needs": NEEDS // 100,
        "provider_offers": min(world.PROVIDER_OFFERS, 2 * NEEDS),
        "requests_per_route": REQUESTS,
        "users": USERS,
    }
    variants = {
        "baseline": lambda: _variant(ApiSettings(exact_count_limit=10**12), baseline=True),
        "cards_rendered": lambda: _variant(ApiSettings(), baseline=False, remembered_cards="none"),
        "page_rendered": lambda: _variant(ApiSettings(), baseline=False, remembered_cards="cards"),
        "now": lambda: _variant(ApiSettings(), baseline=False),
    }
    for name, measure in variants.items():
        if not VARIANTS or name in VARIANTS:
            figures[name] = await measure()
    return figures


def main() -> None:
    """Measure on a fresh test stack; write and print the figures. With the argument ``fill``,
    the fill's figures alone (bench-results/front_door_fill.json)."""
    if sys.argv[1:] == ["fill"]:
        run_on_stack(fill, FILL_RESULTS)
    else:
        run_on_stack(_all_figures, RESULTS)


if __name__ == "__main__":
    main()
