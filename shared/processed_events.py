"""Idempotent consumers: a processed-event table claimed in the same transaction as the change."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import Enum

from sqlalchemy import DateTime, LargeBinary, String, func, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base

# One statement for a whole batch, each built once: the ids (and digests) travel as arrays.
_CLAIM = text(
    "INSERT INTO processed_events (consumer, event_id, content_digest) "
    "SELECT :consumer, v.event_id, v.digest FROM unnest(CAST(:ids AS text[]), "
    "CAST(:digests AS bytea[])) AS v(event_id, digest) ON CONFLICT DO NOTHING RETURNING event_id"
)
_DIGESTS = text(
    "SELECT event_id, content_digest FROM processed_events "
    "WHERE consumer = :consumer AND event_id = ANY(CAST(:ids AS text[]))"
)


def claimed_after(cte: str) -> str:
    """``claim_events`` as the data-modifying CTE ``claimed`` of a caller's statement
    (``:consumer``, ``:ids``; the claimed ids are its ``event_id`` rows), taken once the CTE
    ``cte`` has returned its row: a consumer that locks first claims in the same round trip,
    still after its lock (so two instances never wait on each other's lock and claim)."""
    return (
        "claimed AS (INSERT INTO processed_events (consumer, event_id) "  # noqa: S608 (a CTE name)
        f"SELECT :consumer, v.event_id FROM {cte}, unnest(CAST(:ids AS text[])) AS v(event_id) "
        "ON CONFLICT DO NOTHING RETURNING event_id)"
    )


class ProcessedEvent(Base):
    """An event a consumer has applied; its presence makes a redelivery a no-op."""

    __tablename__ = "processed_events"

    consumer: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    content_digest: Mapped[bytes | None] = mapped_column(LargeBinary)
    processed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class Claim(Enum):
    """What a consumer should do with one event of a batch."""

    FRESH = "fresh"  # first seen: apply it
    REDELIVERED = "redelivered"  # seen before with the same content (or no digest): skip it
    REUSED = "reused"  # its id was seen with different content: refuse it


async def claim_events(session: AsyncSession, consumer: str, event_ids: Sequence[str]) -> set[str]:
    """Record ``event_ids`` as processed by ``consumer``; return those not seen before.

    Runs in the caller's transaction: if the caller rolls back, the claim goes with it.
    """
    return await _insert(session, consumer, dict.fromkeys(event_ids))


async def claim_contents(
    session: AsyncSession, consumer: str, events: Sequence[tuple[str, bytes]]
) -> list[Claim]:
    """Claim ``(event_id, content digest)`` pairs in order, telling a redelivery (same content)
    from a different event under an id already used; one claim per pair, in the caller's
    transaction."""
    first: dict[str, bytes | None] = {}
    for event_id, digest in events:
        first.setdefault(event_id, digest)
    fresh = await _insert(session, consumer, first)
    known = await _digests(session, consumer, [key for key in first if key not in fresh])
    seen = {**first, **known}
    applied: set[str] = set()
    claims = []
    for event_id, digest in events:
        if event_id in fresh and event_id not in applied:
            applied.add(event_id)
            claims.append(Claim.FRESH)
        elif seen[event_id] in (None, digest):
            claims.append(Claim.REDELIVERED)
        else:
            claims.append(Claim.REUSED)
    return claims


async def _insert(
    session: AsyncSession, consumer: str, digests: Mapping[str, bytes | None]
) -> set[str]:
    if not digests:
        return set()
    rows = await session.execute(
        _CLAIM,
        {"consumer": consumer, "ids": list(digests), "digests": list(digests.values())},
    )
    return set(rows.scalars())


async def _digests(
    session: AsyncSession, consumer: str, event_ids: Sequence[str]
) -> dict[str, bytes | None]:
    if not event_ids:
        return {}
    rows = await session.execute(_DIGESTS, {"consumer": consumer, "ids": list(event_ids)})
    return {row.event_id: row.content_digest for row in rows}
