"""An organisation's webhook, for its own admins only: whose it is comes from who asks, never
from an id in the request, so no one reaches another organisation's. Kept and sent by the
notifier (``services.notifier.endpoints``)."""

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.principal import Principal
from services.notifier import endpoints
from services.notifier.endpoints import (
    PINGS_PER_MINUTE,
    OwnWebhook,
    PingResult,
    PingsTooFrequent,
    WebhookRefused,
)

__all__ = [
    "PINGS_PER_MINUTE",
    "NotOrganisationAdmin",
    "OwnWebhook",
    "PingResult",
    "PingsTooFrequent",
    "WebhookRefused",
]


class NotOrganisationAdmin(LookupError):  # noqa: N818 - reads as the 404 it answers
    """Only a school's or provider's own admins have a webhook page (others: not found)."""


def own_organisation(principal: Principal) -> str:
    """The number of the organisation whose webhook ``principal`` manages."""
    if (
        principal.role not in ("school", "provider")
        or not principal.organisation_admin
        or not principal.organisation_number
    ):
        raise NotOrganisationAdmin("no webhook of yours")
    return principal.organisation_number


async def webhook(session: AsyncSession, principal: Principal) -> OwnWebhook | None:
    """One's organisation's webhook, if set."""
    return await endpoints.webhook_of(session, own_organisation(principal))


async def set_webhook(session: AsyncSession, principal: Principal, url: str) -> OwnWebhook:
    """Set or change one's organisation's webhook (WebhookRefused: the address is not called)."""
    return await endpoints.set_webhook(session, own_organisation(principal), url)


async def remove_webhook(session: AsyncSession, principal: Principal) -> bool:
    """Remove one's organisation's webhook; whether there was one."""
    return await endpoints.remove_webhook(session, own_organisation(principal))


async def ping(session: AsyncSession, principal: Principal) -> PingResult | None:
    """Send one's organisation's webhook a signed test event; ``None`` without a webhook,
    PingsTooFrequent past ``PINGS_PER_MINUTE``."""
    return await endpoints.ping(session, own_organisation(principal))
