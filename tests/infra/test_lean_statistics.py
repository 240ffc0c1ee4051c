"""The tables every suggestion writes are analysed about once a minute while needs flow; their
statistics stay lean (migration ``0037_lean_statistics``) so that analysis is a sample of 3,000
rows, not a burst of CPU that holds up the needs arriving meanwhile. A column added later starts
at the server's default target (a sample of 30,000 rows) unless its migration sets it too."""

import asyncpg

from tests.infra.test_migrations import plain_dsn
from tests.stack import Stack

PER_SUGGESTION = ("match_suggestions", "review_matches")
UNFILTERED = {"jsonb", "text"}  # JSON and free text: never filtered on, no statistics
PAYLOADS = {
    "needs": {"registered"},
    "offers": {"registered"},
    "matcher_postings": {"payload", "in_use"},
}


async def _targets(stack: Stack, table: str) -> dict[str, tuple[str, int | None]]:
    """Each column of ``table``: its type and statistics target (None: the server's default)."""
    connection = await asyncpg.connect(plain_dsn(stack.database_url))
    try:
        rows = await connection.fetch(
            "SELECT attname, format_type(atttypid, NULL) AS type,"
            " nullif(attstattarget, -1) AS target FROM pg_attribute"
            " WHERE attrelid = CAST($1 AS regclass) AND attnum > 0 AND NOT attisdropped",
            table,
        )
    finally:
        await connection.close()
    return {row["attname"]: (row["type"], row["target"]) for row in rows}


async def test_every_column_of_the_tables_each_suggestion_writes_has_a_lean_target(
    stack: Stack,
) -> None:
    for table in PER_SUGGESTION:
        columns = await _targets(stack, table)
        wrong = {
            name: target
            for name, (type_, target) in columns.items()
            if target != (0 if type_ in UNFILTERED else 10)
        }
        assert columns and not wrong, f"{table}: give these columns their target: {wrong}"


async def test_the_payloads_of_postings_have_no_statistics(stack: Stack) -> None:
    for table, payloads in PAYLOADS.items():
        columns = await _targets(stack, table)
        assert {name: columns[name][1] for name in payloads} == dict.fromkeys(payloads, 0)
