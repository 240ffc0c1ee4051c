"""Mail choices per kind of notification: at once, in the daily digest, or off, for everyone.
A coordinator's daily digest of suggestions (``users.digest``) becomes the choice of the kind
``suggestion``; the column goes.

Revision ID: 0026_org_settings
Revises: 0024_door
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_org_settings"
down_revision: str | None = "0024_door"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mail_choices",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("choice", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "kind", name="pk_mail_choices"),
        sa.CheckConstraint(
            "choice IN ('immediate', 'daily', 'off')",
            name="choice",  # ck_mail_choices_choice by the naming convention
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_mail_choices_user_id_users", ondelete="CASCADE"
        ),
    )
    op.execute(
        "INSERT INTO mail_choices (user_id, kind, choice) "
        "SELECT id, 'suggestion', 'daily' FROM users WHERE digest = 'daily'"
    )
    op.drop_column("users", "digest")


def downgrade() -> None:
    op.add_column(
        "users",
        sa.Column("digest", sa.String(10), server_default="immediate", nullable=False),
    )
    op.create_check_constraint("digest", "users", "digest IN ('immediate', 'daily')")
    op.execute(
        "UPDATE users SET digest = 'daily' FROM mail_choices m "
        "WHERE m.user_id = users.id AND m.kind = 'suggestion' AND m.choice = 'daily'"
    )
    op.drop_table("mail_choices")
