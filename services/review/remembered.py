"""Figures over the review state that cost a scan, remembered per process until their regions'
queue version (``services.review.changes``) moves.

Every transaction that changes a need, an offer or a suggestion bumps the version of the regions
it touched, in that transaction; a figure computed after its version was read is therefore never
older than that version, and it is computed again as soon as the version moves. A quiet region
costs one version read per request; a busy one one computation per change and process, however
many people ask at once (the others wait for it instead of scanning beside it). The version is
read once per transaction and scope: the figures of one page share that read.

A figure that may lag a little (the dashboard's counts, trends and rotations) is asked with
``lagging``: when its version moved and the one computed last was started less than
``FRESH_ENOUGH_S`` ago, that one is answered at once and the new one is computed in the
background (one computation per scope and process at a time); an older one is not answered, the
asker waits for the new one. Where postings flow, the version of every region moves with each of
them: no request waits for the whole scan again, and what it shows is never more than
``FRESH_ENOUGH_S`` and one computation old; on a quiet system someone who changed something sees
it on the page at once, unless the figure was computed within those seconds.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from services.review import changes
from services.review.actors import Actor
from shared.remembering import Remembered

log = logging.getLogger(__name__)
Figure = TypeVar("Figure")
KEPT = 256  # figures, of every name, region and version (the oldest go)
FRESH_ENOUGH_S = 10.0  # a lagging figure started this recently is answered while the next computes
_known: Remembered[object] = Remembered(KEPT)
_READ = "review_queue_versions_read"  # session.info: scope -> the version read in this transaction
Scope = tuple[str, str | None]  # a figure's name and region
# Of figures asked ``lagging``: the one computed last, with when its computation started.
_last: dict[Scope, tuple[float, object]] = {}
# Per event loop: the lagging figures being computed in the background now.
_refreshing: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Scope, asyncio.Task[None]]] = (
    WeakKeyDictionary()
)


async def remembered(
    session: AsyncSession,
    name: str,
    rtc_region: str | None,
    compute: Callable[[AsyncSession, str | None], Awaitable[Figure]],
    lagging: bool = False,
) -> Figure:
    """``compute(session, rtc_region)`` (``None``: every region) as of the region's current
    queue version: remembered under ``name`` while that version holds; with ``lagging``, the
    one computed last while it is fresh enough (module docstring). The result is shared
    between callers: read it, do not change it."""
    version = await _version(session, rtc_region)  # before what it versions
    key, scope = (name, rtc_region, version), (name, rtc_region)

    async def now(on: AsyncSession) -> object:
        started = time.monotonic()
        figure = await compute(on, rtc_region)
        if lagging and started > _last.get(scope, (0.0, None))[0]:
            _last[scope] = (started, figure)
        return figure

    last = _last.get(scope) if lagging and not _known.holds(key) else None
    if last is not None and time.monotonic() - last[0] < FRESH_ENOUGH_S:
        _refresh(scope, session, lambda own: _known.get(key, lambda: now(own)))
        return cast(Figure, last[1])
    return cast(Figure, await _known.get(key, lambda: now(session)))


def _refresh(
    scope: Scope, session: AsyncSession, compute: Callable[[AsyncSession], Awaitable[object]]
) -> None:
    """``compute`` in a session of its own in the background, unless ``scope`` is computed in
    the background already."""
    refreshing = _refreshing.setdefault(asyncio.get_running_loop(), {})
    if scope in refreshing:
        return

    async def background() -> None:
        try:
            async with AsyncSession(session.bind, expire_on_commit=False) as own:
                await compute(own)
        except Exception:  # the next request computes it, or tries again
            log.exception("computing %s in the background failed", scope)
        finally:
            del refreshing[scope]

    refreshing[scope] = asyncio.create_task(background())


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
