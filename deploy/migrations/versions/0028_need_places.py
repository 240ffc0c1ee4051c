"""The review state keeps each need's school postal code, so the shortage radar's map counts its
unserved needs per postal code in one grouped query of its own state (it read every unserved
need of intake's table by id). Needs already known take their code from intake's stored event
once, here; later versions bring it with them.

Revision ID: 0028_need_places
Revises: 0027_vocabulary
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_need_places"
down_revision: str | None = "0027_vocabulary"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The column, filled from the needs intake registered."""
    op.add_column("review_needs", sa.Column("postal_code", sa.String(4), nullable=True))
    op.execute(
        "UPDATE review_needs SET postal_code = needs.registered -> 'school' ->> 'postal_code' "
        "FROM needs WHERE needs.need_id = review_needs.need_id"
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_column("review_needs", "postal_code")
