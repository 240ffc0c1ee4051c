"""The public catalogue's read of intake's stored offers: open offers whose period has not
ended, narrowed by region, field, kind, grade and words, as registered (the API picks the public
fields).

Words are searched with PostgreSQL's full-text search in Dutch on each offer's weighted
``search`` vector (0022): whole words and their Dutch forms ("voertuig" finds "voertuigen", "EV"
does not find "leven"), the best match first (a word in the title before one in the
description), ties by id. The words are bound parameters, searched for whatever they look like.
Without words the catalogue reads in order of period start. Pages follow a cursor (the last
offer's sort key and id), so the last page reads as few rows as the first; the count is exact up
to a bound, the planner's estimate above it. ``catalogue_version`` moves whenever an offer
changes (migration 0034), so a reader may remember a page until it does.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Double,
    Select,
    SQLColumnExpression,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.tables import CatalogueVersionRow, OfferRow
from shared.contracts import OPEN_STATUSES
from shared.counting import Count, counted

DUTCH: ColumnElement[Any] = literal_column("'dutch'::regconfig")


@dataclass(frozen=True, slots=True)
class CatalogueFilter:
    """What the catalogue narrows to; ``None`` leaves a criterion out."""

    region: str | None = None
    field: str | None = None
    kind: str | None = None
    grade: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page ends: an offer's sort key (its rank, negated, when searching words; else
    its period start) and its id."""

    key: float | date
    offer_id: str

    def position(self) -> ColumnElement[Any]:
        """The cursor as a row value to compare (sort key, id) with."""
        return tuple_(literal(self.key), literal(self.offer_id))

    def token(self) -> str:
        """The cursor as text for a URL."""
        key = repr(self.key) if isinstance(self.key, float) else self.key.isoformat()
        return f"{key}~{self.offer_id}"

    @classmethod
    def parse(cls, token: str, searching: bool) -> "Cursor | None":
        """The cursor ``token`` names, ``None`` when it is none of a listing of this kind."""
        key, tilde, offer_id = token.partition("~")
        if not tilde or not offer_id:
            return None
        try:
            return cls(float(key) if searching else date.fromisoformat(key), offer_id)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class PageAt:
    """Which page: after ``after`` (forward), before ``before`` (backward), else the one
    ``offset`` rows from the start (read row by row: deep offsets cost what they skip)."""

    size: int
    after: Cursor | None = None
    before: Cursor | None = None
    offset: int = 0


@dataclass(frozen=True, slots=True)
class CataloguePage:
    """One page of offers as registered, how many there are in all, and the cursors of the
    pages beside it (``None`` at either end)."""

    offers: list[dict[str, Any]]
    total: Count
    previous: Cursor | None
    next: Cursor | None


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
        conditions.append(OfferRow.search.bool_op("@@")(_words(wanted.text)))
    return conditions


def _words(text: str) -> ColumnElement[Any]:
    """``text`` as a Dutch query: words, "a phrase", or, -not (as in a web search engine);
    "<" and ">" are spaces, as in the offers' words (``OFFER_SEARCH_VECTOR``)."""
    return func.websearch_to_tsquery(DUTCH, func.translate(text, "<>", "  "))


def _sort_key(wanted: CatalogueFilter) -> SQLColumnExpression[Any]:
    """Ascending: the negated rank when searching words, else the period start."""
    if wanted.text is None:
        return OfferRow.period_start
    return -func.ts_rank(OfferRow.search, _words(wanted.text)).cast(Double)


def _page_query(wanted: CatalogueFilter, at: PageAt) -> Select[Any]:
    key = _sort_key(wanted)
    position = tuple_(key, OfferRow.offer_id)
    query = select(OfferRow.registered, key, OfferRow.offer_id).where(*_conditions(wanted))
    if at.before is not None:
        query = query.where(position < at.before.position())
        return query.order_by(key.desc(), OfferRow.offer_id.desc()).limit(at.size + 1)
    if at.after is not None:
        query = query.where(position > at.after.position())
    else:
        query = query.offset(at.offset)
    return query.order_by(key, OfferRow.offer_id).limit(at.size + 1)


async def open_offers(
    session: AsyncSession, wanted: CatalogueFilter, at: PageAt, exact_up_to: int
) -> CataloguePage:
    """One page of the open offers ``wanted`` names, as registered (best match or earliest
    period first), how many there are (exact up to ``exact_up_to``) and the cursors beside it."""
    rows = list((await session.execute(_page_query(wanted, at))).tuples())
    more = len(rows) > at.size
    rows = rows[: at.size]
    if at.before is not None:
        rows.reverse()
    cursors = [Cursor(key, offer_id) for _, key, offer_id in rows]
    backward = at.before is not None
    has_previous = more if backward else at.after is not None or at.offset > 0
    has_next = True if backward else more
    total = await counted(
        session, select(OfferRow.offer_id).where(*_conditions(wanted)), exact_up_to
    )
    return CataloguePage(
        offers=[registered for registered, _, _ in rows],
        total=total,
        previous=cursors[0] if cursors and has_previous else None,
        next=cursors[-1] if cursors and has_next else None,
    )


async def catalogue_version(session: AsyncSession) -> int:
    """The catalogue's version: drawn anew in every transaction that changes an offer. Read it
    before the pages it versions."""
    return await session.scalar(select(CatalogueVersionRow.version)) or 0
