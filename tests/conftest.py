"""Session-wide test stack: a real Kafka broker and PostgreSQL (see tests/stack.py), started by
the first test that asks for it.

A test or fixture that talks to Kafka or PostgreSQL depends on ``stack`` (directly or through
another fixture); every such test is marked ``stack``, so ``pytest -m "not stack"`` (``make
test-fast``) runs the pure tests alone, without starting either. Service-specific fixtures
belong in tests/<service>/conftest.py; the mail sink (``smtp``) is here because the notifier's
and the API's tests both read what was mailed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

_REPO = str(Path(__file__).resolve().parents[1])
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

from tests.mail_sink import SmtpServer  # noqa: E402
from tests.stack import KAFKA_BOOTSTRAP, Stack, database_url, export_env, release, start_stack  # noqa: E402

# App modules may read settings at import time: point them at the test stack before collection.
export_env()


def pytest_report_header(config: pytest.Config) -> str:
    """Say which broker and database the tests talk to."""
    return f"schakel test stack: kafka {KAFKA_BOOTSTRAP}, database {database_url()}"


def _say(config: pytest.Config, line: str) -> None:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None:
        return
    if capture is None:
        reporter.write_line(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that needs the stack, so the pure ones can be selected without it."""
    for item in items:
        if "stack" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.stack)


@pytest.fixture(scope="session")
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    """Start the test Kafka + PostgreSQL once per session; stop them at the end, also on failure."""
    started = time.monotonic()
    try:
        running = start_stack()
        _say(
            request.config,
            f"test stack up in {time.monotonic() - started:.1f}s: "
            f"kafka {running.kafka_bootstrap}, database {running.database_url}",
        )
        yield running
    finally:
        release()


@pytest.fixture(scope="session")
async def smtp() -> AsyncIterator[SmtpServer]:
    """A real SMTP server keeping every mail (``smtp.sink``); tests may stop and restart it."""
    server = SmtpServer()
    await server.start()
    yield server
    await server.stop()
