"""``/api/notifications``: one's own inbox (what the notifier told one) and marking it read."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel

from services.api.deps import CurrentUser, SessionDep
from services.api.errors import ERROR_RESPONSES
from services.notifier import notifications

router = APIRouter(prefix="/api/notifications", tags=["notifications"], responses=ERROR_RESPONSES)


class NotificationView(BaseModel):
    """One notification in one's inbox."""

    id: int
    type: str
    match_id: str
    subject: str
    body_text: str
    payload: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


@router.get("", response_model=list[NotificationView])
async def inbox(
    session: SessionDep,
    principal: CurrentUser,
    unread: Annotated[bool, Query(description="Only what is not read yet.")] = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> list[NotificationView]:
    """One's notifications, newest first."""
    owner = principal.inbox
    if owner is None:
        return []
    rows = await notifications.list_inbox(session, owner, unread_only=unread, limit=limit)
    return [NotificationView.model_validate(row, from_attributes=True) for row in rows]


@router.post("/{notification_id}/read", status_code=status.HTTP_204_NO_CONTENT)
async def mark_read(
    session: SessionDep,
    principal: CurrentUser,
    notification_id: Annotated[int, Path(ge=1, le=2**62)],
) -> None:
    """Mark one of one's notifications read; someone else's answers 404."""
    owner = principal.inbox
    if owner is None:
        raise notifications.NotificationNotFound(str(notification_id))
    await notifications.mark_read(session, notification_id, owner)
