"""An offer's timeline as the pages show it: the picture (``services.api.timeline_pictures``) as
a plain SVG and the same bookings as a table for screen readers and keyboards, written as one
string, every text escaped. A page of a provider's offers draws hundreds of bars: a figure is
remembered by what it shows (the timeline, its key and caption), and written without a template
when it is new (about a fifth of the macro's time)."""

from functools import lru_cache

from markupsafe import Markup, escape

from services.api.pages.dutch import day, step_nl
from services.api.timeline_pictures import Drawn, Picture, picture
from services.review.rotation_plans import Bar, Timeline

TABLE_HEAD = (
    '<thead><tr><th scope="col">School</th><th scope="col">Van</th><th scope="col">Tot</th>'
    '<th scope="col">Eenheid</th><th scope="col">Vrij na controle</th>'
    '<th scope="col">Stand</th></tr></thead>'
)


@lru_cache(maxsize=512)
def timeline_figure(timeline: Timeline, key: str, caption: str) -> Markup:
    """The figure of ``timeline``: its SVG (ids from ``key``) and table, under ``caption``."""
    drawn = picture(timeline)
    tl, key, caption = timeline, escape(key), escape(caption)
    count, capacity = len(tl.bars), tl.capacity
    title = (
        f"Tijdlijn van {escape(tl.offer_title)}: {count} uitlening{'en' if count != 1 else ''}"
        f" over {capacity} eenhe{'den' if capacity != 1 else 'id'},"
        f" van {day(tl.first)} tot {day(tl.last)}"
    )
    return Markup(  # noqa: S704 - every text in it escaped
        f'<figure class="timeline" data-offer-id="{escape(tl.offer_id)}">\n'
        f'  <figcaption id="{key}-caption">{caption}</figcaption>\n'
        f'  <svg class="timeline-svg" viewBox="0 0 {drawn.width} {drawn.height}" role="img"'
        f' aria-labelledby="{key}-title" aria-describedby="{key}-table">\n'
        f'    <title id="{key}-title">{title}</title>\n'
        f"{_grid(drawn)}{''.join(_bar(bar) for bar in drawn.drawn)}  </svg>\n"
        "  <details><summary>Uitleningen als tabel</summary>\n"
        f'  <div class="table-wrap" tabindex="0"><table id="{key}-table" class="timeline-table">\n'
        f"    <caption>{caption} als tabel</caption>\n    {TABLE_HEAD}\n    <tbody>\n"
        f"{''.join(_row(bar) for bar in tl.bars)}"
        "    </tbody>\n  </table></div>\n  </details>\n</figure>\n"
    )


def _grid(drawn: Picture) -> str:
    """The rows' names and lines, then the months' ticks."""
    rows = "".join(
        f'<text class="row-name" x="4" y="{y}">{escape(name)}</text>\n    <line class="row-line"'
        f' x1="{drawn.left}" x2="{drawn.width}" y1="{under}" y2="{under}"></line>'
        for name, y, under in drawn.rows
    )
    ticks = "".join(
        f'<line class="tick" x1="{x}" x2="{x}" y1="0" y2="{drawn.height - 18}"></line>'
        f'<text class="tick-label" x="{x + 2}" y="{drawn.height - 4}">{escape(month)}</text>'
        for x, month in drawn.ticks
    )
    return rows + ticks


def _stand(bar: Bar) -> str:
    return "voorgesteld" if bar.planned else str(escape(step_nl(bar.step)))


def _bar(drawn: Drawn) -> str:
    """One bar's group: its title, turnaround and units' boxes, its label in each box."""
    bar = drawn.bar
    kinds = (" planned" if bar.planned else "") + (" cancelled" if bar.step == "cancelled" else "")
    turnaround = "".join(
        f'<rect class="turnaround" x="{x}" y="{y}" width="{w}" height="26"></rect>'
        for x, y, w in drawn.turnaround
    )
    label = escape(drawn.label)
    boxes = "".join(
        f'<rect x="{x}" y="{y}" width="{w}" height="26" rx="3"></rect>\n'
        + (f'<text x="{x + 4}" y="{y + 18}">{label}</text>' if label else "")
        for x, y, w in drawn.boxes
    )
    return (
        f'    <g class="bar{kinds}" data-match-id="{escape(bar.match_id)}">\n'
        f"      <title>{escape(bar.school_name)}: {day(bar.first)} tot {day(bar.last)}"
        f" ({_stand(bar)})</title>\n{turnaround}{boxes}    </g>\n"
    )


def _row(bar: Bar) -> str:
    """One booking as a row of the table."""
    units = ", ".join(str(row + 1) for row in bar.rows)
    return (
        f'      <tr data-match-id="{escape(bar.match_id)}"><td>{escape(bar.school_name)}<br>'
        f'<span class="muted">{escape(bar.need_title)}</span></td><td>{day(bar.first)}</td>'
        f"<td>{day(bar.last)}</td>\n        <td>{units}</td>\n"
        f"        <td>{day(bar.held_until)}</td><td>{_stand(bar)}</td></tr>\n"
    )
