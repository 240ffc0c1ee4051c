"""Review: the one owner of suggestions, decisions and capacity (was the notifier's read model).

Revision ID: 0006_review
Revises: 0004_notifier
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision: str = "0006_review"
down_revision: str | None = "0004_notifier"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def _postings() -> None:
    op.create_table(
        "review_needs",
        sa.Column("need_id", sa.String(120), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("grades", ARRAY(sa.String(4)), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("institution_number", sa.String(6), nullable=False),
        sa.Column("school_name", sa.String(200), nullable=False),
        sa.Column("rtc_region", sa.String(40), nullable=False),
        sa.Column("contact_name", sa.String(120), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("quantity_met", sa.Integer(), nullable=False),
        sa.Column("wants_replacement", sa.Boolean(), nullable=False),
        sa.Column("linked_need_id", sa.String(120), nullable=True),
        sa.Column("registered_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("need_id", name="pk_review_needs"),
    )
    for column in ("institution_number", "rtc_region", "linked_need_id"):
        op.create_index(f"ix_review_needs_{column}", "review_needs", [column])
    op.create_table(
        "review_offers",
        sa.Column("offer_id", sa.String(120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("enterprise_number", sa.String(12), nullable=False),
        sa.Column("provider_name", sa.String(200), nullable=False),
        sa.Column("provider_type", sa.String(24), nullable=False),
        sa.Column("contact_name", sa.String(120), nullable=False),
        sa.Column("contact_email", sa.String(254), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("capacity_used", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("offer_id", name="pk_review_offers"),
    )
    op.create_index("ix_review_offers_enterprise_number", "review_offers", ["enterprise_number"])


def _matches() -> None:
    op.execute("CREATE SEQUENCE review_revision")
    op.create_table(
        "review_matches",
        sa.Column("match_id", sa.String(100), nullable=False),
        sa.Column("need_id", sa.String(120), nullable=False),
        sa.Column("offer_id", sa.String(120), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("matcher_revision", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("components", JSONB(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("suggested_at", TZ, nullable=True),
        sa.Column("withdrawn_reason", sa.String(40), nullable=True),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.Column("reason_code", sa.String(20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(254), nullable=True),
        sa.Column("decided_at", TZ, nullable=True),
        sa.Column("decision_event_id", sa.String(100), nullable=True),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("revoked_by", sa.String(254), nullable=True),
        sa.Column("revoked_at", TZ, nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'withdrawn', 'accepted', 'rejected', 'revoked')",
            name="status",
        ),
        sa.PrimaryKeyConstraint("match_id", name="pk_review_matches"),
    )
    for columns in (("need_id", "status"), ("offer_id", "status"), ("status", "suggested_at")):
        op.create_index(f"ix_review_matches_{'_'.join(columns)}", "review_matches", list(columns))


# The notifier's read model carried over; what it never knew gets a neutral value.
CARRY_OVER = (
    """INSERT INTO review_needs SELECT need_id, version, status, kind, field, '{}', title,
       institution_number, school_name, rtc_region, contact_name, contact_email, quantity,
       quantity_met, wants_replacement, linked_need_id, now() FROM notifier_needs""",
    """INSERT INTO review_offers SELECT offer_id, version, status, title, enterprise_number,
       provider_name, 'company', contact_name, contact_email, capacity, capacity_used
       FROM notifier_offers""",
    """INSERT INTO review_matches SELECT match_id, need_id, offer_id, status, 0, kind, score,
       rank, distance_km, NULL, explanation, suggested_at, NULL, announced, reason_code, reason,
       decided_by, decided_at, decision_event_id,
       CASE WHEN status = 'accepted' THEN 1 ELSE 0 END, NULL, NULL, NULL
       FROM notifier_suggestions""",
)


def _matcher() -> None:
    op.add_column(
        "matcher_postings",
        sa.Column("used_revision", sa.BigInteger(), server_default="0", nullable=False),
    )
    # 0003 named it once more through the naming convention.
    op.drop_constraint(
        op.f("ck_match_suggestions_ck_match_suggestions_status"), "match_suggestions"
    )
    op.create_check_constraint(
        "status",
        "match_suggestions",
        "status IN ('suggested', 'withdrawn', 'accepted', 'rejected', 'revoked')",
    )


def upgrade() -> None:
    """Create the review state, carry the notifier's read model over, drop it."""
    _postings()
    _matches()
    for statement in CARRY_OVER:
        op.execute(statement)
    for table in ("notifier_suggestions", "notifier_offers", "notifier_needs"):
        op.drop_table(table)
    _matcher()


def downgrade() -> None:
    """Back to the notifier's read model (empty: decisions made since are not carried back)."""
    op.drop_constraint("status", "match_suggestions", type_="check")
    op.create_check_constraint(
        "status",
        "match_suggestions",
        "status IN ('suggested', 'withdrawn', 'accepted', 'rejected')",
    )
    op.drop_column("matcher_postings", "used_revision")
    for table in ("review_matches", "review_offers", "review_needs"):
        op.drop_table(table)
    op.execute("DROP SEQUENCE review_revision")
    spec = importlib.util.spec_from_file_location(
        "m0004", Path(__file__).with_name("0004_notifier.py")
    )
    assert spec is not None and spec.loader is not None
    notifier = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(notifier)
    notifier._read_model()
