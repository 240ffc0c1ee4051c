"""What anyone may see of an open offer in the catalogue, and one page of them: the same for
``GET /api/catalogue`` and the ``/catalogus`` page (read through ``services.intake.catalogue``)."""

from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.pagination import PageRequest
from services.api.views import Page
from services.intake.catalogue import CatalogueFilter, open_offers

# Fields of a registered offer anyone may see as they are.
PUBLIC_FIELDS = (
    "offer_id",
    "title",
    "description",
    "kind",
    "field",
    "grades",
    "period",
    "capacity",
    "venue",
)


class CatalogueProvider(BaseModel):
    """Who offers it (no enterprise number, no contact)."""

    name: str
    type: str


class CatalogueOffer(BaseModel):
    """An open offer as anyone may see it."""

    offer_id: str
    title: str
    description: str
    kind: str
    field: str
    grades: list[str]
    period: dict[str, Any]
    capacity: int
    venue: str
    provider: CatalogueProvider
    locality: str
    rtc_region: str

    @classmethod
    def of(cls, registered: dict[str, Any]) -> "CatalogueOffer":
        """The public part of a registered offer."""
        return cls(
            **{name: registered[name] for name in PUBLIC_FIELDS},
            provider=CatalogueProvider(**registered["provider"]),
            locality=registered["place"]["locality"],
            rtc_region=registered["place"]["rtc_region"],
        )


async def open_offers_page(
    session: AsyncSession, wanted: CatalogueFilter, page: PageRequest
) -> Page[CatalogueOffer]:
    """One page of the open offers ``wanted`` names, as anyone may see them."""
    rows, total = await open_offers(session, wanted, page.offset, page.page_size)
    items = [CatalogueOffer.of(registered) for registered in rows]
    return Page[CatalogueOffer](items=items, page=page.page, page_size=page.page_size, total=total)
