"""``/api/organisation/webhook``: an organisation's admins read, set, remove and ping the webhook
of their own organisation (whose it is comes from the token; anyone else: 404)."""

import math
from collections.abc import Awaitable
from typing import TypeVar

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, Field

from services.api import webhooks
from services.api.deps import CurrentUser, SessionDep
from services.api.errors import ERROR_RESPONSES, field_problem

router = APIRouter(prefix="/api/organisation", tags=["organisation"], responses=ERROR_RESPONSES)
NOT_FOUND = "no webhook of yours"
T = TypeVar("T")


class WebhookIn(BaseModel):
    """The address to call: HTTPS, reachable from the internet."""

    url: str = Field(max_length=500)


class WebhookView(BaseModel):
    """The organisation's webhook and the secret its requests are signed with."""

    url: str
    secret: str


class PingView(BaseModel):
    """What a test event was sent with and what the endpoint answered (or the error)."""

    signature_header: str
    delivery_header: str
    status_code: int | None
    error: str


async def _yours(call: Awaitable[T | None]) -> T:
    """What ``call`` found of one's organisation's webhook; 404 when nothing (no webhook, or
    one is not an admin of a school or provider)."""
    try:
        found = await call
    except webhooks.NotOrganisationAdmin as not_yours:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND) from not_yours
    if found is None or found is False:
        raise HTTPException(status.HTTP_404_NOT_FOUND, NOT_FOUND)
    return found


@router.get("/webhook")
async def read_webhook(session: SessionDep, principal: CurrentUser) -> WebhookView:
    """One's organisation's webhook; 404 when none is set or one is no organisation admin."""
    found = await _yours(webhooks.webhook(session, principal))
    return WebhookView(url=found.url, secret=found.secret)


@router.put("/webhook")
async def put_webhook(session: SessionDep, principal: CurrentUser, body: WebhookIn) -> WebhookView:
    """Set or change the address (422 with the reason for one Schakel does not call)."""
    try:
        saved = await _yours(webhooks.set_webhook(session, principal, body.url))
    except webhooks.WebhookRefused as refused:
        raise field_problem("url", str(refused)) from refused
    return WebhookView(url=saved.url, secret=saved.secret)


@router.delete("/webhook", status_code=status.HTTP_204_NO_CONTENT)
async def delete_webhook(session: SessionDep, principal: CurrentUser) -> None:
    """Remove the webhook (404 when there was none)."""
    await _yours(webhooks.remove_webhook(session, principal))


@router.post(
    "/webhook/ping",
    responses={429: {"description": "A few pings a minute at most; retry after Retry-After."}},
)
async def ping_webhook(session: SessionDep, principal: CurrentUser) -> PingView:
    """Send a signed test event now; what was sent and answered. 429 with Retry-After past
    ``PINGS_PER_MINUTE`` pings of the organisation in a minute."""
    try:
        result = await _yours(webhooks.ping(session, principal))
    except webhooks.PingsTooFrequent as busy:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"{webhooks.PINGS_PER_MINUTE} pings a minute at most; retry after Retry-After seconds",
            headers={"Retry-After": str(math.ceil(busy.wait_seconds))},
        ) from busy
    return PingView(
        signature_header=result.signature_header,
        delivery_header=result.delivery_header,
        status_code=result.status_code,
        error=result.error,
    )
