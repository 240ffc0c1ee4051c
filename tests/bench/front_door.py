"""The front door on a big region: the review queue's pages and lists with many rows.

The review state is filled straight in PostgreSQL (``FRONT_DOOR_NEEDS`` needs, default 50,000,
spread over the five regions with Limburg the biggest; twice as many offers; five suggestions a
need, nine in ten of them open), then the API answers in this process. Each route is asked
``REQUESTS`` times one after the other, then by ``USERS`` users at once (two requests each, one
signed-in browser, the API and the users in this one process), with ``GET /health`` as the floor
in the same run. Two variants, one after the other on the same database:

- ``now``: this checkout (queue versions, open-queue indexes, totals estimated above 1,000).
- ``baseline``: what a request cost before (the open-queue indexes dropped, every total counted
  exactly, the poll building the whole queue to compare it). Its cards and the cookie's
  connection handling are this checkout's: the baseline is kinder than the code before was.

Writes bench-results/front_door.json (medians and 95th percentiles in milliseconds).
"""

import asyncio
import os
import re
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from sqlalchemy import text

from services.api.settings import ApiSettings
from services.review.tables import ReviewMatch
from shared.db import make_engine, make_sessionmaker
from tests.api.builders import PASSWORD, Accounts, browser, running_app
from tests.bench.on_stack import run_on_stack
from tests.stack import database_url

NEEDS = int(os.environ.get("FRONT_DOOR_NEEDS", "50000"))
REQUESTS = 20
USERS = 20
RESULTS = Path("bench-results/front_door.json")
# Limburg holds about half the needs, as the measured world's biggest region held.
REGIONS = (
    "Limburg", "Limburg", "Limburg", "Antwerpen", "Oost-Vlaanderen", "Vlaams-Brabant",
    "West-Vlaanderen",
)  # fmt: skip
OPEN_QUEUE_INDEXES = ("ix_review_matches_open_by_score", "ix_review_matches_open_by_age")
ROUTES = {
    "health": "/health",
    "queue_page": "/beoordelen",
    "queue_page_by_age": "/beoordelen?status=open&sortering=age",
    "queue_poll_unchanged": "/beoordelen/lijst?status=open&pagina=1&versie={version}",
    "queue_page_50": "/beoordelen?status=open&pagina=50",
    "api_matches_open": "/api/matches?status=open",
}
FILL = (
    """INSERT INTO review_needs (need_id, version, status, kind, field, grades, title,
        institution_number, school_name, rtc_region, contact_name, contact_email, quantity,
        quantity_met, wants_replacement, registered_at, period_start, period_end)
    SELECT 'fd-need-' || i, 1, 'open', 'teacher_internship', 'auto', ARRAY['G3'],
        'Bedrijfsstage ' || i, lpad((i % 900)::text, 6, '0'), 'School ' || (i % 900),
        (CAST(:regions AS text[]))[1 + i % cardinality(CAST(:regions AS text[]))],
        'An Peeters', 'need' || i || '@school.example',
        1, 0, false, now(), current_date + 30, current_date + 120
    FROM generate_series(1, CAST(:needs AS int)) AS i""",
    """INSERT INTO review_offers (offer_id, version, status, title, enterprise_number,
        provider_name, provider_type, contact_name, contact_email, capacity, capacity_used,
        period_start, period_end)
    SELECT 'fd-offer-' || i, 1, 'open', 'Meedraaien in de werkplaats ' || i, '0403.170.701',
        'Garage ' || (i % 500), 'company', 'Bart Claes', 'offer' || i || '@garage.example', 2, 0,
        current_date + 30, current_date + 120
    FROM generate_series(1, 2 * CAST(:needs AS int)) AS i""",
    """INSERT INTO review_matches (match_id, need_id, offer_id, status, matcher_revision, kind,
        score, rank, distance_km, components, explanation, suggested_at, announced, units)
    SELECT 'fd-match-' || n || '-' || r, 'fd-need-' || n,
        'fd-offer-' || (1 + (n * 7 + r * 13) % (2 * CAST(:needs AS int))),
        CASE WHEN (n + r) % 10 = 0 THEN 'rejected' ELSE 'open' END, 1, 'teacher_internship',
        0.5 + ((n * 31 + r * 17) % 500) / 1000.0, r, 5 + r, '{"distance": 0.9}'::jsonb,
        'Zelfde vakgebied (auto).', now() - make_interval(mins => (n * 5 + r) % 50000), true, 0
    FROM generate_series(1, CAST(:needs AS int)) AS n, generate_series(1, 5) AS r""",
    """INSERT INTO review_queue_versions (rtc_region, version)
    SELECT DISTINCT rtc_region, 1 FROM review_needs ON CONFLICT DO NOTHING""",
)


async def _fill() -> None:
    engine = make_engine(database_url())
    async with engine.begin() as connection:
        for statement in FILL:
            await connection.execute(text(statement), {"needs": NEEDS, "regions": list(REGIONS)})
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE"))
    await engine.dispose()


async def _indexes(present: bool) -> None:
    """Create or drop the open queue's partial indexes (the baseline goes without)."""
    engine = make_engine(database_url())
    async with engine.begin() as connection:
        for index in ReviewMatch.__table__.indexes:
            if index.name in OPEN_QUEUE_INDEXES:
                await connection.run_sync(index.create if present else index.drop, checkfirst=True)
    await engine.dispose()


@asynccontextmanager
async def _coordinator(settings: ApiSettings) -> AsyncIterator[httpx.AsyncClient]:
    """Limburg's coordinator signed in to an API with ``settings``."""
    sessions = make_sessionmaker(make_engine(database_url()))
    account = await Accounts(sessions).create("coordinator", region="Limburg")
    async with running_app(settings) as app, browser(app) as http:
        signed = await http.post(
            "/api/session", json={"email": account.email, "password": PASSWORD}
        )
        assert signed.status_code == 200, signed.text
        yield http


async def _ask(http: httpx.AsyncClient, path: str) -> float:
    started = time.perf_counter()
    answer = await http.get(path)
    assert answer.status_code in (200, 204), (path, answer.status_code)
    return (time.perf_counter() - started) * 1000


def _figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }


async def _route(http: httpx.AsyncClient, path: str) -> dict[str, object]:
    alone = [await _ask(http, path) for _ in range(REQUESTS)]
    together: list[float] = []

    async def user() -> None:
        for _ in range(2):
            together.append(await _ask(http, path))

    await asyncio.gather(*(user() for _ in range(USERS)))
    return {"one_user": _figures(alone), f"{USERS}_users": _figures(together)}


async def _variant(settings: ApiSettings, baseline: bool) -> dict[str, object]:
    await _indexes(present=not baseline)
    async with _coordinator(settings) as http:
        first = await http.get("/beoordelen/lijst", params={"status": "open"})
        version = re.search(r'data-version="([0-9a-f]+)"', first.text)
        assert version is not None
        # The baseline's poll has nothing to compare with: it builds the whole list each time.
        poll = "" if baseline else version.group(1)
        measured: dict[str, object] = {}
        for name, path in ROUTES.items():
            measured[name] = await _route(http, path.format(version=poll))
        return measured


async def _all_figures() -> dict[str, object]:
    await _fill()
    return {
        "needs": NEEDS,
        "offers": 2 * NEEDS,
        "suggestions": 5 * NEEDS,
        "requests_per_route": REQUESTS,
        "baseline": await _variant(ApiSettings(exact_count_limit=10**12), baseline=True),
        "now": await _variant(ApiSettings(), baseline=False),
    }


def main() -> None:
    """Measure on a fresh test stack; write and print the figures."""
    run_on_stack(_all_figures, RESULTS)


if __name__ == "__main__":
    main()
