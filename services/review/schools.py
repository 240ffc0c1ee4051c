"""The schools a reviewer may name in the queue's school filter: suggestions as one types,
matched by the same rule as the filter itself (``queries.school_matches``)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.review.actors import Actor
from services.review.queries import region_schools, school_matches

SUGGESTED = 12


@dataclass(frozen=True, slots=True)
class SchoolName:
    """A school with needs in the reviewer's regions."""

    name: str
    institution_number: str


async def schools_named(
    session: AsyncSession, viewer: Actor, text: str, limit: int = SUGGESTED
) -> list[SchoolName]:
    """Up to ``limit`` schools of the regions ``viewer`` reviews whose name or number holds
    ``text`` (any case), by name; none for an empty ``text`` or an actor who reviews nothing."""
    if not text.strip():
        return []
    schools = region_schools(viewer)
    number, name = schools.c.institution_number, schools.c.school_name
    rows = await session.execute(
        select(name, number)
        .where(school_matches(text.strip(), number, name))
        .order_by(name, number)
        .limit(limit)
    )
    return [SchoolName(name, number) for name, number in rows.tuples()]
