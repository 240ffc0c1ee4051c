"""A person's in-app notifications (their inbox in the web pages), for the web API.

Every function takes who is asking and only returns or changes what that recipient may see.
"""

from datetime import UTC, datetime

from sqlalchemy import func, literal, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier.routing import coordinator_key, organisation_key
from services.notifier.tables import NotificationRow


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
) -> list[NotificationRow]:
    """The recipient's notifications, newest first; digests are mail only. ``older_than``: only
    those after the recipient's notification of that id in this order (none for another's id),
    so each next page reads only its own rows."""
    query = select(NotificationRow).where(
        NotificationRow.recipient == recipient, NotificationRow.type != "digest"
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
    rows = await session.scalars(
        query.order_by(NotificationRow.created_at.desc(), NotificationRow.id.desc()).limit(limit)
    )
    return list(rows)


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
