"""An offer's timeline as a picture: where each bar of ``services.review.rotation_plans.Timeline``
lies in a plain SVG (units as rows, days left to right, a tick at each month), written on the
server by ``services.api.pages.timeline_figures``. No script: the page's CSP holds, and the figure
gives the same bookings as a table for screen readers and keyboards."""

from dataclasses import dataclass
from datetime import date

from services.review.rotation_plans import Bar, Timeline

WIDTH = 1000  # the drawing's own units; the SVG scales to the page
LABELS = 100  # room left of the days for the row names
ROW = 34
AXIS = 22  # room under the rows for the month ticks
CHARACTER = 8.5  # a character of the bars' text, roughly, in drawing units


@dataclass(frozen=True, slots=True)
class Drawn:
    """One bar's place: its rows' rectangles, its turnaround's, and the text that fits in it."""

    bar: Bar
    boxes: list[tuple[float, float, float]]  # x, y, width of each row it holds
    turnaround: list[tuple[float, float, float]]
    label: str


@dataclass(frozen=True, slots=True)
class Picture:
    """What the macro draws."""

    timeline: Timeline
    width: int
    height: int
    left: int  # where the days begin
    rows: list[tuple[str, float, float]]  # row name, y of its text, y of the line under it
    ticks: list[tuple[float, str]]  # x, month (mm/jj)
    drawn: list[Drawn]


def picture(timeline: Timeline) -> Picture:
    """Where everything of ``timeline`` goes."""
    span = max(1, (timeline.last - timeline.first).days + 1)
    scale = (WIDTH - LABELS) / span

    def x(day: date) -> float:
        return round(LABELS + (day - timeline.first).days * scale, 1)

    def boxes(first: date, days: int, rows: tuple[int, ...]) -> list[tuple[float, float, float]]:
        return [(x(first), row * ROW + 4, round(max(days, 0) * scale, 1)) for row in rows]

    drawn = []
    for bar in timeline.bars:
        length = (bar.last - bar.first).days + 1
        after = date.fromordinal(bar.last.toordinal() + 1)
        width = length * scale
        fits = max(0, int(width / CHARACTER) - 1)
        label = (
            bar.school_name if len(bar.school_name) <= fits else bar.school_name[: fits - 1] + "…"
        )
        drawn.append(
            Drawn(
                bar,
                boxes(bar.first, length, bar.rows),
                boxes(after, (bar.held_until - bar.last).days, bar.rows),
                label if fits > 2 else "",
            )
        )
    return Picture(
        timeline=timeline,
        width=WIDTH,
        height=timeline.capacity * ROW + AXIS,
        left=LABELS,
        rows=[
            (f"Eenheid {row + 1}", row * ROW + ROW / 2 + 5, (row + 1) * ROW)
            for row in range(timeline.capacity)
        ],
        ticks=[(x(month), f"{month:%m/%y}") for month in _months(timeline.first, timeline.last)],
        drawn=drawn,
    )


def _months(first: date, last: date) -> list[date]:
    """The first day of each month from ``first`` to ``last``; every other one past a year."""
    months = []
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first:
            months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months[::2] if len(months) > 12 else months
