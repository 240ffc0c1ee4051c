"""``/organisatie/webhook``: an organisation's admins set, change or remove the address Schakel
calls with the organisation's notifications, and ping it to see the signed request and the
answer. Everyone else finds no such page. Use cases in ``services.api.webhooks``."""

import math
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from services.api import webhooks
from services.api.deps import SessionDep
from services.api.pages.access import page_role
from services.api.pages.auth import waiting_time
from services.api.pages.rendering import render
from services.api.principal import Principal

router = APIRouter(include_in_schema=False)
PAGE = "/organisatie/webhook"
Member = Annotated[Principal, page_role("school", "provider")]


async def _page(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    code: int = 200,
    **extra: object,
) -> Response:
    try:
        current = await webhooks.webhook(session, principal)
    except webhooks.NotOrganisationAdmin:
        return render(request, "not_found.html", principal, status_code=404)
    return render(request, "webhook.html", principal, status_code=code, webhook=current, **extra)


@router.get(PAGE, response_class=HTMLResponse)
async def webhook_page(
    request: Request, session: SessionDep, principal: Member, melding: str = ""
) -> Response:
    """One's organisation's webhook and its forms."""
    return await _page(request, session, principal, notice=melding[:200])


@router.post(PAGE)
async def save_webhook(
    request: Request,
    session: SessionDep,
    principal: Member,
    url: Annotated[str, Form(max_length=600)] = "",
) -> Response:
    """Set or change the address; a refused one keeps the form with the reason."""
    try:
        await webhooks.set_webhook(session, principal, url)
    except webhooks.NotOrganisationAdmin:
        return render(request, "not_found.html", principal, status_code=404)
    except webhooks.WebhookRefused as refused:
        return await _page(request, session, principal, 422, error=str(refused), url=url)
    return _done("De webhook is bewaard.")


@router.post(f"{PAGE}/verwijderen")
async def remove_webhook(request: Request, session: SessionDep, principal: Member) -> Response:
    """Remove the address: notifications go by mail and the inbox only."""
    try:
        await webhooks.remove_webhook(session, principal)
    except webhooks.NotOrganisationAdmin:
        return render(request, "not_found.html", principal, status_code=404)
    return _done("De webhook is verwijderd.")


@router.post(f"{PAGE}/ping", response_class=HTMLResponse)
async def ping_webhook(request: Request, session: SessionDep, principal: Member) -> Response:
    """Send a signed test event now and show what was sent and answered."""
    try:
        result = await webhooks.ping(session, principal)
    except webhooks.NotOrganisationAdmin:
        return render(request, "not_found.html", principal, status_code=404)
    except webhooks.PingsTooFrequent as busy:
        wait = str(math.ceil(busy.wait_seconds))
        error = (
            f"U kunt de webhook hoogstens {webhooks.PINGS_PER_MINUTE} keer per minuut testen. "
            f"Wacht {waiting_time(wait)} en probeer het dan opnieuw."
        )
        page = await _page(request, session, principal, 429, error=error)
        page.headers["Retry-After"] = wait
        return page
    if result is None:
        return await _page(request, session, principal, 422, error="Bewaar eerst een adres.")
    return await _page(request, session, principal, ping=result)


def _done(notice: str) -> Response:
    return RedirectResponse(f"{PAGE}?{urlencode({'melding': notice})}", status_code=303)
