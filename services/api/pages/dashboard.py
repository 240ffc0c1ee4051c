"""``/dashboard``: the shortage radar as a heat map and the decision trends as charts, from
``services.review.stats`` (the same counts ``/api/stats/shortage`` serves, remembered until the
region's queue changes), and which ranking orders the suggestions
(``services.matcher.learning.standing``)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from services.api.deps import SessionDep
from services.api.pages.access import CoordinatorPage
from services.api.pages.rendering import REGIONS, render
from services.matcher.learning.standing import in_dutch, ranking_standing
from services.review import stats
from shared import taxonomy

router = APIRouter(include_in_schema=False)
HEAT_LEVELS = 4


def heat_maps(cells: list[stats.ShortageCell]) -> dict[str, dict[str, Any]]:
    """Per region: the fields (rows), the grades (columns, grades 1 and 2 always) and each
    cell's count with its heat level 0-4 (relative to the region's largest count)."""
    maps: dict[str, dict[str, Any]] = {}
    for cell in cells:
        region = maps.setdefault(cell.rtc_region, {"counts": {}, "fields": set(), "grades": set()})
        region["counts"][(cell.field, cell.grade)] = cell.open_needs
        region["fields"].add(cell.field)
        region["grades"].add(cell.grade)
    order = {grade: i for i, grade in enumerate((*taxonomy.grades(), stats.NO_GRADE))}
    for region in maps.values():
        top = max(region["counts"].values(), default=0) or 1
        region["fields"] = sorted(region["fields"])
        region["grades"] = sorted(
            region["grades"] | set(stats.ALWAYS_SHOWN),
            key=lambda grade: order.get(grade, len(order)),
        )
        region["levels"] = {
            key: -(-count * HEAT_LEVELS // top) for key, count in region["counts"].items()
        }
    return maps


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
    return render(
        request, "dashboard.html", principal, region=region, chosen_region=regio,
        heat=heat_maps(figures.shortage), weeks=figures.weeks, kinds=figures.kinds,
        median_hours=figures.median_hours, unmatched=figures.unmatched, charts=charts,
        ranking=in_dutch(await ranking_standing(session)),
    )  # fmt: skip
