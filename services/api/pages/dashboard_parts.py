"""The dashboard's figures as rendered HTML, remembered with the figures they show: until the
queue version of their region moves, or a few seconds beyond (``services.review.remembered``'s
``lagging``); the page says when they were computed. The counts were already
remembered; rendering their tables, map and charts again on every request was most of what a
dashboard request cost (about a quarter of its CPU). The parts hold nothing personal: the
page around them (the region picker, the ranking's standing, the user) is rendered per request.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.pages.heat import heat_legend, heat_level
from services.api.pages.rendering import render_block
from services.api.pages.shortage_map import shortage_map
from services.review import stats
from services.review.actors import Actor
from services.review.bookings import Stretch
from services.review.remembered import remembered
from services.review.rotation_plans import reviewed_timelines
from shared import taxonomy

TEMPLATE = "dashboard_parts.html"


@dataclass(frozen=True, slots=True)
class FigureParts:
    """The radar (tables and map), the decision charts, the schools never matched, and when
    they were computed."""

    radar: Markup
    charts: Markup
    unmatched: Markup
    computed_at: datetime


async def figure_parts(session: AsyncSession, region: str | None) -> FigureParts:
    """The figures of ``region`` (``None``: every region) rendered, as of its queue version, or
    a few seconds behind it (``remembered``'s ``lagging``)."""
    return await remembered(session, "dashboard parts", region, _parts_now, lagging=True)


async def rotation_part(session: AsyncSession, reviewer: Actor, within: Stretch) -> Markup:
    """The rotations ``reviewer`` may see within ``within`` rendered, remembered as the
    timelines themselves are (``rotation_plans.reviewed_timelines``)."""

    async def now(session: AsyncSession, _region: str | None) -> Markup:
        found = await reviewed_timelines(session, reviewer, within=within, at_least=2)
        return render_block(TEMPLATE, "rotations", rotations=found)

    name = f"dashboard rotations {within.first} {within.last}"
    return await remembered(session, name, reviewer.region_shown(None), now)


async def _parts_now(session: AsyncSession, region: str | None) -> FigureParts:
    computed_at = datetime.now(UTC)
    figures = await stats.overview(session, region)
    places = await stats.unserved_per_postal_code(session, region)
    radar = render_block(
        TEMPLATE, "radar", heat=heat_maps(figures.shortage), legend=heat_legend(),
        shortage_map=shortage_map(places),
    )  # fmt: skip
    charts = render_block(
        TEMPLATE, "charts", charts=_charts(figures), weeks=figures.weeks, kinds=figures.kinds,
        median_hours=figures.median_hours,
    )  # fmt: skip
    unmatched = render_block(TEMPLATE, "unmatched", unmatched=figures.unmatched)
    return FigureParts(radar, charts, unmatched, computed_at)


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


def _charts(figures: stats.Overview) -> dict[str, dict[str, Any]]:
    week_labels = [f"week van {w.week:%d/%m}" for w in figures.weeks]
    return {
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
