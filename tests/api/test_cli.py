"""The accounts CLI as a script uses it: idempotent user creation, a token on stdout, revocation."""

import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api import accounts
from shared.accounts import OrganisationRow, UserRow
from shared.mail_choices import choices_of
from tests.api.test_session import browser
from tests.stack import REPO


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "services.api.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_user_create_is_idempotent_and_a_token_can_be_used_then_revoked(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    email = f"TA-{uuid.uuid4().hex[:6]}@School.example"
    school = ("user", "create", "--role", "school", "--institution-number", "048561")
    first = cli(
        *school, "--email", email, "--password", "eerste", "--organisation-name", "VTI Hasselt"
    )
    assert first.returncode == 0, first.stderr
    again = cli(*school, "--email", email, "--password", "tweede", "--name", "An Peeters")
    assert again.returncode == 0, again.stderr
    async with db() as session:
        user = await session.scalar(select(UserRow).where(UserRow.email == email.lower()))
        assert user is not None and user.name == "An Peeters"
        assert await accounts.authenticate(session, email, "tweede") is not None
        assert await accounts.authenticate(session, email, "eerste") is None

    created = cli("token", "create", "--email", email, "--name", "school-package")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert created.stdout == token + "\n" and len(token) >= 40
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert (me.status_code, me.json()["organisation_number"]) == (200, "048561")
    assert cli("token", "revoke", "--email", email).returncode == 0
    assert (
        await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    ).status_code == 401


async def test_every_role_and_its_checks(db: async_sessionmaker[AsyncSession]) -> None:
    run = uuid.uuid4().hex[:6]
    password = ("--password", "geheim")
    good = {
        f"rtc-{run}@rtc.example": (
            "--role",
            "coordinator",
            "--region",
            "Limburg",
            "--digest",
            "daily",
        ),
        f"p-{run}@garage.example": ("--role", "provider", "--enterprise-number", "BE 0403170701"),
        f"a-{run}@schakel.example": ("--role", "admin"),
    }
    for email, options in good.items():
        result = cli("user", "create", *options, "--email", email, *password)
        assert result.returncode == 0, result.stderr
    bad = [
        ("--role", "coordinator", "--region", "Wallonië"),
        ("--role", "provider", "--enterprise-number", "0403.170.702"),
        ("--role", "school", "--institution-number", "48561"),
        ("--role", "janitor"),
    ]
    for options in bad:
        result = cli("user", "create", *options, "--email", f"x-{run}@x.example", *password)
        assert result.returncode != 0, options
    clash = cli("user", "create", "--role", "admin", "--email", f"rtc-{run}@rtc.example", *password)
    assert clash.returncode == 1 and "exists with role coordinator" in clash.stderr
    async with db() as session:
        coordinator = await session.scalar(
            select(UserRow).where(UserRow.email == f"rtc-{run}@rtc.example")
        )
        assert coordinator is not None
        assert await choices_of(session, coordinator.id) == {"suggestion": "daily"}
        rtc = await session.get(OrganisationRow, coordinator.organisation_id)
        assert rtc is not None and (rtc.kind, rtc.rtc_region) == ("rtc", "Limburg")
        provider = await session.scalar(
            select(UserRow).where(UserRow.email == f"p-{run}@garage.example")
        )
        assert provider is not None
        organisation = await session.get(OrganisationRow, provider.organisation_id)
        assert organisation is not None and organisation.number == "0403.170.701"


async def test_tokens_expire_are_listed_and_revoked_one_by_one(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    email = f"ta-{uuid.uuid4().hex[:6]}@school.example"
    school = ("user", "create", "--role", "school", "--institution-number", "048561")
    assert cli(*school, "--email", email, "--password", "eerste").returncode == 0
    kept = cli("token", "create", "--email", email, "--name", "kept").stdout.strip()
    ended = cli(
        "token", "create", "--email", email, "--name", "ended", "--days", "7"
    ).stdout.strip()
    listed = [
        line.split("\t") for line in cli("token", "list", "--email", email).stdout.splitlines()
    ]
    assert [(name, expires) for _, name, _, expires in listed] == [
        ("ended", (today() + timedelta(days=7)).isoformat()),
        ("kept", (today() + timedelta(days=90)).isoformat()),
    ]
    assert cli("token", "revoke", "--email", email, "--id", listed[0][0]).returncode == 0
    assert (await client.get("/api/me", headers=bearer(ended))).status_code == 401
    assert (await client.get("/api/me", headers=bearer(kept))).status_code == 200
    other = f"other-{uuid.uuid4().hex[:6]}@school.example"
    assert cli(*school, "--email", other, "--password", "x").returncode == 0
    assert cli("token", "revoke", "--email", other, "--id", listed[1][0]).returncode == 1
    assert (await client.get("/api/me", headers=bearer(kept))).status_code == 200


async def test_a_new_password_or_disabling_ends_every_token_and_session(app: FastAPI) -> None:
    email = f"ta-{uuid.uuid4().hex[:6]}@school.example"
    school = ("user", "create", "--role", "school", "--institution-number", "048561")
    assert cli(*school, "--email", email, "--password", "eerste").returncode == 0
    token = cli("token", "create", "--email", email).stdout.strip()
    async with browser(app, "10.3.0.1") as http:
        await http.post("/api/session", json={"email": email, "password": "eerste"})
        assert (await http.get("/api/me")).status_code == 200
        assert cli(*school, "--email", email, "--password", "tweede").returncode == 0
        assert (await http.get("/api/me", headers=bearer(token))).status_code == 401
        assert (await http.get("/api/me")).status_code == 401
        await http.post("/api/session", json={"email": email, "password": "tweede"})
        token = cli("token", "create", "--email", email).stdout.strip()
        assert cli("user", "disable", "--email", email).returncode == 0
        assert (await http.get("/api/me", headers=bearer(token))).status_code == 401
        assert (await http.get("/api/me")).status_code == 401
    assert cli("token", "list", "--email", email).stdout == ""


def today() -> date:
    """Today in UTC, as the CLI prints dates."""
    return datetime.now(UTC).date()


def bearer(token: str) -> dict[str, str]:
    """Headers authenticating with ``token``."""
    return {"Authorization": f"Bearer {token}"}
