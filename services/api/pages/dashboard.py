"""``/dashboard``: the shortage radar as heat tables on one absolute colour scale and a map of
Flanders, and the decision trends as charts, from ``services.review.stats`` (the same counts
``/api/stats/shortage`` serves, remembered until the region's queue changes; the map places them
by the schools' postal codes), the year's rotations as timelines (remembered the same way), and
which ranking orders the suggestions (``services.matcher.learning.standing``)."""

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.deps import SessionDep
from services.api.pages.access import CoordinatorPage
from services.api.pages.heat import heat_legend, heat_level
from services.api.pages.rendering import REGIONS, render
from services.api.pages.shortage_map import ShortageMap, shortage_map
from services.matcher.learning.standing import in_dutch, ranking_standing
from services.review import stats
from services.review.bookings import Stretch
from services.review.rotation_plans import reviewed_timelines
from shared import taxonomy

router = APIRouter(include_in_schema=False)
SEPTEMBER = 9


def heat_maps(cells: list[stats.ShortageCell]) -> dict[str, dict[str, Any]]:
    """Per region: the fields (rows), the grades (columns, grades 1 and 2 always) and each
    cell's count with its heat level 0-4 (on the one absolute scale of ``heat``)."""
    maps: dict[str, dict[str, Any]] = {}
    for cell in cells:
        region = maps.setdefault(cell.rtc_region, {"counts": {}, "fields": set(), "grades": set()})
        region["counts"][(cell.field, cell.grade)] = cell.open_needs
        region["fields"].add(cell.field)
        region["grades"].add(cell.grade)
    order = {grade: i for i, grade in enumerate((*taxonomy.grades(), stats.NO_GRADE))}
    for region in maps.values():
        region["fields"] = sorted(region["fields"])
        region["grades"] = sorted(
            region["grades"] | set(stats.ALWAYS_SHOWN),
            key=lambda grade: order.get(grade, len(order)),
        )
        region["levels"] = {key: heat_level(count) for key, count in region["counts"].items()}
    return maps


async def unserved_map(session: AsyncSession, region: str | None) -> ShortageMap:
    """The radar's needs placed on the map by their school's postal code."""
    return shortage_map(await stats.unserved_per_postal_code(session, region))


def _bar_chart(labels: list[str], series: dict[str, list[float]], title: str) -> dict[str, Any]:
    colours = ("#0b4f8a", "#c2410c", "#1d6b38")
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                {"label": name, "data": values, "backgroundColor": colours[i % len(colours)]}
                for i, (name, values) in enumerate(series.items())
            ],
        },
        "title": title,
    }


@router.get("/dashboard", response_class=HTMLResponse)
async def dashboard(
    request: Request,
    session: SessionDep,
    principal: CoordinatorPage,
    regio: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """A coordinator's region; the admin picks one (or sees all)."""
    region = principal.actor.region_shown(regio if regio in REGIONS else None)
    figures = await stats.overview(session, region)
    week_labels = [f"week van {w.week:%d/%m}" for w in figures.weeks]
    charts = {
        "weeks": _bar_chart(
            week_labels,
            {
                "aanvaard": [w.accepted for w in figures.weeks],
                "afgewezen": [w.rejected for w in figures.weeks],
            },
            "Beslist per week",
        ),
        "kinds": _bar_chart(
            [taxonomy.kind_label(k.kind) for k in figures.kinds],
            {"aanvaard (%)": [round(k.rate * 100) for k in figures.kinds]},
            "Aanvaard per soort",
        ),
    }
    year = rotation_year(date.today())
    return render(
        request, "dashboard.html", principal, region=region, chosen_region=regio,
        heat=heat_maps(figures.shortage), legend=heat_legend(),
        shortage_map=await unserved_map(session, region), weeks=figures.weeks, kinds=figures.kinds,
        median_hours=figures.median_hours, unmatched=figures.unmatched, charts=charts,
        ranking=in_dutch(await ranking_standing(session)),
        rotations=await reviewed_timelines(session, principal.actor, within=year, at_least=2),
    )  # fmt: skip


def rotation_year(day: date) -> Stretch:
    """The days whose rotations the dashboard shows: from 1 September of the school year
    ``day`` falls in to a year after ``day`` (the next school year's loans are planned now)."""
    start = day.year if day.month >= SEPTEMBER else day.year - 1
    return Stretch(date(start, SEPTEMBER, 1), day + timedelta(days=365))
