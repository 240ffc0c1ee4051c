"""Figures over the review state that cost a scan, remembered per process until their regions'
queue version (``services.review.changes``) moves.

Every transaction that changes a need, an offer or a suggestion bumps the version of the regions
it touched, in that transaction; a figure computed after its version was read is therefore never
older than that version, and it is computed again as soon as the version moves. A quiet region
costs one version read per request; a busy one one computation per change and process, however
many people ask at once (the others wait for it instead of scanning beside it).
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.changes import queue_version

Figure = TypeVar("Figure")
Key = tuple[str, str | None]
_known: dict[Key, tuple[str, Any]] = {}
_computing: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Key, asyncio.Lock]]
_computing = WeakKeyDictionary()


async def remembered(
    session: AsyncSession,
    name: str,
    rtc_region: str | None,
    compute: Callable[[AsyncSession, str | None], Awaitable[Figure]],
) -> Figure:
    """``compute(session, rtc_region)`` (``None``: every region) as of the region's current
    queue version: remembered under ``name`` while that version holds. The result is shared
    between callers: read it, do not change it."""
    viewer = Actor.admin("") if rtc_region is None else Actor.coordinator("", rtc_region)
    version = await queue_version(session, viewer)  # before what it versions
    key = (name, rtc_region)
    locks = _computing.setdefault(asyncio.get_running_loop(), {})
    async with locks.setdefault(key, asyncio.Lock()):
        known = _known.get(key)
        if known is not None and known[0] == version:
            result: Figure = known[1]
            return result
        figure = await compute(session, rtc_region)
        _known[key] = (version, figure)
        return figure
