"""``/inbox``: one's notifications (``services.notifier.notifications``), marking them read."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.pages.access import SignedIn
from services.api.pages.rendering import is_htmx, render
from services.notifier import notifications

router = APIRouter(prefix="/inbox", include_in_schema=False)
SHOWN = 25


@router.get("", response_class=HTMLResponse)
async def inbox_page(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    voor: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    """Newest first, a page at a time (``voor``: the page after that notification); the contact
    of an accepted match is in its notification."""
    owner = principal.inbox
    rows = (
        await notifications.list_inbox(session, owner, limit=SHOWN + 1, older_than=voor)
        if owner
        else []
    )
    older = rows[SHOWN - 1].id if len(rows) > SHOWN else None
    return render(
        request, "inbox.html", principal, notifications=rows[:SHOWN], older=older, paged=voor
    )


@router.post("/{notification_id}/gelezen", response_class=HTMLResponse)
async def mark_read(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    notification_id: Annotated[int, Path(ge=1, le=2**62)],
) -> Response:
    """Mark one of one's notifications read (someone else's: nothing changes)."""
    owner = principal.inbox
    try:
        if owner is not None:
            await notifications.mark_read(session, notification_id, owner)
    except notifications.NotificationNotFound:
        pass
    if is_htmx(request):
        return Response('<span class="muted">Gelezen</span>', media_type="text/html")
    return RedirectResponse("/inbox", status_code=303)
