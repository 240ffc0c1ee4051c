"""The catalogue's version (migration 0034) moves when a committed transaction changed an offer,
and only then: what a page of the catalogue is remembered under."""

import contextlib
import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.catalogue import catalogue_version
from services.intake.tables import OfferRow
from tests.intake.catalogue_world import store_offers

Sessions = async_sessionmaker[AsyncSession]


class Abandoned(Exception):  # noqa: N818 - reads as what it does
    """Rolls a test's transaction back."""


async def _version(db: Sessions) -> int:
    async with db() as session:
        return await catalogue_version(session)


async def test_the_version_moves_with_every_committed_change_of_an_offer(db: Sessions) -> None:
    run = f"ver{uuid.uuid4().hex[:8]}"
    first = await _version(db)
    await store_offers(db, run, one={"title": "Lassen"}, two={"title": "Solderen"})
    stored = await _version(db)
    assert stored != first
    async with db.begin() as session:  # reading changes nothing
        await session.scalars(select(OfferRow.offer_id).where(OfferRow.offer_id.like(f"{run}%")))
    assert await _version(db) == stored
    async with db.begin() as session:
        await session.execute(
            update(OfferRow).where(OfferRow.offer_id == f"{run}-one").values(status="withdrawn")
        )
        assert await catalogue_version(session) == stored  # moved at the commit, not before
    withdrawn = await _version(db)
    assert withdrawn != stored
    with contextlib.suppress(Abandoned):
        async with db.begin() as session:
            await session.execute(
                update(OfferRow).where(OfferRow.offer_id == f"{run}-two").values(status="withdrawn")
            )
            raise Abandoned
    assert await _version(db) == withdrawn
