"""The public catalogue at full scale: ``CATALOGUE_OFFERS`` open offers (default 100,000) stored
straight in intake's table with Dutch titles and descriptions, then the API answers in this
process. Each route is asked ``REQUESTS`` times one after the other, then by ``USERS`` users at
once (``tests.bench.front_door``'s method), with ``GET /health`` as the floor in the same run:
a rare word ("lassen"), a word in a fifth of the offers ("stage") on its first and last page, the
browsing order's first and last page, and the ``/catalogus`` page. Two variants, one after the
other on the same database:

- ``now``: this checkout (Dutch full-text search on the GIN index, cursor pages, totals
  estimated above 1,000); the last page is asked with a ``before`` cursor past the end.
- ``baseline``: the search and browsing indexes dropped, every total counted exactly, the last
  page asked by number (``page=``, rows skipped one by one). Its search is this checkout's full
  text search without its index, kinder than the ILIKE scan over JSON text it replaced.

Writes bench-results/catalogue.json (medians and 95th percentiles in milliseconds).
"""

import os
from pathlib import Path

from sqlalchemy import text

from services.api.settings import ApiSettings
from services.intake.tables import OfferRow
from shared.db import make_engine
from tests.api.builders import browser, running_app
from tests.bench.on_stack import run_on_stack
from tests.bench.timing import REQUESTS, route_figures
from tests.stack import database_url

OFFERS = int(os.environ.get("CATALOGUE_OFFERS", "100000"))
PAGE_SIZE = 20
RESULTS = Path("bench-results/catalogue.json")
CATALOGUE_INDEXES = ("ix_offers_search", "ix_offers_period_start_offer_id")
TITLES = (
    "Lassen voor beginners", "Stage in de EV-werkplaats", "Gastles cybersecurity",
    "Koeltechniek in de praktijk", "Uitleen van een CNC-machine", "Bedrijfsbezoek logistiek",
    "Meedraaien in het labo", "Elektrische voertuigen herstellen", "Stage bouw en hout",
    "Werkplekleren in de zorg",
)  # fmt: skip
DESCRIPTIONS = (
    "Leerlingen leren veilig leven online.", "Een week in ons atelier, met begeleiding.",
    "Diagnose en onderhoud van hoogspanningsbatterijen.", "Gelast en geplooid op maat.",
    "Voor leerkrachten die hun kennis willen opfrissen.", "Stage voor de derde graad.",
    "Met een rondleiding door de productiehal.",
)  # fmt: skip
FILL = """INSERT INTO offers (offer_id, enterprise_number, version, status, kind, field,
    rtc_region, period_start, period_end, registered)
SELECT 'cat-offer-' || i, :enterprise, 1, 'open', 'teacher_internship', 'auto',
    'Limburg', current_date + i % 200, current_date + 300,
    jsonb_build_object(
        'offer_id', 'cat-offer-' || i,
        'title',
            (CAST(:titles AS text[]))[1 + i % cardinality(CAST(:titles AS text[]))] || ' ' || i,
        'description',
            (CAST(:descriptions AS text[]))[1 + i % cardinality(CAST(:descriptions AS text[]))],
        'keywords', jsonb_build_array('auto'), 'kind', 'teacher_internship', 'field', 'auto',
        'grades', jsonb_build_array(), 'capacity', 2, 'venue', 'company',
        'period', jsonb_build_object('start', current_date + i % 200, 'end', current_date + 300),
        'provider', jsonb_build_object('name', 'Garage ' || i % 500, 'type', 'company'),
        'place', jsonb_build_object('locality', 'Genk', 'rtc_region', 'Limburg'))
FROM generate_series(1, CAST(:offers AS int)) AS i"""


def fill_values(offers: int) -> dict[str, object]:
    """The parameters of ``FILL`` for ``offers`` offers."""
    return {
        "offers": offers, "titles": list(TITLES), "descriptions": list(DESCRIPTIONS),
        "enterprise": "0202239951",
    }  # fmt: skip


def _routes(baseline: bool) -> dict[str, str]:
    api = f"/api/catalogue?page_size={PAGE_SIZE}"
    last_stage = f"page={OFFERS // 5 // PAGE_SIZE}" if baseline else "before=inf~x"
    last_all = f"page={OFFERS // PAGE_SIZE}" if baseline else "before=9999-12-31~x"
    return {
        "health": "/health",
        "api_search_rare_word": f"{api}&q=lassen",
        "api_search_common_word": f"{api}&q=stage",
        "api_search_common_word_last_page": f"{api}&q=stage&{last_stage}",
        "api_browse_first_page": api,
        "api_browse_last_page": f"{api}&{last_all}",
        "catalogus_page_search": "/catalogus?q=elektrische+voertuigen",
    }


async def _prepare(present: bool, fill: bool) -> None:
    """Fill the offers (once), then create or drop the catalogue's indexes and analyse."""
    engine = make_engine(database_url())
    async with engine.begin() as connection:
        if fill:
            await connection.execute(text(FILL), fill_values(OFFERS))
        for index in OfferRow.__table__.indexes:
            if index.name in CATALOGUE_INDEXES:
                await connection.run_sync(index.create if present else index.drop, checkfirst=True)
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("VACUUM ANALYZE offers"))
    await engine.dispose()


async def _variant(settings: ApiSettings, baseline: bool) -> dict[str, object]:
    await _prepare(present=not baseline, fill=baseline)
    async with running_app(settings) as app, browser(app) as http:
        measured: dict[str, object] = {}
        for name, path in _routes(baseline).items():
            probe = await http.get(path)
            assert probe.status_code == 200, (path, probe.text[:200])
            measured[name] = await route_figures(http, path)
        return measured


async def _remove() -> None:
    """Take the bench's offers out again (the test database outlives the run)."""
    engine = make_engine(database_url())
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM offers WHERE offer_id LIKE 'cat-offer-%'"))
    await engine.dispose()


async def _all_figures() -> dict[str, object]:
    try:
        return {
            "offers": OFFERS,
            "page_size": PAGE_SIZE,
            "requests_per_route": REQUESTS,
            "baseline": await _variant(ApiSettings(exact_count_limit=10**12), baseline=True),
            "now": await _variant(ApiSettings(), baseline=False),
        }
    finally:
        await _remove()


def main() -> None:
    """Measure on a fresh test stack; write and print the figures."""
    run_on_stack(_all_figures, RESULTS)


if __name__ == "__main__":
    main()
