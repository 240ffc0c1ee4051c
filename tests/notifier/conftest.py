"""The notifier running in-process against the test stack, a real SMTP server, and helpers."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import pytest
from aiokafka import AIOKafkaProducer
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.notifier.app import build_runtime
from services.notifier.handlers import GROUP_ID, INBOUND
from services.notifier.settings import NotifierSettings
from services.notifier.tables import OrganisationEndpointRow
from shared.accounts import OrganisationRow, UserRow
from shared.mail_choices import choose
from shared.runtime import ServiceRuntime
from tests.kafka_io import caught_up
from tests.mail_sink import SmtpServer
from tests.notifier.builders import unique
from tests.notifier.events import DECIDING_ADMIN
from tests.stack import Stack

Publish = Callable[[str, str, BaseModel], Awaitable[None]]
T = TypeVar("T")


@pytest.fixture(scope="session")
async def notifier_service(stack: Stack, smtp: SmtpServer) -> AsyncIterator[ServiceRuntime]:
    """The whole notifier service: consumers, outbox relay and dispatcher (fast retries)."""
    settings = NotifierSettings(
        kafka_bootstrap_servers=stack.kafka_bootstrap,
        database_url=stack.database_url,
        smtp_port=smtp.port,
        smtp_timeout_seconds=5,
        retry_base_seconds=0.2,
        retry_max_seconds=1.0,
        dispatch_poll_seconds=0.1,
        outbox_poll_seconds=0.1,
        periodic_seconds=10**6,  # digests and reminders are driven by the tests themselves
        coordinator_cache_seconds=0,  # tests add coordinators and expect them told at once
        webhook_private_allowed=True,  # the tests' webhook receiver listens on 127.0.0.1
    )
    runtime = build_runtime(settings)
    async with runtime.running():
        await add_admin(runtime.sessions, DECIDING_ADMIN)
        yield runtime


@pytest.fixture
async def notifier(notifier_service: ServiceRuntime) -> ServiceRuntime:
    """The notifier, caught up with what other tests put on its topics since it started, so a
    test waits for its own events only."""
    await caught_up(GROUP_ID, INBOUND)
    return notifier_service


@pytest.fixture
def sessions(notifier: ServiceRuntime) -> async_sessionmaker[AsyncSession]:
    """Sessions on the test database."""
    return notifier.sessions


@pytest.fixture(scope="session")
async def publish(stack: Stack) -> AsyncIterator[Publish]:
    """Put an event on a topic with a key, as another service would."""
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka_bootstrap, acks="all")
    await producer.start()

    async def send(topic: str, key: str, event: BaseModel) -> None:
        await producer.send_and_wait(
            topic, key=key.encode(), value=event.model_dump_json().encode()
        )

    yield send
    await producer.stop()


async def eventually(probe: Callable[[], Awaitable[T | None]], give_up_after: float = 60) -> T:
    """Poll ``probe`` until it returns something truthy; fail after ``give_up_after`` seconds.

    The database has no change feed to wait on, hence polling.
    """
    async with asyncio.timeout(give_up_after):
        while not (result := await probe()):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    return result


async def add_coordinator(
    sessions: async_sessionmaker[AsyncSession], region: str, digest: str = "immediate"
) -> UserRow:
    """A coordinator (a user of the region's RTC) of ``region`` with a unique address."""
    async with sessions.begin() as session:
        rtc = await session.scalar(
            select(OrganisationRow).where(OrganisationRow.rtc_region == region)
        )
        if rtc is None:
            rtc = OrganisationRow(kind="rtc", rtc_region=region, name=f"RTC {region}")
            session.add(rtc)
            await session.flush()
        row = UserRow(
            email=f"{unique('rtc')}@rtc.example",
            name=f"Coördinator {region}",
            password_hash="!",  # cannot sign in; receives mail
            role="coordinator",
            organisation_id=rtc.id,
        )
        session.add(row)
        await session.flush()
        await choose(session, row.id, "coordinator", {"suggestion": digest})
    return row


async def add_admin(sessions: async_sessionmaker[AsyncSession], email: str) -> None:
    """An admin user with ``email`` (kept if one exists): it may decide in every region."""
    async with sessions.begin() as session:
        if await session.scalar(select(UserRow.id).where(UserRow.email == email)):
            return
        admin = OrganisationRow(kind="admin", name="Schakel")
        session.add(admin)
        await session.flush()
        session.add(
            UserRow(email=email, name="Beheerder", password_hash="!", role="admin",
                    organisation_id=admin.id)
        )  # fmt: skip


async def add_webhook(
    sessions: async_sessionmaker[AsyncSession], organisation_id: str, url: str, secret: str
) -> None:
    """Configure an organisation's webhook."""
    async with sessions.begin() as session:
        session.add(
            OrganisationEndpointRow(
                organisation_id=organisation_id, webhook_url=url, webhook_secret=secret
            )
        )
