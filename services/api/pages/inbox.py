"""``/inbox``: one's notifications (``services.notifier.notifications``), each linking to the
match it is about with where that match stands now (``services.review.match_states``), the
suggestions of one need on one line; marking them read, one line or all at once."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.inbox_lines import inbox_lines
from services.api.pages.access import SignedIn
from services.api.pages.rendering import is_htmx, render
from services.notifier import notifications
from services.review.match_states import standings

router = APIRouter(prefix="/inbox", include_in_schema=False)
SHOWN = 25
NotificationId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("", response_class=HTMLResponse)
async def inbox_page(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    voor: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    gelezen: Annotated[int | None, Query(ge=0, le=2**31)] = None,
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
    shown = rows[:SHOWN]
    found = await standings(session, principal.actor, {row.match_id for row in shown})
    return render(
        request,
        "inbox.html",
        principal,
        lines=inbox_lines(shown, found),
        older=older,
        paged=voor,
        marked=gelezen,
    )


@router.post("/alles-gelezen", response_class=HTMLResponse)
async def mark_all_read(session: SessionDep, principal: SignedIn) -> Response:
    """Mark every one of one's notifications read."""
    owner = principal.inbox
    marked = await notifications.mark_all_read(session, owner) if owner else 0
    return RedirectResponse(f"/inbox?gelezen={marked}", status_code=303)


@router.post("/{notification_id}/gelezen", response_class=HTMLResponse)
async def mark_read(
    request: Request,
    session: SessionDep,
    principal: SignedIn,
    notification_id: NotificationId,
    ook: Annotated[list[int], Form(max_length=SHOWN)] = [],  # noqa: B006 - FastAPI copies it
) -> Response:
    """Mark one line of one's notifications read: one notification and, for a line of several,
    the others (``ook``); someone else's change nothing."""
    owner = principal.inbox
    if owner is not None:
        others = [number for number in ook if 1 <= number <= 2**62]
        await notifications.mark_all_read(session, owner, [notification_id, *others])
    if is_htmx(request):
        return Response('<span class="muted">Gelezen</span>', media_type="text/html")
    return RedirectResponse("/inbox", status_code=303)
