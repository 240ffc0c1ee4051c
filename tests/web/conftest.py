"""Browser fixtures: the API served over real HTTP by uvicorn, intake, matcher and notifier
running in-process on the real Kafka and PostgreSQL, and headless Chromium (Debian's) driven by
Playwright through ``executable_path``."""

import asyncio
import contextlib
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.app import create_app
from services.api.settings import ApiSettings
from shared.db import make_engine, make_sessionmaker
from tests.api.builders import Accounts
from tests.mail_sink import SmtpServer
from tests.pipeline import pipeline_caught_up, running_pipeline
from tests.stack import Stack

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".stack" / "screenshots"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="package")
async def pipeline(stack: Stack, smtp: SmtpServer) -> AsyncIterator[None]:
    """Intake, matcher and notifier, as ``make up`` starts them, caught up with what earlier
    tests streamed (a page then waits for its own postings only). The notifier mails to the
    session's mail sink (``smtp``), where a test reads the links it sends."""
    async with running_pipeline(smtp.port):
        await pipeline_caught_up()
        yield


@pytest.fixture(scope="package")
async def base_url(stack: Stack, pipeline: None) -> AsyncIterator[str]:
    """The API and pages served by uvicorn on a free 127.0.0.1 port."""
    app = create_app(ApiSettings())
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    async with asyncio.timeout(30):
        while not server.started:
            if serving.done():
                serving.result()
            await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await serving


@pytest.fixture(scope="package")
async def db(stack: Stack) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions for arranging accounts."""
    engine = make_engine(stack.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture(scope="package")
def accounts(db: async_sessionmaker[AsyncSession]) -> Accounts:
    """Creates users of every role."""
    return Accounts(db)


@pytest.fixture(scope="package")
async def browser() -> AsyncIterator[Browser]:
    """Headless Chromium from Debian (Playwright cannot download its own here)."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        yield chromium
        await chromium.close()


@contextlib.asynccontextmanager
async def open_context(browser: Browser, base_url: str) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile (no cookies) on the app, laptop-sized, in Dutch."""
    profile = await browser.new_context(
        base_url=base_url, locale="nl-BE", viewport={"width": 1280, "height": 900}
    )
    profile.set_default_timeout(20_000)
    try:
        yield profile
    finally:
        await profile.close()


@pytest.fixture
async def context(browser: Browser, base_url: str) -> AsyncIterator[BrowserContext]:
    """One fresh browser profile for a test."""
    async with open_context(browser, base_url) as profile:
        yield profile


async def new_page(context: BrowserContext) -> Page:
    """A page that fails the test on a JavaScript error or a CSP violation."""
    page = await context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(f"{message.text} at {message.location}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.problems = problems  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    return page
