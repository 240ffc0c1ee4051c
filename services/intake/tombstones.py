"""Loads and saves the waiting withdrawals (tombstones) of the postings a batch touches."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.ordering import Tombstone
from services.intake.tables import TombstoneRow
from shared.contracts import Side


class TombstoneBook:
    """The tombstones one transaction reads, adds and settles; written back by :meth:`write`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._waiting: dict[tuple[Side, str], list[Tombstone]] = {}
        self._stored: set[str] = set()

    async def load(self, postings: Iterable[tuple[Side, str]]) -> None:
        """Cache the tombstones of these ``(side, posting_id)`` pairs."""
        wanted = set(postings)
        if not wanted:
            return
        pair = tuple_(TombstoneRow.side, TombstoneRow.posting_id)
        # Locked, so the expiry round cannot settle one of them at the same time.
        rows = select(TombstoneRow).where(pair.in_(wanted)).with_for_update()
        self._keep(await self._session.scalars(rows))

    async def load_older_than(self, moment: datetime, limit: int) -> None:
        """Cache tombstones kept since before ``moment`` (skipping those a batch is settling)."""
        stale = (
            select(TombstoneRow)
            .where(TombstoneRow.created_at < moment)
            .order_by(TombstoneRow.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        self._keep(await self._session.scalars(stale))

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
        if settled:
            await self._session.execute(
                delete(TombstoneRow).where(TombstoneRow.event_id.in_(settled))
            )
        self._session.add_all(
            TombstoneRow(
                event_id=t.event_id,
                side=t.side,
                posting_id=t.posting_id,
                requested_by=t.requested_by,
                produced_at=t.produced_at,
            )
            for event_id, t in waiting.items()
            if event_id not in self._stored
        )

    def _keep(self, rows: Iterable[TombstoneRow]) -> None:
        for row in rows:
            self.add(_tombstone(row))
            self._stored.add(row.event_id)


def _tombstone(row: TombstoneRow) -> Tombstone:
    side: Side = "need" if row.side == "need" else "offer"
    return Tombstone(row.event_id, side, row.posting_id, row.requested_by, row.produced_at)
