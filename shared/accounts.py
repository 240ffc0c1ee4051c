"""Who may sign in: organisations (schools, providers, RTCs, the platform) and their users.

Shared by the API (sign-in, ownership), the notifier (a coordinator's region) and intake (the
registered names of owners, read with a batch's postings: ``services.intake.rows``).
"""

from datetime import datetime
from typing import Literal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base

OrganisationKind = Literal["school", "provider", "rtc", "admin"]
Role = Literal["school", "provider", "coordinator", "admin"]
ROLES: tuple[Role, ...] = ("school", "provider", "coordinator", "admin")
# The organisation kind each role belongs to.
ORGANISATION_KIND: dict[Role, OrganisationKind] = {
    "school": "school",
    "provider": "provider",
    "coordinator": "rtc",
    "admin": "admin",
}


class OrganisationRow(Base):
    """A school (institution number), provider (enterprise number), RTC (region) or the platform."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("kind IN ('school', 'provider', 'rtc', 'admin')", name="kind"),
        CheckConstraint("(kind = 'rtc') = (rtc_region IS NOT NULL)", name="rtc_region"),
        UniqueConstraint("kind", "number", name="uq_organisations_kind_number"),
        CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    # Institution number (6 digits) of a school, enterprise number (0403.170.701) of a provider.
    number: Mapped[str | None] = mapped_column(String(12))
    rtc_region: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Organisations that signed themselves up are pending until the RTC coordinator of their
    # postal code's region approves them (``verified_at``: their first user's address checked).
    status: Mapped[str] = mapped_column(
        String(10), default="approved", server_default="approved", index=True
    )
    postal_code: Mapped[str | None] = mapped_column(String(4))
    provider_type: Mapped[str | None] = mapped_column(String(20))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_reason: Mapped[str | None] = mapped_column(Text)


class UserRow(Base):
    """A person who signs in (what mail it wants: ``shared.mail_choices``)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('school', 'provider', 'coordinator', 'admin')", name="role"),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # May invite and remove colleagues and give or take this right (schools and providers).
    organisation_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
