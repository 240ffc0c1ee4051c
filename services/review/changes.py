"""Which regions' review queues a transaction changed, and the version each queue has.

Every session remembers the needs and offers whose suggestions, or whose own fields, it changed:
statements on the review tables through ``do_orm_execute`` (the rows they name), objects as a
flush writes them (mapper events). Just before the commit one statement bumps
``review_queue_versions`` of the regions of those needs (and of the needs suggested those
offers), in the same transaction, so a queue's version changes exactly when what it shows may
have. A statement that names no rows bumps every region, unless it says ``QUEUE_UNCHANGED`` in
its execution options (a column no queue shows). The poll of ``/beoordelen`` compares the
version and answers 204 without building the queue. The same statement draws the own versions
(``shared.own_versions``) of the schools and providers on either side of what changed, whose
own pages show it.
"""

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Delete, Insert, Select, Update, bindparam, event, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, object_session
from sqlalchemy.types import String

from services.review.actors import Actor
from services.review.tables import ReviewMatch, ReviewNeed, ReviewOffer, ReviewQueueVersion
from shared import own_versions
from shared.accounts import Role

# Execution option of a statement that changes nothing a queue shows (``announced``).
QUEUE_UNCHANGED = "review_queue_unchanged"
_KEY = "review_queue_touched"
# The column that names the rows a statement on each review table changes.
_KEYS: dict[Any, str] = {
    ReviewMatch.__table__: "need_id",
    ReviewNeed.__table__: "need_id",
    ReviewOffer.__table__: "offer_id",
}
# The schools and providers whose own pages show what changed (``shared.own_versions``): those
# of the needs and offers changed and of the postings on the other side of their matches; the
# owners' versions are drawn after the regions' (a statement's unread CTE runs last), one order
# for every transaction.
_BUMP = text(f"""
    WITH touched AS (
        SELECT rtc_region FROM review_needs WHERE :everywhere OR need_id = ANY(:needs)
        UNION
        SELECT n.rtc_region FROM review_matches m JOIN review_needs n ON n.need_id = m.need_id
        WHERE m.offer_id = ANY(:offers)
    ), owners AS (
        SELECT 'need' AS side, institution_number AS owner_number FROM review_needs
        WHERE need_id = ANY(:needs)
        UNION
        SELECT 'offer', o.enterprise_number FROM review_matches m
        JOIN review_offers o ON o.offer_id = m.offer_id WHERE m.need_id = ANY(:needs)
        UNION
        SELECT 'offer', enterprise_number FROM review_offers WHERE offer_id = ANY(:offers)
        UNION
        SELECT 'need', n.institution_number FROM review_matches m
        JOIN review_needs n ON n.need_id = m.need_id WHERE m.offer_id = ANY(:offers)
        UNION
        SELECT '', '' WHERE :everywhere
    ), drawn AS (
        INSERT INTO own_versions (side, owner_number, version)
        SELECT side, owner_number, {own_versions.DRAWN} FROM owners ORDER BY 1, 2
        ON CONFLICT (side, owner_number) DO UPDATE SET version = EXCLUDED.version
    )
    INSERT INTO review_queue_versions (rtc_region, version)
    SELECT rtc_region, 1 FROM touched ORDER BY rtc_region
    ON CONFLICT (rtc_region) DO UPDATE SET version = review_queue_versions.version + 1
""").bindparams(  # noqa: S608 - constants
    bindparam("needs", type_=ARRAY(String)), bindparam("offers", type_=ARRAY(String))
)


@dataclass(slots=True)
class Touched:
    """What one transaction changed so far."""

    need_ids: set[str] = field(default_factory=set)
    offer_ids: set[str] = field(default_factory=set)
    everywhere: bool = False

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.need_ids or self.offer_ids)


def touched(session: Session) -> Touched:
    """The changes ``session`` has recorded in its transaction."""
    found = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = Touched()
    return found


def _rows(parameters: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(parameters, Mapping):
        return [parameters]
    return parameters if isinstance(parameters, list) else []


def _statement_touched(state: ORMExecuteState) -> None:
    """Record what an INSERT, UPDATE or DELETE on a review table changes."""
    statement = state.statement
    if not isinstance(statement, Insert | Update | Delete) or state.execution_options.get(
        QUEUE_UNCHANGED
    ):
        return
    key = _KEYS.get(statement.table)
    if key is None:
        return
    ids = {row[key] for row in _rows(state.parameters) if key in row}
    found = touched(state.session)
    if not ids:
        found.everywhere = True
    elif key == "offer_id":
        found.offer_ids |= ids
    else:
        found.need_ids |= ids


def _object_written(_mapper: Mapper[Any], _connection: Connection, row: object) -> None:
    """Record a review row a flush writes (per row of these classes only: scanning the session
    at every flush would cost as much as the objects it holds)."""
    session = object_session(row)
    if session is None:
        return
    if isinstance(row, ReviewMatch | ReviewNeed):
        touched(session).need_ids.add(row.need_id)
    elif isinstance(row, ReviewOffer):
        touched(session).offer_ids.add(row.offer_id)


def _bump(session: Session) -> None:
    """Bump the versions of the regions the transaction changed, just before it commits."""
    session.flush()  # the commit's own flush comes after this event: record those objects too
    found = session.info.pop(_KEY, None)
    if not found:
        return
    session.execute(
        _BUMP,
        {
            "everywhere": found.everywhere,
            "needs": sorted(found.need_ids),
            "offers": sorted(found.offer_ids),
        },
    )


def _forget(session: Session, *_: object) -> None:
    session.info.pop(_KEY, None)


event.listen(Session, "do_orm_execute", _statement_touched)
for _table in (ReviewMatch, ReviewNeed, ReviewOffer):
    for _written in ("after_insert", "after_update", "after_delete"):
        event.listen(_table, _written, _object_written)
event.listen(Session, "before_commit", _bump)
event.listen(Session, "after_rollback", _forget)


@functools.lru_cache(maxsize=256)
def _versions_seen_by(role: Role, rtc_region: str | None) -> Select[tuple[str, int]]:
    """The statement reading the queue versions an actor of ``role`` (of ``rtc_region``)
    reviews: built once per region, as every page and poll of a reviewer reads it."""
    return (
        select(ReviewQueueVersion.rtc_region, ReviewQueueVersion.version)
        .where(Actor(role, rtc_region=rtc_region).region_filter(ReviewQueueVersion.rtc_region))
        .order_by(ReviewQueueVersion.rtc_region)
    )


async def queue_version(session: AsyncSession, viewer: Actor) -> str:
    """The version of the queues ``viewer`` reviews: changes whenever one of them does."""
    connection = await session.connection()  # Core: a plain read, no ORM events
    rows = await connection.execute(_versions_seen_by(viewer.role, viewer.rtc_region))
    seen = "|".join(f"{region}={version}" for region, version in rows.tuples())
    return hashlib.sha256(seen.encode()).hexdigest()[:16]
