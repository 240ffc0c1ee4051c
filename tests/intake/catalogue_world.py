"""Open offers stored straight in intake's table for the catalogue's tests, each with its own
title, description and keywords."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.intake.tables import OfferRow
from tests.builders import in_days
from tests.notifier import events


async def store_offers(
    db: async_sessionmaker[AsyncSession], run: str, **texts: dict[str, Any]
) -> None:
    """One open offer per name of ``texts`` (its title, description, keywords), each with the
    word ``run`` among its keywords so a search can keep to this test's offers."""
    rows = []
    for name, text in texts.items():
        offer = events.offer().model_copy(
            update={
                "offer_id": f"{run}-{name}",
                "title": text.get("title", "Aanbod"),
                "description": text.get("description", ""),
                "keywords": [run, *text.get("keywords", [])],
            }
        )
        rows.append(
            OfferRow(
                offer_id=offer.offer_id, enterprise_number=offer.provider.enterprise_number,
                version=1, status="open", kind=offer.kind, field=offer.field,
                rtc_region=offer.place.rtc_region, period_start=in_days(10 + len(rows)),
                period_end=in_days(200), registered=offer.model_dump(mode="json"),
            )
        )  # fmt: skip
    async with db.begin() as session:
        session.add_all(rows)
