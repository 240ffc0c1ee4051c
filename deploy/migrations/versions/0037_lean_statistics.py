"""Lean statistics for the tables every need and suggestion writes: autovacuum analyses them about
once a minute while needs flow (10 % of their rows changed), and each analysis of
``match_suggestions`` and ``review_matches`` took 0.3 s of CPU at once (a sample of 30,000 rows,
its JSON and text sorted column by column): on two cores that burst held the needs arriving in
that second back by a quarter of a second. A target of 10 (a sample of 3,000 rows) still gives
their filters and joins the same plans; JSON and free text, never filtered on, get no
statistics (0), here and in the payloads of ``needs``, ``offers`` and ``matcher_postings``.
A column added to these tables later starts at the server's default (100): give it its target
too (``tests/infra/test_lean_statistics.py`` says which).

Revision ID: 0037_lean_statistics
Revises: 0036_reminded
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037_lean_statistics"
down_revision: str | None = "0036_reminded"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every column: 10; JSON and free text: 0.
PER_SUGGESTION = ("match_suggestions", "review_matches")
# JSON only: 0.
PAYLOADS = {
    "needs": ("registered",),
    "offers": ("registered",),
    "matcher_postings": ("payload", "in_use"),
}


def upgrade() -> None:
    """Set the targets (they take effect at the next analysis)."""
    _set_targets(lean=True)


def downgrade() -> None:
    """Back to the server's default (-1) for every column."""
    _set_targets(lean=False)


def _set_targets(lean: bool) -> None:
    for table, column, type_ in _columns():
        _target(table, column, (0 if type_ in ("jsonb", "text") else 10) if lean else -1)
    for table, columns in PAYLOADS.items():
        for column in columns:
            _target(table, column, 0 if lean else -1)


def _columns() -> list[tuple[str, str, str]]:
    """(table, column, data type) of every column of ``PER_SUGGESTION``."""
    rows = op.get_bind().execute(
        sa.text(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ANY(:tables)"
        ),
        {"tables": list(PER_SUGGESTION)},
    )
    return [(table, column, type_) for table, column, type_ in rows]


def _target(table: str, column: str, target: int) -> None:
    op.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" SET STATISTICS {target}')
