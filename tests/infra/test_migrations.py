"""Alembic migrations build the whole schema on an empty database and take it down again."""

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.stack import REPO, Stack

EXPECTED_TABLES = {
    "outbox",
    "processed_events",
    "needs",
    "offers",
    "matcher_postings",
    "match_suggestions",
    "notifications",
    "review_needs",
    "review_offers",
    "review_matches",
    "organisations",
    "users",
    "api_tokens",
    "api_sessions",
    "api_idempotency",
    "api_submissions",
    "ranking_models",
}


def alembic(database_url: str, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "-c", "deploy/alembic.ini", *args],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def plain_dsn(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
async def empty_database(stack: Stack) -> AsyncIterator[str]:
    """A fresh database on the test server, dropped afterwards."""
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(plain_dsn(stack.database_url))
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(stack.database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


async def tables(database_url: str) -> set[str]:
    connection = await asyncpg.connect(plain_dsn(database_url))
    try:
        rows = await connection.fetch("select tablename from pg_tables where schemaname = 'public'")
    finally:
        await connection.close()
    return {row["tablename"] for row in rows}


async def test_upgrade_to_head_then_down_to_base(empty_database: str) -> None:
    alembic(empty_database, "upgrade", "head")
    assert await tables(empty_database) >= EXPECTED_TABLES
    alembic(empty_database, "check")  # the tables the code declares are exactly what was built

    alembic(empty_database, "downgrade", "base")
    assert await tables(empty_database) == {"alembic_version"}


async def test_tokens_from_before_expiry_get_the_default_lifetime(empty_database: str) -> None:
    alembic(empty_database, "upgrade", "0011_outbox_partition")
    connection = await asyncpg.connect(plain_dsn(empty_database))
    try:
        organisation = await connection.fetchval(
            "INSERT INTO organisations (kind, name) VALUES ('admin', 'Schakel') RETURNING id"
        )
        user = await connection.fetchval(
            "INSERT INTO users (email, name, password_hash, role, organisation_id) "
            "VALUES ('a@schakel.example', 'A', 'x', 'admin', $1) RETURNING id",
            organisation,
        )
        await connection.execute(
            "INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, 'old', $2)",
            user,
            "0" * 64,
        )
        alembic(empty_database, "upgrade", "head")
        left = await connection.fetchval("SELECT expires_at - now() FROM api_tokens")
    finally:
        await connection.close()
    assert timedelta(days=89) < left <= timedelta(days=90)


async def test_a_coordinators_daily_digest_becomes_the_mail_choice_for_suggestions(
    empty_database: str,
) -> None:
    alembic(empty_database, "upgrade", "0022_catalogue_search")
    connection = await asyncpg.connect(plain_dsn(empty_database))
    try:
        rtc = await connection.fetchval(
            "INSERT INTO organisations (kind, rtc_region, name) "
            "VALUES ('rtc', 'Limburg', 'RTC Limburg') RETURNING id"
        )
        for email, digest in (("daily@rtc.example", "daily"), ("now@rtc.example", "immediate")):
            await connection.execute(
                "INSERT INTO users (email, name, password_hash, role, organisation_id, digest) "
                "VALUES ($1, 'C', 'x', 'coordinator', $2, $3)",
                email,
                rtc,
                digest,
            )
        alembic(empty_database, "upgrade", "head")
        chosen = await connection.fetch(
            "SELECT u.email, m.kind, m.choice FROM mail_choices m JOIN users u ON u.id = m.user_id"
        )
        alembic(empty_database, "downgrade", "0022_catalogue_search")
        kept = await connection.fetch("SELECT email, digest FROM users ORDER BY email")
    finally:
        await connection.close()
    assert [tuple(row) for row in chosen] == [("daily@rtc.example", "suggestion", "daily")]
    assert [tuple(row) for row in kept] == [
        ("daily@rtc.example", "daily"),
        ("now@rtc.example", "immediate"),
    ]
