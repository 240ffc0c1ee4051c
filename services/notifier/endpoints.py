"""Where organisations' notifications go besides the inbox: each organisation's webhook.

The admin page lists them (URL, never the secret); an organisation's own admins set, change,
remove and ping theirs (``services.api.webhooks`` checks who asks). An address is checked by
``webhook_urls`` when it is saved, when it is pinged and before every delivery.
"""

import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import webhook_urls
from services.notifier.senders import DELIVERY_HEADER, post_webhook
from services.notifier.signing import SIGNATURE_HEADER, sign
from services.notifier.tables import OrganisationEndpointRow

WebhookRefused = webhook_urls.WebhookRefused
PING_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class WebhookEndpoint:
    """An organisation's webhook URL."""

    organisation_id: str
    webhook_url: str


@dataclass(frozen=True, slots=True)
class OwnWebhook:
    """An organisation's webhook as its own admins see it: with the secret that signs it."""

    url: str
    secret: str


@dataclass(frozen=True, slots=True)
class PingResult:
    """What a ping sent and got: the signature header, the delivery id, and the answer's
    status code or the error."""

    signature_header: str
    delivery_header: str
    status_code: int | None
    error: str


async def webhook_endpoints(session: AsyncSession) -> list[WebhookEndpoint]:
    """Every configured webhook, by organisation."""
    rows = await session.execute(
        select(
            OrganisationEndpointRow.organisation_id, OrganisationEndpointRow.webhook_url
        ).order_by(OrganisationEndpointRow.organisation_id)
    )
    return [WebhookEndpoint(organisation, url) for organisation, url in rows.tuples()]


async def webhook_of(session: AsyncSession, organisation_id: str) -> OwnWebhook | None:
    """The webhook of one organisation (its number), if it has one."""
    row = await session.get(OrganisationEndpointRow, organisation_id)
    return None if row is None else OwnWebhook(row.webhook_url, row.webhook_secret)


async def set_webhook(session: AsyncSession, organisation_id: str, url: str) -> OwnWebhook:
    """Give the organisation the webhook ``url`` (a changed URL keeps the secret; a first one
    gets a new random secret). WebhookRefused, with nothing changed, for an address Schakel
    does not call."""
    url = url.strip()
    await webhook_urls.check(url)
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    row = {"organisation_id": organisation_id, "webhook_url": url, "webhook_secret": secret}
    kept = await session.scalar(
        insert(OrganisationEndpointRow)
        .values(row)
        .on_conflict_do_update(index_elements=["organisation_id"], set_={"webhook_url": url})
        .returning(OrganisationEndpointRow.webhook_secret)
    )
    return OwnWebhook(url, kept or secret)


async def remove_webhook(session: AsyncSession, organisation_id: str) -> bool:
    """Remove the organisation's webhook; whether it had one. Deliveries still pending to it
    fail (there is nothing to call)."""
    removed = await session.scalar(
        delete(OrganisationEndpointRow)
        .where(OrganisationEndpointRow.organisation_id == organisation_id)
        .returning(OrganisationEndpointRow.organisation_id)
    )
    return removed is not None


async def ping(session: AsyncSession, organisation_id: str) -> PingResult | None:
    """Send the organisation's webhook a signed test event the way deliveries are sent (the
    address checked again, signed, no redirects followed) and tell what happened; ``None`` when
    it has no webhook."""
    webhook = await webhook_of(session, organisation_id)
    if webhook is None:
        return None
    signed_at, delivery = int(time.time()), f"ping-{secrets.token_hex(8)}"
    body = json.dumps(
        {"type": "ping", "organisation": organisation_id, "sent_at": datetime.now(UTC).isoformat()}
    ).encode()
    header = f"{SIGNATURE_HEADER}: {sign(webhook.secret, body, signed_at)}"
    sent = f"{DELIVERY_HEADER}: {delivery}"
    try:
        await webhook_urls.check(webhook.url)
        async with httpx.AsyncClient(timeout=PING_TIMEOUT_SECONDS) as client:
            status = await post_webhook(
                client, webhook.url, webhook.secret, body, delivery, signed_at
            )
    except httpx.HTTPStatusError as answered:
        return PingResult(header, sent, answered.response.status_code, "")
    except (httpx.HTTPError, WebhookRefused) as failed:
        return PingResult(header, sent, None, f"{type(failed).__name__}: {failed}"[:300])
    return PingResult(header, sent, status, "")
