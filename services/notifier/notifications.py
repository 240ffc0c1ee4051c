"""A person's in-app notifications (their inbox in the web pages), for the web API, and the
mails about one's account the API has sent (password reset, password changed), and the mail
telling a region's coordinators that a new organisation waits for their decision.

Every inbox function takes who is asking and only returns or changes what that recipient may see.
Account mails take the notifier's delivery path (stored, sent by the dispatcher, retried) but
no inbox: they are addressed to one person's mailbox.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, literal, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import templates
from services.notifier.coordinators import coordinators_of
from services.notifier.notify import notify
from services.notifier.routing import (
    Delivery,
    NotificationType,
    Route,
    coordinator_key,
    mail_to,
    organisation_key,
)
from services.notifier.tables import NotificationRow
from shared.db import columns_of
from shared.mail_choices import DEFAULT_CHOICE


@dataclass(frozen=True, slots=True)
class Notification:
    """One inbox entry as the pages and the API read it: a plain row of these columns (the
    mail's HTML and the recipient stay in the database)."""

    id: int
    match_id: str
    type: str
    subject: str
    body_text: str
    payload: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


_SHOWN = columns_of(Notification, NotificationRow)
ACCOUNT_TYPE: NotificationType = "account"
# The mail choice that covers the application mails (``shared.mail_choices``).
APPLICATION_KIND = "application"
AccountMailKind = Literal[
    "password_reset",
    "password_changed",
    "verify_email",
    "address_in_use",
    "organisation_approved",
    "organisation_refused",
    "invitation",
]


class NotificationNotFound(LookupError):  # noqa: N818 - reads as the API's 404
    """No such notification for this recipient (someone else's looks the same: not found)."""


def inbox_owner(role: str, user_id: int, organisation_number: str | None) -> str | None:
    """Whose inbox a user reads: its organisation's (school, provider) or its own (coordinator);
    ``None`` for the admin, who has none."""
    if role == "coordinator":
        return coordinator_key(user_id)
    if role in ("school", "provider") and organisation_number:
        return organisation_key("school" if role == "school" else "provider", organisation_number)
    return None


async def list_inbox(
    session: AsyncSession,
    recipient: str,
    unread_only: bool = False,
    limit: int = 100,
    older_than: int | None = None,
) -> list[Notification]:
    """The recipient's notifications, newest first; digests are mail only. ``older_than``: only
    those after the recipient's notification of that id in this order (none for another's id),
    so each next page reads only its own rows."""
    query = select(*_SHOWN).where(
        NotificationRow.recipient == recipient,
        NotificationRow.type.not_in(("digest", ACCOUNT_TYPE)),
    )
    if unread_only:
        query = query.where(NotificationRow.read_at.is_(None))
    if older_than is not None:
        anchor = (
            select(NotificationRow.created_at)
            .where(NotificationRow.id == older_than, NotificationRow.recipient == recipient)
            .scalar_subquery()
        )
        query = query.where(
            tuple_(NotificationRow.created_at, NotificationRow.id)
            < tuple_(anchor, literal(older_than))
        )
    connection = await session.connection()  # Core rows: no ORM entities to build
    rows = await connection.execute(
        query.order_by(NotificationRow.created_at.desc(), NotificationRow.id.desc()).limit(limit)
    )
    return [Notification(*row) for row in rows]


async def mark_read(session: AsyncSession, notification_id: int, recipient: str) -> None:
    """Mark one of the recipient's notifications read (again: no change)."""
    marked = await session.scalar(
        update(NotificationRow)
        .where(NotificationRow.id == notification_id, NotificationRow.recipient == recipient)
        .values(read_at=func.coalesce(NotificationRow.read_at, datetime.now(UTC)))
        .returning(NotificationRow.id)
    )
    if marked is None:
        raise NotificationNotFound(f"notification {notification_id} not found")


async def mark_all_read(
    session: AsyncSession, recipient: str, only: list[int] | None = None
) -> int:
    """Mark the recipient's unread notifications read (``only``: those of these ids; another
    recipient's ids change nothing); return how many were unread."""
    query = update(NotificationRow).where(
        NotificationRow.recipient == recipient, NotificationRow.read_at.is_(None)
    )
    if only is not None:
        query = query.where(NotificationRow.id.in_(only))
    marked = await session.scalars(
        query.values(read_at=datetime.now(UTC)).returning(NotificationRow.id)
    )
    return len(list(marked))


@dataclass(frozen=True, slots=True)
class AccountMail:
    """A mail to one user about their account or organisation. ``url`` is the full address of
    the one-use link of a password reset or address check (the notifier forgets the mail's text
    once it is sent); ``reason`` is a coordinator's, when an organisation is refused."""

    kind: AccountMailKind
    user_id: int
    email: str
    name: str
    url: str = ""
    valid_minutes: int = 0
    organisation: str = ""
    reason: str = ""


def _account_message(mail: AccountMail) -> templates.Message:
    if mail.kind == "password_reset":
        return templates.password_reset(mail.name, mail.url, mail.valid_minutes)
    if mail.kind == "verify_email":
        return templates.verify_email(mail.name, mail.organisation, mail.url, mail.valid_minutes)
    if mail.kind == "address_in_use":
        return templates.address_in_use(mail.name)
    if mail.kind == "organisation_approved":
        return templates.organisation_approved(mail.name, mail.organisation)
    if mail.kind == "invitation":
        return templates.invitation(mail.name, mail.organisation, mail.url, mail.valid_minutes)
    if mail.kind == "organisation_refused":
        return templates.organisation_refused(mail.name, mail.organisation, mail.reason)
    return templates.password_changed(mail.name)


async def send_account_mail(session: AsyncSession, mail: AccountMail) -> None:
    """Queue ``mail`` in the caller's transaction: it goes out once the transaction commits, is
    retried while the mail server is down, and never shows in an inbox."""
    route = Route(f"user:{mail.user_id}", ACCOUNT_TYPE, (Delivery("email", mail.email),))
    reference = f"account:{mail.kind}:{uuid.uuid4()}"
    await notify(session, reference, route, _account_message(mail), {"type": mail.kind})


@dataclass(frozen=True, slots=True)
class WaitingApplication:
    """An organisation that confirmed its address and waits for its region's decision."""

    organisation_id: int
    name: str
    postal_code: str
    rtc_region: str


async def tell_coordinators_of_application(
    session: AsyncSession, application: WaitingApplication
) -> None:
    """Queue, in the caller's transaction, a mail (or a digest line, as each chose) to each
    coordinator of the application's region leading to ``/aanmeldingen``; once per organisation
    and coordinator, never in an inbox."""
    for coordinator in await coordinators_of(session, application.rtc_region):
        choice = coordinator.choices.get(APPLICATION_KIND, DEFAULT_CHOICE)
        if choice == "off":
            continue
        route = Route(f"user:{coordinator.id}", ACCOUNT_TYPE, mail_to(coordinator.email, choice))
        message = templates.application_waiting(
            coordinator.name, application.name, application.postal_code, application.rtc_region
        )
        reference = f"application:{application.organisation_id}"
        await notify(session, reference, route, message, {"type": "application_waiting"})
