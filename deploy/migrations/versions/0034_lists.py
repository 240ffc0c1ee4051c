"""The catalogue's version: one number, drawn anew at random in every transaction that changes an
offer (random, so two databases one process reads never share one), so a page of the public
catalogue (``services.api.catalogue_views``) is remembered until an offer changes instead of
ranked again for every visitor.

A deferred constraint trigger on ``offers`` draws it at the commit of such a transaction, once (a
transaction-local setting marks it done), as the transaction's last write: the version row is
locked only for the moment before the commit, after every other lock the transaction takes. A
``TRUNCATE`` draws it too.

Revision ID: 0034_lists
Revises: 0031_demo
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_lists"
down_revision: str | None = "0031_demo"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP = """
CREATE FUNCTION bump_catalogue_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('schakel.catalogue_bumped', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('schakel.catalogue_bumped', 'yes', true);
    UPDATE catalogue_versions SET version = DRAWN WHERE id = 1;
    RETURN NULL;
END $$
"""
DRAWN = "floor(random() * 9e18)::bigint"
FIRST = f"INSERT INTO catalogue_versions (id, version) VALUES (1, {DRAWN})"  # noqa: S608 - constants
TRIGGERS = (
    """
CREATE CONSTRAINT TRIGGER offers_catalogue_version
AFTER INSERT OR UPDATE OR DELETE ON offers DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW EXECUTE FUNCTION bump_catalogue_version()
""",
    """
CREATE TRIGGER offers_catalogue_truncated AFTER TRUNCATE ON offers
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalogue_version()
""",
)


def upgrade() -> None:
    """The version row and the trigger that moves it."""
    op.create_table(
        "catalogue_versions",
        sa.Column("id", sa.SmallInteger(), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_catalogue_versions_one_row")),
    )
    op.execute(FIRST)
    op.execute(BUMP.replace("DRAWN", DRAWN))
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    """Drop them."""
    op.execute("DROP TRIGGER offers_catalogue_truncated ON offers")
    op.execute("DROP TRIGGER offers_catalogue_version ON offers")
    op.execute("DROP FUNCTION bump_catalogue_version()")
    op.drop_table("catalogue_versions")
