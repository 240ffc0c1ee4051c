"""The API's own tables: bearer tokens, browser sessions, remembered idempotent answers,
postings it sent, the sign-in throttle's counts, the one-use links it mails."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import Base


class ApiTokenRow(Base):
    """A bearer token of a user; only its SHA-256 is stored. Expired and revoked tokens stay for
    the record."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class BrowserSessionRow(Base):
    """A signed-in browser. The cookie carries a random session id; only its SHA-256 is stored.
    Ended sessions stay for the record (``revoked_at``)."""

    __tablename__ = "api_sessions"

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(200))
    client_address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_seen_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IdempotencyRow(Base):
    """The first answer to a request sent with an ``Idempotency-Key``, replayed on a retry."""

    __tablename__ = "api_idempotency"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_digest: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SubmissionRow(Base):
    """The last event the API sent for a posting of an organisation, so that its status is known
    before intake registers it (``submitted``) and a refusal can be found (``rejected``)."""

    __tablename__ = "api_submissions"
    __table_args__ = (Index("ix_api_submissions_side_organisation", "side", "organisation_number"),)

    side: Mapped[str] = mapped_column(String(5), primary_key=True)
    posting_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    organisation_number: Mapped[str] = mapped_column(String(12), primary_key=True)
    last_event_id: Mapped[str] = mapped_column(String(36))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SignInFailureRow(Base):
    """Failed sign-ins of one throttle subject (``services.api.ratelimit``) and until when its
    next try waits; shared by every API instance, pruned once forgotten."""

    __tablename__ = "sign_in_failures"

    subject: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    blocked_until: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class SignInClientRow(Base):
    """A client that signed in to an account: the account's own throttle does not slow it."""

    __tablename__ = "sign_in_clients"

    account: Mapped[str] = mapped_column(String(64), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    signed_in_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class AccountLinkRow(Base):
    """A one-use link mailed to a user (a password reset, the check of a new address): only its
    token's SHA-256 is stored; used and expired links stay for the record."""

    __tablename__ = "account_links"
    __table_args__ = (
        CheckConstraint(
            "purpose IN ('password_reset', 'verify_email', 'invitation')", name="purpose"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
