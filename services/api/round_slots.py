"""How many allocation rounds the API process computes at once.

A big region's round takes a CPU core for seconds and a database connection while it reads its
candidates. Beyond ``API_ROUNDS_AT_ONCE`` rounds in progress, a proposal is not queued behind
them (its caller would wait for minutes and hold the request meanwhile) but refused at once
(``services.api.round_proposals`` answers 503 with Retry-After).
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class RoundsBusy(Exception):  # noqa: N818 - an answer, not a failure
    """Every slot for computing a round is taken."""


class RoundSlots:
    """At most ``at_once`` rounds in progress; one more is refused, not queued."""

    def __init__(self, at_once: int) -> None:
        self._free = asyncio.Semaphore(at_once)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a slot while computing one round; raise ``RoundsBusy`` when none is free."""
        if self._free.locked():
            raise RoundsBusy
        async with self._free:
            yield
