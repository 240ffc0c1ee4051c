"""Builders for API tests: accounts of every role with a token, request bodies, polling."""

import asyncio
import contextlib
import csv
import io
import itertools
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api import accounts, sign_ins
from services.api.accounts import OrganisationRef
from services.api.app import create_app
from services.api.offer_csv import COLUMNS
from services.api.settings import ApiSettings
from shared.accounts import OrganisationRow, Role
from tests.builders import need_event, offer_event

SCHOOLS = ("048561", "031245", "112233")
PROVIDERS = ("0403.170.701", "0202.239.951", "0417.497.106")
PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)

# Open-redirect payloads: each would lead a browser (or a second decoding) to another host.
OTHER_SITE_TARGETS = (
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "https://evil.example",
    "HTTPS://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//user:pass@evil.example",
    "https://schakel.example@evil.example",
    "/\u3002evil.example",
    "\uff0f\uff0fevil.example",
    "/\u2215evil.example",
    "/\u202e/evil.example",
    "evil.example",
    "",
)


@contextlib.asynccontextmanager
async def running_app(settings: ApiSettings) -> AsyncIterator[FastAPI]:
    """An API instance for ``settings`` with its lifespan running (engine, outbox relay)."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


def fresh_address() -> str:
    """A client address no earlier test (nor run on the same database) signed in from: a /64 of
    the IPv6 documentation range, which the sign-in throttle counts as one client."""
    return f"2001:db8:{secrets.randbits(16):x}:{secrets.randbits(16):x}::1"


def browser(app: FastAPI, address: str | None = None) -> httpx.AsyncClient:
    """A client of ``app`` with its own cookie jar, calling from ``address`` (a fresh one if
    not given)."""
    transport = httpx.ASGITransport(app=app, client=(address or fresh_address(), 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://schakel.test")


@dataclass(frozen=True, slots=True)
class Account:
    """A user the tests act as."""

    email: str
    role: Role
    number: str | None
    region: str | None
    token: str

    @property
    def bearer(self) -> dict[str, str]:
        """Headers authenticating as this user."""
        return {"Authorization": f"Bearer {self.token}"}


class Accounts:
    """Creates users in the test database, each with a fresh e-mail address and a token."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def create(
        self, role: Role, number: str | None = None, region: str | None = None
    ) -> Account:
        """A user of ``role`` in the organisation ``number`` (school, provider) or ``region``."""
        email = f"{role}-{next(_numbers)}-{uuid.uuid4().hex[:6]}@test.example"
        ref = OrganisationRef(number=number, rtc_region=region)
        async with self._sessions.begin() as session:
            organisation = await accounts.ensure_organisation(session, role, ref)
            user = await accounts.save_user(session, role, organisation, email, PASSWORD)
            token = await sign_ins.issue_token(session, user.id, "tests", timedelta(days=1))
        return Account(email, role, number, region, token)

    async def every_role(self) -> dict[str, Account]:
        """Two schools, two providers, a coordinator and an admin."""
        return {
            "school_a": await self.create("school", SCHOOLS[0]),
            "school_b": await self.create("school", SCHOOLS[1]),
            "provider_a": await self.create("provider", PROVIDERS[0]),
            "provider_b": await self.create("provider", PROVIDERS[1]),
            "coordinator": await self.create("coordinator", region="Limburg"),
            "admin": await self.create("admin"),
        }


@contextlib.asynccontextmanager
async def coordinator_browser(
    app: FastAPI, accounts: "Accounts", region: str
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """A new coordinator of ``region`` signed in: its browser (cookie session) and CSRF token."""
    account = await accounts.create("coordinator", region=region)
    async with signed_in(app, account) as signed:
        yield signed


@contextlib.asynccontextmanager
async def signed_in(app: FastAPI, account: Account) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """``account`` signed in: its browser (cookie session) and CSRF token."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://schakel.test") as http:
        signed = await http.post(
            "/api/session", json={"email": account.email, "password": PASSWORD}
        )
        assert signed.status_code == 200, signed.text
        yield http, signed.json()["csrf_token"]


async def registered_name(sessions: async_sessionmaker[AsyncSession], account: Account) -> str:
    """The name the organisation of a school or provider ``account`` is registered under."""
    kind = "school" if account.role == "school" else "provider"
    registered = select(OrganisationRow.name).where(
        OrganisationRow.kind == kind, OrganisationRow.number == account.number
    )
    async with sessions() as session:
        return (await session.scalars(registered)).one()


def period(days_from_now: int = 60, length: int = 90, **extra: Any) -> dict[str, Any]:
    """A period starting ``days_from_now`` days from today (intake refuses ended periods)."""
    start = date.today() + timedelta(days=days_from_now)
    return {
        "start": start.isoformat(),
        "end": (start + timedelta(days=length)).isoformat(),
        **extra,
    }


def need_body(institution_number: str, **overrides: Any) -> dict[str, Any]:
    """A valid POST /api/needs body of the school ``institution_number``."""
    body = need_event(period=period(days=5))
    del body["event_id"]
    body["school"] = {**body["school"], "institution_number": institution_number}
    return {**body, **overrides}


def offer_body(enterprise_number: str, **overrides: Any) -> dict[str, Any]:
    """A valid POST /api/offers body of the provider ``enterprise_number``."""
    body = offer_event(period=period(days_from_now=30, length=150))
    del body["event_id"]
    body["provider"] = {**body["provider"], "enterprise_number": enterprise_number}
    return {**body, **overrides}


def offer_row(run: str, number: int) -> dict[str, str]:
    """A valid CSV row of an offer of the first provider, id ``{run}-{number}``."""
    start = date.today() + timedelta(days=20)
    return {
        "offer_id": f"{run}-{number}",
        "provider_enterprise_number": PROVIDERS[0],
        "provider_name": "Garage X",
        "provider_type": "company",
        "provider_postal_code": "3600",
        "contact_name": "Jan Claes",
        "contact_email": "jan.claes@garage.example",
        "kind": "teacher_internship",
        "title": f"Meedraaien in de EV-werkplaats, plaats {number}",
        "description": 'Diagnose; onderhoud van "hoogspanning" en batterijen.',
        "field": "auto",
        "keywords": "EV|diagnose",
        "grades": "G3|SNS",
        "period_start": start.isoformat(),
        "period_end": (start + timedelta(days=120)).isoformat(),
        "period_days": "5",
        "capacity": "2",
        "venue": "company",
        "cost_eur": "12,50",
    }


def as_csv(rows: list[dict[str, str]], delimiter: str = ";") -> bytes:
    """An offer CSV as a Belgian spreadsheet saves it: BOM, ``;`` unless told otherwise."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


async def wait_for_status(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    wanted: set[str],
    seconds: float = 60,
) -> dict[str, Any]:
    """GET ``url`` until its status is one of ``wanted``; fail with the last answer."""
    answer: dict[str, Any] = {}
    for _ in range(int(seconds / 0.25)):
        answer = (await client.get(url, headers=headers)).json()
        if answer.get("status") in wanted:
            return answer
        await asyncio.sleep(0.25)
    raise AssertionError(f"{url} never reached {wanted}; last answer {answer}")
