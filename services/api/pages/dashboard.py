"""``/dashboard``: the shortage radar as heat tables on one absolute colour scale and a map of
Flanders, and the decision trends as charts, from ``services.review.stats`` (the same counts
``/api/stats/shortage`` serves; the map places them by the schools' postal codes), the year's
rotations as timelines, all rendered once and remembered until the region's queue changes
(``dashboard_parts``), and which ranking orders the suggestions
(``services.matcher.learning.standing``)."""

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.api.deps import SessionDep
from services.api.pages.access import CoordinatorPage
from services.api.pages.dashboard_parts import figure_parts, rotation_part
from services.api.pages.rendering import REGIONS, render
from services.matcher.learning.standing import in_dutch, ranking_standing
from services.review.bookings import Stretch

router = APIRouter(include_in_schema=False)
SEPTEMBER = 9


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    session: SessionDep,
    principal: CoordinatorPage,
    regio: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """A coordinator's region; the admin picks one (or sees all)."""
    region = principal.actor.region_shown(regio if regio in REGIONS else None)
    year = rotation_year(date.today())
    return render(
        request, "dashboard.html", principal, region=region, chosen_region=regio,
        parts=await figure_parts(session, region),
        ranking=in_dutch(await ranking_standing(session)),
        rotations=await rotation_part(session, principal.actor, year),
    )  # fmt: skip


def rotation_year(day: date) -> Stretch:
    """The days whose rotations the dashboard shows: from 1 September of the school year
    ``day`` falls in to a year after ``day`` (the next school year's loans are planned now)."""
    start = day.year if day.month >= SEPTEMBER else day.year - 1
    return Stretch(date(start, SEPTEMBER, 1), day + timedelta(days=365))
