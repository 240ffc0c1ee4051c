"""How many rows a listing has, without counting a big table row by row: exact up to a bound
(the rows are read only that far), above it PostgreSQL's own estimate from the query plan. When
the plan already expects far more rows than the bound (``TRUSTED_ABOVE``), the estimate is the
answer and nothing is counted. The review queue, the match lists and the catalogue count this
way."""

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ClauseElement, Executable, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

# An estimate above this many times the exact bound (and above ``TRUSTED_FROM`` rows) is taken
# without counting: the planner would have to be off five times over for a listing of fewer rows
# than the bound to show an estimate instead of its count.
TRUSTED_ABOVE = 5
TRUSTED_FROM = 5_000


@dataclass(frozen=True, slots=True)
class Count:
    """A number of rows; ``exact`` false when it is the planner's estimate."""

    value: int
    exact: bool


class Explained(Executable, ClauseElement):
    """``EXPLAIN (FORMAT JSON)`` of a query, its parameters bound as the query's own."""

    inherit_cache = False

    def __init__(self, query: Select[Any]) -> None:
        self.query = query


@compiles(Explained, "postgresql")
def _explain(element: Explained, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.query, **kw)


async def estimated(session: AsyncSession, query: Select[Any]) -> int:
    """The rows the planner expects ``query`` to return."""
    plan = await session.scalar(Explained(query))
    found = json.loads(plan) if isinstance(plan, str) else plan
    return int(found[0]["Plan"]["Plan Rows"])


async def counted(session: AsyncSession, query: Select[Any], exact_up_to: int) -> Count:
    """The rows of ``query``: exact up to ``exact_up_to``, the planner's estimate above (never
    below the bound it crossed). An estimate beyond ``TRUSTED_ABOVE`` times the bound is answered
    without counting."""
    estimate = await estimated(session, query)
    if estimate > max(TRUSTED_ABOVE * exact_up_to, TRUSTED_FROM):
        return Count(estimate, exact=False)
    limited = query.limit(exact_up_to + 1).subquery()
    found = await session.scalar(select(func.count()).select_from(limited)) or 0
    if found <= exact_up_to:
        return Count(found, exact=True)
    return Count(max(estimate, found), exact=False)
