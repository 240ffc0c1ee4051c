"""``GET /api/catalogue``: the public list of open offers, without contact data (SPEC section 7).

Read through intake's catalogue query (``services.intake.catalogue``), which narrows and pages.
"""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from services.api.catalogue_views import CatalogueOffer, open_offers_page
from services.api.deps import SessionDep
from services.api.errors import ERROR_RESPONSES, PRINTABLE
from services.api.pagination import PageDep
from services.api.views import Page
from services.intake.catalogue import CatalogueFilter
from shared import taxonomy
from shared.contracts.common import FieldCode, Kind
from shared.validation import invalid

router = APIRouter(prefix="/api", tags=["catalogue"], responses=ERROR_RESPONSES)
REGIONS = tuple(sorted({place.rtc_region for place in taxonomy.places().values()}))


def _one_of(known: tuple[str, ...], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in known:
            raise invalid(f"unknown_{what}", f"unknown {what} {value!r}; one of {', '.join(known)}")
        return value

    return AfterValidator(check)


Region = Annotated[
    str, _one_of(REGIONS, "region"), Query(json_schema_extra={"enum": list(REGIONS)})
]
Grade = Annotated[
    str,
    _one_of(taxonomy.grades(), "grade"),
    Query(json_schema_extra={"enum": list(taxonomy.grades())}),
]
Text = Annotated[
    str,
    Query(
        min_length=1,
        max_length=100,
        pattern=PRINTABLE,
        description="Words in title, description or keywords.",
    ),
]


@router.get("/catalogue", summary="Open offers (public)")
async def catalogue(
    session: SessionDep,
    page: PageDep,
    region: Region | None = None,
    field: Annotated[FieldCode | None, Query()] = None,
    kind: Annotated[Kind | None, Query()] = None,
    grade: Grade | None = None,
    q: Text | None = None,
) -> Page[CatalogueOffer]:
    """Open offers whose period has not ended, filtered by region, field, grade, kind and text."""
    return await open_offers_page(session, CatalogueFilter(region, field, kind, grade, q), page)
