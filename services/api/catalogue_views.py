"""What anyone may see of an open offer in the catalogue, and one page of them: the same for
``GET /api/catalogue`` and the ``/catalogus`` page (read through ``services.intake.catalogue``).

A page is remembered per API process (``shared.remembering``) under the catalogue's version, read
before it, and the day (offers whose period ended leave the catalogue at midnight): many
visitors asking for the same search share one ranking until an offer changes.
"""

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.views import Page
from services.intake.catalogue import (
    CatalogueFilter,
    Cursor,
    PageAt,
    catalogue_version,
    open_offers,
)
from shared.remembering import Remembered

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
KEPT = 256  # pages (about 10 kB each)


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


class CataloguePage(Page[CatalogueOffer]):
    """One page of the catalogue and the cursors of the pages beside it."""

    next: str | None = Field(
        None, description="Pass as ``after`` for the next page; absent on the last page."
    )
    previous: str | None = Field(
        None, description="Pass as ``before`` for the page before; absent on the first page."
    )


_pages: Remembered[CataloguePage] = Remembered(KEPT)
_shown: Remembered[str] = Remembered(KEPT)  # pages as the catalogue page shows them


def cursor(token: str | None, wanted: CatalogueFilter) -> Cursor | None:
    """The cursor of ``token`` for a listing of ``wanted``; ``None`` when there is none or it
    is not one of such a listing."""
    return None if token is None else Cursor.parse(token, searching=wanted.text is not None)


async def open_offers_page(
    session: AsyncSession, wanted: CatalogueFilter, at: PageAt, page: int, exact_up_to: int
) -> CataloguePage:
    """One page of the open offers ``wanted`` names, as anyone may see them; ``page`` is the
    number it shows; remembered until an offer changes. Read it, do not change it."""
    key = await _page_key(session, wanted, at, page, exact_up_to)
    return await _pages.get(key, lambda: _page_now(session, wanted, at, page, exact_up_to))


async def shown_page(
    session: AsyncSession,
    wanted: CatalogueFilter,
    at: PageAt,
    page: int,
    exact_up_to: int,
    show: Callable[[CataloguePage], str],
    shown_as: Hashable,
) -> str:
    """``show`` of the page ``open_offers_page`` answers (the page's HTML, which holds nothing
    personal), remembered with that page under ``shown_as`` (all else ``show`` depends on)."""
    key = await _page_key(session, wanted, at, page, exact_up_to)
    found = await _pages.get(key, lambda: _page_now(session, wanted, at, page, exact_up_to))
    return _shown.at_once((*key, shown_as), lambda: show(found))


async def _page_key(
    session: AsyncSession, wanted: CatalogueFilter, at: PageAt, page: int, exact_up_to: int
) -> tuple[Hashable, ...]:
    version = await catalogue_version(session)  # before the page it versions
    return (version, date.today(), wanted, at, page, exact_up_to)


async def _page_now(
    session: AsyncSession, wanted: CatalogueFilter, at: PageAt, page: int, exact_up_to: int
) -> CataloguePage:
    found = await open_offers(session, wanted, at, exact_up_to)
    return CataloguePage(
        items=[CatalogueOffer.of(registered) for registered in found.offers],
        total=found.total.value,
        total_exact=found.total.exact,
        page=page,
        page_size=at.size,
        next=found.next.token() if found.next else None,
        previous=found.previous.token() if found.previous else None,
    )
