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
from tests.faults.conftest import FULL, SIZE, reset_to_earliest, settled
from tests.faults.ledger import Ledger, Report

pytestmark = [pytest.mark.faults, pytest.mark.stack]  # a cluster of its own
# Rows that change as they are sent or read, not as events are applied.
NOT_COMPARED = ("outbox", "alembic_version")
Fault = Callable[[Cluster], Awaitable[None]]


async def _run(
    cluster: Cluster,
    ledger: Ledger,
    fault: Callable[[], Awaitable[None]],
) -> Report:
    """Send a stream (poison mixed in) with ``fault`` a third of the way in; the ledger
    against the result."""
    await ledger.send(ledger.stream(SIZE), fault, SIZE)
    await settled(cluster)
    report = await ledger.check((cluster.logs / "mail.log").read_text(errors="replace"))
    print(f"run {ledger.run}: {report}")
    return report


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


async def _second_matcher_killed(cluster: Cluster) -> None:
    """A second matcher joins the group, takes partitions, and is SIGKILLed."""
    await cluster.start("matcher-2")
    await asyncio.sleep(5)
    cluster.kill("matcher-2")
    cluster.services.pop("matcher-2")


async def _nothing(cluster: Cluster) -> None:
    """No fault but the poison every stream carries."""


FAULTS: dict[str, Fault] = {
    "intake SIGKILLed and restarted": _restart("intake"),
    "matcher SIGKILLed and restarted": _restart("matcher"),
    "notifier SIGKILLed and restarted": _restart("notifier"),
    "broker SIGKILLed and restarted": _kill_broker,
    "postgresql stopped 20 s": _stop_postgres,
    "one of two matchers SIGKILLed": _second_matcher_killed,
    "poison only": _nothing,
}


async def _each_in_turn(cluster: Cluster) -> None:
    for fault in FAULTS.values():
        await fault(cluster)


# The full form breaks one thing per stream; the reduced one (plain pytest) all in one stream.
CASES = FAULTS if FULL else {"every fault in turn": _each_in_turn}


@pytest.mark.parametrize("fault", CASES.values(), ids=CASES)
async def test_a_fault_mid_stream_loses_and_repeats_nothing(
    cluster: Cluster, ledger: Ledger, fault: Fault
) -> None:
    report = await _run(cluster, ledger, lambda: fault(cluster))
    assert report.counts["poison landed"] == report.counts["poison"] > 0, str(report)
    assert report.problems == {}, str(report)


async def test_replaying_the_whole_history_changes_nothing(
    cluster: Cluster, ledger: Ledger
) -> None:
    await _run(cluster, ledger, lambda: _nothing(cluster))
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
