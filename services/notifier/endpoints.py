"""Where organisations' notifications go besides the inbox: each organisation's webhook.

The admin page lists them (URL, never the secret); an organisation's own admins set, change,
remove and ping theirs (``services.api.webhooks`` checks who asks), a few pings a minute at most.
An address is checked by ``webhook_urls`` when it is saved, and by the connection of every ping
and delivery (``webhook_client``).
"""

import json
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifier import webhook_urls
from services.notifier.senders import DELIVERY_HEADER, post_webhook
from services.notifier.signing import SIGNATURE_HEADER, sign
from services.notifier.tables import OrganisationEndpointRow
from services.notifier.webhook_client import webhook_client

WebhookRefused = webhook_urls.WebhookRefused
PING_TIMEOUT_SECONDS = 10.0
PINGS_PER_MINUTE = 3
MINUTE = timedelta(minutes=1)


class PingsTooFrequent(Exception):  # noqa: N818 - reads as the 429 it answers
    """The organisation pinged ``PINGS_PER_MINUTE`` times this minute already."""

    def __init__(self, wait_seconds: float) -> None:
        super().__init__(f"{PINGS_PER_MINUTE} pings a minute at most")
        self.wait_seconds = wait_seconds


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
    it has no webhook, PingsTooFrequent past ``PINGS_PER_MINUTE`` (the row stays locked while
    it pings, so parallel pings are counted one after the other)."""
    row = await session.get(OrganisationEndpointRow, organisation_id, with_for_update=True)
    if row is None:
        return None
    _count_ping(row, datetime.now(UTC))
    webhook = OwnWebhook(row.webhook_url, row.webhook_secret)
    signed_at, delivery = int(time.time()), f"ping-{secrets.token_hex(8)}"
    body = json.dumps(
        {"type": "ping", "organisation": organisation_id, "sent_at": datetime.now(UTC).isoformat()}
    ).encode()
    header = f"{SIGNATURE_HEADER}: {sign(webhook.secret, body, signed_at)}"
    sent = f"{DELIVERY_HEADER}: {delivery}"
    try:
        async with webhook_client(PING_TIMEOUT_SECONDS) as client:
            status = await post_webhook(
                client, webhook.url, webhook.secret, body, delivery, signed_at
            )
    except httpx.HTTPStatusError as answered:
        return PingResult(header, sent, answered.response.status_code, "")
    except (httpx.HTTPError, WebhookRefused) as failed:
        return PingResult(header, sent, None, f"{type(failed).__name__}: {failed}"[:300])
    return PingResult(header, sent, status, "")


def _count_ping(row: OrganisationEndpointRow, now: datetime) -> None:
    """Count a ping in ``row``'s minute (a new minute from the first ping after the last one
    ended); PingsTooFrequent, counting nothing, when the minute has had its pings."""
    if row.pings_since is None or row.pings_since + MINUTE <= now:
        row.pings_since, row.pings = now, 0
    if row.pings >= PINGS_PER_MINUTE:
        raise PingsTooFrequent((row.pings_since + MINUTE - now).total_seconds())
    row.pings += 1
