"""Issue #13: the pipeline keeps its promises while things break under a flowing stream.

Each test sends a stream of needs, offers, changes, withdrawals and decisions (the ledger,
tests/faults/ledger.py) through intake, matcher and notifier running as OS processes on a cluster
of the suite's own, breaks something a third of the way in, waits until everything settled and
checks: nothing lost, nothing applied twice, no mail twice, every service alive.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

import asyncpg
import pytest

from tests.faults.cluster import Cluster
from tests.faults.conftest import SIZE, reset_to_earliest, settled
from tests.faults.ledger import Ledger, Report

pytestmark = pytest.mark.faults
# Rows that change as they are sent or read, not as events are applied.
NOT_COMPARED = ("outbox", "alembic_version")
Fault = Callable[[Cluster], Awaitable[None]]


async def _run(
    cluster: Cluster,
    ledger: Ledger,
    fault: Callable[[], Awaitable[None]],
    with_poison: bool = False,
) -> Report:
    """Send a stream with ``fault`` a third of the way in; the ledger against the result."""
    await ledger.send(ledger.stream(SIZE, with_poison), fault, SIZE.decisions)
    await settled(cluster)
    report = await ledger.check((cluster.logs / "mail.log").read_text(errors="replace"))
    print(f"run {ledger.run}: {report}")
    return report


async def _nothing() -> None:
    """No fault: the stream alone."""


def _restart(service: str) -> Fault:
    async def kill_and_restart(cluster: Cluster) -> None:
        cluster.kill(service)
        await asyncio.sleep(2)
        await cluster.start(service)

    return kill_and_restart


async def _kill_broker(cluster: Cluster) -> None:
    await asyncio.to_thread(cluster.kill_kafka)
    await asyncio.sleep(5)
    await asyncio.to_thread(cluster.start_kafka)


async def _stop_postgres(cluster: Cluster) -> None:
    await asyncio.to_thread(cluster.stop_postgres)
    await asyncio.sleep(20)
    await asyncio.to_thread(cluster.start_postgres)


FAULTS = {
    "intake SIGKILLed and restarted": _restart("intake"),
    "matcher SIGKILLed and restarted": _restart("matcher"),
    "notifier SIGKILLed and restarted": _restart("notifier"),
    "broker SIGKILLed and restarted": _kill_broker,
    "postgresql stopped 20 s": _stop_postgres,
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS)
async def test_a_fault_mid_stream_loses_and_repeats_nothing(
    cluster: Cluster, ledger: Ledger, fault: Fault
) -> None:
    report = await _run(cluster, ledger, lambda: fault(cluster))
    assert report.problems == {}, str(report)


async def test_poison_mixed_in_ends_on_dlq_or_rejected(cluster: Cluster, ledger: Ledger) -> None:
    report = await _run(cluster, ledger, _nothing, with_poison=True)
    assert report.counts["poison landed"] == report.counts["poison"] > 0
    assert report.problems == {}, str(report)


async def test_one_of_two_matchers_in_a_group_killed(cluster: Cluster, ledger: Ledger) -> None:
    await cluster.start("matcher-2")

    async def kill_one() -> None:
        cluster.kill("matcher-2")
        cluster.services.pop("matcher-2")

    report = await _run(cluster, ledger, kill_one)
    assert report.problems == {}, str(report)


async def test_replaying_the_whole_history_changes_nothing(
    cluster: Cluster, ledger: Ledger
) -> None:
    await _run(cluster, ledger, _nothing, with_poison=True)
    before = await _snapshot(ledger.database)
    mails = (cluster.logs / "mail.log").read_text(errors="replace").count("MESSAGE FOLLOWS")
    services = list(cluster.services)
    for name in services:
        cluster.stop(name)
    await reset_to_earliest(cluster)
    await asyncio.gather(*(cluster.start(name) for name in services))
    await settled(cluster)
    after = await _snapshot(ledger.database)
    changed = {
        table: (len(before[table]), len(after.get(table, [])))
        for table in before
        if before[table] != after.get(table)
    }
    assert changed == {}, f"tables changed by the replay (rows before, after): {changed}"
    again = (cluster.logs / "mail.log").read_text(errors="replace").count("MESSAGE FOLLOWS")
    assert again == mails, f"{again - mails} mails sent again by the replay"


async def _snapshot(database: str) -> dict[str, list[str]]:
    """Every table's rows, without their timestamps, in a stable order."""
    connection = await asyncpg.connect(database)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
        snapshot = {}
        for (table,) in tables:
            if table in NOT_COMPARED:
                continue
            rows = await connection.fetch(f'SELECT * FROM "{table}"')  # noqa: S608 (catalogue names)
            snapshot[table] = sorted(
                repr([v for v in row.values() if not isinstance(v, datetime)]) for row in rows
            )
        return snapshot
    finally:
        await connection.close()
