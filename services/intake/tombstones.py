"""The waiting withdrawals (tombstones) of the postings a transaction touches: kept as read
(``PostingBook`` reads a batch's with its postings), added and settled, written back at the end
(Core statements, each built once)."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.ordering import Tombstone
from shared.contracts import Side

# Tombstones kept since before a moment, oldest first, skipping those a batch is settling.
_STALE = text(
    "SELECT event_id, side, posting_id, requested_by, produced_at FROM posting_tombstones "
    "WHERE created_at < :moment ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_SETTLE = text("DELETE FROM posting_tombstones WHERE event_id = ANY(CAST(:event_ids AS text[]))")
_ADD = text(
    "INSERT INTO posting_tombstones (event_id, side, posting_id, requested_by, produced_at) "
    "SELECT * FROM unnest(CAST(:event_ids AS text[]), CAST(:sides AS text[]), "
    "CAST(:posting_ids AS text[]), CAST(:requested_by AS text[]), "
    "CAST(:produced_at AS timestamptz[]))"
)


class TombstoneBook:
    """The tombstones one transaction reads, adds and settles; written back by :meth:`write`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._waiting: dict[tuple[Side, str], list[Tombstone]] = {}
        self._stored: set[str] = set()

    def keep(self, tombstone: Tombstone) -> None:
        """Cache a stored tombstone."""
        self.add(tombstone)
        self._stored.add(tombstone.event_id)

    async def load_older_than(self, moment: datetime, limit: int) -> None:
        """Cache tombstones kept since before ``moment`` (skipping those a batch is settling)."""
        connection = await self._session.connection()
        for row in await connection.execute(_STALE, {"moment": moment, "limit": limit}):
            self.keep(Tombstone(*row))

    def take_all(self) -> list[Tombstone]:
        """Every cached tombstone, removed."""
        taken = [t for waiting in self._waiting.values() for t in waiting]
        self._waiting.clear()
        return taken

    def add(self, tombstone: Tombstone) -> None:
        """Keep a withdrawal of a posting not known yet."""
        self._waiting.setdefault((tombstone.side, tombstone.posting_id), []).append(tombstone)

    def take(self, side: Side, posting_id: str) -> list[Tombstone]:
        """The tombstones of a posting, removed: its submission settles them."""
        return self._waiting.pop((side, posting_id), [])

    async def write(self) -> None:
        """Delete the settled tombstones and insert the new ones."""
        waiting = {t.event_id: t for ts in self._waiting.values() for t in ts}
        settled = self._stored.difference(waiting)
        added = [t for event_id, t in waiting.items() if event_id not in self._stored]
        if not settled and not added:
            return
        connection = await self._session.connection()
        if settled:
            await connection.execute(_SETTLE, {"event_ids": list(settled)})
        if added:
            await connection.execute(_ADD, _arrays(added))


def _arrays(tombstones: Sequence[Tombstone]) -> dict[str, list[object]]:
    return {
        "event_ids": [t.event_id for t in tombstones],
        "sides": [t.side for t in tombstones],
        "posting_ids": [t.posting_id for t in tombstones],
        "requested_by": [t.requested_by for t in tombstones],
        "produced_at": [t.produced_at for t in tombstones],
    }
