"""An organisation's webhook counts the pings of the current minute, so its admins can send only a
few test events a minute (``services.notifier.endpoints.ping``), whichever API instance they
reach.

Revision ID: 0031_demo
Revises: 0028_need_places
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_demo"
down_revision: str | None = "0028_need_places"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """The minute's first ping and the count."""
    op.add_column("organisation_endpoints", sa.Column("pings_since", sa.DateTime(timezone=True)))
    op.add_column(
        "organisation_endpoints",
        sa.Column("pings", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_column("organisation_endpoints", "pings")
    op.drop_column("organisation_endpoints", "pings_since")
