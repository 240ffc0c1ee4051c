"""``GET /api/catalogue``: the public list of open offers, without contact data (SPEC section 7).

Read through intake's catalogue query (``services.intake.catalogue``), which narrows and pages.
"""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AfterValidator

from services.api.catalogue_views import CataloguePage, cursor, open_offers_page
from services.api.deps import ContextDep, SessionDep
from services.api.errors import ERROR_RESPONSES, PRINTABLE, field_problem
from services.api.pagination import PageDep
from services.intake.catalogue import CatalogueFilter, Cursor, PageAt
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
        description="Words in title, keywords, field or description, in Dutch: word forms "
        'count ("voertuig" finds "voertuigen"), "a phrase" in quotes, `or`, `-word` to leave '
        "out; the best match first.",
    ),
]
CursorText = Annotated[str, Query(max_length=200, pattern=PRINTABLE)]


def _cursor(name: str, token: str | None, wanted: CatalogueFilter) -> Cursor | None:
    found = cursor(token, wanted)
    if token is not None and found is None:
        raise field_problem(name, f"{name} is not a cursor of this listing; use next or previous")
    return found


@router.get("/catalogue", summary="Open offers (public)")
async def catalogue(
    session: SessionDep,
    context: ContextDep,
    page: PageDep,
    region: Region | None = None,
    field: Annotated[FieldCode | None, Query()] = None,
    kind: Annotated[Kind | None, Query()] = None,
    grade: Grade | None = None,
    q: Text | None = None,
    after: Annotated[
        CursorText | None, Query(description="The page after this cursor (a page's next).")
    ] = None,
    before: Annotated[
        CursorText | None,
        Query(description="The page before this cursor (a page's previous)."),
    ] = None,
) -> CataloguePage:
    """Open offers whose period has not ended, filtered by region, field, grade, kind and words;
    with words the best match first, else the earliest period first. Follow ``next`` (as
    ``after``) through the pages: as fast on the last as on the first; ``page`` skips rows one
    by one. ``total`` is exact up to the API's exact-count limit (``total_exact``)."""
    wanted = CatalogueFilter(region, field, kind, grade, q)
    at = PageAt(
        page.page_size,
        after=_cursor("after", after, wanted),
        before=_cursor("before", before, wanted),
        offset=page.offset,
    )
    limit = context.settings.exact_count_limit
    return await open_offers_page(session, wanted, at, page.page, limit)
