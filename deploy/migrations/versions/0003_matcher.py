"""Matcher: its copy of the open postings and the suggestions it made.

Revision ID: 0003_matcher
Revises: 0002_intake
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0003_matcher"
down_revision: str | None = "0002_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEXT_REVISION = sa.text("nextval('matcher_revision')")


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("revision", sa.BigInteger(), server_default=NEXT_REVISION, nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("matcher_revision")))
    op.create_table(
        "matcher_postings",
        sa.Column("side", sa.String(5), nullable=False),
        sa.Column("posting_id", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("used", sa.Integer(), server_default="0", nullable=False),
        sa.Column("payload", JSONB(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("side IN ('need', 'offer')", name="ck_matcher_postings_side"),
        sa.PrimaryKeyConstraint("side", "posting_id", name="pk_matcher_postings"),
    )
    op.create_index("ix_matcher_postings_revision", "matcher_postings", ["revision"])
    op.create_table(
        "match_suggestions",
        sa.Column("match_id", sa.String(36), nullable=False),
        sa.Column("need_id", sa.String(120), nullable=False),
        sa.Column("offer_id", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("rtc_region", sa.String(40), nullable=False),
        sa.Column("components", JSONB(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(40), nullable=True),
        sa.Column("suggested_at", sa.DateTime(timezone=True), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "status IN ('suggested', 'withdrawn', 'accepted', 'rejected')",
            name="ck_match_suggestions_status",
        ),
        sa.PrimaryKeyConstraint("match_id", name="pk_match_suggestions"),
    )
    op.create_index("ix_match_suggestions_need_id", "match_suggestions", ["need_id"])
    op.create_index("ix_match_suggestions_offer_id", "match_suggestions", ["offer_id"])
    op.create_index("ix_match_suggestions_revision", "match_suggestions", ["revision"])


def downgrade() -> None:
    op.drop_table("match_suggestions")
    op.drop_table("matcher_postings")
    op.execute(sa.schema.DropSequence(sa.Sequence("matcher_revision")))
