"""The public catalogue's read of intake's stored offers: open offers whose period has not
ended, narrowed by region, field, kind, grade and text, as registered (the API picks the public
fields). The text filter is a parameterised ILIKE with ``%``/``_`` escaped; at 100,000 offers a
pg_trgm index on the searched text is the next step."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.tables import OfferRow
from shared.contracts import OPEN_STATUSES


@dataclass(frozen=True, slots=True)
class CatalogueFilter:
    """What the catalogue narrows to; ``None`` leaves a criterion out."""

    region: str | None = None
    field: str | None = None
    kind: str | None = None
    grade: str | None = None
    text: str | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(wanted: CatalogueFilter) -> list[ColumnElement[bool]]:
    posting = OfferRow.registered
    conditions = [OfferRow.status.in_(OPEN_STATUSES), OfferRow.period_end >= date.today()]
    for column, value in (
        (OfferRow.rtc_region, wanted.region),
        (OfferRow.field, wanted.field),
        (OfferRow.kind, wanted.kind),
    ):
        if value is not None:
            conditions.append(column == value)
    if wanted.grade is not None:  # no grades on an offer means any grade
        grades = posting["grades"]
        conditions.append(
            or_(grades.contains([wanted.grade]), func.jsonb_array_length(grades) == 0)
        )
    if wanted.text is not None:
        pattern = _like(wanted.text)
        searched = ("title", "description", "keywords")
        conditions.append(or_(*(posting[n].astext.ilike(pattern, escape="\\") for n in searched)))
    return conditions


async def open_offers(
    session: AsyncSession, wanted: CatalogueFilter, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the open offers ``wanted`` names, as registered (earliest period first),
    and how many there are in all."""
    conditions = _conditions(wanted)
    total = await session.scalar(select(func.count()).select_from(OfferRow).where(*conditions))
    rows = await session.scalars(
        select(OfferRow.registered)
        .where(*conditions)
        .order_by(OfferRow.period_start, OfferRow.offer_id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total or 0
