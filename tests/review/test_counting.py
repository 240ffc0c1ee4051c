"""How listings count (``shared.counting``): exactly up to the bound, the planner's estimate
above it, and no count at all when the plan already expects far more rows than the bound."""

from typing import Any

from sqlalchemy import column, event, func, select
from sqlalchemy.engine import Engine

from shared.counting import TRUSTED_ABOVE, TRUSTED_FROM, Count, counted
from tests.review.conftest import Sessions


def _rows(how_many: int) -> Any:
    """A query of ``how_many`` rows whose number the planner knows (``generate_series``)."""
    return select(column("n")).select_from(func.generate_series(1, how_many).alias("n"))


async def _counted(sessions: Sessions, how_many: int, bound: int) -> tuple[Count, list[str]]:
    """The count of ``how_many`` rows with exact bound ``bound``, and the statements it sent."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "generate_series" in statement:  # this query's, not another task's of the process
            sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        async with sessions() as session:
            found = await counted(session, _rows(how_many), bound)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    return found, sent


async def test_few_rows_are_counted_and_many_estimated(sessions: Sessions) -> None:
    assert (await _counted(sessions, 8, 10))[0] == Count(8, exact=True)
    assert (await _counted(sessions, 10, 10))[0] == Count(10, exact=True)
    assert (await _counted(sessions, 30, 10))[0] == Count(30, exact=False)


async def test_far_more_rows_than_the_bound_are_estimated_without_counting(
    sessions: Sessions,
) -> None:
    many = max(TRUSTED_ABOVE * 10, TRUSTED_FROM) + 1
    found, sent = await _counted(sessions, many, 10)
    assert found == Count(many, exact=False)
    assert not [statement for statement in sent if "count(" in statement.lower()]
    near, sent = await _counted(sessions, many - 2, 10)  # not far enough above: counted
    assert near == Count(many - 2, exact=False)
    assert [statement for statement in sent if "count(" in statement.lower()]
