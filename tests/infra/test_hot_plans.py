"""On a filled database, no route people use all day reads a big table row by row.

A database of its own on the test server is built by the migrations (so the indexes are the
ones a deployment gets), filled straight in SQL (``tests.bench.front_door_world``: the review
state, intake's needs and offers, the catalogue, a school's thousands of notifications) and
analysed. Then the busiest routes are asked through the API, and the notifier's minutely round
of digests and reminders is run, while every statement they send is recorded, and each
recorded ``SELECT`` is run again under ``EXPLAIN (ANALYZE, FORMAT JSON)`` (the statement and its
parameters exactly as sent): no plan may read a big table row by row (a sequential scan that
reads more than ``READ_AT_MOST`` rows of it).
"""

import json
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from services.api.settings import ApiSettings
from services.notifier.dispatcher import Dispatcher
from services.notifier.settings import NotifierSettings
from shared.db import make_engine, make_sessionmaker
from tests.api.builders import PASSWORD, Accounts, browser, running_app
from tests.bench import front_door_world as world
from tests.infra.test_migrations import alembic, plain_dsn
from tests.stack import Stack

NEEDS = 20_000  # the world of the front door's bench, smaller
NOTIFICATIONS = 20_000
# A sequential scan a LIMIT stops after a few thousand rows (an exact count stops at 1,001 rows
# found) is fine; one reading more rows than this is the scan the routes must not make.
READ_AT_MOST = 10_000
BIG_TABLES = {"review_matches", "review_offers", "needs", "offers", "notifications"}


@pytest.fixture(scope="module")
async def filled(stack: Stack) -> AsyncIterator[str]:
    """The URL of a migrated, filled and analysed database of its own, dropped afterwards."""
    name = f"plans_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(plain_dsn(stack.database_url))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(stack.database_url).set(database=name).render_as_string(hide_password=False)
    try:
        alembic(url, "upgrade", "head")
        await world.fill_database(url, NEEDS, NOTIFICATIONS)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


@contextmanager
def recorded(into: list[tuple[str, Any]]) -> Iterator[None]:
    """Record every statement any engine of this process sends, with its parameters."""

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        into.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def sequential_reads(plan: dict[str, Any]) -> Iterator[tuple[str, float]]:
    """(relation, rows read) of every sequential scan of ``plan`` as it ran (``ANALYZE``): the
    rows it returned and those its filter removed, in all its loops."""
    if plan["Node Type"] == "Seq Scan":
        read = plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0)
        yield plan["Relation Name"], read * plan["Actual Loops"]
    for child in plan.get("Plans", []):
        yield from sequential_reads(child)


async def _routes(url: str) -> dict[str, list[tuple[str, Any]]]:
    """Each route's statements, as the API sent them to the filled database."""
    accounts = Accounts(make_sessionmaker(make_engine(url)))
    people = {
        "coordinator": await accounts.create("coordinator", region="Limburg"),
        "admin": await accounts.create("admin"),
        "school": await accounts.create("school", world.SCHOOL),
        "provider": await accounts.create("provider", world.PROVIDER),
    }
    asked = {
        "coordinator": [
            "/beoordelen", "/beoordelen?sortering=age", "/beoordelen?pagina=40",
            "/beoordelen?status=open&soort=teacher_internship&vakgebied=auto&graad=G3",
            "/beoordelen?status=rejected", "/beoordelen?school=School+12",
            "/beoordelen/lijst?status=open&pagina=1&versie={version}",
            "/api/matches?status=open", "/api/matches?status=open&sort=age",
            "/dashboard", "/catalogus", "/catalogus?pagina=200",
            "/catalogus?q=elektrische+voertuigen", "/api/catalogue?q=lassen",
            "/api/catalogue?q=stage&before=inf~x", "/api/catalogue?before=9999-12-31~x", "/inbox",
        ],
        "admin": ["/dashboard", "/dashboard?regio=Limburg"],
        "school": ["/school", "/school?pagina=3", "/school?pagina=900", "/inbox", "/api/needs"],
        "provider": ["/aanbieder", "/aanbieder?pagina=50", "/api/offers?page=20"],
    }  # fmt: skip
    sent: dict[str, list[tuple[str, Any]]] = {}
    async with running_app(ApiSettings(database_url=url)) as app:
        for who, paths in asked.items():
            async with browser(app) as http:
                signed = await http.post(
                    "/api/session", json={"email": people[who].email, "password": PASSWORD}
                )
                assert signed.status_code == 200, signed.text
                listed = await http.get("/beoordelen/lijst", params={"status": "open"})
                version = re.search(r'data-version="([0-9a-f]+)"', listed.text)
                for path in paths:
                    statements: list[tuple[str, Any]] = []
                    with recorded(statements):
                        answer = await http.get(path.format(version=version and version.group(1)))
                    assert answer.status_code in (200, 204), (path, answer.status_code)
                    sent[f"{who} {path}"] = statements
    sent["the notifier's minutely digests and reminders"] = await _periodic(url)
    return sent


async def _periodic(url: str) -> list[tuple[str, Any]]:
    """The statements of the notifier's periodic round (nothing due: the world's suggestions
    were all reminded, as a running notifier leaves them)."""
    engine = make_engine(url)
    dispatcher = Dispatcher(make_sessionmaker(engine), NotifierSettings(database_url=url))
    statements: list[tuple[str, Any]] = []
    with recorded(statements):
        await dispatcher.run_periodic(datetime.now(UTC))
    await engine.dispose()
    return statements


async def test_no_busy_route_reads_a_big_table_row_by_row(filled: str) -> None:
    sent = await _routes(filled)
    engine = make_engine(filled)
    found: list[str] = []
    explained = 0
    async with engine.connect() as connection:
        for route, statements in sent.items():
            for statement, parameters in statements:
                if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                plan = await connection.exec_driver_sql(
                    f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters
                )
                explained += 1
                tree = plan.scalar_one()
                tree = json.loads(tree) if isinstance(tree, str) else tree
                for relation, read in sequential_reads(tree[0]["Plan"]):
                    if relation in BIG_TABLES and read > READ_AT_MOST:
                        found.append(f"{route}: {read} rows of {relation} in {statement[:1500]}")
    await engine.dispose()
    assert explained > len(sent)  # every route was traced
    assert not found, "\n\n".join(found)
