"""Answers remembered per process under a key that names everything they depend on (a version
the caller read before computing, the filters, the page): the newest ``kept`` of them. People
asking for an answer being computed wait for it instead of computing it beside it. The review's
figures (``services.review.remembered``), the rendered cards of the review queue
(``services.api.pages.queue_fragments``) and the pages of the catalogue
(``services.api.catalogue_views``) are remembered this way."""

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

Key = tuple[Hashable, ...]
Answer = TypeVar("Answer")


class Remembered(Generic[Answer]):
    """The newest ``kept`` answers, by key."""

    def __init__(self, kept: int) -> None:
        self._kept = kept
        self._known: OrderedDict[Key, Answer] = OrderedDict()
        self._computing: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Key, asyncio.Event]]
        self._computing = WeakKeyDictionary()

    async def get(
        self,
        key: Key,
        compute: Callable[[], Awaitable[Answer]],
        keep: Callable[[Answer], bool] = lambda _: True,
    ) -> Answer:
        """The answer ``key`` names: remembered, or ``compute()``d once while others wait (and
        remembered only if ``keep`` says so: those waiting then compute their own)."""
        computing = self._computing.setdefault(asyncio.get_running_loop(), {})
        while key not in self._known:
            busy = computing.get(key)
            if busy is not None:  # someone computes it: wait, then look again (it may have failed)
                await busy.wait()
                continue
            computing[key] = done = asyncio.Event()
            try:
                answer = await compute()
            finally:
                del computing[key]
                done.set()
            return self._keep(key, answer) if keep(answer) else answer
        self._known.move_to_end(key)
        return self._known[key]

    def holds(self, key: Key) -> bool:
        """Whether the answer ``key`` names is remembered."""
        return key in self._known

    def at_once(self, key: Key, compute: Callable[[], Answer]) -> Answer:
        """The answer ``key`` names: remembered, or ``compute()``d now (nothing to wait for)."""
        if key in self._known:
            self._known.move_to_end(key)
            return self._known[key]
        return self._keep(key, compute())

    def _keep(self, key: Key, answer: Answer) -> Answer:
        self._known[key] = answer
        while len(self._known) > self._kept:
            self._known.popitem(last=False)
        return answer
