"""``GET /api/catalogue``: the public list of open offers, without contact data (SPEC section 7).

Read from intake's offers table (read only). The text filter is a parameterised ILIKE with
``%``/``_`` escaped; at 100,000 offers a pg_trgm index on the searched text is the next step.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AfterValidator, BaseModel
from sqlalchemy import ColumnElement, func, or_, select

from services.api.deps import SessionDep
from services.api.errors import ERROR_RESPONSES, PRINTABLE
from services.api.pagination import PageDep
from services.api.views import Page
from services.intake.tables import OfferRow
from shared import taxonomy
from shared.contracts import OPEN_STATUSES
from shared.contracts.common import FieldCode, Kind
from shared.validation import invalid

router = APIRouter(prefix="/api", tags=["catalogue"], responses=ERROR_RESPONSES)
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


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(
    region: str | None, field: str | None, kind: str | None, grade: str | None, q: str | None
) -> list[ColumnElement[bool]]:
    posting = OfferRow.registered
    conditions = [OfferRow.status.in_(OPEN_STATUSES), OfferRow.period_end >= date.today()]
    for column, value in (
        (OfferRow.rtc_region, region),
        (OfferRow.field, field),
        (OfferRow.kind, kind),
    ):
        if value is not None:
            conditions.append(column == value)
    if grade is not None:  # no grades on an offer means any grade
        grades = posting["grades"]
        conditions.append(or_(grades.contains([grade]), func.jsonb_array_length(grades) == 0))
    if q is not None:
        pattern = _like(q)
        conditions.append(
            or_(
                *(
                    posting[name].astext.ilike(pattern, escape="\\")
                    for name in ("title", "description", "keywords")
                )
            )
        )
    return conditions


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
    conditions = _filters(region, field, kind, grade, q)
    total = await session.scalar(select(func.count()).select_from(OfferRow).where(*conditions))
    rows = await session.scalars(
        select(OfferRow.registered)
        .where(*conditions)
        .order_by(OfferRow.period_start, OfferRow.offer_id)
        .limit(page.page_size)
        .offset(page.offset)
    )
    items = [CatalogueOffer.of(registered) for registered in rows]
    return Page[CatalogueOffer](
        items=items, page=page.page, page_size=page.page_size, total=total or 0
    )
