"""The fault suite's own cluster (tests/faults/cluster.py), one per session, and its helpers:
the services running as they should before each test, and waiting until everything settled.

``FAULTS_FULL=1`` gives the full form: one stream per fault, five times the events
(``FAULTS_FULL=1 pytest -m faults``).
"""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata

from shared.db import make_engine, make_sessionmaker
from tests.faults.cluster import APPS, Cluster, cluster_on_free_ports
from tests.faults.ledger import Ledger, Size
from tests.notifier.conftest import add_coordinator
from tests.pipeline import CONSUMERS, pipeline_caught_up

FULL = os.environ.get("FAULTS_FULL") == "1"
# Reduced: a small stream spread over the minutes all faults take in turn; full: five times the
# events, one fault a stream.
SIZE = (
    Size(needs=100, offers=150, changed=30, withdrawn=30, decisions=20, seconds=30)
    if FULL
    else Size(needs=20, offers=30, changed=6, withdrawn=6, decisions=4, seconds=90)
)
SETTLE_SECONDS = 900
WAITING_SQL = """
    SELECT (SELECT count(*) FROM outbox)
         + (SELECT count(*) FROM deliveries WHERE status = 'pending')
"""


@pytest.fixture(scope="session")
def fault_cluster() -> Iterator[Cluster]:
    """Kafka, PostgreSQL and a mail sink of the suite's own, torn down at the end, also on
    failure."""
    with cluster_on_free_ports() as cluster:
        yield cluster


@pytest.fixture(scope="session")
async def coordinated(fault_cluster: Cluster) -> Cluster:
    """The cluster with the coordinator of Limburg, whose schools the streams post for."""
    engine = make_engine(fault_cluster.stack.database_url)
    try:
        await add_coordinator(make_sessionmaker(engine), "Limburg")
    finally:
        await engine.dispose()
    return fault_cluster


@pytest.fixture
async def cluster(coordinated: Cluster) -> AsyncIterator[Cluster]:
    """Intake, matcher and notifier running (once each) and settled, as every test starts; no
    service may have died by the end."""
    for name in [n for n in coordinated.services if n not in APPS]:
        coordinated.stop(name)
    missing = [n for n in APPS if n not in coordinated.services or n in coordinated.dead()]
    await asyncio.gather(*(coordinated.start(name) for name in missing))
    await settled(coordinated)
    yield coordinated
    assert coordinated.dead() == {}, "services died"


@pytest.fixture
def ledger(cluster: Cluster) -> Ledger:
    """A fresh ledger on the cluster."""
    return Ledger(cluster.stack.kafka_bootstrap, _plain_url(cluster.stack.database_url))


def _plain_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def settled(cluster: Cluster) -> None:
    """Wait until every consumer group has committed all on its topics, the outbox is empty
    and no mail is pending, twice in a row (each stage feeds the next); say how far each group
    got and which services died if not."""
    quiet = 0
    try:
        async with asyncio.timeout(SETTLE_SECONDS):
            while quiet < 2:
                await pipeline_caught_up(cluster.stack.kafka_bootstrap, SETTLE_SECONDS)
                waiting = await _scalar(cluster, WAITING_SQL)
                quiet = quiet + 1 if waiting == 0 else 0
                await asyncio.sleep(1)
    except (AssertionError, TimeoutError) as error:
        raise AssertionError(f"not settled: {error}; dead services: {cluster.dead()}") from None


async def _scalar(cluster: Cluster, query: str) -> int:
    connection = await asyncpg.connect(_plain_url(cluster.stack.database_url))
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


async def reset_to_earliest(cluster: Cluster) -> None:
    """Set every consumer group back to the earliest offset of each of its partitions (the
    services must be stopped: the groups empty)."""
    bootstrap = cluster.stack.kafka_bootstrap
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        for group, _ in CONSUMERS:
            partitions: list[TopicPartition] = list(await admin.list_consumer_group_offsets(group))
            consumer = AIOKafkaConsumer(
                bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
            )
            await consumer.start()
            try:
                consumer.assign(partitions)
                earliest = await consumer.beginning_offsets(partitions)
                await consumer.commit(
                    {tp: OffsetAndMetadata(offset, "") for tp, offset in earliest.items()}
                )
            finally:
                with contextlib.suppress(Exception):
                    await consumer.stop()
    finally:
        await admin.close()
