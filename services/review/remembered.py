"""Figures over the review state that cost a scan, remembered per process until their regions'
queue version (``services.review.changes``) moves.

Every transaction that changes a need, an offer or a suggestion bumps the version of the regions
it touched, in that transaction; a figure computed after its version was read is therefore never
older than that version, and it is computed again as soon as the version moves. A quiet region
costs one version read per request; a busy one one computation per change and process, however
many people ask at once (the others wait for it instead of scanning beside it). The version is
read once per transaction and scope: the figures of one page share that read.

A figure that may lag a few seconds (the dashboard's counts and trends) is asked with
``lagging``: after its version moved, the one computed last is answered at once while it was
started less than ``FRESH_ENOUGH_S`` ago, or while this process computes the next; only then
is the next computed, and its askers wait for it. Where postings flow, the version of every
region moves with each of them: such a figure is so computed at most once in those seconds per
process instead of back to back (each computation a scan of the review state, taking the cores
the other requests need), and what it shows is never more than those seconds and one
computation old.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from services.review import changes
from services.review.actors import Actor
from shared.remembering import Remembered

Figure = TypeVar("Figure")
KEPT = 256  # figures, of every name, region and version (the oldest go)
_known: Remembered[object] = Remembered(KEPT)
_READ = "review_queue_versions_read"  # session.info: scope -> the version read in this transaction
FRESH_ENOUGH_S = 5.0  # a lagging figure started this recently is answered after a change
Scope = tuple[str, str | None]  # a figure's name and region
# Of figures asked ``lagging``: the one computed last, and when its computation started.
_last: dict[Scope, tuple[float, object]] = {}
# Per event loop: the lagging figures being computed now, by scope, and how many computations.
_computing: WeakKeyDictionary[asyncio.AbstractEventLoop, Counter[Scope]] = WeakKeyDictionary()


async def remembered(
    session: AsyncSession,
    name: str,
    rtc_region: str | None,
    compute: Callable[[AsyncSession, str | None], Awaitable[Figure]],
    lagging: bool = False,
) -> Figure:
    """``compute(session, rtc_region)`` (``None``: every region) as of the region's current
    queue version: remembered under ``name`` while that version holds; with ``lagging``, the
    one computed last while it is fresh enough or the next is computed (module docstring).
    The result is shared between callers: read it, do not change it."""
    version = await _version(session, rtc_region)  # before what it versions
    key, scope = (name, rtc_region, version), (name, rtc_region)

    async def now() -> object:
        return await compute(session, rtc_region)

    if not lagging:
        return cast(Figure, await _known.get(key, now))
    computing = _computing.setdefault(asyncio.get_running_loop(), Counter())
    last = None if _known.holds(key) else _last.get(scope)
    if last is not None and (computing[scope] or time.monotonic() - last[0] < FRESH_ENOUGH_S):
        return cast(Figure, last[1])
    computing[scope] += 1
    try:
        started = time.monotonic()
        figure = await _known.get(key, now)
        if started > _last.get(scope, (0.0, None))[0]:
            _last[scope] = (started, figure)
    finally:
        computing[scope] -= 1
    return cast(Figure, figure)


async def _version(session: AsyncSession, rtc_region: str | None) -> str:
    """The queue version of ``rtc_region`` (``None``: every region), read once a transaction."""
    read: dict[str | None, str] = session.info.setdefault(_READ, {})
    if rtc_region not in read:
        viewer = Actor.admin("") if rtc_region is None else Actor.coordinator("", rtc_region)
        read[rtc_region] = await changes.queue_version(session, viewer)
    return read[rtc_region]


async def queue_version(session: AsyncSession, viewer: Actor) -> str:
    """``changes.queue_version`` of ``viewer``, read now, and the version the figures of its
    scope go by for the rest of this transaction (a page that shows its version and remembered
    figures reads it once)."""
    version = await changes.queue_version(session, viewer)
    if viewer.reviews:
        session.info.setdefault(_READ, {})[viewer.region_shown(None)] = version
    return version


def _forget(session: Session, _transaction: SessionTransaction) -> None:
    session.info.pop(_READ, None)


event.listen(Session, "after_transaction_end", _forget)
