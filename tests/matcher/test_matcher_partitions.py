"""Matcher instances of one consumer group on the real broker share the work by kind group:
the partitions each holds are the same on every topic it consumes, so every event of a kind
group (``topics.kind_partition``) reaches one instance, and each group has one. Four instances,
as a round-robin assignment would deal the partitions of three topics out unevenly to them."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack

import pytest

from services.matcher.app import build_runtime
from services.matcher.handlers import INBOUND
from services.matcher.settings import MatcherSettings
from shared.health import consumers
from shared.runtime import ServiceRuntime
from shared.settings import Settings
from shared.taxonomy import kinds
from shared.topics import NEEDS_REGISTERED, TOPICS, kind_partition
from tests.stack import Stack

INSTANCES = 4
PARTITIONS = {spec.name: spec.partitions for spec in TOPICS if spec.name in INBOUND}


@pytest.fixture
async def instances(stack: Stack) -> AsyncIterator[list[ServiceRuntime]]:
    async with AsyncExitStack() as running:
        runtimes = [build_runtime(Settings(), MatcherSettings()) for _ in range(INSTANCES)]
        yield [await running.enter_async_context(one.running()) for one in runtimes]


def _held(runtime: ServiceRuntime) -> dict[str, set[int]]:
    """Per consumed topic, the partitions the instance holds."""
    held: dict[str, set[int]] = {topic: set() for topic in PARTITIONS}
    for consumer in consumers(runtime.broker):
        for assigned in consumer.assignment():
            held[assigned.topic].add(assigned.partition)
    return held


async def _shared_out(instances: list[ServiceRuntime]) -> list[dict[str, set[int]]]:
    """What each instance holds once the group has dealt every partition out between them
    (a member of an earlier test that left without saying so first has to time out)."""
    async with asyncio.timeout(90):
        while True:
            held = [_held(instance) for instance in instances]
            if all(
                sum(len(one[topic]) for one in held) == count and all(one[topic] for one in held)
                for topic, count in PARTITIONS.items()
            ):
                return held
            await asyncio.sleep(0.2)


async def test_instances_each_hold_whole_kind_groups(instances: list[ServiceRuntime]) -> None:
    held = await _shared_out(instances)

    for one in held:  # the same partitions of every topic: reviews travel with their postings
        assert len({frozenset(partitions) for partitions in one.values()}) == 1
    owners = {
        kind: [n for n, one in enumerate(held) if kind_partition(kind) in one[NEEDS_REGISTERED]]
        for kind in kinds()
    }
    assert all(len(owner) == 1 for owner in owners.values()), owners
    assert len({owner[0] for owner in owners.values()}) > 1  # the groups are spread out
