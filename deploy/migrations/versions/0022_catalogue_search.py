"""Catalogue search in Dutch: each offer keeps its words as a weighted ``tsvector`` (title A,
keywords and field B, description C; PostgreSQL's Dutch stemming and stop words), a GIN index
finds the offers of a search without reading the others, and an index on (period start, id)
walks the catalogue in its browsing order, so any page (the last too) reads only its rows.

Revision ID: 0022_catalogue_search
Revises: 0021_exposure
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import TSVECTOR

revision: str = "0022_catalogue_search"
down_revision: str | None = "0021_exposure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_VECTOR = (
    "setweight(to_tsvector('dutch', "
    "translate(coalesce(registered->>'title', ''), '<>', '  ')), 'A') || "
    "setweight(to_tsvector('dutch', "
    "translate(coalesce(registered->>'keywords', ''), '<>', '  ') || ' ' || "
    "replace(field, '-', ' ')), 'B') || "
    "setweight(to_tsvector('dutch', "
    "translate(coalesce(registered->>'description', ''), '<>', '  ')), 'C')"
)


def upgrade() -> None:
    """The generated column (filled for every stored offer) and the two indexes."""
    op.add_column(
        "offers", sa.Column("search", TSVECTOR(), sa.Computed(SEARCH_VECTOR, persisted=True))
    )
    op.create_index("ix_offers_search", "offers", ["search"], postgresql_using="gin")
    op.create_index("ix_offers_period_start_offer_id", "offers", ["period_start", "offer_id"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_offers_period_start_offer_id", table_name="offers")
    op.drop_index("ix_offers_search", table_name="offers")
    op.drop_column("offers", "search")
